//! NGX035: includes that name no file.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags an `include` of a file that does not exist (or cannot be read), resolved like nginx
    /// does: relative to the folder of the linted main file, or to `--prefix`. A glob that
    /// matches nothing is not flagged, as nginx accepts it.
    ///
    /// ## Why is this bad?
    /// `nginx -t` fails with "open() ... failed". When the file exists only on the server (a
    /// stock `/etc/nginx/mime.types`), the linter also cannot see the directives inside it, so
    /// findings that depend on them may be missing; pass `--prefix` to point at a copy.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// include conf.d/does-not-exist.conf;
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// include conf.d/*.conf;
    /// ```
    pub struct IncludeNotFound {
        id: "NGX035",
        name: "include-not-found",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Fix the path, lint from the folder nginx.conf lives in, or pass `--prefix`.",
    }
}

impl Rule<NginxDoc> for IncludeNotFound {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for p in &doc.include_problems {
            if let Some(file) = doc.config.tree.files.get(p.file as usize) {
                cx.report(self, &file.source, p.span.clone(), p.message.clone());
            }
        }
    }
}

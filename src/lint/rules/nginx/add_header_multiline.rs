//! NGX032: header values spanning lines (gixy `add_header_multiline`).

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `add_header` and `more_set_headers` values that contain a line break.
    ///
    /// ## Why is this bad?
    /// A newline inside a header value is obsolete line folding: many clients reject the
    /// response, and others read the continuation as a separate, unintended header.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// add_header Content-Security-Policy "default-src 'self';
    ///     connect-src 'self'" always;
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// add_header Content-Security-Policy "default-src 'self'; connect-src 'self'" always;
    /// ```
    pub struct AddHeaderMultiline {
        id: "NGX032",
        name: "add-header-multiline",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Security,
        fix: "Write the whole value on one line.",
    }
}

impl Rule<NginxDoc> for AddHeaderMultiline {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for name in ["add_header", "more_set_headers"] {
            for (d, _) in doc.config.occurrences(name) {
                if let Some(i) = d.args().position(|v| v.contains('\n')) {
                    let span = d.arg_span(i).unwrap_or_else(|| d.span());
                    doc.report(cx, self, d, span, format!("a `{name}` value spans several lines"));
                }
            }
        }
    }
}

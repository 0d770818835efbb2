//! NGX000: the parser's findings (syntax errors, undecodable bytes).

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports nginx syntax errors: a missing `;`, an unbalanced brace, an unterminated quote,
    /// and text that is not valid UTF-8.
    ///
    /// ## Why is this bad?
    /// `nginx -t` refuses the file and the proxy keeps running its old config, or does not start.
    /// The linter recovers where it can, so the file's other findings are still reported.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /events {
    ///     proxy_pass http://app
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    /// }
    /// ```
    pub struct SyntaxError {
        id: "NGX000",
        name: "syntax-error",
        kind: Some(FileKind::Nginx),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Fix the syntax; `nginx -t` gives the same verdict.",
    }
}

impl Rule<NginxDoc> for SyntaxError {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        let tree = &doc.config.tree;
        for e in &tree.syntax_errors {
            if let Some(file) = tree.files.get(e.file as usize) {
                cx.report(self, &file.source, e.span.clone(), e.message.clone());
            }
        }
        for file in tree.files.iter().filter(|f| f.lossy) {
            let at = file.source.text.find('\u{FFFD}').unwrap_or(0);
            let p = cx.report(
                self,
                &file.source,
                at..at + 3,
                "file is not valid UTF-8; invalid bytes were replaced",
            );
            p.severity = Severity::Warning;
        }
    }
}

//! HAP000: what the haproxy parser could not read.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::HaproxyDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports what HAProxy cannot read: an unterminated quote, a keyword outside any section.
    ///
    /// ## Why is this bad?
    /// HAProxy refuses to start (or to reload) on these, so the old configuration keeps running or
    /// the proxy stays down. The linter recovers, so the file's other findings are still reported.
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// maxconn 100
    /// global
    ///     daemon
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// global
    ///     maxconn 100
    /// ```
    pub struct SyntaxError {
        id: "HAP000",
        name: "haproxy-syntax-error",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Fix the syntax; `haproxy -c -f haproxy.cfg` gives the same verdict.",
    }
}

impl Rule<HaproxyDoc> for SyntaxError {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        for error in &doc.parsed.errors {
            doc.report(cx, self, error.span.clone(), error.message.clone());
        }
    }
}

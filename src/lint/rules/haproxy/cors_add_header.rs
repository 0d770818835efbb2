//! HAP011: CORS headers appended with `http-response add-header`.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::HaproxyDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `http-response add-header Access-Control-*`.
    ///
    /// ## Why is this bad?
    /// `add-header` appends: when the application also sends CORS headers, the browser gets two
    /// `Access-Control-Allow-Origin` values and rejects the response, so the stream fails with a
    /// CORS error that hides the real status.
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// frontend web
    ///     http-response add-header Access-Control-Allow-Origin https://app.example.com
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// frontend web
    ///     http-response set-header Access-Control-Allow-Origin https://app.example.com
    /// ```
    pub struct CorsAddHeader {
        id: "HAP011",
        name: "cors-add-header",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Let one layer own CORS; in HAProxy use `set-header` (behind an acl) and answer preflights explicitly.",
    }
}

impl Rule<HaproxyDoc> for CorsAddHeader {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        for section in &doc.parsed.sections {
            for line in section.find(&["http-response", "add-header"]) {
                let Some(name) =
                    line.word(2).filter(|w| w.text.to_ascii_lowercase().starts_with("access-control-"))
                else {
                    continue;
                };
                let message = format!(
                    "`add-header {}` appends to the backend's own CORS headers; duplicates make browsers reject the response",
                    name.text
                );
                doc.report(cx, self, line.span.clone(), message);
            }
        }
    }
}

//! HAP008: compressing `text/event-stream`.

use super::joined_lower;
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::HaproxyDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `compression type` (or `type-res`) lists that include `text/event-stream`.
    ///
    /// ## Why is this bad?
    /// The compressor holds small events until its block fills. Measured on HAProxy 2.6: events
    /// sent every 200 ms arrived in pairs, every other one 200 ms late.
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// backend app
    ///     compression algo gzip
    ///     compression type text/html text/event-stream
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// backend app
    ///     compression algo gzip
    ///     compression type text/html application/json
    /// ```
    pub struct CompressionEventStream {
        id: "HAP008",
        name: "compression-event-stream",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Error,
        category: Category::Streaming,
        fix: "Remove `text/event-stream` from the compressed types.",
    }
}

impl Rule<HaproxyDoc> for CompressionEventStream {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        for section in &doc.parsed.sections {
            for line in section.find(&["compression"]) {
                let is_type = line.word(1).is_some_and(|w| w.text.starts_with("type"));
                if is_type && joined_lower(line, 2).contains("text/event-stream") {
                    doc.report(cx, self, line.span.clone(), "compressing `text/event-stream` batches events");
                }
            }
        }
    }
}

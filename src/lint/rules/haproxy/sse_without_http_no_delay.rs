//! HAP018: an event-stream backend without `option http-no-delay`.

use super::stream_sections;
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::HaproxyDoc;
use crate::lint::{Category, LintContext, Rule, lower};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a backend that serves Server-Sent Events where `option http-no-delay` is not in
    /// effect (set in the backend or inherited from its `defaults`).
    ///
    /// ## Why is this bad?
    /// HAProxy sends the body of a response that is not complete yet with `MSG_MORE`, and the
    /// kernel then holds a small segment for up to about 200 ms waiting for more. Measured on
    /// HAProxy 2.6 in front of an origin sending one event every 250 ms (chunked, no
    /// compression): every event but the last reached the client 204-210 ms late; with
    /// `option http-no-delay` each arrived at once. Token streams feel sluggish and bursty.
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// backend sse_backend
    ///     timeout server 90s
    ///     server app1 10.0.0.1:8080
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// backend sse_backend
    ///     timeout server 90s
    ///     option http-no-delay
    ///     server app1 10.0.0.1:8080
    /// ```
    pub struct SseWithoutHttpNoDelay {
        id: "HAP018",
        name: "sse-without-http-no-delay",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Add `option http-no-delay` to the event-stream backend only (ordinary responses gain from batching).",
    }
}

impl Rule<HaproxyDoc> for SseWithoutHttpNoDelay {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        let config = &doc.parsed;
        for (index, stream) in stream_sections(config, cx.settings) {
            if stream.websocket || config.effective(index, &["option", "http-no-delay"]).is_some() {
                continue;
            }
            let Some(section) = config.sections.get(index) else { continue };
            let name = section.name().map_or("?", |n| n.text.as_str());
            let message = format!(
                "event-stream backend `{name}` lacks `option http-no-delay`: the kernel holds each small event up to 200 ms (streams because {})",
                stream.reason
            );
            let problem = doc.report(cx, self, section.header.span.clone(), message);
            if stream.heuristic {
                problem.severity = lower(Severity::Warning);
            }
        }
    }
}

//! HAP001: an event-stream backend whose idle timeouts are shorter than the heartbeat.

use super::{stream_sections, timeout};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::{HaproxyDoc, format_ms, heartbeat_ms};
use crate::lint::{Category, LintContext, Rule, lower};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a backend that serves Server-Sent Events whose effective `timeout server` is at
    /// most 1.5 × the heartbeat (the spec's, else an assumed 15 s), whatever `timeout tunnel`
    /// says.
    ///
    /// ## Why is this bad?
    /// `timeout tunnel` only takes over after a protocol switch (WebSocket, CONNECT). An event
    /// stream stays plain HTTP, so the gap between two events is timed by `timeout server`
    /// (measured on HAProxy 2.6: `timeout server 1s` with `timeout tunnel 1h` closed a stream
    /// with 2.5 s gaps after 1 s).
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// backend sse_backend
    ///     timeout server 10s
    ///     timeout tunnel 1h
    ///     server app1 10.0.0.1:8080
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// backend sse_backend
    ///     timeout server 90s
    ///     server app1 10.0.0.1:8080
    /// ```
    pub struct SseIdleTimeout {
        id: "HAP001",
        name: "sse-idle-timeout",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Error,
        category: Category::Streaming,
        fix: "Give the event-stream backend its own `timeout server` well above the heartbeat (3 × is a good margin), and the matching `timeout client` on its frontend.",
    }
}

impl Rule<HaproxyDoc> for SseIdleTimeout {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        let config = &doc.parsed;
        for (index, stream) in stream_sections(config, cx.settings) {
            if stream.websocket {
                continue;
            }
            let Some((ms, setting)) = timeout(config, index, "server") else { continue };
            let (heartbeat, known) = heartbeat_ms(Some(&stream));
            if ms.saturating_mul(2) > heartbeat.saturating_mul(3) {
                continue;
            }
            let name = config.sections.get(index).and_then(|s| s.name()).map_or("?", |n| n.text.as_str());
            let assumed = if known { "" } else { " (assumed; pass --spec for the real one)" };
            let message = format!(
                "`timeout server {}` cuts quiet event streams of backend `{name}`: the heartbeat is {}{assumed}, and `timeout tunnel` does not apply to SSE (streams because {})",
                format_ms(ms),
                format_ms(heartbeat),
                stream.reason
            );
            let severity = if stream.heuristic || !known { lower(Severity::Error) } else { Severity::Error };
            let problem = doc.report(cx, self, setting.line.span.clone(), message);
            problem.severity = severity;
            if let Some(section) = config.sections.get(index).filter(|_| setting.inherited) {
                doc.label(problem, section.header.span.clone(), "inherited by this streaming backend");
            }
        }
    }
}

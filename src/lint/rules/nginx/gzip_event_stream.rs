//! NGX002: gzip compressing an event stream.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags an event-stream location where `gzip` is on and `gzip_types` includes
    /// `text/event-stream` or `*`.
    ///
    /// ## Why is this bad?
    /// The compressor holds small events until its block fills. Measured on nginx 1.22 with
    /// buffering on, a chunked SSE response reached the client only when it ended; with
    /// buffering off each event still costs a compressed flush, and proxies in front may hold
    /// compressed bytes. Events are tiny; compression gains nothing.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// gzip on;
    /// gzip_types text/plain text/event-stream;
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// gzip on;
    /// gzip_types text/plain application/json;
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    /// }
    /// ```
    pub struct GzipEventStream {
        id: "NGX002",
        name: "gzip-event-stream",
        kind: Some(FileKind::Nginx),
        severity: Severity::Error,
        category: Category::Streaming,
        fix: "Leave `text/event-stream` out of `gzip_types`, or set `gzip off;` in the streaming location.",
    }
}

impl Rule<NginxDoc> for GzipEventStream {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (block, stream) in doc.stream_locations().filter(|(_, s)| !s.websocket) {
            let on = doc.config.effective(block, "gzip").is_some_and(|d| d.arg(0).as_deref() == Some("on"));
            let Some(types) = doc.config.effective(block, "gzip_types") else { continue };
            if !on || !types.args().any(|t| t == "*" || t.eq_ignore_ascii_case("text/event-stream")) {
                continue;
            }
            let buffered = doc
                .config
                .effective(block, "proxy_buffering")
                .is_none_or(|d| d.arg(0).as_deref() != Some("off"));
            let severity = if buffered { Severity::Error } else { Severity::Warning };
            let msg = format!(
                "gzip compresses this event stream{}",
                if buffered { " and, with buffering on, holds it until it ends" } else { "" }
            );
            doc.report_on_stream(cx, self, severity, stream, types, msg);
        }
    }
}

//! NGX001: buffering left on where a location streams.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule, add_label};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags an event-stream location that proxies with response buffering on: set explicitly
    /// (error) or left at nginx's default (warning). `fastcgi_pass`/`uwsgi_pass`/`scgi_pass` are
    /// checked against their own `*_buffering` directive. WebSockets are not flagged: nginx
    /// tunnels an upgraded connection without buffering.
    ///
    /// ## Why is this bad?
    /// With buffering on, nginx collects the upstream's bytes and forwards them in batches.
    /// Measured on nginx 1.22: a close-delimited (HTTP/1.0-style) upstream response reached the
    /// client only when the stream ended; tokens of an LLM answer then arrive all at once.
    /// Buffering is only off per response when the backend sends `X-Accel-Buffering: no`.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /api/stream {
    ///     proxy_pass http://app;
    ///     proxy_buffering on;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /api/stream {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    /// }
    /// ```
    pub struct StreamProxyBuffering {
        id: "NGX001",
        name: "stream-proxy-buffering",
        kind: Some(FileKind::Nginx),
        severity: Severity::Error,
        category: Category::Streaming,
        fix: "Put `proxy_buffering off;` in the streaming location only (or have the backend send `X-Accel-Buffering: no`).",
    }
}

impl Rule<NginxDoc> for StreamProxyBuffering {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        // Upgraded (WebSocket) connections are tunnelled unbuffered whatever proxy_buffering says.
        for (block, stream) in doc.stream_locations().filter(|(_, s)| !s.websocket) {
            let Some(pass) = doc.pass(block) else { continue };
            let Some(prefix) = pass.name().strip_suffix("_pass").filter(|p| *p != "grpc") else { continue };
            let directive = format!("{prefix}_buffering");
            match doc.config.effective(block, &directive) {
                Some(d) if d.arg(0).as_deref() == Some("on") => {
                    let msg = format!("`{directive} on` buffers this {}", stream.kind_name());
                    if let Some(p) = doc.report_on_stream(cx, self, Severity::Error, stream, d, msg)
                        && let Some(head) = doc.head(block)
                    {
                        add_label(p, head.source(), head.head_span(), "streaming location");
                    }
                }
                Some(_) => {}
                None => {
                    let msg =
                        format!("`{directive}` is on by default, so this {} is buffered", stream.kind_name());
                    doc.report_on_stream(cx, self, Severity::Warning, stream, pass, msg);
                }
            }
        }
    }
}

//! NGX008: read timeouts that cut quiet streams.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::{NginxDoc, parse_time, show_millis};
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

/// nginx's default `proxy_read_timeout`.
const DEFAULT_MS: u64 = 60_000;

declare_rule! {
    /// ## What it does
    /// Flags a streaming location whose `proxy_read_timeout` is at most 1.5 × the heartbeat
    /// interval from the spec (error), or is left at nginx's 60 s default when no heartbeat is
    /// known (warning).
    ///
    /// ## Why is this bad?
    /// The timer measures the gap between two reads from the upstream, not the whole response.
    /// A stream that is quiet for longer (a model thinking, a chat with no messages) is closed:
    /// the client sees a truncated stream or a 504.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    ///     proxy_read_timeout 1h;
    /// }
    /// ```
    pub struct StreamReadTimeout {
        id: "NGX008",
        name: "stream-read-timeout",
        kind: Some(FileKind::Nginx),
        severity: Severity::Error,
        category: Category::Streaming,
        fix: "Set `proxy_read_timeout` well above the heartbeat (at least 3 × heartbeat), and make the server send heartbeats.",
    }
}

impl Rule<NginxDoc> for StreamReadTimeout {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (block, stream) in doc.stream_locations() {
            let Some(pass) = doc.pass(block).filter(|p| p.is("proxy_pass")) else { continue };
            let set = doc.config.effective(block, "proxy_read_timeout");
            let timeout = set.and_then(|d| d.arg(0)).and_then(|t| parse_time(&t)).unwrap_or(DEFAULT_MS);
            let at = set.unwrap_or(pass);
            match stream.heartbeat.map(|h| h.as_millis()) {
                Some(beat) if timeout.saturating_mul(2) <= beat.saturating_mul(3) => {
                    let msg = format!(
                        "`proxy_read_timeout` {} is not comfortably above the {} heartbeat",
                        show_millis(timeout),
                        show_millis(beat)
                    );
                    doc.report_on_stream(cx, self, Severity::Error, stream, at, msg);
                }
                None if set.is_none() => {
                    let msg = format!(
                        "`proxy_read_timeout` is left at the 60s default on this {}",
                        stream.kind_name()
                    );
                    doc.report_on_stream(cx, self, Severity::Warning, stream, at, msg);
                }
                _ => {}
            }
        }
    }
}

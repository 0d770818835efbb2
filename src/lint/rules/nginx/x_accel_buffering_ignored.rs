//! NGX012: the backend's `X-Accel-Buffering: no` thrown away.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `proxy_ignore_headers X-Accel-Buffering` in effect on a streaming location where
    /// `proxy_buffering` is not turned off.
    ///
    /// ## Why is this bad?
    /// An SSE backend that correctly answers with `X-Accel-Buffering: no` is then buffered
    /// anyway, because nginx was told to ignore exactly that per-response opt-out.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// proxy_ignore_headers X-Accel-Buffering X-Accel-Expires;
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_read_timeout 1h;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// proxy_ignore_headers X-Accel-Expires;
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_read_timeout 1h;
    /// }
    /// ```
    pub struct XAccelBufferingIgnored {
        id: "NGX012",
        name: "x-accel-buffering-ignored",
        kind: Some(FileKind::Nginx),
        severity: Severity::Error,
        category: Category::Streaming,
        fix: "Remove `X-Accel-Buffering` from `proxy_ignore_headers`, or set `proxy_buffering off;` on the streaming location.",
    }
}

impl Rule<NginxDoc> for XAccelBufferingIgnored {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (block, stream) in doc.stream_locations() {
            let Some(ignore) = doc.config.effective(block, "proxy_ignore_headers") else { continue };
            if !ignore.args().any(|h| h.eq_ignore_ascii_case("x-accel-buffering")) {
                continue;
            }
            if doc
                .config
                .effective(block, "proxy_buffering")
                .is_some_and(|d| d.arg(0).as_deref() == Some("off"))
            {
                continue;
            }
            let msg =
                "the backend's `X-Accel-Buffering: no` is ignored, so this stream is buffered".to_string();
            doc.report_on_stream(cx, self, Severity::Error, stream, ignore, msg);
        }
    }
}

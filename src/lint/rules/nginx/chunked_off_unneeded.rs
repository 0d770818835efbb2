//! NGX038: `chunked_transfer_encoding off` copied onto event streams.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `chunked_transfer_encoding off` on an event-stream location.
    ///
    /// ## Why is this bad?
    /// SSE does not need it. Without chunking and without a length, nginx can only end the
    /// response by closing the client connection, which defeats keepalive and confuses some
    /// HTTP/1.1 clients. It is a copied recipe, not a fix.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    ///     chunked_transfer_encoding off;
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
    pub struct ChunkedOffUnneeded {
        id: "NGX038",
        name: "chunked-off-unneeded",
        kind: Some(FileKind::Nginx),
        severity: Severity::Info,
        category: Category::Streaming,
        fix: "Remove `chunked_transfer_encoding off;` unless a broken client needs it.",
    }
}

impl Rule<NginxDoc> for ChunkedOffUnneeded {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (block, stream) in doc.stream_locations().filter(|(_, s)| !s.websocket) {
            if let Some(d) = doc
                .config
                .find(block, "chunked_transfer_encoding")
                .last()
                .filter(|d| d.arg(0).as_deref() == Some("off"))
            {
                let msg = "`chunked_transfer_encoding off` is not needed for event streams".to_string();
                doc.report_on_stream(cx, self, Severity::Info, stream, d, msg);
            }
        }
    }
}

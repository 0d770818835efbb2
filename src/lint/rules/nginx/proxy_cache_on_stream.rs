//! NGX003: a cache in front of a stream.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags an event-stream location where `proxy_cache` names a zone (set there or inherited).
    ///
    /// ## Why is this bad?
    /// Caching needs the complete response: measured on nginx 1.22, the client saw the first
    /// bytes and then a stall. A partial event stream may also be stored and replayed to other
    /// users.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// proxy_cache api_cache;
    /// location /api/stream {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// proxy_cache api_cache;
    /// location /api/stream {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    ///     proxy_cache off;
    /// }
    /// ```
    pub struct ProxyCacheOnStream {
        id: "NGX003",
        name: "proxy-cache-on-stream",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Set `proxy_cache off;` in the streaming location.",
    }
}

impl Rule<NginxDoc> for ProxyCacheOnStream {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (block, stream) in doc.stream_locations().filter(|(_, s)| !s.websocket) {
            let Some(cache) = doc.config.effective(block, "proxy_cache") else { continue };
            if doc.pass(block).is_none() || cache.arg(0).as_deref() == Some("off") {
                continue;
            }
            let msg = format!("`proxy_cache {}` caches this {}", cache.args_text(), stream.kind_name());
            doc.report_on_stream(cx, self, Severity::Warning, stream, cache, msg);
        }
    }
}

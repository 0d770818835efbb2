//! NGX005: WebSocket locations that do not forward the upgrade.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::{NginxDoc, is_header};
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a WebSocket location that proxies without `proxy_set_header Upgrade $http_upgrade`
    /// or without a `Connection` header that resolves to `upgrade`.
    ///
    /// ## Why is this bad?
    /// `Upgrade` and `Connection` are hop-by-hop headers, so nginx does not pass them on. The
    /// backend never sees the handshake and answers 400 or 426, or the client library silently
    /// falls back to polling.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /ws/ {
    ///     proxy_pass http://app;
    ///     proxy_http_version 1.1;
    ///     proxy_set_header Upgrade $http_upgrade;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /ws/ {
    ///     proxy_pass http://app;
    ///     proxy_http_version 1.1;
    ///     proxy_set_header Upgrade $http_upgrade;
    ///     proxy_set_header Connection $connection_upgrade;
    /// }
    /// ```
    pub struct WebsocketUpgradeHeaders {
        id: "NGX005",
        name: "websocket-upgrade-headers",
        kind: Some(FileKind::Nginx),
        severity: Severity::Error,
        category: Category::Streaming,
        fix: "Add `proxy_set_header Upgrade $http_upgrade;` and `proxy_set_header Connection $connection_upgrade;` (with the `map` from nginx's WebSocket docs).",
    }
}

impl Rule<NginxDoc> for WebsocketUpgradeHeaders {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (block, stream) in doc.stream_locations().filter(|(_, s)| s.websocket) {
            let Some(pass) = doc.pass(block).filter(|p| p.is("proxy_pass")) else { continue };
            let headers = doc.config.effective_array_block(block, "proxy_set_header");
            let lines: Vec<_> =
                headers.map(|b| doc.config.find(b, "proxy_set_header").collect()).unwrap_or_default();
            let upgrade = lines.iter().any(|d| is_header(*d, "upgrade"));
            let connection = lines.iter().any(|d| {
                is_header(*d, "connection")
                    && d.arg(1).is_some_and(|v| v.starts_with('$') || v.eq_ignore_ascii_case("upgrade"))
            });
            let missing: Vec<&str> =
                [(!upgrade).then_some("Upgrade"), (!connection).then_some("Connection: upgrade")]
                    .into_iter()
                    .flatten()
                    .collect();
            if !missing.is_empty() {
                let msg = format!("WebSocket location does not forward {}", missing.join(" or "));
                doc.report_on_stream(cx, self, Severity::Error, stream, pass, msg);
            }
        }
    }
}

//! NGX004: HTTP/1.0 to the upstream of a WebSocket.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::version::Version;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

/// nginx 1.29.7 made HTTP/1.1 the default `proxy_http_version`.
const HTTP11_DEFAULT: Version = Version::new(1, 29, 7);

declare_rule! {
    /// ## What it does
    /// Flags a WebSocket location whose `proxy_http_version` is 1.0: set explicitly, or left at
    /// the default on nginx older than 1.29.7 (`--nginx-version`).
    ///
    /// ## Why is this bad?
    /// The protocol upgrade needs HTTP/1.1 on the upstream leg; over HTTP/1.0 the handshake
    /// cannot happen and the client falls back or fails. (Keepalive pools that HTTP/1.0 leaves
    /// unused are NGX021.)
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /ws/ {
    ///     proxy_pass http://app;
    ///     proxy_http_version 1.0;
    ///     proxy_set_header Upgrade $http_upgrade;
    ///     proxy_set_header Connection "upgrade";
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /ws/ {
    ///     proxy_pass http://app;
    ///     proxy_http_version 1.1;
    ///     proxy_set_header Upgrade $http_upgrade;
    ///     proxy_set_header Connection "upgrade";
    /// }
    /// ```
    pub struct ProxyHttpVersion {
        id: "NGX004",
        name: "proxy-http-version",
        kind: Some(FileKind::Nginx),
        severity: Severity::Error,
        category: Category::Streaming,
        fix: "Add `proxy_http_version 1.1;` to the WebSocket location.",
    }
}

impl Rule<NginxDoc> for ProxyHttpVersion {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        let default_is_10 = !cx.settings.nginx_version.at_least(HTTP11_DEFAULT);
        for (block, stream) in doc.stream_locations().filter(|(_, s)| s.websocket) {
            let Some(pass) = doc.pass(block).filter(|p| p.is("proxy_pass")) else { continue };
            match doc.config.effective(block, "proxy_http_version") {
                Some(v) if v.arg(0).as_deref() == Some("1.0") => {
                    let msg = "`proxy_http_version 1.0` cannot carry a WebSocket upgrade".to_string();
                    doc.report_on_stream(cx, self, Severity::Error, stream, v, msg);
                }
                None if default_is_10 => {
                    let msg = format!(
                        "nginx {} speaks HTTP/1.0 to upstreams by default, which cannot carry a WebSocket upgrade",
                        cx.settings.nginx_version
                    );
                    doc.report_on_stream(cx, self, Severity::Error, stream, pass, msg);
                }
                _ => {}
            }
        }
    }
}

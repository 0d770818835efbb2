//! HAP002: a WebSocket backend without `timeout tunnel`.

use super::{stream_sections, timeout};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::HaproxyDoc;
use crate::lint::{Category, LintContext, Rule, lower};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a backend that carries WebSockets with no `timeout tunnel`, in the backend or its
    /// `defaults`.
    ///
    /// ## Why is this bad?
    /// After the upgrade, idle sockets are then timed by `timeout client`/`timeout server`,
    /// usually 30 to 50 s, so quiet WebSockets are closed every minute.
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// frontend web
    ///     bind :80
    ///     acl is_ws hdr(Upgrade) -i websocket
    ///     use_backend ws_backend if is_ws
    /// backend ws_backend
    ///     server app1 10.0.0.1:8080
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// frontend web
    ///     bind :80
    ///     acl is_ws hdr(Upgrade) -i websocket
    ///     use_backend ws_backend if is_ws
    /// backend ws_backend
    ///     timeout tunnel 1h
    ///     server app1 10.0.0.1:8080
    /// ```
    pub struct WsMissingTunnelTimeout {
        id: "HAP002",
        name: "ws-missing-tunnel-timeout",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Set `timeout tunnel` above the ping interval in the WebSocket backend, with `timeout client-fin 30s`.",
    }
}

impl Rule<HaproxyDoc> for WsMissingTunnelTimeout {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        let config = &doc.parsed;
        for (index, stream) in stream_sections(config, cx.settings) {
            if !stream.websocket || timeout(config, index, "tunnel").is_some() {
                continue;
            }
            let Some(section) = config.sections.get(index) else { continue };
            let message = format!(
                "WebSocket backend without `timeout tunnel`: idle sockets fall back to the client/server timeouts (streams because {})",
                stream.reason
            );
            let problem = doc.report(cx, self, section.header.span.clone(), message);
            if stream.heuristic {
                problem.severity = lower(Severity::Warning);
            }
        }
    }
}

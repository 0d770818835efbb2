//! K8S012: an Ingress routing streams with idle timeouts at or near the heartbeat.

use super::{INGRESS_NGINX, objects, stream_paths};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::{K8sDoc, format_ms, heartbeat_ms};
use crate::lint::{Category, LintContext, Rule, lower};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags an ingress-nginx Ingress that routes streaming paths while `proxy-read-timeout` or
    /// `proxy-send-timeout` is missing (60 s by default) or at most 1.5 × the heartbeat.
    ///
    /// ## Why is this bad?
    /// The controller applies nginx's idle timers between two reads or writes: quiet streams and
    /// idle WebSockets are closed at 60 s, and users see periodic disconnects.
    ///
    /// ## Example
    /// ```kubernetes,invalid
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: stream
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/proxy-send-timeout: "3600"
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///   - http:
    ///       paths:
    ///       - path: /api/stream
    ///         pathType: Prefix
    ///         backend: {service: {name: app, port: {number: 8080}}}
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,valid
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: stream
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/proxy-read-timeout: "3600"
    ///     nginx.ingress.kubernetes.io/proxy-send-timeout: "3600"
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///   - http:
    ///       paths:
    ///       - path: /api/stream
    ///         pathType: Prefix
    ///         backend: {service: {name: app, port: {number: 8080}}}
    /// ```
    pub struct IngressStreamTimeouts {
        id: "K8S012",
        name: "ingress-stream-timeouts",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Set `proxy-read-timeout` and `proxy-send-timeout` (quoted seconds) well above the heartbeat, on an Ingress that only carries streaming paths.",
    }
}

impl Rule<K8sDoc> for IngressStreamTimeouts {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        for ingress in objects(doc).iter().filter(|o| o.is("Ingress")) {
            let streams = stream_paths(ingress, cx.settings);
            let Some((path, stream)) = streams.first() else { continue };
            let (heartbeat, known) = heartbeat_ms(Some(stream));
            for name in ["proxy-read-timeout", "proxy-send-timeout"] {
                let node = ingress.annotation(&format!("{INGRESS_NGINX}{name}"));
                let seconds = node.and_then(|n| n.as_str()).and_then(|t| t.trim().parse::<u64>().ok());
                let ms = seconds.unwrap_or(60).saturating_mul(1000);
                let short = ms.saturating_mul(2) <= heartbeat.saturating_mul(3);
                if seconds.is_some() && !short {
                    continue;
                }
                let what = if seconds.is_some() {
                    format!("`{name}` is {}", format_ms(ms))
                } else {
                    format!("`{name}` is left at the 60s default")
                };
                let message = format!(
                    "{what} on an Ingress that routes the stream `{}`: quiet streams are cut (streams because {})",
                    path.path_text(),
                    stream.reason
                );
                let span = node.or(path.path).map_or(ingress.root.span.clone(), |n| n.span.clone());
                let severity = if short && known { Severity::Error } else { Severity::Warning };
                doc.report(cx, self, span, message).severity =
                    if stream.heuristic { lower(severity) } else { severity };
            }
        }
    }
}

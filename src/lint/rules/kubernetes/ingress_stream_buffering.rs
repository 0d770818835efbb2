//! K8S017: response buffering turned on for an Ingress that streams.

use super::{INGRESS_NGINX, objects, stream_paths};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::K8sDoc;
use crate::lint::{Category, LintContext, Rule, lower};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `nginx.ingress.kubernetes.io/proxy-buffering: "on"` on an Ingress that routes
    /// streaming paths.
    ///
    /// ## Why is this bad?
    /// The controller's nginx then collects the backend's bytes and forwards them in batches:
    /// events and tokens arrive in bursts or only when the stream ends. ingress-nginx leaves
    /// buffering off by default; turning it on is what breaks the stream.
    ///
    /// ## Example
    /// ```kubernetes,invalid
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: stream
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/proxy-buffering: "on"
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///   - http:
    ///       paths:
    ///       - {path: /api/stream, pathType: Prefix, backend: {service: {name: app, port: {number: 8080}}}}
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,valid
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: stream
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/proxy-buffering: "off"
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///   - http:
    ///       paths:
    ///       - {path: /api/stream, pathType: Prefix, backend: {service: {name: app, port: {number: 8080}}}}
    /// ```
    pub struct IngressStreamBuffering {
        id: "K8S017",
        name: "ingress-stream-buffering",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Error,
        category: Category::Streaming,
        fix: "Remove the annotation (off is the default) or set it to \"off\", on an Ingress that carries only streaming paths.",
    }
}

impl Rule<K8sDoc> for IngressStreamBuffering {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        for ingress in objects(doc).iter().filter(|o| o.is("Ingress")) {
            let Some(node) = ingress.annotation(&format!("{INGRESS_NGINX}proxy-buffering")) else { continue };
            if !node.as_str().is_some_and(|v| v.eq_ignore_ascii_case("on")) {
                continue;
            }
            let streams = stream_paths(ingress, cx.settings);
            let Some((path, stream)) = streams.first() else { continue };
            let message = format!(
                "`proxy-buffering: \"on\"` buffers the stream `{}` (streams because {})",
                path.path_text(),
                stream.reason
            );
            let problem = doc.report(cx, self, node.span.clone(), message);
            if stream.heuristic {
                problem.severity = lower(Severity::Error);
            }
        }
    }
}

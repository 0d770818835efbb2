//! K8S015: an Ingress that streams over plain HTTP.

use super::{objects, stream_paths};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::K8sDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags an Ingress that routes streaming paths and has no `spec.tls`.
    ///
    /// ## Why is this bad?
    /// Without TLS the controller serves HTTP/1.1 only, and browsers allow about six HTTP/1.1
    /// connections per origin across all tabs: each open event stream holds one, so the
    /// seventh tab hangs. With TLS the controller negotiates HTTP/2 (about a hundred streams
    /// per connection). Informational, since TLS may end at a load balancer in front.
    ///
    /// ## Example
    /// ```kubernetes,invalid
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: stream
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///   - host: api.example.com
    ///     http:
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
    /// spec:
    ///   ingressClassName: nginx
    ///   tls:
    ///   - hosts: [api.example.com]
    ///     secretName: api-tls
    ///   rules:
    ///   - host: api.example.com
    ///     http:
    ///       paths:
    ///       - {path: /api/stream, pathType: Prefix, backend: {service: {name: app, port: {number: 8080}}}}
    /// ```
    pub struct IngressStreamWithoutTls {
        id: "K8S015",
        name: "ingress-stream-without-tls",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Info,
        category: Category::Streaming,
        fix: "Add `spec.tls` (HTTP/2 needs TLS), unless TLS already ends in front of the controller with HTTP/2.",
    }
}

impl Rule<K8sDoc> for IngressStreamWithoutTls {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        for ingress in objects(doc).iter().filter(|o| o.is("Ingress") && o.path(&["spec", "tls"]).is_none()) {
            let streams = stream_paths(ingress, cx.settings);
            let Some((path, _)) = streams.first() else { continue };
            let span = path.path.map_or(ingress.root.span.clone(), |n| n.span.clone());
            let message = format!(
                "the stream `{}` is served over plain HTTP/1.1, limited to six connections per browser",
                path.path_text()
            );
            doc.report(cx, self, span, message);
        }
    }
}

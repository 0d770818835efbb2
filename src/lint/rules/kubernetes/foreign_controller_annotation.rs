//! K8S009: annotations ingress-nginx does not know.

use super::{INGRESS_NGINX, objects};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::K8sDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `nginx.ingress.kubernetes.io/` annotations that ingress-nginx does not have, such
    /// as `websocket-services` (an annotation of NGINX Inc's controller, `nginx.org/`).
    ///
    /// ## Why is this bad?
    /// Unknown annotations are ignored silently, so the behaviour the author expected never
    /// happens. ingress-nginx needs no WebSocket annotation at all; it needs long read and send
    /// timeouts.
    ///
    /// ## Example
    /// ```kubernetes,invalid
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/websocket-services: "app"
    /// spec:
    ///   ingressClassName: nginx
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,valid
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/proxy-read-timeout: "3600"
    /// spec:
    ///   ingressClassName: nginx
    /// ```
    pub struct ForeignControllerAnnotation {
        id: "K8S009",
        name: "foreign-controller-annotation",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Use the annotation of the controller named by `ingressClassName`; ingress-nginx proxies WebSockets without any annotation.",
    }
}

/// Annotations of other controllers that people put under the ingress-nginx prefix.
const FOREIGN: &[(&str, &str)] = &[
    (
        "websocket-services",
        "`nginx.org/websocket-services` belongs to NGINX Inc's controller; ingress-nginx needs no WebSocket annotation",
    ),
    ("proxy-buffer", "did you mean `proxy-buffering` or `proxy-buffer-size`?"),
    ("server-snippets", "did you mean `server-snippet`?"),
    ("read-timeout", "did you mean `proxy-read-timeout`?"),
    ("send-timeout", "did you mean `proxy-send-timeout`?"),
    ("sse", "ingress-nginx has no SSE annotation; set `proxy-buffering: \"off\"` and long timeouts"),
];

impl Rule<K8sDoc> for ForeignControllerAnnotation {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        for object in objects(doc).iter().filter(|o| o.is("Ingress")) {
            for entry in object.annotations() {
                let Some(name) = entry.key.as_str().and_then(|k| k.strip_prefix(INGRESS_NGINX)) else {
                    continue;
                };
                let Some((_, why)) = FOREIGN.iter().find(|(n, _)| *n == name) else { continue };
                let message = format!("ingress-nginx has no `{name}` annotation and ignores it: {why}");
                doc.report(cx, self, entry.key.span.clone(), message);
            }
        }
    }
}

//! K8S013: streaming annotations on an Ingress that also routes ordinary paths.

use super::{INGRESS_NGINX, objects, stream_paths};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::K8sDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags stream-only settings (`proxy-buffering: "off"`, read or send timeouts of 5 minutes
    /// or more) on an Ingress whose paths include non-streaming ones such as `/`.
    ///
    /// ## Why is this bad?
    /// Annotations apply to every path of the object: ordinary API calls then run unbuffered
    /// (a slow client holds a backend connection for the whole download) and may hang for an
    /// hour.
    ///
    /// ## Example
    /// ```kubernetes,invalid
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/proxy-read-timeout: "3600"
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///   - http:
    ///       paths:
    ///       - {path: /api/stream, pathType: Prefix, backend: {service: {name: app, port: {number: 8080}}}}
    ///       - {path: /, pathType: Prefix, backend: {service: {name: app, port: {number: 8080}}}}
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,valid
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web-stream
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/proxy-read-timeout: "3600"
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///   - http:
    ///       paths:
    ///       - {path: /api/stream, pathType: Prefix, backend: {service: {name: app, port: {number: 8080}}}}
    /// ```
    pub struct IngressAnnotationScope {
        id: "K8S013",
        name: "ingress-annotation-scope",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Warning,
        category: Category::Performance,
        fix: "Put the streaming paths in their own Ingress carrying the streaming annotations.",
    }
}

/// Whether an ingress-nginx annotation is a stream-only setting.
fn is_streaming_setting(name: &str, value: &str) -> bool {
    match name {
        "proxy-buffering" | "proxy-request-buffering" => value.eq_ignore_ascii_case("off"),
        "proxy-read-timeout" | "proxy-send-timeout" => value.trim().parse::<u64>().is_ok_and(|s| s >= 300),
        _ => false,
    }
}

impl Rule<K8sDoc> for IngressAnnotationScope {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        for ingress in objects(doc).iter().filter(|o| o.is("Ingress")) {
            let streams = stream_paths(ingress, cx.settings);
            let all = ingress.ingress_paths();
            let ordinary: Vec<_> =
                all.iter().filter(|p| !streams.iter().any(|(s, _)| std::ptr::eq(s.node, p.node))).collect();
            let (Some(_), Some(plain)) = (streams.first(), ordinary.first()) else { continue };
            for entry in ingress.annotations() {
                let Some(name) = entry.key.as_str().and_then(|k| k.strip_prefix(INGRESS_NGINX)) else {
                    continue;
                };
                let value = ingress.doc.resolve(&entry.value).as_str().unwrap_or("");
                if is_streaming_setting(name, value) {
                    let message = format!(
                        "`{name}: {value}` also applies to the non-streaming path `{}` of this Ingress",
                        plain.path_text()
                    );
                    let problem = doc.report(cx, self, entry.key.span.clone(), message);
                    if let Some(path) = plain.path {
                        doc.label(problem, path.span.clone(), "not a stream");
                    }
                }
            }
        }
    }
}

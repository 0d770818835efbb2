//! K8S010: annotation values that are not strings.

use super::objects;
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::K8sDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags annotation values that YAML reads as a number or a boolean (`3600`, `true`
    /// unquoted).
    ///
    /// ## Why is this bad?
    /// Annotations are a map of strings, so the API server rejects the object on apply
    /// ("cannot unmarshal number into Go struct field ... of type string").
    ///
    /// ## Example
    /// ```kubernetes,invalid
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/proxy-read-timeout: 3600
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
    pub struct IngressAnnotationValueType {
        id: "K8S010",
        name: "ingress-annotation-value-type",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Quote the value: `\"3600\"`, `\"true\"`.",
    }
}

impl Rule<K8sDoc> for IngressAnnotationValueType {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        for object in objects(doc) {
            for entry in object.annotations() {
                let value = object.doc.resolve(&entry.value);
                if value.is_plain_non_string() {
                    let key = entry.key.as_str().unwrap_or("?");
                    let text = value.as_str().unwrap_or("");
                    doc.report(
                        cx,
                        self,
                        value.span.clone(),
                        format!("`{key}: {text}` is not a string; the API server rejects the object"),
                    );
                }
            }
        }
    }
}

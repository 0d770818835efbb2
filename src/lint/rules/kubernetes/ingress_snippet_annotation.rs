//! K8S008: ingress-nginx snippet annotations.

use super::{INGRESS_NGINX, objects};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::K8sDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `nginx.ingress.kubernetes.io/server-snippet`, `configuration-snippet`,
    /// `auth-snippet`, `stream-snippet` and `modsecurity-snippet`.
    ///
    /// ## Why is this bad?
    /// Since ingress-nginx 1.9 snippets are off by default and the admission webhook rejects the
    /// whole Ingress, so its timeout and buffering annotations are lost with it; they were
    /// locked down after CVE-2021-25742 (reading any Secret through a snippet). A snippet
    /// `location` also shadows the generated one.
    ///
    /// ## Example
    /// ```kubernetes,invalid
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/configuration-snippet: |
    ///       add_header X-Accel-Buffering no;
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
    ///     nginx.ingress.kubernetes.io/proxy-buffering: "off"
    /// spec:
    ///   ingressClassName: nginx
    /// ```
    pub struct IngressSnippetAnnotation {
        id: "K8S008",
        name: "ingress-snippet-annotation",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Error,
        category: Category::Security,
        fix: "Use first-class annotations (`proxy-buffering`, `proxy-read-timeout`) or ConfigMap keys instead of snippets.",
    }
}

const SNIPPETS: &[&str] =
    &["server-snippet", "configuration-snippet", "auth-snippet", "stream-snippet", "modsecurity-snippet"];

impl Rule<K8sDoc> for IngressSnippetAnnotation {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        for object in objects(doc).iter().filter(|o| o.is("Ingress")) {
            for entry in object.annotations() {
                let Some(key) = entry.key.as_str() else { continue };
                let Some(name) = key.strip_prefix(INGRESS_NGINX).filter(|n| SNIPPETS.contains(n)) else {
                    continue;
                };
                let message = format!(
                    "`{name}` is refused by ingress-nginx since 1.9 unless snippets are enabled, and the webhook then rejects the whole Ingress"
                );
                doc.report(cx, self, entry.key.span.clone(), message);
            }
        }
    }
}

//! K8S018: an Ingress for ingress-nginx, the controller the Kubernetes project retired.

use super::{INGRESS_NGINX, objects};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::K8sDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::k8s::Object;
use crate::parse::kind::FileKind;
use crate::parse::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Flags each Ingress that targets the community ingress-nginx controller: its class
    /// (`spec.ingressClassName` or the old `kubernetes.io/ingress.class` annotation) is `nginx`,
    /// or it carries `nginx.ingress.kubernetes.io/` annotations. It is reported once per
    /// Ingress, at the class name or else at the first such annotation. When the file defines
    /// the IngressClass, its `spec.controller` decides instead (`k8s.io/ingress-nginx`); a class
    /// `nginx` with only `nginx.org/` annotations is F5 NGINX Ingress Controller and not flagged.
    ///
    /// `sseconf gen` still writes ingress-nginx Ingresses (the class comes from
    /// `kubernetes.ingress.class`, `nginx` by default), so this info stays on generated
    /// manifests until the cluster moves to another controller.
    ///
    /// ## Why is this bad?
    /// Kubernetes SIG Network and the Security Response Committee announced the retirement of
    /// ingress-nginx in November 2025, with best-effort maintenance until March 2026. After that
    /// there are no further releases, no bug fixes and no fixes for security vulnerabilities, on
    /// the component that faces the internet. Existing deployments keep working, which is why
    /// this is only an info.
    ///
    /// ## Example
    /// ```kubernetes,invalid
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/proxy-read-timeout: "3600"
    ///     nginx.ingress.kubernetes.io/proxy-buffering: "off"
    /// spec:
    ///   ingressClassName: nginx
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,valid
    /// # F5 NGINX Ingress Controller (its class is also `nginx`), with its own annotations.
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     nginx.org/proxy-read-timeout: "3600s"
    ///     nginx.org/proxy-buffering: "false"
    /// spec:
    ///   ingressClassName: nginx
    /// ```
    pub struct IngressControllerRetired {
        id: "K8S018",
        name: "ingress-controller-retired",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Info,
        category: Category::Deprecation,
        fix: "Plan the move to a Gateway API implementation (HTTPRoute) or another maintained Ingress controller, and carry the streaming settings over: long read timeouts on the stream paths and response buffering off.",
    }
}

/// The controller name ingress-nginx registers for its IngressClass.
const CONTROLLER: &str = "k8s.io/ingress-nginx";
/// The prefix of F5 NGINX Ingress Controller's annotations.
const F5_NGINX: &str = "nginx.org/";

impl Rule<K8sDoc> for IngressControllerRetired {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        let all = objects(doc);
        for ingress in all.iter().filter(|o| o.is("Ingress")) {
            let Some((at, why)) = retired_target(ingress, &all) else { continue };
            let name = ingress.name().unwrap_or("?");
            let message = format!(
                "Ingress `{name}` targets ingress-nginx ({why}), retired by the Kubernetes project in March 2026: no further releases or security fixes"
            );
            doc.report(cx, self, at.span.clone(), message);
        }
    }
}

/// Where an Ingress shows that it targets ingress-nginx, and how.
fn retired_target<'a>(ingress: &Object<'a>, all: &[Object<'a>]) -> Option<(&'a Node, String)> {
    let class = ingress
        .path(&["spec", "ingressClassName"])
        .or_else(|| ingress.annotation("kubernetes.io/ingress.class"))
        .filter(|n| n.text().is_some());
    let class_name = class.and_then(Node::text).unwrap_or_default();
    // An IngressClass in the same file is the authority on which controller serves the class.
    if let (Some(class), Some(controller)) = (class, controller_of(class_name, all)) {
        return (controller == CONTROLLER)
            .then(|| (class, format!("class `{class_name}` is `{CONTROLLER}`")));
    }
    let annotations = ingress.annotations();
    let first_ours =
        annotations.iter().find(|e| e.key.as_str().is_some_and(|k| k.starts_with(INGRESS_NGINX)));
    let f5 = annotations.iter().any(|e| e.key.as_str().is_some_and(|k| k.starts_with(F5_NGINX)));
    match (class, first_ours) {
        (Some(class), _) if class_name == "nginx" && (first_ours.is_some() || !f5) => {
            Some((class, "class `nginx`".to_string()))
        }
        (_, Some(entry)) => Some((&entry.key, format!("`{INGRESS_NGINX}` annotations"))),
        _ => None,
    }
}

/// The `spec.controller` of the IngressClass called `name` in the file, if there is one.
fn controller_of<'a>(name: &str, all: &[Object<'a>]) -> Option<&'a str> {
    all.iter()
        .find(|o| o.is("IngressClass") && o.name() == Some(name))
        .and_then(|o| o.path(&["spec", "controller"]))
        .and_then(Node::text)
}

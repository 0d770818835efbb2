//! K8S011: an Ingress that names no class.

use super::objects;
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::K8sDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags an Ingress with neither `spec.ingressClassName` nor the old
    /// `kubernetes.io/ingress.class` annotation, when the file defines no default IngressClass.
    ///
    /// ## Why is this bad?
    /// Controllers ignore class-less Ingresses unless a default class exists or they run with
    /// `--watch-ingress-without-class`, so the route silently does not exist.
    ///
    /// ## Example
    /// ```kubernetes,invalid
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   rules: []
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,valid
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   ingressClassName: nginx
    ///   rules: []
    /// ```
    pub struct IngressMissingClass {
        id: "K8S011",
        name: "ingress-missing-class",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Set `spec.ingressClassName`.",
    }
}

impl Rule<K8sDoc> for IngressMissingClass {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        let all = objects(doc);
        let default_class = all.iter().any(|o| {
            o.is("IngressClass")
                && o.annotation("ingressclass.kubernetes.io/is-default-class").and_then(|n| n.text())
                    == Some("true")
        });
        if default_class {
            return;
        }
        for ingress in all.iter().filter(|o| o.is("Ingress")) {
            let named = ingress.path(&["spec", "ingressClassName"]).is_some()
                || ingress.annotation("kubernetes.io/ingress.class").is_some();
            if !named {
                let at =
                    ingress.path(&["metadata", "name"]).map_or(ingress.root.span.clone(), |n| n.span.clone());
                let name = ingress.name().unwrap_or("?");
                doc.report(
                    cx,
                    self,
                    at,
                    format!("Ingress `{name}` names no class; controllers may ignore it"),
                );
            }
        }
    }
}

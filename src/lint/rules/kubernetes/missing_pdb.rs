//! K8S004: a replicated streaming workload without a PodDisruptionBudget.

use super::{objects, selects, streaming_workloads};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::K8sDoc;
use crate::lint::{Category, LintContext, Rule, lower};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a streaming Deployment or StatefulSet with more than one replica when no
    /// PodDisruptionBudget in the same file selects its pods.
    ///
    /// ## Why is this bad?
    /// A node drain may evict every replica at once, dropping all streams together instead of
    /// one pod's worth at a time.
    ///
    /// ## Example
    /// ```kubernetes,invalid
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: app
    /// spec:
    ///   replicas: 3
    ///   template:
    ///     metadata:
    ///       labels: {app: app}
    ///     spec:
    ///       terminationGracePeriodSeconds: 120
    ///       containers:
    ///       - name: app
    ///         image: app:1.4.2
    ///         ports:
    ///         - {name: websocket, containerPort: 8082}
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,valid
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: app
    /// spec:
    ///   replicas: 3
    ///   template:
    ///     metadata:
    ///       labels: {app: app}
    ///     spec:
    ///       terminationGracePeriodSeconds: 120
    ///       containers:
    ///       - name: app
    ///         image: app:1.4.2
    ///         ports:
    ///         - {name: websocket, containerPort: 8082}
    /// ---
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: app
    /// spec:
    ///   maxUnavailable: 1
    ///   selector:
    ///     matchLabels: {app: app}
    /// ```
    pub struct MissingPdb {
        id: "K8S004",
        name: "missing-pdb",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Add a PodDisruptionBudget with `maxUnavailable: 1` selecting the workload's pods.",
    }
}

impl Rule<K8sDoc> for MissingPdb {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        let all = objects(doc);
        let budgets: Vec<_> = all.iter().filter(|o| o.is("PodDisruptionBudget")).collect();
        for (workload, stream) in streaming_workloads(&all, cx.settings) {
            if !(workload.is("Deployment") || workload.is("StatefulSet")) {
                continue;
            }
            let Some(replicas) = workload.replicas().filter(|r| *r > 1) else { continue };
            let labels = workload.template_labels();
            if budgets.iter().any(|pdb| selects(&pdb.selector_labels(), &labels)) {
                continue;
            }
            let name = workload.name().unwrap_or("?");
            let message = format!(
                "{replicas} replicas of streaming `{name}` and no PodDisruptionBudget: a drain can evict them all at once"
            );
            let span =
                workload.path(&["spec", "replicas"]).map_or(workload.root.span.clone(), |n| n.span.clone());
            let problem = doc.report(cx, self, span, message);
            if stream.heuristic {
                problem.severity = lower(Severity::Warning);
            }
        }
    }
}

//! K8S002: a streaming workload without a preStop hook.

use super::{objects, streaming_workloads};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::K8sDoc;
use crate::lint::{Category, LintContext, Rule, lower};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags the containers of a streaming workload that have no `lifecycle.preStop` hook.
    ///
    /// ## Why is this bad?
    /// Endpoint removal and SIGTERM happen at the same time, so proxies keep sending new streams
    /// to a pod that is already shutting down; a short preStop sleep lets them notice first.
    ///
    /// ## Example
    /// ```kubernetes,invalid
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: app
    /// spec:
    ///   template:
    ///     spec:
    ///       terminationGracePeriodSeconds: 120
    ///       containers:
    ///       - name: app
    ///         image: app:1.4.2
    ///         ports:
    ///         - name: websocket
    ///           containerPort: 8082
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,valid
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: app
    /// spec:
    ///   template:
    ///     spec:
    ///       terminationGracePeriodSeconds: 120
    ///       containers:
    ///       - name: app
    ///         image: app:1.4.2
    ///         ports:
    ///         - name: websocket
    ///           containerPort: 8082
    ///         lifecycle:
    ///           preStop:
    ///             sleep:
    ///               seconds: 10
    /// ```
    pub struct MissingPrestop {
        id: "K8S002",
        name: "missing-prestop",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Add a preStop hook that sleeps 5-10 s (`lifecycle.preStop.sleep.seconds`, or `exec: [sleep, \"10\"]`).",
    }
}

impl Rule<K8sDoc> for MissingPrestop {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        let all = objects(doc);
        for (workload, stream) in streaming_workloads(&all, cx.settings) {
            let name = workload.name().unwrap_or("?");
            let Some(spec) = workload.pod_spec() else { continue };
            let containers =
                workload.doc.get(spec, "containers").map(|c| workload.doc.items(c)).unwrap_or_default();
            for container in containers {
                if workload.doc.path(container, &["lifecycle", "preStop"]).is_some() {
                    continue;
                }
                let at =
                    workload.doc.get(container, "name").map_or(container.span.clone(), |n| n.span.clone());
                let message = format!(
                    "no preStop hook in streaming workload `{name}`: new streams still arrive while it shuts down (streams because {})",
                    stream.reason
                );
                let problem = doc.report(cx, self, at, message);
                if stream.heuristic {
                    problem.severity = lower(Severity::Warning);
                }
            }
        }
    }
}

//! K8S003: a termination grace period too short to drain streams.

use super::{objects, streaming_workloads};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::K8sDoc;
use crate::lint::{Category, LintContext, Rule, lower};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a streaming workload whose `terminationGracePeriodSeconds` is under 60 s, or
    /// missing (the default is 30 s). With `--spec`, the bar is the grace period the spec asks
    /// for (`kubernetes.termination_grace_period`, else its longest stream up to an hour plus
    /// the preStop delay), so a committed manifest that drifted below it is flagged.
    ///
    /// ## Why is this bad?
    /// On every rollout or node drain the kubelet kills the container when the grace period
    /// ends, cutting all its open streams at once. The app needs time to stop accepting streams,
    /// send a reconnect hint (an SSE `retry:` or a WebSocket close frame) and let clients move.
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
    /// ```
    pub struct GracePeriodVsStream {
        id: "K8S003",
        name: "grace-period-vs-stream",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Set `terminationGracePeriodSeconds` to the preStop sleep plus the drain window (120 s or more), and drain streams on SIGTERM.",
    }
}

const MIN_GRACE_SECONDS: u64 = 60;

/// The grace period the spec asks for (its own, or its longest stream plus the preStop delay),
/// when linting with `--spec`.
fn spec_grace_seconds(settings: &crate::lint::Settings) -> Option<u64> {
    let spec = settings.spec.as_ref()?;
    let kubernetes = spec.kubernetes.as_ref()?;
    Some(crate::render::kubernetes::grace_period(spec, kubernetes).as_millis().div_ceil(1000))
}

impl Rule<K8sDoc> for GracePeriodVsStream {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        let all = objects(doc);
        let wanted = spec_grace_seconds(cx.settings);
        for (workload, stream) in streaming_workloads(&all, cx.settings) {
            let Some(spec) = workload.pod_spec() else { continue };
            let setting = workload.doc.get(spec, "terminationGracePeriodSeconds");
            let seconds = setting.and_then(|n| n.text()).and_then(|t| t.parse::<u64>().ok()).unwrap_or(30);
            if seconds >= wanted.unwrap_or(MIN_GRACE_SECONDS) {
                continue;
            }
            let name = workload.name().unwrap_or("?");
            let how = if setting.is_some() { "" } else { " (the default)" };
            let message = match wanted {
                Some(w) => format!(
                    "`{name}` is killed {seconds}s{how} after SIGTERM, but the spec gives streams {w}s to drain (streams because {})",
                    stream.reason
                ),
                None => format!(
                    "`{name}` is killed {seconds}s{how} after SIGTERM, cutting every open stream (streams because {})",
                    stream.reason
                ),
            };
            let span =
                setting.or(workload.kind_node()).map_or(workload.root.span.clone(), |n| n.span.clone());
            let problem = doc.report(cx, self, span, message);
            if stream.heuristic {
                problem.severity = lower(Severity::Warning);
            }
        }
    }
}

//! K8S005: a liveness probe on the aggregate health endpoint.

use super::objects;
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::K8sDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a liveness probe on Spring Boot's aggregate `/actuator/health` (warning), or on the
    /// same path as the readiness probe (info: harmless when that path checks no dependency).
    ///
    /// ## Why is this bad?
    /// The aggregate includes Redis and database checks: when Redis blips, every pod fails
    /// liveness and is restarted at once, dropping all streams. Liveness should only say "this
    /// process is stuck".
    ///
    /// ## Example
    /// ```kubernetes,invalid
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: app:1.4.2
    ///     livenessProbe:
    ///       httpGet: {path: /actuator/health, port: 8081}
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,valid
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: app:1.4.2
    ///     livenessProbe:
    ///       httpGet: {path: /actuator/health/liveness, port: 8081}
    ///     readinessProbe:
    ///       httpGet: {path: /actuator/health/readiness, port: 8081}
    /// ```
    pub struct LivenessAggregateHealth {
        id: "K8S005",
        name: "liveness-aggregate-health",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Probe `/actuator/health/liveness` for liveness and `/actuator/health/readiness` for readiness.",
    }
}

impl Rule<K8sDoc> for LivenessAggregateHealth {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        for object in objects(doc) {
            for container in object.containers() {
                let probes = container.probes();
                let path_of = |kind: &str| probes.iter().find(|p| p.kind == kind).and_then(|p| p.http_path);
                let Some(liveness) = path_of("liveness") else { continue };
                let path = liveness.text().unwrap_or("").trim_end_matches('/');
                let same_as_readiness = path_of("readiness")
                    .and_then(|n| n.text())
                    .is_some_and(|r| r.trim_end_matches('/') == path);
                let message = if path == "/actuator/health" || path == "/health" {
                    format!(
                        "liveness on the aggregate `{path}` restarts every pod when a dependency such as Redis is down"
                    )
                } else if same_as_readiness {
                    format!(
                        "liveness and readiness both probe `{path}`: a dependency outage restarts pods instead of only taking them out of rotation"
                    )
                } else {
                    continue;
                };
                doc.report(cx, self, liveness.span.clone(), message);
            }
        }
    }
}

//! K8S006: a probe aimed at a streaming endpoint.

use super::objects;
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::{K8sDoc, stream_for_path};
use crate::lint::{Category, LintContext, Rule, lower};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags liveness, readiness and startup probes whose HTTP path is a streaming endpoint.
    ///
    /// ## Why is this bad?
    /// A stream does not end, so the probe times out (`timeoutSeconds`) every period: the pod
    /// is marked unready or restarted while it is healthy, and every probe opens one more
    /// long-lived connection.
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
    ///     readinessProbe:
    ///       httpGet: {path: /api/events/stream, port: 8080}
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
    ///     readinessProbe:
    ///       httpGet: {path: /actuator/health/readiness, port: 8081}
    /// ```
    pub struct ProbeOnStreamPath {
        id: "K8S006",
        name: "probe-on-stream-path",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Probe a health endpoint that answers at once (`/actuator/health/readiness`), never a stream.",
    }
}

impl Rule<K8sDoc> for ProbeOnStreamPath {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        for object in objects(doc) {
            for container in object.containers() {
                for probe in container.probes() {
                    let Some(path) = probe.http_path else { continue };
                    let text = path.text().unwrap_or("");
                    if text.contains("/health") || text.contains("actuator") {
                        continue;
                    }
                    let Some(stream) = stream_for_path(cx.settings, text) else { continue };
                    let message = format!(
                        "the {} probe requests the streaming path `{text}`, which never completes (streams because {})",
                        probe.kind, stream.reason
                    );
                    let problem = doc.report(cx, self, path.span.clone(), message);
                    if stream.heuristic {
                        problem.severity = lower(Severity::Warning);
                    }
                }
            }
        }
    }
}

//! CHN005: a probe on a Spring Boot health group that no application config defines.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::chain::Bundle;
use crate::lint::{Category, LintContext, Rule};

declare_rule! {
    /// ## What it does
    /// When the linted files include Spring application configs (`application*.yml`), flags
    /// Kubernetes probes on `/actuator/health/<group>` for a group other than `liveness` and
    /// `readiness` that none of them defines under `management.endpoint.health.group`.
    ///
    /// ## Why is this bad?
    /// An undefined group answers 404, so the probe always fails: as a startup probe it
    /// crash-loops the pod after `failureThreshold × periodSeconds`, as a readiness probe it keeps
    /// the pod out of rotation.
    ///
    /// ## Example
    /// ```text,invalid
    /// deployment.yaml:  startupProbe.httpGet.path: /actuator/health/streaming
    /// application.yml:  management.endpoint.health.group: {}   (no `streaming`)
    /// ```
    ///
    /// Use instead:
    /// ```text,valid
    /// application.yml:  management.endpoint.health.group.streaming.include: ping,redis
    /// ```
    pub struct ProbeUndefinedHealthGroup {
        id: "CHN005",
        name: "probe-undefined-health-group",
        kind: None,
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Define the group (`management.endpoint.health.group.<name>.include`) or probe a built-in group (`liveness`, `readiness`).",
    }
}

impl Rule<Bundle> for ProbeUndefinedHealthGroup {
    fn check(&self, bundle: &Bundle, cx: &mut LintContext<'_>) {
        if !bundle.knows_app_config {
            return;
        }
        for probe in bundle.group_probes.iter().filter(|p| !bundle.health_groups.contains(&p.group)) {
            let message = format!(
                "the {} probe asks for health group `{}`, which no linted application config defines (it answers 404)",
                probe.kind, probe.group
            );
            cx.report(self, &probe.source, probe.span.clone(), message);
        }
    }
}

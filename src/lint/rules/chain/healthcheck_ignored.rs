//! CHN009: an image's HEALTHCHECK run by Kubernetes, which ignores it, with no probes instead.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::chain::Bundle;
use crate::lint::{Category, LintContext, Rule, add_label};

declare_rule! {
    /// ## What it does
    /// When the bundle's only Dockerfile has a `HEALTHCHECK`, flags every Kubernetes container
    /// that runs the image built from it (its repository is the name of a compose service built
    /// from the Dockerfile, or of the Dockerfile's folder) and has no liveness, readiness or
    /// startup probe.
    ///
    /// ## Why is this bad?
    /// Docker and compose run the image's `HEALTHCHECK`; Kubernetes ignores it. The checks the
    /// image was written with never run in the cluster: a hung app stays in the Service and
    /// keeps accepting streams that never send an event, and nothing restarts it.
    ///
    /// ## Example
    /// ```text,invalid
    /// Dockerfile:       HEALTHCHECK CMD curl -fsS http://localhost:8080/actuator/health
    /// deployment.yaml:  containers: [{name: app, image: app:1.4.2}]      (no probes)
    /// ```
    ///
    /// Use instead:
    /// ```text,valid
    /// deployment.yaml:  readinessProbe: {httpGet: {path: /actuator/health/readiness, port: 8080}}
    /// ```
    pub struct HealthcheckIgnored {
        id: "CHN009",
        name: "healthcheck-ignored-by-kubernetes",
        kind: None,
        severity: Severity::Info,
        category: Category::Correctness,
        fix: "Translate the HEALTHCHECK into Kubernetes probes: a readiness probe (out of the Service while it fails) and a liveness probe on a check that excludes dependencies such as Redis.",
    }
}

impl Rule<Bundle> for HealthcheckIgnored {
    fn check(&self, bundle: &Bundle, cx: &mut LintContext<'_>) {
        let Some(image) = bundle.only_image_file() else { return };
        let Some(healthcheck) = &image.healthcheck else { return };
        for container in
            bundle.pod_containers.iter().filter(|c| !c.probed && bundle.runs_built_image(&c.image))
        {
            let message = format!(
                "`{}` runs `{}`, whose HEALTHCHECK Kubernetes ignores, and has no probes: nothing takes it out of the Service or restarts it when it hangs",
                container.workload, container.image
            );
            let problem = cx.report(self, &container.source, container.image_span.clone(), message);
            add_label(problem, Some(&image.source), healthcheck.clone(), "ignored by Kubernetes");
        }
    }
}

//! CHN003: Prometheus targets that nothing in the bundle deploys.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::chain::Bundle;
use crate::lint::{Category, LintContext, Rule};

declare_rule! {
    /// ## What it does
    /// When the linted files include a compose file (with Kubernetes Services, if any), flags
    /// Prometheus scrape and alertmanager targets whose host is none of them, and targets on an
    /// exporter's port (9113 nginx, 9121 Redis, 9187 PostgreSQL, 9104 MySQL, 9100 node) of a
    /// service that runs no exporter.
    ///
    /// ## Why is this bad?
    /// The target stays down: its alerts never fire and its dashboards stay empty, and nothing
    /// says why, since an unreachable target is just one more red line on the targets page.
    ///
    /// ## Example
    /// ```text,invalid
    /// docker-compose.yml:  services: {app, nginx}
    /// prometheus.yml:      targets: ['nginx:9113', 'alertmanager:9093']
    /// ```
    ///
    /// Use instead:
    /// ```text,valid
    /// docker-compose.yml:  services: {app, nginx, nginx-exporter, alertmanager}
    /// prometheus.yml:      targets: ['nginx-exporter:9113', 'alertmanager:9093']
    /// ```
    pub struct ScrapeTargetUndeployed {
        id: "CHN003",
        name: "scrape-target-undeployed",
        kind: None,
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Deploy the exporter (or Alertmanager) as its own service and point the target at it.",
    }
}

const EXPORTER_PORTS: &[(u16, &str)] =
    &[(9113, "nginx"), (9121, "Redis"), (9187, "PostgreSQL"), (9104, "MySQL"), (9100, "node")];

/// Whether a host names something outside the bundle on purpose: an address or a domain name.
fn is_external(host: &str) -> bool {
    host.contains('.')
        || host.contains('$')
        || host == "localhost"
        || host.parse::<std::net::IpAddr>().is_ok()
}

impl Rule<Bundle> for ScrapeTargetUndeployed {
    fn check(&self, bundle: &Bundle, cx: &mut LintContext<'_>) {
        if !bundle.knows_deployments {
            return;
        }
        for target in bundle.targets.iter().filter(|t| !is_external(&t.host)) {
            let deployed = bundle.deployed.iter().find(|d| d.name == target.host);
            let message = match (deployed, target.port) {
                (None, _) => format!(
                    "no service named `{}` is deployed by the linted files, so this target stays down",
                    target.host
                ),
                (Some(d), Some(port)) => {
                    let Some((_, what)) = EXPORTER_PORTS.iter().find(|(p, _)| *p == port) else { continue };
                    if d.image.as_deref().is_none_or(|i| i.contains("exporter")) {
                        continue;
                    }
                    format!(
                        "`{}:{port}` is the {what} exporter's port, but `{}` runs `{}`, not an exporter",
                        target.host,
                        target.host,
                        d.image.as_deref().unwrap_or("?")
                    )
                }
                (Some(_), None) => continue,
            };
            cx.report(self, &target.source, target.span.clone(), message);
        }
    }
}

//! CMP008: an application's management (actuator) port published to the host.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::ComposeDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::compose::{self, Service};
use crate::parse::kind::FileKind;

/// Spring Boot's conventional `management.server.port` when it is split from the app's port.
const CONVENTIONAL_MANAGEMENT_PORT: u16 = 8081;

declare_rule! {
    /// ## What it does
    /// Flags a published port that is the service's management (actuator) port: the spec's
    /// `service.ports.management` for the spec's service (with `--spec`), the port in
    /// `MANAGEMENT_SERVER_PORT`, or 8081 on a service configured through `SPRING_*` or
    /// `MANAGEMENT_*` variables.
    ///
    /// ## Why is this bad?
    /// The management port serves health details, metrics and, depending on the exposure list,
    /// environment, heap dumps or the gateway's route admin. It exists to stay off the public
    /// path: Prometheus and health checks reach it over the Compose network without `ports:`.
    ///
    /// ## Example
    /// ```compose,invalid
    /// services:
    ///   app:
    ///     image: registry.example.com/app:1.4.2
    ///     environment:
    ///       MANAGEMENT_SERVER_PORT: "8081"
    ///     ports:
    ///       - "8080:8080"
    ///       - "8081:8081"
    /// ```
    ///
    /// Use instead:
    /// ```compose,valid
    /// services:
    ///   app:
    ///     image: registry.example.com/app:1.4.2
    ///     environment:
    ///       MANAGEMENT_SERVER_PORT: "8081"
    ///     ports:
    ///       - "8080:8080"
    /// ```
    pub struct PublishedManagementPort {
        id: "CMP008",
        name: "published-management-port",
        kind: Some(FileKind::Compose),
        severity: Severity::Warning,
        category: Category::Security,
        fix: "Remove the management port from `ports:` (scrapers and health checks use the Compose network), or bind it to `127.0.0.1:`.",
    }
}

impl Rule<ComposeDoc> for PublishedManagementPort {
    fn check(&self, doc: &ComposeDoc, cx: &mut LintContext<'_>) {
        for document in &doc.parsed.documents {
            for service in compose::services(document) {
                let Some((port, why)) = management_port(&service, cx) else { continue };
                for published in service.ports().iter().filter(|p| p.is_public()) {
                    if published.target_number() == Some(port) {
                        let message = format!(
                            "management port {port} of `{}` is published to the host ({why})",
                            service.name()
                        );
                        doc.report(cx, self, published.span.clone(), message);
                    }
                }
            }
        }
    }
}

/// The service's management port and how it is known.
fn management_port(service: &Service<'_>, cx: &LintContext<'_>) -> Option<(u16, &'static str)> {
    if let Some(spec) = cx.settings.spec.as_ref().filter(|s| s.service.name.as_str() == service.name()) {
        return Some((spec.service.ports.management, "the spec's service.ports.management"));
    }
    let env = service.environment();
    let explicit =
        env.iter().find(|a| a.key == "MANAGEMENT_SERVER_PORT").and_then(|a| a.value.as_deref()?.parse().ok());
    if let Some(port) = explicit {
        return Some((port, "MANAGEMENT_SERVER_PORT"));
    }
    let spring = env.iter().any(|a| a.key.starts_with("SPRING_") || a.key.starts_with("MANAGEMENT_"));
    spring.then_some((CONVENTIONAL_MANAGEMENT_PORT, "Spring's conventional management port"))
}

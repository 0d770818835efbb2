//! CMP007: waiting only for a datastore to start, not to be ready.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::ComposeDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;
use crate::parse::{compose, image};

declare_rule! {
    /// ## What it does
    /// Flags `depends_on` on a datastore or broker service (Redis, PostgreSQL, MySQL, MongoDB,
    /// Kafka, RabbitMQ) without `condition: service_healthy`.
    ///
    /// ## Why is this bad?
    /// Compose then only waits until the container has started, not until it accepts
    /// connections, so the app's first connections fail during startup.
    ///
    /// ## Example
    /// ```compose,invalid
    /// services:
    ///   app:
    ///     image: app:1.2
    ///     depends_on: [redis]
    ///   redis:
    ///     image: redis:7.4-alpine
    /// ```
    ///
    /// Use instead:
    /// ```compose,valid
    /// services:
    ///   app:
    ///     image: app:1.2
    ///     depends_on:
    ///       redis:
    ///         condition: service_healthy
    ///   redis:
    ///     image: redis:7.4-alpine
    ///     healthcheck:
    ///       test: ["CMD", "redis-cli", "ping"]
    /// ```
    pub struct DependsOnNotReady {
        id: "CMP007",
        name: "depends-on-not-ready",
        kind: Some(FileKind::Compose),
        severity: Severity::Info,
        category: Category::Correctness,
        fix: "Give the datastore a `healthcheck` and depend on it with `condition: service_healthy`.",
    }
}

const DATASTORES: &[&str] =
    &["redis", "valkey", "postgres", "mysql", "mariadb", "mongo", "kafka", "rabbitmq", "zookeeper"];

impl Rule<ComposeDoc> for DependsOnNotReady {
    fn check(&self, doc: &ComposeDoc, cx: &mut LintContext<'_>) {
        for document in &doc.parsed.documents {
            let services = compose::services(document);
            for service in &services {
                for dep in service.depends_on() {
                    let Some(name) = dep.text() else { continue };
                    let Some(target) = services.iter().find(|s| s.name() == name) else { continue };
                    let repository = target
                        .image()
                        .and_then(|n| n.text())
                        .map(|t| image::parse(t).repository().to_string());
                    let is_store = repository.is_some_and(|r| DATASTORES.iter().any(|d| r.starts_with(d)));
                    let healthy =
                        service.depends_on_condition(name).and_then(|n| n.text()) == Some("service_healthy");
                    if is_store && !healthy {
                        let message = format!(
                            "`{}` only waits for `{name}` to start, not to accept connections",
                            service.name()
                        );
                        doc.report(cx, self, dep.span.clone(), message);
                    }
                }
            }
        }
    }
}

//! PRM005: a scrape job aimed at a datastore or an nginx port instead of an exporter.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::PrometheusDoc;
use crate::lint::rules::compose::published_datastore_port::DATASTORE_PORTS;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;
use crate::parse::prometheus;

declare_rule! {
    /// ## What it does
    /// Flags `static_configs` targets on a datastore or broker port (Redis 6379, PostgreSQL
    /// 5432, MySQL 3306, ...) and targets on port 80/443 of a host named like nginx, when the
    /// job scrapes the default `/metrics` path and rewrites no targets.
    ///
    /// ## Why is this bad?
    /// Redis and databases do not speak HTTP and nginx serves no `/metrics`: the target is
    /// permanently down and every alert built on it stays silent.
    ///
    /// ## Example
    /// ```prometheus,invalid
    /// scrape_configs:
    ///   - job_name: redis
    ///     static_configs:
    ///       - targets: ['redis:6379']
    /// ```
    ///
    /// Use instead:
    /// ```prometheus,valid
    /// scrape_configs:
    ///   - job_name: redis
    ///     static_configs:
    ///       - targets: ['redis-exporter:9121']
    /// ```
    pub struct ScrapeNonHttpTarget {
        id: "PRM005",
        name: "scrape-non-http-target",
        kind: Some(FileKind::Prometheus),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Scrape an exporter instead: `redis_exporter` on 9121, `nginx-prometheus-exporter` on 9113, `postgres_exporter` on 9187.",
    }
}

/// Why a `host:port` target is not an HTTP metrics endpoint, if it is not.
fn not_http(target: &str) -> Option<(String, Severity)> {
    let (host, port) = target.rsplit_once(':')?;
    let port: u16 = port.parse().ok()?;
    if let Some((_, store)) = DATASTORE_PORTS.iter().find(|(p, _)| *p == port) {
        return Some((
            format!("`{target}` is {store}'s own port, not an HTTP metrics endpoint"),
            Severity::Error,
        ));
    }
    let nginx_host = host.to_ascii_lowercase().contains("nginx");
    (nginx_host && (port == 80 || port == 443))
        .then(|| (format!("`{target}` is nginx itself, which serves no /metrics"), Severity::Warning))
}

impl Rule<PrometheusDoc> for ScrapeNonHttpTarget {
    fn check(&self, doc: &PrometheusDoc, cx: &mut LintContext<'_>) {
        for document in &doc.parsed.documents {
            for job in prometheus::scrape_jobs(document) {
                let default_path = job.metrics_path().is_none_or(|p| p == "/metrics");
                if !default_path || job.rewrites_targets() {
                    continue;
                }
                for target in job.static_targets() {
                    let Some((message, severity)) = target.text().and_then(not_http) else { continue };
                    doc.report(cx, self, target.span.clone(), message).severity = severity;
                }
            }
        }
    }
}

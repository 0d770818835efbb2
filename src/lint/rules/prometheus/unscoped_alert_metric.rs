//! PRM006: an alert on a metric every target exports, without choosing the target.

use super::{descendants, expressions};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::PrometheusDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;
use promql_parser::parser::Expr;

declare_rule! {
    /// ## What it does
    /// Flags alerts on runtime metrics every client library exports (`process_*`, `go_*`)
    /// that select no `job` or `instance`. (`up == 0` is left alone: watching every target is
    /// what that classic alert is for.)
    ///
    /// ## Why is this bad?
    /// Every scraped target (Prometheus itself included) exports these, so the alert watches the
    /// wrong process or all of them. Spring Boot's Micrometer does not even export
    /// `process_resident_memory_bytes`, so such an alert only ever sees Prometheus's memory.
    ///
    /// ## Example
    /// ```prometheus,invalid
    /// groups:
    /// - name: memory
    ///   rules:
    ///   - alert: AppMemoryHigh
    ///     expr: process_resident_memory_bytes / 1024 / 1024 > 1800
    ///     for: 3m
    /// ```
    ///
    /// Use instead:
    /// ```prometheus,valid
    /// groups:
    /// - name: memory
    ///   rules:
    ///   - alert: AppMemoryHigh
    ///     expr: sum by (instance) (jvm_memory_used_bytes{job="streaming-app"}) / 1024 / 1024 > 1800
    ///     for: 3m
    /// ```
    pub struct UnscopedAlertMetric {
        id: "PRM006",
        name: "unscoped-alert-metric",
        kind: Some(FileKind::Prometheus),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Select the target with `{job=\"...\"}` and use a metric the application exports (e.g. `jvm_memory_used_bytes`).",
    }
}

fn is_generic(name: &str) -> bool {
    name.starts_with("process_") || name.starts_with("go_")
}

impl Rule<PrometheusDoc> for UnscopedAlertMetric {
    fn check(&self, doc: &PrometheusDoc, cx: &mut LintContext<'_>) {
        for (rule, node, _, parsed) in expressions(doc) {
            if rule.alert().is_none() {
                continue;
            }
            let Some(Ok(expr)) = parsed else { continue };
            let unscoped = descendants(expr).into_iter().find_map(|e| {
                match e {
                    Expr::VectorSelector(v) => Some(v),
                    Expr::MatrixSelector(m) => Some(&m.vs),
                    _ => None,
                }
                .filter(|v| {
                    let scoped = v.matchers.matchers.iter().any(|m| m.name == "job" || m.name == "instance");
                    v.name.as_deref().is_some_and(is_generic) && !scoped
                })
            });
            if let Some(selector) = unscoped {
                let name = selector.name.as_deref().unwrap_or("?");
                let message = format!(
                    "`{name}` is exported by every target; without a `job` selector this alert watches all of them"
                );
                doc.report(cx, self, node.span.clone(), message);
            }
        }
    }
}

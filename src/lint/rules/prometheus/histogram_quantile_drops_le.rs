//! PRM002: an aggregation inside `histogram_quantile` that drops the `le` label.

use super::{descendants, histogram_quantile_buckets};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::PrometheusDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;
use promql_parser::parser::{Expr, LabelModifier};

declare_rule! {
    /// ## What it does
    /// Flags `histogram_quantile` whose buckets are aggregated without keeping `le`: `sum(...)`
    /// with no `by`, `sum by (job) (...)`, or `sum without (le) (...)`.
    ///
    /// ## Why is this bad?
    /// `le` is what makes a series a bucket. Without it the function has no buckets to
    /// interpolate and returns nothing, so the alert can never fire.
    ///
    /// ## Example
    /// ```prometheus,invalid
    /// groups:
    /// - name: latency
    ///   rules:
    ///   - record: job:latency:p95
    ///     expr: histogram_quantile(0.95, sum by (job) (rate(http_request_duration_seconds_bucket[5m])))
    /// ```
    ///
    /// Use instead:
    /// ```prometheus,valid
    /// groups:
    /// - name: latency
    ///   rules:
    ///   - record: job:latency:p95
    ///     expr: histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m])))
    /// ```
    pub struct HistogramQuantileDropsLe {
        id: "PRM002",
        name: "histogram-quantile-drops-le",
        kind: Some(FileKind::Prometheus),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Keep `le` in the aggregation: `sum by (le) (...)` or `sum by (job, le) (...)`.",
    }
}

/// Whether an aggregation's grouping keeps the `le` label.
fn keeps_le(modifier: Option<&LabelModifier>) -> bool {
    match modifier {
        None => false,
        Some(LabelModifier::Include(labels)) => labels.labels.iter().any(|l| l == "le"),
        Some(LabelModifier::Exclude(labels)) => !labels.labels.iter().any(|l| l == "le"),
    }
}

impl Rule<PrometheusDoc> for HistogramQuantileDropsLe {
    fn check(&self, doc: &PrometheusDoc, cx: &mut LintContext<'_>) {
        for (node, buckets) in histogram_quantile_buckets(doc) {
            // The outermost aggregation decides which labels reach the function.
            let outer = descendants(buckets).into_iter().find_map(|e| match e {
                Expr::Aggregate(a) => Some(a),
                _ => None,
            });
            if let Some(aggregate) = outer.filter(|a| !keeps_le(a.modifier.as_ref())) {
                let message = format!(
                    "`{}` inside `histogram_quantile` drops the `le` label, so there are no buckets left",
                    aggregate.op
                );
                doc.report(cx, self, node.span.clone(), message);
            }
        }
    }
}

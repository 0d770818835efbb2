//! PRM001: `histogram_quantile` over raw cumulative buckets.

use super::{bare_selectors, histogram_quantile_buckets, is_recorded};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::PrometheusDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `histogram_quantile` whose buckets argument reads a `*_bucket` series directly,
    /// without `rate()`, `irate()` or `increase()` around it.
    ///
    /// ## Why is this bad?
    /// Buckets are counters since the process started, so the quantile covers the whole
    /// lifetime: it barely moves and hides the latency of the last minutes that an alert is
    /// about.
    ///
    /// ## Example
    /// ```prometheus,invalid
    /// groups:
    /// - name: latency
    ///   rules:
    ///   - alert: StreamLatencyHigh
    ///     expr: histogram_quantile(0.95, http_request_duration_seconds_bucket) > 5
    ///     for: 5m
    /// ```
    ///
    /// Use instead:
    /// ```prometheus,valid
    /// groups:
    /// - name: latency
    ///   rules:
    ///   - alert: StreamLatencyHigh
    ///     expr: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 5
    ///     for: 5m
    /// ```
    pub struct HistogramQuantileWithoutRate {
        id: "PRM001",
        name: "histogram-quantile-without-rate",
        kind: Some(FileKind::Prometheus),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Wrap the buckets in `rate(...[5m])` (and aggregate `sum by (le)`): `histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))`.",
    }
}

impl Rule<PrometheusDoc> for HistogramQuantileWithoutRate {
    fn check(&self, doc: &PrometheusDoc, cx: &mut LintContext<'_>) {
        for (node, buckets) in histogram_quantile_buckets(doc) {
            let raw = bare_selectors(buckets)
                .into_iter()
                .filter_map(|v| v.name.as_deref())
                .find(|n| n.ends_with("_bucket") && !is_recorded(n));
            if let Some(name) = raw {
                let message = format!(
                    "`histogram_quantile` over raw `{name}` gives a lifetime quantile; take `rate()` of the buckets"
                );
                doc.report(cx, self, node.span.clone(), message);
            }
        }
    }
}

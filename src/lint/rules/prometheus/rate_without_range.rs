//! PRM003: `rate()` and friends given an instant vector instead of a range.

use super::{expressions, is_missing_range};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::PrometheusDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `rate`, `irate`, `increase` and other range functions called on a selector without
    /// a `[window]`.
    ///
    /// ## Why is this bad?
    /// Prometheus refuses the expression ("expected type range vector"), so the rule file does
    /// not load and none of its alerts run.
    ///
    /// ## Example
    /// ```prometheus,invalid
    /// groups:
    /// - name: errors
    ///   rules:
    ///   - alert: StreamErrors
    ///     expr: rate(stream_errors_total) > 1
    ///     for: 5m
    /// ```
    ///
    /// Use instead:
    /// ```prometheus,valid
    /// groups:
    /// - name: errors
    ///   rules:
    ///   - alert: StreamErrors
    ///     expr: rate(stream_errors_total[5m]) > 1
    ///     for: 5m
    /// ```
    pub struct RateWithoutRange {
        id: "PRM003",
        name: "rate-without-range",
        kind: Some(FileKind::Prometheus),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Give the selector a window of at least four scrape intervals: `rate(x_total[5m])`.",
    }
}

impl Rule<PrometheusDoc> for RateWithoutRange {
    fn check(&self, doc: &PrometheusDoc, cx: &mut LintContext<'_>) {
        for (_, node, _, parsed) in expressions(doc) {
            if let Some(Err(message)) = parsed
                && is_missing_range(message)
            {
                doc.report(
                    cx,
                    self,
                    node.span.clone(),
                    format!("a range function needs a `[window]`: {message}"),
                );
            }
        }
    }
}

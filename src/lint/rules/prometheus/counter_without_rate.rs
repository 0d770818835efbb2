//! PRM007: an alert that compares a raw counter with a threshold.

use super::{bare_selectors, expressions, is_recorded};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::PrometheusDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;
use promql_parser::parser::Expr;

declare_rule! {
    /// ## What it does
    /// Flags alerts whose condition tests whether a `*_total` counter, not wrapped in `rate()`
    /// or `increase()`, is above a threshold. The name is the only evidence that the series is
    /// a counter (some exporters name gauges `*_total`), so this is informational.
    ///
    /// ## Why is this bad?
    /// A counter only grows: the alert fires once the lifetime total passes the threshold and
    /// stays on until the process restarts, whatever happens now.
    ///
    /// ## Example
    /// ```prometheus,invalid
    /// groups:
    /// - name: errors
    ///   rules:
    ///   - alert: WebSocketErrors
    ///     expr: websocket_connection_errors_total > 10
    ///     for: 1m
    /// ```
    ///
    /// Use instead:
    /// ```prometheus,valid
    /// groups:
    /// - name: errors
    ///   rules:
    ///   - alert: WebSocketErrors
    ///     expr: increase(websocket_connection_errors_total[5m]) > 10
    ///     for: 1m
    /// ```
    pub struct CounterWithoutRate {
        id: "PRM007",
        name: "counter-without-rate",
        kind: Some(FileKind::Prometheus),
        severity: Severity::Info,
        category: Category::Correctness,
        fix: "Compare `increase(x_total[5m])` or `rate(x_total[5m])` instead of the raw counter.",
    }
}

impl Rule<PrometheusDoc> for CounterWithoutRate {
    fn check(&self, doc: &PrometheusDoc, cx: &mut LintContext<'_>) {
        for (rule, node, _, parsed) in expressions(doc) {
            if rule.alert().is_none() {
                continue;
            }
            let Some(Ok(expr)) = parsed else { continue };
            let Expr::Binary(binary) = &expr else { continue };
            // `uptime_total < 60` style checks (did it restart?) are meant; only "above" tests
            // grow stuck on a counter.
            let op = binary.op.to_string();
            if !matches!(op.trim(), ">" | ">=") {
                continue;
            }
            let raw = bare_selectors(expr)
                .into_iter()
                .filter_map(|v| v.name.as_deref())
                .find(|n| n.ends_with("_total") && !is_recorded(n));
            if let Some(name) = raw {
                let message = format!(
                    "`{name}` is a counter: comparing its lifetime total keeps the alert firing until a restart"
                );
                doc.report(cx, self, node.span.clone(), message);
            }
        }
    }
}

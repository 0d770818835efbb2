//! The Prometheus rules, one per file, registered in [`crate::lint::registry`], and the PromQL
//! walks they share. promql-parser's AST has no positions, so findings label the `expr:` value.

pub mod alert_without_for;
pub mod counter_without_rate;
pub mod histogram_quantile_drops_le;
pub mod histogram_quantile_without_rate;
pub mod rate_without_range;
pub mod scrape_non_http_target;
pub mod syntax_error;
pub mod unscoped_alert_metric;

pub use alert_without_for::AlertWithoutFor;
pub use counter_without_rate::CounterWithoutRate;
pub use histogram_quantile_drops_le::HistogramQuantileDropsLe;
pub use histogram_quantile_without_rate::HistogramQuantileWithoutRate;
pub use rate_without_range::RateWithoutRange;
pub use scrape_non_http_target::ScrapeNonHttpTarget;
pub use syntax_error::SyntaxError;
pub use unscoped_alert_metric::UnscopedAlertMetric;

use promql_parser::parser::VectorSelector;

/// The direct sub-expressions of an expression.
pub fn children(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::Aggregate(a) => std::iter::once(a.expr.as_ref()).chain(a.param.as_deref()).collect(),
        Expr::Unary(u) => vec![u.expr.as_ref()],
        Expr::Binary(b) => vec![b.lhs.as_ref(), b.rhs.as_ref()],
        Expr::Paren(p) => vec![p.expr.as_ref()],
        Expr::Subquery(s) => vec![s.expr.as_ref()],
        Expr::Call(c) => c.args.args.iter().map(|a| a.as_ref()).collect(),
        _ => Vec::new(),
    }
}

/// Every expression in the tree, parents before children. Iterative, so deep nesting cannot
/// overflow the stack (the parser itself bounds what it accepts).
pub fn descendants(expr: &Expr) -> Vec<&Expr> {
    let mut out = Vec::new();
    let mut stack = vec![expr];
    while let Some(next) = stack.pop() {
        out.push(next);
        stack.extend(children(next).into_iter().rev());
    }
    out
}

/// Functions that turn counters into rates, so raw counters below them are fine.
pub const RANGE_FUNCTIONS: &[&str] =
    &["rate", "irate", "increase", "delta", "idelta", "deriv", "resets", "changes"];

/// Instant-vector selectors that no range function wraps, with the selector.
pub fn bare_selectors(expr: &Expr) -> Vec<&VectorSelector> {
    let mut out = Vec::new();
    let mut stack = vec![expr];
    while let Some(next) = stack.pop() {
        match next {
            Expr::VectorSelector(v) => out.push(v),
            Expr::Call(c) if RANGE_FUNCTIONS.contains(&c.func.name) => {}
            Expr::Subquery(_) => {}
            other => stack.extend(children(other)),
        }
    }
    out
}

/// Whether a metric name is a recording rule's output (`job:metric:rate5m`), already processed.
pub fn is_recorded(name: &str) -> bool {
    name.contains(':')
}

use crate::lint::kinds::PrometheusDoc;
use crate::parse::prometheus::{self, Rule};
use crate::parse::yaml::Node;
use promql_parser::parser::Expr;

/// A rule, its `expr` node and text, and the PromQL parse (`None` when templated).
pub type Expression<'a> = (Rule<'a>, &'a Node, &'a str, Option<&'a Result<Expr, String>>);

/// Every rule's `expr` node and text, in every document of the file, with its PromQL parse
/// (`None` when templated).
pub fn expressions(doc: &PrometheusDoc) -> Vec<Expression<'_>> {
    doc.parsed
        .documents
        .iter()
        .flat_map(prometheus::rules)
        .filter_map(|rule| {
            let expr = rule.expr()?;
            Some((rule, expr, expr.text()?, doc.promql(expr.span.start)))
        })
        .collect()
}

/// Every `histogram_quantile(q, buckets)` call in the file's parsed rules: the rule's `expr` node
/// (where findings go, since the parser keeps no positions) and the buckets argument.
pub fn histogram_quantile_buckets(doc: &PrometheusDoc) -> Vec<(&Node, &Expr)> {
    let mut out = Vec::new();
    for (_, node, _, parsed) in expressions(doc) {
        let Some(Ok(expr)) = parsed else { continue };
        for inner in descendants(expr) {
            if let Expr::Call(call) = inner
                && call.func.name == "histogram_quantile"
                && let Some(buckets) = call.args.args.get(1)
            {
                out.push((node, buckets.as_ref()));
            }
        }
    }
    out
}

/// promql-parser's message for a function given an instant vector where it needs a range
/// (`rate(x)`), which PRM003 explains better than a generic parse error.
pub fn is_missing_range(message: &str) -> bool {
    message.contains("expected type matrix in call to function")
}

//! The prometheus rules, one per file, registered in [`crate::lint::registry`].

pub mod syntax_error;

pub use syntax_error::SyntaxError;

use crate::lint::kinds::PrometheusDoc;
use crate::parse::prometheus::{self, Rule};
use crate::parse::yaml::Node;

/// Every rule's `expr` node and text, in every document of the file.
pub fn expressions(doc: &PrometheusDoc) -> Vec<(Rule<'_>, &Node, &str)> {
    doc.parsed
        .documents
        .iter()
        .flat_map(prometheus::rules)
        .filter_map(|rule| {
            let expr = rule.expr()?;
            Some((rule, expr, expr.text()?))
        })
        .collect()
}

/// promql-parser's message for a function given an instant vector where it needs a range
/// (`rate(x)`), which PRM003 explains better than a generic parse error.
pub fn is_missing_range(message: &str) -> bool {
    message.contains("expected type matrix in call to function")
}

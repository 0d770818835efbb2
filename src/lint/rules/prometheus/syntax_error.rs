//! PRM000: what the prometheus parser could not read.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::PrometheusDoc;
use crate::lint::kinds::report_yaml_errors;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports YAML that Prometheus cannot load (syntax errors, duplicate keys) and PromQL that does not parse.
    ///
    /// ## Why is this bad?
    /// Prometheus refuses a config or rule file it cannot read strictly, and keeps the previous one
    /// on reload: new alerts silently never load.
    ///
    /// ## Example
    /// ```prometheus,invalid
    /// groups:
    /// - name: a
    ///   rules:
    ///   - alert: Up
    ///     expr: up == 0)
    /// ```
    ///
    /// Use instead:
    /// ```prometheus,valid
    /// groups:
    /// - name: a
    ///   rules:
    ///   - alert: Down
    ///     expr: up == 0
    ///     for: 5m
    /// ```
    pub struct SyntaxError {
        id: "PRM000",
        name: "prometheus-syntax-error",
        kind: Some(FileKind::Prometheus),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Fix the file; `promtool check rules` / `promtool check config` give the same verdict.",
    }
}

impl Rule<PrometheusDoc> for SyntaxError {
    fn check(&self, doc: &PrometheusDoc, cx: &mut LintContext<'_>) {
        report_yaml_errors(doc, cx, self, true);
        for (_, expr, _, parsed) in crate::lint::rules::prometheus::expressions(doc) {
            if let Some(Err(message)) = parsed
                && !crate::lint::rules::prometheus::is_missing_range(message)
            {
                doc.report(cx, self, expr.span.clone(), format!("PromQL does not parse: {message}"));
            }
        }
    }
}

//! PRM004: an alert that fires on the first bad sample.

use super::expressions;
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::PrometheusDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags alerting rules without a `for:` duration.
    ///
    /// ## Why is this bad?
    /// The alert fires on a single evaluation, so one slow scrape or one burst of reconnects
    /// during a rollout pages someone; streaming metrics (open connections, latency) are spiky.
    /// Write `for: 0s` if firing at once is really meant.
    ///
    /// ## Example
    /// ```prometheus,invalid
    /// groups:
    /// - name: streams
    ///   rules:
    ///   - alert: TooManyStreams
    ///     expr: sum(streaming_active_connections) > 800
    /// ```
    ///
    /// Use instead:
    /// ```prometheus,valid
    /// groups:
    /// - name: streams
    ///   rules:
    ///   - alert: TooManyStreams
    ///     expr: sum(streaming_active_connections) > 800
    ///     for: 2m
    /// ```
    pub struct AlertWithoutFor {
        id: "PRM004",
        name: "alert-without-for",
        kind: Some(FileKind::Prometheus),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Add `for:` (a few evaluation intervals, e.g. `2m`), or `for: 0s` to say that firing at once is intended.",
    }
}

impl Rule<PrometheusDoc> for AlertWithoutFor {
    fn check(&self, doc: &PrometheusDoc, cx: &mut LintContext<'_>) {
        for (rule, ..) in expressions(doc) {
            let Some(alert) = rule.alert() else { continue };
            if rule.for_().is_none() {
                let name = alert.text().unwrap_or("?");
                doc.report(
                    cx,
                    self,
                    alert.span.clone(),
                    format!("alert `{name}` has no `for:` and fires on the first bad evaluation"),
                );
            }
        }
    }
}

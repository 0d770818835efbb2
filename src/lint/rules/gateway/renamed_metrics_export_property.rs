//! GW008: a Spring Boot 2 metrics export property that Boot 3 ignores.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::GatewayDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::gateway::properties;
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `management.metrics.export.<registry>` settings.
    ///
    /// ## Why is this bad?
    /// Spring Boot 3 renamed them to `management.<registry>.metrics.export`, and the old keys
    /// are ignored without a warning: the Prometheus endpoint quietly stays off.
    ///
    /// ## Example
    /// ```gateway,invalid
    /// management:
    ///   metrics:
    ///     export:
    ///       prometheus:
    ///         enabled: true
    /// ```
    ///
    /// Use instead:
    /// ```gateway,valid
    /// management:
    ///   prometheus:
    ///     metrics:
    ///       export:
    ///         enabled: true
    /// ```
    pub struct RenamedMetricsExportProperty {
        id: "GW008",
        name: "renamed-metrics-export-property",
        kind: Some(FileKind::Gateway),
        severity: Severity::Warning,
        category: Category::Deprecation,
        fix: "Use `management.<registry>.metrics.export.*` (Spring Boot 3), and list the endpoint in the exposure include list.",
    }
}

impl Rule<GatewayDoc> for RenamedMetricsExportProperty {
    fn check(&self, doc: &GatewayDoc, cx: &mut LintContext<'_>) {
        for (document, node) in properties(&doc.parsed, "management.metrics.export") {
            for entry in document.entries(node) {
                let Some(registry) = entry.key.as_str() else { continue };
                let message = format!(
                    "`management.metrics.export.{registry}` is ignored by Spring Boot 3; use `management.{registry}.metrics.export`"
                );
                doc.report(cx, self, entry.key.span.clone(), message);
            }
        }
    }
}

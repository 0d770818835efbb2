//! GW007: the gateway actuator endpoint exposed over HTTP.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::GatewayDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::gateway::properties;
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `management.endpoints.web.exposure.include` containing `gateway` or `*` while the
    /// gateway endpoint is not disabled.
    ///
    /// ## Why is this bad?
    /// The endpoint lets callers create, change and refresh routes; on Spring Cloud Gateway
    /// before 3.1.1 / 3.0.7 it allowed remote code execution (CVE-2022-22947).
    ///
    /// ## Example
    /// ```gateway,invalid
    /// management:
    ///   endpoints:
    ///     web:
    ///       exposure:
    ///         include: health,info,gateway
    /// ```
    ///
    /// Use instead:
    /// ```gateway,valid
    /// management:
    ///   endpoints:
    ///     web:
    ///       exposure:
    ///         include: health,info,prometheus
    /// ```
    pub struct ActuatorGatewayExposed {
        id: "GW007",
        name: "actuator-gateway-exposed",
        kind: Some(FileKind::Gateway),
        severity: Severity::Warning,
        category: Category::Security,
        fix: "Drop `gateway` from the exposure list, or serve actuator on a separate management port behind authentication.",
    }
}

impl Rule<GatewayDoc> for ActuatorGatewayExposed {
    fn check(&self, doc: &GatewayDoc, cx: &mut LintContext<'_>) {
        let disabled = properties(&doc.parsed, "management.endpoint.gateway.enabled")
            .iter()
            .any(|(_, n)| n.text() == Some("false"));
        if disabled {
            return;
        }
        for (document, node) in properties(&doc.parsed, "management.endpoints.web.exposure.include") {
            let items: Vec<&str> = match node.text() {
                Some(text) => text.split(',').map(str::trim).collect(),
                None => document.items(node).into_iter().filter_map(|n| n.text()).collect(),
            };
            if items.iter().any(|i| *i == "gateway" || *i == "*") {
                doc.report(
                    cx,
                    self,
                    node.span.clone(),
                    "the `gateway` actuator endpoint is exposed: callers can change and refresh routes",
                );
            }
        }
    }
}

//! GW009: gateway settings under the prefix that Spring Cloud Gateway 4.3 moved.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::GatewayDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::gateway::properties;
use crate::parse::kind::FileKind;

/// Settings that moved from `spring.cloud.gateway.*` to `spring.cloud.gateway.server.webflux.*`.
const MOVED: &[&str] = &[
    "routes",
    "default-filters",
    "httpclient",
    "globalcors",
    "discovery",
    "redis-rate-limiter",
    "x-forwarded",
    "forwarded",
    "streaming-media-types",
];

declare_rule! {
    /// ## What it does
    /// Flags gateway settings (`routes`, `default-filters`, `httpclient`, `globalcors`, ...) under
    /// `spring.cloud.gateway` when the gateway is 4.3 or later (the spec's
    /// `versions.spring_cloud_gateway` with `--spec`, else the current release).
    ///
    /// ## Why is this bad?
    /// Spring Cloud Gateway 4.3 (Spring Cloud 2025.0) moved the WebFlux server's settings to
    /// `spring.cloud.gateway.server.webflux`. The old names are deprecated and some are silently
    /// ignored (`default-filters`, spring-cloud-gateway #3817), so a stream route's timeouts or
    /// filters may quietly stop applying after an upgrade.
    ///
    /// ## Example
    /// ```gateway,invalid
    /// spring:
    ///   cloud:
    ///     gateway:
    ///       routes:
    ///         - id: stream
    ///           uri: lb://chat
    ///           predicates: [Path=/llm/stream]
    /// ```
    ///
    /// Use instead:
    /// ```gateway,valid
    /// spring:
    ///   cloud:
    ///     gateway:
    ///       server:
    ///         webflux:
    ///           routes:
    ///             - id: stream
    ///               uri: lb://chat
    ///               predicates: [Path=/llm/stream]
    /// ```
    pub struct LegacyPropertyPrefix {
        id: "GW009",
        name: "legacy-property-prefix",
        kind: Some(FileKind::Gateway),
        severity: Severity::Warning,
        category: Category::Deprecation,
        fix: "Move the settings under `spring.cloud.gateway.server.webflux` (or declare the older gateway version in the spec).",
    }
}

impl Rule<GatewayDoc> for LegacyPropertyPrefix {
    fn check(&self, doc: &GatewayDoc, cx: &mut LintContext<'_>) {
        let targets_new_prefix = cx.settings.spec.as_ref().is_none_or(|s| {
            s.versions.spring_cloud_gateway.at_least(crate::spec::types::Version::new(4, 3, 0))
        });
        if !targets_new_prefix {
            return;
        }
        for setting in MOVED {
            for (_, node) in properties(&doc.0.parsed, &format!("spring.cloud.gateway.{setting}")) {
                let message = format!(
                    "`spring.cloud.gateway.{setting}` is the pre-4.3 name; Spring Cloud Gateway 4.3+ reads `spring.cloud.gateway.server.webflux.{setting}`"
                );
                doc.0.report(cx, self, node.span.clone(), message);
            }
        }
    }
}

//! GW004: a long global `response-timeout` meant for streams.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::{GatewayDoc, format_ms};
use crate::lint::{Category, LintContext, Rule};
use crate::parse::gateway::{GATEWAY_PREFIXES, parse_duration_ms, properties};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a global `httpclient.response-timeout` of 5 minutes or more.
    ///
    /// ## Why is this bad?
    /// In the WebFlux gateway this timer only bounds the wait for the response headers; a
    /// stream that has started is not covered by it at all. A long global value therefore
    /// protects no stream and lets hung calls on every other route hang for as long.
    ///
    /// ## Example
    /// ```gateway,invalid
    /// spring:
    ///   cloud:
    ///     gateway:
    ///       httpclient:
    ///         response-timeout: 3600s
    /// ```
    ///
    /// Use instead:
    /// ```gateway,valid
    /// spring:
    ///   cloud:
    ///     gateway:
    ///       httpclient:
    ///         response-timeout: 30s
    /// ```
    pub struct ResponseTimeoutSemantics {
        id: "GW004",
        name: "response-timeout-semantics",
        kind: Some(FileKind::Gateway),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Keep the global value short; for a slow-first-byte stream route set `metadata.response-timeout` on that route (ms, negative disables it).",
    }
}

impl Rule<GatewayDoc> for ResponseTimeoutSemantics {
    fn check(&self, doc: &GatewayDoc, cx: &mut LintContext<'_>) {
        for prefix in GATEWAY_PREFIXES {
            for (_, node) in properties(&doc.parsed, &format!("{prefix}.httpclient.response-timeout")) {
                let Some(ms) = node.text().and_then(|t| parse_duration_ms(t, 1)) else { continue };
                if ms >= 5 * 60_000 {
                    let message = format!(
                        "`response-timeout: {}` only bounds the wait for response headers, not a stream; every other route may now hang that long",
                        format_ms(ms)
                    );
                    doc.report(cx, self, node.span.clone(), message);
                }
            }
        }
    }
}

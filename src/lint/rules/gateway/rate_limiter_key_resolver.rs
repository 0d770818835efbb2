//! GW006: a rate limiter without a key resolver.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::GatewayDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::gateway;
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `RequestRateLimiter` filters with no `key-resolver` argument.
    ///
    /// ## Why is this bad?
    /// The default resolver keys on the authenticated principal, and requests without a key are
    /// denied (`deny-empty-key` is true): anonymous clients get 403 on every request.
    ///
    /// ## Example
    /// ```gateway,invalid
    /// spring:
    ///   cloud:
    ///     gateway:
    ///       routes:
    ///         - id: api
    ///           uri: lb://api
    ///           filters:
    ///             - name: RequestRateLimiter
    ///               args:
    ///                 redis-rate-limiter.replenishRate: 10
    /// ```
    ///
    /// Use instead:
    /// ```gateway,valid
    /// spring:
    ///   cloud:
    ///     gateway:
    ///       routes:
    ///         - id: api
    ///           uri: lb://api
    ///           filters:
    ///             - name: RequestRateLimiter
    ///               args:
    ///                 redis-rate-limiter.replenishRate: 10
    ///                 key-resolver: "#{@userKeyResolver}"
    /// ```
    pub struct RateLimiterKeyResolver {
        id: "GW006",
        name: "rate-limiter-key-resolver",
        kind: Some(FileKind::Gateway),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Set `key-resolver` to a resolver bean (`#{@userKeyResolver}`), or set `deny-empty-key` deliberately.",
    }
}

impl Rule<GatewayDoc> for RateLimiterKeyResolver {
    fn check(&self, doc: &GatewayDoc, cx: &mut LintContext<'_>) {
        for route in gateway::routes(&doc.parsed) {
            for filter in route.filters.iter().filter(|f| f.is("RequestRateLimiter")) {
                if filter.arg(route.doc, "key-resolver").is_none() && filter.shortcut_args.is_empty() {
                    let message = "`RequestRateLimiter` without `key-resolver` denies every request that has no principal (403)";
                    doc.report(cx, self, filter.name_span.clone(), message);
                }
            }
        }
    }
}

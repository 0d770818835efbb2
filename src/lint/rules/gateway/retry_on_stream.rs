//! GW002: a Retry filter on a streaming route.

use super::route_stream;
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::GatewayDoc;
use crate::lint::{Category, LintContext, Rule, lower};
use crate::parse::gateway;
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a `Retry` filter (on the route or in `default-filters`) that applies to a streaming
    /// route. Retrying POST is an error, other methods a warning.
    ///
    /// ## Why is this bad?
    /// A retry replays the generation request on another instance, duplicating its cost and
    /// side effects; the body has to be cached for it; and nothing can be retried once the
    /// stream has started, so it only helps before the first byte.
    ///
    /// ## Example
    /// ```gateway,invalid
    /// spring:
    ///   cloud:
    ///     gateway:
    ///       routes:
    ///         - id: chat
    ///           uri: lb://chat
    ///           predicates:
    ///             - Path=/api/chat/stream
    ///           filters:
    ///             - name: Retry
    ///               args:
    ///                 methods: POST
    /// ```
    ///
    /// Use instead:
    /// ```gateway,valid
    /// spring:
    ///   cloud:
    ///     gateway:
    ///       routes:
    ///         - id: chat
    ///           uri: lb://chat
    ///           predicates:
    ///             - Path=/api/chat/stream
    /// ```
    pub struct RetryOnStream {
        id: "GW002",
        name: "retry-on-stream",
        kind: Some(FileKind::Gateway),
        severity: Severity::Error,
        category: Category::Streaming,
        fix: "Do not retry streaming routes in the gateway; let clients resume with `Last-Event-ID` and send idempotency keys.",
    }
}

impl Rule<GatewayDoc> for RetryOnStream {
    fn check(&self, doc: &GatewayDoc, cx: &mut LintContext<'_>) {
        let defaults = gateway::default_filters(&doc.parsed);
        for route in gateway::routes(&doc.parsed) {
            let Some(stream) = route_stream(&route, cx.settings) else { continue };
            let own = route.filters.iter().map(|f| (route.doc, f));
            let inherited = defaults.iter().map(|(d, f)| (*d, f));
            for (document, filter) in own.chain(inherited).filter(|(_, f)| f.is("Retry")) {
                let post = filter.mentions(document, "post") || filter.mentions(document, "patch");
                let severity = if post { Severity::Error } else { Severity::Warning };
                let what = if post { "retries POST on" } else { "retries" };
                let id = route.id().unwrap_or("?");
                let message = format!(
                    "`Retry` {what} streaming route `{id}`, replaying the generation (streams because {})",
                    stream.reason
                );
                let problem = doc.report(cx, self, filter.name_span.clone(), message);
                problem.severity = if stream.heuristic { lower(severity) } else { severity };
            }
        }
    }
}

//! GW003: a circuit breaker whose time limiter cancels long responses.

use super::route_stream;
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::{GatewayDoc, format_ms};
use crate::lint::{Category, LintContext, Rule, lower};
use crate::parse::gateway::{self, Component, parse_duration_ms, properties};
use crate::parse::kind::FileKind;
use crate::parse::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Flags a `CircuitBreaker` filter whose Resilience4J time limiter (the instance named by
    /// the filter, else the default config, else the built-in 1 s) is shorter than a stream may
    /// last (the spec endpoint's `max_duration`, else an hour). On a streaming route it is an
    /// error; on other routes with no time limiter configured at all, a warning.
    ///
    /// ## Why is this bad?
    /// The time limiter wraps the whole exchange and defaults to 1 s: every stream is cancelled
    /// after a second and the fallback runs; WebSockets get 504s. On ordinary routes, every call
    /// slower than a second fails.
    ///
    /// ## Example
    /// ```gateway,invalid
    /// spring:
    ///   cloud:
    ///     gateway:
    ///       routes:
    ///         - id: events
    ///           uri: lb://events
    ///           predicates:
    ///             - Path=/events/stream
    ///           filters:
    ///             - CircuitBreaker=events
    /// ```
    ///
    /// Use instead:
    /// ```gateway,valid
    /// spring:
    ///   cloud:
    ///     gateway:
    ///       routes:
    ///         - id: events
    ///           uri: lb://events
    ///           predicates:
    ///             - Path=/events/stream
    /// ```
    pub struct CircuitBreakerOnStream {
        id: "GW003",
        name: "circuit-breaker-on-stream",
        kind: Some(FileKind::Gateway),
        severity: Severity::Error,
        category: Category::Streaming,
        fix: "Remove the breaker from streaming routes, or give its time limiter `timeout-duration` longer than the longest stream (or disable it).",
    }
}

/// The longest a stream is assumed to last when the spec does not say: one hour.
const ASSUMED_STREAM_MS: u64 = 3_600_000;
/// Resilience4J's default `timeout-duration`.
const DEFAULT_LIMIT_MS: u64 = 1_000;

/// The longest a stream on one of `paths` may last: the matching spec endpoint's
/// `max_duration`, else [`ASSUMED_STREAM_MS`].
fn max_stream_ms(settings: &crate::lint::Settings, paths: &[&str]) -> u64 {
    let clean = |p: &str| p.trim_end_matches("**").trim_end_matches('/').to_string();
    let endpoints = settings.spec.iter().flat_map(|s| s.endpoints.iter());
    endpoints
        .filter(|e| {
            paths.iter().any(|p| {
                clean(p).starts_with(&clean(e.path.as_str())) || clean(e.path.as_str()).starts_with(&clean(p))
            })
        })
        .map(|e| e.max_duration.as_millis())
        .max()
        .unwrap_or(ASSUMED_STREAM_MS)
}

/// The breaker instance a filter names (`CircuitBreaker=name` or `args: {name: ...}`).
fn breaker_name(doc: &crate::parse::yaml::Document, filter: &Component<'_>) -> Option<String> {
    filter
        .shortcut_args
        .first()
        .cloned()
        .or_else(|| filter.arg(doc, "name").and_then(Node::text).map(str::to_string))
}

/// The configured time limit for a breaker instance: its own, the default config's, or none.
fn configured_limit(file: &crate::parse::yaml::YamlFile, name: Option<&str>) -> Option<u64> {
    let disabled = properties(file, "spring.cloud.circuitbreaker.resilience4j.disable-time-limiter")
        .iter()
        .any(|(_, n)| n.text() == Some("true"));
    if disabled {
        return Some(u64::MAX);
    }
    let own = name.map(|n| format!("resilience4j.timelimiter.instances.{n}.timeout-duration"));
    let keys =
        own.into_iter().chain(["resilience4j.timelimiter.configs.default.timeout-duration".to_string()]);
    keys.into_iter().find_map(|key| {
        properties(file, &key).into_iter().find_map(|(_, n)| n.text().and_then(|t| parse_duration_ms(t, 1)))
    })
}

/// The time limit a `CircuitBreaker` filter puts on every exchange of its route, in ms; `None`
/// when the time limiter is disabled.
pub fn breaker_limit_ms(
    file: &crate::parse::yaml::YamlFile,
    doc: &crate::parse::yaml::Document,
    filter: &Component<'_>,
) -> Option<u64> {
    let limit = configured_limit(file, breaker_name(doc, filter).as_deref()).unwrap_or(DEFAULT_LIMIT_MS);
    (limit != u64::MAX).then_some(limit)
}

impl Rule<GatewayDoc> for CircuitBreakerOnStream {
    fn check(&self, doc: &GatewayDoc, cx: &mut LintContext<'_>) {
        for route in gateway::routes(&doc.parsed) {
            let stream = route_stream(&route, cx.settings);
            let longest = max_stream_ms(cx.settings, &route.paths());
            for filter in route.filters.iter().filter(|f| f.is("CircuitBreaker")) {
                let name = breaker_name(route.doc, filter);
                let configured = configured_limit(&doc.parsed, name.as_deref());
                let limit = configured.unwrap_or(DEFAULT_LIMIT_MS);
                let id = route.id().unwrap_or("?");
                let (message, severity) = match &stream {
                    Some(s) if limit < longest => (
                        format!(
                            "the circuit breaker's time limiter cancels streams of `{id}` after {}, before the {} a stream may last (streams because {})",
                            format_ms(limit),
                            format_ms(longest),
                            s.reason
                        ),
                        if s.heuristic { lower(Severity::Error) } else { Severity::Error },
                    ),
                    None if configured.is_none() => (
                        format!("no time limiter is configured, so calls to `{id}` slower than 1s fail"),
                        Severity::Warning,
                    ),
                    _ => continue,
                };
                doc.report(cx, self, filter.name_span.clone(), message).severity = severity;
            }
        }
    }
}

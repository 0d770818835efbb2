//! Spring Cloud Gateway: one `application.yml` with a single `spring:` tree, the property prefix of
//! the target gateway version, and routes that treat streams differently: no retry, no body
//! rewriting and no circuit breaker (unless asked for with a long enough time limit) on a stream,
//! and no global response timeout cutting it.

use super::Output;
use crate::spec::Spec;
use crate::spec::model::{Gateway, RetryStatus, Route};
use crate::spec::types::Version;
use serde::Serialize;

pub fn outputs(spec: &Spec) -> Vec<Output> {
    if spec.gateway.is_none() {
        return Vec::new();
    }
    vec![Output::new("gateway/application.yml", "gateway/application.yml.j2")]
}

#[derive(Debug, Serialize)]
struct GatewayCtx {
    /// `spring.cloud.gateway.server.webflux.*` (4.3+) rather than `spring.cloud.gateway.*`.
    webflux_prefix: bool,
    management_port: u16,
    connect_timeout_ms: u64,
    response_timeout: String,
    pool_max_idle_time: String,
    redis: Option<RedisCtx>,
    routes: Vec<RouteCtx>,
    /// The breaker instance, when any route uses it: its time limiter must be configured.
    breaker: Option<BreakerCtx>,
    /// `lb://` names of the spec's own service, resolved without a discovery server.
    discovery: Vec<DiscoveryCtx>,
}

#[derive(Debug, Serialize)]
struct RedisCtx {
    port: u16,
    password_env: Option<String>,
}

#[derive(Debug, Serialize)]
struct RouteCtx {
    id: String,
    uri: String,
    path: String,
    order: usize,
    /// The endpoint paths this route carries streams for (empty for ordinary routes).
    streams: Vec<String>,
    circuit_breaker: bool,
    retry: Option<RetryCtx>,
    rate_limit: bool,
}

#[derive(Debug, Serialize)]
struct RetryCtx {
    retries: u32,
    methods: String,
    statuses: String,
}

#[derive(Debug, Serialize)]
struct BreakerCtx {
    name: String,
    fallback_uri: Option<String>,
    time_limit: String,
}

#[derive(Debug, Serialize)]
struct DiscoveryCtx {
    service: String,
    uri: String,
}

pub fn context(spec: &Spec) -> serde_json::Value {
    let Some(g) = &spec.gateway else { return serde_json::Value::Null };
    let routes = routes(spec, g);
    let breaker = g.circuit_breaker.as_ref().filter(|_| routes.iter().any(|r| r.circuit_breaker)).map(|cb| {
        BreakerCtx {
            name: cb.name.to_string(),
            fallback_uri: cb.fallback_uri.as_ref().map(|u| u.to_string()),
            time_limit: cb.time_limit.to_string(),
        }
    });
    let ctx = GatewayCtx {
        webflux_prefix: spec.versions.spring_cloud_gateway.at_least(Version::new(4, 3, 0)),
        management_port: g.port.checked_add(1).unwrap_or(g.port.saturating_sub(1)),
        connect_timeout_ms: g.http_client.connect_timeout.as_millis(),
        response_timeout: g.http_client.response_timeout.to_string(),
        pool_max_idle_time: g.http_client.pool_max_idle_time.to_string(),
        redis: (g.rate_limit.is_some() || spec.redis.is_some()).then(|| RedisCtx {
            port: spec.redis.as_ref().map_or(6379, |r| r.port),
            password_env: spec.redis.as_ref().map(|r| r.password.env.to_string()),
        }),
        discovery: discovery(spec, g),
        routes,
        breaker,
    };
    serde_json::to_value(ctx).unwrap_or(serde_json::Value::Null)
}

/// A route path as a plain prefix: `/web/api/**` → `/web/api`, `/api/stream/` → `/api/stream`.
fn prefix(path: &str) -> &str {
    path.trim_end_matches("/**").trim_end_matches("/*").trim_end_matches('/')
}

/// True when `inner` is `outer` or lies below it, segment by segment.
fn under(inner: &str, outer: &str) -> bool {
    outer.is_empty() || inner == outer || inner.strip_prefix(outer).is_some_and(|rest| rest.starts_with('/'))
}

/// The endpoints a route carries as streams: those it is dedicated to (its path lies at or below
/// the endpoint's), and those it covers (the endpoint lies below it) when no dedicated route
/// exists, since a broad route would then receive the stream itself.
fn stream_paths(spec: &Spec, g: &Gateway, route: &Route) -> Vec<String> {
    let rp = prefix(route.path.as_str());
    spec.endpoints
        .iter()
        .filter(|e| {
            let ep = prefix(e.path.as_str());
            let dedicated = under(rp, ep);
            let covered = under(ep, rp);
            let has_dedicated = g.routes.iter().any(|r| under(prefix(r.path.as_str()), ep));
            dedicated || (covered && !has_dedicated)
        })
        .map(|e| e.path.to_string())
        .collect()
}

fn routes(spec: &Spec, g: &Gateway) -> Vec<RouteCtx> {
    let cb_on_streams = g.circuit_breaker.as_ref().is_some_and(|cb| cb.on_streams);
    let mut list: Vec<RouteCtx> = g
        .routes
        .iter()
        .map(|r| {
            let streams = stream_paths(spec, g, r);
            let stream = !streams.is_empty();
            RouteCtx {
                id: r.id.to_string(),
                uri: r.uri.to_string(),
                path: r.path.to_string(),
                order: 0,
                circuit_breaker: g.circuit_breaker.is_some() && (!stream || cb_on_streams),
                retry: if stream { None } else { g.retry.as_ref().and_then(retry) },
                rate_limit: g.rate_limit.is_some(),
                streams,
            }
        })
        .collect();
    // Streaming routes first: a broader route such as /web/api/** would otherwise match a stream
    // before its own route does. The sort is stable, so spec order holds within each group.
    list.sort_by_key(|r| r.streams.is_empty());
    for (i, r) in list.iter_mut().enumerate() {
        r.order = i;
    }
    list
}

/// Retry of idempotent methods only (a replayed POST is a second, billed generation), on the
/// listed statuses only.
fn retry(r: &crate::spec::model::Retry) -> Option<RetryCtx> {
    let methods: Vec<&str> = r.methods.iter().filter(|m| m.is_idempotent()).map(|m| m.as_str()).collect();
    if methods.is_empty() {
        return None;
    }
    let statuses: Vec<&str> = r.statuses.iter().map(|s| status_name(*s)).collect();
    Some(RetryCtx { retries: r.retries, methods: methods.join(","), statuses: statuses.join(",") })
}

fn status_name(s: RetryStatus) -> &'static str {
    match s {
        RetryStatus::BadGateway => "BAD_GATEWAY",
        RetryStatus::ServiceUnavailable => "SERVICE_UNAVAILABLE",
        RetryStatus::GatewayTimeout => "GATEWAY_TIMEOUT",
        RetryStatus::InternalServerError => "INTERNAL_SERVER_ERROR",
    }
}

/// `lb://<service>` routes to the spec's own service, resolved through Spring Cloud's simple
/// discovery client to the service name, which compose and Kubernetes DNS resolve to every
/// replica.
fn discovery(spec: &Spec, g: &Gateway) -> Vec<DiscoveryCtx> {
    let name = spec.service.name.as_str();
    let uses_own = g.routes.iter().any(|r| r.uri.as_str() == format!("lb://{name}"));
    if !uses_own {
        return Vec::new();
    }
    vec![DiscoveryCtx {
        service: name.to_string(),
        uri: format!("http://{name}:{}", spec.service.ports.http),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_compare_segment_by_segment() {
        assert_eq!(prefix("/web/api/**"), "/web/api");
        assert!(under("/web/api/v1/gpt", "/web/api"));
        assert!(!under("/web/apis", "/web/api"));
        assert!(under("/anything", prefix("/**")));
    }
}

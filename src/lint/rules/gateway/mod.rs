//! The Spring Cloud Gateway rules, one per file, registered in [`crate::lint::registry`], and
//! which routes stream.

pub mod actuator_gateway_exposed;
pub mod circuit_breaker_on_stream;
pub mod duplicate_yaml_key;
pub mod legacy_property_prefix;
pub mod modify_body_filter;
pub mod rate_limiter_key_resolver;
pub mod renamed_metrics_export_property;
pub mod response_timeout_semantics;
pub mod retry_on_stream;
pub mod syntax_error;

pub use actuator_gateway_exposed::ActuatorGatewayExposed;
pub use circuit_breaker_on_stream::CircuitBreakerOnStream;
pub use duplicate_yaml_key::DuplicateYamlKey;
pub use legacy_property_prefix::LegacyPropertyPrefix;
pub use modify_body_filter::ModifyBodyFilter;
pub use rate_limiter_key_resolver::RateLimiterKeyResolver;
pub use renamed_metrics_export_property::RenamedMetricsExportProperty;
pub use response_timeout_semantics::ResponseTimeoutSemantics;
pub use retry_on_stream::RetryOnStream;
pub use syntax_error::SyntaxError;

use crate::lint::Settings;
use crate::lint::kinds::stream_for_path;
use crate::lint::nginx::StreamInfo;
use crate::parse::gateway::Route;

/// Why a route streams: a `ws://`/`wss://` (or `lb:ws://`) URI, or a `Path=` predicate that the
/// spec, `.sseconf.toml` or its words classify as a stream.
pub fn route_stream(route: &Route<'_>, settings: &Settings) -> Option<StreamInfo> {
    let uri = route.uri().unwrap_or("").to_ascii_lowercase();
    if uri.starts_with("ws:") || uri.starts_with("wss:") || uri.starts_with("lb:ws") {
        return Some(StreamInfo {
            websocket: true,
            reason: format!("its uri `{uri}` is a WebSocket"),
            heuristic: false,
            heartbeat: None,
        });
    }
    route.paths().into_iter().find_map(|p| stream_for_path(settings, p))
}

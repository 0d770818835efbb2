//! Values every target needs, derived once from the spec: endpoints with their timeouts in
//! seconds, the upstream servers, the affinity key.

use crate::spec::Spec;
use crate::spec::model::{AffinityMode, Endpoint, KeySource, SessionKey};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Common {
    pub name: String,
    /// Streaming endpoints, in spec order.
    pub endpoints: Vec<EndpointCtx>,
    pub has_websocket: bool,
    pub has_sse: bool,
    /// Upstream servers for HTTP and SSE.
    pub servers: Vec<ServerCtx>,
    /// Upstream servers for WebSockets (the service's websocket port, when it has one).
    pub ws_servers: Vec<ServerCtx>,
    /// Upstream servers for the management port (health, metrics).
    pub mgmt_servers: Vec<ServerCtx>,
    /// True when the servers are the service's DNS name, which resolves to every replica.
    pub servers_from_dns: bool,
    pub affinity: AffinityCtx,
    /// The longest stream any endpoint allows, in seconds.
    pub max_stream_s: u64,
    /// The longest idle timeout any endpoint needs, in seconds.
    pub max_idle_s: u64,
}

#[derive(Debug, Serialize)]
pub struct EndpointCtx {
    /// A short identifier for names in configs (`ep0`, `ep1`, ...).
    pub id: String,
    pub path: String,
    pub kind: &'static str,
    pub websocket: bool,
    pub methods: Vec<&'static str>,
    /// Every method is safe to replay on another backend.
    pub idempotent: bool,
    pub heartbeat_s: u64,
    pub max_duration_s: u64,
    pub idle_s: u64,
    pub nginx_timeout_s: u64,
    pub haproxy_timeout_s: u64,
    pub ingress_timeout_s: u64,
    pub session_key: KeyCtx,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServerCtx {
    pub name: String,
    pub host: String,
    pub port: u16,
    pub weight: u32,
}

#[derive(Debug, Serialize)]
pub struct AffinityCtx {
    /// `none`, `client-ip` or `consistent-hash`.
    pub mode: &'static str,
    pub key: Option<KeyCtx>,
}

/// A session key and how each engine reads it.
#[derive(Debug, Clone, Serialize)]
pub struct KeyCtx {
    pub from: &'static str,
    pub name: Option<String>,
    /// nginx variable: `$http_x_session_id`, `$cookie_SESSION`, `$arg_sid`, `$remote_addr`.
    pub nginx_var: String,
    /// HAProxy `balance` argument: `hdr(X-Session-ID)`, `hash req.cook(SESSION)` (HAProxy 2.6+),
    /// `url_param sid`, `source`.
    pub haproxy_balance: String,
}

pub fn common(spec: &Spec) -> Common {
    let endpoints: Vec<EndpointCtx> =
        spec.endpoints.iter().enumerate().map(|(i, e)| endpoint(i, e)).collect();
    let (servers, servers_from_dns) = servers_at(spec, spec.service.ports.http);
    let ws_port = spec.service.ports.websocket.unwrap_or(spec.service.ports.http);
    let (ws_servers, _) = servers_at(spec, ws_port);
    let (mgmt_servers, _) = servers_at(spec, spec.service.ports.management);
    Common {
        name: spec.service.name.to_string(),
        has_websocket: endpoints.iter().any(|e| e.websocket),
        has_sse: endpoints.iter().any(|e| !e.websocket),
        max_stream_s: endpoints.iter().map(|e| e.max_duration_s).max().unwrap_or(0),
        max_idle_s: endpoints
            .iter()
            .map(|e| e.idle_s.max(e.nginx_timeout_s).max(e.haproxy_timeout_s))
            .max()
            .unwrap_or(60),
        endpoints,
        servers,
        ws_servers,
        mgmt_servers,
        servers_from_dns,
        affinity: affinity(spec),
    }
}

fn endpoint(index: usize, e: &Endpoint) -> EndpointCtx {
    EndpointCtx {
        id: format!("ep{index}"),
        path: e.path.to_string(),
        kind: if e.is_websocket() { "websocket" } else { "sse" },
        websocket: e.is_websocket(),
        methods: e.methods.iter().map(|m| m.as_str()).collect(),
        idempotent: e.methods.iter().all(|m| m.is_idempotent()),
        heartbeat_s: e.heartbeat.as_secs_ceil(),
        max_duration_s: e.max_duration.as_secs_ceil(),
        idle_s: e.idle().as_secs_ceil(),
        nginx_timeout_s: e.nginx_timeout().as_secs_ceil(),
        haproxy_timeout_s: e.haproxy_timeout().as_secs_ceil(),
        ingress_timeout_s: e.ingress_timeout().as_secs_ceil(),
        session_key: key(&e.session_key),
    }
}

/// Backend servers at `port`: the explicit list (same hosts, the given port for the websocket and
/// management variants), or the service's own name.
fn servers_at(spec: &Spec, port: u16) -> (Vec<ServerCtx>, bool) {
    let explicit = &spec.backends.servers;
    if explicit.is_empty() {
        let host = spec.service.name.to_string();
        return (vec![ServerCtx { name: "app1".into(), host, port, weight: 1 }], true);
    }
    let http = spec.service.ports.http;
    let list = explicit
        .iter()
        .enumerate()
        .map(|(i, s)| ServerCtx {
            name: format!("app{}", i + 1),
            host: s.host.to_string(),
            port: if port == http { s.port } else { port },
            weight: s.weight,
        })
        .collect();
    (list, false)
}

fn affinity(spec: &Spec) -> AffinityCtx {
    match spec.affinity.mode {
        AffinityMode::None => AffinityCtx { mode: "none", key: None },
        AffinityMode::ClientIp => AffinityCtx { mode: "client-ip", key: Some(key(&SessionKey::default())) },
        AffinityMode::ConsistentHash => {
            AffinityCtx { mode: "consistent-hash", key: spec.affinity.key.as_ref().map(key) }
        }
    }
}

fn key(k: &SessionKey) -> KeyCtx {
    let name = k.name.as_ref().map(|n| n.to_string());
    let n = name.clone().unwrap_or_default();
    let (from, nginx_var, haproxy_balance) = match k.from {
        KeySource::Header => {
            ("header", format!("$http_{}", n.to_ascii_lowercase().replace('-', "_")), format!("hdr({n})"))
        }
        KeySource::Cookie => ("cookie", format!("$cookie_{n}"), format!("hash req.cook({n})")),
        KeySource::Query => ("query", format!("$arg_{n}"), format!("url_param {n}")),
        KeySource::ClientIp => ("client-ip", "$remote_addr".to_string(), "source".to_string()),
    };
    KeyCtx { from, name, nginx_var, haproxy_balance }
}

//! Checks the schema cannot express: timeouts against heartbeats along each stream's path, port
//! clashes, pinned images, CORS, names and keys. Each problem points at the value to change.

use super::model::{AffinityMode, KeySource, SessionKey, Spec};
use super::source::{Parsed, escape_segment};
use super::types::{Duration, EnvName, Image, SysctlName};
use crate::diagnostics::Problem;
use std::collections::HashMap;

struct Checker<'a> {
    parsed: &'a Parsed,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    /// Reports at the value of `pointer` (or its nearest ancestor present in the file).
    fn report(&mut self, pointer: &str, code: &str, message: String, help: String) {
        let span = self.parsed.index.nearest(pointer).map_or(0..0, |l| l.value.clone());
        self.problems.push(
            Problem::error(code, message)
                .in_file(&self.parsed.source)
                .with_label(span, "here")
                .with_help(help),
        );
    }

    /// Reports at the key of `pointer`, for problems with a key itself.
    fn report_key(&mut self, pointer: &str, code: &str, message: String, help: String) {
        let span =
            self.parsed.index.nearest(pointer).map_or(0..0, |l| l.key.clone().unwrap_or(l.value.clone()));
        self.problems.push(
            Problem::error(code, message)
                .in_file(&self.parsed.source)
                .with_label(span, "here")
                .with_help(help),
        );
    }

    /// The first of `pointers` that the user wrote, else the last one (a default's parent).
    fn first_present<'p>(&self, pointers: &[&'p str]) -> &'p str {
        pointers
            .iter()
            .find(|p| self.parsed.index.get(p).is_some())
            .or(pointers.last())
            .copied()
            .unwrap_or("")
    }
}

/// Runs every semantic check on a spec that passed the schema.
pub fn check(spec: &Spec, parsed: &Parsed) -> Vec<Problem> {
    let mut c = Checker { parsed, problems: Vec::new() };
    check_timeouts(spec, &mut c);
    check_circuit_breaker(spec, &mut c);
    check_retry(spec, &mut c);
    check_ports(spec, &mut c);
    check_images(spec, &mut c);
    check_cors(spec, &mut c);
    check_keys(spec, &mut c);
    check_affinity(spec, &mut c);
    check_endpoints(spec, &mut c);
    check_sysctls(spec, &mut c);
    check_kubernetes(spec, &mut c);
    check_tls(spec, &mut c);
    c.problems.sort_by_key(|p| p.primary_span().map_or(0, |s| s.start));
    c.problems
}

/// Every idle timeout a stream crosses must be longer than its heartbeat, or a quiet stream is
/// closed between two heartbeats.
fn check_timeouts(spec: &Spec, c: &mut Checker<'_>) {
    for (i, ep) in spec.endpoints.iter().enumerate() {
        let base = format!("/endpoints/{i}");
        let mut layers: Vec<(&str, Duration, &str)> = Vec::new();
        if spec.nginx.is_some() {
            layers.push(("nginx proxy_read_timeout/proxy_send_timeout", ep.nginx_timeout(), "nginx"));
        }
        if spec.haproxy.is_some() {
            let what = if ep.is_websocket() {
                "HAProxy timeout tunnel"
            } else {
                "HAProxy timeout server/client (timeout tunnel does not cover SSE)"
            };
            layers.push((what, ep.haproxy_timeout(), "haproxy"));
        }
        if spec.kubernetes.as_ref().is_some_and(|k| k.ingress.is_some()) {
            layers.push((
                "ingress-nginx proxy-read-timeout/proxy-send-timeout",
                ep.ingress_timeout(),
                "ingress",
            ));
        }
        for (what, timeout, layer) in layers {
            if ep.heartbeat >= timeout {
                let layer_ptr = format!("{base}/timeouts/{layer}");
                let idle_ptr = format!("{base}/idle_timeout");
                let heartbeat_ptr = format!("{base}/heartbeat");
                let at = c.first_present(&[&layer_ptr, &idle_ptr, &heartbeat_ptr]).to_string();
                c.report(
                    &at,
                    "spec::heartbeat-timeout",
                    format!(
                        "the {what} on `{}` is {timeout}, not longer than the {} heartbeat: a quiet stream is closed before its next heartbeat",
                        ep.path,
                        ep.heartbeat
                    ),
                    format!("make the timeout at least 2 × heartbeat (e.g. {}) or send heartbeats more often", ep.heartbeat.saturating_mul(4)),
                );
            }
        }
        if ep.heartbeat >= ep.max_duration {
            c.report(
                &format!("{base}/heartbeat"),
                "spec::heartbeat-timeout",
                format!(
                    "heartbeat {} is not shorter than the maximum stream duration {}",
                    ep.heartbeat, ep.max_duration
                ),
                "heartbeats are sent during a stream: make them much shorter than max_duration".to_string(),
            );
        }
    }
}

/// Resilience4J's time limiter cancels any call longer than its limit, streams included.
fn check_circuit_breaker(spec: &Spec, c: &mut Checker<'_>) {
    let Some(cb) = spec.gateway.as_ref().and_then(|g| g.circuit_breaker.as_ref()) else { return };
    if !cb.on_streams {
        return;
    }
    if let Some(longest) = spec.endpoints.iter().max_by_key(|e| e.max_duration)
        && cb.time_limit < longest.max_duration
    {
        c.report(
                "/gateway/circuit_breaker/time_limit",
                "spec::circuit-breaker-cuts-streams",
                format!(
                    "the circuit breaker's time limit {} is shorter than the {} maximum duration of `{}`: every longer stream is cancelled",
                    cb.time_limit, longest.max_duration, longest.path
                ),
                format!("set time_limit to at least {}, or set on_streams: false", longest.max_duration),
            );
    }
}

/// A retried POST replays an LLM generation (cost, side effects) on another backend.
fn check_retry(spec: &Spec, c: &mut Checker<'_>) {
    let Some(retry) = spec.gateway.as_ref().and_then(|g| g.retry.as_ref()) else { return };
    for (i, method) in retry.methods.iter().enumerate() {
        if !method.is_idempotent() {
            c.report(
                &format!("/gateway/retry/methods/{i}"),
                "spec::retry-non-idempotent",
                format!(
                    "retrying {} requests replays non-idempotent work on another backend",
                    method.as_str()
                ),
                "retry only idempotent methods (GET, PUT, DELETE); clients resume streams with Last-Event-ID"
                    .to_string(),
            );
        }
    }
}

fn check_ports(spec: &Spec, c: &mut Checker<'_>) {
    let ports = &spec.service.ports;
    let mut app: Vec<(u16, String)> = vec![
        (ports.http, "/service/ports/http".into()),
        (ports.management, "/service/ports/management".into()),
    ];
    if let Some(ws) = ports.websocket {
        app.push((ws, "/service/ports/websocket".into()));
    }
    report_clashes(c, &app, "the application");

    let mut host: Vec<(u16, String)> = Vec::new();
    if let Some(n) = &spec.nginx {
        host.push((n.listen.http, "/nginx/listen/http".into()));
        if n.tls.is_some() {
            host.push((n.listen.https, "/nginx/listen/https".into()));
        }
    }
    if let Some(h) = &spec.haproxy {
        host.push((h.listen.http, "/haproxy/listen/http".into()));
        if h.tls.is_some() {
            host.push((h.listen.https, "/haproxy/listen/https".into()));
        }
        if let Some(stats) = &h.stats {
            host.push((stats.port, "/haproxy/stats/port".into()));
        }
    }
    report_clashes(c, &host, "the proxies");
}

fn report_clashes(c: &mut Checker<'_>, ports: &[(u16, String)], owner: &str) {
    let mut seen: HashMap<u16, &str> = HashMap::new();
    for (port, pointer) in ports {
        match seen.get(port) {
            Some(first) => {
                let first = first.trim_start_matches('/').replace('/', ".");
                c.report(
                    pointer,
                    "spec::port-clash",
                    format!("port {port} is used twice by {owner} (also by `{first}`)"),
                    "give each listener its own port".to_string(),
                );
            }
            None => {
                seen.insert(*port, pointer);
            }
        }
    }
}

/// Floating tags make two deployments of the same spec run different software.
fn check_images(spec: &Spec, c: &mut Checker<'_>) {
    let mut images: Vec<(&Image, &str)> =
        vec![(&spec.service.image, "/service/image"), (&spec.container.base_image, "/container/base_image")];
    if let Some(n) = &spec.nginx {
        images.push((&n.image, "/nginx/image"));
    }
    if let Some(h) = &spec.haproxy {
        images.push((&h.image, "/haproxy/image"));
    }
    if let Some(r) = &spec.redis {
        images.push((&r.image, "/redis/image"));
    }
    if let Some(m) = &spec.monitoring {
        images.push((&m.prometheus_image, "/monitoring/prometheus_image"));
        images.push((&m.exporters.redis_image, "/monitoring/exporters/redis_image"));
        images.push((&m.exporters.nginx_image, "/monitoring/exporters/nginx_image"));
        if let Some(g) = &m.grafana {
            images.push((&g.image, "/monitoring/grafana/image"));
        }
    }
    for (image, pointer) in images {
        if let Some(problem) = unpinned(image.as_str()) {
            c.report(
                pointer,
                "spec::unpinned-image",
                format!("image `{image}` {problem}"),
                "pin a version tag (`redis:7.4.1-alpine`) or a digest (`@sha256:…`)".to_string(),
            );
        }
    }
}

/// Why an image reference is not pinned, if it is not.
pub fn unpinned(image: &str) -> Option<&'static str> {
    if image.contains("@sha256:") {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        None => Some("has no tag, so it means `latest`"),
        Some((_, "latest")) => Some("uses the floating `latest` tag"),
        Some(_) => None,
    }
}

fn check_cors(spec: &Spec, c: &mut Checker<'_>) {
    let proxies = [
        ("nginx", spec.nginx.as_ref().and_then(|n| n.cors.as_ref())),
        ("haproxy", spec.haproxy.as_ref().and_then(|h| h.cors.as_ref())),
    ];
    for (name, cors) in proxies {
        let Some(cors) = cors else { continue };
        if cors.credentials
            && let Some(i) = cors.origins.iter().position(|o| o.as_str() == "*")
        {
            c.report(
                &format!("/{name}/cors/origins/{i}"),
                "spec::cors-wildcard-credentials",
                "CORS origin `*` cannot be combined with credentials: browsers reject the response"
                    .to_string(),
                "list the allowed origins explicitly".to_string(),
            );
        }
    }
}

/// Map keys carry into files too (env names into YAML and shell), but the schema only types values.
fn check_keys(spec: &Spec, c: &mut Checker<'_>) {
    let env_keys = spec.service.environment.keys().map(|k| ("environment", k));
    let secret_keys = spec.service.secret_environment.keys().map(|k| ("secret_environment", k));
    let bad: Vec<(&str, &EnvName)> =
        env_keys.chain(secret_keys).filter(|(_, k)| !valid_env_name(k.as_str())).collect();
    for (section, key) in bad {
        c.report_key(
            &format!("/service/{section}/{}", escape_segment(key.as_str())),
            "spec::invalid-key",
            format!("`{key}` is not a valid environment variable name"),
            "use letters, digits and `_`, not starting with a digit".to_string(),
        );
    }
    let bad_sysctls: Vec<&SysctlName> =
        spec.container.sysctls.keys().filter(|k| !valid_sysctl_name(k.as_str())).collect();
    for key in bad_sysctls {
        c.report_key(
            &format!("/container/sysctls/{}", escape_segment(key.as_str())),
            "spec::invalid-key",
            format!("`{key}` is not a valid sysctl name"),
            "sysctl names are dotted lower-case words, e.g. `net.core.somaxconn`".to_string(),
        );
    }
    for (name, value) in &spec.service.environment {
        if looks_secret(name.as_str()) && !value.as_str().is_empty() {
            c.report(
                &format!("/service/environment/{}", escape_segment(name.as_str())),
                "spec::literal-secret",
                format!("`{name}` looks like a secret but its value is written in the spec"),
                format!("move it to `secret_environment: {{ {name}: {{ env: {name} }} }}`"),
            );
        }
    }
}

fn valid_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn valid_sysctl_name(name: &str) -> bool {
    name.contains('.')
        && name.split('.').all(|part| {
            !part.is_empty()
                && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        })
}

fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "PRIVATE_KEY"].iter().any(|w| upper.contains(w))
}

fn check_affinity(spec: &Spec, c: &mut Checker<'_>) {
    match (spec.affinity.mode, &spec.affinity.key) {
        (AffinityMode::ConsistentHash, None) => c.report(
            "/affinity/mode",
            "spec::affinity-key",
            "consistent-hash affinity needs a key to hash".to_string(),
            "add `key: { from: header, name: X-Session-ID }` (or a cookie or query parameter)".to_string(),
        ),
        (AffinityMode::ConsistentHash, Some(key)) => check_session_key(c, key, "/affinity/key"),
        (_, Some(_)) => c.report(
            "/affinity/key",
            "spec::affinity-key",
            "an affinity key is only used with `mode: consistent-hash`".to_string(),
            "remove the key or set `mode: consistent-hash`".to_string(),
        ),
        _ => {}
    }
    for (i, ep) in spec.endpoints.iter().enumerate() {
        check_session_key(c, &ep.session_key, &format!("/endpoints/{i}/session_key"));
    }
}

fn check_session_key(c: &mut Checker<'_>, key: &SessionKey, pointer: &str) {
    match (key.from, &key.name) {
        (KeySource::ClientIp, Some(_)) => c.report(
            &format!("{pointer}/name"),
            "spec::session-key",
            "a client-ip key has no name".to_string(),
            "remove `name`".to_string(),
        ),
        (KeySource::Header | KeySource::Cookie | KeySource::Query, None) => c.report(
            &format!("{pointer}/from"),
            "spec::session-key",
            "a header, cookie or query key needs a `name`".to_string(),
            "add `name: X-Session-ID` (the header, cookie or parameter to read)".to_string(),
        ),
        (KeySource::Header, Some(name)) if name.as_str().contains(['_', '.']) => c.report(
            &format!("{pointer}/name"),
            "spec::session-key",
            format!("header name `{name}` contains `_` or `.`, which nginx drops by default"),
            "use letters, digits and `-` in header names".to_string(),
        ),
        _ => {}
    }
}

fn check_endpoints(spec: &Spec, c: &mut Checker<'_>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, ep) in spec.endpoints.iter().enumerate() {
        if let Some(first) = seen.insert(ep.path.as_str(), i) {
            c.report(
                &format!("/endpoints/{i}/path"),
                "spec::duplicate-endpoint",
                format!("endpoint path `{}` is already defined by endpoint {first}", ep.path),
                "each path may appear once".to_string(),
            );
        }
        if ep.methods.is_empty() {
            c.report(
                &format!("/endpoints/{i}/methods"),
                "spec::invalid-value",
                "an endpoint needs at least one method".to_string(),
                "use `methods: [GET]` for EventSource clients, `[POST]` for prompt streams".to_string(),
            );
        }
    }
}

/// Compose and Kubernetes only accept sysctls that are namespaced per container; others fail
/// container creation.
fn check_sysctls(spec: &Spec, c: &mut Checker<'_>) {
    for name in spec.container.sysctls.keys() {
        if !is_namespaced_sysctl(name.as_str()) {
            c.report_key(
                &format!("/container/sysctls/{}", escape_segment(name.as_str())),
                "spec::non-namespaced-sysctl",
                format!("sysctl `{name}` is not namespaced per container, so the container fails to start"),
                "set it on the host (or node) instead; containers accept net.* (except net.core.* beyond somaxconn), kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*".to_string(),
            );
        }
    }
}

/// Namespaced sysctls per the Docker and Kubernetes docs.
pub fn is_namespaced_sysctl(name: &str) -> bool {
    if name.starts_with("net.core.") {
        return name == "net.core.somaxconn";
    }
    name.starts_with("net.")
        || name.starts_with("kernel.shm")
        || name.starts_with("kernel.msg")
        || name == "kernel.sem"
        || name.starts_with("fs.mqueue.")
}

fn check_kubernetes(spec: &Spec, c: &mut Checker<'_>) {
    let Some(k) = &spec.kubernetes else { return };
    if let Some(hpa) = &k.hpa
        && hpa.min_replicas > hpa.max_replicas
    {
        c.report(
            "/kubernetes/hpa/min_replicas",
            "spec::invalid-value",
            format!("min_replicas {} is above max_replicas {}", hpa.min_replicas, hpa.max_replicas),
            "make min_replicas ≤ max_replicas".to_string(),
        );
    }
    if let Some(grace) = k.termination_grace_period
        && grace <= k.pre_stop_delay
    {
        c.report(
            "/kubernetes/termination_grace_period",
            "spec::invalid-value",
            format!(
                "termination grace period {grace} leaves no time after the {} preStop delay",
                k.pre_stop_delay
            ),
            "the grace period covers preStop plus draining open streams: make it longer".to_string(),
        );
    }
}

fn check_tls(spec: &Spec, c: &mut Checker<'_>) {
    if let Some(tls) = spec.nginx.as_ref().and_then(|n| n.tls.as_ref())
        && tls.key.is_none()
    {
        c.report(
            "/nginx/tls",
            "spec::missing-field",
            "nginx TLS needs a private key file".to_string(),
            "add `key: /etc/nginx/tls/tls.key`".to_string(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpinned_detects_latest_and_missing_tags_but_not_registry_ports() {
        assert!(unpinned("redis").is_some());
        assert!(unpinned("redis:latest").is_some());
        assert!(unpinned("registry:5000/app").is_some());
        assert!(unpinned("registry:5000/app:1.2").is_none());
        assert!(unpinned("app@sha256:abc").is_none());
    }

    #[test]
    fn only_namespaced_sysctls_are_accepted() {
        assert!(is_namespaced_sysctl("net.core.somaxconn"));
        assert!(is_namespaced_sysctl("net.ipv4.tcp_max_syn_backlog"));
        assert!(!is_namespaced_sysctl("net.core.netdev_max_backlog"));
        assert!(!is_namespaced_sysctl("vm.swappiness"));
    }
}

//! The compose target: `docker-compose.yml` for a single host, plus Grafana's provisioning files
//! when Grafana runs in it.
//!
//! Rust decides which services run (listed in `compose.services` and configured in the spec),
//! what each depends on (always towards the data stores, so there is no cycle), what is published
//! (only the proxies and Grafana; never Redis, the exporters or the management port) and every
//! secret as a `${VAR:?}` reference that Compose fills from the host environment and refuses to
//! start without. The template lays these out.

use super::Output;
use super::docker::{self, go_duration};
use super::redis::{CONF_PATH, RESERVED_FDS};
use crate::spec::Spec;
use crate::spec::model::{ComposeService, Restart};
use crate::spec::semantic::is_namespaced_sysctl;
use crate::spec::types::Host;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

pub fn outputs(spec: &Spec) -> Vec<Output> {
    // A compose file with no service is refused by Compose: nothing to write.
    let runs = [app_runs, redis_runs, nginx_runs, haproxy_runs, prometheus_runs, grafana_runs];
    if !runs.iter().any(|runs| runs(spec)) {
        return Vec::new();
    }
    let mut outputs = vec![Output::new("docker-compose.yml", "compose/docker-compose.yml.j2")];
    if grafana_runs(spec) {
        outputs.push(Output::new(
            "grafana/provisioning/datasources/prometheus.yml",
            "compose/grafana-datasource.yml.j2",
        ));
        outputs.push(Output::new(
            "grafana/provisioning/dashboards/sseconf.yml",
            "compose/grafana-dashboards.yml.j2",
        ));
    }
    outputs
}

/// Compose service names other targets rely on (Prometheus scrapes them, nginx and Grafana reach
/// them by name).
pub const REDIS: &str = "redis";
pub const NGINX: &str = "nginx";
pub const HAPROXY: &str = "haproxy";
pub const PROMETHEUS: &str = "prometheus";
pub const GRAFANA: &str = "grafana";
pub const REDIS_EXPORTER: &str = "redis-exporter";
pub const NGINX_EXPORTER: &str = "nginx-exporter";
pub const REDIS_EXPORTER_PORT: u16 = 9121;
pub const NGINX_EXPORTER_PORT: u16 = 9113;
pub const PROMETHEUS_PORT: u16 = 9090;
pub const GRAFANA_PORT: u16 = 3000;
/// Where the provisioned dashboards are mounted in the Grafana container.
pub const GRAFANA_DASHBOARDS: &str = "/etc/grafana/dashboards";
/// The uid of the provisioned Prometheus datasource, for dashboards to refer to.
pub const GRAFANA_DATASOURCE_UID: &str = "prometheus";

/// Time a stopping app container gets after its drain, to finish exiting before SIGKILL.
const EXIT_MARGIN_S: u64 = 10;

fn listed(spec: &Spec, service: ComposeService) -> bool {
    spec.compose.as_ref().is_some_and(|c| c.services.contains(&service))
}

fn app_runs(spec: &Spec) -> bool {
    listed(spec, ComposeService::App)
}
fn redis_runs(spec: &Spec) -> bool {
    listed(spec, ComposeService::Redis) && spec.redis.is_some()
}
fn nginx_runs(spec: &Spec) -> bool {
    listed(spec, ComposeService::Proxy) && spec.nginx.is_some()
}
fn haproxy_runs(spec: &Spec) -> bool {
    listed(spec, ComposeService::Proxy) && spec.haproxy.is_some()
}
fn prometheus_runs(spec: &Spec) -> bool {
    listed(spec, ComposeService::Prometheus) && spec.monitoring.is_some()
}
fn grafana_runs(spec: &Spec) -> bool {
    listed(spec, ComposeService::Grafana) && spec.monitoring.as_ref().is_some_and(|m| m.grafana.is_some())
}
/// The Redis exporter runs beside Prometheus when Redis does: Redis does not speak HTTP.
pub fn redis_exporter_runs(spec: &Spec) -> bool {
    prometheus_runs(spec) && redis_runs(spec)
}
/// The nginx exporter runs beside Prometheus when nginx runs and serves `stub_status`.
pub fn nginx_exporter_runs(spec: &Spec) -> bool {
    prometheus_runs(spec) && nginx_runs(spec) && spec.nginx.as_ref().is_some_and(|n| n.status.is_some())
}

/// A `${NAME:?...}` reference: Compose fills it from the host environment or `.env`, and refuses
/// to start the project when it is unset, instead of running with an empty password.
fn secret(env: &str) -> String {
    format!("${{{env}:?set {env} in the environment or .env}}")
}

#[derive(Debug, Serialize)]
struct Dependency {
    service: String,
    condition: &'static str,
    why: &'static str,
}

fn healthy(service: &str, why: &'static str) -> Dependency {
    Dependency { service: service.to_string(), condition: "service_healthy", why }
}
fn started(service: &str, why: &'static str) -> Dependency {
    Dependency { service: service.to_string(), condition: "service_started", why }
}

/// `host:published:container`, with IPv6 host addresses in brackets.
fn publish(address: &Host, port: u16) -> String {
    let address = address.as_str();
    if address.contains(':') {
        format!("[{address}]:{port}:{port}")
    } else {
        format!("{address}:{port}:{port}")
    }
}

/// `./local:container:ro` for a file the operator provides (TLS material), named after the
/// container path's file name, under the proxy's folder.
fn provided_file(folder: &str, container_path: &str) -> String {
    let name = container_path.rsplit('/').next().unwrap_or(container_path);
    format!("./{folder}/tls/{name}:{container_path}:ro")
}

pub fn context(spec: &Spec) -> serde_json::Value {
    let Some(compose) = &spec.compose else { return serde_json::Value::Null };
    let mut volumes = Vec::new();
    if redis_runs(spec) {
        volumes.push("redis_data");
    }
    if prometheus_runs(spec) {
        volumes.push("prometheus_data");
    }
    if grafana_runs(spec) {
        volumes.push("grafana_data");
    }
    json!({
        "restart": restart(compose.restart),
        "app": app_runs(spec).then(|| app(spec)),
        "redis": redis_runs(spec).then(|| redis(spec)),
        "nginx": nginx_runs(spec).then(|| nginx(spec, &compose.publish_address)),
        "haproxy": haproxy_runs(spec).then(|| haproxy(spec, &compose.publish_address)),
        "prometheus": prometheus_runs(spec).then(|| prometheus(spec)),
        "redis_exporter": redis_exporter_runs(spec).then(|| redis_exporter(spec)),
        "nginx_exporter": nginx_exporter_runs(spec).then(|| nginx_exporter(spec)),
        "grafana": grafana_runs(spec).then(|| grafana(spec, &compose.publish_address)),
        "volumes": volumes,
        "names": {
            "redis": REDIS, "nginx": NGINX, "haproxy": HAPROXY, "prometheus": PROMETHEUS,
            "grafana": GRAFANA, "redis_exporter": REDIS_EXPORTER, "nginx_exporter": NGINX_EXPORTER,
        },
        "grafana_dashboards": GRAFANA_DASHBOARDS,
        "datasource_uid": GRAFANA_DATASOURCE_UID,
        "prometheus_url": format!("http://{PROMETHEUS}:{PROMETHEUS_PORT}"),
    })
}

fn restart(r: Restart) -> &'static str {
    match r {
        Restart::No => "no",
        Restart::Always => "always",
        Restart::OnFailure => "on-failure",
        Restart::UnlessStopped => "unless-stopped",
    }
}

/// How long open streams get to finish when the app stops: the spec's Kubernetes grace period
/// when it sets one (one drain budget everywhere), else the longest stream, capped at an hour.
fn drain_s(spec: &Spec) -> u64 {
    spec.kubernetes
        .as_ref()
        .and_then(|k| k.termination_grace_period)
        .map_or_else(|| crate::render::context::common(spec).max_stream_s.min(3600), |d| d.as_secs_ceil())
}

fn app(spec: &Spec) -> serde_json::Value {
    let s = &spec.service;
    let c = &spec.container;
    let hc = &c.healthcheck;
    let drain = drain_s(spec);
    let mut depends_on = Vec::new();
    if redis_runs(spec) {
        depends_on.push(healthy(REDIS, "sessions and rate limits live in Redis"));
    }
    let sysctls: Vec<(String, u64)> = c
        .sysctls
        .iter()
        .filter(|(name, _)| is_namespaced_sysctl(name.as_str()))
        .map(|(name, value)| (name.to_string(), *value))
        .collect();
    json!({
        "name": s.name,
        "image": s.image,
        "replicas": s.replicas,
        "environment": app_environment(spec, drain),
        "healthcheck": {
            "test": ["CMD", docker::HEALTHCHECK],
            "interval": go_duration(hc.interval),
            "timeout": go_duration(hc.timeout),
            "start_period": go_duration(hc.start_period),
            "retries": hc.retries,
        },
        "depends_on": depends_on,
        "limits": { "cpus": s.resources.limits.cpu.cores(), "memory": s.resources.limits.memory.lower() },
        "reservations": { "cpus": s.resources.requests.cpu.cores(), "memory": s.resources.requests.memory.lower() },
        "nofile": c.ulimits.nofile,
        "sysctls": sysctls,
        "drain_s": drain,
        "stop_grace_period": stop_grace_period(spec),
    })
}

/// The app's environment, sorted by name: what the deployment derives (drain time, where Redis
/// is), then the spec's plain variables, then its secrets as references; later entries win.
fn app_environment(spec: &Spec, drain: u64) -> Vec<(String, String)> {
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    if docker::is_spring(spec) {
        env.insert("SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE".into(), format!("{drain}s"));
    }
    if let Some(r) = spec.redis.as_ref().filter(|_| redis_runs(spec)) {
        // Spring Boot 3 reads spring.data.redis.* (the seed's SPRING_REDIS_* is Boot 2's name).
        let prefix = if docker::is_spring(spec) { "SPRING_DATA_REDIS" } else { "REDIS" };
        env.insert(format!("{prefix}_HOST"), REDIS.into());
        env.insert(format!("{prefix}_PORT"), r.port.to_string());
        env.insert(format!("{prefix}_PASSWORD"), secret(r.password.env.as_str()));
    }
    for (name, value) in &spec.service.environment {
        env.insert(name.to_string(), value.to_string());
    }
    for (name, reference) in &spec.service.secret_environment {
        env.insert(name.to_string(), secret(reference.env.as_str()));
    }
    env.into_iter().collect()
}

fn redis(spec: &Spec) -> serde_json::Value {
    let Some(r) = &spec.redis else { return serde_json::Value::Null };
    let password = secret(r.password.env.as_str());
    json!({
        "image": r.image,
        "port": r.port,
        "command": ["redis-server", CONF_PATH, "--requirepass", password],
        "password": password,
        "conf_path": CONF_PATH,
        "nofile": r.max_clients.saturating_add(RESERVED_FDS),
    })
}

/// A proxy listening below 1024 as a non-root user (the official HAProxy image) needs the
/// namespaced sysctl that lowers the privileged port range.
fn low_port_sysctl(ports: &[u16]) -> Vec<(&'static str, u32)> {
    if ports.iter().any(|p| *p < 1024) {
        vec![("net.ipv4.ip_unprivileged_port_start", 0)]
    } else {
        Vec::new()
    }
}

fn nginx(spec: &Spec, address: &Host) -> serde_json::Value {
    let Some(n) = &spec.nginx else { return serde_json::Value::Null };
    let mut ports = vec![publish(address, n.listen.http)];
    let mut volumes = vec!["./nginx/nginx.conf:/etc/nginx/nginx.conf:ro".to_string()];
    if let Some(tls) = &n.tls {
        ports.push(publish(address, n.listen.https));
        volumes.push(provided_file("nginx", tls.certificate.as_str()));
        if let Some(key) = &tls.key {
            volumes.push(provided_file("nginx", key.as_str()));
        }
    }
    json!({
        "image": n.image,
        "ports": ports,
        "volumes": volumes,
        "depends_on": proxy_dependencies(spec),
        "stop_grace_period": stop_grace_period(spec),
        // Each stream holds a client and an upstream socket.
        "nofile": u64::from(n.worker_connections) * 2,
    })
}

fn haproxy(spec: &Spec, address: &Host) -> serde_json::Value {
    let Some(h) = &spec.haproxy else { return serde_json::Value::Null };
    let mut listen = vec![h.listen.http];
    let mut volumes = vec!["./haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro".to_string()];
    if let Some(tls) = &h.tls {
        listen.push(h.listen.https);
        volumes.push(provided_file("haproxy", tls.certificate.as_str()));
    }
    let environment: Vec<(String, String)> =
        h.stats.iter().map(|s| (s.password_env.to_string(), secret(s.password_env.as_str()))).collect();
    json!({
        "image": h.image,
        "ports": listen.iter().map(|p| publish(address, *p)).collect::<Vec<_>>(),
        "volumes": volumes,
        "environment": environment,
        "sysctls": low_port_sysctl(&listen),
        "depends_on": proxy_dependencies(spec),
        "stop_grace_period": stop_grace_period(spec),
        // Two sockets per connection, plus room for listeners, checks and the stats page.
        "nofile": u64::from(h.maxconn) * 2 + 1024,
        "stats_port": h.stats.as_ref().map(|s| s.port),
    })
}

/// Proxies stop gracefully too (nginx on SIGQUIT, HAProxy on SIGUSR1, their images' stop
/// signals), waiting for open streams: give them the app's drain.
fn stop_grace_period(spec: &Spec) -> String {
    format!("{}s", drain_s(spec) + EXIT_MARGIN_S)
}

fn proxy_dependencies(spec: &Spec) -> Vec<Dependency> {
    if app_runs(spec) {
        vec![healthy(spec.service.name.as_str(), "start routing once the backends are ready")]
    } else {
        Vec::new()
    }
}

fn prometheus(spec: &Spec) -> serde_json::Value {
    let Some(m) = &spec.monitoring else { return serde_json::Value::Null };
    json!({
        "image": m.prometheus_image,
        // Prometheus has no authentication: reachable from this host only.
        "ports": [format!("127.0.0.1:{PROMETHEUS_PORT}:{PROMETHEUS_PORT}")],
    })
}

fn redis_exporter(spec: &Spec) -> serde_json::Value {
    let (Some(m), Some(r)) = (&spec.monitoring, &spec.redis) else { return serde_json::Value::Null };
    json!({
        "image": m.exporters.redis_image,
        "environment": [
            ["REDIS_ADDR", format!("redis://{REDIS}:{}", r.port)],
            ["REDIS_PASSWORD", secret(r.password.env.as_str())],
        ],
        "depends_on": [healthy(REDIS, "the exporter logs in to Redis at startup")],
        "port": REDIS_EXPORTER_PORT,
    })
}

fn nginx_exporter(spec: &Spec) -> serde_json::Value {
    let (Some(m), Some(n)) = (&spec.monitoring, &spec.nginx) else { return serde_json::Value::Null };
    let Some(status) = &n.status else { return serde_json::Value::Null };
    // With TLS the plain listener only redirects, so the exporter reads stub_status over HTTPS
    // (it does not verify the certificate, which names the public host, not `nginx`).
    let uri = match &n.tls {
        Some(_) => format!("https://{NGINX}:{}{}", n.listen.https, status.path),
        None => format!("http://{NGINX}:{}{}", n.listen.http, status.path),
    };
    json!({
        "image": m.exporters.nginx_image,
        "command": [format!("--nginx.scrape-uri={uri}")],
        "depends_on": [started(NGINX, "stub_status is served by nginx")],
        "port": NGINX_EXPORTER_PORT,
        "allow": status.allow,
    })
}

fn grafana(spec: &Spec, address: &Host) -> serde_json::Value {
    let Some(g) = spec.monitoring.as_ref().and_then(|m| m.grafana.as_ref()) else {
        return serde_json::Value::Null;
    };
    let mut depends_on = Vec::new();
    if prometheus_runs(spec) {
        depends_on.push(started(PROMETHEUS, "the provisioned datasource"));
    }
    json!({
        "image": g.image,
        "ports": [publish(address, GRAFANA_PORT)],
        "environment": [
            ["GF_SECURITY_ADMIN_PASSWORD", secret(g.admin_password.env.as_str())],
            ["GF_USERS_ALLOW_SIGN_UP", "false"],
            ["GF_AUTH_ANONYMOUS_ENABLED", "false"],
        ],
        "volumes": [
            "grafana_data:/var/lib/grafana".to_string(),
            "./grafana/provisioning:/etc/grafana/provisioning:ro".to_string(),
            format!("./grafana/dashboard.json:{GRAFANA_DASHBOARDS}/dashboard.json:ro"),
        ],
        "depends_on": depends_on,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_required_references() {
        assert_eq!(
            secret("REDIS_PASSWORD"),
            "${REDIS_PASSWORD:?set REDIS_PASSWORD in the environment or .env}"
        );
    }

    #[test]
    fn ipv6_publish_addresses_are_bracketed() {
        assert_eq!(publish(&Host::from("0.0.0.0"), 80), "0.0.0.0:80:80");
        assert_eq!(publish(&Host::from("::1"), 443), "[::1]:443:443");
    }

    #[test]
    fn tls_files_are_mounted_from_the_proxy_folder() {
        assert_eq!(
            provided_file("nginx", "/etc/nginx/tls/tls.crt"),
            "./nginx/tls/tls.crt:/etc/nginx/tls/tls.crt:ro"
        );
    }

    #[test]
    fn low_ports_lower_the_unprivileged_port_range() {
        assert!(low_port_sysctl(&[8000, 8443]).is_empty());
        assert_eq!(low_port_sysctl(&[80, 8443]).len(), 1);
    }
}

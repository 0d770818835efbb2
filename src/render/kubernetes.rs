//! Kubernetes: a Deployment that drains streams before it stops, its Service, ingress-nginx
//! Ingresses that keep streaming and ordinary paths apart, a PodDisruptionBudget and an optional
//! HorizontalPodAutoscaler.
//!
//! Everything derived (grace period, safe sysctls, Ingress grouping by timeout, path types) is
//! computed here; the templates under `templates/k8s/` only lay it out.

use super::Output;
use super::context::{self, Common};
use crate::spec::Spec;
use crate::spec::model::{AffinityMode, Endpoint, Kubernetes, Probe, SecretRef};
use crate::spec::types::{Duration, Version};
use serde::Serialize;
use std::collections::BTreeMap;

pub fn outputs(spec: &Spec) -> Vec<Output> {
    let Some(k) = &spec.kubernetes else { return Vec::new() };
    let mut out = Vec::new();
    if creates_namespace(k) {
        out.push(Output::new("k8s/namespace.yaml", "k8s/namespace.yaml.j2"));
    }
    out.push(Output::new("k8s/deployment.yaml", "k8s/deployment.yaml.j2"));
    out.push(Output::new("k8s/service.yaml", "k8s/service.yaml.j2"));
    if k.ingress.is_some() {
        out.push(Output::new("k8s/ingress.yaml", "k8s/ingress.yaml.j2"));
    }
    out.push(Output::new("k8s/pdb.yaml", "k8s/pdb.yaml.j2"));
    if k.hpa.is_some() {
        out.push(Output::new("k8s/hpa.yaml", "k8s/hpa.yaml.j2"));
    }
    out
}

/// `default` always exists; any other namespace is created by a manifest of its own.
fn creates_namespace(k: &Kubernetes) -> bool {
    k.namespace.as_str() != "default"
}

/// Longest stream the grace period waits for by default: rollouts that wait longer than an hour
/// for a pod to stop are worse than the reconnect the client does anyway.
const MAX_DEFAULT_DRAIN: Duration = Duration::from_secs(3600);

/// Idle timeout of the ordinary (non-streaming) Ingress: ingress-nginx's own default.
const API_TIMEOUT_S: u64 = 60;

#[derive(Debug, Serialize)]
struct K8sCtx {
    create_namespace: bool,
    /// `replicas` of the Deployment; absent when an HPA owns the count.
    replicas: Option<u32>,
    pre_stop_s: u64,
    /// `lifecycle.preStop.sleep` (beta and on by default from 1.30) instead of `exec sleep`, which
    /// needs a `sleep` binary in the image.
    pre_stop_sleep_action: bool,
    grace_s: u64,
    /// True when the grace period was derived, not given.
    grace_derived: bool,
    java_tool_options: Option<String>,
    env: Vec<EnvVar>,
    secret_env: Vec<SecretEnv>,
    sysctls: Vec<Sysctl>,
    unsafe_sysctls: Vec<String>,
    ports: Vec<Port>,
    probes: BTreeMap<&'static str, ProbeCtx>,
    resources: ResourcesCtx,
    ingress: Option<IngressCtx>,
    /// Service-level ClientIP affinity timeout for `client-ip` affinity.
    service_affinity_s: Option<u64>,
    hpa: Option<HpaCtx>,
    /// Folders the image's entrypoint must be able to write, as emptyDir volumes.
    writable_dirs: Vec<WritableDir>,
}

#[derive(Debug, Serialize)]
struct WritableDir {
    name: String,
    path: &'static str,
}

#[derive(Debug, Serialize)]
struct EnvVar {
    name: String,
    value: String,
}

#[derive(Debug, Serialize)]
struct SecretEnv {
    name: String,
    secret: String,
    key: String,
}

#[derive(Debug, Serialize)]
struct Sysctl {
    name: String,
    value: String,
}

#[derive(Debug, Serialize)]
struct Port {
    name: &'static str,
    port: u16,
}

#[derive(Debug, Serialize)]
struct ProbeCtx {
    path: String,
    period_s: u64,
    timeout_s: u64,
    failure_threshold: u32,
}

#[derive(Debug, Serialize)]
struct ResourcesCtx {
    requests_cpu: String,
    requests_memory: String,
    limits_cpu: String,
    limits_memory: String,
}

#[derive(Debug, Serialize)]
struct IngressCtx {
    class: String,
    host: String,
    tls_secret: Option<String>,
    /// One Ingress per distinct streaming timeout: annotations apply to a whole object.
    streams: Vec<IngressGroup>,
    /// The ordinary paths (`/`), absent when a stream already claims `/`.
    api: Option<IngressGroup>,
    /// `upstream-hash-by`, the same nginx variable the nginx target hashes on.
    upstream_hash_by: Option<String>,
}

#[derive(Debug, Serialize)]
struct IngressGroup {
    name: String,
    timeout_s: u64,
    paths: Vec<IngressPath>,
}

#[derive(Debug, Serialize)]
struct IngressPath {
    path: String,
    path_type: &'static str,
    port: &'static str,
    kind: &'static str,
}

#[derive(Debug, Serialize)]
struct HpaCtx {
    min_replicas: u32,
    max_replicas: u32,
    cpu_utilization: u32,
    scale_down_s: u64,
}

pub fn context(spec: &Spec) -> serde_json::Value {
    let Some(k) = &spec.kubernetes else { return serde_json::Value::Null };
    let common = context::common(spec);
    let (sysctls, unsafe_sysctls) = sysctls(spec, spec.versions.kubernetes);
    let ctx = K8sCtx {
        create_namespace: creates_namespace(k),
        replicas: if k.hpa.is_some() { None } else { Some(spec.service.replicas) },
        pre_stop_s: k.pre_stop_delay.as_secs_ceil(),
        pre_stop_sleep_action: spec.versions.kubernetes.at_least(Version::new(1, 30, 0)),
        grace_s: grace_period(spec, k).as_secs_ceil(),
        grace_derived: k.termination_grace_period.is_none(),
        java_tool_options: java_tool_options(spec),
        env: spec
            .service
            .environment
            .iter()
            .filter(|(name, _)| name.as_str() != "JAVA_TOOL_OPTIONS" || spec.service.jvm.is_none())
            .map(|(name, value)| EnvVar { name: name.to_string(), value: value.to_string() })
            .collect(),
        secret_env: spec
            .service
            .secret_environment
            .iter()
            .map(|(name, r)| secret_env(spec, name.as_str(), r))
            .collect(),
        sysctls,
        unsafe_sysctls,
        ports: ports(spec),
        probes: probes(spec, k),
        resources: ResourcesCtx {
            requests_cpu: spec.service.resources.requests.cpu.to_string(),
            requests_memory: spec.service.resources.requests.memory.kubernetes(),
            limits_cpu: spec.service.resources.limits.cpu.to_string(),
            limits_memory: spec.service.resources.limits.memory.kubernetes(),
        },
        ingress: ingress(spec, k, &common),
        service_affinity_s: (spec.affinity.mode == AffinityMode::ClientIp)
            .then(|| common.max_stream_s.clamp(1, 86_400)),
        hpa: k.hpa.as_ref().map(|h| HpaCtx {
            min_replicas: h.min_replicas,
            max_replicas: h.max_replicas,
            cpu_utilization: h.cpu_utilization,
            // The API accepts at most one hour.
            scale_down_s: h.scale_down_stabilization.as_secs_ceil().min(3600),
        }),
        writable_dirs: super::docker::WRITABLE_DIRS
            .iter()
            .map(|path| WritableDir { name: path.trim_start_matches('/').replace('/', "-"), path })
            .collect(),
    };
    serde_json::to_value(ctx).unwrap_or(serde_json::Value::Null)
}

/// The grace period: as given, or the longest stream (capped at an hour) plus the preStop delay,
/// so the kubelet never kills a pod that is still draining.
pub fn grace_period(spec: &Spec, k: &Kubernetes) -> Duration {
    if let Some(given) = k.termination_grace_period {
        return given;
    }
    let longest = spec.endpoints.iter().map(|e| e.max_duration).max().unwrap_or(Duration::from_secs(0));
    let drain = longest.min(MAX_DEFAULT_DRAIN);
    Duration::from_millis(drain.as_millis().saturating_add(k.pre_stop_delay.as_millis()))
}

/// `JAVA_TOOL_OPTIONS`: the JVM reads it itself, unlike `JAVA_OPTS`, which only scripts pass on.
fn java_tool_options(spec: &Spec) -> Option<String> {
    let jvm = spec.service.jvm.as_ref()?;
    let mut options = vec![format!("-XX:MaxRAMPercentage={}", jvm.max_ram_percentage)];
    options.extend(jvm.options.iter().map(|o| o.to_string()));
    Some(options.join(" "))
}

fn secret_env(spec: &Spec, name: &str, r: &SecretRef) -> SecretEnv {
    SecretEnv {
        name: name.to_string(),
        secret: r.secret.as_ref().map_or_else(|| format!("{}-secrets", spec.service.name), |s| s.to_string()),
        key: r.key.as_ref().map_or_else(|| name.to_ascii_lowercase(), |k| k.to_string()),
    }
}

/// Kubernetes' safe sysctls and the release whose kubelet first allows each. Anything else makes
/// the kubelet reject the pod (SysctlForbidden) unless the node allow-lists it.
const SAFE_SYSCTLS: &[(&str, Version)] = &[
    ("kernel.shm_rmid_forced", Version::new(1, 0, 0)),
    ("net.ipv4.ip_local_port_range", Version::new(1, 0, 0)),
    ("net.ipv4.tcp_syncookies", Version::new(1, 0, 0)),
    ("net.ipv4.ping_group_range", Version::new(1, 18, 0)),
    ("net.ipv4.ip_unprivileged_port_start", Version::new(1, 22, 0)),
    ("net.ipv4.ip_local_reserved_ports", Version::new(1, 27, 0)),
    ("net.ipv4.tcp_keepalive_time", Version::new(1, 29, 0)),
    ("net.ipv4.tcp_fin_timeout", Version::new(1, 29, 0)),
    ("net.ipv4.tcp_keepalive_intvl", Version::new(1, 29, 0)),
    ("net.ipv4.tcp_keepalive_probes", Version::new(1, 29, 0)),
];

/// Whether the kubelet of `version` accepts `name` in a pod's securityContext by default.
pub fn is_safe_sysctl(name: &str, version: Version) -> bool {
    SAFE_SYSCTLS.iter().any(|(safe, since)| *safe == name && version >= *since)
}

/// The spec's sysctls split into the safe ones (emitted) and the rest (named in a comment only).
fn sysctls(spec: &Spec, version: Version) -> (Vec<Sysctl>, Vec<String>) {
    let mut safe = Vec::new();
    let mut unsafe_ = Vec::new();
    for (name, value) in &spec.container.sysctls {
        if is_safe_sysctl(name.as_str(), version) {
            safe.push(Sysctl { name: name.to_string(), value: value.to_string() });
        } else {
            unsafe_.push(name.to_string());
        }
    }
    (safe, unsafe_)
}

fn ports(spec: &Spec) -> Vec<Port> {
    let p = &spec.service.ports;
    let mut ports = vec![Port { name: "http", port: p.http }];
    if let Some(ws) = p.websocket {
        ports.push(Port { name: "websocket", port: ws });
    }
    ports.push(Port { name: "management", port: p.management });
    ports
}

fn probes(spec: &Spec, k: &Kubernetes) -> BTreeMap<&'static str, ProbeCtx> {
    let h = &spec.service.health;
    let probe = |path: &str, p: &Probe| ProbeCtx {
        path: path.to_string(),
        period_s: p.period.as_secs_ceil().max(1),
        timeout_s: p.timeout.as_secs_ceil().max(1),
        failure_threshold: p.failure_threshold,
    };
    // Startup uses the liveness path: a built-in health group, never a custom one that may not
    // exist (the guide's /actuator/health/streaming 404s and crash-loops the pod).
    BTreeMap::from([
        ("liveness", probe(h.liveness.as_str(), &k.probes.liveness)),
        ("readiness", probe(h.readiness.as_str(), &k.probes.readiness)),
        ("startup", probe(h.liveness.as_str(), &k.probes.startup)),
    ])
}

fn ingress(spec: &Spec, k: &Kubernetes, common: &Common) -> Option<IngressCtx> {
    let ing = k.ingress.as_ref()?;
    let name = spec.service.name.as_str();
    let has_ws_port = spec.service.ports.websocket.is_some();
    // Group streaming paths by their ingress timeout, in first-seen order.
    let mut groups: Vec<IngressGroup> = Vec::new();
    for e in &spec.endpoints {
        let timeout_s = e.ingress_timeout().as_secs_ceil().max(1);
        let path = ingress_path(e, has_ws_port);
        match groups.iter_mut().find(|g| g.timeout_s == timeout_s) {
            Some(group) => group.paths.push(path),
            None => groups.push(IngressGroup {
                name: format!("{name}-streams-{timeout_s}s"),
                timeout_s,
                paths: vec![path],
            }),
        }
    }
    let root_is_stream = spec.endpoints.iter().any(|e| e.path.as_str() == "/");
    let api = (!root_is_stream).then(|| IngressGroup {
        name: format!("{name}-api"),
        timeout_s: API_TIMEOUT_S,
        paths: vec![IngressPath { path: "/".into(), path_type: "Prefix", port: "http", kind: "http" }],
    });
    let upstream_hash_by = match spec.affinity.mode {
        AffinityMode::None => None,
        _ => common.affinity.key.as_ref().map(|key| key.nginx_var.clone()),
    };
    Some(IngressCtx {
        class: ing.class.to_string(),
        host: ing.host.to_string(),
        tls_secret: ing.tls_secret.as_ref().map(|s| s.to_string()),
        streams: groups,
        api,
        upstream_hash_by,
    })
}

fn ingress_path(e: &Endpoint, has_ws_port: bool) -> IngressPath {
    let path = e.path.to_string();
    IngressPath {
        path_type: path_type(&path),
        port: if e.is_websocket() && has_ws_port { "websocket" } else { "http" },
        kind: if e.is_websocket() { "websocket" } else { "sse" },
        path,
    }
}

/// `Prefix` when the path has only the characters ingress-nginx's strict path validation allows
/// for it; `ImplementationSpecific` otherwise, which the controller takes as a plain prefix too.
fn path_type(path: &str) -> &'static str {
    let plain = path.chars().all(|c| c.is_ascii_alphanumeric() || "-._~/".contains(c));
    if plain { "Prefix" } else { "ImplementationSpecific" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_sysctls_follow_the_kubelet_version() {
        assert!(is_safe_sysctl("net.ipv4.tcp_keepalive_time", Version::new(1, 29, 0)));
        assert!(!is_safe_sysctl("net.ipv4.tcp_keepalive_time", Version::new(1, 28, 0)));
        assert!(!is_safe_sysctl("net.core.somaxconn", Version::new(1, 33, 0)));
        assert!(!is_safe_sysctl("net.ipv4.tcp_max_syn_backlog", Version::new(1, 33, 0)));
    }

    #[test]
    fn path_types_fall_back_for_characters_strict_validation_refuses() {
        assert_eq!(path_type("/api/stream/"), "Prefix");
        assert_eq!(path_type("/a:b"), "ImplementationSpecific");
    }
}

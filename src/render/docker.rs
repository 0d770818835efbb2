//! The docker target: the application's runtime image (`Dockerfile`), its entrypoint and its
//! health check script.
//!
//! The image carries what belongs to the process: a pinned JRE, a numeric non-root user, the
//! JVM flags in `JAVA_TOOL_OPTIONS` (read by the JVM itself, whatever starts it), and an
//! exec-form entrypoint so the JVM receives SIGTERM and drains its streams. Kernel settings and
//! file limits are not image properties: compose and Kubernetes set them per container.

use super::Output;
use crate::spec::Spec;
use crate::spec::model::Jvm;
use crate::spec::types::Duration;
use serde::Serialize;
use serde_json::json;

pub fn outputs(_spec: &Spec) -> Vec<Output> {
    // `container` always has defaults: every spec describes an image.
    vec![
        Output::new("docker/Dockerfile", "docker/Dockerfile.j2"),
        Output::new("docker/docker-entrypoint.sh", "docker/docker-entrypoint.sh.j2"),
        Output::new("docker/healthcheck.sh", "docker/healthcheck.sh.j2"),
    ]
}

/// Where the application lives in the image.
pub const APP_DIR: &str = "/app";
/// Folders the application writes, owned by its user: WORKDIR and COPY would make them root's.
pub const WRITABLE_DIRS: [&str; 2] = ["/app/logs", "/app/tmp"];
/// The JVM's temporary folder (Netty's native libraries, multipart uploads).
const TMP_DIR: &str = "/app/tmp";
/// Where the scripts are installed.
pub const ENTRYPOINT: &str = "/usr/local/bin/docker-entrypoint.sh";
pub const HEALTHCHECK: &str = "/usr/local/bin/healthcheck.sh";

#[derive(Debug, Serialize)]
struct ExposedPort {
    port: u16,
    what: &'static str,
}

pub fn context(spec: &Spec) -> serde_json::Value {
    let s = &spec.service;
    let hc = &spec.container.healthcheck;
    json!({
        "alpine": is_alpine(spec.container.base_image.as_str()),
        "app_dir": APP_DIR,
        "writable_dirs": WRITABLE_DIRS,
        "entrypoint": ENTRYPOINT,
        "healthcheck_script": HEALTHCHECK,
        "java_tool_options": java_tool_options(s.jvm.as_ref()),
        "spring_env": spring_image_env(spec),
        "exposed": exposed_ports(spec),
        "health_url": format!("http://127.0.0.1:{}{}", s.ports.management, s.health.readiness),
        "healthcheck": {
            "interval": go_duration(hc.interval),
            "timeout": go_duration(hc.timeout),
            "timeout_s": hc.timeout.as_secs_ceil().max(1),
            "start_period": go_duration(hc.start_period),
            "retries": hc.retries,
        },
    })
}

/// Alpine images have BusyBox's `adduser`/`addgroup` instead of shadow's `useradd`/`groupadd`.
fn is_alpine(image: &str) -> bool {
    let name = image.rsplit('/').next().unwrap_or(image);
    name.contains("alpine")
}

/// The JVM flags, heap first: a percentage of the container's memory limit leaves room for
/// Netty's direct buffers, metaspace and thread stacks, where a fixed `-Xmx` equal to the limit
/// gets the container OOM-killed. A spec without `jvm:` gets the defaults.
fn java_tool_options(jvm: Option<&Jvm>) -> Vec<String> {
    let percentage = jvm.map_or(70, |j| j.max_ram_percentage);
    let mut options =
        vec![format!("-XX:MaxRAMPercentage={percentage}"), format!("-Djava.io.tmpdir={TMP_DIR}")];
    if let Some(jvm) = jvm {
        options.extend(jvm.options.iter().map(|o| o.to_string()));
    }
    options
}

/// True when the health and metrics paths are Spring Boot actuator endpoints.
pub fn is_spring(spec: &Spec) -> bool {
    let h = &spec.service.health;
    [h.liveness.as_str(), h.readiness.as_str()].iter().all(|p| p.starts_with("/actuator/health"))
}

/// Spring Boot settings the image's own HEALTHCHECK and SIGTERM handling depend on, as
/// environment variables (relaxed binding), so the image behaves the same under plain Docker,
/// compose and Kubernetes. The spec's `environment` overrides them at run time.
fn spring_image_env(spec: &Spec) -> Vec<(String, String)> {
    if !is_spring(spec) {
        return Vec::new();
    }
    let s = &spec.service;
    let mut env = vec![
        ("SERVER_PORT".to_string(), s.ports.http.to_string()),
        ("MANAGEMENT_SERVER_PORT".to_string(), s.ports.management.to_string()),
        // The liveness and readiness groups exist by default only on Kubernetes.
        ("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED".to_string(), "true".to_string()),
        // Stop accepting new streams on SIGTERM and let open ones finish.
        ("SERVER_SHUTDOWN".to_string(), "graceful".to_string()),
    ];
    let endpoint = s.metrics_path.as_str().strip_prefix("/actuator/").and_then(|rest| rest.split('/').next());
    if let Some(endpoint) = endpoint.filter(|e| !e.is_empty() && *e != "health") {
        env.push(("MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE".to_string(), format!("health,{endpoint}")));
    }
    env
}

fn exposed_ports(spec: &Spec) -> Vec<ExposedPort> {
    let p = &spec.service.ports;
    let mut ports = vec![ExposedPort { port: p.http, what: "HTTP and SSE" }];
    if let Some(ws) = p.websocket {
        ports.push(ExposedPort { port: ws, what: "WebSocket" });
    }
    ports.push(ExposedPort { port: p.management, what: "management (health, metrics): never publish it" });
    ports
}

/// A duration as Docker and Compose parse it (Go's `time.ParseDuration`, which has no `d`):
/// whole seconds, or milliseconds when there is a fraction.
pub fn go_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) { format!("{}s", ms / 1000) } else { format!("{ms}ms") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_use_units_docker_parses() {
        assert_eq!(go_duration(Duration::from_secs(86_400)), "86400s");
        assert_eq!(go_duration(Duration::from_millis(1500)), "1500ms");
        assert_eq!(go_duration(Duration::from_secs(0)), "0s");
    }

    #[test]
    fn alpine_is_detected_from_the_tag_not_the_registry() {
        assert!(is_alpine("eclipse-temurin:21.0.5_11-jre-alpine"));
        assert!(!is_alpine("eclipse-temurin:21.0.5_11-jre-jammy"));
        assert!(!is_alpine("alpine.example.com/acme/jre:21"));
    }

    #[test]
    fn the_heap_flag_comes_first_and_defaults_without_jvm_settings() {
        let options = java_tool_options(None);
        assert_eq!(options[0], "-XX:MaxRAMPercentage=70");
        let jvm = Jvm { max_ram_percentage: 60, options: vec!["-XX:+UseG1GC".into()] };
        let options = java_tool_options(Some(&jvm));
        assert_eq!(options.first().map(String::as_str), Some("-XX:MaxRAMPercentage=60"));
        assert_eq!(options.last().map(String::as_str), Some("-XX:+UseG1GC"));
    }
}

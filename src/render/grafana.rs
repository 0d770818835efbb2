//! Grafana: one dashboard for the streaming service, plotting the same PromQL the alert rules
//! evaluate (see [`super::prometheus::queries`]), against a Prometheus data source picked by a
//! dashboard variable, so it works with whatever uid the provisioned data source has.

use super::Output;
use super::prometheus::{self, NGINX_JOB, REDIS_JOB};
use crate::spec::Spec;
use crate::spec::types::{Image, Version};
use serde::Serialize;

pub fn outputs(spec: &Spec) -> Vec<Output> {
    if spec.monitoring.as_ref().and_then(|m| m.grafana.as_ref()).is_none() {
        return Vec::new();
    }
    vec![Output::new("grafana/dashboard.json", "grafana/dashboard.json.j2")]
}

#[derive(Debug, Serialize)]
struct Panel {
    id: u32,
    title: &'static str,
    description: &'static str,
    kind: &'static str,
    unit: &'static str,
    /// Where a threshold line is drawn (the alert's threshold), if any.
    threshold: Option<f64>,
    targets: Vec<Target>,
    x: u32,
    y: u32,
}

#[derive(Debug, Serialize)]
struct Target {
    ref_id: &'static str,
    expr: String,
    legend: &'static str,
}

pub fn context(spec: &Spec) -> serde_json::Value {
    let Some(m) = &spec.monitoring else { return serde_json::Value::Null };
    let Some(g) = &m.grafana else { return serde_json::Value::Null };
    serde_json::json!({
        "uid": dashboard_uid(spec.service.name.as_str()),
        "schema_version": schema_version(&g.image),
        "panels": panels(spec),
    })
}

/// Grafana uids are at most 40 characters.
fn dashboard_uid(name: &str) -> String {
    format!("sseconf-{name}").chars().take(40).collect()
}

/// The dashboard schema the image's Grafana writes itself; older versions are migrated forward
/// on load, newer ones are not understood, so an unknown tag gets a conservative value.
pub fn schema_version(image: &Image) -> u32 {
    let tag = image.as_str().split('@').next().and_then(|s| s.rsplit_once(':')).map(|(_, t)| t);
    let version = tag.and_then(|t| {
        let numeric: String = t.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        Version::parse(numeric.trim_end_matches('.'))
            .or_else(|| Version::parse(&format!("{}.0", numeric.trim_end_matches('.'))))
    });
    match version {
        Some(v) if v.at_least(Version::new(12, 0, 0)) => 41,
        Some(v) if v.at_least(Version::new(10, 3, 0)) => 39,
        Some(v) if v.at_least(Version::new(9, 0, 0)) => 36,
        _ => 36,
    }
}

/// A panel before it is placed on the grid.
fn panel(
    title: &'static str,
    description: &'static str,
    unit: &'static str,
    threshold: Option<f64>,
    targets: Vec<Target>,
) -> Panel {
    Panel { id: 0, title, description, kind: "timeseries", unit, threshold, targets, x: 0, y: 0 }
}

fn target(ref_id: &'static str, expr: String, legend: &'static str) -> Target {
    Target { ref_id, expr, legend }
}

fn panels(spec: &Spec) -> Vec<Panel> {
    let Some(m) = &spec.monitoring else { return Vec::new() };
    let q = prometheus::queries(spec);
    let query = |name: &str| q.get(name).cloned().unwrap_or_default();
    let a = &m.alerts;
    let mut list = vec![
        panel(
            "Open streams per instance",
            "In-flight requests (each SSE stream is one until it ends); the line is the alert threshold.",
            "short",
            Some(f64::from(a.active_connections)),
            vec![target("A", query("StreamingActiveConnectionsHigh"), "{{instance}}")],
        ),
        panel(
            "p95 latency of ordinary requests",
            "95th percentile duration of non-streaming requests; streams are excluded.",
            "s",
            Some(a.p95_latency.as_millis() as f64 / 1000.0),
            vec![target("A", query("StreamingLatencyP95High"), "{{job}}")],
        ),
    ];
    if spec.endpoints.iter().any(|e| e.is_websocket()) {
        list.push(panel(
            "WebSocket errors",
            "WebSocket connection errors per window (counter websocket.connection.errors of the app).",
            "short",
            Some(f64::from(a.websocket_errors)),
            vec![target("A", query("WebSocketErrorsHigh"), "{{instance}}")],
        ));
    }
    list.push(panel(
        "JVM memory (% of container limit)",
        "Heap, non-heap and direct buffers against the container memory limit.",
        "percent",
        Some(f64::from(a.memory_percent)),
        vec![target("A", query("StreamingMemoryHigh"), "{{instance}}")],
    ));
    if spec.redis.is_some() {
        list.push(panel(
            "Redis",
            "Redis reachable (1) through redis_exporter, and its connected clients.",
            "short",
            None,
            vec![
                target("A", query("RedisDown"), "up"),
                target("B", format!("redis_connected_clients{{job=\"{REDIS_JOB}\"}}"), "clients"),
            ],
        ));
    }
    if spec.nginx.as_ref().is_some_and(|n| n.status.is_some()) {
        list.push(panel(
            "nginx connections",
            "Active client connections of nginx (stub_status through nginx-prometheus-exporter).",
            "short",
            None,
            vec![target("A", format!("nginx_connections_active{{job=\"{NGINX_JOB}\"}}"), "active")],
        ));
    }
    list.push(panel(
        "Scrape targets up",
        "1 when Prometheus reaches the target; 0 silences every alert about it.",
        "short",
        None,
        vec![target("A", query("ScrapeTargetDown"), "{{job}} {{instance}}")],
    ));
    // Stable ids and a two-column grid, in list order.
    for (i, p) in (0u32..).zip(list.iter_mut()) {
        p.id = i + 1;
        p.x = (i % 2) * 12;
        p.y = (i / 2) * 8;
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_version_follows_the_grafana_image() {
        assert_eq!(schema_version(&Image::from("grafana/grafana:11.4.0")), 39);
        assert_eq!(schema_version(&Image::from("grafana/grafana:12.1.0-ubuntu")), 41);
        assert_eq!(schema_version(&Image::from("grafana/grafana:9.5.2")), 36);
    }
}

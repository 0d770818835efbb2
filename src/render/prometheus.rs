//! Prometheus: scrape jobs for the app's actuator and for exporters (never Redis's own port),
//! alert rules from the spec's thresholds, and promtool unit tests proving each alert fires on bad
//! series and stays quiet on good ones.
//!
//! Every alert is built once here, with its PromQL, its annotations and its test series, so the
//! rules, their tests and the Grafana panels ([`queries`]) can never drift apart.

use super::Output;
use crate::spec::Spec;
use crate::spec::types::Duration;
use serde::Serialize;
use std::collections::BTreeMap;

pub fn outputs(spec: &Spec) -> Vec<Output> {
    if spec.monitoring.is_none() {
        return Vec::new();
    }
    vec![
        Output::new("prometheus/prometheus.yml", "prometheus/prometheus.yml.j2"),
        Output::new("prometheus/rules.yml", "prometheus/rules.yml.j2"),
        Output::new("prometheus/rules.test.yml", "prometheus/rules.test.yml.j2"),
    ]
}

/// Compose service names and ports of the exporters (fixed; the compose target uses them).
pub const REDIS_EXPORTER: &str = "redis-exporter:9121";
pub const NGINX_EXPORTER: &str = "nginx-exporter:9113";

/// Job names of the exporters, as alerts and dashboards select them.
pub const REDIS_JOB: &str = "redis";
pub const NGINX_JOB: &str = "nginx";

/// Micrometer metric names a Spring Boot 3 app exports through /actuator/prometheus.
/// In-flight requests (a LongTaskTimer): every open SSE response is one.
pub const ACTIVE_REQUESTS: &str = "http_server_requests_active_seconds_active_count";
/// Request duration histogram; needs `management.metrics.distribution.percentiles-histogram.
/// http.server.requests=true` in the app, or only `_count`/`_sum` exist.
pub const REQUEST_BUCKETS: &str = "http_server_requests_seconds_bucket";
/// Heap and non-heap memory per pool.
pub const JVM_MEMORY: &str = "jvm_memory_used_bytes";
/// Buffer pools; `id="direct"` holds Netty's stream buffers.
pub const JVM_BUFFERS: &str = "jvm_buffer_memory_used_bytes";
/// The guide's custom counter (the app registers `websocket.connection.errors`); Micrometer has
/// no built-in WebSocket error metric.
pub const WS_ERRORS: &str = "websocket_connection_errors_total";

#[derive(Debug, Serialize)]
struct Job {
    name: String,
    target: String,
    metrics_path: Option<String>,
    /// Discover every address of the name (compose replicas share one DNS name), instead of
    /// scraping whichever replica the name resolves to first.
    dns_port: Option<u16>,
    comment: &'static str,
}

/// One alert rule with what proves it: series on which it must fire, and series on which it must
/// stay quiet.
#[derive(Debug, Clone, Serialize)]
pub struct Alert {
    pub name: &'static str,
    /// The query without its threshold (what a dashboard plots).
    pub query: String,
    /// The full rule expression: `query > threshold` or similar.
    pub expr: String,
    pub for_: String,
    pub severity: &'static str,
    pub summary: String,
    /// With `{{ $labels.x }}` templates, expanded by Prometheus.
    pub description: String,
    /// Why the rule is written this way, as comment lines above it.
    pub why: Vec<String>,
    pub fires: Case,
    pub quiet: Vec<Case>,
}

/// A promtool test case: input series, and the alert's labels when it fires.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    pub what: String,
    pub series: Vec<Series>,
    /// Labels of the firing alert (besides `alertname`), with the description expanded; empty for
    /// quiet cases.
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub series: String,
    pub values: String,
}

/// Samples per test series (one a minute): long enough for the longest window plus `for`.
const TEST_SAMPLES: u64 = 40;

pub fn context(spec: &Spec) -> serde_json::Value {
    let Some(m) = &spec.monitoring else { return serde_json::Value::Null };
    let alerts = alerts(spec);
    let eval_time = alerts.iter().map(|a| eval_minutes(a, spec)).max().unwrap_or(10);
    serde_json::json!({
        "scrape_interval": m.scrape_interval.to_string(),
        "evaluation_interval": m.evaluation_interval.to_string(),
        "jobs": jobs(spec),
        "alerts": alerts,
        "eval_time": format!("{eval_time}m"),
        "window": window(spec).to_string(),
    })
}

fn jobs(spec: &Spec) -> Vec<Job> {
    let name = spec.service.name.to_string();
    let replicated = spec.service.replicas > 1 && spec.backends.servers.is_empty();
    let mut jobs = vec![Job {
        target: format!("{name}:{}", spec.service.ports.management),
        dns_port: replicated.then_some(spec.service.ports.management),
        name,
        metrics_path: Some(spec.service.metrics_path.to_string()),
        comment: "The app's actuator on the management port (never published to clients).",
    }];
    if spec.redis.is_some() {
        jobs.push(Job {
            name: REDIS_JOB.into(),
            target: REDIS_EXPORTER.into(),
            metrics_path: None,
            dns_port: None,
            comment: "redis_exporter: Redis itself does not speak HTTP, so its own port is never scraped.",
        });
    }
    if spec.nginx.as_ref().is_some_and(|n| n.status.is_some()) {
        jobs.push(Job {
            name: NGINX_JOB.into(),
            target: NGINX_EXPORTER.into(),
            metrics_path: None,
            dns_port: None,
            comment: "nginx-prometheus-exporter, reading nginx's stub_status location.",
        });
    }
    jobs
}

/// Window of `rate`/`increase`: 5 minutes, or four scrapes when scraping is slower, so every
/// window holds enough samples.
fn window(spec: &Spec) -> Duration {
    let scrape = spec.monitoring.as_ref().map_or(Duration::from_secs(15), |m| m.scrape_interval);
    Duration::from_secs(300).max(scrape.saturating_mul(4))
}

/// The minute at which a test evaluates: the window filled, `for` elapsed, plus a margin.
fn eval_minutes(alert: &Alert, spec: &Spec) -> u64 {
    let for_ = Duration::parse(&alert.for_).map_or(0, |d| d.as_secs_ceil());
    (window(spec).as_secs_ceil() + for_).div_ceil(60) + 2
}

/// Seconds as PromQL writes a number: `5`, `0.5`.
fn secs(millis: u64) -> String {
    let whole = millis / 1000;
    let frac = millis % 1000;
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{}", format!("{frac:03}").trim_end_matches('0'))
    }
}

/// A regex (RE2, anchored) matching every URI under the streaming endpoints, for a PromQL raw
/// string: the metacharacters a spec path can hold are escaped.
fn stream_uri_regex(spec: &Spec) -> String {
    let escape = |p: &str| {
        p.chars().fold(String::new(), |mut s, c| {
            if matches!(c, '.' | '*' | '+') {
                s.push('\\');
            }
            s.push(c);
            s
        })
    };
    let alternatives: Vec<String> =
        spec.endpoints.iter().map(|e| format!("{}.*", escape(e.path.as_str()))).collect();
    alternatives.join("|")
}

/// Every alert the spec asks for, in a fixed order.
pub fn alerts(spec: &Spec) -> Vec<Alert> {
    let Some(m) = &spec.monitoring else { return Vec::new() };
    let app = spec.service.name.to_string();
    let instance = format!("{app}:{}", spec.service.ports.management);
    let w = window(spec).to_string();
    let mut alerts = vec![
        active_streams(&app, &instance, m.alerts.active_connections),
        latency(spec, &app, &instance, &w, m.alerts.p95_latency.as_millis()),
    ];
    if spec.endpoints.iter().any(|e| e.is_websocket()) {
        alerts.push(websocket_errors(&app, &instance, &w, m.alerts.websocket_errors));
    }
    alerts.push(memory(spec, &app, &instance, m.alerts.memory_percent));
    alerts.push(target_down(spec, &app, &instance));
    if spec.redis.is_some() {
        alerts.push(exporter_down("RedisDown", REDIS_JOB, "redis_up", REDIS_EXPORTER, "Redis"));
    }
    if spec.nginx.as_ref().is_some_and(|n| n.status.is_some()) {
        alerts.push(exporter_down("NginxDown", NGINX_JOB, "nginx_up", NGINX_EXPORTER, "nginx"));
    }
    alerts
}

/// Splits a comment into lines of at most 90 characters.
fn wrap(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.len() + 1 + word.len() <= 90 => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Expected annotations of a firing alert: the description with its label templates expanded.
fn expanded(summary: &str, description: &str, l: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut text = description.to_string();
    for (k, v) in l {
        text = text.replace(&format!("{{{{ $labels.{k} }}}}"), v);
    }
    labels(&[("summary", summary), ("description", &text)])
}

fn gauge(series: String, value: u64) -> Series {
    Series { series, values: format!("{value}x{TEST_SAMPLES}") }
}

fn counter(series: String, per_minute: u64) -> Series {
    Series { series, values: format!("0+{per_minute}x{TEST_SAMPLES}") }
}

fn case(what: &str, series: Vec<Series>) -> Case {
    Case { what: what.into(), series, labels: BTreeMap::new(), annotations: BTreeMap::new() }
}

fn firing(
    what: &str,
    series: Vec<Series>,
    l: BTreeMap<String, String>,
    summary: &str,
    description: &str,
) -> Case {
    Case { what: what.into(), series, annotations: expanded(summary, description, &l), labels: l }
}

fn active_streams(app: &str, instance: &str, threshold: u32) -> Alert {
    let t = u64::from(threshold);
    let query = format!("sum by (job, instance) ({ACTIVE_REQUESTS}{{job=\"{app}\"}})");
    let summary = "Too many open streams on one instance";
    let description = format!(
        "{{{{ $labels.instance }}}} has held more than {threshold} open requests (streams) for 2 minutes."
    );
    let s = |v| {
        vec![gauge(
            format!(
                "{ACTIVE_REQUESTS}{{job=\"{app}\",instance=\"{instance}\",method=\"POST\",uri=\"UNKNOWN\"}}"
            ),
            v,
        )]
    };
    let l = labels(&[("job", app), ("instance", instance), ("severity", "warning")]);
    Alert {
        name: "StreamingActiveConnectionsHigh",
        expr: format!("{query} > {threshold}"),
        query,
        for_: "2m".into(),
        severity: "warning",
        why: wrap(
            "Open requests per instance (Micrometer's http.server.requests.active): each SSE stream stays open until it ends.",
        ),
        fires: firing(
            &format!("open streams: {}", t + t / 4 + 1),
            s(t + t / 4 + 1),
            l,
            summary,
            &description,
        ),
        quiet: vec![case(&format!("open streams: {}", t / 2), s(t / 2))],
        summary: summary.into(),
        description,
    }
}

fn latency(spec: &Spec, app: &str, instance: &str, w: &str, threshold_ms: u64) -> Alert {
    let streams = stream_uri_regex(spec);
    let query = format!(
        "histogram_quantile(0.95, sum by (job, le) (rate({REQUEST_BUCKETS}{{job=\"{app}\", uri!~`{streams}`}}[{w}])))"
    );
    let threshold = secs(threshold_ms);
    let summary = "Slow requests";
    let description = format!(
        "The 95th percentile duration of non-streaming requests of {{{{ $labels.job }}}} has been above {threshold}s for 5 minutes."
    );
    // Buckets at half and twice the threshold: all requests in the upper one give a p95 near
    // 1.9 × threshold, all in the lower one near 0.48 × threshold.
    let (low, high) = (secs(threshold_ms / 2), secs(threshold_ms.saturating_mul(2)));
    let buckets = |uri: &str, in_low: bool| {
        [(low.as_str(), in_low), (high.as_str(), true), ("+Inf", true)]
            .iter()
            .map(|(le, counted)| {
                let sel = format!(
                    "{REQUEST_BUCKETS}{{job=\"{app}\",instance=\"{instance}\",uri=\"{uri}\",le=\"{le}\"}}"
                );
                counter(sel, if *counted { 60 } else { 0 })
            })
            .collect::<Vec<_>>()
    };
    let stream_uri = spec.endpoints.first().map_or_else(|| "/".to_string(), |e| format!("{}x", e.path));
    let ordinary = "/sseconf/not-a-stream";
    let l = labels(&[("job", app), ("severity", "warning")]);
    Alert {
        name: "StreamingLatencyP95High",
        expr: format!("{query} > {threshold}"),
        query,
        for_: "5m".into(),
        severity: "warning",
        why: wrap(
            "histogram_quantile over the rate of buckets summed by le: a lifetime quantile (no rate) never moves, and without le there are no buckets. Streams are excluded: they last minutes by design.",
        ),
        fires: firing(
            "every ordinary request slower than the threshold",
            buckets(ordinary, false),
            l,
            summary,
            &description,
        ),
        quiet: vec![
            case("every ordinary request faster than the threshold", buckets(ordinary, true)),
            case("only streams are slow", buckets(&stream_uri, false)),
        ],
        summary: summary.into(),
        description,
    }
}

fn websocket_errors(app: &str, instance: &str, w: &str, threshold: u32) -> Alert {
    let t = u64::from(threshold);
    let query = format!("sum by (job, instance) (increase({WS_ERRORS}{{job=\"{app}\"}}[{w}]))");
    let summary = "WebSocket connections failing";
    let description = format!(
        "{{{{ $labels.instance }}}} counted more than {threshold} WebSocket connection errors in {w}."
    );
    let s = |per_minute| {
        vec![counter(format!("{WS_ERRORS}{{job=\"{app}\",instance=\"{instance}\"}}"), per_minute)]
    };
    let l = labels(&[("job", app), ("instance", instance), ("severity", "warning")]);
    Alert {
        name: "WebSocketErrorsHigh",
        expr: format!("{query} > {threshold}"),
        query,
        for_: "1m".into(),
        severity: "warning",
        why: wrap(
            "increase() over a window: a raw counter only grows, and would fire once and never stop. The app registers the counter websocket.connection.errors.",
        ),
        fires: firing(&format!("errors a minute: {t}"), s(t), l, summary, &description),
        quiet: vec![case(&format!("errors a minute: {}", t / 10), s(t / 10))],
        summary: summary.into(),
        description,
    }
}

fn memory(spec: &Spec, app: &str, instance: &str, percent: u32) -> Alert {
    let limit = spec.service.resources.limits.memory;
    let bytes = limit.bytes();
    let query = format!(
        "(sum by (job, instance) ({JVM_MEMORY}{{job=\"{app}\"}}) + sum by (job, instance) ({JVM_BUFFERS}{{job=\"{app}\", id=\"direct\"}})) / {bytes} * 100"
    );
    let summary = "JVM memory close to the container limit";
    let description = format!(
        "Heap, non-heap and direct buffers of {{{{ $labels.instance }}}} have used more than {percent}% of the {} container limit for 5 minutes; the kernel kills the container at the limit.",
        limit.kubernetes()
    );
    let s = |used: u64| {
        vec![
            gauge(
                format!(
                    "{JVM_MEMORY}{{job=\"{app}\",instance=\"{instance}\",area=\"heap\",id=\"G1 Old Gen\"}}"
                ),
                used,
            ),
            gauge(format!("{JVM_BUFFERS}{{job=\"{app}\",instance=\"{instance}\",id=\"direct\"}}"), 0),
        ]
    };
    let p = u64::from(percent);
    let high = bytes / 200 * (p + 100) + bytes / 100;
    let low = bytes / 200 * p;
    let l = labels(&[("job", app), ("instance", instance), ("severity", "warning")]);
    Alert {
        name: "StreamingMemoryHigh",
        expr: format!("{query} > {percent}"),
        query,
        for_: "5m".into(),
        severity: "warning",
        why: wrap(
            "The app's own JVM metrics, scoped by job: process_resident_memory_bytes is not exported by Micrometer, and unscoped it watches Prometheus itself.",
        ),
        fires: firing("memory above the threshold", s(high), l, summary, &description),
        quiet: vec![case("memory at half the threshold", s(low))],
        summary: summary.into(),
        description,
    }
}

fn target_down(spec: &Spec, app: &str, instance: &str) -> Alert {
    let names: Vec<String> = jobs(spec).into_iter().map(|j| j.name).collect();
    let query = format!("up{{job=~\"{}\"}}", names.join("|"));
    let summary = "Scrape target down";
    let description =
        "Prometheus cannot scrape {{ $labels.instance }} (job {{ $labels.job }}): its alerts are blind."
            .to_string();
    let s = |v| vec![gauge(format!("up{{job=\"{app}\",instance=\"{instance}\"}}"), v)];
    let l = labels(&[("job", app), ("instance", instance), ("severity", "critical")]);
    Alert {
        name: "ScrapeTargetDown",
        expr: format!("{query} == 0"),
        query,
        for_: "2m".into(),
        severity: "critical",
        why: wrap("Every job of this file: a target that is down silences every other alert about it."),
        fires: firing("the app target down", s(0), l, summary, &description),
        quiet: vec![case("the app target up", s(1))],
        summary: summary.into(),
        description,
    }
}

fn exporter_down(name: &'static str, job: &str, metric: &str, instance: &str, what: &str) -> Alert {
    let query = format!("{metric}{{job=\"{job}\"}}");
    let summary = format!("{what} down");
    let description = format!("The exporter at {{{{ $labels.instance }}}} cannot reach {what}.");
    let s = |v| vec![gauge(format!("{metric}{{job=\"{job}\",instance=\"{instance}\"}}"), v)];
    let l = labels(&[("job", job), ("instance", instance), ("severity", "critical")]);
    Alert {
        name,
        expr: format!("{query} == 0"),
        query,
        for_: "1m".into(),
        severity: "critical",
        why: wrap("The exporter answers even when what it watches is down; its *_up gauge says so."),
        fires: firing(&format!("{what} unreachable"), s(0), l, &summary, &description),
        quiet: vec![case(&format!("{what} reachable"), s(1))],
        summary,
        description,
    }
}

/// Dashboard queries, the same PromQL as the alerts, by alert name.
pub fn queries(spec: &Spec) -> BTreeMap<&'static str, String> {
    alerts(spec).into_iter().map(|a| (a.name, a.query)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_written_as_promql_numbers() {
        assert_eq!(secs(5000), "5");
        assert_eq!(secs(500), "0.5");
        assert_eq!(secs(1250), "1.25");
    }
}

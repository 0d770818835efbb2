//! Prometheus and Grafana: promtool checks the config and rules and runs the generated unit
//! tests; the tests are shown to have teeth by breaking the rules; the guide's monitoring mistakes
//! (scraping Redis's own port, an Alertmanager nobody deploys, histogram_quantile without rate or
//! le, unscoped process metrics) are corrected; the dashboard plots the rules' own PromQL.

use super::common;
use super::custom;
use super::support::{self, Versions};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

fn promtool(args: &[&str], dir: &Path) -> Option<(bool, String)> {
    let promtool = common::tool("promtool")?;
    let out = Command::new(promtool).args(args).current_dir(dir).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    Some((out.status.success(), text))
}

fn rules_of(files: &BTreeMap<String, String>) -> Vec<Value> {
    let docs = custom::yaml_docs("prometheus/rules.yml", &files["prometheus/rules.yml"]);
    docs[0]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["rules"].as_array().unwrap().clone())
        .collect()
}

#[test]
fn promtool_accepts_config_and_rules_and_their_unit_tests_pass() {
    for versions in [Versions::Debian, Versions::AsWritten] {
        let out = support::gen_example("examples/streaming.yaml", versions);
        let dir = out.path().join("prometheus");
        for args in [
            &["check", "config", "prometheus.yml"][..],
            &["check", "rules", "rules.yml"][..],
            &["test", "rules", "rules.test.yml"][..],
        ] {
            let Some((ok, text)) = promtool(args, &dir) else { return };
            assert!(ok, "promtool {args:?} failed ({versions:?}):\n{text}");
            assert!(text.contains("SUCCESS"), "{text}");
        }
        custom::yamllint(&[dir.join("prometheus.yml"), dir.join("rules.yml"), dir.join("rules.test.yml")]);
    }
}

#[test]
fn the_minimal_example_writes_no_monitoring() {
    let out = support::gen_example("examples/minimal.yaml", Versions::AsWritten);
    let files = support::read_tree(out.path());
    assert!(
        files.keys().all(|p| !p.starts_with("prometheus/") && !p.starts_with("grafana/")),
        "{:?}",
        files.keys().collect::<Vec<_>>()
    );
}

/// Replaces every alert threshold in rules.yml and runs the unit tests, which must now fail and
/// name every affected alert.
fn sabotaged(dir: &Path, rules: &str, edit: impl Fn(&str) -> String, expect_failing: &[&str]) {
    std::fs::write(dir.join("rules.yml"), edit(rules)).unwrap();
    let Some((ok, text)) = promtool(&["test", "rules", "rules.test.yml"], dir) else { return };
    assert!(!ok, "the unit tests passed on broken rules");
    for alert in expect_failing {
        assert!(text.contains(alert), "no test of {alert} failed:\n{text}");
    }
    std::fs::write(dir.join("rules.yml"), rules).unwrap();
}

/// rules.yml with the comparison at the end of every expression line replaced: `> N` by
/// `greater`, `== 0` by `equal`.
fn with_threshold(rules: &str, greater: &str, equal: &str) -> String {
    let mut changed = 0;
    let lines: Vec<String> = rules
        .lines()
        .map(|l| {
            let is_expr = l.starts_with("          ") && !l.trim_start().starts_with('#');
            match (is_expr, l.rfind(" > "), l.strip_suffix(" == 0")) {
                (true, _, Some(head)) => {
                    changed += 1;
                    format!("{head}{equal}")
                }
                (true, Some(i), None) => {
                    changed += 1;
                    format!("{}{greater}", &l[..i])
                }
                _ => l.to_string(),
            }
        })
        .collect();
    assert!(changed >= 5, "found only {changed} thresholds to change");
    lines.join("\n") + "\n"
}

#[test]
fn the_unit_tests_fail_when_an_alert_cannot_fire_or_always_fires() {
    let out = support::gen_example("examples/streaming.yaml", Versions::Debian);
    let dir = out.path().join("prometheus");
    let rules = std::fs::read_to_string(dir.join("rules.yml")).unwrap();
    let names: Vec<String> = rules_of(&support::read_tree(out.path()))
        .iter()
        .map(|r| r["alert"].as_str().unwrap().to_string())
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    // Thresholds out of reach: every "fires" test must fail.
    sabotaged(&dir, &rules, |t| with_threshold(t, " > 1e15", " == 7"), &names);
    // Thresholds always met: every "stays quiet" test must fail.
    sabotaged(&dir, &rules, |t| with_threshold(t, " > -1e15", " >= 0"), &names);
}

#[test]
fn scrape_jobs_point_at_exporters_and_nothing_undeployed() {
    let out = support::gen_example("examples/streaming.yaml", Versions::AsWritten);
    let files = support::read_tree(out.path());
    let text = &files["prometheus/prometheus.yml"];
    assert!(!text.contains(":6379"), "Redis does not speak HTTP: scrape redis_exporter");
    let config = &custom::yaml_docs("prometheus/prometheus.yml", text)[0];
    // Only keys that Prometheus 2 and 3 both accept; no alerting section for a missing Alertmanager.
    let top: BTreeSet<&str> = config.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(top, BTreeSet::from(["global", "rule_files", "scrape_configs"]));
    assert_eq!(config["rule_files"], serde_json::json!(["rules.yml"]));
    assert!(files.contains_key("prometheus/rules.yml"), "rule_files names a file beside the config");
    let jobs: Vec<(String, String, Option<String>)> = config["scrape_configs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| {
            let keys: BTreeSet<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
            assert!(
                keys.is_subset(&BTreeSet::from([
                    "job_name",
                    "metrics_path",
                    "static_configs",
                    "dns_sd_configs"
                ])),
                "{keys:?}"
            );
            // Replicas behind one name are discovered by DNS (every address), others are static.
            let target = match j.get("dns_sd_configs") {
                Some(dns) => format!("{}:{}", dns[0]["names"][0].as_str().unwrap(), dns[0]["port"]),
                None => j["static_configs"][0]["targets"][0].as_str().unwrap().to_string(),
            };
            (
                j["job_name"].as_str().unwrap().to_string(),
                target,
                j["metrics_path"].as_str().map(String::from),
            )
        })
        .collect();
    assert_eq!(
        jobs,
        vec![
            ("streaming-app".into(), "streaming-app:8081".into(), Some("/actuator/prometheus".into())),
            ("redis".into(), "redis-exporter:9121".into(), None),
            ("nginx".into(), "nginx-exporter:9113".into(), None),
        ]
    );
}

#[test]
fn alert_rules_are_correct_promql_scoped_by_job_and_wait_before_firing() {
    let out = support::gen_example("examples/streaming.yaml", Versions::AsWritten);
    let files = support::read_tree(out.path());
    let rules = rules_of(&files);
    assert!(rules.len() >= 5, "{rules:?}");
    for rule in &rules {
        let name = rule["alert"].as_str().unwrap();
        let expr = rule["expr"].as_str().unwrap();
        assert!(rule["for"].as_str().is_some_and(|f| f != "0s"), "{name} has no `for:`");
        assert!(expr.contains("job=\"") || expr.contains("job=~\""), "{name} is not scoped by job: {expr}");
        assert!(!expr.contains("process_resident_memory_bytes"), "{name}: Micrometer does not export it");
        if expr.contains("_total") {
            assert!(expr.contains("increase(") || expr.contains("rate("), "{name} compares a raw counter");
        }
        if let Some(at) = expr.find("histogram_quantile(") {
            let inner = &expr[at..];
            assert!(inner.contains("sum by (") && inner.contains("le)"), "{name}: no sum by (le): {expr}");
            assert!(inner.contains("(rate("), "{name}: buckets without rate: {expr}");
        }
    }
    let names: BTreeSet<&str> = rules.iter().map(|r| r["alert"].as_str().unwrap()).collect();
    for expected in [
        "StreamingActiveConnectionsHigh",
        "StreamingLatencyP95High",
        "WebSocketErrorsHigh",
        "StreamingMemoryHigh",
    ] {
        assert!(names.contains(expected), "missing {expected}");
    }
    let latency = rules.iter().find(|r| r["alert"] == "StreamingLatencyP95High").unwrap();
    assert_eq!(
        latency["expr"],
        "histogram_quantile(0.95, sum by (job, le) (rate(http_server_requests_seconds_bucket{job=\"streaming-app\", uri!~`/web/api/v1/gpt/queryAgentStreamIncr.*|/api/stream/.*|/ws/.*`}[5m]))) > 5"
    );
}

#[test]
fn every_alert_has_a_firing_and_a_quiet_unit_test() {
    let out = support::gen_example("examples/streaming.yaml", Versions::AsWritten);
    let files = support::read_tree(out.path());
    let tests = &custom::yaml_docs("prometheus/rules.test.yml", &files["prometheus/rules.test.yml"])[0];
    assert_eq!(tests["rule_files"], serde_json::json!(["rules.yml"]));
    let mut fires = BTreeSet::new();
    let mut quiet = BTreeSet::new();
    for test in tests["tests"].as_array().unwrap() {
        for check in test["alert_rule_test"].as_array().unwrap() {
            let name = check["alertname"].as_str().unwrap().to_string();
            if check["exp_alerts"].as_array().unwrap().is_empty() {
                quiet.insert(name);
            } else {
                fires.insert(name);
            }
        }
    }
    let alerts: BTreeSet<String> =
        rules_of(&files).iter().map(|r| r["alert"].as_str().unwrap().to_string()).collect();
    assert_eq!(fires, alerts, "every alert needs a test where it fires");
    assert_eq!(quiet, alerts, "every alert needs a test where it stays quiet");
}

/// A small PromQL sanity check for panel queries that no rule uses: balanced brackets and quotes,
/// a metric name, and a job selector.
fn looks_like_promql(expr: &str) -> bool {
    let mut depth: Vec<char> = Vec::new();
    let mut quote: Option<char> = None;
    for c in expr.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '`') => quote = Some(c),
            (None, '(' | '{' | '[') => depth.push(c),
            (None, ')') if depth.pop() != Some('(') => return false,
            (None, '}') if depth.pop() != Some('{') => return false,
            (None, ']') if depth.pop() != Some('[') => return false,
            _ => {}
        }
    }
    let starts_with_name = expr.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '(');
    depth.is_empty() && quote.is_none() && starts_with_name && expr.contains("job=")
}

#[test]
fn the_dashboard_is_deterministic_json_plotting_the_rules_promql() {
    let out = support::gen_example("examples/streaming.yaml", Versions::AsWritten);
    let files = support::read_tree(out.path());
    let text = &files["grafana/dashboard.json"];
    let dashboard: Value = serde_json::from_str(text).unwrap();
    assert!(
        dashboard["description"]
            .as_str()
            .unwrap()
            .starts_with("Generated by sseconf from examples/streaming.yaml")
    );
    assert_eq!(dashboard["schemaVersion"], 39, "Grafana 11.4 writes schema 39");
    assert!(dashboard["uid"].as_str().unwrap().len() <= 40);
    assert!(!text.contains("\\u00"), "escaped characters make the JSON hard to read");

    let rule_exprs: BTreeSet<String> =
        rules_of(&files).iter().map(|r| r["expr"].as_str().unwrap().to_string()).collect();
    let panels = dashboard["panels"].as_array().unwrap();
    let ids: BTreeSet<u64> = panels.iter().map(|p| p["id"].as_u64().unwrap()).collect();
    assert_eq!(ids.len(), panels.len(), "panel ids are unique");
    let titles: Vec<&str> = panels.iter().map(|p| p["title"].as_str().unwrap()).collect();
    for wanted in ["Open streams", "p95 latency", "WebSocket errors", "JVM memory", "Redis"] {
        assert!(titles.iter().any(|t| t.starts_with(wanted)), "no {wanted} panel in {titles:?}");
    }
    let mut from_rules = 0;
    for panel in panels {
        assert_eq!(panel["datasource"]["uid"], "${datasource}");
        for target in panel["targets"].as_array().unwrap() {
            let expr = target["expr"].as_str().unwrap();
            if rule_exprs.iter().any(|r| r.starts_with(expr) && r.len() > expr.len()) {
                from_rules += 1;
            } else {
                assert!(looks_like_promql(expr), "{}: {expr}", panel["title"]);
            }
        }
    }
    assert!(from_rules >= 5, "panels should plot the alert queries");
    assert!(!looks_like_promql("sum(rate(x{job=\"a\"}[5m])"), "the syntax check must catch a missing paren");
}

#[test]
fn grafana_schema_follows_the_image_version() {
    let out = custom::gen_edited("examples/streaming.yaml", |t| {
        t.replace("grafana/grafana:11.4.0", "grafana/grafana:12.1.0")
    });
    let text = std::fs::read_to_string(out.path().join("deploy/grafana/dashboard.json")).unwrap();
    let dashboard: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(dashboard["schemaVersion"], 41);
}

/// The streaming example without Redis and without nginx's stub_status.
fn without_exporters(text: &str) -> String {
    let cut = |t: &str, from: &str, to: &str| -> String {
        let start = t.find(from).unwrap();
        let end = start + t[start..].find(to).unwrap();
        format!("{}{}", &t[..start], &t[end..])
    };
    let t = cut(text, "\nredis:\n", "\n\n");
    cut(&t, "  status:\n", "  access_log")
}

#[test]
fn exporters_and_their_alerts_follow_the_spec() {
    let out = custom::gen_edited("examples/streaming.yaml", without_exporters);
    let dir = out.path().join("deploy/prometheus");
    let files = support::read_tree(&out.path().join("deploy"));
    let config = &custom::yaml_docs("prometheus/prometheus.yml", &files["prometheus/prometheus.yml"])[0];
    let jobs: Vec<&str> = config["scrape_configs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["job_name"].as_str().unwrap())
        .collect();
    assert_eq!(jobs, vec!["streaming-app"], "no exporter without Redis or stub_status");
    let alerts: Vec<String> =
        rules_of(&files).iter().map(|r| r["alert"].as_str().unwrap().to_string()).collect();
    assert!(!alerts.iter().any(|a| a == "RedisDown" || a == "NginxDown"), "{alerts:?}");
    let down = rules_of(&files).into_iter().find(|r| r["alert"] == "ScrapeTargetDown").unwrap();
    assert_eq!(down["expr"], "up{job=~\"streaming-app\"} == 0");
    for args in [&["check", "config", "prometheus.yml"][..], &["test", "rules", "rules.test.yml"][..]] {
        let Some((ok, text)) = promtool(args, &dir) else { return };
        assert!(ok, "promtool {args:?}:\n{text}");
    }
    let dashboard: Value = serde_json::from_str(&files["grafana/dashboard.json"]).unwrap();
    let titles: Vec<&str> =
        dashboard["panels"].as_array().unwrap().iter().map(|p| p["title"].as_str().unwrap()).collect();
    assert!(!titles.contains(&"Redis") && !titles.contains(&"nginx connections"), "{titles:?}");
}

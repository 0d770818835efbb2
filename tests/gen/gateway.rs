//! Spring Cloud Gateway: one `spring:` tree (the guide had two `cloud:` keys), the property
//! prefix of the target version, streams without Retry, body rewriting or a circuit breaker that
//! cuts them, Resilience4J's time limiter set, and secrets from the environment only.

use super::custom;
use super::support::{self, Versions};
use serde_json::Value;
use std::collections::BTreeMap;

fn application(files: &BTreeMap<String, String>) -> Value {
    let text = &files["gateway/application.yml"];
    let (doc, _) = custom::yaml_root("gateway/application.yml", text);
    sseconf::parse::yaml::to_json(&doc, &doc.root).unwrap()
}

fn gateway_tree(app: &Value, webflux: bool) -> &Value {
    let gateway = &app["spring"]["cloud"]["gateway"];
    if webflux { &gateway["server"]["webflux"] } else { gateway }
}

fn route<'a>(tree: &'a Value, id: &str) -> &'a Value {
    tree["routes"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap()
}

fn filter_names(route: &Value) -> Vec<String> {
    route["filters"]
        .as_array()
        .map(|f| f.iter().map(|f| f["name"].as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn yamllint_and_the_project_parser_accept_one_spring_tree() {
    let out = support::gen_example("examples/streaming.yaml", Versions::AsWritten);
    let files = support::read_tree(out.path());
    custom::yamllint(&[out.path().join("gateway/application.yml")]);
    let text = &files["gateway/application.yml"];
    // The parser reports duplicate keys (the guide's second `cloud:`) as errors.
    let (doc, _) = custom::yaml_root("gateway/application.yml", text);
    let spring_keys = doc.root.entries().iter().filter(|e| e.key.as_str() == Some("spring")).count();
    assert_eq!(spring_keys, 1);
    let cloud_keys = doc
        .root
        .value_of("spring")
        .unwrap()
        .entries()
        .iter()
        .filter(|e| e.key.as_str() == Some("cloud"))
        .count();
    assert_eq!(cloud_keys, 1);
    assert_eq!(text.lines().filter(|l| *l == "spring:").count(), 1);

    // And the check itself catches the guide's mistake.
    let broken = format!("{text}\nspring:\n  cloud:\n    gateway: {{}}\n");
    assert!(!sseconf::parse::yaml::parse(&broken).errors.is_empty(), "duplicate keys must be reported");
}

#[test]
fn the_minimal_example_writes_no_gateway() {
    let out = support::gen_example("examples/minimal.yaml", Versions::AsWritten);
    assert!(!support::read_tree(out.path()).contains_key("gateway/application.yml"));
}

#[test]
fn the_property_prefix_follows_the_gateway_version() {
    let current = application(&support::read_tree(
        support::gen_example("examples/streaming.yaml", Versions::AsWritten).path(),
    ));
    assert!(current["spring"]["cloud"]["gateway"]["server"]["webflux"]["routes"].is_array());
    assert!(current["spring"]["cloud"]["gateway"].get("routes").is_none(), "legacy prefix on 4.3");

    let out = custom::gen_edited("examples/streaming.yaml", |t| {
        t.replace("spring_cloud_gateway: \"4.3\"", "spring_cloud_gateway: \"4.1\"")
    });
    let old = application(&support::read_tree(&out.path().join("deploy")));
    assert!(old["spring"]["cloud"]["gateway"]["routes"].is_array());
    assert!(old["spring"]["cloud"]["gateway"].get("server").is_none());
    custom::yamllint(&[out.path().join("deploy/gateway/application.yml")]);
}

#[test]
fn streaming_routes_are_never_retried_rewritten_or_cut() {
    let files =
        support::read_tree(support::gen_example("examples/streaming.yaml", Versions::AsWritten).path());
    let text = &files["gateway/application.yml"];
    assert!(!text.contains("ModifyRequestBody") && !text.contains("ModifyResponseBody"));
    let app = application(&files);
    let tree = gateway_tree(&app, true);
    let stream = route(tree, "streaming-route");
    let api = route(tree, "api-route");
    assert_eq!(filter_names(stream), vec!["RequestRateLimiter"], "only rate limiting on a stream");
    assert_eq!(stream["metadata"]["response-timeout"], -1, "the global response timeout must not cut it");
    // The stream's route is matched before the broader /web/api/** one.
    assert!(stream["order"].as_i64().unwrap() < api["order"].as_i64().unwrap());

    assert_eq!(filter_names(api), vec!["CircuitBreaker", "Retry", "RequestRateLimiter"]);
    let retry = api["filters"].as_array().unwrap().iter().find(|f| f["name"] == "Retry").unwrap();
    assert_eq!(retry["args"]["methods"], "GET", "never retry POST");
    assert_eq!(retry["args"]["statuses"], "BAD_GATEWAY,SERVICE_UNAVAILABLE");
    assert_eq!(retry["args"]["series"], "", "no blanket retry of every 5xx");

    // The breaker's time limiter is set (the 1s default cancels slow calls).
    let breaker = api["filters"][0]["args"]["name"].as_str().unwrap();
    assert_eq!(app["resilience4j"]["timelimiter"]["instances"][breaker]["timeout-duration"], "10s");

    let limiter = stream["filters"][0]["args"].clone();
    assert_eq!(limiter["redis-rate-limiter.replenishRate"], 100);
    assert_eq!(limiter["redis-rate-limiter.burstCapacity"], 200);
    assert_eq!(limiter["redis-rate-limiter.requestedTokens"], 1);
    assert_eq!(limiter["key-resolver"], "#{@ipKeyResolver}");
}

#[test]
fn a_breaker_on_streams_needs_asking_for() {
    let out = custom::gen_edited("examples/streaming.yaml", |t| {
        t.replace("time_limit: 10s", "time_limit: 2h").replace("on_streams: false", "on_streams: true")
    });
    let app = application(&support::read_tree(&out.path().join("deploy")));
    let tree = gateway_tree(&app, true);
    assert_eq!(filter_names(route(tree, "streaming-route")), vec!["CircuitBreaker", "RequestRateLimiter"]);
    assert_eq!(
        app["resilience4j"]["timelimiter"]["instances"]["api-circuit-breaker"]["timeout-duration"],
        "2h"
    );
}

#[test]
fn a_broad_route_carrying_a_stream_alone_is_treated_as_streaming() {
    // Without the dedicated streaming route, /web/api/** receives the POST stream itself.
    let out = custom::gen_edited("examples/streaming.yaml", |t| {
        t.replace(
            "    - id: streaming-route\n      path: /web/api/v1/gpt/queryAgentStreamIncr\n      uri: lb://streaming-app\n",
            "",
        )
    });
    let app = application(&support::read_tree(&out.path().join("deploy")));
    let api = route(gateway_tree(&app, true), "api-route");
    assert_eq!(filter_names(api), vec!["RequestRateLimiter"]);
    assert_eq!(api["metadata"]["response-timeout"], -1);
}

/// Every value under a key named like a password, anywhere in a JSON tree.
fn password_values(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k.to_ascii_lowercase().contains("password") {
                    out.push(v.to_string());
                }
                password_values(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| password_values(v, out)),
        _ => {}
    }
}

#[test]
fn secrets_come_from_the_environment_and_management_exposes_no_gateway_endpoint() {
    let files =
        support::read_tree(support::gen_example("examples/streaming.yaml", Versions::AsWritten).path());
    let app = application(&files);
    assert_eq!(app["spring"]["data"]["redis"]["password"], "${REDIS_PASSWORD}");
    // No literal password in any YAML this target family writes.
    let mut checked = 0;
    for (path, text) in &files {
        if !(path.ends_with(".yml") || path.ends_with(".yaml"))
            || !(path.starts_with("gateway/") || path.starts_with("k8s/") || path.starts_with("prometheus/"))
        {
            continue;
        }
        let mut found = Vec::new();
        for doc in custom::yaml_docs(path, text) {
            password_values(&doc, &mut found);
        }
        checked += found.len();
        for value in found {
            assert!(
                value.starts_with("\"${") || value.contains("secretKeyRef"),
                "{path}: literal password {value}"
            );
        }
    }
    assert!(checked > 0, "no password setting was found to check");
    let management = &app["management"];
    assert_eq!(management["endpoints"]["web"]["exposure"]["include"], "health,info,prometheus");
    assert_eq!(management["prometheus"]["metrics"]["export"]["enabled"], true, "Spring Boot 3 property name");
    assert!(management.get("metrics").and_then(|m| m.get("export")).is_none(), "Boot 2 key");
    assert_ne!(management["server"]["port"], app["server"]["port"], "actuator off the public port");
}

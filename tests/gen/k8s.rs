//! Kubernetes manifests: kubernetes-validate --strict and yamllint accept them, and every mistake
//! of the guide's manifests (snippets, a foreign WebSocket annotation, unquoted values, no PDB, no
//! drain, `:latest`, aggregate liveness, unsafe sysctls) is corrected.

use super::common;
use super::custom;
use super::support::{self, Versions};
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Command;

const MANIFESTS: &[&str] = &[
    "k8s/namespace.yaml",
    "k8s/deployment.yaml",
    "k8s/service.yaml",
    "k8s/ingress.yaml",
    "k8s/pdb.yaml",
    "k8s/hpa.yaml",
];

fn streaming() -> BTreeMap<String, String> {
    let out = support::gen_example("examples/streaming.yaml", Versions::AsWritten);
    support::read_tree(out.path())
}

/// Every object of every manifest, as JSON.
fn objects(files: &BTreeMap<String, String>) -> Vec<Value> {
    files
        .iter()
        .filter(|(path, _)| path.starts_with("k8s/"))
        .flat_map(|(path, text)| custom::yaml_docs(path, text))
        .collect()
}

fn of_kind<'a>(objects: &'a [Value], kind: &str) -> Vec<&'a Value> {
    objects.iter().filter(|o| o["kind"] == kind).collect()
}

fn container(files: &BTreeMap<String, String>) -> Value {
    let docs = custom::yaml_docs("k8s/deployment.yaml", &files["k8s/deployment.yaml"]);
    docs[0]["spec"]["template"]["spec"]["containers"][0].clone()
}

/// The version kubernetes-validate should check against: the spec's, within what it ships.
fn validate_version(spec_text: &str, validator: &std::path::Path) -> String {
    let help = Command::new(validator).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout).to_string();
    // "Defaults to 1.37.0": the newest schema it has; it ships every minor from 1.25.
    let newest: u32 = help
        .split("Defaults to 1.")
        .nth(1)
        .and_then(|rest| rest.split('.').next())
        .and_then(|m| m.parse().ok())
        .unwrap_or(33);
    let (_, minor) = custom::spec_version(spec_text, "kubernetes").unwrap_or((1, 33));
    format!("1.{}.0", minor.clamp(25, newest))
}

fn kubernetes_validate(dir: &std::path::Path, spec_text: &str) {
    let Some(validator) = common::tool("kubernetes-validate") else { return };
    let version = validate_version(spec_text, &validator);
    let files: Vec<_> = walkdir::WalkDir::new(dir.join("k8s"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(!files.is_empty(), "no manifests under {}", dir.display());
    let out = Command::new(&validator).args(["--strict", "-k", &version]).args(&files).output().unwrap();
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "kubernetes-validate --strict -k {version} rejected:\n{report}");
    assert!(!report.contains("ERROR") && !report.contains("WARN"), "{report}");
    custom::yamllint(&files);
}

#[test]
fn kubernetes_validate_and_yamllint_accept_every_manifest() {
    let out = support::gen_example("examples/streaming.yaml", Versions::AsWritten);
    let files = support::read_tree(out.path());
    for manifest in MANIFESTS {
        assert!(files.contains_key(*manifest), "missing {manifest}");
    }
    kubernetes_validate(out.path(), &support::example_text("examples/streaming.yaml", Versions::AsWritten));
}

#[test]
fn the_minimal_example_writes_no_manifests() {
    let out = support::gen_example("examples/minimal.yaml", Versions::AsWritten);
    let files = support::read_tree(out.path());
    assert!(files.keys().all(|p| !p.starts_with("k8s/")), "{:?}", files.keys().collect::<Vec<_>>());
}

#[test]
fn ingress_uses_first_class_quoted_annotations_only() {
    let files = streaming();
    let text = &files["k8s/ingress.yaml"];
    assert!(!text.contains("-snippet:"), "snippet annotations are refused by ingress-nginx ≥ 1.9");
    assert!(!text.contains("websocket-services"), "no such ingress-nginx annotation");
    assert!(!text.contains("nginx.org/"), "annotations of another controller");
    let file = sseconf::parse::yaml::parse(text);
    assert!(file.errors.is_empty());
    let mut count = 0;
    for doc in &file.documents {
        let annotations = doc.root.path(&["metadata", "annotations"]).unwrap();
        for entry in annotations.entries() {
            let key = entry.key.as_str().unwrap();
            assert!(key.starts_with("nginx.ingress.kubernetes.io/"), "{key}");
            assert!(!key.contains("snippet"), "{key}");
            assert!(custom::is_quoted(&entry.value), "{key} is not a quoted string");
            count += 1;
        }
        assert_eq!(doc.root.path(&["spec", "ingressClassName"]).unwrap().as_str(), Some("nginx"));
        let tls = doc.root.path(&["spec", "tls"]).unwrap();
        assert_eq!(tls.items()[0].value_of("secretName").unwrap().as_str(), Some("api-example-com-tls"));
    }
    assert!(count > 0);
}

#[test]
fn streaming_paths_get_their_own_ingress_with_their_timeouts() {
    let files = streaming();
    let ingresses: Vec<Value> = custom::yaml_docs("k8s/ingress.yaml", &files["k8s/ingress.yaml"]);
    let paths = |o: &Value| -> Vec<String> {
        o["spec"]["rules"][0]["http"]["paths"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["path"].as_str().unwrap().to_string())
            .collect()
    };
    let annotation = |o: &Value, key: &str| {
        o["metadata"]["annotations"][format!("nginx.ingress.kubernetes.io/{key}")].as_str().map(String::from)
    };
    // The example: two SSE paths idle after 2m, the WebSocket after 3m, the rest after 60s.
    let expected = [
        (vec!["/web/api/v1/gpt/queryAgentStreamIncr", "/api/stream/"], "120", Some("off")),
        (vec!["/ws/"], "180", Some("off")),
        (vec!["/"], "60", None),
    ];
    assert_eq!(ingresses.len(), expected.len());
    for (ingress, (want_paths, timeout, buffering)) in ingresses.iter().zip(expected) {
        assert_eq!(paths(ingress), want_paths);
        assert_eq!(annotation(ingress, "proxy-read-timeout").as_deref(), Some(timeout));
        assert_eq!(annotation(ingress, "proxy-send-timeout").as_deref(), Some(timeout));
        assert_eq!(annotation(ingress, "proxy-buffering").as_deref(), buffering);
        // The affinity key of the spec (header X-Session-ID), on every object of the upstream.
        assert_eq!(annotation(ingress, "upstream-hash-by").as_deref(), Some("$http_x_session_id"));
    }
    let ws = &ingresses[1]["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"]["name"];
    assert_eq!(ws, "websocket", "the WebSocket path goes to the websocket port");
}

#[test]
fn deployment_drains_streams_before_it_stops() {
    let files = streaming();
    let docs = custom::yaml_docs("k8s/deployment.yaml", &files["k8s/deployment.yaml"]);
    let pod = &docs[0]["spec"]["template"]["spec"];
    // The example gives 5m; preStop sleeps 15s (sleep action, Kubernetes 1.33).
    assert_eq!(pod["terminationGracePeriodSeconds"], 300);
    assert_eq!(pod["containers"][0]["lifecycle"]["preStop"]["sleep"]["seconds"], 15);
    assert_eq!(docs[0]["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"], 0);

    // Without a grace period in the spec: the longest stream (1h) plus the preStop delay.
    let out =
        custom::gen_edited("examples/streaming.yaml", |t| t.replace("  termination_grace_period: 5m\n", ""));
    let text = std::fs::read_to_string(out.path().join("deploy/k8s/deployment.yaml")).unwrap();
    let docs = custom::yaml_docs("k8s/deployment.yaml", &text);
    assert_eq!(docs[0]["spec"]["template"]["spec"]["terminationGracePeriodSeconds"], 3600 + 15);
}

#[test]
fn pre_stop_falls_back_to_exec_sleep_before_kubernetes_1_30() {
    let out = custom::gen_edited("examples/streaming.yaml", |t| {
        t.replace("kubernetes: \"1.33\"", "kubernetes: \"1.28\"")
    });
    let text = std::fs::read_to_string(out.path().join("deploy/k8s/deployment.yaml")).unwrap();
    let docs = custom::yaml_docs("k8s/deployment.yaml", &text);
    let pre_stop = &docs[0]["spec"]["template"]["spec"]["containers"][0]["lifecycle"]["preStop"];
    assert_eq!(pre_stop["exec"]["command"], serde_json::json!(["sleep", "15"]));
    assert!(pre_stop.get("sleep").is_none());
    let spec_text = std::fs::read_to_string(out.path().join("spec.yaml")).unwrap();
    kubernetes_validate(&out.path().join("deploy"), &spec_text);
}

#[test]
fn pdb_covers_the_deployments_pods() {
    let files = streaming();
    let all = objects(&files);
    let pdb = of_kind(&all, "PodDisruptionBudget");
    let deployment = of_kind(&all, "Deployment");
    assert_eq!(pdb.len(), 1, "a PDB for the replicated Deployment");
    assert_eq!(pdb[0]["spec"]["maxUnavailable"], 1);
    assert_eq!(pdb[0]["spec"]["selector"], deployment[0]["spec"]["selector"]);
    let hpa = of_kind(&all, "HorizontalPodAutoscaler");
    assert_eq!(hpa[0]["apiVersion"], "autoscaling/v2");
    assert_eq!(hpa[0]["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"], 600);
    assert!(deployment[0]["spec"].get("replicas").is_none(), "the HPA owns replicas");
}

#[test]
fn container_is_pinned_non_root_and_probed_on_management_paths() {
    let files = streaming();
    let c = container(&files);
    let image = c["image"].as_str().unwrap();
    assert!(!image.ends_with(":latest") && image.contains(':'), "{image}");
    assert_eq!(c["securityContext"]["allowPrivilegeEscalation"], false);
    let docs = custom::yaml_docs("k8s/deployment.yaml", &files["k8s/deployment.yaml"]);
    let pod_security = &docs[0]["spec"]["template"]["spec"]["securityContext"];
    assert_eq!(pod_security["runAsNonRoot"], true);
    assert_eq!(pod_security["runAsUser"], 10001);

    let endpoints = ["/web/api/v1/gpt/queryAgentStreamIncr", "/api/stream/", "/ws/"];
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        let get = &c[probe]["httpGet"];
        assert_eq!(get["port"], "management", "{probe}");
        let path = get["path"].as_str().unwrap();
        assert!(endpoints.iter().all(|e| !path.starts_with(e)), "{probe} probes a stream");
    }
    // Liveness is not the aggregate health (which includes Redis), nor the readiness check.
    assert_eq!(c["livenessProbe"]["httpGet"]["path"], "/actuator/health/liveness");
    assert_ne!(c["livenessProbe"]["httpGet"]["path"], c["readinessProbe"]["httpGet"]["path"]);

    let env = c["env"].as_array().unwrap();
    let java = env.iter().find(|e| e["name"] == "JAVA_TOOL_OPTIONS").unwrap();
    assert!(java["value"].as_str().unwrap().starts_with("-XX:MaxRAMPercentage=70 "));
    assert!(env.iter().all(|e| e["name"] != "JAVA_OPTS"));
}

#[test]
fn secrets_come_from_secret_key_refs_never_literals() {
    let out = custom::gen_edited("examples/streaming.yaml", |t| {
        t.replace(
            "  environment:\n",
            "  secret_environment:\n    API_TOKEN: { env: API_TOKEN }\n    DB_PASSWORD: { env: DB_PASSWORD, secret: db, key: pw }\n  environment:\n",
        )
    });
    let text = std::fs::read_to_string(out.path().join("deploy/k8s/deployment.yaml")).unwrap();
    let docs = custom::yaml_docs("k8s/deployment.yaml", &text);
    let env = docs[0]["spec"]["template"]["spec"]["containers"][0]["env"].as_array().unwrap().clone();
    let by_name = |n: &str| env.iter().find(|e| e["name"] == n).unwrap().clone();
    let token = by_name("API_TOKEN");
    assert!(token.get("value").is_none());
    assert_eq!(
        token["valueFrom"]["secretKeyRef"],
        serde_json::json!({"name": "streaming-app-secrets", "key": "api_token"})
    );
    assert_eq!(
        by_name("DB_PASSWORD")["valueFrom"]["secretKeyRef"],
        serde_json::json!({"name": "db", "key": "pw"})
    );
    let spec_text = std::fs::read_to_string(out.path().join("spec.yaml")).unwrap();
    kubernetes_validate(&out.path().join("deploy"), &spec_text);
}

#[test]
fn only_safe_sysctls_reach_the_pod_and_the_others_are_explained() {
    let files = streaming();
    let text = &files["k8s/deployment.yaml"];
    let docs = custom::yaml_docs("k8s/deployment.yaml", text);
    let pod_security = &docs[0]["spec"]["template"]["spec"]["securityContext"];
    // The example asks for two unsafe ones only.
    assert!(pod_security.get("sysctls").is_none(), "{pod_security}");
    let comment = text.lines().find(|l| l.contains("net.core.somaxconn, net.ipv4.tcp_max_syn_backlog"));
    assert!(
        comment.is_some_and(|l| l.trim_start().starts_with('#')),
        "unsafe sysctls must be named in a comment"
    );

    let out = custom::gen_edited("examples/streaming.yaml", |t| {
        t.replace(
            "    net.core.somaxconn: 65535\n",
            "    net.core.somaxconn: 65535\n    net.ipv4.tcp_keepalive_time: 600\n",
        )
    });
    let text = std::fs::read_to_string(out.path().join("deploy/k8s/deployment.yaml")).unwrap();
    let docs = custom::yaml_docs("k8s/deployment.yaml", &text);
    let sysctls = &docs[0]["spec"]["template"]["spec"]["securityContext"]["sysctls"];
    assert_eq!(sysctls, &serde_json::json!([{"name": "net.ipv4.tcp_keepalive_time", "value": "600"}]));
    let spec_text = std::fs::read_to_string(out.path().join("spec.yaml")).unwrap();
    kubernetes_validate(&out.path().join("deploy"), &spec_text);
}

#[test]
fn affinity_mode_decides_hashing_and_service_affinity() {
    let affinity = "affinity:\n  mode: consistent-hash\n  key: { from: header, name: X-Session-ID }\n";
    let render = |replacement: &str| {
        let out = custom::gen_edited("examples/streaming.yaml", |t| t.replace(affinity, replacement));
        let deploy = out.path().join("deploy");
        let files = support::read_tree(&deploy);
        let spec_text = std::fs::read_to_string(out.path().join("spec.yaml")).unwrap();
        kubernetes_validate(&deploy, &spec_text);
        (
            custom::yaml_docs("k8s/ingress.yaml", &files["k8s/ingress.yaml"]),
            custom::yaml_docs("k8s/service.yaml", &files["k8s/service.yaml"]).remove(0),
        )
    };
    let hash = |ingresses: &[Value]| -> Vec<Option<String>> {
        ingresses
            .iter()
            .map(|i| {
                i["metadata"]["annotations"]["nginx.ingress.kubernetes.io/upstream-hash-by"]
                    .as_str()
                    .map(String::from)
            })
            .collect()
    };

    let (ingresses, service) = render("affinity:\n  mode: client-ip\n");
    assert!(hash(&ingresses).iter().all(|h| h.as_deref() == Some("$remote_addr")));
    assert_eq!(service["spec"]["sessionAffinity"], "ClientIP");
    assert_eq!(service["spec"]["sessionAffinityConfig"]["clientIP"]["timeoutSeconds"], 3600);

    let (ingresses, service) = render("affinity:\n  mode: none\n");
    assert!(hash(&ingresses).iter().all(Option::is_none), "round robin: no hashing");
    assert!(service["spec"].get("sessionAffinity").is_none());
}

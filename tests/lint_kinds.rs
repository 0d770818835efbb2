//! Rules of every file kind but nginx, against their fixtures and their docs.
//!
//! - `tests/fixtures/lint/<kind>/<ID>/invalid*`: the rule fires; all of its findings are
//!   snapshotted (concise format, stable and colourless).
//! - `tests/fixtures/lint/<kind>/<ID>/valid*`: the rule does not fire.
//! - `tests/fixtures/lint/<kind>/seed/*`: the seed tutorial's config of that kind; every rule
//!   listed in [`SEED_EXPECTED`] fires, and the whole report is snapshotted.
//! - `tests/fixtures/lint/<kind>/good/*`: a correct streaming config; nothing is reported but the
//!   infos pinned in [`GOOD_EXPECTED_INFOS`].
//! - Docs: every ```` ```<kind>,invalid ```` block in a rule's docs gives exactly one finding of
//!   that rule, every ```` ```<kind>,valid ```` block none.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should stop the test

mod common;

use sseconf::diagnostics::Problem;
use sseconf::diagnostics::report::render_concise;
use sseconf::lint::kinds::lint_text;
use sseconf::lint::{RuleMeta, Settings, registry};
use sseconf::parse::kind::FileKind;
use std::path::{Path, PathBuf};

/// The kinds this file covers, by fixture folder name.
const KINDS: &[&str] = &["haproxy", "kubernetes", "compose", "dockerfile", "redis", "prometheus", "gateway"];

fn fixtures() -> PathBuf {
    common::root().join("tests/fixtures/lint")
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    dirs.sort();
    dirs
}

fn lint_file(kind: FileKind, path: &Path) -> Vec<Problem> {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.strip_prefix(common::root()).unwrap_or(path).display().to_string();
    lint_text(kind, &name, &text, &Settings::default())
}

fn concise(findings: &[Problem]) -> String {
    findings.iter().map(|f| render_concise(f) + "\n").collect()
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn rule_fixtures() {
    let mut checked = 0;
    for kind_name in KINDS {
        let kind = FileKind::from_name(kind_name).unwrap();
        for dir in subdirs(&fixtures().join(kind_name)) {
            let id = file_name(&dir);
            // `properties/` holds gateway settings in the other syntax, linted by
            // `properties_files_lint_like_their_yaml`.
            if id == "seed" || id == "good" || id == "properties" {
                continue;
            }
            assert!(registry::find(&id).is_some(), "fixture folder {} names no rule", dir.display());
            for path in files_in(&dir) {
                let findings: Vec<Problem> =
                    lint_file(kind, &path).into_iter().filter(|f| f.code == id).collect();
                let name = file_name(&path);
                if name.starts_with("invalid") {
                    assert!(!findings.is_empty(), "{id} does not fire on {}", path.display());
                    insta::assert_snapshot!(format!("{id}__{name}"), concise(&findings));
                } else if name.starts_with("valid") {
                    assert!(findings.is_empty(), "{id} fires on {}:\n{}", path.display(), concise(&findings));
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "no fixtures found");
}

/// The rules each seed config must trigger (pitfalls.md Part 3).
/// The notes without a rule are listed in docs/lint-kinds.md.
const SEED_EXPECTED: &[(&str, &[&str])] = &[
    (
        "haproxy",
        &[
            "HAP003", "HAP004", "HAP005", "HAP006", "HAP007", "HAP009", "HAP010", "HAP011", "HAP012",
            "HAP013", "HAP014", "HAP015", "HAP016",
        ],
    ),
    (
        "kubernetes",
        &["K8S001", "K8S002", "K8S003", "K8S004", "K8S005", "K8S008", "K8S009", "K8S011", "K8S013", "K8S018"],
    ),
    ("compose", &["CMP001", "CMP002", "CMP003", "CMP004", "CMP005", "CMP006", "CMP007"]),
    ("dockerfile", &["DKR002", "DKR003", "DKR006", "DKR007"]),
    ("redis", &["RDS001", "RDS003", "RDS004", "RDS005", "RDS006"]),
    ("prometheus", &["PRM001", "PRM005", "PRM006"]),
    ("gateway", &["GW001", "GW002", "GW003", "GW004", "GW005", "GW006", "GW007", "GW008"]),
];

#[test]
fn seed_configs_are_flagged_at_each_mistake() {
    for (kind_name, expected) in SEED_EXPECTED {
        let kind = FileKind::from_name(kind_name).unwrap();
        let mut all = Vec::new();
        for path in files_in(&fixtures().join(kind_name).join("seed")) {
            let findings = lint_file(kind, &path);
            insta::assert_snapshot!(format!("seed__{kind_name}__{}", file_name(&path)), concise(&findings));
            all.extend(findings);
        }
        for id in *expected {
            assert!(all.iter().any(|f| f.code == *id), "the seed's {kind_name} config does not trigger {id}");
        }
    }
}

/// The info findings a correct config still gets, per file: the good Kubernetes Ingresses are
/// what `sseconf gen` writes, and it still targets ingress-nginx (K8S018, once per Ingress).
const GOOD_EXPECTED_INFOS: &[(&str, &[(&str, usize)])] =
    &[("kubernetes/good/ingress.yaml", &[("K8S018", 3)])];

/// Counts the findings per rule id.
fn count_ids<'a>(ids: impl Iterator<Item = &'a str>) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for id in ids {
        *counts.entry(id.to_string()).or_insert(0) += 1;
    }
    counts
}

/// The pinned `(id, count)` list as a map, for comparison with [`count_ids`].
fn pinned(expected: &[(&str, usize)]) -> std::collections::BTreeMap<String, usize> {
    expected.iter().map(|(id, n)| (id.to_string(), *n)).collect()
}

#[test]
fn good_configs_give_no_finding_but_the_pinned_infos() {
    use sseconf::diagnostics::Severity;
    for kind_name in KINDS {
        let kind = FileKind::from_name(kind_name).unwrap();
        for path in files_in(&fixtures().join(kind_name).join("good")) {
            let findings = lint_file(kind, &path);
            let relative = format!("{kind_name}/good/{}", file_name(&path));
            let expected =
                GOOD_EXPECTED_INFOS.iter().find(|(f, _)| *f == relative).map_or(&[][..], |(_, e)| *e);
            assert!(
                findings.iter().all(|f| f.severity == Severity::Info),
                "{} is meant to be clean:\n{}",
                path.display(),
                concise(&findings)
            );
            let infos = count_ids(findings.iter().map(|f| f.code.as_str()));
            assert_eq!(
                infos,
                pinned(expected),
                "{}: unexpected infos:\n{}",
                path.display(),
                concise(&findings)
            );
        }
    }
}

/// The language tags of a rule's fenced examples (`compose,invalid` → `compose`).
fn example_tags(meta: &RuleMeta) -> Vec<String> {
    meta.docs_text()
        .lines()
        .filter_map(|l| l.trim().strip_prefix("```")?.split_once(',').map(|(lang, _)| lang.to_string()))
        .collect()
}

/// tests/rules.rs runs every docs example with its rule's kind; this checks the examples are
/// tagged with that kind, so `sseconf rule` highlights them right.
#[test]
fn docs_examples_are_tagged_with_their_kind() {
    for meta in registry::all() {
        let Some(kind) = meta.kind.filter(|k| *k != FileKind::Nginx) else { continue };
        for tag in example_tags(meta) {
            assert_eq!(FileKind::from_name(&tag), Some(kind), "{}: example tagged `{tag}`", meta.id);
        }
    }
}

/// Every rule file of a kind is registered, and stays under 250 lines.
#[test]
fn every_rule_file_is_registered() {
    for kind_name in KINDS {
        let dir = common::root().join("src/lint/rules").join(kind_name);
        let kind = FileKind::from_name(kind_name).unwrap();
        let registered: Vec<String> = registry::all()
            .iter()
            .filter(|m| m.kind == Some(kind))
            .map(|m| m.name.trim_start_matches(&format!("{kind_name}-")).replace('-', "_"))
            .collect();
        let files: Vec<PathBuf> = files_in(&dir).into_iter().filter(|p| file_name(p) != "mod.rs").collect();
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            assert!(text.lines().count() < 250, "{} is over 250 lines", path.display());
            let stem = file_name(path).trim_end_matches(".rs").to_string();
            assert!(
                registered.contains(&stem),
                "{} is not registered (or its name differs from the file)",
                path.display()
            );
        }
        assert_eq!(files.len(), registered.len(), "{kind_name}: rule files and registry differ");
    }
}

#[test]
fn every_rule_has_fixtures() {
    for meta in registry::all() {
        let Some(kind) = meta.kind.filter(|k| *k != FileKind::Nginx) else { continue };
        let dir = fixtures().join(kind.name()).join(meta.id);
        let files: Vec<String> = files_in(&dir).iter().map(|p| file_name(p)).collect();
        assert!(
            files.iter().any(|f| f.starts_with("invalid")),
            "{} has no invalid fixture in {}",
            meta.id,
            dir.display()
        );
        assert!(
            files.iter().any(|f| f.starts_with("valid")),
            "{} has no valid fixture in {}",
            meta.id,
            dir.display()
        );
        assert!(meta.id.starts_with(kind.rule_prefix()), "{} does not carry the {kind} prefix", meta.id);
    }
}

/// The info findings expected on what `sseconf gen` writes for each example, of the kinds linted
/// here (the nginx rules are tested with nginx's own fixtures). The generator still targets
/// ingress-nginx (`kubernetes.ingress.class`), so each of its Ingresses gets K8S018 until that
/// changes; any other info is a regression in the generator or a noisy rule.
const GENERATED_EXPECTED_INFOS: &[(&str, &[(&str, usize)])] =
    &[("minimal.yaml", &[]), ("streaming.toml", &[("K8S018", 3)]), ("streaming.yaml", &[("K8S018", 3)])];

/// What `sseconf gen` writes for every example lints with no warning or error of any rule, and
/// the infos of the kinds linted here are exactly [`GENERATED_EXPECTED_INFOS`].
#[test]
fn generated_files_lint_without_warnings() {
    let mut examples: Vec<PathBuf> = files_in(&common::root().join("examples"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "toml"))
        .collect();
    examples.sort();
    assert!(!examples.is_empty());
    for spec in examples {
        let out = tempfile::tempdir().unwrap();
        let generated = std::process::Command::new(common::bin())
            .args(["gen", "-q", "-o"])
            .arg(out.path())
            .arg(&spec)
            .output()
            .unwrap();
        assert!(
            generated.status.success(),
            "gen {}: {}",
            spec.display(),
            String::from_utf8_lossy(&generated.stderr)
        );
        let lint = std::process::Command::new(common::bin())
            .args(["lint", "--format", "json", "--fail-on", "never", "--spec"])
            .arg(&spec)
            .arg(out.path())
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&lint.stdout).unwrap();
        let findings = report["findings"].as_array().unwrap();
        let serious: Vec<&serde_json::Value> = findings.iter().filter(|f| f["severity"] != "info").collect();
        assert!(serious.is_empty(), "{}: generated files have warnings: {serious:#?}", spec.display());
        let ours = findings
            .iter()
            .filter_map(|f| f["id"].as_str())
            .filter(|id| !id.starts_with("NGX") && !id.starts_with("SSC"));
        let name = file_name(&spec);
        let expected = GENERATED_EXPECTED_INFOS
            .iter()
            .find(|(example, _)| *example == name)
            .unwrap_or_else(|| panic!("{name}: add the infos gen's output is expected to get"))
            .1;
        assert_eq!(count_ids(ours), pinned(expected), "{}: unexpected infos: {findings:#?}", spec.display());
        assert!(
            report["summary"]["files"].as_u64().unwrap_or(0) > 0,
            "{}: nothing was linted",
            spec.display()
        );
    }
}

/// The whole corpus of the kinds linted here goes through every rule without a crash or an I/O
/// error, and the files counted are the ones detection recognises (tests/parse_corpus.rs).
#[test]
fn corpus_lints_without_a_crash() {
    use sseconf::lint::engine::{self, Options};
    let corpus = common::shared().join("corpus");
    if !corpus.is_dir() {
        eprintln!("SKIPPED: no corpus at {}", corpus.display());
        return;
    }
    let folders = ["haproxy", "k8s", "compose", "docker", "redis", "prometheus", "gateway"];
    let options = Options {
        paths: folders.iter().map(|f| corpus.join(f)).collect(),
        inline_ignores: true,
        ..Options::default()
    };
    let outcome = engine::run(&options);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors.iter().map(|e| &e.message).collect::<Vec<_>>());
    // 1 606 files of these kinds, less ingress-nginx's .github/actions/mkdocs/Dockerfile (folder
    // walks skip hidden folders).
    assert_eq!(outcome.files, 1_605);
    let mut counts = std::collections::BTreeMap::new();
    for f in &outcome.findings {
        *counts.entry(f.code.clone()).or_insert(0usize) += 1;
    }
    println!("{counts:?}");
    assert!(counts.keys().all(|id| !id.starts_with("NGX")), "an nginx file was picked up: {counts:?}");
}

/// The seed's application.yml written as application.properties gives the same gateway findings
/// (but GW001: a duplicate YAML key has no counterpart, a repeated property simply wins), at the
/// lines and columns of the properties file.
#[test]
fn properties_files_lint_like_their_yaml() {
    use std::collections::BTreeSet;
    let properties = fixtures().join("gateway/properties/application.properties");
    assert_eq!(sseconf::parse::kind::detect(&properties, ""), Some(FileKind::Gateway));
    let findings = lint_file(FileKind::Gateway, &properties);
    let yaml = lint_file(FileKind::Gateway, &fixtures().join("gateway/seed/application.yml"));
    let ids =
        |f: &[Problem]| f.iter().map(|p| p.code.clone()).filter(|id| id != "GW001").collect::<BTreeSet<_>>();
    assert_eq!(ids(&findings), ids(&yaml), "{}", concise(&findings));
    assert!(ids(&findings).len() >= 2);
    insta::assert_snapshot!("gateway__properties", concise(&findings));
}

/// The only finding of rule `code`; fails, listing every finding, unless there is exactly one.
fn the_one<'a>(findings: &'a [Problem], code: &str) -> &'a Problem {
    let matching: Vec<&Problem> = findings.iter().filter(|f| f.code == code).collect();
    assert_eq!(matching.len(), 1, "one {code} expected:\n{}", concise(findings));
    matching[0]
}

/// Lints a fixture folder as one bundle.
fn lint_bundle(dir: &Path) -> Vec<Problem> {
    use sseconf::lint::engine::{self, Options};
    let options = Options { paths: vec![dir.to_path_buf()], inline_ignores: true, ..Options::default() };
    let outcome = engine::run(&options);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors.iter().map(|e| &e.message).collect::<Vec<_>>());
    outcome.findings
}

/// The files a finding names: its own and those of its labels in other files (related
/// diagnostics).
fn files_named(finding: &Problem) -> Vec<String> {
    let own = finding.source.iter().map(|s| s.name.clone());
    let others = finding.related.iter().filter_map(|r| r.source.as_ref().map(|f| f.name.clone()));
    let mut names: Vec<String> = own
        .chain(others)
        .map(|n| Path::new(&n).file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// tests/fixtures/lint/chain/: a consistent stack gives nothing; a broken one, whose files are
/// each clean alone, gives the chain findings, naming every file on the chain.
#[test]
fn chain_fixtures() {
    let dir = fixtures().join("chain");
    assert!(
        lint_bundle(&dir.join("consistent")).is_empty(),
        "{}",
        concise(&lint_bundle(&dir.join("consistent")))
    );
    for file in files_in(&dir.join("broken")) {
        let alone = lint_bundle(&file);
        assert!(alone.is_empty(), "{} is meant to be clean alone:\n{}", file.display(), concise(&alone));
    }
    let findings = lint_bundle(&dir.join("broken"));
    let idle = findings.iter().find(|f| f.code == "CHN001").expect("CHN001 on the broken chain");
    assert_eq!(files_named(idle), ["haproxy.cfg", "ingress.yaml", "nginx.conf"]);
    let affinity = findings.iter().find(|f| f.code == "CHN002").expect("CHN002 on the broken chain");
    assert_eq!(files_named(affinity), ["haproxy.cfg", "ingress.yaml", "nginx.conf"]);
    let root = format!("{}/", common::root().display());
    insta::assert_snapshot!("chain__broken", concise(&findings).replace(&root, ""));
}

/// tests/fixtures/lint/chain/buffered/: nginx alone knows `/api/chat` streams (buffering off,
/// a 1h read timeout); the Ingress behind it buffers the path and the gateway's circuit breaker
/// cancels it after 30s. Each file is clean alone; together each mistake is flagged once, in
/// the file that makes it, naming the others.
#[test]
fn chain_flags_buffering_and_total_limits_that_another_layer_contradicts() {
    let dir = fixtures().join("chain/buffered");
    for file in files_in(&dir) {
        let alone = lint_bundle(&file);
        assert!(alone.is_empty(), "{} is meant to be clean alone:\n{}", file.display(), concise(&alone));
    }
    let findings = lint_bundle(&dir);
    let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["CHN008", "CHN007"], "{}", concise(&findings));
    let buffering = &findings[1];
    assert_eq!(buffering.severity, sseconf::diagnostics::Severity::Error);
    assert!(buffering.source.as_ref().unwrap().name.ends_with("ingress.yaml"));
    assert_eq!(files_named(buffering), ["application.yml", "ingress.yaml", "nginx.conf"]);
    let cut = &findings[0];
    assert!(cut.message.contains("after 30s") && cut.message.contains("for 1h"), "{}", cut.message);
    assert_eq!(files_named(cut), ["application.yml", "ingress.yaml", "nginx.conf"]);
    let root = format!("{}/", common::root().display());
    insta::assert_snapshot!("chain__buffered", concise(&findings).replace(&root, ""));
}

/// A gateway route that shows itself it streams (a `ws://` uri) gets GW003 in its own file, and
/// the chain does not report the same breaker again as CHN008.
#[test]
fn chain_leaves_a_route_that_knows_it_streams_to_gw003() {
    let dir = tempfile::Builder::new().prefix("ws").tempdir().unwrap();
    std::fs::copy(fixtures().join("chain/buffered/nginx.conf"), dir.path().join("nginx.conf")).unwrap();
    let app = common::read("tests/fixtures/lint/chain/buffered/application.yml")
        .replace("uri: lb://chat", "uri: lb:ws://chat");
    assert!(app.contains("lb:ws://chat"));
    std::fs::write(dir.path().join("application.yml"), app).unwrap();
    let codes: Vec<String> = lint_bundle(dir.path()).into_iter().map(|f| f.code).collect();
    assert!(codes.contains(&"GW003".to_string()), "{codes:?}");
    assert!(!codes.contains(&"CHN008".to_string()), "{codes:?}");
}

/// nginx's default buffering yields to an `X-Accel-Buffering: no` response header, so on a path
/// the Ingress unbuffers it is a warning; written out (`proxy_buffering on`) it is an error.
/// A path the spec or its words already mark as a stream is left to nginx's own rules.
#[test]
fn chain_buffering_severity_follows_what_nginx_says() {
    let ingress = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: chat\n  annotations:\n    nginx.ingress.kubernetes.io/proxy-buffering: \"off\"\nspec:\n  ingressClassName: nginx\n  rules:\n  - http:\n      paths:\n      - path: PATH\n        pathType: Prefix\n        backend:\n          service: {name: app, port: {number: 80}}\n";
    let nginx = |extra: &str| {
        format!(
            "events {{}}\nhttp {{\n  server {{\n    listen 80;\n    location PATH {{\n      proxy_pass http://10.0.0.1:8080;\n      {extra}\n    }}\n  }}\n}}\n"
        )
    };
    let run = |path: &str, extra: &str| {
        let dir = tempfile::Builder::new().prefix("buf").tempdir().unwrap();
        std::fs::write(dir.path().join("ingress.yaml"), ingress.replace("PATH", path)).unwrap();
        std::fs::write(dir.path().join("nginx.conf"), nginx(extra).replace("PATH", path)).unwrap();
        lint_bundle(dir.path()).into_iter().filter(|f| f.code == "CHN007").collect::<Vec<_>>()
    };
    let default = run("/api/chat", "");
    assert_eq!(default.len(), 1);
    assert_eq!(default[0].severity, sseconf::diagnostics::Severity::Warning);
    assert!(default[0].message.contains("X-Accel-Buffering"), "{}", default[0].message);
    let written = run("/api/chat", "proxy_buffering on;");
    assert_eq!(written.len(), 1);
    assert_eq!(written[0].severity, sseconf::diagnostics::Severity::Error);
    assert!(run("/api/chat", "proxy_buffering off;").is_empty());
    assert!(run("/api/chat/stream", "").is_empty(), "a stream by its words is nginx's own rules' job");
}

/// With `--spec`, a committed Deployment is held to the grace period the spec asks for: the
/// generated 300s passes, a hand edit down to 120s (fine without a spec) is flagged.
#[test]
fn grace_period_is_checked_against_the_spec() {
    let good = common::read("tests/fixtures/lint/kubernetes/good/deployment.yaml");
    let spec = sseconf::spec::load(&common::root().join("examples/streaming.yaml")).map(|l| l.spec).ok();
    assert!(spec.is_some());
    let with_spec = Settings { spec, ..Settings::default() };
    let k8s003 = |text: &str, settings: &Settings| {
        lint_text(FileKind::Kubernetes, "deployment.yaml", text, settings)
            .into_iter()
            .filter(|f| f.code == "K8S003")
            .map(|f| f.message)
            .collect::<Vec<_>>()
    };
    assert!(k8s003(&good, &with_spec).is_empty());
    let edited = good.replace("terminationGracePeriodSeconds: 300", "terminationGracePeriodSeconds: 120");
    assert_ne!(edited, good);
    assert!(k8s003(&edited, &Settings::default()).is_empty(), "120s passes the spec-less bar of 60s");
    let flagged = k8s003(&edited, &with_spec);
    assert_eq!(flagged.len(), 1);
    assert!(flagged[0].contains("killed 120s") && flagged[0].contains("300s to drain"), "{}", flagged[0]);
}

/// Without a spec the heartbeat is unknown, so a lopsided chain is a warning, not an error.
#[test]
fn chain_without_spec_is_a_warning() {
    let dir = fixtures().join("chain/broken");
    let findings = lint_bundle(&dir);
    let idle = findings.iter().find(|f| f.code == "CHN001").unwrap();
    assert_eq!(
        idle.severity,
        sseconf::diagnostics::Severity::Warning,
        "without a spec the heartbeat is unknown"
    );
}

/// With the spec, the weakest link is measured against the real heartbeat: HAProxy's 60s under
/// a 45s heartbeat is an error.
#[test]
fn chain_uses_the_spec_heartbeat() {
    use sseconf::lint::engine::{self, Options};
    let dir = fixtures().join("chain");
    let spec = sseconf::spec::load(&fixtures().join("specs/heartbeat-45s.yaml")).map(|l| l.spec).ok();
    assert!(spec.is_some());
    let settings = sseconf::lint::Settings { spec, ..Settings::default() };
    let options =
        Options { paths: vec![dir.join("broken")], inline_ignores: true, settings, ..Options::default() };
    let findings = engine::run(&options).findings;
    let idle = findings.iter().find(|f| f.code == "CHN001").unwrap();
    assert_eq!(idle.severity, sseconf::diagnostics::Severity::Error);
    assert!(
        idle.message.contains("`/v1/chat/stream`") && idle.message.contains("45s heartbeat"),
        "{}",
        idle.message
    );
}

/// Hostile input gives findings or nothing, never a crash or a hang: a 2 MB line, deep
/// nesting, control characters and replaced invalid UTF-8, and alias and merge-key bombs.
#[test]
fn hostile_input_is_survived_by_every_kind() {
    let long_line = "x".repeat(2_000_000);
    let deep = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
    let invalid_utf8 = String::from_utf8_lossy(b"FROM a\xff\xfe\nbind \x00\x01 \"\xc3\n").into_owned();
    let mut bomb = String::from("a0: &a0 {k: v, image: redis}\n");
    for i in 1..25 {
        let p = i - 1;
        bomb.push_str(&format!("a{i}: &a{i}\n  <<: [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n  x: [*a{p}, *a{p}, *a{p}]\n"));
    }
    bomb.push_str("services:\n  s: *a24\nspring:\n  cloud:\n    gateway:\n      routes:\n        - {id: r, filters: [{name: Retry, args: *a24}], predicates: [Path=/stream]}\n");
    let inputs = [long_line, deep, invalid_utf8, bomb, "\u{feff}".to_string(), String::new()];
    let started = std::time::Instant::now();
    for kind_name in KINDS {
        let kind = FileKind::from_name(kind_name).unwrap();
        for text in &inputs {
            let _ = lint_text(kind, "hostile", text, &Settings::default());
        }
    }
    // Gateway settings in a `.properties` file go through their own parser.
    let unclosed = "a[".repeat(500_000);
    let too_deep = format!("{}=x", "a.".repeat(100_000));
    for text in inputs.iter().chain([&unclosed, &too_deep]) {
        let _ = lint_text(FileKind::Gateway, "application.properties", text, &Settings::default());
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "took {:?}", started.elapsed());
}

/// `# sseconf: ignore[...]` works the same in every kind (the line before, or the same line),
/// by id or name, and a suppression without a reason is itself reported.
#[test]
fn suppressions_work_in_other_kinds() {
    use sseconf::lint::engine::{self, Options};
    let dir = tempfile::Builder::new().prefix("supp").tempdir().unwrap();
    std::fs::write(
        dir.path().join("redis.conf"),
        "# sseconf: ignore[RDS001] only reachable from the pod network\nbind 0.0.0.0\nrename-command CONFIG \"\"\nrename-command FLUSHALL \"\"\nrename-command FLUSHDB \"\"\nrename-command DEBUG \"\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("docker-compose.yml"),
        "services:\n  redis:\n    image: redis:7.4.1\n    ports:\n      - \"6379:6379\"  # sseconf: ignore[published-datastore-port]\n",
    )
    .unwrap();
    let options =
        Options { paths: vec![dir.path().to_path_buf()], inline_ignores: true, ..Options::default() };
    let codes: Vec<String> = engine::run(&options).findings.into_iter().map(|f| f.code).collect();
    assert_eq!(codes, ["SSC001"], "the compose suppression has no reason; the redis one does");
}

/// The seed tutorial's configs linted together: its Ingress cuts idle WebSockets at 300s while
/// its nginx allows 3600s for `/ws/` (pitfalls.md 3.8 item 12), which no file shows alone.
#[test]
fn seed_bundle_flags_the_chain() {
    let dir = tempfile::Builder::new().prefix("seed").tempdir().unwrap();
    let copy = |from: &str| {
        let from = fixtures().join(from);
        std::fs::copy(&from, dir.path().join(from.file_name().unwrap())).unwrap();
    };
    copy("nginx/seed/streaming.conf");
    copy("haproxy/seed/haproxy.cfg");
    copy("kubernetes/seed/k8s-streaming-deployment.yaml");
    let findings = lint_bundle(dir.path());
    let chain = the_one(&findings, "CHN001");
    assert!(chain.message.contains("`/ws/`") && chain.message.contains("5m"), "{}", chain.message);
    assert_eq!(files_named(chain), ["k8s-streaming-deployment.yaml", "streaming.conf"]);
}

/// The seed's compose file and prometheus.yml together: `nginx:9113` is nginx itself, not an
/// exporter, no `alertmanager` is deployed, and only prometheus.yml is mounted, not the rule
/// file it names (pitfalls.md 3.5 items 9 and 13, 3.9 items 2-4).
#[test]
fn seed_bundle_flags_undeployed_targets() {
    let dir = tempfile::Builder::new().prefix("seed").tempdir().unwrap();
    for from in ["compose/seed/docker-compose.yml", "prometheus/seed/prometheus.yml"] {
        let from = fixtures().join(from);
        std::fs::copy(&from, dir.path().join(from.file_name().unwrap())).unwrap();
    }
    let findings = lint_bundle(dir.path());
    let messages: Vec<&str> =
        findings.iter().filter(|f| f.code == "CHN003").map(|f| f.message.as_str()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages.iter().any(|m| m.contains("nginx:9113"))
            && messages.iter().any(|m| m.contains("`alertmanager`"))
    );
}

/// GW003 measures the circuit breaker's time limit against the spec's `max_duration` when there
/// is one, and against an assumed hour otherwise.
#[test]
fn circuit_breaker_limit_follows_the_spec_duration() {
    let app = "spring:\n  cloud:\n    gateway:\n      routes:\n        - id: chat\n          uri: lb://chat\n          predicates: [Path=/api/chat/stream]\n          filters: [CircuitBreaker=chat]\nresilience4j:\n  timelimiter:\n    instances:\n      chat:\n        timeout-duration: 15m\n";
    let without = lint_text(FileKind::Gateway, "application.yml", app, &Settings::default());
    assert!(
        without.iter().any(|f| f.code == "GW003" && f.message.contains("before the 1h")),
        "{}",
        concise(&without)
    );
    let spec = sseconf::spec::load(&fixtures().join("specs/stream-10m.yaml")).map(|l| l.spec).ok();
    assert!(spec.is_some());
    let settings = Settings { spec, ..Settings::default() };
    let with = lint_text(FileKind::Gateway, "application.yml", app, &settings);
    assert!(with.iter().all(|f| f.code != "GW003"), "{}", concise(&with));
}

/// The seed's Deployment and the seed's application.yml together: the startup probe asks for a
/// `streaming` health group that no config defines (pitfalls.md 3.8 item 5).
#[test]
fn seed_bundle_flags_the_undefined_health_group() {
    let dir = tempfile::Builder::new().prefix("seed").tempdir().unwrap();
    for from in ["kubernetes/seed/k8s-streaming-deployment.yaml", "gateway/seed/application.yml"] {
        let from = fixtures().join(from);
        std::fs::copy(&from, dir.path().join(from.file_name().unwrap())).unwrap();
    }
    let findings = lint_bundle(dir.path());
    let groups = the_one(&findings, "CHN005");
    assert!(groups.message.contains("`streaming`"));
}

/// On a WebSocket path HAProxy's idle timer after the upgrade is `timeout tunnel`, so the chain
/// compares the tunnel timeout, not `timeout server`.
#[test]
fn chain_uses_the_tunnel_timeout_for_websockets() {
    let dir = tempfile::Builder::new().prefix("ws").tempdir().unwrap();
    let haproxy = "defaults\n    mode http\n    timeout server 30s\n    timeout tunnel 1h\nfrontend web\n    bind :80\n    acl is_ws path_beg /ws\n    use_backend ws if is_ws\nbackend ws\n    server a 10.0.0.1:80\n";
    std::fs::write(dir.path().join("haproxy.cfg"), haproxy).unwrap();
    std::fs::copy(
        fixtures().join("kubernetes/seed/k8s-streaming-deployment.yaml"),
        dir.path().join("ingress.yaml"),
    )
    .unwrap();
    let findings = lint_bundle(dir.path());
    let chain = the_one(&findings, "CHN001");
    assert!(
        chain.message.contains("at the Ingress") && chain.message.contains("allows 1h"),
        "{}",
        chain.message
    );
}

/// The seed's Dockerfile and compose file together: `-Xmx2g` in the image against the 2G limit of
/// the service built from it (pitfalls.md 3.4 item 4).
#[test]
fn seed_bundle_flags_the_heap_against_the_limit() {
    let dir = tempfile::Builder::new().prefix("seed").tempdir().unwrap();
    for from in ["dockerfile/seed/Dockerfile", "compose/seed/docker-compose.yml"] {
        let from = fixtures().join(from);
        std::fs::copy(&from, dir.path().join(from.file_name().unwrap())).unwrap();
    }
    let findings = lint_bundle(dir.path());
    let heap = the_one(&findings, "CHN006");
    assert_eq!(heap.severity, sseconf::diagnostics::Severity::Error);
    assert_eq!(files_named(heap), ["Dockerfile", "docker-compose.yml"]);
}

/// With the seed's Deployment added, its container runs the image compose builds
/// (`streaming-app`), so its 2Gi limit is measured against the image's `-Xmx2g` too
/// (pitfalls.md 3.8 item 7). The Deployment has probes, so the image's HEALTHCHECK being
/// ignored costs nothing (3.4 item 7: the rule is about pods without probes); with the
/// probes removed, CHN009 says so.
#[test]
fn seed_bundle_follows_the_image_into_kubernetes() {
    let dir = tempfile::Builder::new().prefix("seed").tempdir().unwrap();
    for from in [
        "dockerfile/seed/Dockerfile",
        "compose/seed/docker-compose.yml",
        "kubernetes/seed/k8s-streaming-deployment.yaml",
    ] {
        let from = fixtures().join(from);
        std::fs::copy(&from, dir.path().join(from.file_name().unwrap())).unwrap();
    }
    let findings = lint_bundle(dir.path());
    let heap: Vec<&Problem> = findings.iter().filter(|f| f.code == "CHN006").collect();
    assert_eq!(heap.len(), 2, "{}", concise(&findings));
    assert!(heap.iter().any(|f| files_named(f) == ["Dockerfile", "k8s-streaming-deployment.yaml"]));
    assert!(findings.iter().all(|f| f.code != "CHN009"), "the seed's Deployment has probes");

    let manifest = dir.path().join("k8s-streaming-deployment.yaml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let unprobed = ["livenessProbe", "readinessProbe", "startupProbe"]
        .iter()
        .fold(text, |t, probe| t.replace(&format!("{probe}:"), &format!("x-{probe}:")));
    std::fs::write(&manifest, unprobed).unwrap();
    let findings = lint_bundle(dir.path());
    let ignored = the_one(&findings, "CHN009");
    assert_eq!(ignored.severity, sseconf::diagnostics::Severity::Info);
    assert!(ignored.message.contains("`Deployment streaming-app`"), "{}", ignored.message);
    assert_eq!(files_named(ignored), ["Dockerfile", "k8s-streaming-deployment.yaml"]);
}

/// An image is followed into Kubernetes only when the bundle says which one it is: a
/// container whose repository names no compose build and not the Dockerfile's folder, or a
/// bundle with two Dockerfiles, gives nothing; the folder name alone is enough.
#[test]
fn image_is_matched_by_compose_build_or_dockerfile_folder() {
    let deployment = |image: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: chat}}\nspec:\n  selector: {{matchLabels: {{app: chat}}}}\n  template:\n    metadata: {{labels: {{app: chat}}}}\n    spec:\n      containers:\n      - name: chat\n        image: {image}\n        resources: {{limits: {{memory: 1Gi}}}}\n"
        )
    };
    let dockerfile = "FROM eclipse-temurin:21.0.5_11-jre\nENV JAVA_TOOL_OPTIONS=\"-Xmx1g\"\nHEALTHCHECK CMD wget -qO- http://localhost:8080/health || exit 1\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n";
    let run = |image: &str, second_dockerfile: bool| {
        let dir = tempfile::Builder::new().prefix("img").tempdir().unwrap();
        let app = dir.path().join("chat");
        std::fs::create_dir(&app).unwrap();
        std::fs::write(app.join("Dockerfile"), dockerfile).unwrap();
        if second_dockerfile {
            std::fs::write(dir.path().join("Dockerfile.worker"), dockerfile).unwrap();
        }
        std::fs::write(dir.path().join("deployment.yaml"), deployment(image)).unwrap();
        let mut codes: Vec<String> =
            lint_bundle(dir.path()).into_iter().map(|f| f.code).filter(|c| c.starts_with("CHN")).collect();
        codes.sort();
        codes
    };
    assert_eq!(run("registry.example.com/team/chat:1.4.2", false), ["CHN006", "CHN009"]);
    assert!(run("registry.example.com/team/billing:1.4.2", false).is_empty());
    assert!(run("registry.example.com/team/chat:1.4.2", true).is_empty());
}

/// Copies the seed's compose file and its two nginx files into the layout the compose file
/// mounts (`./nginx/nginx.conf`, `./nginx/streaming.conf`).
fn seed_nginx_stack() -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix("seed").tempdir().unwrap();
    std::fs::create_dir(dir.path().join("nginx")).unwrap();
    std::fs::copy(fixtures().join("compose/seed/docker-compose.yml"), dir.path().join("docker-compose.yml"))
        .unwrap();
    for name in ["nginx.conf", "streaming.conf"] {
        std::fs::copy(fixtures().join("nginx/seed").join(name), dir.path().join("nginx").join(name)).unwrap();
    }
    dir
}

/// The seed mounts its nginx.conf over the image's, and streaming.conf into conf.d; the
/// nginx.conf has no include, so the streaming server is never read (pitfalls.md 3.5 item 10).
#[test]
fn seed_bundle_flags_the_unloaded_nginx_mount() {
    let dir = seed_nginx_stack();
    let findings = lint_bundle(dir.path());
    let unloaded = the_one(&findings, "CHN010");
    assert_eq!(unloaded.severity, sseconf::diagnostics::Severity::Warning);
    assert!(unloaded.message.contains("`/etc/nginx/conf.d/streaming.conf`"), "{}", unloaded.message);
    assert_eq!(files_named(unloaded), ["docker-compose.yml", "nginx.conf", "streaming.conf"]);
}

/// Once the include is there, the file loads, and the upstream both files define stops nginx
/// (`duplicate upstream`), which is an error in the file loaded second.
#[test]
fn included_mount_that_redefines_an_upstream_is_an_error() {
    let dir = seed_nginx_stack();
    let main = dir.path().join("nginx/nginx.conf");
    let text = std::fs::read_to_string(&main).unwrap();
    let with_include = text.replacen("http {", "http {\n    include /etc/nginx/conf.d/*.conf;", 1);
    assert_ne!(with_include, text);
    std::fs::write(&main, with_include).unwrap();
    let findings = lint_bundle(dir.path());
    let chn010 = the_one(&findings, "CHN010");
    assert_eq!(chn010.severity, sseconf::diagnostics::Severity::Error);
    assert!(chn010.message.contains("upstream `streaming_backend`"), "{}", chn010.message);
    assert_eq!(files_named(chn010), ["nginx.conf", "streaming.conf"]);
}

/// CHN010's two claims on the real nginx: a file in conf.d that the main config does not
/// include is never read (even garbage there passes `nginx -t`), and once it is included, an
/// upstream defined in both files stops nginx (`duplicate upstream`).
#[test]
fn nginx_ignores_an_unincluded_file_and_refuses_a_duplicate_upstream() {
    let Some(nginx) = common::tool("nginx") else { return };
    let check = |include: bool, conf_d: &str| {
        let dir = tempfile::tempdir().unwrap();
        let prefix = dir.path();
        std::fs::create_dir(prefix.join("conf.d")).unwrap();
        std::fs::write(prefix.join("conf.d/stream.conf"), conf_d).unwrap();
        let p = prefix.display();
        let include = if include { format!("    include {p}/conf.d/*.conf;\n") } else { String::new() };
        let main = format!(
            "pid {p}/nginx.pid;\nerror_log {p}/error.log;\nevents {{}}\nhttp {{\n    access_log off;\n    client_body_temp_path {p}/cb;\n    proxy_temp_path {p}/px;\n    fastcgi_temp_path {p}/fc;\n    uwsgi_temp_path {p}/uw;\n    scgi_temp_path {p}/sc;\n{include}    upstream backend {{\n        server 127.0.0.1:9;\n    }}\n}}\n"
        );
        std::fs::write(prefix.join("nginx.conf"), main).unwrap();
        let out = std::process::Command::new(&nginx)
            .arg("-t")
            .arg("-p")
            .arg(prefix)
            .arg("-c")
            .arg(prefix.join("nginx.conf"))
            .arg("-e")
            .arg(prefix.join("error.log"))
            .output()
            .unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (ok, stderr) = check(false, "this is not nginx at all {{{\n");
    assert!(ok, "an unincluded file is never read: {stderr}");
    let duplicate = "upstream backend {\n    server 127.0.0.1:10;\n}\n";
    let (ok, stderr) = check(true, duplicate);
    assert!(!ok && stderr.contains("duplicate upstream \"backend\""), "{stderr}");
}

/// Without a mounted nginx.conf the image's own includes `conf.d/*.conf`: a server mounted
/// there loads, one mounted beside it does not.
#[test]
fn without_a_mounted_main_config_only_conf_d_loads() {
    let run = |target: &str| {
        let dir = tempfile::Builder::new().prefix("mnt").tempdir().unwrap();
        std::fs::write(
            dir.path().join("docker-compose.yml"),
            format!("services:\n  web:\n    image: nginx:1.27.3-alpine\n    volumes:\n      - ./stream.conf:{target}:ro\n"),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("stream.conf"),
            "server {\n    listen 8080;\n    location /health {\n        return 200;\n    }\n}\n",
        )
        .unwrap();
        lint_bundle(dir.path()).into_iter().filter(|f| f.code == "CHN010").count()
    };
    assert_eq!(run("/etc/nginx/conf.d/stream.conf"), 0);
    assert_eq!(run("/etc/nginx/stream.conf"), 1);
}

/// A whole folder mounted over /etc/nginx brings its own nginx.conf as the main config, and
/// includes are followed through every file nginx reads: a snippet included by a conf.d server
/// loads; a file nothing includes does not.
#[test]
fn folder_mount_follows_includes_through_every_loaded_file() {
    let dir = tempfile::Builder::new().prefix("fold").tempdir().unwrap();
    let nginx = dir.path().join("nginx");
    std::fs::create_dir_all(nginx.join("conf.d")).unwrap();
    std::fs::create_dir_all(nginx.join("snippets")).unwrap();
    std::fs::write(
        dir.path().join("docker-compose.yml"),
        "services:\n  web:\n    image: nginx:1.27.3-alpine\n    volumes:\n      - ./nginx:/etc/nginx:ro\n",
    )
    .unwrap();
    std::fs::write(nginx.join("nginx.conf"), "events {}\nhttp {\n    include conf.d/*.conf;\n}\n").unwrap();
    std::fs::write(
        nginx.join("conf.d/stream.conf"),
        "server {\n    listen 8080;\n    include /etc/nginx/snippets/sse.conf;\n}\n",
    )
    .unwrap();
    std::fs::write(nginx.join("snippets/sse.conf"), "location /health {\n    return 200;\n}\n").unwrap();
    std::fs::write(nginx.join("spare.conf"), "server {\n    listen 8081;\n}\n").unwrap();
    let findings: Vec<Problem> = lint_bundle(dir.path()).into_iter().filter(|f| f.code == "CHN010").collect();
    assert_eq!(findings.len(), 1, "{}", concise(&findings));
    assert!(findings[0].message.contains("`/etc/nginx/spare.conf`"), "{}", findings[0].message);
}

/// HAProxy's version-dependent rules follow the target version: `--haproxy-version`, else
/// `.sseconf.toml`, else the spec's `versions.haproxy`; unknown, they report what holds for some
/// supported version. HAP005 is an error (2.7+ refuses to start) unless the target is older,
/// where it is a deprecation warning; HAP017 is silent from 2.8, which offers h2 by default.
#[test]
fn haproxy_rules_follow_the_target_version() {
    let dir = tempfile::Builder::new().prefix("hav").tempdir().unwrap();
    let cfg = dir.path().join("haproxy.cfg");
    std::fs::write(
        &cfg,
        "frontend web\n    mode http\n    bind :443 ssl crt /etc/haproxy/site.pem\n    default_backend app\nbackend app\n    mode http\n    option httpchk GET /health HTTP/1.1\\r\\nHost:\\ app\n    server a 10.0.0.1:8080 check\n",
    )
    .unwrap();
    let run = |args: &[&str], cwd: &Path| {
        let out = std::process::Command::new(common::bin())
            .current_dir(cwd)
            .args(["lint", "--format", "concise", "--fail-on", "never", "--select", "HAP005,HAP017"])
            .args(args)
            .arg(&cfg)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut found: Vec<String> = text
            .lines()
            .filter_map(|l| {
                let mut words = l.split_whitespace().skip(1);
                Some(format!("{} {}", words.next()?, words.next()?))
            })
            .collect();
        found.sort();
        found
    };
    let root = common::root();
    assert_eq!(run(&[], &root), ["error HAP005", "info HAP017"]);
    assert_eq!(run(&["--haproxy-version", "2.6"], &root), ["info HAP017", "warning HAP005"]);
    assert_eq!(run(&["--haproxy-version", "3.2"], &root), ["error HAP005"]);
    assert_eq!(run(&["--spec", "examples/streaming.yaml"], &root), ["error HAP005"], "the spec says 3.2");
    std::fs::write(dir.path().join(".sseconf.toml"), "[lint]\nhaproxy-version = \"2.4\"\n").unwrap();
    assert_eq!(run(&[], dir.path()), ["info HAP017", "warning HAP005"]);
    assert_eq!(run(&["--haproxy-version", "2.8"], dir.path()), ["error HAP005"], "the flag wins");
}

/// What HAP005 says for the installed HAProxy is what that HAProxy does with headers hidden in
/// the httpchk version: before 2.7 it starts with a deprecation warning and the finding is a
/// warning; from 2.7 it refuses to start and the finding is an error.
#[test]
fn hap005_severity_matches_what_the_installed_haproxy_does() {
    let Some(haproxy) = common::tool("haproxy") else { return };
    let banner = std::process::Command::new(&haproxy).arg("-v").output().unwrap();
    let banner = String::from_utf8_lossy(&banner.stdout).into_owned();
    let version: sseconf::lint::version::Version = banner
        .split_whitespace()
        .skip_while(|w| *w != "version")
        .nth(1)
        .and_then(|v| v.split(['-', '+']).next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no version in {banner}"));
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("haproxy.cfg");
    let text = "defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\nfrontend web\n    bind 127.0.0.1:8080\n    default_backend app\nbackend app\n    option httpchk GET /health HTTP/1.1\\r\\nHost:\\ app\n    server a 127.0.0.1:9 check\n";
    std::fs::write(&cfg, text).unwrap();
    let out = std::process::Command::new(&haproxy).arg("-c").arg("-f").arg(&cfg).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("'option httpchk'"), "{said}");
    let settings = Settings { haproxy_version: Some(version), ..Settings::default() };
    let findings = lint_text(FileKind::Haproxy, "haproxy.cfg", text, &settings);
    let hap005 = the_one(&findings, "HAP005");
    if out.status.success() {
        assert!(said.contains("deprecated"), "{said}");
        assert_eq!(hap005.severity, sseconf::diagnostics::Severity::Warning, "HAProxy {version} starts");
    } else {
        assert_eq!(
            hap005.severity,
            sseconf::diagnostics::Severity::Error,
            "HAProxy {version} refuses: {said}"
        );
    }
}

/// The CLI treats the other kinds like nginx: exit 1 on findings at the default `--fail-on`,
/// `--select` by prefix, SARIF with the rules' metadata, and `--kind` for an unrecognised name.
#[test]
fn cli_lints_the_other_kinds() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(common::bin())
            .current_dir(common::root())
            .arg("lint")
            .args(args)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let (code, text) = run(&["--format", "concise", "tests/fixtures/lint/haproxy/seed/haproxy.cfg"]);
    assert_eq!(code, Some(1));
    assert!(text.contains("HAP005"), "{text}");
    let (code, text) =
        run(&["--format", "concise", "--select", "RDS", "tests/fixtures/lint/redis/seed/redis.conf"]);
    assert_eq!(code, Some(1));
    assert!(text.lines().all(|l| l.contains(" RDS")), "{text}");
    let (code, _) = run(&["tests/fixtures/lint/redis/good/redis.conf"]);
    assert_eq!(code, Some(0));
    let (_, sarif) = run(&["--format", "sarif", "tests/fixtures/lint/compose/seed/docker-compose.yml"]);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "CMP001"));
    let dir = tempfile::Builder::new().prefix("kind").tempdir().unwrap();
    let odd = dir.path().join("settings.txt");
    std::fs::write(&odd, "bind 0.0.0.0\n").unwrap();
    let (code, text) = run(&["--format", "concise", "--kind", "redis", odd.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(text.contains("RDS001"), "{text}");
}

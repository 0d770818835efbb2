//! `sseconf lint`: fixtures per rule, the seed's broken configs, a correct streaming config, the
//! corpus, output formats, suppressions, config, exit codes, and claims checked on a real nginx.

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// Runs `sseconf lint` from the project root; returns (exit code, stdout).
fn lint(args: &[&str]) -> (i32, String) {
    let out = Command::new(common::bin()).current_dir(common::root()).arg("lint").args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `(rule id, line)` of every concise finding.
fn ids_and_lines(concise: &str) -> Vec<(String, usize)> {
    concise
        .lines()
        .filter_map(|l| {
            let mut parts = l.splitn(4, ':');
            let _file = parts.next()?;
            let line: usize = parts.next()?.parse().ok()?;
            let _col = parts.next()?;
            let id = parts.next()?.split_whitespace().nth(1)?;
            Some((id.to_string(), line))
        })
        .collect()
}

fn rel(path: &Path) -> String {
    path.strip_prefix(common::root()).unwrap().to_string_lossy().into_owned()
}

#[test]
fn invalid_fixtures_match_their_snapshots_and_flag_their_rule() {
    insta::glob!("fixtures/lint/nginx/NGX*/invalid*.conf", |path| {
        let rule = path.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
        let (code, out) = lint(&["--format", "concise", "--fail-on", "never", &rel(path)]);
        assert_eq!(code, 0);
        assert!(
            ids_and_lines(&out).iter().any(|(id, _)| *id == rule),
            "{} does not flag {rule}:\n{out}",
            path.display()
        );
        insta::assert_snapshot!(out);
    });
}

#[test]
fn valid_fixtures_have_no_findings() {
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(common::root().join("tests/fixtures/lint/nginx")) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy();
        if !(name.starts_with("valid") && name.ends_with(".conf")) {
            continue;
        }
        let (code, out) = lint(&["--format", "concise", "--fail-on", "info", &rel(entry.path())]);
        assert_eq!((code, out.as_str()), (0, ""), "{}", entry.path().display());
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} valid fixtures");
}

fn seed(name: &str) -> String {
    format!("tests/fixtures/lint/nginx/seed/{name}")
}

/// Line of the extracted seed file → line in the tutorial (pitfalls.md Part 3 cites those).
const NGINX_CONF_OFFSET: usize = 11;
const STREAMING_CONF_OFFSET: usize = 832;

fn seed_findings(name: &str, offset: usize, version: &str) -> Vec<(String, usize)> {
    let (code, out) = lint(&["--format", "concise", "--nginx-version", version, &seed(name)]);
    assert_eq!(code, 1, "{out}");
    ids_and_lines(&out).into_iter().map(|(id, line)| (id, line + offset)).collect()
}

fn assert_flags(found: &[(String, usize)], expected: &[(&str, usize)]) {
    for (id, line) in expected {
        assert!(
            found.iter().any(|(i, l)| i == id && l == line),
            "expected {id} at tutorial line {line}; found {found:?}"
        );
    }
}

#[test]
fn seed_nginx_conf_is_flagged_at_each_mistake() {
    let found = seed_findings("nginx.conf", NGINX_CONF_OFFSET, "1.22");
    assert_flags(
        &found,
        &[
            ("NGX017", 114), // worker_processes in http (3.1 #1)
            ("NGX017", 115), // worker_connections in http
            ("NGX017", 116), // worker_rlimit_nofile in http
            ("NGX017", 119), // events nested in http (3.1 #2)
            ("NGX017", 13),  // ... and no top-level events
            ("NGX019", 17),  // ip_hash behind a balancer (3.1 #4)
            ("NGX007", 63),  // Connection set twice (3.1 #6)
            ("NGX006", 46),  // Connection "upgrade" on an SSE location (3.1 #6)
            ("NGX022", 66),  // CORS without always (3.1 #7)
            ("NGX022", 67),
            ("NGX022", 68),
            ("NGX024", 68),  // Last-Event-ID not allowed (3.1 #8)
            ("NGX009", 71),  // if in location (3.1 #9)
            ("NGX010", 72),  // preflight drops Allow-Methods/Allow-Headers (3.1 #9)
            ("NGX025", 74),  // add_header Content-Type (3.1 #10)
            ("NGX025", 75),  // add_header Content-Length
            ("NGX021", 82),  // keepalive pool unused by `location /` (3.1 #11)
            ("NGX021", 102), // ... and by /health
        ],
    );
    let severity_of = |id: &str, line: usize| {
        let (_, out) = lint(&["--format", "json", "--nginx-version", "1.22", &seed("nginx.conf")]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id && f["line"] == line - NGINX_CONF_OFFSET)
            .map(|f| f["severity"].as_str().unwrap().to_string())
    };
    assert_eq!(severity_of("NGX006", 46).as_deref(), Some("error"));
    assert_eq!(severity_of("NGX010", 72).as_deref(), Some("error"));
}

#[test]
fn seed_listen_http2_is_flagged_only_on_new_nginx() {
    let old = seed_findings("nginx.conf", NGINX_CONF_OFFSET, "1.22");
    assert!(!old.iter().any(|(id, _)| id == "NGX018"));
    let new = seed_findings("nginx.conf", NGINX_CONF_OFFSET, "1.26");
    assert_flags(&new, &[("NGX018", 30)]); // 3.1 #3
}

#[test]
fn seed_streaming_conf_is_flagged_at_each_mistake() {
    let found = seed_findings("streaming.conf", STREAMING_CONF_OFFSET, "1.22");
    assert_flags(
        &found,
        &[
            ("NGX019", 836), // ip_hash on one server (3.6 #1)
            ("NGX020", 864), // proxy_buffering off at server level (3.6 #2)
            ("NGX020", 866), // proxy_request_buffering off at server level
            ("NGX006", 872), // Upgrade forwarded on SSE (3.6 #3)
            ("NGX007", 881), // Connection set twice (3.6 #3)
            ("NGX014", 880), // Cache-Control via proxy_set_header (3.6 #4)
            ("NGX013", 894), // add_header X-Accel-Buffering (3.6 #5)
            ("NGX006", 902), // Connection "upgrade" with a keepalive upstream (3.6 #7)
            ("NGX021", 936), // /health without HTTP/1.1 to the keepalive upstream (3.6 #9)
        ],
    );
}

#[test]
fn seed_read_timeout_is_flagged_against_the_spec_heartbeat() {
    // 3.6 #6: 300 s is fine only if the app heartbeats more often than every 200 s.
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("sseconf.yaml");
    let minimal = common::read("examples/minimal.yaml");
    let with_heartbeat = minimal.replacen("heartbeat: 15s", "heartbeat: 250s", 1);
    std::fs::write(&spec, &with_heartbeat).unwrap();
    let loaded = sseconf::spec::load(&spec);
    let Ok(loaded) = loaded else { panic!("example spec does not load") };
    let endpoint = loaded.spec.endpoints.first().unwrap();
    if endpoint.heartbeat.as_millis() != 250_000 {
        panic!("examples/minimal.yaml has no `heartbeat: 15s` line to adapt");
    }
    let path = endpoint.path.as_str().to_string();
    let conf = dir.path().join("nginx.conf");
    std::fs::write(
        &conf,
        format!("location {path} {{\n    proxy_pass http://app;\n    proxy_buffering off;\n    proxy_read_timeout 300s;\n}}\n"),
    )
    .unwrap();
    let (code, out) = lint(&["--format", "concise", "--spec", spec.to_str().unwrap(), conf.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error NGX008") && out.contains("the spec lists"), "{out}");
}

#[test]
fn correct_streaming_config_gives_no_finding() {
    let (code, out) = lint(&["--format", "concise", "--fail-on", "info", "--nginx-version", "1.22", "tests/fixtures/lint/nginx/good/nginx.conf"]);
    assert_eq!((code, out.as_str()), (0, ""));
    let (code, out) = lint(&["--format", "concise", "--fail-on", "info", "tests/fixtures/lint/nginx/good/nginx.conf"]);
    assert_eq!((code, out.as_str()), (0, ""));
}

/// Every file under the corpus's nginx folder. Files whose kind is not nginx (crossplane's and
/// gixy's expected-output `.json` files, READMEs) are counted apart; of the nginx files, those
/// that do not parse (13) are all real syntax errors or templates:
/// - 11 crossplane test inputs broken on purpose: `missing-semicolon*` (4 files), `braces/*`
///   (a missing and an extra `}`), `premature-eof`, `quote-behavior` (`"left"-quote`, which
///   nginx also rejects: a quoted string must be followed by a separator), and two include
///   fixtures that are junk text (`includes-regular/conf.d/{foo,bar}.conf`,
///   `includes-globbed/servers/locations/not-included.conf`);
/// - 2 templates: NGINX-Demos' consul-template `nginx.conf` (`{{ ... }}`) and nginx-demos'
///   Terraform `default.conf` (`%{ if ... }`).
/// The counts are pinned so a parser change that breaks or fixes files shows up here.
const CORPUS_FILES: usize = 379;
const CORPUS_NGINX_FILES: usize = 306;
const CORPUS_PARSING: usize = 293;

#[test]
fn every_corpus_file_is_linted_without_a_crash() {
    let corpus = common::shared().join("corpus/nginx");
    assert!(corpus.is_dir(), "corpus not found at {}", corpus.display());
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&corpus)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    assert_eq!(files.len(), CORPUS_FILES);
    let (mut nginx, mut parsing, mut failing) = (0, 0, Vec::new());
    for file in &files {
        let head = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
        if sseconf::parse::kind::detect(file, &head) != Some(sseconf::parse::kind::FileKind::Nginx) {
            continue;
        }
        nginx += 1;
        let out = Command::new(common::bin()).args(["lint", "--format", "json", "--fail-on", "never"]).arg(file).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{} did not lint: {:?}", file.display(), out);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let name = file.to_string_lossy();
        let syntax = v["findings"].as_array().unwrap().iter().any(|f| {
            f["id"] == "NGX000" && f["severity"] == "error" && f["file"] == name.as_ref()
        });
        if syntax {
            failing.push(file.strip_prefix(&corpus).unwrap().display().to_string());
        } else {
            parsing += 1;
        }
    }
    failing.sort();
    assert_eq!((nginx, parsing), (CORPUS_NGINX_FILES, CORPUS_PARSING), "failing: {failing:#?}");
}

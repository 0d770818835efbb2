//! `sseconf lint`: fixtures per rule, the seed's broken configs, a correct streaming config, the
//! corpus, output formats, suppressions, config, exit codes, and claims checked on a real nginx.

// Helpers outside #[test] functions unwrap too: a failed setup is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// Runs `sseconf lint` from the project root; returns (exit code, stdout).
fn lint(args: &[&str]) -> (i32, String) {
    let out =
        Command::new(common::bin()).current_dir(common::root()).arg("lint").args(args).output().unwrap();
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
    let (code, out) =
        lint(&["--format", "concise", "--spec", spec.to_str().unwrap(), conf.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error NGX008") && out.contains("the spec lists"), "{out}");
}

#[test]
fn correct_streaming_config_gives_no_finding() {
    let (code, out) = lint(&[
        "--format",
        "concise",
        "--fail-on",
        "info",
        "--nginx-version",
        "1.22",
        "tests/fixtures/lint/nginx/good/nginx.conf",
    ]);
    assert_eq!((code, out.as_str()), (0, ""));
    let (code, out) =
        lint(&["--format", "concise", "--fail-on", "info", "tests/fixtures/lint/nginx/good/nginx.conf"]);
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
///
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
        let out = Command::new(common::bin())
            .args(["lint", "--format", "json", "--fail-on", "never"])
            .arg(file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{} did not lint: {:?}", file.display(), out);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let name = file.to_string_lossy();
        let syntax = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "NGX000" && f["severity"] == "error" && f["file"] == name.as_ref());
        if syntax {
            failing.push(file.strip_prefix(&corpus).unwrap().display().to_string());
        } else {
            parsing += 1;
        }
    }
    failing.sort();
    assert_eq!((nginx, parsing), (CORPUS_NGINX_FILES, CORPUS_PARSING), "failing: {failing:#?}");
}

/// Writes files into a fresh folder and returns it.
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(common::bin()).current_dir(dir).arg("lint").args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const XACCEL: &str = "location /events {\n    proxy_pass http://app;\n    proxy_buffering off;\n    proxy_read_timeout 1h;\n    add_header X-Accel-Buffering no;";

#[test]
fn trailing_and_preceding_suppressions_need_a_reason_and_a_finding() {
    let text = format!(
        "{XACCEL} # sseconf: ignore[NGX013] an outer nginx reads it\n    # sseconf: ignore[x-accel-buffering-add-header]\n    add_header X-Accel-Buffering no;\n    server_tokens off; # sseconf: ignore[NGX033] nothing here\n    gzip off; # sseconf: ignore[NGX999] typo\n}}\n"
    );
    let dir = folder(&[("site.conf", &text)]);
    let (_, out, _) = run_in(dir.path(), &["--format", "concise", "site.conf"]);
    let found = ids_and_lines(&out);
    assert_eq!(
        found,
        vec![
            ("SSC001".to_string(), 6), // the own-line suppression has no reason (but still applies)
            ("SSC002".to_string(), 8), // NGX033 reports nothing on that line
            ("SSC003".to_string(), 9), // NGX999 does not exist
        ],
        "{out}"
    );
    let (_, out, _) = run_in(dir.path(), &["--format", "concise", "--no-inline-ignores", "site.conf"]);
    let found = ids_and_lines(&out);
    assert_eq!(found, vec![("NGX013".to_string(), 5), ("NGX013".to_string(), 7)], "{out}");
}

#[test]
fn config_file_selects_ignores_overrides_and_declares_stream_paths() {
    let conf = "location /api/chat {\n    proxy_pass http://app;\n    proxy_read_timeout 1h;\n    add_header X-Accel-Buffering no;\n}\n";
    let dir = folder(&[("nginx/site.conf", conf)]);
    let (code, out, _) = run_in(dir.path(), &["--format", "concise", "nginx/site.conf"]);
    assert_eq!(code, 1);
    assert!(out.contains("warning NGX013") && out.contains("NGX001"), "{out}");

    std::fs::write(dir.path().join(".sseconf.toml"), "[lint]\nignore = [\"x-accel-buffering-add-header\"]\n")
        .unwrap();
    let (_, out, _) = run_in(dir.path(), &["--format", "concise", "nginx/site.conf"]);
    assert!(!out.contains("NGX013"), "{out}");

    std::fs::write(
        dir.path().join(".sseconf.toml"),
        "[lint]\nselect = [\"NGX013\"]\nseverity = { NGX013 = \"info\" }\n",
    )
    .unwrap();
    let (code, out, _) = run_in(dir.path(), &["--format", "concise", "nginx/site.conf"]);
    assert_eq!(
        (code, out.trim_end()),
        (
            0,
            "nginx/site.conf:4:5: info NGX013 `add_header X-Accel-Buffering` only reaches the client; it does not turn off this nginx's buffering"
        )
    );

    // `/api/chat` only streams because the config says so: NGX001 is then a warning, not a guess.
    std::fs::write(
        dir.path().join(".sseconf.toml"),
        "[lint]\nselect = [\"NGX001\"]\nstream-paths = [\"/api/*\"]\n",
    )
    .unwrap();
    let (_, out, _) = run_in(dir.path(), &["--format", "concise", "nginx/site.conf"]);
    assert!(out.contains("warning NGX001") && out.contains("declared as a stream path"), "{out}");

    std::fs::write(dir.path().join(".sseconf.toml"), "[lint]\nselekt = []\n").unwrap();
    let (code, _, err) = run_in(dir.path(), &["--color", "never", "nginx/site.conf"]);
    assert_eq!(code, 2);
    assert!(err.contains("selekt"), "{err}");
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = folder(&[("a.conf", "server {\n    listen 443 ssl http2;\n}\n"), ("b.conf", XACCEL)]);
    let (code, ..) = run_in(dir.path(), &["--format", "concise", "a.conf"]);
    assert_eq!(code, 0, "an info finding does not fail by default");
    let (code, ..) = run_in(dir.path(), &["--format", "concise", "--fail-on", "info", "a.conf"]);
    assert_eq!(code, 1);
    let (code, ..) = run_in(dir.path(), &["--format", "concise", "--fail-on", "error", "a.conf"]);
    assert_eq!(code, 0);
    let (code, ..) = run_in(dir.path(), &["--format", "concise", "missing.conf"]);
    assert_eq!(code, 2);
    let (code, ..) = run_in(dir.path(), &["--select", "NOPE", "a.conf"]);
    assert_eq!(code, 2);
    let (code, ..) = run_in(dir.path(), &["--nginx-version", "one", "a.conf"]);
    assert_eq!(code, 2);
}

#[test]
fn json_output_follows_the_contract() {
    let dir = folder(&[("nginx.conf", "server {\n    server_tokens on;\n}\n")]);
    let (code, out, _) = run_in(dir.path(), &["--format", "json", "nginx.conf"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["findings"][0],
        serde_json::json!({
            "id": "NGX033", "name": "server-tokens-exposed", "severity": "warning", "file": "nginx.conf",
            "line": 2, "column": 5, "end_line": 2, "end_column": 22,
            "message": "`server_tokens on` shows the nginx version to clients",
            "help": "Set `server_tokens off;` in `http`."
        })
    );
    assert_eq!(
        v["summary"],
        serde_json::json!({"files": 1, "findings": 1, "errors": 0, "warnings": 1, "infos": 0})
    );
}

#[test]
fn github_output_is_one_workflow_command_per_finding() {
    let dir = folder(&[("nginx.conf", "server {\n    server_tokens on;\n}\n")]);
    let (_, out, _) = run_in(dir.path(), &["--format", "github", "nginx.conf"]);
    assert_eq!(
        out,
        "::warning file=nginx.conf,line=2,col=5,endLine=2,endColumn=22,title=NGX033 server-tokens-exposed::`server_tokens on` shows the nginx version to clients\n"
    );
}

#[test]
fn sarif_output_validates_against_the_schema_and_has_stable_fingerprints() {
    let schema_path = common::shared().join("reference/schemas/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let (code, out) = lint(&["--format", "sarif", "--nginx-version", "1.22", &seed("nginx.conf")]);
    assert_eq!(code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(&sarif).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &sarif["runs"][0];
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().unwrap().len(),
        sseconf::lint::registry::all().len()
    );
    let results = run["results"].as_array().unwrap();
    assert!(results.len() > 10);
    let first = &results[0];
    let index = first["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(run["tool"]["driver"]["rules"][index]["id"], first["ruleId"]);

    // Inserting a line above moves every finding but changes no fingerprint.
    let text = std::fs::read_to_string(common::root().join(seed("nginx.conf"))).unwrap();
    let sarif_of = |text: &str| -> serde_json::Value {
        let dir = folder(&[("nginx.conf", text)]);
        let (_, out, _) = run_in(dir.path(), &["--format", "sarif", "--nginx-version", "1.22", "nginx.conf"]);
        serde_json::from_str(&out).unwrap()
    };
    let prints = |v: &serde_json::Value| -> Vec<String> {
        let results = v["runs"][0]["results"].as_array().unwrap();
        let mut p: Vec<String> = results
            .iter()
            .map(|r| r["partialFingerprints"]["sseconf/v1"].as_str().unwrap().to_string())
            .collect();
        p.sort();
        p
    };
    let before = sarif_of(&text);
    let after = sarif_of(&format!("# a new comment\n{text}"));
    assert_ne!(before["runs"][0]["results"][0]["locations"], after["runs"][0]["results"][0]["locations"]);
    assert_eq!(prints(&before), prints(&after));
    let unique: std::collections::HashSet<_> = prints(&before).into_iter().collect();
    assert_eq!(unique.len(), results.len(), "fingerprints are unique");
    let (_, again) = lint(&["--format", "sarif", "--nginx-version", "1.22", &seed("nginx.conf")]);
    let again: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(prints(&sarif), prints(&again), "fingerprints are deterministic");
}

#[test]
fn stdin_and_nginx_t_dumps_are_linted() {
    let out = Command::new(common::bin())
        .args(["lint", "--format", "concise", "-"])
        .write_stdin("server {\n    server_tokens on;\n}\n")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or(""),
        "<stdin>:2:5: warning NGX033 `server_tokens on` shows the nginx version to clients"
    );

    let dump = "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n\
                # configuration file /etc/nginx/nginx.conf:\n\
                events {}\nhttp {\n    server_tokens off;\n    include /etc/nginx/conf.d/*.conf;\n}\n\n\
                # configuration file /etc/nginx/conf.d/app.conf:\n\
                server {\n    location /x {\n        proxy_pass http://a;\n        proxy_set_header Host $http_host;\n    }\n}\n";
    let dir = folder(&[("dump.txt", dump)]);
    let (_, out, _) = run_in(dir.path(), &["--format", "concise", "--kind", "nginx", "dump.txt"]);
    assert_eq!(
        out,
        "/etc/nginx/conf.d/app.conf:4:9: warning NGX028 `Host` is forwarded from the client's raw `Host` header\n"
    );
}

#[test]
fn a_folder_is_walked_and_included_files_are_linted_once_through_their_includer() {
    let dir = folder(&[
        ("nginx/nginx.conf", "events {}\nhttp {\n    server_tokens off;\n    include conf.d/*.conf;\n}\n"),
        (
            "nginx/conf.d/a.conf",
            "server {\n    location / { proxy_pass http://a; proxy_set_header Host $http_host; }\n}\n",
        ),
        ("nginx/README.md", "not a config"),
    ]);
    let (_, out, _) = run_in(dir.path(), &["--format", "concise", "nginx"]);
    assert_eq!(
        out,
        "nginx/conf.d/a.conf:2:39: warning NGX028 `Host` is forwarded from the client's raw `Host` header\n"
    );
}

#[test]
fn a_file_named_twice_is_linted_once() {
    let dir = folder(&[("a.conf", "server {\n    server_tokens on;\n}\n"), ("b.conf", "server {\n}\n")]);
    let (_, out, _) = run_in(dir.path(), &["--format", "concise", "a.conf", "b.conf", "./a.conf"]);
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn human_output_shows_the_source_and_the_rule() {
    let dir = folder(&[("nginx.conf", "server {\n    server_tokens on;\n}\n")]);
    let (_, out, err) = run_in(dir.path(), &["--color", "never", "nginx.conf"]);
    assert!(out.contains("NGX033") && out.contains("server_tokens on;") && out.contains("help:"), "{out}");
    assert!(err.contains("1 file(s) linted: 0 error(s), 1 warning(s), 0 info"), "{err}");
}

#[test]
fn hostile_input_does_not_crash() {
    let deep = "location / {".repeat(5000);
    let long_line = format!("add_header X \"{}\";", "a".repeat(2_000_000));
    let dir = folder(&[("deep.conf", &deep), ("long.conf", &long_line)]);
    std::fs::write(dir.path().join("bytes.conf"), b"server { listen \xff\xfe 80; }\n\x00\x01{{{;;}}}")
        .unwrap();
    for name in ["deep.conf", "long.conf", "bytes.conf"] {
        let (code, out, _) = run_in(dir.path(), &["--format", "json", "--kind", "nginx", name]);
        assert!(code == 0 || code == 1, "{name}: {code}");
        let _: serde_json::Value = serde_json::from_str(&out).unwrap();
    }
}

/// Writes `conf` with a writable prefix and asks the real nginx whether it loads.
fn nginx_accepts(nginx: &Path, conf: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path();
    let main = prefix.join("nginx.conf");
    let conf = conf.replace("PREFIX", &prefix.display().to_string());
    std::fs::write(&main, conf).unwrap();
    let out = std::process::Command::new(nginx)
        .arg("-t")
        .arg("-p")
        .arg(prefix)
        .arg("-c")
        .arg(&main)
        .arg("-e")
        .arg(prefix.join("error.log"))
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn context_and_syntax_findings_match_what_nginx_t_says() {
    let Some(nginx) = common::tool("nginx") else { return };
    let head = "pid PREFIX/nginx.pid;\nerror_log PREFIX/error.log;\n";
    let http = "http {\n    access_log off;\n    client_body_temp_path PREFIX/cb;\n    proxy_temp_path PREFIX/px;\n    fastcgi_temp_path PREFIX/fc;\n    uwsgi_temp_path PREFIX/uw;\n    scgi_temp_path PREFIX/sc;\n    server_tokens off;\n";
    let cases: &[(&str, String, Option<&str>, &str)] = &[
        ("fine", format!("{head}events {{}}\n{http}}}\n"), None, ""),
        (
            "worker_processes in http",
            format!("{head}events {{}}\n{http}    worker_processes 2;\n}}\n"),
            Some("NGX017"),
            "is not allowed here",
        ),
        ("no events", format!("{head}{http}}}\n"), Some("NGX017"), "no \"events\" section"),
        (
            "on/off",
            format!("{head}events {{}}\n{http}    proxy_buffering no;\n}}\n"),
            Some("NGX037"),
            "it must be \"on\" or \"off\"",
        ),
        (
            "missing semicolon",
            format!("{head}events {{}}\n{http}    gzip on\n}}\n"),
            Some("NGX000"),
            "unexpected \"}\"",
        ),
    ];
    for (what, conf, rule, nginx_says) in cases {
        let (ok, stderr) = nginx_accepts(&nginx, conf);
        let dir = folder(&[("nginx.conf", &conf.replace("PREFIX", "/tmp"))]);
        let (_, out, _) = run_in(dir.path(), &["--format", "concise", "nginx.conf"]);
        match rule {
            None => {
                assert!(ok, "{what}: nginx -t failed: {stderr}");
                assert!(!out.contains("error"), "{what}: {out}");
            }
            Some(rule) => {
                assert!(!ok && stderr.contains(nginx_says), "{what}: nginx -t said: {stderr}");
                assert!(out.contains(&format!("error {rule}")), "{what}: {out}");
            }
        }
    }
}

#[test]
fn config_schema_is_committed_and_fresh() {
    let out = Command::new(common::bin()).args(["schema", "--config"]).output().unwrap();
    assert!(out.status.success());
    let committed = std::fs::read_to_string(common::root().join("schemas/sseconf-config.schema.json"))
        .unwrap_or_default();
    assert!(
        committed == String::from_utf8_lossy(&out.stdout),
        "schemas/sseconf-config.schema.json is stale; regenerate with `cargo run -- schema --config > schemas/sseconf-config.schema.json`"
    );
    let schema: serde_json::Value = serde_json::from_str(&committed).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let good = serde_json::json!({"lint": {"select": ["NGX"], "severity": {"NGX018": "warning"}, "stream-paths": ["/api/*"]}});
    assert!(validator.is_valid(&good));
    assert!(!validator.is_valid(&serde_json::json!({"lint": {"severity": {"NGX018": "fatal"}}})));
}

/// Accepts one connection on `listener`, returns the request head it received, answers 200.
fn capture_one_request(listener: std::net::TcpListener) -> std::thread::JoinHandle<String> {
    use std::io::{Read, Write};
    std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else { return String::new() };
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
        }
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        String::from_utf8_lossy(&head).into_owned()
    })
}

/// NGX007's claim, shown on the real nginx: a second `proxy_set_header Connection` does not
/// replace the first; the backend receives both headers.
#[test]
fn duplicate_proxy_set_header_sends_both_values_on_a_real_nginx() {
    use std::io::{Read, Write};
    let Some(nginx) = common::tool("nginx") else { return };
    let backend = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let backend_port = backend.local_addr().unwrap().port();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().display().to_string();
    let location = format!(
        "location / {{\n    proxy_pass http://127.0.0.1:{backend_port};\n    proxy_http_version 1.1;\n    proxy_set_header Connection \"upgrade\";\n    proxy_set_header Connection \"keep-alive\";\n}}\n"
    );
    let conf = format!(
        "daemon off;\nmaster_process off;\npid {p}/nginx.pid;\nerror_log {p}/error.log;\nevents {{}}\nhttp {{\naccess_log off;\nclient_body_temp_path {p}/cb;\nproxy_temp_path {p}/px;\nfastcgi_temp_path {p}/fc;\nuwsgi_temp_path {p}/uw;\nscgi_temp_path {p}/sc;\nserver {{\nlisten 127.0.0.1:{port};\n{location}}}\n}}\n"
    );
    std::fs::write(dir.path().join("nginx.conf"), &conf).unwrap();
    let captured = capture_one_request(backend);
    let mut server = std::process::Command::new(&nginx)
        .arg("-p")
        .arg(dir.path())
        .arg("-c")
        .arg(dir.path().join("nginx.conf"))
        .arg("-e")
        .arg(dir.path().join("error.log"))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut client = None;
    for _ in 0..100 {
        if let Ok(stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            client = Some(stream);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let request = client.map(|mut stream| {
        stream.write_all(b"GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").unwrap();
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        captured.join().unwrap()
    });
    let _ = server.kill();
    let _ = server.wait();
    let request = request.expect("nginx did not start");
    let request = request.to_ascii_lowercase();
    assert!(
        request.contains("connection: upgrade\r\n") && request.contains("connection: keep-alive\r\n"),
        "{request}"
    );
    let lint_dir = folder(&[("site.conf", &location)]);
    let (_, out, _) = run_in(lint_dir.path(), &["--format", "concise", "site.conf"]);
    assert!(out.contains("site.conf:5:5: error NGX007"), "{out}");
}

/// Random token soup through the parser and every rule: nothing may panic, and every finding
/// must point inside its file. (A tiny deterministic generator; no new dependency.)
#[test]
fn random_inputs_never_panic_and_spans_stay_in_the_file() {
    const PIECES: &[&str] = &[
        "{",
        "}",
        ";",
        "\"",
        "'",
        "\\",
        "#",
        "$",
        "${a}",
        "\n",
        " ",
        "(",
        ")",
        "location",
        "/ws",
        "/events",
        "if",
        "server",
        "http",
        "events",
        "upstream",
        "map",
        "add_header",
        "proxy_set_header",
        "Connection",
        "upgrade",
        "proxy_pass",
        "http://$1",
        "proxy_buffering",
        "off",
        "on",
        "gzip_types",
        "text/event-stream",
        "alias",
        "/x/",
        "content_by_lua_block",
        "é",
        "# sseconf: ignore[NGX001]",
        "always",
        "listen",
        "http2",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let settings = sseconf::lint::Settings::default();
    for _ in 0..1500 {
        let len = (next() % 120) as usize;
        let text: String =
            (0..len).map(|_| PIECES[(next() % PIECES.len() as u64) as usize]).collect::<Vec<_>>().join(" ");
        for finding in sseconf::lint::nginx::lint_text("fuzz.conf", &text, &settings) {
            let span = finding.primary_span().unwrap_or(0..0);
            assert!(span.start <= span.end && span.end <= text.len(), "{span:?} outside {text:?}");
        }
    }
}

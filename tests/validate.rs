//! `sseconf validate`: every kind of spec error, reported at its line and column, all at once;
//! exit codes; hostile input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn validate(dir: &Path, spec: &str) -> Output {
    Command::new(common::bin())
        .args(["validate", "--color", "never", spec])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_three_examples_are_valid() {
    for example in ["examples/streaming.yaml", "examples/streaming.toml", "examples/minimal.yaml"] {
        let out = validate(&common::root(), example);
        assert_eq!(out.status.code(), Some(0), "{example}:\n{}", stderr(&out));
    }
}

#[test]
fn yaml_and_toml_examples_load_to_the_same_model() {
    let yaml = sseconf::spec::load(&common::root().join("examples/streaming.yaml")).unwrap();
    let toml = sseconf::spec::load(&common::root().join("examples/streaming.toml")).unwrap();
    assert_eq!(yaml.spec, toml.spec);
}

#[test]
fn valid_fixtures_pass() {
    insta::glob!("fixtures/spec/valid/*", |path| {
        let out = validate(path.parent().unwrap(), path.file_name().unwrap().to_str().unwrap());
        assert_eq!(out.status.code(), Some(0), "{}:\n{}", path.display(), stderr(&out));
    });
}

#[test]
fn invalid_fixtures_fail_with_located_diagnostics() {
    insta::glob!("fixtures/spec/invalid/*", |path| {
        let name = path.file_name().unwrap().to_str().unwrap();
        let out = validate(path.parent().unwrap(), name);
        assert_eq!(out.status.code(), Some(1), "{name} must be invalid:\n{}", stderr(&out));
        let text = stderr(&out);
        if name != "empty.yaml" {
            assert!(text.contains(&format!("[{name}:")), "{name}: no file:line:col in\n{text}");
        }
        assert!(text.contains("help:"), "{name}: no help line in\n{text}");
        insta::assert_snapshot!(text);
    });
}

/// Replaces the first occurrence of `from` in the streaming example and returns the text and
/// the 1-based line:column where the replacement starts.
fn corrupt_example(from: &str, to: &str, column_of: &str) -> (String, String) {
    let text = common::read("examples/streaming.yaml");
    let at = text.find(from).unwrap();
    let corrupted = format!("{}{}{}", &text[..at], to, &text[at + from.len()..]);
    let target = at + to.find(column_of).unwrap();
    let line = corrupted[..target].matches('\n').count() + 1;
    let column = target - corrupted[..target].rfind('\n').map_or(0, |i| i + 1) + 1;
    (corrupted, format!("{line}:{column}"))
}

#[test]
fn a_corrupted_value_type_is_reported_at_its_exact_line_and_column() {
    let (text, at) = corrupt_example("  replicas: 3\n", "  replicas: three\n", "three");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("spec.yaml"), text).unwrap();
    let out = validate(dir.path(), "spec.yaml");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(&format!("[spec.yaml:{at}]")), "expected {at}:\n{}", stderr(&out));
    assert!(stderr(&out).contains("\"three\" is not of type \"integer\""));
}

#[test]
fn an_unknown_key_is_reported_at_its_exact_line_and_column_with_a_suggestion() {
    let (text, at) = corrupt_example("    heartbeat: 30s", "    heartbaet: 30s", "heartbaet");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("spec.yaml"), text).unwrap();
    let out = validate(dir.path(), "spec.yaml");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains(&format!("[spec.yaml:{at}]")), "expected {at}:\n{err}");
    assert!(err.contains("did you mean `heartbeat`?"), "{err}");
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let text = "service:\n  name: Bad_Name\n  image: x:1\n  replicas: many\nendpoints:\n  - path: nope\n    kind: sse\n    colour: red\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.yaml"), text).unwrap();
    let err = stderr(&validate(dir.path(), "s.yaml"));
    for location in ["[s.yaml:2:9]", "[s.yaml:4:13]", "[s.yaml:6:11]", "[s.yaml:8:5]"] {
        assert!(err.contains(location), "missing {location} in\n{err}");
    }
    assert!(err.contains("4 problem(s)"), "{err}");
}

#[test]
fn stdin_is_read_as_yaml() {
    use std::io::Write;
    let mut child = Command::new(common::bin())
        .args(["validate", "-"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(common::read("examples/minimal.yaml").as_bytes()).unwrap();
    assert_eq!(child.wait_with_output().unwrap().status.code(), Some(0));
}

#[test]
fn a_missing_file_is_an_io_error_with_exit_code_2() {
    let out = validate(&common::root(), "does/not/exist.yaml");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read does/not/exist.yaml"));
}

#[test]
fn a_usage_error_exits_2() {
    let out = Command::new(common::bin()).args(["validate", "--no-such-flag"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn deeply_nested_yaml_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("deep.yaml"),
        format!("service: {}{}", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .unwrap();
    let out = validate(dir.path(), "deep.yaml");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("deep.yaml:1:"), "{}", stderr(&out));
}

#[test]
fn binary_garbage_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let garbage: Vec<u8> = (0..65_536u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(dir.path().join("garbage.yaml"), garbage).unwrap();
    let out = validate(dir.path(), "garbage.yaml");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn a_huge_file_is_refused_without_parsing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("huge.yaml"), "# padding\n".repeat(600_000)).unwrap();
    let out = validate(dir.path(), "huge.yaml");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("larger than any spec should be"), "{}", stderr(&out));
}

#[test]
fn a_huge_single_line_is_handled() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("line.yaml"), format!("service: {}\n", "a".repeat(3_000_000))).unwrap();
    let out = validate(dir.path(), "line.yaml");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn color_never_and_no_color_produce_plain_output() {
    let out = Command::new(common::bin())
        .args(["--color", "always", "validate", "tests/fixtures/spec/invalid/wrong-type.yaml"])
        .current_dir(common::root())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("\u{1b}["), "--color always must colour");
    let plain = Command::new(common::bin())
        .args(["validate", "tests/fixtures/spec/invalid/wrong-type.yaml"])
        .current_dir(common::root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&plain.stderr).contains("\u{1b}["), "NO_COLOR must disable colour");
}

#[test]
fn quiet_silences_the_status_line() {
    let out = Command::new(common::bin())
        .args(["-q", "validate", "examples/minimal.yaml"])
        .current_dir(common::root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
}

//! `sseconf init`: a commented starter spec with an editor modeline, never overwriting by accident.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;

fn init(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(common::bin()).arg("init").args(args).current_dir(dir).output().unwrap()
}

#[test]
fn init_writes_a_valid_commented_spec_with_a_schema_modeline() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(dir.path().join("sseconf.yaml")).unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema="), "{text}");
    assert!(
        text.lines().filter(|l| l.trim_start().starts_with('#')).count() > 3,
        "the starter spec should teach"
    );
    let validate = Command::new(common::bin())
        .args(["validate", "sseconf.yaml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(validate.status.code(), Some(0));
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mine.yaml"), "precious: true\n").unwrap();
    let out = init(dir.path(), &["mine.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(dir.path().join("mine.yaml")).unwrap(), "precious: true\n");

    let forced = init(dir.path(), &["mine.yaml", "--force"]);
    assert_eq!(forced.status.code(), Some(0));
    assert!(std::fs::read_to_string(dir.path().join("mine.yaml")).unwrap().contains("endpoints:"));
}

//! Helpers for the k8s, monitoring and gateway gen tests: rendering an edited copy of an example,
//! reading generated YAML through the project's own parser, and finding the version an engine
//! should check against.
#![allow(dead_code)]

use super::common;
use super::support::{self, Versions};
use sseconf::parse::yaml::{self, Node, Style, Value};
use std::process::Command;

/// Renders `example` after `edit` changed its text (for cases the examples do not cover). The
/// edit must change something, so a test never silently runs on the unedited example.
pub fn gen_edited(example: &str, edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let original = support::example_text(example, Versions::AsWritten);
    let text = edit(&original);
    assert_ne!(text, original, "the edit of {example} changed nothing");
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("spec.yaml"), text).unwrap();
    let run = Command::new(common::bin())
        .args(["gen", "-q", "-o", "deploy", "spec.yaml"])
        .current_dir(out.path())
        .output()
        .unwrap();
    assert!(run.status.success(), "gen failed: {}", String::from_utf8_lossy(&run.stderr));
    out
}

/// Every document of a generated YAML file as JSON, failing on any syntax error or duplicate key.
pub fn yaml_docs(path: &str, text: &str) -> Vec<serde_json::Value> {
    let file = yaml::parse(text);
    assert!(file.errors.is_empty(), "{path} does not parse: {:?}", file.errors);
    file.documents.iter().map(|d| yaml::to_json(d, &d.root).unwrap()).collect()
}

/// The parsed tree of a single-document YAML file, failing on errors.
pub fn yaml_root(path: &str, text: &str) -> (yaml::Document, Vec<yaml::Comment>) {
    let mut file = yaml::parse(text);
    assert!(file.errors.is_empty(), "{path} does not parse: {:?}", file.errors);
    assert_eq!(file.documents.len(), 1, "{path} should hold one document");
    (file.documents.remove(0), file.comments)
}

/// True when the scalar was written in quotes (a string for every YAML loader).
pub fn is_quoted(node: &Node) -> bool {
    matches!(node.value, Value::Scalar { style: Style::Quoted, .. })
}

/// Runs yamllint with the relaxed profile on `paths`; returns its report. Fails on errors, and on
/// warnings other than line length (headers and comments are long on purpose).
pub fn yamllint(paths: &[std::path::PathBuf]) {
    let Some(yamllint) = common::tool("yamllint") else { return };
    let out = Command::new(yamllint).args(["-f", "parsable", "-d", "relaxed"]).args(paths).output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "yamllint failed:\n{report}{}", String::from_utf8_lossy(&out.stderr));
    let serious: Vec<&str> = report.lines().filter(|l| !l.contains("(line-length)")).collect();
    assert!(serious.is_empty(), "yamllint complained:\n{}", serious.join("\n"));
}

/// The `versions:` value for `engine` in a spec text (`kubernetes: "1.33"` gives (1, 33)).
pub fn spec_version(text: &str, engine: &str) -> Option<(u32, u32)> {
    let section = &text[text.find("\nversions:")?..];
    let line = section.lines().find(|l| l.trim_start().starts_with(&format!("{engine}:")))?;
    let value = line.split_once(':')?.1.trim().trim_matches('"');
    let (major, minor) = value.split_once('.')?;
    Some((major.parse().ok()?, minor.split('.').next()?.parse().ok()?))
}

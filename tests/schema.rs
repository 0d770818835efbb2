//! `sseconf schema`: the committed JSON Schema and the generated spec reference stay fresh.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;

fn schema(args: &[&str]) -> String {
    let out = Command::new(common::bin()).arg("schema").args(args).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn committed_schema_matches_the_rust_types() {
    let committed = common::read("schemas/sseconf.schema.json");
    assert!(
        committed == schema(&[]),
        "schemas/sseconf.schema.json is stale: regenerate it with `cargo run -- schema > schemas/sseconf.schema.json`"
    );
}

#[test]
fn spec_reference_matches_the_schema() {
    let committed = common::read("docs/spec.md");
    assert!(
        committed == schema(&["--format", "markdown"]),
        "docs/spec.md is stale: regenerate it with `cargo run -- schema --format markdown > docs/spec.md`"
    );
}

#[test]
fn schema_is_a_valid_draft_2020_12_schema_that_accepts_the_examples() {
    let schema: serde_json::Value = serde_json::from_str(&schema(&[])).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    let validator = jsonschema::validator_for(&schema).unwrap();
    for example in ["examples/streaming.yaml", "examples/streaming.toml", "examples/minimal.yaml"] {
        use sseconf::spec::source::{Format, parse};
        let source = sseconf::diagnostics::SourceFile::new(example, common::read(example));
        let parsed = parse(source, Format::from_name(example)).unwrap();
        let errors: Vec<String> = validator.iter_errors(&parsed.value).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{example}: {errors:?}");
    }
}

#[test]
fn every_property_has_a_description() {
    let schema: serde_json::Value = serde_json::from_str(&schema(&[])).unwrap();
    let mut missing = Vec::new();
    let defs = schema["$defs"].as_object().unwrap();
    for (name, def) in defs.iter().chain(std::iter::once((&"Spec".to_string(), &schema))) {
        if let Some(props) = def.get("properties").and_then(|p| p.as_object()) {
            for (prop, value) in props {
                let has = value.get("description").is_some()
                    || value.get("$ref").and_then(|r| r.as_str()).is_some_and(|r| {
                        defs.get(r.rsplit('/').next().unwrap())
                            .is_some_and(|d| d.get("description").is_some())
                    });
                if !has {
                    missing.push(format!("{name}.{prop}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "properties without a doc comment: {missing:?}");
}

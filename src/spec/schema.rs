//! The spec's JSON Schema, derived from the Rust types, and validation against it with every error
//! mapped back to a span in the user's file.

use super::source::{Parsed, escape_segment};
use super::types::explain_pattern;
use crate::diagnostics::Problem;
use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use std::sync::OnceLock;

/// The schema's `$id`, which editors resolve through the `yaml-language-server` modeline.
pub const SCHEMA_ID: &str =
    "https://raw.githubusercontent.com/sseconf/sseconf/main/schemas/sseconf.schema.json";

/// The JSON Schema of [`super::model::Spec`], generated once per process.
pub fn spec_schema() -> serde_json::Value {
    static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
    SCHEMA.get_or_init(generate_schema).clone()
}

fn generate_schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let schema = generator.into_root_schema_for::<super::model::Spec>();
    let mut value = serde_json::to_value(schema).unwrap_or_default();
    if let Some(obj) = value.as_object_mut() {
        obj.insert("$id".into(), SCHEMA_ID.into());
    }
    value
}

/// The schema pretty-printed, as committed at `schemas/sseconf.schema.json`.
pub fn spec_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&spec_schema()).unwrap_or_default();
    text.push('\n');
    text
}

fn validator() -> Option<&'static Validator> {
    static VALIDATOR: OnceLock<Option<Validator>> = OnceLock::new();
    VALIDATOR.get_or_init(|| jsonschema::validator_for(&spec_schema()).ok()).as_ref()
}

/// Validates the parsed spec against the schema; every violation becomes a problem with a span.
pub fn validate(parsed: &Parsed) -> Vec<Problem> {
    let Some(validator) = validator() else {
        return vec![
            Problem::error("spec::internal", "the built-in schema failed to compile")
                .with_help("this is a bug in sseconf; please report it"),
        ];
    };
    let mut problems = Vec::new();
    for error in validator.iter_errors(&parsed.value) {
        collect(parsed, &error, &mut problems);
    }
    problems.sort_by_key(|p| p.primary_span().map_or(0, |s| s.start));
    problems.dedup_by(|a, b| a.message == b.message && a.primary_span() == b.primary_span());
    problems
}

fn collect(parsed: &Parsed, error: &ValidationError<'_>, out: &mut Vec<Problem>) {
    let pointer = error.instance_path().as_str().to_string();
    match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            // Report the branch that got furthest: its errors are the ones the user meant.
            if let Some(best) = context.iter().min_by_key(|branch| branch.len())
                && !best.is_empty()
            {
                for inner in best {
                    collect(parsed, inner, out);
                }
                return;
            }
            out.push(at_value(parsed, &pointer, "spec::schema", error.to_string(), None));
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for name in unexpected {
                out.push(unknown_key(parsed, &pointer, name));
            }
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let located = parsed.index.nearest(&pointer);
            let span = located.map_or(0..0, |l| l.key.clone().unwrap_or(l.value.start..l.value.start));
            let span = if pointer.is_empty() { 0..0 } else { span };
            let label = format!("missing `{name}`");
            out.push(
                Problem::error("spec::missing-field", format!("missing required field `{name}`"))
                    .in_file(&parsed.source)
                    .with_label(span, label)
                    .with_help(format!("add `{name}:` here; `sseconf schema` lists every field")),
            );
        }
        ValidationErrorKind::Pattern { pattern } => {
            let value = error.instance().as_str().unwrap_or_default();
            let (message, help) = explain_pattern(pattern, value)
                .unwrap_or_else(|| (error.to_string(), format!("the value must match `{pattern}`")));
            out.push(at_value(parsed, &pointer, "spec::invalid-value", message, Some(help)));
        }
        ValidationErrorKind::Type { .. } => {
            let help = type_help(&pointer, error.instance());
            out.push(at_value(parsed, &pointer, "spec::wrong-type", error.to_string(), Some(help)));
        }
        ValidationErrorKind::Enum { options } => {
            let choices: Vec<String> =
                options.as_array().map(|a| a.iter().map(|o| o.to_string()).collect()).unwrap_or_default();
            let help = format!("use one of: {}", choices.join(", "));
            out.push(at_value(parsed, &pointer, "spec::invalid-value", error.to_string(), Some(help)));
        }
        ValidationErrorKind::Minimum { .. }
        | ValidationErrorKind::Maximum { .. }
        | ValidationErrorKind::MinItems { .. }
        | ValidationErrorKind::MaxItems { .. }
        | ValidationErrorKind::MinLength { .. }
        | ValidationErrorKind::MaxLength { .. } => {
            let help = "the value is out of the allowed range; `sseconf schema` gives the limits".to_string();
            out.push(at_value(parsed, &pointer, "spec::out-of-range", error.to_string(), Some(help)));
        }
        _ => out.push(at_value(parsed, &pointer, "spec::schema", error.to_string(), None)),
    }
}

fn type_help(pointer: &str, instance: &serde_json::Value) -> String {
    let last = pointer.rsplit('/').next().unwrap_or_default();
    if instance.is_null() {
        return format!("`{last}` has no value; write `{last}: {{}}` to enable a section with its defaults");
    }
    if matches!(last, "password" | "admin_password") || pointer.contains("secret_environment") {
        return "secrets are never written in the spec: use `{ env: VARIABLE_NAME }`".to_string();
    }
    if instance.is_number() {
        return "quote the value if it is meant as text, e.g. \"15s\" for a duration".to_string();
    }
    "change the value to the expected type; `sseconf schema` describes every field".to_string()
}

fn at_value(parsed: &Parsed, pointer: &str, code: &str, message: String, help: Option<String>) -> Problem {
    let span = parsed.index.nearest(pointer).map_or(0..0, |l| l.value.clone());
    let mut problem = Problem::error(code, message).in_file(&parsed.source).with_label(span, "here");
    problem.help = help;
    problem
}

fn unknown_key(parsed: &Parsed, parent: &str, name: &str) -> Problem {
    let pointer = format!("{parent}/{}", escape_segment(name));
    let span = parsed.index.get(&pointer).and_then(|l| l.key.clone()).unwrap_or(0..0);
    let known = known_keys(parsed, parent);
    let suggestion = closest(name, &known);
    let help = match &suggestion {
        Some(s) => format!("did you mean `{s}`?"),
        None if known.is_empty() => "remove this key".to_string(),
        None => format!("known keys here: {}", known.join(", ")),
    };
    Problem::error("spec::unknown-key", format!("unknown key `{name}`"))
        .in_file(&parsed.source)
        .with_label(span, "unknown key")
        .with_help(help)
}

/// The keys the schema allows at `pointer`, found by walking the schema along the pointer.
fn known_keys(parsed: &Parsed, pointer: &str) -> Vec<String> {
    let schema = spec_schema();
    let mut node = &schema;
    let mut value = &parsed.value;
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        node = resolve(&schema, node);
        let next_value = match value {
            serde_json::Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            serde_json::Value::Object(map) => map.get(&segment),
            _ => None,
        };
        let next_node = if value.is_array() {
            node.get("items")
        } else {
            node.pointer(&format!("/properties/{}", escape_segment(&segment)))
        };
        match (next_node, next_value) {
            (Some(n), Some(v)) => {
                node = n;
                value = v;
            }
            _ => return Vec::new(),
        }
    }
    let node = resolve(&schema, node);
    node.get("properties")
        .and_then(|p| p.as_object())
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

fn resolve<'a>(root: &'a serde_json::Value, mut node: &'a serde_json::Value) -> &'a serde_json::Value {
    for _ in 0..16 {
        match node.get("$ref").and_then(|r| r.as_str()).and_then(|r| r.strip_prefix('#')) {
            Some(path) => match root.pointer(path) {
                Some(target) => node = target,
                None => break,
            },
            None => break,
        }
    }
    node
}

/// The known key nearest to `name` by edit distance, if it is close enough to be a typo.
pub fn closest(name: &str, known: &[String]) -> Option<String> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&name.to_lowercase(), &k.to_lowercase()), k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_near_misses_only() {
        let known = vec!["heartbeat".to_string(), "path".to_string(), "kind".to_string()];
        assert_eq!(closest("hearbeat", &known), Some("heartbeat".to_string()));
        assert_eq!(closest("pth", &known), Some("path".to_string()));
        assert_eq!(closest("completely_different", &known), None);
    }

    #[test]
    fn schema_compiles_and_has_descriptions() {
        let schema = spec_schema();
        assert!(jsonschema::validator_for(&schema).is_ok());
        assert!(schema.pointer("/properties/endpoints/description").is_some());
    }
}

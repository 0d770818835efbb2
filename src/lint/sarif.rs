//! SARIF 2.1.0 output, hand-written (the subset we emit is small; see dependencies.md §2.5).
//! Columns are Unicode code points (`columnKind`), lines and columns 1-based. Each result has a
//! fingerprint that survives unrelated edits: a hash of the rule, the file and the flagged text,
//! plus the occurrence number of that text in the file.

use super::{RuleMeta, registry};
use crate::diagnostics::{Problem, Severity};
use serde::Serialize;
use std::collections::HashMap;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    results: Vec<SarifResult>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Text,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: HashMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(meta: &RuleMeta) -> Rule {
    Rule {
        id: meta.id,
        name: meta.name,
        short_description: Text { text: meta.summary() },
        full_description: Text { text: meta.summary() },
        help: Text { text: format!("{} See `sseconf rule {}`.", meta.fix, meta.id) },
        default_configuration: Configuration { level: level(meta.severity) },
        properties: RuleProperties { tags: vec![meta.category.as_str()] },
    }
}

/// FNV-1a, 64 bit: tiny, stable across platforms and releases (unlike `DefaultHasher`).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// A path as a relative URI reference (forward slashes, spaces and `%` escaped).
fn uri(name: &str) -> String {
    let path = name.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    path.replace('%', "%25").replace(' ', "%20")
}

/// Renders findings as a SARIF log with one run.
pub fn sarif(findings: &[Problem]) -> String {
    let rules = registry::all();
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    let mut positions = super::report::Positions::default();
    let results = findings
        .iter()
        .map(|f| {
            let (line, col, end_line, end_col) = positions.of(f);
            let file = f.source.as_ref().map_or(String::new(), |s| s.name.clone());
            let snippet = match (&f.source, f.primary_span()) {
                (Some(s), Some(span)) => {
                    s.text.get(span).unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ")
                }
                _ => String::new(),
            };
            let n = seen.entry((f.code.clone(), file.clone(), snippet.clone())).or_insert(0);
            *n += 1;
            let fingerprint = format!("{:016x}:{}", fnv1a(&[&f.code, &file, &snippet]), n);
            SarifResult {
                rule_id: f.code.clone(),
                rule_index: rules.iter().position(|m| m.id == f.code).unwrap_or(0),
                level: level(f.severity),
                message: Text { text: f.message.clone() },
                locations: vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation { uri: uri(&file) },
                        region: Region { start_line: line, start_column: col, end_line, end_column: end_col },
                    },
                }],
                partial_fingerprints: HashMap::from([("sseconf/v1", fingerprint)]),
            }
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "sseconf",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: "https://github.com/sseconf/sseconf",
                    rules: rules.into_iter().map(rule).collect(),
                },
            },
            results,
            column_kind: "unicodeCodePoints",
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

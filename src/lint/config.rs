//! `.sseconf.toml`: which rules run, at what severity, and which paths stream. Found by walking
//! up from the linted path, or given with `--config`. Its JSON Schema comes from these types.

use super::RuleMeta;
use crate::diagnostics::{Problem, Severity};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = ".sseconf.toml";

/// The `.sseconf.toml` file.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LintConfig {
    #[serde(default)]
    pub lint: LintSection,
}

/// The `[lint]` table.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LintSection {
    /// Rules to run: ids (`NGX001`), names (`gzip-event-stream`), prefixes (`NGX`) or `ALL`.
    /// Empty means all.
    #[serde(default)]
    pub select: Vec<String>,
    /// Rules never to run, in the same forms as `select`. Wins over `select`.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Severity per rule id, name or prefix: `{ NGX018 = "warning" }`.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Location paths that stream Server-Sent Events (globs such as `/api/*/stream`).
    #[serde(default)]
    pub stream_paths: Vec<String>,
    /// Location paths that carry WebSockets (globs).
    #[serde(default)]
    pub websocket_paths: Vec<String>,
    /// The nginx version the config runs on (`1.24`), unless `--nginx-version` is given.
    #[serde(default)]
    pub nginx_version: Option<String>,
    /// The HAProxy version the config runs on (`2.6`), unless `--haproxy-version` is given.
    #[serde(default)]
    pub haproxy_version: Option<String>,
    /// The lowest severity that makes `sseconf lint` exit 1: info, warning (default) or error.
    #[serde(default)]
    pub fail_on: Option<Severity>,
}

/// A declared streaming path and what streams on it.
#[derive(Debug, Clone)]
pub struct StreamPath {
    pub pattern: String,
    pub websocket: bool,
    matcher: Option<globset::GlobMatcher>,
}

impl StreamPath {
    pub fn new(pattern: &str, websocket: bool) -> Self {
        let matcher = globset::Glob::new(pattern).ok().map(|g| g.compile_matcher());
        Self { pattern: pattern.to_string(), websocket, matcher }
    }

    /// A location path matches when the glob matches it, or when it is a prefix of the other.
    pub fn matches(&self, location: &str) -> bool {
        let trimmed = |s: &str| s.trim_end_matches('/').to_string();
        self.matcher.as_ref().is_some_and(|m| m.is_match(location))
            || (!self.pattern.contains(['*', '?', '[']) && {
                let (a, b) = (trimmed(&self.pattern), trimmed(location));
                !a.is_empty() && !b.is_empty() && (a.starts_with(&b) || b.starts_with(&a))
            })
    }
}

/// Which rules run and at what severity, resolved from config and command line.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
}

/// Whether a selector (`ALL`, an id, a name or an id prefix) names a rule.
pub fn selector_matches(selector: &str, rule: &RuleMeta) -> bool {
    let s = selector.trim();
    s.eq_ignore_ascii_case("ALL")
        || s.eq_ignore_ascii_case(rule.id)
        || s == rule.name
        || (!s.is_empty()
            && rule.id.len() > s.len()
            && rule.id.to_ascii_uppercase().starts_with(&s.to_ascii_uppercase()))
}

impl Selection {
    pub fn enabled(&self, rule: &RuleMeta) -> bool {
        let selected = self.select.is_empty() || self.select.iter().any(|s| selector_matches(s, rule));
        selected && !self.ignore.iter().any(|s| selector_matches(s, rule))
    }

    /// The configured severity for a rule, if any; the most specific selector wins (an id or
    /// name over a prefix, a longer prefix over a shorter one).
    pub fn severity_for(&self, rule: &RuleMeta) -> Option<Severity> {
        self.severity
            .iter()
            .filter(|(s, _)| selector_matches(s, rule))
            .max_by_key(|(s, _)| if s.as_str() == rule.name { usize::MAX } else { s.len() })
            .map(|(_, sev)| *sev)
    }
}

/// The nearest `.sseconf.toml` in `start` or a folder above it.
pub fn find_upward(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    let first = if start.is_dir() { Some(start.as_path()) } else { start.parent() };
    std::iter::successors(first, |p| p.parent()).map(|p| p.join(FILE_NAME)).find(|p| p.is_file())
}

/// Reads and checks a config file; unknown keys and bad values point at the file.
pub fn load(path: &Path) -> Result<LintConfig, Problem> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Problem::error("config", format!("cannot read {}: {e}", path.display()))
            .with_help("check the path given with --config")
    })?;
    parse(&path.display().to_string(), &text)
}

pub fn parse(name: &str, text: &str) -> Result<LintConfig, Problem> {
    toml::from_str::<LintConfig>(text).map_err(|e| {
        let source = crate::diagnostics::SourceFile::new(name, text.to_string());
        let span = e.span().unwrap_or(0..0);
        Problem::error("config", format!("invalid {FILE_NAME}: {}", e.message()))
            .in_file(&source)
            .with_label(span, "here")
            .with_help("see `sseconf schema --config` for the keys and values")
    })
}

/// The JSON Schema of `.sseconf.toml`, as committed at `schemas/sseconf-config.schema.json`.
pub fn schema_text() -> String {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let schema = generator.into_root_schema_for::<LintConfig>();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Category;

    const RULE: RuleMeta = RuleMeta {
        id: "NGX007",
        name: "duplicate-proxy-set-header",
        kind: None,
        severity: Severity::Error,
        category: Category::Streaming,
        fix: "",
        docs: "",
    };

    #[test]
    fn selectors_take_ids_names_prefixes_and_all() {
        for s in ["NGX007", "ngx007", "duplicate-proxy-set-header", "NGX", "NGX0", "ALL"] {
            assert!(selector_matches(s, &RULE), "{s}");
        }
        assert!(!selector_matches("NGX008", &RULE));
        assert!(!selector_matches("HAP", &RULE));
    }

    #[test]
    fn ignore_wins_and_specific_severity_wins() {
        let mut sel = Selection { select: vec!["NGX".into()], ignore: vec![], severity: BTreeMap::new() };
        assert!(sel.enabled(&RULE));
        sel.ignore.push("duplicate-proxy-set-header".into());
        assert!(!sel.enabled(&RULE));
        sel.severity.insert("NGX".into(), Severity::Info);
        sel.severity.insert("NGX007".into(), Severity::Warning);
        assert_eq!(sel.severity_for(&RULE), Some(Severity::Warning));
    }

    #[test]
    fn unknown_keys_are_reported_with_a_span() {
        let err = parse("x.toml", "[lint]\nselec = []\n").unwrap_err();
        assert!(err.message.contains("selec"));
        assert_eq!(err.line_col(), Some((2, 1)));
    }

    #[test]
    fn stream_paths_match_globs_and_prefixes() {
        assert!(StreamPath::new("/api/*/stream", false).matches("/api/v1/stream"));
        assert!(StreamPath::new("/events", false).matches("/events/"));
        assert!(!StreamPath::new("/events", false).matches("/api"));
    }
}

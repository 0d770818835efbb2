//! The drivers of every file kind except nginx: a file's text → the kind's parser → a [`Doc`] →
//! the kind's rules in [`crate::lint::registry`]. Each file is linted on its own; the checks
//! that need several files (the timeout chain) run afterwards over all of them.
//!
//! Streaming awareness works as for nginx (catalogue 1.3): a path is a stream when the spec or
//! `.sseconf.toml` says so, else when its words suggest it (a guess, reported one severity
//! lower), else when the file shows evidence that the rule knows how to read.

use super::chain::{self, Hop};
use super::config::Selection;
use super::nginx::StreamInfo;
use super::{LintContext, Meta, Settings, registry, run_rules};
use crate::diagnostics::{Problem, SourceFile};
use crate::parse::kind::FileKind;
use crate::parse::{dockerfile, haproxy, redis, yaml};
use std::collections::HashMap;
use std::ops::Range;

/// A parsed file of one kind, with its source for findings.
#[derive(Debug)]
pub struct Doc<T> {
    pub source: SourceFile,
    pub parsed: T,
}

pub type HaproxyDoc = Doc<haproxy::Config>;
pub type RedisDoc = Doc<redis::Config>;
pub type DockerDoc = Doc<dockerfile::Dockerfile>;
/// Compose, Kubernetes, gateway and Prometheus files: the YAML tree, read through the views in
/// `parse::{compose, k8s, gateway, prometheus}`.
pub type YamlDoc = Doc<yaml::YamlFile>;

/// The YAML kinds each get their own document type, so that a rule cannot be registered for the
/// wrong one.
#[derive(Debug)]
pub struct ComposeDoc(pub YamlDoc);
#[derive(Debug)]
pub struct K8sDoc(pub YamlDoc);
#[derive(Debug)]
pub struct GatewayDoc(pub YamlDoc);
/// A Prometheus file and its PromQL, parsed once for all rules (keyed by the byte offset of each
/// `expr:` value; `None` for templated expressions).
#[derive(Debug)]
pub struct PrometheusDoc(
    pub YamlDoc,
    pub HashMap<usize, Option<Result<promql_parser::parser::Expr, String>>>,
);

impl PrometheusDoc {
    pub fn new(doc: YamlDoc) -> Self {
        let mut parsed = HashMap::new();
        for document in &doc.parsed.documents {
            for rule in crate::parse::prometheus::rules(document) {
                if let Some(expr) = rule.expr()
                    && let Some(text) = expr.text()
                {
                    parsed.insert(expr.span.start, crate::parse::prometheus::parse_promql(text));
                }
            }
        }
        Self(doc, parsed)
    }

    /// The parse of the expression whose value starts at `offset`.
    pub fn promql(&self, offset: usize) -> Option<&Result<promql_parser::parser::Expr, String>> {
        self.1.get(&offset).and_then(Option::as_ref)
    }
}

impl<T> Doc<T> {
    /// Records a finding in this file.
    pub fn report<'c>(
        &self,
        cx: &'c mut LintContext<'_>,
        rule: &dyn Meta,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &'c mut Problem {
        cx.report(rule, &self.source, span, message)
    }

    /// Adds a secondary label in this file to a finding.
    pub fn label(&self, problem: &mut Problem, span: Range<usize>, text: &str) {
        super::add_label(problem, Some(&self.source), span, text);
    }
}

impl std::ops::Deref for ComposeDoc {
    type Target = YamlDoc;
    fn deref(&self) -> &YamlDoc {
        &self.0
    }
}
impl std::ops::Deref for K8sDoc {
    type Target = YamlDoc;
    fn deref(&self) -> &YamlDoc {
        &self.0
    }
}
impl std::ops::Deref for GatewayDoc {
    type Target = YamlDoc;
    fn deref(&self) -> &YamlDoc {
        &self.0
    }
}
impl std::ops::Deref for PrometheusDoc {
    type Target = YamlDoc;
    fn deref(&self) -> &YamlDoc {
        &self.0
    }
}

/// Lints one file of a non-nginx kind. `None` for nginx, which has its own driver.
pub fn lint_source(
    kind: FileKind,
    source: SourceFile,
    settings: &Settings,
    selection: &Selection,
) -> Option<Vec<Problem>> {
    lint_source_with_hops(kind, source, settings, selection, None)
}

/// [`lint_source`], also recording the file's layers of a stream's chain into `hops` when given
/// (HAProxy routes and Ingress paths; see [`super::chain`]).
pub fn lint_source_with_hops(
    kind: FileKind,
    source: SourceFile,
    settings: &Settings,
    selection: &Selection,
    hops: Option<&mut Vec<Hop>>,
) -> Option<Vec<Problem>> {
    let text = source.text.clone();
    let yaml_doc = |source: SourceFile| Doc { source, parsed: yaml::parse(&text) };
    let mut findings = match kind {
        FileKind::Nginx => return None,
        FileKind::Haproxy => {
            let doc = Doc { parsed: haproxy::parse(&text), source };
            if let Some(hops) = hops {
                hops.extend(chain::hops_of_haproxy(&doc.source, &doc.parsed));
            }
            run_rules(registry::HAPROXY, &doc, selection, settings)
        }
        FileKind::Redis => {
            let doc = Doc { parsed: redis::parse(&text), source };
            run_rules(registry::REDIS, &doc, selection, settings)
        }
        FileKind::Dockerfile => {
            let doc = Doc { parsed: dockerfile::parse(&text), source };
            run_rules(registry::DOCKERFILE, &doc, selection, settings)
        }
        FileKind::Compose => run_rules(registry::COMPOSE, &ComposeDoc(yaml_doc(source)), selection, settings),
        FileKind::Kubernetes => {
            let doc = K8sDoc(yaml_doc(source));
            // Only Ingress objects are hops; the cheap text test skips every other manifest.
            if let Some(hops) = hops.filter(|_| text.contains("Ingress")) {
                hops.extend(chain::hops_of_k8s(&doc.source, &doc.parsed));
            }
            run_rules(registry::KUBERNETES, &doc, selection, settings)
        }
        FileKind::Gateway => run_rules(registry::GATEWAY, &GatewayDoc(yaml_doc(source)), selection, settings),
        FileKind::Prometheus => {
            run_rules(registry::PROMETHEUS, &PrometheusDoc::new(yaml_doc(source)), selection, settings)
        }
    };
    findings.sort_by(|a, b| {
        let start = |p: &Problem| p.primary_span().map(|s| s.start);
        start(a).cmp(&start(b)).then_with(|| a.code.cmp(&b.code))
    });
    Some(findings)
}

/// A non-nginx file to lint: on disk, or text from stdin.
#[derive(Debug, Clone)]
pub enum OtherInput {
    Path(FileKind, std::path::PathBuf),
    Text { kind: FileKind, name: String, text: String },
}

/// The findings of linting the non-nginx inputs, the sources they came from, and the inputs that
/// could not be read.
#[derive(Debug, Default)]
pub struct Linted {
    pub findings: Vec<Problem>,
    pub sources: Vec<SourceFile>,
    pub errors: Vec<Problem>,
    /// The layers of stream chains found in the files (when asked for).
    pub hops: Vec<Hop>,
}

/// Reads and lints every input; files that are not UTF-8 are read lossily. With `want_hops`,
/// also records the chain layers of every file.
pub fn lint_inputs(
    inputs: &[OtherInput],
    settings: &Settings,
    selection: &Selection,
    want_hops: bool,
) -> Linted {
    let mut linted = Linted::default();
    for input in inputs {
        let (kind, source) = match input {
            OtherInput::Text { kind, name, text } => (*kind, SourceFile::new(name.clone(), text.as_str())),
            OtherInput::Path(kind, path) => match std::fs::read(path) {
                Ok(bytes) => {
                    (*kind, SourceFile::new(path.display().to_string(), String::from_utf8_lossy(&bytes)))
                }
                Err(e) => {
                    linted.errors.push(
                        Problem::error("io", format!("cannot read {}: {e}", path.display()))
                            .with_help("check the path and its permissions"),
                    );
                    continue;
                }
            },
        };
        let hops = if want_hops { Some(&mut linted.hops) } else { None };
        if let Some(findings) = lint_source_with_hops(kind, source.clone(), settings, selection, hops) {
            linted.findings.extend(findings);
            linted.sources.push(source);
        }
    }
    linted
}

/// Lints one text as a file of `kind` with every rule (tests, docs examples).
pub fn lint_text(kind: FileKind, name: &str, text: &str, settings: &Settings) -> Vec<Problem> {
    let source = SourceFile::new(name, text);
    if kind == FileKind::Nginx {
        return super::nginx::lint_text(name, text, settings);
    }
    lint_source(kind, source, settings, &Selection::default()).unwrap_or_default()
}

/// The heartbeat assumed when neither the spec nor the file gives one: the spec's default
/// (a server that heartbeats less often than this is unusual for LLM token streams).
pub const ASSUMED_HEARTBEAT_MS: u64 = 15_000;

/// Classifies a path: from the spec, from `.sseconf.toml`, or from its words (a guess).
pub fn stream_for_path(settings: &Settings, path: &str) -> Option<StreamInfo> {
    super::nginx::stream::classify_path(settings, path)
}

/// The heartbeat of a stream in milliseconds, and whether it is known (from the spec) rather
/// than assumed.
pub fn heartbeat_ms(stream: Option<&StreamInfo>) -> (u64, bool) {
    match stream.and_then(|s| s.heartbeat) {
        Some(h) => (h.as_millis(), true),
        None => (ASSUMED_HEARTBEAT_MS, false),
    }
}

/// Formats milliseconds for messages (`3600000` → `1h`).
pub fn format_ms(ms: u64) -> String {
    haproxy::format_ms(ms)
}

/// Reports a YAML file's syntax errors (and, when `duplicates` is set, its duplicate keys, with
/// the first occurrence as a secondary label) as findings of `rule`.
pub fn report_yaml_errors(doc: &YamlDoc, cx: &mut LintContext<'_>, rule: &dyn Meta, duplicates: bool) {
    for error in &doc.parsed.errors {
        if error.kind == yaml::YamlErrorKind::DuplicateKey && !duplicates {
            continue;
        }
        let problem = doc.report(cx, rule, error.span.clone(), error.message.clone());
        if let Some(first) = &error.related {
            doc.label(problem, first.clone(), "first defined here");
        }
    }
}

//! The drivers of every file kind except nginx: a file's text → the kind's parser → a [`Doc`] →
//! the kind's rules in [`crate::lint::registry`]. Each file is linted on its own; the checks
//! that need several files (the timeout chain) run afterwards over all of them.
//!
//! Streaming awareness works as for nginx (catalogue 1.3): a path is a stream when the spec or
//! `.sseconf.toml` says so, else when its words suggest it (a guess, reported one severity
//! lower), else when the file shows evidence that the rule knows how to read.

use super::chain::{self, Bundle};
use super::config::Selection;
use super::nginx::StreamInfo;
use super::{LintContext, Meta, Rule, Settings, registry};
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
    lint_source_with_bundle(kind, source, settings, selection, None)
}

/// [`lint_source`], also recording what the file contributes to the checks across files into
/// `bundle` when given (HAProxy routes, Ingress paths, deployed names, Prometheus targets; see
/// [`super::chain`]).
pub fn lint_source_with_bundle(
    kind: FileKind,
    source: SourceFile,
    settings: &Settings,
    selection: &Selection,
    bundle: Option<&mut Bundle>,
) -> Option<Vec<Problem>> {
    let text = source.text.clone();
    let yaml_doc = |source: SourceFile| Doc { source, parsed: yaml::parse(&text) };
    let mut findings = match kind {
        FileKind::Nginx => return None,
        FileKind::Haproxy => {
            let doc = Doc { parsed: haproxy::parse(&text), source };
            if let Some(bundle) = bundle {
                bundle.hops.extend(chain::hops_of_haproxy(&doc.source, &doc.parsed, settings));
            }
            run_rules(registry::HAPROXY, &doc, selection, settings)
        }
        FileKind::Redis => {
            let doc = Doc { parsed: redis::parse(&text), source };
            run_rules(registry::REDIS, &doc, selection, settings)
        }
        FileKind::Dockerfile => {
            let doc = Doc { parsed: dockerfile::parse(&text), source };
            if let Some(bundle) = bundle {
                bundle.image_heaps.extend(chain::image_heaps_of_dockerfile(&doc.source, &doc.parsed));
                bundle.image_files.push(chain::image_file_of_dockerfile(&doc.source, &doc.parsed));
            }
            run_rules(registry::DOCKERFILE, &doc, selection, settings)
        }
        FileKind::Compose => {
            let doc = ComposeDoc(yaml_doc(source));
            if let Some(bundle) = bundle {
                bundle.knows_deployments = true;
                bundle.deployed.extend(chain::deployed_of_compose(&doc.parsed));
                bundle
                    .prometheus_mounts
                    .extend(chain::prometheus_mounts_of_compose(&doc.source, &doc.parsed));
                bundle.built_limits.extend(chain::built_limits_of_compose(&doc.source, &doc.parsed));
                bundle.built_names.extend(chain::built_names_of_compose(&doc.parsed));
                bundle.nginx_mounts.extend(chain::nginx_mounts_of_compose(&doc.source, &doc.parsed));
            }
            run_rules(registry::COMPOSE, &doc, selection, settings)
        }
        FileKind::Kubernetes => {
            let doc = K8sDoc(yaml_doc(source));
            // Only Ingress objects are hops and Services deployed names; the cheap text tests
            // skip every other manifest.
            if let Some(bundle) = bundle {
                if text.contains("Ingress") {
                    bundle.hops.extend(chain::hops_of_k8s(&doc.source, &doc.parsed));
                }
                // Services resolve names, but they do not make the bundle complete: in a cluster
                // Prometheus usually discovers targets instead of listing them.
                if text.contains("Service") {
                    bundle.deployed.extend(chain::deployed_of_k8s(&doc.parsed));
                }
                if text.contains("containers") {
                    bundle.pod_containers.extend(chain::pod_containers_of_k8s(&doc.source, &doc.parsed));
                }
                if text.contains("/actuator/health/") {
                    bundle.group_probes.extend(chain::group_probes_of_k8s(&doc.source, &doc.parsed));
                }
            }
            run_rules(registry::KUBERNETES, &doc, selection, settings)
        }
        FileKind::Gateway => {
            let parsed = crate::parse::gateway::parse(&source.name, &text);
            let doc = GatewayDoc(Doc { source, parsed });
            if let Some(bundle) = bundle {
                bundle.knows_app_config = true;
                bundle.health_groups.extend(chain::health_groups_of_spring(&doc.parsed));
                bundle.hops.extend(chain::hops_of_gateway(&doc.source, &doc.parsed));
            }
            run_rules(registry::GATEWAY, &doc, selection, settings)
        }
        FileKind::Prometheus => {
            let doc = PrometheusDoc::new(yaml_doc(source));
            if let Some(bundle) = bundle {
                bundle.targets.extend(chain::targets_of_prometheus(&doc.source, &doc.parsed));
                bundle.rule_files.extend(chain::rule_files_of_prometheus(&doc.source, &doc.parsed));
            }
            run_rules(registry::PROMETHEUS, &doc, selection, settings)
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
    /// What the files contribute to the checks across files (when asked for).
    pub bundle: Bundle,
}

/// Runs the selected rules over one file, one after the other: these files are small, so the
/// parallelism is across files ([`lint_inputs`]), not across the rules of one file.
fn run_rules<D>(rules: &[&dyn Rule<D>], doc: &D, selection: &Selection, settings: &Settings) -> Vec<Problem> {
    let mut cx = LintContext::new(settings);
    for rule in rules.iter().filter(|r| selection.enabled(r.meta())) {
        rule.check(doc, &mut cx);
    }
    cx.into_findings()
}

/// Reads and lints every input on two threads (the budget machine has two cores); files that
/// are not UTF-8 are read lossily. With `want_bundle`, also records what every file contributes
/// to the checks across files. Results come back in input order whatever the scheduling.
pub fn lint_inputs(
    inputs: &[OtherInput],
    settings: &Settings,
    selection: &Selection,
    want_bundle: bool,
) -> Linted {
    let (first, second) = inputs.split_at(inputs.len() / 2);
    let (mut linted, rest) = std::thread::scope(|scope| {
        let other = scope.spawn(|| lint_sequentially(second, settings, selection, want_bundle));
        let mine = lint_sequentially(first, settings, selection, want_bundle);
        (mine, other.join().ok())
    });
    match rest {
        Some(rest) => {
            linted.findings.extend(rest.findings);
            linted.sources.extend(rest.sources);
            linted.errors.extend(rest.errors);
            linted.bundle.absorb(rest.bundle);
        }
        None => linted
            .errors
            .push(Problem::error("internal", "a lint thread stopped; some files were not linted")),
    }
    linted
}

fn lint_sequentially(
    inputs: &[OtherInput],
    settings: &Settings,
    selection: &Selection,
    want_bundle: bool,
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
        let bundle = if want_bundle { Some(&mut linted.bundle) } else { None };
        if let Some(findings) = lint_source_with_bundle(kind, source.clone(), settings, selection, bundle) {
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

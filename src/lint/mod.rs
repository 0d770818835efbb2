//! The linter: a registry of rules per file kind, one engine that runs them, suppressions,
//! `.sseconf.toml`, and the report formats.
//!
//! Adding a file kind: a parser under `parse/`, a driver like [`nginx`] that turns files into
//! the kind's document type and calls [`run_rules`], rules under `rules/<kind>/`, and one slice
//! in [`registry`]. Everything else (suppressions, config, formats, exit codes) is shared.

pub mod chain;
pub mod config;
pub mod engine;
pub mod kinds;
pub mod nginx;
pub mod registry;
pub mod report;
pub mod rules;
pub mod sarif;
pub mod suppress;
pub mod version;

use crate::diagnostics::{Label, Problem, Severity, SourceFile};
use crate::parse::kind::FileKind;
use std::collections::HashMap;
use std::ops::Range;

/// What a rule is about; shown in `sseconf rules` and used in SARIF tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Streaming,
    Security,
    Correctness,
    Performance,
    Deprecation,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Streaming => "streaming",
            Category::Security => "security",
            Category::Correctness => "correctness",
            Category::Performance => "performance",
            Category::Deprecation => "deprecation",
        }
    }
}

/// Everything known about a rule without running it.
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// Stable id: the kind's prefix and three digits (`NGX001`). Never reused.
    pub id: &'static str,
    /// Kebab-case name describing the flagged pattern (`stream-proxy-buffering`).
    pub name: &'static str,
    /// The file kind; `None` for rules about sseconf itself (suppressions).
    pub kind: Option<FileKind>,
    pub severity: Severity,
    pub category: Category,
    /// What to do, shown as the finding's help.
    pub fix: &'static str,
    /// The rule's doc comment (markdown), captured by [`declare_rule!`].
    pub docs: &'static str,
}

impl RuleMeta {
    /// The first paragraph under "What it does": a one-line summary.
    pub fn summary(&self) -> String {
        let mut lines = self.docs.lines().map(str::trim).skip_while(|l| l.is_empty() || l.starts_with('#'));
        let mut out = Vec::new();
        for line in lines.by_ref() {
            if line.is_empty() {
                break;
            }
            out.push(line);
        }
        out.join(" ")
    }

    /// The docs with the one leading space of each `///` line removed.
    pub fn docs_text(&self) -> String {
        let mut out = String::new();
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }
}

/// Gives a rule's metadata; implemented by [`declare_rule!`].
pub trait Meta {
    fn meta(&self) -> &'static RuleMeta;
}

/// A check over one file kind's document type `D`.
pub trait Rule<D>: Meta + Sync {
    fn check(&self, doc: &D, cx: &mut LintContext<'_>);
}

/// Declares a rule: a unit struct whose doc comment becomes [`RuleMeta::docs`].
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident {
            id: $id:literal,
            name: $rule_name:literal,
            kind: $kind:expr,
            severity: $severity:expr,
            category: $category:expr,
            fix: $fix:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $name;

        impl $crate::lint::Meta for $name {
            fn meta(&self) -> &'static $crate::lint::RuleMeta {
                static META: $crate::lint::RuleMeta = $crate::lint::RuleMeta {
                    id: $id,
                    name: $rule_name,
                    kind: $kind,
                    severity: $severity,
                    category: $category,
                    fix: $fix,
                    docs: concat!($($doc, "\n"),*),
                };
                &META
            }
        }
    };
}

/// Settings every rule may read: target versions, the spec, declared stream paths.
#[derive(Debug, Clone)]
pub struct Settings {
    pub nginx_version: version::Version,
    /// The HAProxy version the config runs on; `None` when unknown, and version-dependent
    /// HAProxy rules then report what holds for some supported version, saying which.
    pub haproxy_version: Option<version::Version>,
    /// Streaming endpoints from `--spec`.
    pub spec: Option<crate::spec::Spec>,
    /// Stream paths from `.sseconf.toml` (globs over location paths).
    pub stream_paths: Vec<config::StreamPath>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            nginx_version: version::NGINX_STABLE,
            haproxy_version: None,
            spec: None,
            stream_paths: Vec::new(),
        }
    }
}

/// Where findings go while rules run. Rules call [`LintContext::report`].
pub struct LintContext<'a> {
    pub settings: &'a Settings,
    findings: Vec<Problem>,
}

impl<'a> LintContext<'a> {
    pub fn new(settings: &'a Settings) -> Self {
        Self { settings, findings: Vec::new() }
    }

    /// Records a finding of `rule` at `span` in `source`, with the rule's default severity.
    /// Returns it so the rule can add labels or change the severity. The rule's fix is not
    /// copied into every finding (a big config has tens of thousands); the reports look it up.
    pub fn report(
        &mut self,
        rule: &dyn Meta,
        source: &SourceFile,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Problem {
        let meta = rule.meta();
        // `format!` may leave spare capacity; a big run keeps tens of thousands of messages.
        let mut message: String = message.into();
        message.shrink_to_fit();
        let mut problem = Problem::error(meta.id, message).in_file(source).with_severity(meta.severity);
        problem.labels.push(Label { span, text: None, file: None });
        self.findings.push(problem);
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    pub fn into_findings(self) -> Vec<Problem> {
        self.findings
    }
}

/// Adds a secondary label; a label in another file (an included one) becomes a related
/// diagnostic, so each snippet is rendered from its own file.
pub fn add_label(problem: &mut Problem, source: Option<&SourceFile>, span: Range<usize>, text: &str) {
    match source.filter(|s| problem.source.as_ref() != Some(*s)) {
        None => problem.labels.push(Label::new(span, text)),
        Some(other) => {
            let related = Problem::error(problem.code.clone(), text)
                .in_file(other)
                .with_severity(Severity::Info)
                .with_label(span, text);
            problem.related.push(related);
        }
    }
}

/// One severity lower (error → warning → info), for findings that rest on a guess.
pub fn lower(severity: Severity) -> Severity {
    match severity {
        Severity::Error => Severity::Warning,
        Severity::Warning | Severity::Info => Severity::Info,
    }
}

/// Runs the selected rules of one kind over a document.
/// Rules are independent, so they run on two threads (the budget machine has two cores): each
/// rule's time is mostly waiting for memory, which a second core overlaps. Findings are
/// returned in registry order whatever the scheduling.
pub fn run_rules<D: Sync>(
    rules: &[&dyn Rule<D>],
    doc: &D,
    selection: &config::Selection,
    settings: &Settings,
) -> Vec<Problem> {
    let enabled: Vec<&dyn Rule<D>> = rules.iter().copied().filter(|r| selection.enabled(r.meta())).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done: Vec<(usize, Vec<Problem>)> = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(rule) = enabled.get(i) else { break };
            let mut cx = LintContext::new(settings);
            rule.check(doc, &mut cx);
            done.push((i, cx.into_findings()));
        }
        done
    };
    let mut parts = std::thread::scope(|scope| {
        let other = scope.spawn(work);
        let mut mine = work();
        mine.extend(other.join().unwrap_or_default());
        mine
    });
    parts.sort_by_key(|(i, _)| *i);
    let mut all = Vec::with_capacity(parts.iter().map(|(_, f)| f.len()).sum());
    for (_, findings) in parts {
        all.extend(findings);
    }
    all
}

/// Counts of findings per severity, for summaries.
pub fn counts(findings: &[Problem]) -> HashMap<Severity, usize> {
    let mut map = HashMap::new();
    for f in findings {
        *map.entry(f.severity).or_insert(0) += 1;
    }
    map
}

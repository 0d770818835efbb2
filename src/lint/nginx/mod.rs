//! The nginx file kind: files → [`Loader`] (parse, includes) → [`Config`] (scopes) →
//! [`NginxDoc`] (plus stream classification) → the nginx rules.

pub mod stream;

use super::{LintContext, Meta, Settings, config::Selection};
use crate::diagnostics::{Problem, Severity, SourceFile};
use crate::parse::nginx::load::{IncludeProblem, Loader};
use crate::parse::nginx::view::{BlockId, Config, Context};
use crate::parse::nginx::{Dir, FileId};
use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
pub use stream::StreamInfo;

/// The document nginx rules check.
pub struct NginxDoc {
    pub config: Config,
    /// Stream classification per block (see [`stream`]).
    pub streams: Vec<Option<StreamInfo>>,
    pub include_problems: Vec<IncludeProblem>,
    upstreams: HashMap<String, BlockId>,
}

/// The directives that hand a request to a backend.
pub const PASS_DIRECTIVES: &[&str] = &["proxy_pass", "fastcgi_pass", "uwsgi_pass", "grpc_pass", "scgi_pass"];

impl NginxDoc {
    pub fn new(config: Config, settings: &Settings, include_problems: Vec<IncludeProblem>) -> Self {
        let streams = stream::classify(&config, settings);
        let mut upstreams = HashMap::new();
        for b in config.blocks_of(Context::Upstream) {
            if let Some(name) = config.block_dir(b).and_then(|d| d.arg(0)) {
                upstreams.entry(name.into_owned()).or_insert(b);
            }
        }
        Self { config, streams, include_problems, upstreams }
    }

    pub fn stream(&self, block: BlockId) -> Option<&StreamInfo> {
        self.streams.get(block as usize).and_then(Option::as_ref)
    }

    /// Every `location` block.
    pub fn locations(&self) -> impl Iterator<Item = BlockId> + '_ {
        self.config.blocks_of(Context::Location)
    }

    /// Streaming locations with their classification.
    pub fn stream_locations(&self) -> impl Iterator<Item = (BlockId, &StreamInfo)> + '_ {
        self.locations().filter_map(|b| self.stream(b).map(|s| (b, s)))
    }

    /// The `proxy_pass` (or fastcgi/uwsgi/grpc pass) written in a block; these do not inherit.
    pub fn pass(&self, block: BlockId) -> Option<Dir<'_>> {
        self.config.items(block).find(|d| PASS_DIRECTIVES.contains(&d.name()))
    }

    /// The `upstream` block a `proxy_pass` names, if it is defined in the linted files.
    pub fn upstream_of(&self, pass: Dir<'_>) -> Option<BlockId> {
        let target = pass.arg(0)?;
        let rest = target.split_once("://").map_or(target.as_ref(), |(_, r)| r);
        let name = rest.split(['/', ':']).next()?;
        self.upstreams.get(name).copied()
    }

    /// The block directive of a block, for labels.
    pub fn head(&self, block: BlockId) -> Option<Dir<'_>> {
        self.config.block_dir(block)
    }

    /// Records a finding at a directive (or a part of it).
    pub fn report<'c>(
        &self,
        cx: &'c mut LintContext<'_>,
        rule: &dyn Meta,
        dir: Dir<'_>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Option<&'c mut Problem> {
        let source = dir.source()?;
        Some(cx.report(rule, source, span, message))
    }

    /// Records a finding whose severity depends on a stream classification: a guess (path
    /// words only) lowers it one step.
    pub fn report_on_stream<'c>(
        &self,
        cx: &'c mut LintContext<'_>,
        rule: &dyn Meta,
        severity: Severity,
        stream: &StreamInfo,
        dir: Dir<'_>,
        message: String,
    ) -> Option<&'c mut Problem> {
        let severity = if stream.heuristic { super::lower(severity) } else { severity };
        let message = format!("{message} (streams because {})", stream.reason);
        let problem = self.report(cx, rule, dir, dir.span(), message)?;
        problem.severity = severity;
        Some(problem)
    }
}

/// Something to lint: a file on disk, or text from stdin.
#[derive(Debug, Clone)]
pub enum Input {
    Path(PathBuf),
    Text { name: String, text: String },
}

/// The result of linting a set of nginx files.
pub struct Linted {
    pub findings: Vec<Problem>,
    pub sources: Vec<SourceFile>,
    /// Files that could not be read (exit 2).
    pub errors: Vec<Problem>,
}

/// Parses the inputs and everything they include, then runs the selected nginx rules. Files
/// included by another input are linted through their includer, not on their own.
pub fn lint(inputs: &[Input], prefix: Option<PathBuf>, settings: &Settings, selection: &Selection) -> Linted {
    let mut loader = Loader::new(prefix);
    let mut errors = Vec::new();
    let mut given: Vec<FileId> = Vec::new();
    for input in inputs {
        match input {
            Input::Path(path) => match loader.add_path(path) {
                Ok(id) => given.push(id),
                Err(e) => errors.push(
                    Problem::error("io", format!("cannot read {}: {e}", path.display()))
                        .with_help("check the path and its permissions"),
                ),
            },
            Input::Text { name, text } => given.push(loader.add_text(name, text.clone(), false)),
        }
    }
    loader.resolve_includes();
    let mut roots: Vec<FileId> = given.iter().copied().filter(|id| !loader.included.contains(id)).collect();
    roots.dedup();
    let sources = loader.tree.files.iter().map(|f| f.source.clone()).collect();
    let config = Config::build(loader.tree, &roots);
    let doc = NginxDoc::new(config, settings, loader.include_problems);
    let findings = super::run_rules(super::registry::NGINX, &doc, selection, settings);
    Linted { findings, sources, errors }
}

/// Lints one text as an nginx file (docs examples, tests).
pub fn lint_text(name: &str, text: &str, settings: &Settings) -> Vec<Problem> {
    let input = Input::Text { name: name.to_string(), text: text.to_string() };
    lint(&[input], None, settings, &Selection::default()).findings
}

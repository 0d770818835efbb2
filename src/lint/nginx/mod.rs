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
    pub streams: Vec<Option<Box<StreamInfo>>>,
    pub include_problems: Vec<IncludeProblem>,
    /// Upstreams by root file and name: each root is its own nginx config.
    upstreams: HashMap<(FileId, String), BlockId>,
    /// The pass directive of each location (`u32::MAX`: none), found once for every rule.
    passes: Vec<u32>,
}

/// The directives that hand a request to a backend.
pub const PASS_DIRECTIVES: &[&str] = &["proxy_pass", "fastcgi_pass", "uwsgi_pass", "grpc_pass", "scgi_pass"];

impl NginxDoc {
    pub fn new(config: Config, settings: &Settings, include_problems: Vec<IncludeProblem>) -> Self {
        let streams = stream::classify(&config, settings);
        let mut upstreams = HashMap::new();
        for b in config.blocks_of(Context::Upstream) {
            let root = config.block(b).map_or(0, |x| x.root_file);
            if let Some(name) = config.block_dir(b).and_then(|d| d.arg(0)) {
                upstreams.entry((root, name.into_owned())).or_insert(b);
            }
        }
        let passes = config
            .blocks
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let pass = (b.context == Context::Location)
                    .then(|| config.items(i as BlockId).find(|d| PASS_DIRECTIVES.contains(&d.name())))
                    .flatten();
                pass.map_or(u32::MAX, |d| d.id)
            })
            .collect();
        Self { config, streams, include_problems, upstreams, passes }
    }

    pub fn stream(&self, block: BlockId) -> Option<&StreamInfo> {
        self.streams.get(block as usize).and_then(|s| s.as_deref())
    }

    /// The blocks that contain `name`, each once, in document order. A bitmap over blocks
    /// (not a set of ids) keeps this cheap on configs with hundreds of thousands of blocks.
    pub fn blocks_with(&self, name: &str) -> Vec<BlockId> {
        let mut seen = vec![false; self.config.blocks.len()];
        let mut out = Vec::new();
        for (_, block) in self.config.occurrences(name) {
            if let Some(flag) = seen.get_mut(block as usize)
                && !*flag
            {
                *flag = true;
                out.push(block);
            }
        }
        out
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
        match self.passes.get(block as usize) {
            Some(&id) if id != u32::MAX => Some(self.config.dir(id)),
            Some(_) => None,
            None => self.config.items(block).find(|d| PASS_DIRECTIVES.contains(&d.name())),
        }
    }

    /// The `upstream` block a `proxy_pass` names, if it is defined in the linted files.
    pub fn upstream_of(&self, block: BlockId, pass: Dir<'_>) -> Option<BlockId> {
        let root = self.config.block(block)?.root_file;
        let target = pass.arg(0)?;
        let rest = target.split_once("://").map_or(target.as_ref(), |(_, r)| r);
        let name = rest.split(['/', ':']).next()?;
        self.upstreams.get(&(root, name.to_string())).copied()
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
    loader.tree.shrink();
    let roots = root_files(&loader, &given);
    let sources = loader.tree.files.iter().map(|f| f.source.clone()).collect();
    let config = Config::build(loader.tree, &roots);
    let doc = NginxDoc::new(config, settings, loader.include_problems);
    let findings = super::run_rules(super::registry::NGINX, &doc, selection, settings);
    Linted { findings, sources, errors }
}

/// The given files no other file includes, plus any given file only reachable through a cycle
/// (a file that includes itself must still be linted).
fn root_files(loader: &Loader, given: &[FileId]) -> Vec<FileId> {
    let mut seen = std::collections::HashSet::new();
    let mut roots: Vec<FileId> =
        given.iter().copied().filter(|id| !loader.included.contains(id) && seen.insert(*id)).collect();
    let mut edges: HashMap<FileId, Vec<FileId>> = HashMap::new();
    for (node, targets) in &loader.tree.includes {
        edges.entry(loader.tree.dir(*node).file_id()).or_default().extend(targets);
    }
    let mut reached: std::collections::HashSet<FileId> = roots.iter().copied().collect();
    let mut queue = roots.clone();
    for &candidate in given {
        while let Some(f) = queue.pop() {
            for &t in edges.get(&f).map_or(&[][..], Vec::as_slice) {
                if reached.insert(t) {
                    queue.push(t);
                }
            }
        }
        if reached.insert(candidate) {
            roots.push(candidate);
            queue.push(candidate);
        }
    }
    roots
}

/// Lints one text as an nginx file (docs examples, tests).
pub fn lint_text(name: &str, text: &str, settings: &Settings) -> Vec<Problem> {
    let input = Input::Text { name: name.to_string(), text: text.to_string() };
    lint(&[input], None, settings, &Selection::default()).findings
}

/// An nginx time (`60`, `300s`, `5m`, `1h30m`, `500ms`) in milliseconds.
pub fn parse_time(text: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let mut rest = text.trim();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let n: u64 = rest.get(..digits)?.parse().ok()?;
        rest = rest.get(digits..)?;
        let unit_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let factor = match rest.get(..unit_len)? {
            "ms" => 1,
            "" | "s" => 1000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 604_800_000,
            "M" => 2_592_000_000,
            "y" => 31_536_000_000,
            _ => return None,
        };
        total = total.saturating_add(n.saturating_mul(factor));
        rest = rest.get(unit_len..)?;
    }
    Some(total)
}

/// Seconds, for messages (`90s`, `1.5s`).
pub fn show_millis(ms: u64) -> String {
    if ms.is_multiple_of(1000) { format!("{}s", ms / 1000) } else { format!("{}s", ms as f64 / 1000.0) }
}

/// The lower-cased header name of an `add_header` / `proxy_set_header` line.
pub fn header_name(dir: Dir<'_>) -> Option<String> {
    dir.arg_lower(0)
}

/// Whether an `add_header` / `proxy_set_header` line sets header `lower` (given in lower case);
/// compares without allocating, as it runs for every header line of the config.
pub fn is_header(dir: Dir<'_>, lower: &str) -> bool {
    dir.arg(0).is_some_and(|n| n.eq_ignore_ascii_case(lower))
}

/// Whether the header name of the line starts with `lower_prefix` (given in lower case).
pub fn header_starts_with(dir: Dir<'_>, lower_prefix: &str) -> bool {
    dir.arg(0).is_some_and(|n| {
        n.get(..lower_prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(lower_prefix))
    })
}

/// Whether an `add_header` line carries the `always` flag.
pub fn has_always(dir: Dir<'_>) -> bool {
    dir.arg_count() >= 3 && dir.arg(dir.arg_count() - 1).as_deref() == Some("always")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nginx_times() {
        assert_eq!(parse_time("60"), Some(60_000));
        assert_eq!(parse_time("300s"), Some(300_000));
        assert_eq!(parse_time("1h30m"), Some(5_400_000));
        assert_eq!(parse_time("500ms"), Some(500));
        assert_eq!(parse_time("5x"), None);
        assert_eq!(parse_time(""), None);
    }
}

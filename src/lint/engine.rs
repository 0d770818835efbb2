//! One lint run: collect the files (walking folders), group them by kind, run each kind's
//! driver, then apply suppressions, severity overrides and a stable order.

use super::chain;
use super::config::Selection;
use super::kinds::{self, OtherInput};
use super::nginx::{self, Input};
use super::{Settings, registry, suppress};
use crate::diagnostics::{Problem, SourceFile};
use crate::parse::kind::{self, FileKind};
use std::path::{Path, PathBuf};

/// What to lint and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Files and folders; `-` reads stdin.
    pub paths: Vec<PathBuf>,
    /// Treat every named file (and stdin) as this kind instead of detecting it.
    pub kind: Option<FileKind>,
    /// Folder nginx includes resolve against (nginx's `-p`); default: the main file's folder.
    pub prefix: Option<PathBuf>,
    pub settings: Settings,
    pub selection: Selection,
    /// Honour `# sseconf: ignore[...]` comments (`--no-inline-ignores` turns this off).
    pub inline_ignores: bool,
}

/// Everything a run found.
#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Problem>,
    /// Problems that are not findings: unreadable paths, unknown kinds (exit 2).
    pub errors: Vec<Problem>,
    /// How many files were linted (included files count).
    pub files: usize,
}

/// Runs the linter.
pub fn run(options: &Options) -> Outcome {
    let mut outcome = Outcome::default();
    let mut nginx_inputs = Vec::new();
    let mut other_inputs = Vec::new();
    for path in &options.paths {
        collect(path, options.kind, &mut nginx_inputs, &mut other_inputs, &mut outcome.errors);
    }
    let mut sources: Vec<SourceFile> = Vec::new();
    let want_chain = spans_layers(&nginx_inputs, &other_inputs);
    let linted = kinds::lint_inputs(&other_inputs, &options.settings, &options.selection, want_chain);
    outcome.findings.extend(linted.findings);
    outcome.errors.extend(linted.errors);
    sources.extend(linted.sources);
    let mut bundle = linted.bundle;
    if !nginx_inputs.is_empty() {
        let linted =
            nginx::lint(&nginx_inputs, options.prefix.clone(), &options.settings, &options.selection);
        outcome.findings.extend(linted.findings);
        outcome.errors.extend(linted.errors);
        sources.extend(linted.sources);
        if want_chain {
            bundle.hops.extend(chain::hops_of_nginx(&linted.doc));
            bundle.nginx_files.extend(chain::nginx_files_of(&linted.doc));
        }
    }
    if want_chain {
        outcome.findings.extend(chain::check(bundle, &options.settings, &options.selection));
    }
    outcome.files = sources.len();
    finish(&mut outcome, &sources, options);
    outcome
}

fn finish(outcome: &mut Outcome, sources: &[SourceFile], options: &Options) {
    let selection = &options.selection;
    let mut findings = std::mem::take(&mut outcome.findings);
    // Sorted by file first, so suppressions and reports visit each file's findings together.
    sort(&mut findings);
    if options.inline_ignores {
        let enabled = |id: &str| registry::find(id).is_some_and(|m| selection.enabled(m));
        findings = suppress::apply(findings, sources, &enabled);
    }
    findings.retain(|f| registry::find(&f.code).is_none_or(|m| selection.enabled(m)));
    for f in &mut findings {
        if let Some(sev) = registry::find(&f.code).and_then(|m| selection.severity_for(m)) {
            f.severity = sev;
        }
    }
    sort(&mut findings);
    outcome.findings = findings;
}

/// By file, then position, then rule id: a stable order for every format.
fn sort(findings: &mut [Problem]) {
    findings.sort_by(|a, b| (file_name(a), start(a), &a.code).cmp(&(file_name(b), start(b), &b.code)));
}

fn file_name(p: &Problem) -> &str {
    p.source.as_ref().map_or("", |s| s.name.as_str())
}

fn start(p: &Problem) -> usize {
    p.labels.first().map_or(0, |l| l.span.start)
}

/// Adds a path's lintable files to the inputs of their kind.
fn collect(
    path: &Path,
    forced: Option<FileKind>,
    nginx_inputs: &mut Vec<Input>,
    other_inputs: &mut Vec<OtherInput>,
    errors: &mut Vec<Problem>,
) {
    if path == Path::new("-") {
        collect_stdin(forced, nginx_inputs, other_inputs, errors);
        return;
    }
    if path.is_dir() {
        let walker = walkdir::WalkDir::new(path).sort_by_file_name().into_iter();
        // The folder named on the command line is walked even when its own name is hidden
        // (`.tmpXYZ`, `./.deploy`); only hidden entries below it are skipped.
        for entry in walker.filter_entry(|e| e.depth() == 0 || !is_hidden(e.path())).flatten() {
            if !entry.file_type().is_file() {
                continue;
            }
            match detect_file(entry.path()) {
                Some(FileKind::Nginx) => nginx_inputs.push(Input::Path(entry.path().to_path_buf())),
                Some(kind) => other_inputs.push(OtherInput::Path(kind, entry.path().to_path_buf())),
                None => {}
            }
        }
        return;
    }
    if !path.exists() {
        errors.push(Problem::error("io", format!("{}: no such file or directory", path.display())));
        return;
    }
    match forced.or_else(|| detect_file(path)) {
        Some(FileKind::Nginx) => nginx_inputs.push(Input::Path(path.to_path_buf())),
        Some(other) => other_inputs.push(OtherInput::Path(other, path.to_path_buf())),
        None => errors.push(
            Problem::error("kind", format!("{}: cannot tell what kind of file this is", path.display()))
                .with_help("pass `--kind nginx` (or another kind)"),
        ),
    }
}

/// Whether the inputs hold at least two kinds the checks across files compare (the layers a
/// stream crosses; compose and Kubernetes deployments with Prometheus targets, Dockerfiles and
/// Spring configs).
fn spans_layers(nginx_inputs: &[Input], other_inputs: &[OtherInput]) -> bool {
    let mut layers: Vec<FileKind> = other_inputs
        .iter()
        .map(|i| match i {
            OtherInput::Path(kind, _) | OtherInput::Text { kind, .. } => *kind,
        })
        // redis.conf contributes nothing that another file is compared with.
        .filter(|k| *k != FileKind::Redis)
        .collect();
    if !nginx_inputs.is_empty() {
        layers.push(FileKind::Nginx);
    }
    layers.sort();
    layers.dedup();
    layers.len() >= 2
}

fn is_hidden(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.') && n != "." && n != "..")
}

/// The kind of a file on disk: its name, else its first few kilobytes.
fn detect_file(path: &Path) -> Option<FileKind> {
    kind::from_path(path).or_else(|| {
        use std::io::Read;
        let mut head = Vec::new();
        let file = std::fs::File::open(path).ok()?;
        file.take(16 * 1024).read_to_end(&mut head).ok()?;
        kind::detect(path, &String::from_utf8_lossy(&head))
    })
}

fn collect_stdin(
    forced: Option<FileKind>,
    nginx_inputs: &mut Vec<Input>,
    other_inputs: &mut Vec<OtherInput>,
    errors: &mut Vec<Problem>,
) {
    use std::io::Read;
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().lock().read_to_end(&mut bytes) {
        errors.push(Problem::error("io", format!("cannot read stdin: {e}")));
        return;
    }
    let (text, _) = crate::parse::nginx::load::decode(bytes);
    match forced.unwrap_or(FileKind::Nginx) {
        FileKind::Nginx => nginx_inputs.push(Input::Text { name: "<stdin>".into(), text }),
        other => other_inputs.push(OtherInput::Text { kind: other, name: "<stdin>".into(), text }),
    }
}

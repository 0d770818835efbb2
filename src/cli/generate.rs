//! `sseconf gen SPEC -o DIR` (in `generate.rs`: `gen` is a reserved word in Rust 2024): render every deployment file; `--check` only compares.

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Ui};
use crate::output::{self, ChangeKind};
use crate::render::{self, Target};
use crate::spec::{self, LoadError};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The spec file (`.yaml`, `.yml` or `.toml`; `-` reads YAML from stdin)
    pub spec: PathBuf,
    /// Output folder
    #[arg(short, long, default_value = "deploy")]
    pub output: PathBuf,
    /// Render only these targets (comma-separated)
    #[arg(long, value_delimiter = ',', value_enum)]
    pub only: Vec<Target>,
    /// Use templates from this folder where they exist, instead of the built-in ones
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Write nothing; exit 1 if any file is missing, different or stale
    #[arg(long)]
    pub check: bool,
}

/// Loads the spec and renders it; the error is the exit code after reporting.
pub fn render_spec(
    spec_path: &Path,
    only: &[Target],
    templates: Option<&Path>,
    ui: &Ui,
) -> Result<Vec<render::RenderedFile>, u8> {
    let loaded = match spec::load(spec_path) {
        Ok(loaded) => loaded,
        Err(LoadError::Io(problem)) => {
            ui.report(&[problem]);
            return Err(EXIT_ERROR);
        }
        Err(LoadError::Invalid(problems)) => {
            ui.report(&problems);
            return Err(EXIT_FINDINGS);
        }
    };
    let options = render::Options { only: only.to_vec(), templates, spec_name: spec_name(spec_path) };
    render::render(&loaded.spec, &options).map_err(|problems| {
        ui.report(&problems);
        EXIT_ERROR
    })
}

/// The spec's name for file headers: as given, with `/` separators, so output is identical on
/// every machine.
fn spec_name(path: &Path) -> String {
    if path == Path::new("-") { "<stdin>".to_string() } else { path.to_string_lossy().replace('\\', "/") }
}

pub fn run(args: &Args, ui: &Ui) -> u8 {
    let files = match render_spec(&args.spec, &args.only, args.templates.as_deref(), ui) {
        Ok(files) => files,
        Err(code) => return code,
    };
    let changes = match output::plan(&args.output, &files, &args.only) {
        Ok(changes) => changes,
        Err(problem) => {
            ui.report(&[problem]);
            return EXIT_ERROR;
        }
    };
    if args.check {
        return report_check(&changes, &args.output, ui);
    }
    if let Err(problem) = output::apply(&args.output, &changes) {
        ui.report(&[problem]);
        return EXIT_ERROR;
    }
    let written =
        changes.iter().filter(|c| matches!(c.kind, ChangeKind::Create | ChangeKind::Update)).count();
    let removed = changes.iter().filter(|c| c.kind == ChangeKind::Stale).count();
    ui.status(&format!(
        "{} files in {}: {written} written, {} unchanged, {removed} stale removed",
        files.len(),
        args.output.display(),
        files.len() - written
    ));
    EXIT_OK
}

fn report_check(changes: &[output::Change], dir: &Path, ui: &Ui) -> u8 {
    let drift: Vec<_> = changes.iter().filter(|c| c.is_drift()).collect();
    for change in &drift {
        let what = match change.kind {
            ChangeKind::Create => "missing",
            ChangeKind::Update => "differs from the spec",
            ChangeKind::Stale => "stale (no longer generated)",
            ChangeKind::Unchanged => "up to date",
        };
        eprintln!("{}/{}: {what}", dir.display(), change.path);
    }
    if drift.is_empty() {
        ui.status(&format!("{}: all {} files up to date", dir.display(), changes.len()));
        EXIT_OK
    } else {
        eprintln!(
            "{} of {} files drifted; run `sseconf diff` to see how, `sseconf gen` to fix",
            drift.len(),
            changes.len()
        );
        EXIT_FINDINGS
    }
}

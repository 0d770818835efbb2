//! `sseconf gen SPEC -o DIR` (in `generate.rs`: `gen` is a reserved word in Rust 2024): render
//! every deployment file; `--check` only compares.

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Ui};
use crate::output::{self, Change, ChangeKind};
use crate::render::{self, Target};
use crate::spec::{self, LoadError};
use std::path::{Path, PathBuf};

/// What to render and where: shared by `gen` and `diff`.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// The spec file (`.yaml`, `.yml` or `.toml`; `-` reads YAML from stdin)
    pub spec: PathBuf,
    /// Output folder (for `diff`: the folder holding the committed files)
    #[arg(short, long, default_value = "deploy")]
    pub output: PathBuf,
    /// Render only these targets (comma-separated)
    #[arg(long, value_delimiter = ',', value_enum)]
    pub only: Vec<Target>,
    /// Use templates from this folder where they exist, instead of the built-in ones
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub render: RenderArgs,
    /// Write nothing; exit 1 if any file is missing, different or stale
    #[arg(long)]
    pub check: bool,
}

/// Loads the spec, renders it, and compares the result with the output folder. The error is
/// the exit code, after the problems were reported.
pub fn plan(args: &RenderArgs, ui: &Ui) -> Result<(Vec<render::RenderedFile>, Vec<Change>), u8> {
    let loaded = match spec::load(&args.spec) {
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
    let options = render::Options {
        only: args.only.clone(),
        templates: args.templates.as_deref(),
        spec_name: spec_name(&args.spec),
    };
    let files = render::render(&loaded.spec, &options).map_err(|problems| {
        ui.report(&problems);
        EXIT_ERROR
    })?;
    let changes = output::plan(&args.output, &files, &args.only).map_err(|problem| {
        ui.report(&[problem]);
        EXIT_ERROR
    })?;
    Ok((files, changes))
}

/// The spec's name for file headers: as given, with `/` separators, so output is identical on
/// every machine.
fn spec_name(path: &Path) -> String {
    if path == Path::new("-") { "<stdin>".to_string() } else { path.to_string_lossy().replace('\\', "/") }
}

pub fn run(args: &Args, ui: &Ui) -> u8 {
    let (files, changes) = match plan(&args.render, ui) {
        Ok(planned) => planned,
        Err(code) => return code,
    };
    let dir = &args.render.output;
    if args.check {
        return report_check(&changes, dir, ui);
    }
    if let Err(problem) = output::apply(dir, &changes) {
        ui.report(&[problem]);
        return EXIT_ERROR;
    }
    let written =
        changes.iter().filter(|c| matches!(c.kind, ChangeKind::Create | ChangeKind::Update)).count();
    let removed = changes.iter().filter(|c| c.kind == ChangeKind::Stale).count();
    ui.status(&format!(
        "{} files in {}: {written} written, {} unchanged, {removed} stale removed",
        files.len(),
        dir.display(),
        files.len() - written
    ));
    EXIT_OK
}

fn report_check(changes: &[Change], dir: &Path, ui: &Ui) -> u8 {
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

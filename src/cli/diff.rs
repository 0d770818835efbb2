//! `sseconf diff SPEC -o DIR`: a unified diff of what gen would change.

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Ui};
use crate::diagnostics::report::Color;
use crate::output;
use crate::render::Target;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The spec file
    pub spec: PathBuf,
    /// The folder holding the committed files
    #[arg(short, long, default_value = "deploy")]
    pub output: PathBuf,
    /// Compare only these targets (comma-separated)
    #[arg(long, value_delimiter = ',', value_enum)]
    pub only: Vec<Target>,
    /// Use templates from this folder where they exist
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

pub fn run(args: &Args, ui: &Ui) -> u8 {
    let files = match super::generate::render_spec(&args.spec, &args.only, args.templates.as_deref(), ui) {
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
    let color = ui.color == Color::Always && std::io::stdout().is_terminal();
    let text = output::unified_diff(&changes, color);
    if text.is_empty() {
        ui.status("no drift");
        return EXIT_OK;
    }
    match super::write_stdout(&text) {
        EXIT_OK => EXIT_FINDINGS,
        code => code,
    }
}

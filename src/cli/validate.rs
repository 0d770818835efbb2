//! `sseconf validate SPEC`: every problem of the spec at once.

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Ui};
use crate::spec::{self, LoadError};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The spec file (`.yaml`, `.yml` or `.toml`; `-` reads YAML from stdin)
    pub spec: PathBuf,
}

pub fn run(args: &Args, ui: &Ui) -> u8 {
    match spec::load(&args.spec) {
        Ok(loaded) => {
            ui.status(&format!("{} is valid", loaded.source.name));
            EXIT_OK
        }
        Err(LoadError::Io(problem)) => {
            ui.report(&[problem]);
            EXIT_ERROR
        }
        Err(LoadError::Invalid(problems)) => {
            ui.report(&problems);
            ui.status(&format!("{} problem(s) in {}", problems.len(), args.spec.display()));
            EXIT_FINDINGS
        }
    }
}

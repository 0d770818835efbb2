//! `sseconf init [PATH]`: a commented starter spec.

use super::{EXIT_ERROR, EXIT_OK, Ui};
use std::path::PathBuf;

/// The starter spec, with a modeline so editors complete and check it.
pub const STARTER: &str = include_str!("../../examples/minimal.yaml");

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the spec
    #[arg(default_value = "sseconf.yaml")]
    pub path: PathBuf,
    /// Overwrite an existing file
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: &Args, ui: &Ui) -> u8 {
    if args.path.exists() && !args.force {
        eprintln!("error: {} already exists; pass --force to overwrite it", args.path.display());
        return EXIT_ERROR;
    }
    match crate::output::write_atomic(&args.path, STARTER.as_bytes()) {
        Ok(()) => {
            ui.status(&format!(
                "wrote {}; check it with `sseconf validate {}`",
                args.path.display(),
                args.path.display()
            ));
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", args.path.display());
            EXIT_ERROR
        }
    }
}

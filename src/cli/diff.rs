//! `sseconf diff SPEC -o DIR`: a unified diff of what gen would change.

use super::generate::{RenderArgs, plan};
use super::{EXIT_FINDINGS, EXIT_OK, Ui};
use crate::diagnostics::report::Color;
use crate::output;
use std::io::IsTerminal;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub render: RenderArgs,
}

pub fn run(args: &Args, ui: &Ui) -> u8 {
    let changes = match plan(&args.render, ui) {
        Ok((_, changes)) => changes,
        Err(code) => return code,
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

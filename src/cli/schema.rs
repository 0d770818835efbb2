//! `sseconf schema`: the spec's JSON Schema, the same one committed at schemas/sseconf.schema.json;
//! with `--config`, the schema of `.sseconf.toml` (schemas/sseconf-config.schema.json).

use super::Ui;
use crate::spec::schema::spec_schema_text;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the schema of `.sseconf.toml` instead of the spec's
    #[arg(long)]
    pub config: bool,
}

pub fn run(args: &Args, _ui: &Ui) -> u8 {
    if args.config {
        super::write_stdout(&crate::lint::config::schema_text())
    } else {
        super::write_stdout(&spec_schema_text())
    }
}

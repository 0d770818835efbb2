//! `sseconf schema`: the spec's JSON Schema, the same one committed at schemas/sseconf.schema.json,
//! or the spec reference in Markdown (docs/spec.md); with `--config`, the schema of `.sseconf.toml`
//! (schemas/sseconf-config.schema.json).

use super::Ui;
use crate::spec::docs;
use crate::spec::schema::{spec_schema, spec_schema_text};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Print the schema of `.sseconf.toml` instead of the spec's
    #[arg(long)]
    pub config: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// JSON Schema (draft 2020-12)
    Json,
    /// The spec reference as Markdown
    Markdown,
}

pub fn run(args: &Args, _ui: &Ui) -> u8 {
    match (args.config, args.format) {
        (true, _) => super::write_stdout(&crate::lint::config::schema_text()),
        (false, Format::Json) => super::write_stdout(&spec_schema_text()),
        (false, Format::Markdown) => super::write_stdout(&docs::markdown(&spec_schema())),
    }
}

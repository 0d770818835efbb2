//! `sseconf schema`: the spec's JSON Schema, the same one committed at schemas/sseconf.schema.json.

use super::Ui;
use crate::spec::schema::spec_schema_text;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: &Args, _ui: &Ui) -> u8 {
    super::write_stdout(&spec_schema_text())
}

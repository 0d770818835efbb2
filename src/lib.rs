//! sseconf: one streaming spec in, every deployment file out; and a linter for the files people
//! already have.
//!
//! Pipeline: `spec` (load with spans, schema, semantic checks) → `render` (minijinja templates) →
//! `output` (atomic writes, `--check`, `diff`). Independently, `parse` (one parser per file
//! format) → `lint` (rules per file kind). `diagnostics` renders every error the same way;
//! `cli` is a thin layer that parses arguments and maps outcomes to exit codes.

pub mod cli;
pub mod diagnostics;
pub mod lint;
pub mod output;
pub mod parse;
pub mod render;
pub mod spec;

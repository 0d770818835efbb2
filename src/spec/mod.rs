//! The declarative spec: model, loading with spans, schema validation and semantic checks.
//!
//! [`load`] runs the whole pipeline: read → parse (YAML or TOML, keeping spans) → schema → typed
//! model → semantic checks. It returns every problem at once, each pointing into the file.

pub mod docs;
pub mod model;
pub mod schema;
pub mod semantic;
pub mod source;
pub mod types;

use crate::diagnostics::{Problem, SourceFile};
pub use model::Spec;
use source::{Format, Parsed};
use std::io::Read;
use std::path::Path;

/// A spec that passed every check, with the file it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub spec: Spec,
    pub source: SourceFile,
}

/// Why a spec could not be used: it could not be read at all (exit 2), or it is invalid (exit 1).
#[derive(Debug)]
pub enum LoadError {
    Io(Problem),
    Invalid(Vec<Problem>),
}

/// Reads and validates the spec at `path` (`-` reads YAML from stdin).
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let name = path.display().to_string();
    let bytes = read_bytes(path).map_err(LoadError::Io)?;
    let text = source::decode(&name, bytes).map_err(|p| LoadError::Invalid(vec![p]))?;
    load_text(&name, text)
}

/// Validates spec text; the format comes from `name`'s extension (YAML unless `.toml`).
pub fn load_text(name: &str, text: String) -> Result<Loaded, LoadError> {
    let source = SourceFile::new(name, text);
    let parsed = source::parse(source, Format::from_name(name)).map_err(LoadError::Invalid)?;
    let spec = validate(&parsed).map_err(LoadError::Invalid)?;
    Ok(Loaded { spec, source: parsed.source })
}

fn validate(parsed: &Parsed) -> Result<Spec, Vec<Problem>> {
    let problems = schema::validate(parsed);
    if !problems.is_empty() {
        return Err(problems);
    }
    let spec: Spec = serde_json::from_value(parsed.value.clone()).map_err(|e| {
        vec![
            Problem::error("spec::internal", format!("the spec passed the schema but not the model: {e}"))
                .in_file(&parsed.source)
                .with_label(0..0, "here")
                .with_help("this is a bug in sseconf (schema and model disagree); please report it"),
        ]
    })?;
    let problems = semantic::check(&spec, parsed);
    if problems.is_empty() { Ok(spec) } else { Err(problems) }
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, Problem> {
    let limit = source::MAX_SPEC_BYTES as u64 + 1;
    let result = if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin().lock().take(limit).read_to_end(&mut buf).map(|_| buf)
    } else {
        std::fs::File::open(path).and_then(|f| {
            let mut buf = Vec::new();
            f.take(limit).read_to_end(&mut buf).map(|_| buf)
        })
    };
    result.map_err(|e| {
        Problem::error("io", format!("cannot read {}: {e}", path.display()))
            .with_help("check the path and its permissions")
    })
}

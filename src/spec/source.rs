//! Reading a spec file into a JSON value plus an index from JSON pointers back to byte spans, so
//! schema errors (which speak JSON pointers) can point at the user's line and column.

use crate::diagnostics::{Problem, SourceFile};
use crate::parse::yaml::{self, Node, Value, YamlErrorKind};
use std::collections::HashMap;
use std::ops::Range;

/// Specs larger than this are refused before parsing: no real spec comes close.
pub const MAX_SPEC_BYTES: usize = 4 * 1024 * 1024;

/// Where a value (and, for mapping entries, its key) is in the source.
#[derive(Debug, Clone, Default)]
pub struct Located {
    pub key: Option<Range<usize>>,
    pub value: Range<usize>,
}

/// JSON pointer (`/endpoints/0/path`) → location.
#[derive(Debug, Clone, Default)]
pub struct PointerIndex {
    map: HashMap<String, Located>,
}

impl PointerIndex {
    fn insert(&mut self, pointer: String, key: Option<Range<usize>>, value: Range<usize>) {
        self.map.entry(pointer).or_insert(Located { key, value });
    }

    /// The location of `pointer`, or of its nearest ancestor that has one (values that came from a
    /// merge key or an alias have no place of their own).
    pub fn nearest(&self, pointer: &str) -> Option<&Located> {
        let mut current = pointer;
        loop {
            if let Some(found) = self.map.get(current) {
                return Some(found);
            }
            let cut = current.rfind('/')?;
            current = &current[..cut];
        }
    }

    pub fn get(&self, pointer: &str) -> Option<&Located> {
        self.map.get(pointer)
    }
}

/// Escapes one JSON-pointer segment (RFC 6901), as jsonschema prints them.
pub fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The spec's format, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
}

impl Format {
    pub fn from_name(name: &str) -> Format {
        if name.ends_with(".toml") { Format::Toml } else { Format::Yaml }
    }
}

/// A parsed spec document before validation.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub source: SourceFile,
    pub value: serde_json::Value,
    pub index: PointerIndex,
}

/// Decodes bytes as UTF-8 text, or explains where they are not.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, Problem> {
    if bytes.len() > MAX_SPEC_BYTES {
        return Err(Problem::error(
            "spec::too-large",
            format!("{name} is {} bytes, larger than any spec should be", bytes.len()),
        )
        .with_help(format!("specs are limited to {} MiB", MAX_SPEC_BYTES / (1024 * 1024))));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        Problem::error("spec::encoding", format!("{name} is not valid UTF-8 (byte {at})"))
            .in_file(&SourceFile::new(name, text))
            .with_label(at..at + 1, "this byte is not UTF-8")
            .with_help("save the spec as UTF-8 text")
    })
}

/// Parses spec text of either format into a JSON value and pointer index. Every syntax error and
/// duplicate key is returned together.
pub fn parse(source: SourceFile, format: Format) -> Result<Parsed, Vec<Problem>> {
    match format {
        Format::Yaml => parse_yaml(source),
        Format::Toml => parse_toml(source),
    }
}

fn parse_yaml(source: SourceFile) -> Result<Parsed, Vec<Problem>> {
    let file = yaml::parse(&source.text);
    let mut problems: Vec<Problem> = file.errors.iter().map(|e| yaml_problem(&source, e)).collect();
    if file.documents.len() > 1 {
        problems.push(
            Problem::error("spec::multiple-documents", "a spec is one YAML document, this file has several")
                .in_file(&source)
                .with_label(file.documents[1].root.span.clone(), "second document starts here")
                .with_help("split the documents into separate spec files"),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let Some(doc) = file.documents.first() else {
        return Err(vec![
            Problem::error("spec::empty", format!("{} is empty", source.name))
                .in_file(&source)
                .with_help("run `sseconf init` for a commented starter spec"),
        ]);
    };
    let value = yaml::to_json(doc, &doc.root).map_err(|e| vec![yaml_problem(&source, &e)])?;
    let mut index = PointerIndex::default();
    index_yaml(&doc.root, String::new(), None, &mut index);
    Ok(Parsed { source, value, index })
}

fn yaml_problem(source: &SourceFile, error: &yaml::YamlError) -> Problem {
    let (code, help) = match error.kind {
        YamlErrorKind::Syntax => ("spec::syntax", "fix the YAML syntax at the marked position"),
        YamlErrorKind::DuplicateKey => {
            ("spec::duplicate-key", "remove one of the two keys; YAML loaders disagree on which wins")
        }
        YamlErrorKind::Limit => {
            ("spec::limit", "simplify the document: no spec needs this much nesting or expansion")
        }
    };
    let label = if error.kind == YamlErrorKind::DuplicateKey { "duplicate key" } else { "here" };
    let mut problem = Problem::error(code, error.message.clone())
        .in_file(source)
        .with_label(error.span.clone(), label)
        .with_help(help);
    if let Some(first) = &error.related {
        problem = problem.with_label(first.clone(), "first defined here");
    }
    problem
}

fn index_yaml(node: &Node, pointer: String, key: Option<Range<usize>>, index: &mut PointerIndex) {
    index.insert(pointer.clone(), key, node.span.clone());
    match &node.value {
        Value::Map(entries) => {
            for entry in entries {
                if let Some(name) = entry.key.as_str() {
                    let child = format!("{pointer}/{}", escape_segment(name));
                    index_yaml(&entry.value, child, Some(entry.key.span.clone()), index);
                }
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                index_yaml(item, format!("{pointer}/{i}"), None, index);
            }
        }
        Value::Scalar { .. } | Value::Alias(_) => {}
    }
}

fn parse_toml(source: SourceFile) -> Result<Parsed, Vec<Problem>> {
    let text = std::sync::Arc::clone(&source.text);
    let (table, errors) = toml::de::DeTable::parse_recoverable(&text);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|e| {
                let span = e.span().unwrap_or(0..0);
                let message = e.message().trim().to_string();
                let help = if message.contains("duplicate") {
                    "remove one of the two keys"
                } else {
                    "fix the TOML syntax at the marked position"
                };
                let code = if message.contains("duplicate") { "spec::duplicate-key" } else { "spec::syntax" };
                Problem::error(code, message).in_file(&source).with_label(span, "here").with_help(help)
            })
            .collect());
    }
    let mut index = PointerIndex::default();
    let root_span = table.span();
    let value = toml_table(table.get_ref(), String::new(), &mut index);
    index.insert(String::new(), None, root_span);
    Ok(Parsed { source, value, index })
}

fn toml_table(table: &toml::de::DeTable<'_>, pointer: String, index: &mut PointerIndex) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for (key, value) in table {
        let child = format!("{pointer}/{}", escape_segment(key.get_ref()));
        index.insert(child.clone(), Some(key.span()), value.span());
        out.insert(key.get_ref().to_string(), toml_value(value.get_ref(), child, index));
    }
    serde_json::Value::Object(out)
}

fn toml_value(value: &toml::de::DeValue<'_>, pointer: String, index: &mut PointerIndex) -> serde_json::Value {
    use serde_json::Value as J;
    use toml::de::DeValue;
    match value {
        DeValue::String(s) => J::String(s.to_string()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            i64::from_str_radix(&digits, i.radix())
                .map_or_else(|_| J::String(i.as_str().to_string()), |n| J::Number(n.into()))
        }
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| J::String(f.as_str().to_string()), J::Number),
        DeValue::Boolean(b) => J::Bool(*b),
        DeValue::Datetime(d) => J::String(d.to_string()),
        DeValue::Array(items) => J::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let child = format!("{pointer}/{i}");
                    index.insert(child.clone(), None, item.span());
                    toml_value(item.get_ref(), child, index)
                })
                .collect(),
        ),
        DeValue::Table(table) => toml_table(table, pointer, index),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_pointers_map_to_key_and_value_spans() {
        let src = SourceFile::new("s.yaml", "a:\n  b: [1, 2]\n");
        let parsed = parse(src, Format::Yaml).unwrap();
        let loc = parsed.index.get("/a/b/1").unwrap();
        assert_eq!(loc.value, 12..13);
        let loc = parsed.index.get("/a/b").unwrap();
        assert_eq!(loc.key, Some(5..6));
    }

    #[test]
    fn toml_pointers_map_to_key_and_value_spans() {
        let src = SourceFile::new("s.toml", "[a]\nb = [1, 2]\n");
        let parsed = parse(src, Format::Toml).unwrap();
        assert_eq!(parsed.value, serde_json::json!({"a": {"b": [1, 2]}}));
        let loc = parsed.index.get("/a/b").unwrap();
        assert_eq!(loc.key, Some(4..5));
    }

    #[test]
    fn nearest_falls_back_to_an_ancestor() {
        let src = SourceFile::new("s.yaml", "a:\n  b: 1\n");
        let parsed = parse(src, Format::Yaml).unwrap();
        assert_eq!(parsed.index.nearest("/a/b/c/d").unwrap().value, 8..9);
    }

    #[test]
    fn non_utf8_is_reported_at_the_bad_byte() {
        let err = decode("x.yaml", vec![b'a', b':', 0xff]).unwrap_err();
        assert_eq!(err.primary_span(), Some(2..3));
    }
}

//! A span-keeping YAML tree built on granit-parser's event stream.
//!
//! Both the spec loader and the YAML linters (compose, Kubernetes, gateway, Prometheus) read YAML
//! through this module, so the two can never disagree about structure. Every node keeps its byte
//! range; duplicate keys are reported with both locations; aliases stay references in the tree and
//! are only expanded, under a node budget, when a JSON view is asked for (alias bombs stop there).
//! Scalars are typed with the YAML 1.2 core schema: `yes`/`on` stay strings.

use granit_parser::{Event, Marker, Options, Parser, ScalarStyle, Span as GSpan, StructureStyle};
use std::collections::HashMap;
use std::ops::Range;

/// Deepest nesting of collections accepted, far above any real config.
pub const MAX_DEPTH: usize = 128;
/// Most nodes a JSON view may expand to through aliases before it is refused.
pub const MAX_EXPANDED_NODES: usize = 250_000;
/// Most entries one mapping's merge keys are followed for (far above any real config).
pub const MAX_MERGED_ENTRIES: usize = 10_000;

/// One YAML scalar's notation, reduced to what typing needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    Block,
}

#[derive(Debug, Clone)]
pub enum Value {
    Scalar {
        text: String,
        style: Style,
        tag: Option<String>,
    },
    Seq(Vec<Node>),
    Map(Vec<Entry>),
    /// A reference to the node that defined anchor `id` (see [`Document::anchors`]).
    Alias(usize),
}

#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    /// Byte range in the source; zero-width for empty values.
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

/// A YAML comment: text after `#` and the byte range of the whole comment.
#[derive(Debug, Clone)]
pub struct Comment {
    pub text: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub root: Node,
    pub anchors: HashMap<usize, Node>,
}

/// A problem found while reading YAML: a syntax error, a duplicate key, a bad alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub span: Range<usize>,
    /// Where the first of two duplicate keys is, for a secondary label.
    pub related: Option<Range<usize>>,
    pub kind: YamlErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlErrorKind {
    Syntax,
    DuplicateKey,
    Limit,
}

#[derive(Debug, Clone, Default)]
pub struct YamlFile {
    pub documents: Vec<Document>,
    pub comments: Vec<Comment>,
    pub errors: Vec<YamlError>,
}

impl Node {
    /// The scalar's text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The entries, if this is a mapping.
    pub fn entries(&self) -> &[Entry] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The items, if this is a sequence.
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    /// The entry whose key is `key` (the first one if the key is duplicated).
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().find(|e| e.key.as_str() == Some(key))
    }

    /// The value under `key`.
    pub fn value_of(&self, key: &str) -> Option<&Node> {
        self.get(key).map(|e| &e.value)
    }

    /// Follows a path of mapping keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.value_of(key))
    }

    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, style: Style::Plain, tag: None } if is_null_text(text))
    }
}

impl Document {
    /// Follows aliases to the node they refer to (a chain of aliases is bounded by
    /// [`MAX_DEPTH`]; an alias to an unknown anchor resolves to itself).
    pub fn resolve<'a>(&'a self, node: &'a Node) -> &'a Node {
        let mut current = node;
        for _ in 0..MAX_DEPTH {
            match &current.value {
                Value::Alias(id) => match self.anchors.get(id) {
                    Some(target) => current = target,
                    None => return current,
                },
                _ => return current,
            }
        }
        current
    }

    /// The entries of a mapping as YAML merge keys make them: its own entries first, then those
    /// of `<<: *base` (or `<<: [*a, *b]`) that it does not override. Aliases are resolved.
    pub fn entries<'a>(&'a self, node: &'a Node) -> Vec<&'a Entry> {
        let mut out = Vec::new();
        let mut budget = MAX_MERGED_ENTRIES;
        self.collect_entries(self.resolve(node), &mut out, 0, &mut budget);
        out
    }

    fn collect_entries<'a>(
        &'a self,
        map: &'a Node,
        out: &mut Vec<&'a Entry>,
        depth: usize,
        budget: &mut usize,
    ) {
        // Merge keys can point at maps that merge others (`<<: [*a, *a, ...]` nested): without
        // a budget that is an alias bomb in time, not only in memory.
        if depth > MAX_DEPTH || *budget == 0 {
            return;
        }
        *budget = budget.saturating_sub(map.entries().len().max(1));
        let mut merges = Vec::new();
        for entry in map.entries() {
            let is_merge =
                matches!(&entry.key.value, Value::Scalar { text, style: Style::Plain, .. } if text == "<<");
            if is_merge {
                merges.push(&entry.value);
            } else if !out.iter().any(|e| e.key.as_str().is_some() && e.key.as_str() == entry.key.as_str()) {
                out.push(entry);
            }
        }
        for merge in merges {
            let merge = self.resolve(merge);
            match &merge.value {
                Value::Seq(items) => {
                    for item in items {
                        self.collect_entries(self.resolve(item), out, depth + 1, budget);
                    }
                }
                _ => self.collect_entries(merge, out, depth + 1, budget),
            }
        }
    }

    /// The value under `key` in a mapping, through aliases and merge keys.
    pub fn get<'a>(&'a self, node: &'a Node, key: &str) -> Option<&'a Node> {
        let entry = self.entries(node).into_iter().find(|e| e.key.as_str() == Some(key))?;
        Some(self.resolve(&entry.value))
    }

    /// Follows a path of mapping keys through aliases and merge keys.
    pub fn path<'a>(&'a self, node: &'a Node, keys: &[&str]) -> Option<&'a Node> {
        keys.iter().try_fold(self.resolve(node), |n, key| self.get(n, key))
    }

    /// The items of a sequence, each resolved through aliases.
    pub fn items<'a>(&'a self, node: &'a Node) -> Vec<&'a Node> {
        self.resolve(node).items().iter().map(|n| self.resolve(n)).collect()
    }
}

impl Node {
    /// The scalar's text if it is a non-null scalar.
    pub fn text(&self) -> Option<&str> {
        if self.is_null() { None } else { self.as_str() }
    }

    /// True for a plain scalar that the YAML core schema types as a number or a boolean
    /// (unquoted `3600`, `true`): where a string is required, Kubernetes rejects it.
    pub fn is_plain_non_string(&self) -> bool {
        match &self.value {
            Value::Scalar { text, style: Style::Plain, tag: None } => {
                !matches!(scalar_to_json(text, Style::Plain, None), serde_json::Value::String(_))
                    && !is_null_text(text)
            }
            _ => false,
        }
    }
}

fn is_null_text(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn byte_of(marker: &Marker) -> usize {
    marker.byte_offset().unwrap_or_else(|| marker.index())
}

fn range_of(span: &GSpan) -> Range<usize> {
    span.byte_range().unwrap_or_else(|| byte_of(&span.start)..byte_of(&span.end))
}

/// A collection being built, with where it started.
enum Frame {
    Seq { anchor: usize, start: usize, flow: bool, items: Vec<Node> },
    Map { anchor: usize, start: usize, flow: bool, entries: Vec<Entry>, pending_key: Option<Node> },
}

struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
    errors: Vec<YamlError>,
}

impl Builder {
    fn new() -> Self {
        Self { stack: Vec::new(), anchors: HashMap::new(), root: None, errors: Vec::new() }
    }

    fn push_node(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, pending_key, .. }) => match pending_key.take() {
                None => *pending_key = Some(node),
                Some(key) => {
                    if let Some(text) = key.as_str()
                        && let Some(first) = entries.iter().find(|e| e.key.as_str() == Some(text))
                    {
                        self.errors.push(YamlError {
                            message: format!("duplicate key `{text}`"),
                            span: key.span.clone(),
                            related: Some(first.key.span.clone()),
                            kind: YamlErrorKind::DuplicateKey,
                        });
                    }
                    entries.push(Entry { key, value: node });
                }
            },
        }
    }

    fn open(&mut self, frame: Frame, at: usize) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(YamlError {
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
                span: at..at,
                related: None,
                kind: YamlErrorKind::Limit,
            });
        }
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, end: usize) {
        let Some(frame) = self.stack.pop() else { return };
        let (node, anchor) = match frame {
            Frame::Seq { anchor, start, flow, items } => {
                let span = container_span(
                    start,
                    end,
                    flow,
                    items.first().map(|n| &n.span),
                    items.last().map(|n| &n.span),
                );
                (Node { value: Value::Seq(items), span }, anchor)
            }
            Frame::Map { anchor, start, flow, entries, .. } => {
                let span = container_span(
                    start,
                    end,
                    flow,
                    entries.first().map(|e| &e.key.span),
                    entries.last().map(|e| &e.value.span),
                );
                (Node { value: Value::Map(entries), span }, anchor)
            }
        };
        self.push_node(node, anchor);
    }
}

/// Block collections come with zero-width start and end events, so their span is taken from
/// their children; flow collections have real brackets and keep them.
fn container_span(
    start: usize,
    end: usize,
    flow: bool,
    first: Option<&Range<usize>>,
    last: Option<&Range<usize>>,
) -> Range<usize> {
    if flow && end > start {
        return start..end;
    }
    match (first, last) {
        (Some(first), Some(last)) => first.start..last.end.max(first.end),
        _ => start..start,
    }
}

fn tag_name(tag: Option<&granit_parser::Tag>) -> Option<String> {
    tag.map(|t| t.core_suffix().map_or_else(|| format!("{}{}", t.handle(), t.suffix()), |s| format!("!!{s}")))
}

/// Parses every document of `source`. Syntax errors are collected and parsing resumes at the next
/// document, so one bad document does not hide the others.
pub fn parse(source: &str) -> YamlFile {
    let mut options = Options::default();
    options.block_nesting_limit = MAX_DEPTH;
    options.flow_nesting_limit = MAX_DEPTH;
    let mut parser = Parser::new_from_str_with_options(source, options);
    let mut file = YamlFile::default();
    let mut builder = Builder::new();
    while let Some(next) = parser.next_event() {
        match next {
            Ok((event, span)) => {
                let range = range_of(&span);
                if let Err(err) = apply_event(event, range, &mut builder, &mut file) {
                    file.errors.push(err);
                    break;
                }
            }
            Err(err) => {
                let at = byte_of(err.marker()).min(source.len());
                file.errors.push(YamlError {
                    message: err.info(),
                    span: at..at,
                    related: None,
                    kind: YamlErrorKind::Syntax,
                });
                builder = Builder::new();
                if !matches!(parser.proceed_next_document(), Ok(true)) {
                    break;
                }
            }
        }
    }
    file
}

fn apply_event(
    event: Event<'_>,
    range: Range<usize>,
    b: &mut Builder,
    file: &mut YamlFile,
) -> Result<(), YamlError> {
    match event {
        Event::Scalar(text, style, anchor, tag) => {
            let style = match style {
                ScalarStyle::Plain => Style::Plain,
                ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
                _ => Style::Block,
            };
            let node = Node {
                value: Value::Scalar { text: text.into_owned(), style, tag: tag_name(tag.as_deref()) },
                span: range,
            };
            b.push_node(node, anchor);
        }
        Event::SequenceStart(style, anchor, _) => {
            let flow = style == StructureStyle::Flow;
            b.open(Frame::Seq { anchor, start: range.start, flow, items: Vec::new() }, range.start)?;
        }
        Event::MappingStart(style, anchor, _) => {
            let flow = style == StructureStyle::Flow;
            let frame =
                Frame::Map { anchor, start: range.start, flow, entries: Vec::new(), pending_key: None };
            b.open(frame, range.start)?;
        }
        Event::SequenceEnd | Event::MappingEnd => b.close(range.end),
        Event::Alias(id) => b.push_node(Node { value: Value::Alias(id), span: range }, 0),
        Event::Comment(text, _) => file.comments.push(Comment { text: text.into_owned(), span: range }),
        Event::DocumentEnd => {
            let mut done = std::mem::replace(b, Builder::new());
            file.errors.append(&mut done.errors);
            if let Some(root) = done.root {
                file.documents.push(Document { root, anchors: done.anchors });
            }
        }
        _ => {}
    }
    Ok(())
}

/// Converts a node to JSON with YAML 1.2 core-schema typing, expanding aliases and `<<` merge keys
/// within [`MAX_EXPANDED_NODES`].
pub fn to_json(doc: &Document, node: &Node) -> Result<serde_json::Value, YamlError> {
    let mut budget = MAX_EXPANDED_NODES;
    convert(doc, node, &mut budget, 0)
}

fn limit_error(node: &Node, message: String) -> YamlError {
    YamlError { message, span: node.span.clone(), related: None, kind: YamlErrorKind::Limit }
}

fn convert(
    doc: &Document,
    node: &Node,
    budget: &mut usize,
    depth: usize,
) -> Result<serde_json::Value, YamlError> {
    if *budget == 0 {
        return Err(limit_error(
            node,
            format!("aliases expand to more than {MAX_EXPANDED_NODES} nodes (an alias bomb?)"),
        ));
    }
    if depth > MAX_DEPTH {
        return Err(limit_error(node, format!("aliases nest deeper than {MAX_DEPTH} levels")));
    }
    *budget -= 1;
    Ok(match &node.value {
        Value::Scalar { text, style, tag } => scalar_to_json(text, *style, tag.as_deref()),
        Value::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(convert(doc, item, budget, depth + 1)?);
            }
            serde_json::Value::Array(out)
        }
        Value::Map(entries) => {
            let mut out = serde_json::Map::new();
            let mut merges = Vec::new();
            for entry in entries {
                let key = match convert(doc, &entry.key, budget, depth + 1)? {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                if key == "<<" && matches!(entry.key.value, Value::Scalar { style: Style::Plain, .. }) {
                    merges.push(&entry.value);
                    continue;
                }
                if !out.contains_key(&key) {
                    let value = convert(doc, &entry.value, budget, depth + 1)?;
                    out.insert(key, value);
                }
            }
            for merge in merges {
                merge_into(doc, merge, &mut out, budget, depth)?;
            }
            serde_json::Value::Object(out)
        }
        Value::Alias(id) => match doc.anchors.get(id) {
            Some(target) => convert(doc, target, budget, depth + 1)?,
            None => return Err(limit_error(node, "alias to an unknown anchor".to_string())),
        },
    })
}

/// `<<: *base` or `<<: [*a, *b]`: keys of the merged maps fill in what the map does not set itself.
fn merge_into(
    doc: &Document,
    merge: &Node,
    out: &mut serde_json::Map<String, serde_json::Value>,
    budget: &mut usize,
    depth: usize,
) -> Result<(), YamlError> {
    let sources: Vec<serde_json::Value> = match convert(doc, merge, budget, depth + 1)? {
        serde_json::Value::Array(items) => items,
        single => vec![single],
    };
    for source in sources {
        if let serde_json::Value::Object(map) = source {
            for (k, v) in map {
                out.entry(k).or_insert(v);
            }
        }
    }
    Ok(())
}

/// Types a scalar as the YAML 1.2 core schema does.
pub fn scalar_to_json(text: &str, style: Style, tag: Option<&str>) -> serde_json::Value {
    use serde_json::Value as J;
    match tag {
        Some("!!str") => return J::String(text.to_string()),
        Some("!!null") => return J::Null,
        _ => {}
    }
    if style != Style::Plain && tag.is_none() {
        return J::String(text.to_string());
    }
    if is_null_text(text) {
        return J::Null;
    }
    match text {
        "true" | "True" | "TRUE" => return J::Bool(true),
        "false" | "False" | "FALSE" => return J::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF" | ".nan"
        | ".NaN" | ".NAN" => return J::String(text.to_string()),
        _ => {}
    }
    if let Some(n) = parse_int(text) {
        return J::Number(n.into());
    }
    if is_float(text)
        && let Some(n) = text.parse::<f64>().ok().and_then(serde_json::Number::from_f64)
    {
        return J::Number(n);
    }
    J::String(text.to_string())
}

fn parse_int(text: &str) -> Option<i64> {
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok();
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn is_float(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let mantissa_ok = {
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        (!int.is_empty() || !frac.is_empty())
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
            && mantissa.contains(|c: char| c.is_ascii_digit())
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_reported_with_both_locations() {
        let file = parse("a: 1\nb: 2\na: 3\n");
        assert_eq!(file.errors.len(), 1);
        assert_eq!(file.errors[0].kind, YamlErrorKind::DuplicateKey);
        assert_eq!(file.errors[0].span, 10..11);
        assert_eq!(file.errors[0].related, Some(0..1));
    }

    #[test]
    fn block_mapping_spans_cover_their_children() {
        let file = parse("top:\n  inner: value\n");
        let root = &file.documents[0].root;
        let inner = root.value_of("top").unwrap();
        assert_eq!(inner.span, 7..19);
    }

    #[test]
    fn core_schema_keeps_yaml11_booleans_as_strings() {
        let file = parse("a: yes\nb: true\nc: 010\nd: 1.5\ne: '5'\nf: ~\n");
        let doc = &file.documents[0];
        let json = to_json(doc, &doc.root).unwrap();
        assert_eq!(json, serde_json::json!({"a": "yes", "b": true, "c": 10, "d": 1.5, "e": "5", "f": null}));
    }

    #[test]
    fn merge_keys_fill_in_missing_keys() {
        let file = parse("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n");
        let doc = &file.documents[0];
        let json = to_json(doc, &doc.root).unwrap();
        assert_eq!(json["d"], serde_json::json!({"y": 3, "x": 1}));
    }

    #[test]
    fn merged_entries_and_aliases_resolve_with_spans() {
        let src = "x-base: &base\n  image: redis:7\n  restart: always\nsvc:\n  <<: *base\n  restart: no\n";
        let file = parse(src);
        let doc = &file.documents[0];
        let svc = doc.root.value_of("svc").unwrap();
        let keys: Vec<_> = doc.entries(svc).iter().filter_map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["restart", "image"]);
        let image = doc.get(svc, "image").unwrap();
        assert_eq!(&src[image.span.clone()], "redis:7");
        assert_eq!(doc.get(svc, "restart").and_then(Node::text), Some("no"));
    }

    #[test]
    fn merge_key_bomb_stops_at_the_budget() {
        let mut src = String::from("a0: &a0 {k: v}\n");
        for i in 1..30 {
            let p = i - 1;
            src.push_str(&format!(
                "a{i}: &a{i}\n  <<: [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let file = parse(&src);
        let doc = &file.documents[0];
        let started = std::time::Instant::now();
        let top = doc.root.value_of("a29").unwrap();
        let keys: Vec<_> = doc.entries(top).iter().filter_map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["k"]);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn plain_numbers_and_booleans_are_not_strings() {
        let file = parse("a: 300\nb: \"300\"\nc: true\nd: off\ne:\n");
        let root = &file.documents[0].root;
        let flags: Vec<_> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|k| root.value_of(k).unwrap().is_plain_non_string())
            .collect();
        assert_eq!(flags, [true, false, true, false, false]);
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = i - 1;
            src.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        let file = parse(&src);
        let doc = &file.documents[0];
        let err = to_json(doc, &doc.root).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = "[".repeat(10_000);
        let file = parse(&src);
        assert!(!file.errors.is_empty());
    }

    #[test]
    fn syntax_error_in_one_document_keeps_the_next() {
        let file = parse("a: [1, 2\n---\nb: 2\n");
        assert!(!file.errors.is_empty());
        assert!(file.documents.iter().any(|d| d.root.value_of("b").is_some()));
    }
}

//! Java `.properties` files (Spring's `application.properties`), read into the same tree as
//! YAML so that every gateway rule works on them unchanged.
//!
//! The grammar is `java.util.Properties.load`: `key=value`, `key: value` or `key value`; `#` and
//! `!` comment lines; a line ending in an odd number of backslashes continues on the next one
//! (whose leading blanks are dropped); `\t`, `\n`, `\r`, `\f` and `\uXXXX` escapes, and a
//! backslash before any other character keeps that character. Lines end at `\n`, `\r\n` or `\r`.
//! Trailing blanks of a value are dropped, as Spring Boot's loader does.
//!
//! Each key becomes a path in the tree the way Spring binds it: dots open mappings and `[n]`
//! opens a sequence (`spring.cloud.gateway.routes[0].predicates[0]=Path=/x`); other bracketed
//! keys (`metadata[response-timeout]`) are mapping keys. Every key segment and value keeps its
//! byte span. A repeated key takes the last value, as `Properties` does. Spring Boot's `#---` (or
//! `!---`) line separates documents, like `---` in YAML: at the start of a line, with nothing but
//! blanks after it, and not right after a comment line of the same character.

use super::yaml::{
    Comment, Document, Entry, MAX_DEPTH, Node, Style, Value, YamlError, YamlErrorKind, YamlFile,
};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

/// A character of a logical line, with the byte range it was written with (an escape such as
/// `\u00e9` spans six bytes).
type Char = (char, Range<usize>);

/// Parses a whole `.properties` file.
pub fn parse(source: &str) -> YamlFile {
    let mut file = YamlFile::default();
    let mut tree = Tree::Empty;
    for line in logical_lines(source, &mut file.comments) {
        match line {
            Line::Separator => file.documents.push(finish(std::mem::replace(&mut tree, Tree::Empty))),
            Line::Entry(chars) => {
                let (key, value) = split_entry(&chars, &mut file.errors);
                // Spring Boot skips an entry without a key (`=value`).
                if !key.is_empty() {
                    add(&mut tree, &key, value, &mut file.errors);
                }
            }
        }
    }
    file.documents.push(finish(tree));
    file
}

enum Line {
    Entry(Vec<(char, usize)>),
    /// `#---`: a new document starts.
    Separator,
}

/// Physical lines with their byte offset, without the terminator (`\n`, `\r\n` or `\r`).
fn physical_lines(source: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' || bytes[i] == b'\r' {
            out.push((start, source.get(start..i).unwrap_or("")));
            i += if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
            start = i;
        } else {
            i += 1;
        }
    }
    if start < bytes.len() {
        out.push((start, source.get(start..).unwrap_or("")));
    }
    out
}

/// Joins continued lines and drops blank and comment lines (kept in `comments`).
fn logical_lines(source: &str, comments: &mut Vec<Comment>) -> Vec<Line> {
    let mut out = Vec::new();
    let mut current: Vec<(char, usize)> = Vec::new();
    let mut continuing = false;
    // The comment character of the previous line, if it was a comment: Spring Boot does not take
    // `#---` right after a `#` comment as a separator.
    let mut previous_comment: Option<char> = None;
    for (offset, line) in physical_lines(source) {
        let body: Vec<(char, usize)> = line
            .char_indices()
            .map(|(i, c)| (c, offset + i))
            .skip_while(|(c, _)| matches!(c, ' ' | '\t' | '\u{c}'))
            .collect();
        if !continuing {
            match body.first() {
                None => {
                    previous_comment = None;
                    continue;
                }
                Some(&(mark @ ('#' | '!'), at)) => {
                    let text: String = body.iter().skip(1).map(|(c, _)| *c).collect();
                    // A separator: `#---` at the very start of the line, nothing but blanks after.
                    let separator = at == offset
                        && text.trim_end_matches([' ', '\t', '\u{c}']) == "---"
                        && previous_comment != Some(mark);
                    if separator {
                        out.push(Line::Separator);
                    }
                    previous_comment = Some(mark);
                    comments.push(Comment { text, span: at..offset + line.len() });
                    continue;
                }
                Some(_) => previous_comment = None,
            }
        }
        let backslashes = body.iter().rev().take_while(|(c, _)| *c == '\\').count();
        continuing = backslashes % 2 == 1;
        let keep = if continuing { body.len() - 1 } else { body.len() };
        current.extend(body.into_iter().take(keep));
        if !continuing {
            out.push(Line::Entry(std::mem::take(&mut current)));
        }
    }
    if !current.is_empty() {
        out.push(Line::Entry(current));
    }
    out
}

/// The key and value of a logical line, unescaped. A malformed `\u` escape is an error: Java's
/// `Properties.load` throws, so Spring does not start.
fn split_entry(chars: &[(char, usize)], errors: &mut Vec<YamlError>) -> (Vec<Char>, Node) {
    let blank = |c: char| matches!(c, ' ' | '\t' | '\u{c}');
    let mut i = 0;
    let mut key = Vec::new();
    while let Some(&(c, _)) = chars.get(i) {
        if c == '=' || c == ':' || blank(c) {
            break;
        }
        key.push(unescape(chars, &mut i, errors));
    }
    while chars.get(i).is_some_and(|(c, _)| blank(*c)) {
        i += 1;
    }
    if chars.get(i).is_some_and(|(c, _)| *c == '=' || *c == ':') {
        i += 1;
        while chars.get(i).is_some_and(|(c, _)| blank(*c)) {
            i += 1;
        }
    }
    let mut value: Vec<Char> = Vec::new();
    while i < chars.len() {
        value.push(unescape(chars, &mut i, errors));
    }
    while value.last().is_some_and(|(c, _)| blank(*c)) {
        value.pop();
    }
    let end = key.last().map_or(0, |(_, r)| r.end);
    let span = match (value.first(), value.last()) {
        (Some(first), Some(last)) => first.1.start..last.1.end,
        _ => end..end,
    };
    let text: String = value.iter().map(|(c, _)| *c).collect();
    (key, scalar(text, span))
}

/// The character at `chars[*i]`, decoding an escape, and advances `i` past it.
fn unescape(chars: &[(char, usize)], i: &mut usize, errors: &mut Vec<YamlError>) -> Char {
    let Some(&(c, start)) = chars.get(*i) else { return ('\0', 0..0) };
    let end_of = |j: usize| chars.get(j).map_or(start + 1, |(c, at)| at + c.len_utf8());
    *i += 1;
    if c != '\\' {
        return (c, start..end_of(*i - 1));
    }
    let Some(&(next, _)) = chars.get(*i) else { return ('\\', start..start + 1) };
    *i += 1;
    let decoded = match next {
        't' => '\t',
        'n' => '\n',
        'r' => '\r',
        'f' => '\u{c}',
        'u' => {
            let hex: String = chars.iter().skip(*i).take(4).map(|(c, _)| *c).collect();
            let code = (hex.len() == 4).then(|| u32::from_str_radix(&hex, 16).ok()).flatten();
            match code {
                Some(code) => {
                    *i += 4;
                    char::from_u32(code).unwrap_or('\u{fffd}')
                }
                None => {
                    let message = "malformed \\uXXXX escape: Java's Properties.load refuses the file";
                    errors.push(error(message, start..end_of(*i - 1), YamlErrorKind::Syntax));
                    'u'
                }
            }
        }
        other => other,
    };
    (decoded, start..end_of(*i - 1))
}

fn error(message: &str, span: Range<usize>, kind: YamlErrorKind) -> YamlError {
    YamlError { message: message.to_string(), span, related: None, kind }
}

fn scalar(text: String, span: Range<usize>) -> Node {
    // Properties values are strings: `null` or `~` is not YAML's null here.
    let style =
        if matches!(text.as_str(), "~" | "null" | "Null" | "NULL") { Style::Quoted } else { Style::Plain };
    Node { value: Value::Scalar { text, style, tag: None }, span }
}

/// One step of a key's path: a mapping key, or a sequence index (`[0]`).
struct Segment {
    text: String,
    span: Range<usize>,
    index: Option<usize>,
}

/// Splits a key at dots and brackets, as Spring's binder does.
fn segments(key: &[Char]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut current: Vec<&Char> = Vec::new();
    let mut i = 0;
    let flush = |current: &mut Vec<&Char>, out: &mut Vec<Segment>, index: Option<usize>| {
        if let (Some(first), Some(last)) = (current.first(), current.last()) {
            let text = current.iter().map(|(c, _)| *c).collect();
            out.push(Segment { text, span: first.1.start..last.1.end, index });
        }
        current.clear();
    };
    // Where the next `]` is from each position, found in one pass from the end (a search per
    // `[` would be quadratic on a hostile key).
    let mut next_close = vec![None; key.len() + 1];
    for j in (0..key.len()).rev() {
        next_close[j] = if key[j].0 == ']' { Some(j) } else { next_close[j + 1] };
    }
    while let Some(ch) = key.get(i) {
        let closing = next_close.get(i + 1).copied().flatten();
        match (ch.0, closing) {
            ('.', _) => flush(&mut current, &mut out, None),
            ('[', Some(close)) => {
                flush(&mut current, &mut out, None);
                current.extend(key.get(i + 1..close).unwrap_or(&[]));
                let text: String = current.iter().map(|(c, _)| *c).collect();
                // Spring's indexes are small; a huge number is a map key, not a reason to allocate.
                let index = text.parse::<usize>().ok().filter(|n| *n < 1_000_000);
                flush(&mut current, &mut out, index);
                i = close;
            }
            _ => current.push(ch),
        }
        i += 1;
    }
    flush(&mut current, &mut out, None);
    out
}

/// The tree being built from the keys' paths.
enum Tree {
    Empty,
    Leaf(Node),
    Map { entries: Vec<(Node, Tree)>, index: HashMap<String, usize> },
    Seq(BTreeMap<usize, Tree>),
}

/// Adds `key = value` to the tree (paths deeper than YAML's limit are refused, like YAML's).
fn add(tree: &mut Tree, key: &[Char], value: Node, errors: &mut Vec<YamlError>) {
    let path = segments(key);
    if path.len() > MAX_DEPTH {
        let span = key.first().map_or(0..0, |(_, r)| r.start..r.start);
        errors.push(error(&format!("key nested deeper than {MAX_DEPTH} levels"), span, YamlErrorKind::Limit));
        return;
    }
    insert(tree, &path, value);
}

fn insert(tree: &mut Tree, path: &[Segment], value: Node) {
    let Some((first, rest)) = path.split_first() else {
        // The last value wins; `a=1` beside `a.b=2` keeps the structure the rules read.
        if matches!(tree, Tree::Empty | Tree::Leaf(_)) {
            *tree = Tree::Leaf(value);
        }
        return;
    };
    if let Some(n) = first.index {
        if matches!(tree, Tree::Empty | Tree::Leaf(_)) {
            *tree = Tree::Seq(BTreeMap::new());
        }
        if let Tree::Seq(items) = tree {
            insert(items.entry(n).or_insert(Tree::Empty), rest, value);
            return;
        }
    }
    if !matches!(tree, Tree::Map { .. }) {
        *tree = Tree::Map { entries: Vec::new(), index: HashMap::new() };
    }
    if let Tree::Map { entries, index } = tree {
        let at = *index.entry(first.text.clone()).or_insert_with(|| {
            entries.push((scalar(first.text.clone(), first.span.clone()), Tree::Empty));
            entries.len() - 1
        });
        if let Some((_, child)) = entries.get_mut(at) {
            insert(child, rest, value);
        }
    }
}

/// The finished tree as a YAML document.
fn finish(tree: Tree) -> Document {
    Document { root: to_node(tree), anchors: HashMap::new() }
}

fn to_node(tree: Tree) -> Node {
    match tree {
        Tree::Empty => scalar(String::new(), 0..0),
        Tree::Leaf(node) => node,
        Tree::Map { entries, .. } => {
            let entries: Vec<Entry> =
                entries.into_iter().map(|(key, child)| Entry { key, value: to_node(child) }).collect();
            let span = cover(entries.iter().flat_map(|e| [&e.key.span, &e.value.span]));
            Node { value: Value::Map(entries), span }
        }
        Tree::Seq(items) => {
            let items: Vec<Node> = items.into_values().map(to_node).collect();
            let span = cover(items.iter().map(|n| &n.span));
            Node { value: Value::Seq(items), span }
        }
    }
}

/// The smallest range covering every non-empty range given (zero-width ranges mark empty values).
fn cover<'a>(spans: impl Iterator<Item = &'a Range<usize>>) -> Range<usize> {
    let mut spans = spans.filter(|s| s.end > s.start).peekable();
    let Some(first) = spans.peek().map(|s| (*s).clone()) else { return 0..0 };
    spans.fold(first, |acc, s| acc.start.min(s.start)..acc.end.max(s.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scalar at a dotted path of the first document, through mappings and sequences.
    fn at<'a>(file: &'a YamlFile, path: &[&str]) -> Option<&'a Node> {
        let root = &file.documents.first()?.root;
        path.iter().try_fold(root, |node, step| match step.parse::<usize>() {
            Ok(n) => node.items().get(n),
            Err(_) => node.value_of(step),
        })
    }

    fn text<'a>(file: &'a YamlFile, path: &[&str]) -> Option<&'a str> {
        at(file, path).and_then(Node::as_str)
    }

    #[test]
    fn the_three_separators() {
        let file = parse("a=1\nb: 2\nc 3\nd\t=  4\ne:5=6\n");
        assert_eq!(text(&file, &["a"]), Some("1"));
        assert_eq!(text(&file, &["b"]), Some("2"));
        assert_eq!(text(&file, &["c"]), Some("3"));
        assert_eq!(text(&file, &["d"]), Some("4"));
        assert_eq!(text(&file, &["e"]), Some("5=6"), "only the first separator splits");
        assert!(parse("=orphan\n").documents[0].root.entries().is_empty(), "Spring skips an empty key");
        assert!(file.errors.is_empty());
    }

    #[test]
    fn comments_and_blank_lines() {
        let source = "# one\n  ! two\n\n   \na=#not a comment\n";
        let file = parse(source);
        assert_eq!(file.comments.len(), 2);
        assert_eq!(&source[file.comments[1].span.clone()], "! two");
        assert_eq!(text(&file, &["a"]), Some("#not a comment"));
    }

    #[test]
    fn continuation_lines_join_and_drop_leading_blanks() {
        let source = "list=a,\\\n    b,\\\n  # not a comment\nnext=x\n";
        let file = parse(source);
        assert_eq!(text(&file, &["list"]), Some("a,b,# not a comment"));
        assert_eq!(text(&file, &["next"]), Some("x"));
        // An even number of backslashes is an escaped backslash, not a continuation.
        let file = parse("path=c:\\\\\nother=y\n");
        assert_eq!(text(&file, &["path"]), Some("c:\\"));
        assert_eq!(text(&file, &["other"]), Some("y"));
    }

    #[test]
    fn escapes() {
        let file = parse("k\\ ey\\=x=tab\\there\\u00e9\\q\nuni=\\u0041\n");
        assert_eq!(text(&file, &["k ey=x"]), Some("tab\there\u{e9}q"));
        assert_eq!(text(&file, &["uni"]), Some("A"));
        let bad = parse("a=\\u00zz\n");
        assert_eq!(bad.errors.len(), 1);
        assert_eq!(bad.errors[0].kind, YamlErrorKind::Syntax);
    }

    #[test]
    fn line_terminators() {
        let file = parse("a=1\r\nb=2\rc=3");
        assert_eq!(
            (text(&file, &["a"]), text(&file, &["b"]), text(&file, &["c"])),
            (Some("1"), Some("2"), Some("3"))
        );
    }

    #[test]
    fn dotted_and_indexed_keys_build_the_tree_with_spans() {
        let source = "spring.cloud.gateway.routes[0].id=chat\nspring.cloud.gateway.routes[0].predicates[0]=Path=/x\nspring.cloud.gateway.routes[1].id=api\nx.metadata[response-timeout]=200\n";
        let file = parse(source);
        assert_eq!(text(&file, &["spring", "cloud", "gateway", "routes", "0", "id"]), Some("chat"));
        assert_eq!(
            text(&file, &["spring", "cloud", "gateway", "routes", "0", "predicates", "0"]),
            Some("Path=/x")
        );
        assert_eq!(text(&file, &["spring", "cloud", "gateway", "routes", "1", "id"]), Some("api"));
        assert_eq!(text(&file, &["x", "metadata", "response-timeout"]), Some("200"));
        let value = at(&file, &["spring", "cloud", "gateway", "routes", "0", "predicates", "0"]).unwrap();
        assert_eq!(&source[value.span.clone()], "Path=/x");
        let routes = file.documents[0].root.path(&["spring", "cloud", "gateway"]).unwrap();
        assert_eq!(&source[routes.entries()[0].key.span.clone()], "routes");
    }

    #[test]
    fn sparse_indexes_keep_their_order_and_the_last_value_wins() {
        let file = parse("l[2]=c\nl[0]=a\nk=1\nk=2\n");
        let items: Vec<&str> = at(&file, &["l"]).unwrap().items().iter().filter_map(Node::as_str).collect();
        assert_eq!(items, ["a", "c"]);
        assert_eq!(text(&file, &["k"]), Some("2"));
    }

    #[test]
    fn empty_values_and_null_words() {
        let file = parse("empty=\nword=null\n");
        assert!(at(&file, &["empty"]).unwrap().text().is_none(), "an empty value reads as unset");
        assert_eq!(at(&file, &["word"]).unwrap().text(), Some("null"), "`null` is a string here");
    }

    #[test]
    fn spring_document_separators() {
        let file = parse("a=1\n#---\nspring.config.activate.on-profile=prod\na=2\n");
        assert_eq!(file.documents.len(), 2);
        assert_eq!(file.documents[1].root.path(&["a"]).and_then(Node::as_str), Some("2"));
        // Indented, after a `#` comment, or on a continued line: not separators.
        assert_eq!(parse("a=1\n  #---\nb=2\n").documents.len(), 1);
        assert_eq!(parse("a=1\n# note\n#---\nb=2\n").documents.len(), 1);
        let continued = parse("a=base\\\n#---\n");
        assert_eq!(continued.documents.len(), 1);
        assert_eq!(text(&continued, &["a"]), Some("base#---"));
    }

    #[test]
    fn hostile_input_is_bounded() {
        let deep = format!("{}=x\n", "a.".repeat(10_000));
        assert_eq!(parse(&deep).errors[0].kind, YamlErrorKind::Limit);
        for source in [
            "[".repeat(100_000),
            format!("k{}=v", "[1]".repeat(100)),
            "a[99999999999999999999]=x\nb\\".to_string(),
            "\\u".to_string(),
            "=\n:\n\\\n".to_string(),
            "\u{feff}a=\u{0}\n".to_string(),
        ] {
            let _ = parse(&source);
        }
    }
}

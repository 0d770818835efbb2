//! The nginx configuration parser: a lossless-about-spans tree of directives, arguments and blocks
//! for every file, with `include`s resolved (see [`load`]) and a scoped view for rules (see
//! [`view`]).
//!
//! Storage is flat (one arena of nodes and one of arguments, indexed by `u32`) because a 48 MB
//! config tree has millions of directives and per-node allocations would dominate memory. Rules use
//! the [`Dir`] cursor, which reads names and values straight from the file text.

pub mod context;
pub mod lexer;
pub mod load;
pub mod view;

use crate::diagnostics::SourceFile;
use lexer::{Lexer, Token};
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;

pub type NodeId = u32;
pub type FileId = u32;

/// Nesting deeper than this is reported and skipped (nginx itself has no limit, but no real
/// config comes close, and an explicit stack keeps hostile input from exhausting memory).
pub const MAX_DEPTH: usize = 200;

/// One argument: a byte range in its file, with a flag for quoted arguments packed into the
/// top bit of the start (files are capped well below 2 GiB), so an argument is 8 bytes.
#[derive(Debug, Clone, Copy)]
pub struct Arg {
    start: u32,
    pub end: u32,
}

const QUOTED: u32 = 1 << 31;

impl Arg {
    fn new(start: u32, end: u32, quoted: bool) -> Self {
        Self { start: (start & !QUOTED) | if quoted { QUOTED } else { 0 }, end }
    }
    pub fn start(&self) -> u32 {
        self.start & !QUOTED
    }
    pub fn quoted(&self) -> bool {
        self.start & QUOTED != 0
    }
}

/// Node ids per entry of `Tree::chunk_files`.
const CHUNK_SHIFT: u32 = 8;

/// No block: the sentinel start of `Node::block`.
const NO_BLOCK: u32 = u32::MAX;

/// One directive, with or without a block (28 bytes; a 48 MB config has over a million). Its
/// file is found from its id (files own contiguous id ranges, see `Tree::file_starts`).
#[derive(Debug, Clone, Copy)]
struct Node {
    /// The interned name (see [`Tree::names`]).
    sym: u32,
    name_start: u32,
    /// End of the directive: just after its `;` or its block's `}`.
    end: u32,
    args: (u32, u32),
    /// Children (start and length in `Tree::kids`); start is [`NO_BLOCK`] without a block.
    block: (u32, u32),
}

impl Node {
    fn block(&self) -> Option<(u32, u32)> {
        (self.block.0 != NO_BLOCK).then_some(self.block)
    }
}

/// A syntax problem found while parsing one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub file: FileId,
    pub span: Range<usize>,
    pub message: String,
}

/// One parsed file.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub source: SourceFile,
    /// Where it was read from (`None` for stdin and docs examples).
    pub path: Option<PathBuf>,
    roots: (u32, u32),
    /// Byte ranges of `#` comments, in order (suppressions are read from them).
    pub comments: Vec<(u32, u32)>,
    /// The text was not valid UTF-8 and was decoded lossily.
    pub lossy: bool,
    /// The node ids parsed from this file (contiguous, since a file is parsed in one go).
    pub nodes: Range<u32>,
}

/// Every parsed file of one lint run and their directives.
#[derive(Debug, Default)]
pub struct Tree {
    pub files: Vec<ParsedFile>,
    nodes: Vec<Node>,
    args: Vec<Arg>,
    kids: Vec<NodeId>,
    /// The files each resolved `include` directive pulls in, in nginx's (sorted) order.
    pub includes: HashMap<NodeId, Vec<FileId>>,
    pub syntax_errors: Vec<SyntaxError>,
    /// The first node id of each file, in file order (ids are handed out file by file).
    file_starts: Vec<u32>,
    /// For every run of `1 << CHUNK_SHIFT` node ids, the file of its first id: `file_of` then
    /// starts next to the answer instead of searching (it runs for every argument read).
    chunk_files: Vec<u32>,
    /// Directive names, interned: a config has a few hundred distinct names.
    names: Vec<Box<str>>,
    symbols: HashMap<Box<str>, u32>,
}

/// A directive in a [`Tree`], with accessors that read from the file's text.
#[derive(Clone, Copy)]
pub struct Dir<'a> {
    pub tree: &'a Tree,
    pub id: NodeId,
}

impl std::fmt::Debug for Dir<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Dir({} {:?})", self.name(), self.args_text())
    }
}

fn range(r: (u32, u32)) -> Range<usize> {
    r.0 as usize..r.1 as usize
}

impl<'a> Dir<'a> {
    fn node(&self) -> Node {
        self.tree.nodes.get(self.id as usize).copied().unwrap_or(Node {
            sym: 0,
            name_start: 0,
            end: 0,
            args: (0, 0),
            block: (NO_BLOCK, 0),
        })
    }

    fn text(&self) -> &'a str {
        self.tree.files.get(self.file_id() as usize).map_or("", |f| &f.source.text)
    }

    pub fn file_id(&self) -> FileId {
        self.tree.file_of(self.id)
    }

    /// The file this directive is written in.
    pub fn source(&self) -> Option<&'a SourceFile> {
        self.tree.files.get(self.file_id() as usize).map(|f| &f.source)
    }

    /// The directive name as written.
    pub fn name(&self) -> &'a str {
        self.tree.names.get(self.node().sym as usize).map_or("", |n| n)
    }

    pub fn is(&self, name: &str) -> bool {
        self.name() == name
    }

    /// The span of the name.
    pub fn name_span(&self) -> Range<usize> {
        let start = self.node().name_start as usize;
        start..start + self.name().len()
    }

    /// The whole directive, from its name to its `;` or `}`.
    pub fn span(&self) -> Range<usize> {
        let n = self.node();
        n.name_start as usize..n.end as usize
    }

    /// From the name to the last argument (the header of a block directive).
    pub fn head_span(&self) -> Range<usize> {
        let name = self.name_span();
        let end = self.raw_args().last().map_or(name.end, |a| a.end as usize);
        name.start..end
    }

    pub fn raw_args(&self) -> &'a [Arg] {
        let (start, len) = self.node().args;
        self.tree.args.get(start as usize..(start + len) as usize).unwrap_or_default()
    }

    pub fn arg_count(&self) -> usize {
        self.raw_args().len()
    }

    /// The value of argument `i` (quotes removed, escapes resolved).
    pub fn arg(&self, i: usize) -> Option<Cow<'a, str>> {
        self.raw_args().get(i).map(|a| self.value(a))
    }

    /// The value of argument `i` lower-cased, for case-insensitive names such as header names.
    pub fn arg_lower(&self, i: usize) -> Option<String> {
        self.arg(i).map(|a| a.to_ascii_lowercase())
    }

    pub fn arg_span(&self, i: usize) -> Option<Range<usize>> {
        self.raw_args().get(i).map(|a| a.start() as usize..a.end as usize)
    }

    pub fn value(&self, arg: &Arg) -> Cow<'a, str> {
        let raw = self.text().get(arg.start() as usize..arg.end as usize).unwrap_or("");
        lexer::unescape(raw, arg.quoted())
    }

    pub fn args(&self) -> impl Iterator<Item = Cow<'a, str>> + 'a {
        let text = self.text();
        self.raw_args().iter().map(move |a| {
            let raw = text.get(a.start() as usize..a.end as usize).unwrap_or("");
            lexer::unescape(raw, a.quoted())
        })
    }

    /// All argument values joined by one space.
    pub fn args_text(&self) -> String {
        self.args().collect::<Vec<_>>().join(" ")
    }

    /// The ids of the directives in this block (empty without a block).
    pub fn child_ids(&self) -> &'a [NodeId] {
        self.node().block().map_or(&[][..], |(s, l)| self.tree.kids_slice(s, l))
    }

    pub fn has_block(&self) -> bool {
        self.node().block().is_some()
    }

    /// The directives written directly in this block (an `include` is one of them; the scoped
    /// view in [`view`] expands includes).
    pub fn children(&self) -> impl Iterator<Item = Dir<'a>> + 'a {
        let tree = self.tree;
        let ids = self.node().block().map_or(&[][..], |(s, l)| tree.kids_slice(s, l));
        ids.iter().map(move |&id| Dir { tree, id })
    }

    /// 1-based line of the directive's name.
    pub fn line(&self) -> usize {
        self.source().map_or(0, |s| s.line_col(self.node().name_start as usize).0)
    }
}

impl Tree {
    fn kids_slice(&self, start: u32, len: u32) -> &[NodeId] {
        self.kids.get(start as usize..(start + len) as usize).unwrap_or_default()
    }

    pub fn dir(&self, id: NodeId) -> Dir<'_> {
        Dir { tree: self, id }
    }

    /// The ids of a file's top-level directives.
    pub fn root_ids(&self, file: FileId) -> &[NodeId] {
        self.files.get(file as usize).map_or(&[][..], |f| self.kids_slice(f.roots.0, f.roots.1))
    }

    /// The top-level directives of a file.
    pub fn roots(&self, file: FileId) -> impl Iterator<Item = Dir<'_>> {
        let ids = self.files.get(file as usize).map_or(&[][..], |f| self.kids_slice(f.roots.0, f.roots.1));
        ids.iter().map(move |&id| Dir { tree: self, id })
    }

    /// Moves every file of `other` (parsed on another thread) into this tree and returns the
    /// id its first file gets. Ids inside `other` are shifted; names are re-interned.
    pub fn append(&mut self, other: Tree) -> FileId {
        let offset = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        let (file_off, node_off) = (offset(self.files.len()), offset(self.nodes.len()));
        let (arg_off, kid_off) = (offset(self.args.len()), offset(self.kids.len()));
        let syms: Vec<u32> = other.names.iter().map(|n| self.intern(n)).collect();
        // Exact growth: a doubling Vec would briefly hold twice the biggest arrays.
        self.nodes.reserve_exact(other.nodes.len());
        self.args.reserve_exact(other.args.len());
        self.kids.reserve_exact(other.kids.len());
        self.nodes.extend(other.nodes.into_iter().map(|mut n| {
            n.sym = syms.get(n.sym as usize).copied().unwrap_or(0);
            n.args.0 += arg_off;
            if n.block.0 != NO_BLOCK {
                n.block.0 += kid_off;
            }
            n
        }));
        self.args.extend(other.args);
        self.kids.extend(other.kids.into_iter().map(|k| k + node_off));
        self.file_starts.extend(other.file_starts.into_iter().map(|start| start + node_off));
        self.files.extend(other.files.into_iter().map(|mut f| {
            f.roots.0 += kid_off;
            f.nodes = f.nodes.start + node_off..f.nodes.end + node_off;
            f
        }));
        self.syntax_errors.extend(other.syntax_errors.into_iter().map(|mut e| {
            e.file += file_off;
            e
        }));
        file_off
    }

    /// Gives back the spare capacity of the big arenas once every file is parsed (a growing
    /// `Vec` can hold up to twice what it uses).
    /// Also builds the index behind [`Tree::file_of`]; call it once every file is in.
    pub fn shrink(&mut self) {
        self.nodes.shrink_to_fit();
        self.args.shrink_to_fit();
        self.kids.shrink_to_fit();
        let chunks = (self.nodes.len() >> CHUNK_SHIFT) + 1;
        self.chunk_files = (0..chunks)
            .map(|c| self.search_file_of(u32::try_from(c << CHUNK_SHIFT).unwrap_or(u32::MAX)))
            .collect();
    }

    /// The file a node belongs to.
    pub fn file_of(&self, id: NodeId) -> FileId {
        let Some(&near) = self.chunk_files.get((id >> CHUNK_SHIFT) as usize) else {
            return self.search_file_of(id);
        };
        let mut file = near as usize;
        while self.file_starts.get(file + 1).is_some_and(|&start| start <= id) {
            file += 1;
        }
        u32::try_from(file).unwrap_or(0)
    }

    fn search_file_of(&self, id: NodeId) -> FileId {
        let after = self.file_starts.partition_point(|&start| start <= id);
        u32::try_from(after.saturating_sub(1)).unwrap_or(0)
    }

    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&sym) = self.symbols.get(name) {
            return sym;
        }
        let sym = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(name.into());
        self.symbols.insert(name.into(), sym);
        sym
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Parses `source` and adds it to the tree; syntax errors go to `syntax_errors`.
    pub fn parse_file(&mut self, source: SourceFile, path: Option<PathBuf>, lossy: bool) -> FileId {
        let file = u32::try_from(self.files.len()).unwrap_or(u32::MAX);
        let text = source.text.clone();
        let first = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
        self.file_starts.push(first);
        self.files.push(ParsedFile {
            source,
            path,
            roots: (0, 0),
            comments: Vec::new(),
            lossy,
            nodes: first..first,
        });
        let (roots, comments) = Parser::new(self, file, &text).run();
        let last = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
        if let Some(f) = self.files.get_mut(file as usize) {
            f.roots = roots;
            f.comments = comments;
            f.nodes = first..last;
        }
        file
    }
}

/// An open block during parsing.
struct Frame {
    node: Option<NodeId>,
    open: u32,
    kids: Vec<NodeId>,
}

/// A directive whose name and arguments have been read but not its `;` or `{`.
struct Pending {
    name: (u32, u32),
    args_start: u32,
}

struct Parser<'t, 's> {
    tree: &'t mut Tree,
    file: FileId,
    text: &'s str,
    lexer: Lexer<'s>,
    stack: Vec<Frame>,
    pending: Option<Pending>,
    comments: Vec<(u32, u32)>,
}

impl<'t, 's> Parser<'t, 's> {
    fn new(tree: &'t mut Tree, file: FileId, text: &'s str) -> Self {
        let root = Frame { node: None, open: 0, kids: Vec::new() };
        Self {
            tree,
            file,
            text,
            lexer: Lexer::new(text),
            stack: vec![root],
            pending: None,
            comments: Vec::new(),
        }
    }

    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.tree.syntax_errors.push(SyntaxError { file: self.file, span, message: message.into() });
    }

    fn run(mut self) -> ((u32, u32), Vec<(u32, u32)>) {
        while let Some(token) = self.lexer.next_token() {
            match token {
                Token::Word { start, end, quote } => self.word(start, end, quote),
                Token::Semicolon(at) => self.semicolon(at),
                Token::Open(at) => self.open(at),
                Token::Close(at) => self.close(at),
                Token::Comment { start, end } => self.comments.push((start, end)),
            }
        }
        self.finish()
    }

    fn word(&mut self, start: u32, end: u32, quote: Option<u8>) {
        if self.pending.is_none() {
            let args_start = u32::try_from(self.tree.args.len()).unwrap_or(u32::MAX);
            // A quoted directive name (`"rewrite_by_lua_block" {`) is the text inside the quotes.
            let name = if quote.is_some() && end >= start + 2 { (start + 1, end - 1) } else { (start, end) };
            self.pending = Some(Pending { name, args_start });
        } else {
            self.tree.args.push(Arg::new(start, end, quote.is_some()));
        }
    }

    fn push_node(&mut self, pending: &Pending, end: u32, block: Option<(u32, u32)>) -> NodeId {
        let id = u32::try_from(self.tree.nodes.len()).unwrap_or(u32::MAX);
        let args_len = u32::try_from(self.tree.args.len()).unwrap_or(u32::MAX) - pending.args_start;
        let sym = self.tree.intern(self.text.get(range(pending.name)).unwrap_or(""));
        self.tree.nodes.push(Node {
            sym,
            name_start: pending.name.0,
            end,
            args: (pending.args_start, args_len),
            block: block.unwrap_or((NO_BLOCK, 0)),
        });
        if let Some(top) = self.stack.last_mut() {
            top.kids.push(id);
        }
        id
    }

    fn semicolon(&mut self, at: u32) {
        match self.pending.take() {
            Some(p) => {
                self.push_node(&p, at + 1, None);
            }
            None => self.error(at as usize..at as usize + 1, "unexpected `;`"),
        }
    }

    fn open(&mut self, at: u32) {
        let Some(p) = self.pending.take() else {
            self.error(at as usize..at as usize + 1, "unexpected `{` (a block needs a directive name)");
            self.stack.push(Frame { node: None, open: at, kids: Vec::new() });
            return;
        };
        let name = self.text.get(range(p.name)).unwrap_or("");
        if name.ends_with("_by_lua_block") {
            self.raw_block(&p, at);
        } else if self.stack.len() > MAX_DEPTH {
            self.error(range(p.name), format!("blocks nested deeper than {MAX_DEPTH} levels; skipped"));
            let end = self.lexer.skip_raw_block().map_or(self.text.len(), |e| e as usize + 1);
            self.push_node(&p, u32::try_from(end).unwrap_or(u32::MAX), None);
        } else {
            let id = self.push_node(&p, at + 1, Some((0, 0)));
            self.stack.push(Frame { node: Some(id), open: at, kids: Vec::new() });
        }
    }

    /// A Lua block is opaque code: skip to its matching brace and keep it as one directive.
    fn raw_block(&mut self, p: &Pending, at: u32) {
        let end = match self.lexer.skip_raw_block() {
            Some(close) => close + 1,
            None => {
                self.error(at as usize..at as usize + 1, "unexpected end of file, expecting `}`");
                u32::try_from(self.text.len()).unwrap_or(u32::MAX)
            }
        };
        self.push_node(p, end, None);
    }

    fn close(&mut self, at: u32) {
        if let Some(p) = self.pending.take() {
            self.error(range(p.name), "directive is missing its `;`");
            self.push_node(&p, at, None);
        }
        if self.stack.len() <= 1 {
            self.error(at as usize..at as usize + 1, "unexpected `}`");
            return;
        }
        self.close_frame(at + 1);
    }

    fn close_frame(&mut self, end: u32) {
        let Some(frame) = self.stack.pop() else { return };
        let start = u32::try_from(self.tree.kids.len()).unwrap_or(u32::MAX);
        let len = u32::try_from(frame.kids.len()).unwrap_or(u32::MAX);
        match frame.node.and_then(|id| self.tree.nodes.get_mut(id as usize)) {
            Some(node) => {
                self.tree.kids.extend(frame.kids);
                node.block = (start, len);
                node.end = end;
            }
            // An anonymous `{`: keep its contents in the enclosing block.
            None => {
                if let Some(parent) = self.stack.last_mut() {
                    parent.kids.extend(frame.kids);
                }
            }
        }
    }

    fn finish(mut self) -> ((u32, u32), Vec<(u32, u32)>) {
        let eof = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        for e in std::mem::take(&mut self.lexer.errors) {
            self.error(e.offset as usize..e.offset as usize + 1, e.message);
        }
        if let Some(p) = self.pending.take() {
            self.error(range(p.name), "unexpected end of file, expecting `;` or `}`");
            self.push_node(&p, eof, None);
        }
        while self.stack.len() > 1 {
            let open = self.stack.last().map_or(0, |f| f.open);
            self.error(open as usize..open as usize + 1, "unexpected end of file, expecting `}`");
            self.close_frame(eof);
        }
        let root = self.stack.pop().map(|f| f.kids).unwrap_or_default();
        let start = u32::try_from(self.tree.kids.len()).unwrap_or(u32::MAX);
        let len = u32::try_from(root.len()).unwrap_or(u32::MAX);
        self.tree.kids.extend(root);
        ((start, len), self.comments)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Tree {
        let mut tree = Tree::default();
        tree.parse_file(SourceFile::new("t.conf", text), None, false);
        tree
    }

    #[test]
    fn keeps_spans_of_names_arguments_and_blocks() {
        let text = "http {\n  server { listen 80; }\n}\n";
        let tree = parse(text);
        let http = tree.roots(0).next().unwrap();
        assert_eq!(http.name(), "http");
        assert_eq!(http.span(), 0..text.trim_end().len());
        let listen = http.children().next().unwrap().children().next().unwrap();
        assert_eq!(&text[listen.span()], "listen 80;");
        assert_eq!(&text[listen.arg_span(0).unwrap()], "80");
        assert!(tree.syntax_errors.is_empty());
    }

    #[test]
    fn lua_blocks_are_opaque() {
        let tree = parse("content_by_lua_block { local t = { a = '}' } ngx.say(t) }\nx y;");
        let names: Vec<_> = tree.roots(0).map(|d| d.name().to_string()).collect();
        assert_eq!(names, ["content_by_lua_block", "x"]);
        assert!(tree.syntax_errors.is_empty());
    }

    #[test]
    fn recovers_from_errors_and_reports_each() {
        let tree = parse("server { listen 80 }\n}\nhttp { a b;");
        let messages: Vec<_> = tree.syntax_errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            ["directive is missing its `;`", "unexpected `}`", "unexpected end of file, expecting `}`"]
        );
        assert_eq!(tree.roots(0).count(), 2);
    }

    #[test]
    fn appended_trees_keep_their_structure() {
        let mut a = parse("http { server { listen 1; } }");
        let b = parse("events { worker_connections 9; }\nx {");
        let first = a.append(b);
        assert_eq!(first, 1);
        let events = a.roots(1).next().unwrap();
        assert_eq!(events.name(), "events");
        let wc = events.children().next().unwrap();
        assert_eq!((wc.name(), wc.arg(0).unwrap().as_ref(), wc.file_id()), ("worker_connections", "9", 1));
        assert_eq!(a.syntax_errors.last().unwrap().file, 1);
        assert_eq!(a.roots(0).next().unwrap().children().next().unwrap().name(), "server");
    }

    #[test]
    fn file_of_agrees_with_and_without_the_index() {
        let mut tree = parse("a; b; c;");
        for text in ["", "d { e; }", "", &"f;".repeat(700)] {
            tree.parse_file(SourceFile::new("x.conf", text), None, false);
        }
        let slow: Vec<FileId> = (0..tree.node_count() as u32).map(|id| tree.file_of(id)).collect();
        tree.shrink();
        let fast: Vec<FileId> = (0..tree.node_count() as u32).map(|id| tree.file_of(id)).collect();
        assert_eq!(slow, fast);
        assert_eq!((slow[0], slow[3], slow[5]), (0, 2, 4));
    }

    #[test]
    fn deep_nesting_is_reported_not_a_stack_overflow() {
        let text = "a {".repeat(100_000);
        let tree = parse(&text);
        assert!(tree.syntax_errors.iter().any(|e| e.message.contains("nested deeper")));
    }
}

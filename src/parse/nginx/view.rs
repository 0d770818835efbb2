//! The scoped view rules work on: every block (`http`, `server`, `location`, `if`, `upstream`,
//! ...) with its context, its parent, and the directives written in it after `include`
//! expansion; plus an index of every directive by name, so a rule visits only the directives it
//! cares about. Building it is one walk over the tree, linear in the size of the config.
//!
//! A file included from several places is expanded at each place (as nginx does), but parsed once.

use super::{Dir, FileId, NodeId, Tree};
use std::collections::HashMap;
use std::ops::Range;

pub type BlockId = u32;

/// Include chains longer than this are cut (a guard; real configs nest a few levels).
const MAX_INCLUDE_DEPTH: usize = 64;

/// Blocks with more directives than this get a by-name index, so that looking a directive up
/// in `http` (which may hold 100 000 servers) stays cheap; smaller blocks are scanned.
const INDEX_THRESHOLD: usize = 32;

/// Where a directive is written, in nginx's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Main,
    Events,
    Http,
    Server,
    Location,
    /// `if` inside a `server` or a `location`.
    If,
    Upstream,
    /// `limit_except` inside a location.
    LimitExcept,
    /// `map`, `geo`, `types`, `split_clients`, `match`, `charset_map`: data, not directives.
    Data,
    /// `stream` and `mail` top-level modules and their servers.
    Stream,
    Mail,
    /// A block nginx does not define in that place (reported by the context rule).
    Unknown,
}

impl Context {
    pub fn name(self) -> &'static str {
        match self {
            Context::Main => "main",
            Context::Events => "events",
            Context::Http => "http",
            Context::Server => "server",
            Context::Location => "location",
            Context::If => "if",
            Context::Upstream => "upstream",
            Context::LimitExcept => "limit_except",
            Context::Data => "data block",
            Context::Stream => "stream",
            Context::Mail => "mail",
            Context::Unknown => "unknown block",
        }
    }
}

/// One block: a directive with `{ }`, or the top of a root file.
#[derive(Debug, Clone)]
pub struct Block {
    /// The block directive (`None` for the top of a root file).
    pub dir: Option<NodeId>,
    pub parent: Option<BlockId>,
    pub context: Context,
    /// The directives in the block, includes expanded, in order: a range of `Config::items`
    /// (one shared array instead of a small allocation per block).
    items: (u32, u32),
    /// The root file this block belongs to (for main-file checks).
    pub root_file: FileId,
}

/// An `include` that would include itself again.
#[derive(Debug, Clone)]
pub struct IncludeCycle {
    pub node: NodeId,
    pub file: FileId,
    pub span: Range<usize>,
    pub chain: Vec<FileId>,
}

/// The tree plus its scopes. Rules receive this as the nginx document.
pub struct Config {
    pub tree: Tree,
    pub blocks: Vec<Block>,
    /// Root blocks, one per linted root file.
    pub roots: Vec<BlockId>,
    by_name: HashMap<String, Vec<(NodeId, BlockId)>>,
    /// The items of every block, back to back (see `Block::items`).
    items: Vec<NodeId>,
    /// Directives by name for large blocks (see [`INDEX_THRESHOLD`]).
    block_index: HashMap<BlockId, HashMap<String, Vec<NodeId>>>,
    pub cycles: Vec<IncludeCycle>,
}

impl Config {
    /// Builds the view for the given root files of `tree`.
    pub fn build(tree: Tree, root_files: &[FileId]) -> Config {
        let mut builder = Builder {
            tree: &tree,
            blocks: Vec::new(),
            items: Vec::new(),
            by_name: HashMap::new(),
            cycles: Vec::new(),
        };
        let mut roots = Vec::new();
        for &file in root_files {
            let context = infer_root_context(&tree, file);
            let root = builder.new_block(None, None, context, file);
            roots.push(root);
            let ids: Vec<NodeId> = tree.roots(file).map(|d| d.id).collect();
            let mut stack = vec![file];
            builder.fill(root, &ids, &mut stack);
        }
        let Builder { blocks, items, by_name, cycles, .. } = builder;
        let by_name: HashMap<String, Vec<(NodeId, BlockId)>> = by_name
            .into_iter()
            .map(|(k, mut v)| {
                v.shrink_to_fit();
                (k.to_string(), v)
            })
            .collect();
        let block_index = index_large_blocks(&tree, &blocks, &items);
        Config { tree, blocks, roots, by_name, items, block_index, cycles }
    }

    pub fn block(&self, id: BlockId) -> Option<&Block> {
        self.blocks.get(id as usize)
    }

    pub fn dir(&self, id: NodeId) -> Dir<'_> {
        self.tree.dir(id)
    }

    /// The block directive of a block, if it has one.
    pub fn block_dir(&self, id: BlockId) -> Option<Dir<'_>> {
        self.block(id)?.dir.map(|n| self.tree.dir(n))
    }

    /// Every occurrence of a directive, with the block it is written in.
    pub fn occurrences(&self, name: &str) -> impl Iterator<Item = (Dir<'_>, BlockId)> {
        self.by_name.get(name).map_or(&[][..], Vec::as_slice).iter().map(|&(id, b)| (self.tree.dir(id), b))
    }

    /// The directives written directly in a block (includes expanded).
    pub fn items(&self, block: BlockId) -> impl Iterator<Item = Dir<'_>> {
        self.item_ids(block).iter().map(|&id| self.tree.dir(id))
    }

    fn item_ids(&self, block: BlockId) -> &[NodeId] {
        let Some((start, len)) = self.block(block).map(|b| b.items) else { return &[] };
        self.items.get(start as usize..(start as usize + len as usize)).unwrap_or_default()
    }

    /// The directives named `name` written directly in a block.
    pub fn find<'a>(&'a self, block: BlockId, name: &'a str) -> Box<dyn Iterator<Item = Dir<'a>> + 'a> {
        match self.block_index.get(&block) {
            Some(index) => {
                let ids = index.get(name).map_or(&[][..], Vec::as_slice);
                Box::new(ids.iter().map(move |&id| self.tree.dir(id)))
            }
            None => Box::new(self.items(block).filter(move |d| d.is(name))),
        }
    }

    /// The last `name` directive in a block, if any.
    pub fn last(&self, block: BlockId, name: &str) -> Option<Dir<'_>> {
        match self.block_index.get(&block) {
            Some(index) => index.get(name).and_then(|ids| ids.last()).map(|&id| self.tree.dir(id)),
            None => self.items(block).filter(|d| d.is(name)).last(),
        }
    }

    /// The block and its ancestors, innermost first.
    pub fn ancestry(&self, block: BlockId) -> impl Iterator<Item = BlockId> + '_ {
        std::iter::successors(Some(block), move |&b| self.block(b).and_then(|x| x.parent))
    }

    /// The value in effect for a single-value directive: the innermost block that sets it.
    pub fn effective(&self, block: BlockId, name: &str) -> Option<Dir<'_>> {
        self.ancestry(block).find_map(|b| self.last(b, name))
    }

    /// Like [`Config::effective`], with the block the value is written in.
    pub fn effective_in(&self, block: BlockId, name: &str) -> Option<(Dir<'_>, BlockId)> {
        self.ancestry(block).find_map(|b| self.last(b, name).map(|d| (d, b)))
    }

    /// For array directives (`proxy_set_header`, `add_header`): the innermost block that has any,
    /// since nginx inherits them all-or-nothing. Returns that block.
    pub fn effective_array_block(&self, block: BlockId, name: &str) -> Option<BlockId> {
        self.ancestry(block).find(|&b| self.last(b, name).is_some())
    }

    /// Every block of a context, in document order.
    pub fn blocks_of(&self, context: Context) -> impl Iterator<Item = BlockId> + '_ {
        self.blocks.iter().enumerate().filter(move |(_, b)| b.context == context).map(|(i, _)| i as BlockId)
    }

    /// The nearest enclosing block of a context (the block itself included).
    pub fn enclosing(&self, block: BlockId, context: Context) -> Option<BlockId> {
        self.ancestry(block).find(|&b| self.block(b).is_some_and(|x| x.context == context))
    }
}

/// Builds the scopes borrowing the tree, so directive names are indexed without copies.
struct Builder<'t> {
    tree: &'t Tree,
    blocks: Vec<Block>,
    /// Items of finished blocks, back to back. A block's items are collected in a short-lived
    /// vector while its children are expanded, then moved here, so no per-block vector lives
    /// past its block.
    items: Vec<NodeId>,
    by_name: HashMap<&'t str, Vec<(NodeId, BlockId)>>,
    cycles: Vec<IncludeCycle>,
}

impl<'t> Builder<'t> {
    fn new_block(
        &mut self,
        dir: Option<NodeId>,
        parent: Option<BlockId>,
        context: Context,
        root_file: FileId,
    ) -> BlockId {
        let id = u32::try_from(self.blocks.len()).unwrap_or(u32::MAX);
        self.blocks.push(Block { dir, parent, context, items: (0, 0), root_file });
        id
    }

    /// Expands `ids` into `block` and records its items.
    fn fill(&mut self, block: BlockId, ids: &[NodeId], includes: &mut Vec<FileId>) {
        let mut items = Vec::new();
        self.expand(block, ids, includes, &mut items);
        let start = u32::try_from(self.items.len()).unwrap_or(u32::MAX);
        let len = u32::try_from(items.len()).unwrap_or(u32::MAX);
        self.items.extend(items);
        if let Some(b) = self.blocks.get_mut(block as usize) {
            b.items = (start, len);
        }
    }

    fn expand(
        &mut self,
        block: BlockId,
        ids: &[NodeId],
        includes: &mut Vec<FileId>,
        items: &mut Vec<NodeId>,
    ) {
        let tree = self.tree;
        let (context, root_file) =
            self.blocks.get(block as usize).map_or((Context::Main, 0), |b| (b.context, b.root_file));
        for &id in ids {
            let dir = tree.dir(id);
            if dir.is("include") && !dir.has_block() {
                self.expand_include(block, id, includes, items);
                continue;
            }
            let name = dir.name();
            items.push(id);
            match self.by_name.get_mut(name) {
                Some(list) => list.push((id, block)),
                None => {
                    self.by_name.insert(name, vec![(id, block)]);
                }
            }
            if dir.has_block() {
                let child_context = child_context(context, name);
                let child = self.new_block(Some(id), Some(block), child_context, root_file);
                let children = if child_context == Context::Data { &[][..] } else { dir.child_ids() };
                self.fill(child, children, includes);
            }
        }
    }

    fn expand_include(
        &mut self,
        block: BlockId,
        id: NodeId,
        includes: &mut Vec<FileId>,
        items: &mut Vec<NodeId>,
    ) {
        let tree = self.tree;
        let Some(targets) = tree.includes.get(&id) else { return };
        for &target in targets {
            if includes.contains(&target) || includes.len() >= MAX_INCLUDE_DEPTH {
                let dir = tree.dir(id);
                self.cycles.push(IncludeCycle {
                    node: id,
                    file: dir.file_id(),
                    span: dir.span(),
                    chain: includes.clone(),
                });
                continue;
            }
            includes.push(target);
            self.expand(block, tree.root_ids(target), includes, items);
            includes.pop();
        }
    }
}

fn index_large_blocks(
    tree: &Tree,
    blocks: &[Block],
    items: &[NodeId],
) -> HashMap<BlockId, HashMap<String, Vec<NodeId>>> {
    let mut out = HashMap::new();
    for (i, block) in blocks.iter().enumerate().filter(|(_, b)| b.items.1 as usize > INDEX_THRESHOLD) {
        let ids =
            items.get(block.items.0 as usize..(block.items.0 + block.items.1) as usize).unwrap_or_default();
        let mut index: HashMap<&str, Vec<NodeId>> = HashMap::new();
        for &id in ids {
            index.entry(tree.dir(id).name()).or_default().push(id);
        }
        out.insert(i as BlockId, index.into_iter().map(|(k, v)| (k.to_string(), v)).collect());
    }
    out
}

/// The context a block directive opens, given the context it is written in.
pub fn child_context(parent: Context, name: &str) -> Context {
    match (parent, name) {
        (_, "map" | "geo" | "types" | "split_clients" | "match" | "charset_map") => Context::Data,
        (Context::Main, "events") => Context::Events,
        (Context::Main, "http") => Context::Http,
        (Context::Main, "stream") => Context::Stream,
        (Context::Main, "mail") => Context::Mail,
        (Context::Stream, _) | (Context::Mail, _) => parent,
        (Context::Http, "server") => Context::Server,
        (Context::Http, "upstream") => Context::Upstream,
        (Context::Server | Context::Location, "location") => Context::Location,
        (Context::Server | Context::Location, "if") => Context::If,
        (Context::Location, "limit_except") => Context::LimitExcept,
        _ => Context::Unknown,
    }
}

/// Directives that only make sense at the top of nginx.conf.
const MAIN_MARKERS: &[&str] = &[
    "http",
    "events",
    "worker_processes",
    "user",
    "pid",
    "stream",
    "mail",
    "load_module",
    "worker_rlimit_nofile",
];
/// Directives written directly in `http` (so a file holding them is an `http`-level include).
const HTTP_MARKERS: &[&str] =
    &["server", "upstream", "map", "geo", "log_format", "proxy_cache_path", "limit_req_zone"];
/// Directives written directly in `server`.
const SERVER_MARKERS: &[&str] = &["location", "listen", "server_name"];

/// `server` blocks that proxy directly, without locations, are `stream {}` (TCP/UDP) servers.
fn stream_servers(tree: &Tree, file: FileId) -> bool {
    let servers: Vec<Dir<'_>> = tree.roots(file).filter(|d| d.is("server") && d.has_block()).collect();
    !servers.is_empty()
        && servers
            .iter()
            .all(|s| s.children().any(|c| c.is("proxy_pass")) && !s.children().any(|c| c.is("location")))
}

/// Guesses the context a standalone file is meant for (`conf.d/x.conf` is included into `http`,
/// a snippet with `location` into `server`), so linting a fragment does not misreport contexts.
pub fn infer_root_context(tree: &Tree, file: FileId) -> Context {
    let names: Vec<&str> = tree.roots(file).map(|d| d.name()).collect();
    let any = |set: &[&str]| names.iter().any(|n| set.contains(n));
    if any(MAIN_MARKERS) || names.is_empty() {
        Context::Main
    } else if stream_servers(tree, file) {
        Context::Stream
    } else if any(HTTP_MARKERS) {
        Context::Http
    } else if any(SERVER_MARKERS) {
        Context::Server
    } else {
        // A snippet (`ssl_params.conf`, `proxy_params`): the outermost context that allows every
        // directive in it, so a shared TLS snippet is not read as a location.
        let fits = |c: Context| {
            names.iter().all(|n| super::context::lookup(n).is_none_or(|s| s.contexts.contains(&c)))
        };
        [Context::Http, Context::Server, Context::Location]
            .into_iter()
            .find(|&c| fits(c))
            .unwrap_or(Context::Location)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceFile;

    fn config(text: &str) -> Config {
        let mut tree = Tree::default();
        tree.parse_file(SourceFile::new("t.conf", text), None, false);
        Config::build(tree, &[0])
    }

    #[test]
    fn blocks_get_contexts_and_effective_values_inherit() {
        let c = config("http { proxy_read_timeout 5s; server { location /a { if ($x) { return 1; } } } }");
        let contexts: Vec<_> = c.blocks.iter().map(|b| b.context).collect();
        assert_eq!(contexts, [Context::Main, Context::Http, Context::Server, Context::Location, Context::If]);
        let timeout = c.effective(3, "proxy_read_timeout").unwrap();
        assert_eq!(timeout.arg(0).unwrap(), "5s");
    }

    #[test]
    fn data_blocks_are_not_directives() {
        let c = config("http { map $a $b { default proxy_pass; } }");
        assert_eq!(c.occurrences("proxy_pass").count(), 0);
        assert_eq!(c.occurrences("default").count(), 0);
    }

    #[test]
    fn fragments_get_a_guessed_context() {
        let c = config("location / { proxy_pass http://a; }");
        assert_eq!(c.blocks[0].context, Context::Server);
        assert_eq!(c.blocks[1].context, Context::Location);
        assert_eq!(
            config("ssl_protocols TLSv1.3;\nproxy_set_header Host $host;").blocks[0].context,
            Context::Http
        );
        assert_eq!(
            config("proxy_pass http://a;\nproxy_set_header Host $host;").blocks[0].context,
            Context::Location
        );
    }
}

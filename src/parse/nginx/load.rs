//! Reading nginx files and following their `include`s the way nginx does: relative paths against
//! the prefix (by default the folder of the file being linted), globs expanded in sorted order,
//! every file read and parsed once however often it is included. `nginx -T` dumps are split back
//! into their files at the `# configuration file PATH:` markers, and includes then resolve against
//! those files first.

use super::{FileId, NodeId, Tree};
use crate::diagnostics::SourceFile;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Files larger than this are not read (a config this size is an accident, not a config).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// An include that could not be followed.
#[derive(Debug, Clone)]
pub struct IncludeProblem {
    pub file: FileId,
    pub span: Range<usize>,
    pub message: String,
}

/// Builds a [`Tree`] from files on disk, stdin text or `nginx -T` dumps.
#[derive(Default)]
pub struct Loader {
    pub tree: Tree,
    by_path: HashMap<PathBuf, FileId>,
    /// Files known from a dump, by the path the dump gives.
    dumped: HashMap<PathBuf, String>,
    /// The folder relative includes resolve against, per file (inherited from the includer).
    base: HashMap<FileId, PathBuf>,
    /// The prefix given on the command line, overriding the linted file's folder.
    pub prefix: Option<PathBuf>,
    pub include_problems: Vec<IncludeProblem>,
    /// Files some other file includes (they are linted through their includer).
    pub included: HashSet<FileId>,
    next_unresolved: usize,
}

/// Decodes bytes as UTF-8, replacing invalid sequences; the flag says whether any were replaced.
pub fn decode(bytes: Vec<u8>) -> (String, bool) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, false),
        Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
    }
}

fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut buf = Vec::new();
    std::fs::File::open(path)?.take(MAX_FILE_BYTES).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Splits an `nginx -T` dump into `(path, text)` pairs; `None` when the text is not a dump.
pub fn split_dump(text: &str) -> Option<Vec<(PathBuf, String)>> {
    const MARKER: &str = "# configuration file ";
    if !text.starts_with(MARKER) && !text.contains(&format!("\n{MARKER}")) {
        return None;
    }
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if let Some(path) = trimmed.strip_prefix(MARKER).and_then(|p| p.strip_suffix(':')) {
            files.push((PathBuf::from(path), String::new()));
        } else if let Some((_, body)) = files.last_mut() {
            body.push_str(line);
        }
    }
    if files.is_empty() { None } else { Some(files) }
}

impl Loader {
    pub fn new(prefix: Option<PathBuf>) -> Self {
        Self { prefix, ..Self::default() }
    }

    /// Reads and parses a file from disk (once), or returns the id it already has.
    pub fn add_path(&mut self, path: &Path) -> std::io::Result<FileId> {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(&id) = self.by_path.get(&key) {
            return Ok(id);
        }
        let (text, lossy) = decode(read(path)?);
        let name = path.display().to_string();
        let base = self.prefix.clone().unwrap_or_else(|| parent_dir(path));
        Ok(self.add_text_with(name, text, Some(key), lossy, base))
    }

    /// Parses text that has no file (stdin, a docs example); a dump is split into its files.
    pub fn add_text(&mut self, name: &str, text: String, lossy: bool) -> FileId {
        let base = self.prefix.clone().unwrap_or_else(|| parent_dir(Path::new(name)));
        self.add_text_with(name.to_string(), text, None, lossy, base)
    }

    fn add_text_with(
        &mut self,
        name: String,
        text: String,
        key: Option<PathBuf>,
        lossy: bool,
        base: PathBuf,
    ) -> FileId {
        if let Some(parts) = split_dump(&text) {
            return self.add_dump(parts, lossy);
        }
        let id = self.tree.parse_file(SourceFile::new(name, text), key.clone(), lossy);
        if let Some(key) = key {
            self.by_path.insert(key, id);
        }
        self.base.insert(id, base);
        id
    }

    /// The first file of a dump is its main file; the rest are parsed when included.
    fn add_dump(&mut self, parts: Vec<(PathBuf, String)>, lossy: bool) -> FileId {
        let mut parts = parts.into_iter();
        let Some((main_path, main_text)) = parts.next() else { return 0 };
        self.dumped.extend(parts);
        let base = self.prefix.clone().unwrap_or_else(|| parent_dir(&main_path));
        let id = self.tree.parse_file(
            SourceFile::new(main_path.display().to_string(), main_text),
            Some(main_path.clone()),
            lossy,
        );
        self.by_path.insert(main_path, id);
        self.base.insert(id, base);
        id
    }

    /// Follows every `include` of every file parsed so far, parsing what they name.
    pub fn resolve_includes(&mut self) {
        while self.next_unresolved < self.tree.files.len() {
            let file = u32::try_from(self.next_unresolved).unwrap_or(u32::MAX);
            self.next_unresolved += 1;
            let nodes = self.tree.files.get(file as usize).map_or(0..0, |f| f.nodes.clone());
            let includes: Vec<NodeId> = nodes
                .filter(|&id| {
                    let d = self.tree.dir(id);
                    d.is("include") && !d.has_block()
                })
                .collect();
            for id in includes {
                self.resolve_one(file, id);
            }
        }
    }

    fn resolve_one(&mut self, file: FileId, id: NodeId) {
        let dir = self.tree.dir(id);
        let (Some(pattern), Some(span)) = (dir.arg(0).map(|a| a.into_owned()), dir.arg_span(0)) else {
            return;
        };
        let base = self.base.get(&file).cloned().unwrap_or_default();
        let paths = self.expand(&pattern, &base);
        if paths.is_empty() {
            if !is_glob(&pattern) {
                self.include_problems.push(IncludeProblem {
                    file,
                    span,
                    message: format!("included file `{pattern}` not found (looked in {})", base.display()),
                });
            }
            return;
        }
        self.prefetch(&paths);
        let mut targets = Vec::new();
        for path in paths {
            match self.open_included(&path, &base) {
                Ok(target) => {
                    self.included.insert(target);
                    targets.push(target);
                }
                Err(e) => self.include_problems.push(IncludeProblem {
                    file,
                    span: span.clone(),
                    message: format!("cannot read included file {}: {e}", path.display()),
                }),
            }
        }
        self.tree.includes.insert(id, targets);
    }

    /// Reads and parses the new files of a glob on two threads (the big cost of a large tree);
    /// files that fail to read are left for [`Loader::open_included`] to report.
    fn prefetch(&mut self, paths: &[PathBuf]) {
        let fresh: Vec<(PathBuf, PathBuf)> = paths
            .iter()
            .filter(|p| !self.dumped.contains_key(*p))
            .filter_map(|p| {
                let key = std::fs::canonicalize(p).ok()?;
                (!self.by_path.contains_key(&key)).then(|| (p.clone(), key))
            })
            .collect();
        if fresh.len() < 8 {
            return;
        }
        let parse_all = |part: &[(PathBuf, PathBuf)]| {
            let mut tree = Tree::default();
            for (path, key) in part {
                if let Ok(bytes) = read(path) {
                    let (text, lossy) = decode(bytes);
                    tree.parse_file(
                        SourceFile::new(path.display().to_string(), text),
                        Some(key.clone()),
                        lossy,
                    );
                }
            }
            tree
        };
        let (first, second) = fresh.split_at(fresh.len() / 2);
        let (a, b) = std::thread::scope(|scope| {
            let other = scope.spawn(|| parse_all(second));
            let mine = parse_all(first);
            (mine, other.join().unwrap_or_default())
        });
        for part in [a, b] {
            let offset = self.tree.append(part);
            for id in offset..u32::try_from(self.tree.files.len()).unwrap_or(u32::MAX) {
                if let Some(key) = self.tree.files.get(id as usize).and_then(|f| f.path.clone()) {
                    self.by_path.insert(key, id);
                }
            }
        }
    }

    fn open_included(&mut self, path: &Path, base: &Path) -> std::io::Result<FileId> {
        if let Some(text) = self.dumped.remove(path) {
            let id = self.tree.parse_file(
                SourceFile::new(path.display().to_string(), text),
                Some(path.to_path_buf()),
                false,
            );
            self.by_path.insert(path.to_path_buf(), id);
            self.base.insert(id, base.to_path_buf());
            return Ok(id);
        }
        if let Some(&id) = self.by_path.get(path) {
            return Ok(id);
        }
        let id = self.add_path(path)?;
        self.base.insert(id, base.to_path_buf());
        Ok(id)
    }

    /// The files a pattern names: dumped files first, then the filesystem, sorted like glob(3).
    fn expand(&self, pattern: &str, base: &Path) -> Vec<PathBuf> {
        let full = base.join(pattern);
        if !is_glob(pattern) {
            let known = self.dumped.contains_key(&full) || self.by_path.contains_key(&full);
            return if known || full.is_file() { vec![full] } else { Vec::new() };
        }
        let Ok(glob) = globset::GlobBuilder::new(&full.to_string_lossy()).literal_separator(true).build()
        else {
            return Vec::new();
        };
        let matcher = glob.compile_matcher();
        let mut found: Vec<PathBuf> = self.dumped.keys().filter(|p| matcher.is_match(p)).cloned().collect();
        let root = glob_root(&full);
        let depth = full.components().count().saturating_sub(root.components().count());
        for entry in walkdir::WalkDir::new(&root).max_depth(depth).into_iter().flatten() {
            if entry.file_type().is_file() && matcher.is_match(entry.path()) {
                found.push(entry.path().to_path_buf());
            }
        }
        found.sort();
        found.dedup();
        found
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

/// The longest leading part of a path without glob characters.
fn glob_root(path: &Path) -> PathBuf {
    let mut root = PathBuf::new();
    for part in path.components() {
        if is_glob(&part.as_os_str().to_string_lossy()) {
            break;
        }
        root.push(part);
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_resolve_relative_to_the_main_file_with_globs_in_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sites")).unwrap();
        std::fs::write(dir.path().join("nginx.conf"), "http { include sites/*.conf; include missing.conf; }")
            .unwrap();
        std::fs::write(dir.path().join("sites/b.conf"), "server { listen 2; }").unwrap();
        std::fs::write(dir.path().join("sites/a.conf"), "server { listen 1; }").unwrap();
        let mut loader = Loader::new(None);
        loader.add_path(&dir.path().join("nginx.conf")).unwrap();
        loader.resolve_includes();
        assert_eq!(loader.tree.files.len(), 3);
        assert!(loader.tree.files[1].source.name.ends_with("a.conf"));
        assert_eq!(loader.include_problems.len(), 1);
        assert!(loader.include_problems[0].message.contains("missing.conf"));
    }

    #[test]
    fn dumps_are_split_at_their_markers() {
        let dump = "# configuration file /etc/nginx/nginx.conf:\nhttp { include /etc/nginx/x.conf; }\n\n# configuration file /etc/nginx/x.conf:\nserver { }\n";
        let mut loader = Loader::new(None);
        loader.add_text("dump.txt", dump.to_string(), false);
        loader.resolve_includes();
        assert_eq!(loader.tree.files.len(), 2);
        assert!(loader.include_problems.is_empty());
        assert_eq!(loader.tree.files[1].source.name, "/etc/nginx/x.conf");
    }

    #[test]
    fn non_utf8_is_decoded_lossily() {
        let (text, lossy) = decode(b"a \xff;".to_vec());
        assert!(lossy);
        assert!(text.starts_with("a "));
    }
}

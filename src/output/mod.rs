//! Writing generated files: atomic writes, a manifest of what `gen` owns (to find stale files),
//! change plans for `gen --check` and `diff`, and a guard that nothing lands outside the output
//! folder.

use crate::diagnostics::Problem;
use crate::render::{RenderedFile, Target};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The file in the output folder listing what `gen` wrote, one `target<TAB>path` per line.
pub const MANIFEST: &str = ".sseconf-manifest";

/// Writes `contents` to `path` atomically: a temp file in the same directory renamed into place,
/// so readers see the old file or the new one, never a mix. There is no fsync per file: it
/// multiplied gen's time by four for a guarantee (durability across power loss) that a
/// regenerable file does not need.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.sseconf-{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(contents)?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// What gen would do to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Create,
    Update,
    Unchanged,
    /// Written by an earlier gen for a target the spec no longer enables.
    Stale,
}

#[derive(Debug, Clone)]
pub struct Change {
    pub kind: ChangeKind,
    pub target: Target,
    pub path: String,
    /// What is on disk now (None when missing).
    pub old: Option<String>,
    /// What gen writes (None for stale files).
    pub new: Option<String>,
}

impl Change {
    pub fn is_drift(&self) -> bool {
        self.kind != ChangeKind::Unchanged
    }
}

fn io_problem(what: String, e: &std::io::Error) -> Problem {
    Problem::error("io", format!("{what}: {e}")).with_help("check the output folder and its permissions")
}

/// Rejects relative paths that could leave the output folder.
fn checked_relative(path: &str) -> Result<PathBuf, Problem> {
    let rel = PathBuf::from(path);
    let normal = rel.components().all(|c| matches!(c, Component::Normal(_)));
    if normal && !path.is_empty() {
        Ok(rel)
    } else {
        Err(Problem::error("output::path", format!("refusing to write `{path}` outside the output folder"))
            .with_help("output paths must be relative and must not contain `..`"))
    }
}

/// Reads the manifest (target → paths) of a previous gen, if any.
pub fn read_manifest(dir: &Path) -> BTreeMap<String, Target> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(t, p)| Target::from_name(t).map(|t| (p.to_string(), t)))
        .collect()
}

/// Compares the rendered files with the output folder. `selected` is the set of targets that were
/// rendered (all when empty); only their old files can be stale.
pub fn plan(dir: &Path, files: &[RenderedFile], selected: &[Target]) -> Result<Vec<Change>, Problem> {
    let mut changes = Vec::new();
    for file in files {
        let rel = checked_relative(&file.path)?;
        let old = match std::fs::read(dir.join(&rel)) {
            Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io_problem(format!("cannot read {}", dir.join(&rel).display()), &e)),
        };
        let kind = match &old {
            None => ChangeKind::Create,
            Some(text) if *text == file.contents => ChangeKind::Unchanged,
            Some(_) => ChangeKind::Update,
        };
        changes.push(Change {
            kind,
            target: file.target,
            path: file.path.clone(),
            old,
            new: Some(file.contents.clone()),
        });
    }
    for (path, target) in read_manifest(dir) {
        let rendered = files.iter().any(|f| f.path == path);
        let in_scope = selected.is_empty() || selected.contains(&target);
        if rendered || !in_scope {
            continue;
        }
        let Ok(rel) = checked_relative(&path) else { continue };
        if let Ok(bytes) = std::fs::read(dir.join(&rel)) {
            let old = Some(String::from_utf8_lossy(&bytes).into_owned());
            changes.push(Change { kind: ChangeKind::Stale, target, path, old, new: None });
        }
    }
    Ok(changes)
}

/// Writes every created or updated file, removes stale ones, and records the manifest.
pub fn apply(dir: &Path, changes: &[Change]) -> Result<(), Problem> {
    std::fs::create_dir_all(dir).map_err(|e| io_problem(format!("cannot create {}", dir.display()), &e))?;
    let root = dir.canonicalize().map_err(|e| io_problem(format!("cannot resolve {}", dir.display()), &e))?;
    for change in changes {
        let path = root.join(checked_relative(&change.path)?);
        match (change.kind, &change.new) {
            (ChangeKind::Create | ChangeKind::Update, Some(contents)) => {
                let parent = path.parent().unwrap_or(&root);
                std::fs::create_dir_all(parent)
                    .map_err(|e| io_problem(format!("cannot create {}", parent.display()), &e))?;
                ensure_inside(&root, parent)?;
                write_atomic(&path, contents.as_bytes())
                    .map_err(|e| io_problem(format!("cannot write {}", path.display()), &e))?;
            }
            (ChangeKind::Stale, _) => {
                ensure_inside(&root, path.parent().unwrap_or(&root))?;
                std::fs::remove_file(&path)
                    .map_err(|e| io_problem(format!("cannot remove {}", path.display()), &e))?;
            }
            _ => {}
        }
    }
    write_manifest(&root, changes)
}

/// A symlinked folder inside the output folder must not redirect writes elsewhere.
fn ensure_inside(root: &Path, dir: &Path) -> Result<(), Problem> {
    let real = dir.canonicalize().map_err(|e| io_problem(format!("cannot resolve {}", dir.display()), &e))?;
    if real.starts_with(root) {
        Ok(())
    } else {
        Err(Problem::error(
            "output::path",
            format!("{} leads outside the output folder (a symlink?)", dir.display()),
        )
        .with_help("remove the symlink or choose another output folder"))
    }
}

fn write_manifest(root: &Path, changes: &[Change]) -> Result<(), Problem> {
    let mut entries: BTreeMap<String, Target> = read_manifest(root);
    for change in changes {
        match change.kind {
            ChangeKind::Stale => {
                entries.remove(&change.path);
            }
            _ => {
                entries.insert(change.path.clone(), change.target);
            }
        }
    }
    let mut text = String::from("# Files written by `sseconf gen`; used to find stale files. Do not edit.\n");
    for (path, target) in &entries {
        text.push_str(&format!("{}\t{path}\n", target.name()));
    }
    let path = root.join(MANIFEST);
    write_atomic(&path, text.as_bytes())
        .map_err(|e| io_problem(format!("cannot write {}", path.display()), &e))
}

/// A unified diff of every drifting file (`a/` is on disk, `b/` is what gen writes).
pub fn unified_diff(changes: &[Change], color: bool) -> String {
    let mut out = String::new();
    for change in changes.iter().filter(|c| c.is_drift()) {
        let old = change.old.as_deref().unwrap_or("");
        let new = change.new.as_deref().unwrap_or("");
        let a = if change.old.is_some() { format!("a/{}", change.path) } else { "/dev/null".to_string() };
        let b = if change.new.is_some() { format!("b/{}", change.path) } else { "/dev/null".to_string() };
        let diff = similar::TextDiff::from_lines(old, new);
        let text = diff.unified_diff().context_radius(3).header(&a, &b).to_string();
        if change.kind == ChangeKind::Stale {
            out.push_str(&format!(
                "# {} is stale: written by an earlier gen, no longer generated\n",
                change.path
            ));
        }
        for line in text.split_inclusive('\n') {
            out.push_str(&colorize(line, color));
        }
        if !text.ends_with('\n') && !text.is_empty() {
            out.push('\n');
        }
    }
    out
}

fn colorize(line: &str, color: bool) -> String {
    if !color {
        return line.to_string();
    }
    let code = if line.starts_with("+++") || line.starts_with("---") {
        "1"
    } else if line.starts_with('+') {
        "32"
    } else if line.starts_with('-') {
        "31"
    } else if line.starts_with("@@") {
        "36"
    } else {
        return line.to_string();
    };
    let (body, nl) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
    format!("\x1b[{code}m{body}\x1b[0m{nl}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> RenderedFile {
        RenderedFile { target: Target::Nginx, path: path.into(), contents: contents.into() }
    }

    #[test]
    fn write_atomic_replaces_contents_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.conf");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn plan_finds_created_updated_unchanged_and_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let first = plan(dir.path(), &[file("nginx/a.conf", "1"), file("nginx/b.conf", "2")], &[]).unwrap();
        assert!(first.iter().all(|c| c.kind == ChangeKind::Create));
        apply(dir.path(), &first).unwrap();
        let second = plan(dir.path(), &[file("nginx/a.conf", "1")], &[]).unwrap();
        let kinds: Vec<_> = second.iter().map(|c| (c.path.as_str(), c.kind)).collect();
        assert_eq!(kinds, vec![("nginx/a.conf", ChangeKind::Unchanged), ("nginx/b.conf", ChangeKind::Stale)]);
        apply(dir.path(), &second).unwrap();
        assert!(!dir.path().join("nginx/b.conf").exists());
    }

    #[test]
    fn paths_that_escape_the_folder_are_refused() {
        assert!(checked_relative("../etc/passwd").is_err());
        assert!(checked_relative("/etc/passwd").is_err());
        assert!(checked_relative("nginx/nginx.conf").is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_subfolder_cannot_redirect_writes() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("nginx")).unwrap();
        let changes = plan(dir.path(), &[file("nginx/nginx.conf", "x")], &[]).unwrap();
        assert!(apply(dir.path(), &changes).is_err());
        assert!(!outside.path().join("nginx.conf").exists());
    }
}

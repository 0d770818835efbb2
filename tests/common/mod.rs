//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Finds an external program the test needs (nginx, haproxy, promtool, ...).
///
/// Plain `cargo test` skips a test whose tool is missing and prints why; under
/// `SSECONF_REQUIRE_TOOLS=1` (what `.ci/run` sets) a missing tool fails the test instead.
/// Usage: `let Some(nginx) = common::tool("nginx") else { return };`
pub fn tool(name: &str) -> Option<PathBuf> {
    let found = which(name);
    if found.is_none() {
        assert!(
            std::env::var_os("SSECONF_REQUIRE_TOOLS").is_none_or(|v| v.is_empty() || v == "0"),
            "required tool `{name}` is not installed (SSECONF_REQUIRE_TOOLS is set); run `bash .ci/run` to install it"
        );
        eprintln!("SKIPPED: `{name}` is not installed; set SSECONF_REQUIRE_TOOLS=1 to make this a failure");
    }
    found
}

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let mut dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    for extra in ["/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/local/bin"] {
        dirs.push(PathBuf::from(extra));
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the project (the corpus, the seed, the reference schemas). In a git
/// worktree or a CI clone it sits next to the checkout; SSECONF_SHARED overrides.
pub fn shared() -> PathBuf {
    if let Some(dir) = std::env::var_os("SSECONF_SHARED") {
        return PathBuf::from(dir);
    }
    let beside = root().join("../shared");
    if beside.is_dir() { beside } else { PathBuf::from("/work/shared") }
}

/// The `sseconf` binary built for this test run.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_sseconf"))
}

/// Reads a file under the project root.
pub fn read(rel: impl AsRef<Path>) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap()
}

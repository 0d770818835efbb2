//! Rendering examples for gen tests, and running engines against the result.
#![allow(dead_code)]

use super::common;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Which engine versions the rendered files target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versions {
    /// As the example says (current stable releases).
    AsWritten,
    /// The Debian 12 packages the tests run: nginx 1.22, HAProxy 2.6, Prometheus 2.42.
    Debian,
}

/// The example's text with its `versions:` section replaced for the Debian engines.
pub fn example_text(example: &str, versions: Versions) -> String {
    let text = common::read(example);
    if versions == Versions::AsWritten {
        return text;
    }
    let without = match text.find("\nversions:") {
        Some(start) => {
            let rest = &text[start + 1..];
            let end = rest.find("\n\n").map_or(text.len(), |e| start + 1 + e + 1);
            format!("{}{}", &text[..start + 1], &text[end.min(text.len())..])
        }
        None => text,
    };
    format!(
        "{without}\nversions:\n  nginx: \"1.22\"\n  haproxy: \"2.6\"\n  prometheus: \"2.42\"\n  kubernetes: \"1.33\"\n  spring_cloud_gateway: \"4.3\"\n"
    )
}

/// Runs `sseconf gen` on an example into a fresh temporary folder.
pub fn gen_example(example: &str, versions: Versions) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(out.path().join("examples")).unwrap();
    std::fs::write(out.path().join(example), example_text(example, versions)).unwrap();
    // The header names the spec as given: run from the temporary folder with the example's own
    // relative name, so every run writes the same bytes.
    let status = Command::new(common::bin())
        .args(["gen", "-q", "-o", "deploy", example])
        .current_dir(out.path())
        .output()
        .unwrap();
    assert!(status.status.success(), "gen failed: {}", String::from_utf8_lossy(&status.stderr));
    let deploy = out.path().join("deploy");
    let final_dir = tempfile::tempdir().unwrap();
    copy_tree(&deploy, final_dir.path());
    final_dir
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir`, by `/`-separated relative path.
pub fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// A throwaway self-signed certificate and key (PEM) in `dir`: `tls.crt`, `tls.key`, and
/// `site.pem` (both, for HAProxy).
pub fn throwaway_cert(dir: &Path) -> Option<PathBuf> {
    let openssl = common::tool("openssl")?;
    std::fs::create_dir_all(dir).unwrap();
    let status = Command::new(openssl)
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
        ])
        .arg(dir.join("tls.key"))
        .arg("-out")
        .arg(dir.join("tls.crt"))
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let pem = std::fs::read_to_string(dir.join("tls.crt")).unwrap()
        + &std::fs::read_to_string(dir.join("tls.key")).unwrap();
    std::fs::write(dir.join("site.pem"), pem).unwrap();
    Some(dir.to_path_buf())
}

/// Runs `script` with `sh -c` in a private mount namespace, after bind-mounting each
/// `(source, target)` pair (targets are created when missing). Lets engines see /etc/hosts
/// entries and certificate paths of the generated configs without touching the machine.
pub fn in_mount_namespace(mounts: &[(PathBuf, PathBuf)], script: &str, envs: &[(&str, &str)]) -> Output {
    let mut setup = String::from("set -e\n");
    for (source, target) in mounts {
        let is_file = source.is_file();
        let t = target.display();
        if is_file {
            setup.push_str(&format!("[ -e '{t}' ] || {{ mkdir -p \"$(dirname '{t}')\"; touch '{t}'; }}\n"));
        } else {
            setup.push_str(&format!("mkdir -p '{t}'\n"));
        }
        setup.push_str(&format!("mount --bind '{}' '{t}'\n", source.display()));
    }
    setup.push_str("set +e\n");
    setup.push_str(script);
    let mut cmd = Command::new("unshare");
    cmd.args(["--mount", "sh", "-c", &setup]);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// An /etc/hosts that maps `names` to 127.0.0.1, written into `dir`.
pub fn hosts_file(dir: &Path, names: &[&str]) -> PathBuf {
    let mut text = std::fs::read_to_string("/etc/hosts").unwrap_or_default();
    for name in names {
        text.push_str(&format!("127.0.0.1 {name}\n"));
    }
    let path = dir.join("hosts");
    std::fs::write(&path, text).unwrap();
    path
}

//! nginx and HAProxy accept what gen writes (nginx -t, haproxy -c), for the Debian engine
//! versions and, where the syntax is the same, for current ones.

use super::common;
use super::support::{self, Versions};

/// Host names the examples' upstreams use, mapped to loopback for the engines' DNS lookups.
const HOSTS: &[&str] = &["streaming-app", "chat"];

#[test]
fn nginx_accepts_the_generated_config_of_every_example() {
    let Some(_) = common::tool("nginx") else { return };
    for example in ["examples/streaming.yaml", "examples/minimal.yaml"] {
        let out = support::gen_example(example, Versions::Debian);
        let work = tempfile::tempdir().unwrap();
        let etc = work.path().join("etc-nginx");
        support::throwaway_cert(&etc.join("tls")).unwrap();
        std::fs::copy("/etc/nginx/mime.types", etc.join("mime.types")).unwrap();
        let hosts = support::hosts_file(work.path(), HOSTS);
        let conf = out.path().join("nginx/nginx.conf");
        let script = format!("nginx -t -p '{}' -c '{}'", work.path().display(), conf.display());
        let result = support::in_mount_namespace(
            &[(hosts, "/etc/hosts".into()), (etc, "/etc/nginx".into())],
            &script,
            &[],
        );
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(result.status.success(), "nginx -t rejected {example}:\n{stderr}");
        assert!(!stderr.contains("[warn]"), "nginx -t warned on {example}:\n{stderr}");
    }
}

#[test]
fn haproxy_accepts_the_generated_config_without_warnings() {
    let Some(_) = common::tool("haproxy") else { return };
    for versions in [Versions::Debian, Versions::AsWritten] {
        let out = support::gen_example("examples/streaming.yaml", versions);
        let work = tempfile::tempdir().unwrap();
        let tls = support::throwaway_cert(&work.path().join("tls")).unwrap();
        let hosts = support::hosts_file(work.path(), HOSTS);
        let conf = out.path().join("haproxy/haproxy.cfg");
        let result = support::in_mount_namespace(
            &[(hosts, "/etc/hosts".into()), (tls, "/usr/local/etc/haproxy/tls".into())],
            &format!("haproxy -c -f '{}'", conf.display()),
            &[("HAPROXY_STATS_PASSWORD", "test-only")],
        );
        let out_text =
            format!("{}{}", String::from_utf8_lossy(&result.stdout), String::from_utf8_lossy(&result.stderr));
        assert!(result.status.success(), "haproxy -c rejected ({versions:?}):\n{out_text}");
        assert!(!out_text.contains("[WARNING]"), "haproxy -c warned ({versions:?}):\n{out_text}");
    }
}

#[test]
fn nginx_output_follows_the_target_version() {
    let current = support::gen_example("examples/streaming.yaml", Versions::AsWritten);
    let old = support::gen_example("examples/streaming.yaml", Versions::Debian);
    let current = std::fs::read_to_string(current.path().join("nginx/nginx.conf")).unwrap();
    let old = std::fs::read_to_string(old.path().join("nginx/nginx.conf")).unwrap();
    assert!(current.contains("http2 on;") && !current.contains("ssl http2;"));
    assert!(old.contains("listen 443 ssl http2;") && !old.contains("http2 on;"));
}

//! nginx: one `nginx.conf` with an unbuffered location per stream.

use super::Output;
use crate::spec::Spec;
use crate::spec::model::TlsProfile;
use crate::spec::types::Version;
use serde_json::json;

pub fn outputs(spec: &Spec) -> Vec<Output> {
    if spec.nginx.is_none() {
        return Vec::new();
    }
    vec![Output::new("nginx/nginx.conf", "nginx/nginx.conf.j2")]
}

/// Mozilla's intermediate cipher list (TLS 1.2; TLS 1.3 suites are not configurable here).
pub const INTERMEDIATE_CIPHERS: &str = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";

pub fn context(spec: &Spec) -> serde_json::Value {
    let Some(nginx) = &spec.nginx else { return serde_json::Value::Null };
    let version = spec.versions.nginx;
    let modern = nginx.tls.as_ref().is_some_and(|t| t.profile == TlsProfile::Modern);
    let cors = nginx.cors.as_ref().map(|c| {
        json!({
            "origins": c.origins.iter().filter(|o| o.as_str() != "*").map(|o| o.as_str()).collect::<Vec<_>>(),
            "any_origin": c.origins.iter().any(|o| o.as_str() == "*"),
            "methods": c.methods.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", "),
            "headers": c.headers.iter().map(|h| h.as_str()).collect::<Vec<_>>().join(", "),
            "credentials": c.credentials,
            "max_age_s": c.max_age.as_secs_ceil(),
        })
    });
    // `listen 127.0.0.1:80;`, `listen [::1]:80;`, or every interface.
    let listen_prefix = match &nginx.listen.address {
        Some(a) if a.as_str().contains(':') => format!("[{a}]:"),
        Some(a) => format!("{a}:"),
        None => String::new(),
    };
    json!({
        "listen_prefix": listen_prefix,
        // `http2 on;` replaced `listen ... http2` in 1.25.1.
        "http2_directive": version.at_least(Version::new(1, 25, 1)),
        // From 1.29.7 upstream keepalive and HTTP/1.1 are defaults; we still say them explicitly,
        // which is harmless and keeps one config valid for every version.
        "protocols": if modern { "TLSv1.3" } else { "TLSv1.2 TLSv1.3" },
        "ciphers": if modern { None } else { Some(INTERMEDIATE_CIPHERS) },
        "cors": cors,
        "worker_rlimit_nofile": u64::from(nginx.worker_connections) * 2,
        "client_max_body_size": nginx.client_max_body_size.lower().trim_end_matches('b').to_string(),
        "fail_timeout_s": spec.backends.fail_timeout.as_secs_ceil(),
        "keepalive_timeout_s": spec.backends.keepalive.idle_timeout.as_secs_ceil(),
    })
}

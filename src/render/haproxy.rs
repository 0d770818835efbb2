//! HAProxy: `haproxy.cfg` with a backend per stream, so each gets its own server and tunnel
//! timeouts.

use super::Output;
use crate::spec::Spec;
use crate::spec::model::TlsProfile;
use crate::spec::types::Version;
use serde_json::json;

pub fn outputs(spec: &Spec) -> Vec<Output> {
    if spec.haproxy.is_none() {
        return Vec::new();
    }
    vec![Output::new("haproxy/haproxy.cfg", "haproxy/haproxy.cfg.j2")]
}

/// Mozilla's TLS 1.3 suites, offered in both profiles.
const TLS13_SUITES: &str = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

pub fn context(spec: &Spec) -> serde_json::Value {
    let Some(h) = &spec.haproxy else { return serde_json::Value::Null };
    let version = spec.versions.haproxy;
    let modern = h.tls.as_ref().is_some_and(|t| t.profile == TlsProfile::Modern);
    let cors = h.cors.as_ref().map(|c| {
        json!({
            "origins": c.origins.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(" "),
            "any_origin": c.origins.iter().any(|o| o.as_str() == "*"),
            "methods": c.methods.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", "),
            "headers": c.headers.iter().map(|h| h.as_str()).collect::<Vec<_>>().join(", "),
            "credentials": c.credentials,
            "max_age_s": c.max_age.as_secs_ceil(),
        })
    });
    let replicas = spec.service.replicas.max(1);
    json!({
        "min_tls": if modern { "TLSv1.3" } else { "TLSv1.2" },
        "ciphers": if modern { None } else { Some(super::nginx::INTERMEDIATE_CIPHERS) },
        "suites": TLS13_SUITES,
        // `balance hash <expr>` (cookies) exists from 2.6; `http-check send` from 2.2, and the
        // old inline-header form of `option httpchk` is refused from 2.7.
        "balance_hash": version.at_least(Version::new(2, 6, 0)),
        "cors": cors,
        "replicas": replicas,
        "fail_timeout_s": spec.backends.fail_timeout.as_secs_ceil(),
        "queue_timeout_s": h.queue_timeout.as_secs_ceil(),
        "keepalive_timeout_s": spec.backends.keepalive.idle_timeout.as_secs_ceil(),
    })
}

//! Where core nginx directives may appear and how many arguments they take, from the
//! `Context:` and `Syntax:` lines of the nginx reference docs. Only directives whose misuse is
//! common or fatal are listed; unknown directives (third-party modules) are never flagged.

use super::view::Context;

/// Allowed argument counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    Exactly(usize),
    Between(usize, usize),
    AtLeast(usize),
    /// `on` or `off`.
    Flag,
}

impl Arity {
    /// Whether `count` arguments (the first being `first`) fit.
    pub fn accepts(self, count: usize, first: Option<&str>) -> bool {
        match self {
            Arity::Exactly(n) => count == n,
            Arity::Between(a, b) => (a..=b).contains(&count),
            Arity::AtLeast(n) => count >= n,
            Arity::Flag => count == 1 && matches!(first, Some("on" | "off")),
        }
    }

    pub fn describe(self) -> String {
        match self {
            Arity::Exactly(0) => "no arguments".into(),
            Arity::Exactly(1) => "one argument".into(),
            Arity::Exactly(n) => format!("{n} arguments"),
            Arity::Between(a, b) => format!("{a} to {b} arguments"),
            Arity::AtLeast(n) => format!("at least {n} argument(s)"),
            Arity::Flag => "`on` or `off`".into(),
        }
    }
}

/// One directive's contexts and arity.
#[derive(Debug)]
pub struct DirectiveSpec {
    pub name: &'static str,
    pub contexts: &'static [Context],
    pub arity: Arity,
}

use Arity::{AtLeast, Between, Exactly, Flag};
use Context::{
    Events as E, Http as H, If as I, LimitExcept as X, Location as L, Main as M, Server as S, Upstream as U,
};

macro_rules! specs {
    ($($name:literal [$($c:ident),*] $arity:expr;)*) => {
        &[$(DirectiveSpec { name: $name, contexts: &[$($c),*], arity: $arity }),*]
    };
}

static SPECS: &[DirectiveSpec] = specs! {
    "worker_processes" [M] Exactly(1);
    "worker_rlimit_nofile" [M] Exactly(1);
    "worker_cpu_affinity" [M] AtLeast(1);
    "user" [M] Between(1, 2);
    "pid" [M] Exactly(1);
    "daemon" [M] Flag;
    "master_process" [M] Flag;
    "load_module" [M] Exactly(1);
    "events" [M] Exactly(0);
    "http" [M] Exactly(0);
    "worker_connections" [E] Exactly(1);
    "use" [E] Exactly(1);
    "multi_accept" [E] Flag;
    "accept_mutex" [E] Flag;
    "upstream" [H] Exactly(1);
    "map" [H] Exactly(2);
    "log_format" [H] AtLeast(2);
    "proxy_cache_path" [H] AtLeast(2);
    "limit_req_zone" [H] AtLeast(3);
    "limit_conn_zone" [H] Exactly(2);
    "location" [S, L] Between(1, 2);
    "listen" [S] AtLeast(1);
    "server_name" [S] AtLeast(1);
    "if" [S, L] AtLeast(1);
    "limit_except" [L] AtLeast(1);
    "keepalive" [U] Exactly(1);
    "ip_hash" [U] Exactly(0);
    "least_conn" [U] Exactly(0);
    "hash" [U] Between(1, 2);
    "keepalive_requests" [H, S, L, U] Exactly(1);
    "keepalive_timeout" [H, S, L, U] Between(1, 2);
    "proxy_pass" [L, I, X] Exactly(1);
    "fastcgi_pass" [L, I] Exactly(1);
    "uwsgi_pass" [L, I] Exactly(1);
    "grpc_pass" [L] Exactly(1);
    "proxy_buffering" [H, S, L] Flag;
    "proxy_request_buffering" [H, S, L] Flag;
    "proxy_http_version" [H, S, L] Exactly(1);
    "proxy_set_header" [H, S, L] Exactly(2);
    "proxy_read_timeout" [H, S, L] Exactly(1);
    "proxy_send_timeout" [H, S, L] Exactly(1);
    "proxy_connect_timeout" [H, S, L] Exactly(1);
    "proxy_cache" [H, S, L] Exactly(1);
    "proxy_ignore_headers" [H, S, L] AtLeast(1);
    "add_header" [H, S, L, I] Between(2, 3);
    "gzip" [H, S, L, I] Flag;
    "gzip_types" [H, S, L] AtLeast(1);
    "return" [S, L, I] Between(1, 2);
    "rewrite" [S, L, I] Between(2, 3);
    "set" [S, L, I] Exactly(2);
    "root" [H, S, L, I] Exactly(1);
    "alias" [L] Exactly(1);
    "try_files" [S, L] AtLeast(2);
    "limit_rate" [H, S, L, I] Exactly(1);
    "client_max_body_size" [H, S, L] Exactly(1);
    "ssl_certificate" [H, S] Exactly(1);
    "ssl_certificate_key" [H, S] Exactly(1);
    "ssl_protocols" [H, S] AtLeast(1);
    "server_tokens" [H, S, L] Exactly(1);
    "stub_status" [S, L] Between(0, 1);
    "allow" [H, S, L, X] Exactly(1);
    "deny" [H, S, L, X] Exactly(1);
    "internal" [L] Exactly(0);
    "http2" [H, S] Flag;
    "sendfile" [H, S, L, I] Flag;
    "tcp_nodelay" [H, S, L] Flag;
    "chunked_transfer_encoding" [H, S, L] Flag;
    "default_type" [H, S, L] Exactly(1);
    "index" [H, S, L] AtLeast(1);
    "send_timeout" [H, S, L] Exactly(1);
    "client_header_timeout" [H, S] Exactly(1);
    "client_body_timeout" [H, S, L] Exactly(1);
    "ssi" [H, S, L, I] Flag;
    "valid_referers" [S, L] AtLeast(1);
};

/// The spec of a core directive, if it is one this table knows.
pub fn lookup(name: &str) -> Option<&'static DirectiveSpec> {
    SPECS.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_no_duplicates_and_knows_core_directives() {
        let mut names: Vec<_> = SPECS.iter().map(|s| s.name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len());
        assert_eq!(lookup("worker_connections").unwrap().contexts, &[Context::Events]);
        assert!(Arity::Flag.accepts(1, Some("off")));
        assert!(!Arity::Flag.accepts(1, Some("no")));
        assert!(!Arity::Flag.accepts(2, Some("on")));
    }
}

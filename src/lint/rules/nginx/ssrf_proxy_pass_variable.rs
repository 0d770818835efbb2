//! NGX026: a proxy target host taken from the request (gixy `ssrf`).

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::{NginxDoc, PASS_DIRECTIVES};
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;
use crate::parse::nginx::view::Context;

declare_rule! {
    /// ## What it does
    /// Flags a `proxy_pass` (or other `*_pass`) whose host comes from the request: a header,
    /// argument or cookie variable, `$host`/`$http_host`, or a regex capture (`$1`), in a
    /// location that is not `internal`.
    ///
    /// ## Why is this bad?
    /// A client who controls the host part makes nginx connect wherever it likes: internal
    /// services, cloud metadata endpoints, the admin port of the streaming backend
    /// (server-side request forgery).
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location ~ ^/proxy/(.+)$ {
    ///     proxy_pass http://$1;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location ~ ^/proxy/(.+)$ {
    ///     proxy_pass http://backend/$1;
    /// }
    /// ```
    pub struct SsrfProxyPassVariable {
        id: "NGX026",
        name: "ssrf-proxy-pass-variable",
        kind: Some(FileKind::Nginx),
        severity: Severity::Error,
        category: Category::Security,
        fix: "Proxy to a fixed upstream, or map the request value through an allow-list (`map`) before using it as a host.",
    }
}

// `$uri` and `$request_uri` start with `/`, so they can only extend the path, never the host.
const REQUEST_VARS: &[&str] = &["$http_", "$arg_", "$cookie_", "$host"];

/// The host part of a pass target (`http://$1/x` → `$1`).
fn host_part(target: &str) -> &str {
    let rest = target.split_once("://").map_or(target, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

fn user_controlled(host: &str) -> bool {
    let host = host.replace(['{', '}'], "");
    REQUEST_VARS.iter().any(|v| host.contains(v))
        || host.match_indices('$').any(|(i, _)| host.as_bytes().get(i + 1).is_some_and(u8::is_ascii_digit))
}

impl Rule<NginxDoc> for SsrfProxyPassVariable {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for name in PASS_DIRECTIVES {
            for (pass, block) in doc.config.occurrences(name) {
                let target = pass.arg(0).unwrap_or_default();
                if !user_controlled(host_part(&target)) {
                    continue;
                }
                let internal = doc
                    .config
                    .enclosing(block, Context::Location)
                    .is_some_and(|l| doc.config.find(l, "internal").next().is_some());
                if !internal {
                    let msg = format!("the host of `{name} {target}` comes from the request");
                    doc.report(cx, self, pass, pass.span(), msg);
                }
            }
        }
    }
}

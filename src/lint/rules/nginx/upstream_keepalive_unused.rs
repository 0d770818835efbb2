//! NGX021: an upstream keepalive pool nobody can use.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::{NginxDoc, is_header};
use crate::lint::version::Version;
use crate::lint::{Category, LintContext, Rule, add_label};
use crate::parse::kind::FileKind;

/// nginx 1.29.7 speaks HTTP/1.1 upstream and stops sending `Connection: close` by default.
const KEEPALIVE_DEFAULTS: Version = Version::new(1, 29, 7);

declare_rule! {
    /// ## What it does
    /// Flags a location proxying to an `upstream` with `keepalive` while it lacks
    /// `proxy_http_version 1.1` or a cleared `Connection` header (on nginx older than 1.29.7),
    /// or sets `proxy_http_version 1.0` / `Connection: close` explicitly (any version, info).
    ///
    /// ## Why is this bad?
    /// The pool is never used: every request and every stream opens a new TCP (and maybe TLS)
    /// connection to the backend, which costs latency on every LLM call.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// upstream app { server 10.0.0.1:8080; keepalive 32; }
    /// server {
    ///     location / { proxy_pass http://app; proxy_http_version 1.0; }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// upstream app { server 10.0.0.1:8080; keepalive 32; }
    /// server {
    ///     location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
    /// }
    /// ```
    pub struct UpstreamKeepaliveUnused {
        id: "NGX021",
        name: "upstream-keepalive-unused",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Performance,
        fix: "Add `proxy_http_version 1.1;` and `proxy_set_header Connection \"\";` (or the `$connection_upgrade` map in mixed locations).",
    }
}

impl Rule<NginxDoc> for UpstreamKeepaliveUnused {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        let new_defaults = cx.settings.nginx_version.at_least(KEEPALIVE_DEFAULTS);
        for loc in doc.locations() {
            if doc.stream(loc).is_some_and(|s| s.websocket) {
                continue;
            }
            let Some(pass) = doc.pass(loc).filter(|p| p.is("proxy_pass")) else { continue };
            let Some(upstream) = doc.upstream_of(loc, pass) else { continue };
            let Some(keepalive) = doc.config.find(upstream, "keepalive").next() else { continue };
            let version = doc
                .config
                .effective(loc, "proxy_http_version")
                .and_then(|d| d.arg(0))
                .map(|v| v.into_owned());
            let headers = doc.config.effective_array_block(loc, "proxy_set_header");
            let connection = headers
                .and_then(|b| {
                    doc.config.find(b, "proxy_set_header").filter(|d| is_header(*d, "connection")).last()
                })
                .and_then(|d| d.arg(1).map(|v| v.into_owned()));
            let explicit_bad = version.as_deref() == Some("1.0")
                || connection.as_deref().is_some_and(|c| c.eq_ignore_ascii_case("close"));
            let missing = version.as_deref() != Some("1.1") || connection.is_none();
            let severity = if explicit_bad && new_defaults {
                Severity::Info
            } else if explicit_bad || (missing && !new_defaults) {
                Severity::Warning
            } else {
                continue;
            };
            let msg = format!(
                "upstream `{}` keeps connections alive, but this location {}",
                pass.arg(0).unwrap_or_default(),
                if version.as_deref() == Some("1.1") {
                    "does not clear `Connection`"
                } else {
                    "speaks HTTP/1.0 to it"
                }
            );
            if let Some(p) = doc.report(cx, self, pass, pass.span(), msg) {
                p.severity = severity;
                add_label(p, keepalive.source(), keepalive.span(), "pool declared here");
            }
        }
    }
}

//! NGX028: `Host` forwarded from the raw request header (gixy `host_spoofing`).

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::{NginxDoc, is_header};
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `proxy_set_header Host $http_host`.
    ///
    /// ## Why is this bad?
    /// `$http_host` is whatever the client sent, even a host this server does not serve, so
    /// the backend builds password-reset links, redirects and cache keys from an attacker's
    /// value. `$host` is the matched server name or a validated request host.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location / {
    ///     proxy_pass http://app;
    ///     proxy_set_header Host $http_host;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location / {
    ///     proxy_pass http://app;
    ///     proxy_set_header Host $host;
    /// }
    /// ```
    pub struct HostSpoofing {
        id: "NGX028",
        name: "host-spoofing",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Security,
        fix: "Use `proxy_set_header Host $host;`.",
    }
}

impl Rule<NginxDoc> for HostSpoofing {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (line, _) in doc.config.occurrences("proxy_set_header") {
            if is_header(line, "host") && line.arg(1).is_some_and(|v| v == "$http_host") {
                doc.report(
                    cx,
                    self,
                    line,
                    line.span(),
                    "`Host` is forwarded from the client's raw `Host` header",
                );
            }
        }
    }
}

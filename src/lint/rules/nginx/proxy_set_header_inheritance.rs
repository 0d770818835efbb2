//! NGX011: upstream request headers lost because a block sets its own.

use super::add_header_inheritance::check_array;
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a block that declares `proxy_set_header` while an enclosing block declares other
    /// request headers it does not repeat.
    ///
    /// ## Why is this bad?
    /// `proxy_set_header` is inherited all-or-nothing. Adding one header in the streaming
    /// location silently drops the server-level `Host` and `X-Forwarded-*` headers, so the
    /// backend builds wrong URLs or logs the proxy's address.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// proxy_set_header Host $host;
    /// location /events {
    ///     proxy_set_header Connection "";
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// proxy_set_header Host $host;
    /// location /events {
    ///     proxy_set_header Host $host;
    ///     proxy_set_header Connection "";
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    /// }
    /// ```
    pub struct ProxySetHeaderInheritance {
        id: "NGX011",
        name: "proxy-set-header-inheritance",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Repeat the enclosing block's `proxy_set_header` lines here, or keep them all in one file you `include` in every block.",
    }
}

impl Rule<NginxDoc> for ProxySetHeaderInheritance {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        check_array(self, doc, cx, "proxy_set_header");
    }
}

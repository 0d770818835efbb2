//! NGX033: nginx version disclosure (gixy-ng `version_disclosure`).

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;
use crate::parse::nginx::view::Context;

declare_rule! {
    /// ## What it does
    /// Flags `server_tokens on` (or `build`), and a main config whose `http` block never sets
    /// `server_tokens off` (info: nginx's default shows the version).
    ///
    /// ## Why is this bad?
    /// The exact version in every `Server` header and error page tells scanners which nginx
    /// advisories apply to this proxy.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// server {
    ///     server_tokens on;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// server {
    ///     server_tokens off;
    /// }
    /// ```
    pub struct ServerTokensExposed {
        id: "NGX033",
        name: "server-tokens-exposed",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Security,
        fix: "Set `server_tokens off;` in `http`.",
    }
}

impl Rule<NginxDoc> for ServerTokensExposed {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (d, _) in doc.config.occurrences("server_tokens") {
            if d.arg(0).is_some_and(|v| v == "on" || v == "build") {
                doc.report(
                    cx,
                    self,
                    d,
                    d.span(),
                    format!("`server_tokens {}` shows the nginx version to clients", d.args_text()),
                );
            }
        }
        for http in doc.config.blocks_of(Context::Http) {
            let main = doc
                .config
                .block(http)
                .and_then(|b| b.parent)
                .and_then(|p| doc.config.block(p))
                .is_some_and(|p| p.parent.is_none());
            if main
                && doc.config.find(http, "server_tokens").next().is_none()
                && let Some(head) = doc.head(http)
                && let Some(p) = doc.report(
                    cx,
                    self,
                    head,
                    head.head_span(),
                    "`server_tokens` is not turned off, so responses show the nginx version",
                )
            {
                p.severity = Severity::Info;
            }
        }
    }
}

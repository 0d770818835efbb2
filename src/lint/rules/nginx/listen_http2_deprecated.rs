//! NGX018: `listen ... http2` on nginx ≥ 1.25.1.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::version::Version;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

const DEPRECATED_IN: Version = Version::new(1, 25, 1);

declare_rule! {
    /// ## What it does
    /// Flags the `http2` parameter of `listen` when the target nginx is 1.25.1 or newer
    /// (`--nginx-version`).
    ///
    /// ## Why is this bad?
    /// nginx 1.25.1 added the `http2` directive and deprecated the `listen` parameter; it logs
    /// a warning on every reload, and the parameter is going away.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// server {
    ///     listen 443 ssl http2;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// server {
    ///     listen 443 ssl;
    ///     http2 on;
    /// }
    /// ```
    pub struct ListenHttp2Deprecated {
        id: "NGX018",
        name: "listen-http2-deprecated",
        kind: Some(FileKind::Nginx),
        severity: Severity::Info,
        category: Category::Deprecation,
        fix: "Drop `http2` from `listen` and add `http2 on;` to the server.",
    }
}

impl Rule<NginxDoc> for ListenHttp2Deprecated {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        if !cx.settings.nginx_version.at_least(DEPRECATED_IN) {
            return;
        }
        for (listen, _) in doc.config.occurrences("listen") {
            if let Some(i) = listen.args().position(|a| a == "http2") {
                let span = listen.arg_span(i).unwrap_or_else(|| listen.span());
                let msg = format!(
                    "`listen ... http2` is deprecated since nginx 1.25.1 (target {})",
                    cx.settings.nginx_version
                );
                doc.report(cx, self, listen, span, msg);
            }
        }
    }
}

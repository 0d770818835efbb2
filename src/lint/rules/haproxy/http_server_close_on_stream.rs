//! HAP016: `option http-server-close` on a streaming backend.

use super::stream_sections;
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::HaproxyDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `option http-server-close` in a backend that streams.
    ///
    /// ## Why is this bad?
    /// It closes the server-side connection after each response, so every new stream pays a TCP
    /// (and TLS) handshake to the backend; it buys nothing for WebSockets, which HAProxy tunnels
    /// anyway. `http-keep-alive` is the default for a reason.
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// backend stream_backend
    ///     option http-server-close
    ///     server app1 10.0.0.1:8080
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// backend stream_backend
    ///     server app1 10.0.0.1:8080
    /// ```
    pub struct HttpServerCloseOnStream {
        id: "HAP016",
        name: "http-server-close-on-stream",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Info,
        category: Category::Performance,
        fix: "Remove `option http-server-close` (keep-alive is the default).",
    }
}

impl Rule<HaproxyDoc> for HttpServerCloseOnStream {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        let config = &doc.parsed;
        for (index, stream) in stream_sections(config, cx.settings) {
            let Some(section) = config.sections.get(index) else { continue };
            if let Some(line) = section.last(&["option", "http-server-close"]) {
                let message = format!(
                    "`option http-server-close` closes the backend connection after every stream (streams because {})",
                    stream.reason
                );
                doc.report(cx, self, line.span.clone(), message);
            }
        }
    }
}

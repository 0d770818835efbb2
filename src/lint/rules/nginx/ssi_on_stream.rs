//! NGX016: SSI processing an event stream.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags an event-stream location where `ssi on` is in effect and `ssi_types` includes
    /// `text/event-stream` or `*` (SSI only processes `text/html` by default).
    ///
    /// ## Why is this bad?
    /// The SSI filter parses the body looking for commands and holds bytes that might start
    /// one, so events are delayed; SSI on proxied streams is also a known trigger of nginx
    /// memory-disclosure advisories.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// ssi on;
    /// ssi_types *;
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// ssi on;
    /// ssi_types *;
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    ///     ssi off;
    /// }
    /// ```
    pub struct SsiOnStream {
        id: "NGX016",
        name: "ssi-on-stream",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Set `ssi off;` in the streaming location.",
    }
}

impl Rule<NginxDoc> for SsiOnStream {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (block, stream) in doc.stream_locations().filter(|(_, s)| !s.websocket) {
            let Some(ssi) = doc.config.effective(block, "ssi").filter(|d| d.arg(0).as_deref() == Some("on"))
            else {
                continue;
            };
            let types = doc.config.effective(block, "ssi_types");
            if !types
                .is_some_and(|t| t.args().any(|a| a == "*" || a.eq_ignore_ascii_case("text/event-stream")))
            {
                continue;
            }
            let msg = "SSI parses this event stream and delays its events".to_string();
            doc.report_on_stream(cx, self, Severity::Warning, stream, ssi, msg);
        }
    }
}

//! NGX039: POST streams replayed on another backend.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `proxy_next_upstream ... non_idempotent` in effect on a streaming location.
    ///
    /// ## Why is this bad?
    /// A POST that already reached one backend (an LLM prompt, a paid generation) is sent
    /// again to the next one, duplicating cost and side effects. Once bytes of the stream have
    /// reached the client no failover is possible anyway.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /v1/completions {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    ///     proxy_next_upstream error timeout non_idempotent;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /v1/completions {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    ///     proxy_next_upstream error timeout;
    /// }
    /// ```
    pub struct NextUpstreamNonIdempotent {
        id: "NGX039",
        name: "next-upstream-non-idempotent",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Drop `non_idempotent`; use idempotency keys and client resume instead.",
    }
}

impl Rule<NginxDoc> for NextUpstreamNonIdempotent {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (block, stream) in doc.stream_locations() {
            let Some(d) = doc.config.effective(block, "proxy_next_upstream") else { continue };
            if d.args().any(|a| a == "non_idempotent") {
                let msg =
                    "`non_idempotent` lets nginx replay a streaming POST on another backend".to_string();
                doc.report_on_stream(cx, self, Severity::Warning, stream, d, msg);
            }
        }
    }
}

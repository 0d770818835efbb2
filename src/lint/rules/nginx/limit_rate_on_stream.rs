//! NGX015: a bandwidth cap on a stream.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a streaming location where `limit_rate` (set there or inherited) is above zero.
    ///
    /// ## Why is this bad?
    /// The per-request throughput cap delays token streams behind a byte budget, and large
    /// events stall. Limit connections or requests instead (`limit_conn`, `limit_req`).
    ///
    /// ## Example
    /// ```nginx,invalid
    /// limit_rate 64k;
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// limit_rate 64k;
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    ///     limit_rate 0;
    /// }
    /// ```
    pub struct LimitRateOnStream {
        id: "NGX015",
        name: "limit-rate-on-stream",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Set `limit_rate 0;` in the streaming location; cap connections with `limit_conn` instead.",
    }
}

impl Rule<NginxDoc> for LimitRateOnStream {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (block, stream) in doc.stream_locations() {
            let Some(rate) = doc.config.effective(block, "limit_rate") else { continue };
            if rate.arg(0).is_some_and(|r| r.trim_start_matches('0').is_empty()) {
                continue;
            }
            let msg = format!("`limit_rate {}` throttles this {}", rate.args_text(), stream.kind_name());
            doc.report_on_stream(cx, self, Severity::Warning, stream, rate, msg);
        }
    }
}

//! HAP014: stream slots capped by `maxconn` with no explicit queue timeout.

use super::{stream_sections, timeout};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::HaproxyDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a streaming backend whose servers have a `maxconn` while no `timeout queue` applies.
    ///
    /// ## Why is this bad?
    /// Each stream holds a server slot for its whole life. Once the slots are full, new streams
    /// wait in the queue for `timeout queue`, which silently defaults to `timeout connect`
    /// (often 5 to 10 s), and then get a 503.
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// backend stream_backend
    ///     server app1 10.0.0.1:8080 maxconn 500
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// backend stream_backend
    ///     timeout queue 30s
    ///     server app1 10.0.0.1:8080 maxconn 500
    /// ```
    pub struct StreamMaxconnWithoutQueueTimeout {
        id: "HAP014",
        name: "stream-maxconn-without-queue-timeout",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Size `maxconn` × servers from the expected concurrent streams and set an explicit `timeout queue`.",
    }
}

impl Rule<HaproxyDoc> for StreamMaxconnWithoutQueueTimeout {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        let config = &doc.parsed;
        for (index, stream) in stream_sections(config, cx.settings) {
            let Some(section) = config.sections.get(index) else { continue };
            let Some(server) = section.find(&["server"]).find(|l| l.has_word("maxconn")) else { continue };
            if timeout(config, index, "queue").is_some() {
                continue;
            }
            let message = format!(
                "streams hold `maxconn` slots for their whole life and the queue wait defaults to `timeout connect` (streams because {})",
                stream.reason
            );
            doc.report(cx, self, server.span.clone(), message);
        }
    }
}

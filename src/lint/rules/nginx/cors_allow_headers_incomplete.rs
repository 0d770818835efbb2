//! NGX024: CORS allow-lists that break fetch-based streaming clients.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::{NginxDoc, is_header};
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;
use crate::parse::nginx::view::Context;

declare_rule! {
    /// ## What it does
    /// Flags `Access-Control-Allow-Headers` on an event-stream location when it is `*` while
    /// `Authorization` is needed (`*` never covers it), or when it lists headers but not
    /// `Last-Event-ID`.
    ///
    /// ## Why is this bad?
    /// Fetch-based SSE clients (the usual way to POST a prompt and read tokens) send
    /// `Last-Event-ID` to resume, which triggers a preflight; if the header is not allowed the
    /// reconnect fails. Browsers do not let `*` stand for `Authorization`.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /events {
    ///     add_header Access-Control-Allow-Headers "Content-Type, Authorization" always;
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /events {
    ///     add_header Access-Control-Allow-Headers "Content-Type, Authorization, Last-Event-ID" always;
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    /// }
    /// ```
    pub struct CorsAllowHeadersIncomplete {
        id: "NGX024",
        name: "cors-allow-headers-incomplete",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "List the headers explicitly, including `Authorization`, `Content-Type` and `Last-Event-ID`.",
    }
}

impl Rule<NginxDoc> for CorsAllowHeadersIncomplete {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (line, block) in doc.config.occurrences("add_header") {
            if !is_header(line, "access-control-allow-headers") {
                continue;
            }
            let Some(location) = doc.config.enclosing(block, Context::Location) else { continue };
            let Some(stream) = doc.stream(location).filter(|s| !s.websocket) else { continue };
            let list = line.arg(1).unwrap_or_default().to_ascii_lowercase();
            let names: Vec<&str> = list.split(',').map(str::trim).collect();
            let problem = if names.contains(&"*") {
                "`*` does not allow `Authorization`, which authenticated streams send"
            } else if !names.contains(&"last-event-id") {
                "`Last-Event-ID` is not allowed, so fetch-based clients cannot resume the stream"
            } else {
                continue;
            };
            doc.report_on_stream(cx, self, Severity::Warning, stream, line, problem.to_string());
        }
    }
}

//! NGX014: response headers set on the request.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::{NginxDoc, header_name};
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `proxy_set_header` with a response-side header: `Cache-Control`,
    /// `X-Accel-Buffering`, `Access-Control-Allow-*`/`-Expose-Headers`/`-Max-Age`, or
    /// `Content-Type: text/event-stream`.
    ///
    /// ## Why is this bad?
    /// `proxy_set_header` edits the request sent to the backend; the browser never sees it.
    /// `Cache-Control: no-cache` written this way does not stop anything from caching the stream.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    ///     proxy_set_header Cache-Control "no-cache";
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    ///     add_header Cache-Control "no-cache" always;
    /// }
    /// ```
    pub struct ResponseHeaderViaProxySetHeader {
        id: "NGX014",
        name: "response-header-via-proxy-set-header",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Use `add_header ... always` for response headers, or set them in the application.",
    }
}

fn is_response_header(name: &str, value: &str) -> bool {
    matches!(name, "cache-control" | "x-accel-buffering")
        || (name.starts_with("access-control-") && !name.starts_with("access-control-request-"))
        || (name == "content-type" && value.eq_ignore_ascii_case("text/event-stream"))
}

impl Rule<NginxDoc> for ResponseHeaderViaProxySetHeader {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (line, _) in doc.config.occurrences("proxy_set_header") {
            let Some(name) = header_name(line) else { continue };
            if is_response_header(&name, &line.arg(1).unwrap_or_default()) {
                let msg = format!(
                    "`proxy_set_header {}` changes the request to the backend, not the response to the client",
                    line.arg(0).unwrap_or_default()
                );
                doc.report(cx, self, line, line.span(), msg);
            }
        }
    }
}

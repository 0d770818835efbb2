//! NGX022: CORS headers missing from error responses.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::{NginxDoc, has_always, header_starts_with};
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `add_header Access-Control-...` without the `always` flag.
    ///
    /// ## Why is this bad?
    /// Without `always`, `add_header` applies only to 200, 201, 204, 206, 301, 302, 303, 304,
    /// 307 and 308 responses. The 401, 429, 502 and 504 answers that are common around long
    /// streams then carry no CORS headers: the browser reports a CORS failure, hides the real
    /// status, and client retry logic misfires.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /events {
    ///     add_header Access-Control-Allow-Origin https://app.example.com;
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /events {
    ///     add_header Access-Control-Allow-Origin https://app.example.com always;
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    /// }
    /// ```
    pub struct CorsAddHeaderWithoutAlways {
        id: "NGX022",
        name: "cors-add-header-without-always",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Append `always` to the `add_header` line.",
    }
}

impl Rule<NginxDoc> for CorsAddHeaderWithoutAlways {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (line, _) in doc.config.occurrences("add_header") {
            if header_starts_with(line, "access-control-") && !has_always(line) {
                let msg = format!(
                    "`{}` is not sent on error responses without `always`",
                    line.arg(0).unwrap_or_default()
                );
                doc.report(cx, self, line, line.span(), msg);
            }
        }
    }
}

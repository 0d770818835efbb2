//! NGX025: `add_header Content-Type` / `Content-Length`.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::{NginxDoc, header_name};
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `add_header Content-Type ...` and `add_header Content-Length ...`.
    ///
    /// ## Why is this bad?
    /// nginx already sends these, so the response carries two conflicting values; clients and
    /// proxies pick either, and a wrong length truncates or hangs the response.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /ping {
    ///     add_header Content-Type text/plain;
    ///     return 200 ok;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /ping {
    ///     default_type text/plain;
    ///     return 200 ok;
    /// }
    /// ```
    pub struct AddHeaderContentType {
        id: "NGX025",
        name: "add-header-content-type",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Use `default_type` for the type; leave the length to nginx (`return 204;` has no body).",
    }
}

impl Rule<NginxDoc> for AddHeaderContentType {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (line, _) in doc.config.occurrences("add_header") {
            let Some(name) = header_name(line) else { continue };
            if name == "content-type" || name == "content-length" {
                let msg = format!(
                    "`add_header {}` duplicates the header nginx already sends",
                    line.arg(0).unwrap_or_default()
                );
                doc.report(cx, self, line, line.span(), msg);
            }
        }
    }
}

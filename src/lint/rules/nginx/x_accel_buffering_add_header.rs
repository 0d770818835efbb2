//! NGX013: `add_header X-Accel-Buffering` does not change this nginx.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::{NginxDoc, is_header};
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `add_header X-Accel-Buffering ...`.
    ///
    /// ## Why is this bad?
    /// nginx reads `X-Accel-Buffering` only from the upstream's response. Adding it to the
    /// response sent to the client leaves this nginx's buffering unchanged; at most it affects
    /// another nginx in front of this one.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    ///     add_header X-Accel-Buffering no;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    /// }
    /// ```
    pub struct XAccelBufferingAddHeader {
        id: "NGX013",
        name: "x-accel-buffering-add-header",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Use `proxy_buffering off;` here, and let the application send `X-Accel-Buffering: no`.",
    }
}

impl Rule<NginxDoc> for XAccelBufferingAddHeader {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (line, _) in doc.config.occurrences("add_header") {
            if is_header(line, "x-accel-buffering") {
                let msg = "`add_header X-Accel-Buffering` only reaches the client; it does not turn off this nginx's buffering";
                doc.report(cx, self, line, line.span(), msg);
            }
        }
    }
}

//! NGX013: `add_header X-Accel-Buffering` does not change this nginx.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::{NginxDoc, is_header};
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `add_header X-Accel-Buffering ...`: a warning where this nginx itself still buffers,
    /// information where `proxy_buffering off` already unbuffers it.
    ///
    /// ## Why is this bad?
    /// nginx reads `X-Accel-Buffering` only from the upstream's response. Adding it to the
    /// response sent to the client leaves this nginx's buffering unchanged; at most it affects
    /// another nginx in front of this one. Next to `proxy_buffering off` it can only be meant as
    /// that hint (for an ingress or CDN in front), so it is reported as information there.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /events {
    ///     proxy_pass http://app;
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
        for (line, block) in doc.config.occurrences("add_header") {
            if !is_header(line, "x-accel-buffering") {
                continue;
            }
            let msg = "`add_header X-Accel-Buffering` only reaches the client; it does not turn off this nginx's buffering";
            // With buffering off here the header can only inform a proxy in front.
            let unbuffered = doc
                .config
                .effective(block, "proxy_buffering")
                .is_some_and(|d| d.arg(0).as_deref() == Some("off"));
            if let Some(problem) = doc.report(cx, self, line, line.span(), msg)
                && unbuffered
            {
                problem.severity = Severity::Info;
            }
        }
    }
}

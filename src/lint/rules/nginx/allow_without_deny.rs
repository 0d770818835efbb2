//! NGX041: `allow` lists that restrict nothing (gixy-ng `allow_without_deny`).

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a block with `allow` rules but no `deny` in the same block (`allow all;` alone is
    /// not flagged).
    ///
    /// ## Why is this bad?
    /// Access rules are checked in order and the default is to allow, so without a final
    /// `deny all;` the `allow` lines change nothing: the metrics or admin endpoint the author
    /// meant to restrict is open to everyone. (`allow` and `deny` are inherited together, so the
    /// `deny` belongs next to the `allow`s.)
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /metrics {
    ///     allow 10.0.0.0/8;
    ///     proxy_pass http://app;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /metrics {
    ///     allow 10.0.0.0/8;
    ///     deny all;
    ///     proxy_pass http://app;
    /// }
    /// ```
    pub struct AllowWithoutDeny {
        id: "NGX041",
        name: "allow-without-deny",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Security,
        fix: "End the access list with `deny all;`.",
    }
}

impl Rule<NginxDoc> for AllowWithoutDeny {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for block in doc.blocks_with("allow") {
            // `allow all` alone is a deliberate choice; the top of a snippet file gets its
            // `deny` from the block that includes it.
            let everyone = doc.config.find(block, "allow").all(|a| a.arg(0).as_deref() == Some("all"));
            let snippet_top = doc.config.block(block).is_some_and(|b| b.dir.is_none());
            if everyone || snippet_top || doc.config.last(block, "deny").is_some() {
                continue;
            }
            if let Some(allow) = doc.config.find(block, "allow").next() {
                let msg = "`allow` without a `deny` in the same block restricts nothing";
                doc.report(cx, self, allow, allow.span(), msg);
            }
        }
    }
}

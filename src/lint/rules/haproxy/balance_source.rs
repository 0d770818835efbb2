//! HAP009: source-IP affinity without consistent hashing.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::HaproxyDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `balance source` in a backend whose `hash-type` is not `consistent`.
    ///
    /// ## Why is this bad?
    /// With the default map-based hash, one server going down or up reassigns most clients, so
    /// their long-lived streams all reconnect at once; behind NAT or a CDN many users share one
    /// source address and pile onto one server.
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// backend app
    ///     balance source
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// backend app
    ///     balance source
    ///     hash-type consistent
    /// ```
    pub struct BalanceSource {
        id: "HAP009",
        name: "balance-source",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Add `hash-type consistent`, or use cookie persistence, or make streams stateless with `Last-Event-ID` resume.",
    }
}

impl Rule<HaproxyDoc> for BalanceSource {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        let config = &doc.parsed;
        for (index, _) in config.proxies() {
            let Some(balance) = config.effective(index, &["balance", "source"]) else { continue };
            if balance.inherited && config.sections.get(index).is_some_and(|s| !s.kind.has_backend_side()) {
                continue;
            }
            let consistent =
                config.effective(index, &["hash-type"]).is_some_and(|h| h.line.has_word("consistent"));
            if !consistent && !balance.inherited {
                doc.report(cx, self, balance.line.span.clone(), "`balance source` with map-based hashing reshuffles clients whenever a server changes state");
            }
        }
    }
}

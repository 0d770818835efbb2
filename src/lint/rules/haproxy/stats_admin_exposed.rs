//! HAP006: the stats page's admin mode open to anyone.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::HaproxyDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `stats admin` in a section without `stats auth` (or an `http-request auth` rule).
    ///
    /// ## Why is this bad?
    /// Anyone who reaches the stats port can disable, drain or re-weight servers, which is an
    /// easy way to take every stream down; the manual also warns that admin POSTs are open to
    /// CSRF.
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// listen stats
    ///     bind *:8404
    ///     stats enable
    ///     stats admin if TRUE
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// listen stats
    ///     bind 127.0.0.1:8404
    ///     stats enable
    ///     stats auth "admin:${STATS_PASSWORD}"
    ///     stats admin if TRUE
    /// ```
    pub struct StatsAdminExposed {
        id: "HAP006",
        name: "stats-admin-exposed",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Error,
        category: Category::Security,
        fix: "Bind the stats listener to a management address, add `stats auth` (or a userlist), and restrict `stats admin` to an acl.",
    }
}

impl Rule<HaproxyDoc> for StatsAdminExposed {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        for section in &doc.parsed.sections {
            let Some(admin) = section.last(&["stats", "admin"]) else { continue };
            let authenticated = section.last(&["stats", "auth"]).is_some()
                || section.find(&["stats", "http-request"]).any(|l| l.has_word("auth"))
                || section.find(&["http-request"]).any(|l| l.word(1).is_some_and(|w| w.is("auth")));
            if !authenticated {
                doc.report(
                    cx,
                    self,
                    admin.span.clone(),
                    "`stats admin` without `stats auth`: anyone reaching the port can disable servers",
                );
            }
        }
    }
}

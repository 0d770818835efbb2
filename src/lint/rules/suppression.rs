//! Findings about `# sseconf: ignore[...]` comments themselves. They are produced by
//! [`crate::lint::suppress::apply`], not by a check, and apply to every file kind.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::Category;

declare_rule! {
    /// ## What it does
    /// Flags a `# sseconf: ignore[...]` comment that gives no reason after the rule list.
    ///
    /// ## Why is this bad?
    /// A suppression without a reason cannot be reviewed: nobody can tell later whether the
    /// finding was a false positive or a risk someone accepted, and whether it still applies.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// server_tokens on; # sseconf: ignore[NGX033]
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// server_tokens on; # sseconf: ignore[NGX033] internal-only status host, scanned separately
    /// ```
    pub struct SuppressionWithoutReason {
        id: "SSC001",
        name: "suppression-without-reason",
        kind: None,
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Add a reason after the rule list: `# sseconf: ignore[ID] why this is fine here`.",
    }
}

declare_rule! {
    /// ## What it does
    /// Flags a suppression whose rule reports nothing on the covered line.
    ///
    /// ## Why is this bad?
    /// Stale suppressions hide the next real finding on that line and make readers believe a
    /// problem exists where none does (ruff's RUF100).
    ///
    /// ## Example
    /// ```nginx,invalid
    /// server_tokens off; # sseconf: ignore[NGX033] was on before
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// server_tokens off;
    /// ```
    pub struct UnusedSuppression {
        id: "SSC002",
        name: "unused-suppression",
        kind: None,
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Remove the suppression, or move it to the line the finding is on.",
    }
}

declare_rule! {
    /// ## What it does
    /// Flags a suppression that names a rule id or name sseconf does not have.
    ///
    /// ## Why is this bad?
    /// A typo in a suppression silently suppresses nothing, so the finding it meant to accept
    /// keeps failing CI, or the comment misleads readers.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// server_tokens on; # sseconf: ignore[server-token] status host
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// server_tokens on; # sseconf: ignore[server-tokens-exposed] status host
    /// ```
    pub struct UnknownRuleInSuppression {
        id: "SSC003",
        name: "unknown-rule-in-suppression",
        kind: None,
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Use a rule id or name from `sseconf rules`.",
    }
}

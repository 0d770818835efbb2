//! RDS002: protected mode switched off without a password.

use super::has_auth;
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::RedisDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `protected-mode no` when no password or ACL protects the server.
    ///
    /// ## Why is this bad?
    /// Protected mode is the last guard that refuses remote clients of a password-less Redis;
    /// turning it off opens the instance to whoever reaches its port.
    ///
    /// ## Example
    /// ```redis,invalid
    /// protected-mode no
    /// ```
    ///
    /// Use instead:
    /// ```redis,valid
    /// protected-mode yes
    /// ```
    pub struct ProtectedModeOff {
        id: "RDS002",
        name: "protected-mode-off",
        kind: Some(FileKind::Redis),
        severity: Severity::Error,
        category: Category::Security,
        fix: "Keep `protected-mode yes`, or set a password before turning it off.",
    }
}

impl Rule<RedisDoc> for ProtectedModeOff {
    fn check(&self, doc: &RedisDoc, cx: &mut LintContext<'_>) {
        let Some(directive) = doc.parsed.last("protected-mode") else { return };
        if directive.value().as_deref() == Some("no") && !has_auth(&doc.parsed) {
            doc.report(cx, self, directive.span.clone(), "protected mode is off and no password is set");
        }
    }
}

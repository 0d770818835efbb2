//! RDS003: administrative commands left enabled on a server reachable from the network.

use super::public_bind;
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::RedisDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a Redis that listens beyond loopback while `FLUSHALL` and `FLUSHDB` are neither
    /// renamed away (`rename-command FLUSHALL ""`) nor denied by ACL rules (`-@dangerous`), and
    /// also `DEBUG` and `CONFIG` when `enable-debug-command yes` / `enable-protected-configs yes`
    /// open them (Redis 7 keeps both closed by default; before 7.0 they are open).
    ///
    /// ## Why is this bad?
    /// Any client that gets in, with or without the shared password, can wipe every session
    /// and stream key or rewrite the server's configuration (`CONFIG SET dir` is the classic
    /// path to writing files on the host).
    ///
    /// ## Example
    /// ```redis,invalid
    /// bind 0.0.0.0
    /// requirepass "replace-with-a-generated-secret"
    /// ```
    ///
    /// Use instead:
    /// ```redis,valid
    /// bind 0.0.0.0
    /// requirepass "replace-with-a-generated-secret"
    /// rename-command CONFIG ""
    /// rename-command FLUSHALL ""
    /// rename-command FLUSHDB ""
    /// rename-command DEBUG ""
    /// ```
    pub struct DangerousCommandsEnabled {
        id: "RDS003",
        name: "dangerous-commands-enabled",
        kind: Some(FileKind::Redis),
        severity: Severity::Warning,
        category: Category::Security,
        fix: "Disable them with `rename-command NAME \"\"`, or give the application an ACL user with `-@dangerous`.",
    }
}

/// Commands that wipe data, and the commands a Redis 7 setting opens up.
const WIPING: &[&str] = &["FLUSHALL", "FLUSHDB"];
const OPENED_BY: &[(&str, &str)] =
    &[("DEBUG", "enable-debug-command"), ("CONFIG", "enable-protected-configs")];

impl Rule<RedisDoc> for DangerousCommandsEnabled {
    fn check(&self, doc: &RedisDoc, cx: &mut LintContext<'_>) {
        let config = &doc.parsed;
        let Some(bind) = public_bind(config) else { return };
        let acl_denies = config.last("aclfile").is_some()
            || config.all("user").any(|u| u.args.iter().any(|a| a.text.eq_ignore_ascii_case("-@dangerous")));
        if acl_denies {
            return;
        }
        let renamed: Vec<String> = config
            .all("rename-command")
            .filter_map(|d| d.args.first())
            .map(|a| a.text.to_ascii_uppercase())
            .collect();
        let opened = OPENED_BY
            .iter()
            .filter(|(_, setting)| config.value(setting).as_deref() == Some("yes"))
            .map(|(c, _)| *c);
        let dangerous = WIPING.iter().copied().chain(opened);
        let enabled: Vec<&str> = dangerous.filter(|c| !renamed.iter().any(|r| r == c)).collect();
        if !enabled.is_empty() {
            let message =
                format!("{} stay enabled on a server reachable from the network", enabled.join(", "));
            doc.report(cx, self, bind.span.clone(), message);
        }
    }
}

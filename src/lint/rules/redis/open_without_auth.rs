//! RDS001: Redis reachable from the network with no password.

use super::{has_auth, public_bind};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::RedisDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a `bind` to a wildcard or non-loopback address when no `requirepass`, `aclfile` or
    /// password-protected `default` user is configured and `protected-mode yes` is not written
    /// out (a password passed on the command line, as `--requirepass`, is invisible here; say
    /// `protected-mode yes` to rely on it).
    ///
    /// ## Why is this bad?
    /// Before Redis 7.0, protected mode only engaged when there was neither an explicit bind nor
    /// a password, so `bind 0.0.0.0` switched it off: anyone who reaches the port can read the
    /// session data, flush it, or use `CONFIG SET` to write files on the host. From 7.0 on,
    /// protected mode stays on and refuses every remote client instead, so the application
    /// cannot connect: either way the instance is misconfigured.
    ///
    /// ## Example
    /// ```redis,invalid
    /// bind 0.0.0.0
    /// port 6379
    /// ```
    ///
    /// Use instead:
    /// ```redis,valid
    /// bind 127.0.0.1 -::1
    /// port 6379
    /// ```
    pub struct OpenWithoutAuth {
        id: "RDS001",
        name: "open-without-auth",
        kind: Some(FileKind::Redis),
        severity: Severity::Error,
        category: Category::Security,
        fix: "Set `requirepass` (or ACL users) and bind to the internal interface only.",
    }
}

impl Rule<RedisDoc> for OpenWithoutAuth {
    fn check(&self, doc: &RedisDoc, cx: &mut LintContext<'_>) {
        let protected = doc.parsed.value("protected-mode").as_deref() == Some("yes");
        if has_auth(&doc.parsed) || protected {
            return;
        }
        if let Some(bind) = public_bind(&doc.parsed) {
            let message = "Redis listens beyond loopback and asks for no password (open before Redis 7, refusing every remote client from 7 on)";
            doc.report(cx, self, bind.span.clone(), message);
        }
    }
}

//! RDS005: a log file path where the official image has no directory.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::RedisDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `logfile` set to a file path instead of `""` (standard output).
    ///
    /// ## Why is this bad?
    /// In the official `redis` image `/var/log/redis` does not exist, so Redis aborts with
    /// "Can't open the log file" and the container restart-loops; where the file can be opened,
    /// `docker logs` and `kubectl logs` show nothing.
    ///
    /// ## Example
    /// ```redis,invalid
    /// logfile "/var/log/redis/redis-server.log"
    /// ```
    ///
    /// Use instead:
    /// ```redis,valid
    /// logfile ""
    /// ```
    pub struct LogfileInContainer {
        id: "RDS005",
        name: "logfile-in-container",
        kind: Some(FileKind::Redis),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Use `logfile \"\"` so Redis logs to standard output, where the container runtime collects it.",
    }
}

impl Rule<RedisDoc> for LogfileInContainer {
    fn check(&self, doc: &RedisDoc, cx: &mut LintContext<'_>) {
        let Some(logfile) = doc.parsed.last("logfile") else { return };
        let Some(path) = logfile.args.first().filter(|a| !a.text.is_empty()) else { return };
        let (message, severity) = if path.text.starts_with("/var/log/redis") {
            (
                format!(
                    "`{}`: /var/log/redis does not exist in the official image, so Redis will not start",
                    path.text
                ),
                Severity::Error,
            )
        } else {
            (format!("logging to `{}` hides the log from `docker logs`", path.text), Severity::Warning)
        };
        doc.report(cx, self, path.span.clone(), message).severity = severity;
    }
}

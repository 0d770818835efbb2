//! HAP012: `daemon` in a configuration that logs to standard output.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::HaproxyDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `daemon` in `global` when HAProxy logs to `stdout` or `stderr`, the sign of a
    /// container setup.
    ///
    /// ## Why is this bad?
    /// Forking to the background makes PID 1 exit unless the launcher forces the foreground
    /// (`-db`, `-W`), so the container stops or restart-loops, and logs sent to stdout are lost.
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// global
    ///     daemon
    ///     log stdout format raw local0
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// global
    ///     log stdout format raw local0
    /// ```
    pub struct DaemonInContainer {
        id: "HAP012",
        name: "daemon-in-container",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Info,
        category: Category::Correctness,
        fix: "Remove `daemon` and run HAProxy in the foreground, as the official image does.",
    }
}

impl Rule<HaproxyDoc> for DaemonInContainer {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        let config = &doc.parsed;
        let to_stdout =
            config.global(&["log"]).any(|l| l.word(1).is_some_and(|w| w.is("stdout") || w.is("stderr")));
        if !to_stdout {
            return;
        }
        for daemon in config.global(&["daemon"]) {
            doc.report(
                cx,
                self,
                daemon.span.clone(),
                "`daemon` forks away from PID 1 while logs go to stdout (a container setup)",
            );
        }
    }
}

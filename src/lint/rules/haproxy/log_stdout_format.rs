//! HAP015: syslog headers in container logs.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::HaproxyDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `log stdout` or `log stderr` without `format raw` (or `short`).
    ///
    /// ## Why is this bad?
    /// HAProxy then prefixes every line with a syslog header (priority, timestamp, host), which
    /// doubles what the container runtime already adds and breaks log parsers that expect one
    /// request per plain line.
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// global
    ///     log stdout local0
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// global
    ///     log stdout format raw local0
    /// ```
    pub struct LogStdoutFormat {
        id: "HAP015",
        name: "log-stdout-format",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Info,
        category: Category::Correctness,
        fix: "Write `log stdout format raw local0`.",
    }
}

impl Rule<HaproxyDoc> for LogStdoutFormat {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        for section in &doc.parsed.sections {
            for line in section.find(&["log"]) {
                let to_stream = line.word(1).is_some_and(|w| w.is("stdout") || w.is("stderr"));
                let formatted = line.has_word("format");
                if to_stream && !formatted {
                    doc.report(
                        cx,
                        self,
                        line.span.clone(),
                        "logs to standard output keep the syslog header without `format raw`",
                    );
                }
            }
        }
    }
}

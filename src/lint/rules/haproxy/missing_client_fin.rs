//! HAP013: long client or tunnel timeouts without `timeout client-fin`.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::{HaproxyDoc, format_ms};
use crate::lint::{Category, LintContext, Rule};
use crate::parse::haproxy::parse_time_ms;
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a section that sets `timeout tunnel` or `timeout client` to 5 minutes or more
    /// while no `timeout client-fin` applies to it.
    ///
    /// ## Why is this bad?
    /// Half-closed connections of clients that went away linger for the whole long timeout,
    /// holding file descriptors and `maxconn` slots.
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// defaults
    ///     timeout tunnel 1h
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// defaults
    ///     timeout tunnel 1h
    ///     timeout client-fin 30s
    /// ```
    pub struct MissingClientFin {
        id: "HAP013",
        name: "missing-client-fin",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Info,
        category: Category::Performance,
        fix: "Add `timeout client-fin 30s` next to the long timeout.",
    }
}

impl Rule<HaproxyDoc> for MissingClientFin {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        let config = &doc.parsed;
        for (index, section) in config.sections.iter().enumerate() {
            if config.effective(index, &["timeout", "client-fin"]).is_some() {
                continue;
            }
            let long = ["tunnel", "client"].iter().find_map(|name| {
                let line = section.last(&["timeout", name])?;
                let ms = line.word(2).and_then(|w| parse_time_ms(&w.text))?;
                (ms >= 5 * 60_000).then_some((line, ms))
            });
            if let Some((line, ms)) = long {
                let message = format!(
                    "a {} timeout without `timeout client-fin` keeps half-closed client connections that long",
                    format_ms(ms)
                );
                doc.report(cx, self, line.span.clone(), message);
            }
        }
    }
}

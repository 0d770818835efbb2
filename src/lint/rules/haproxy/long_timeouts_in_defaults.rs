//! HAP003: stream-length timeouts in `defaults`, inherited by every proxy.

use super::sections_of;
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::{HaproxyDoc, format_ms};
use crate::lint::{Category, LintContext, Rule};
use crate::parse::haproxy::{SectionKind, parse_time_ms};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `timeout client` or `timeout server` of 10 minutes or more in a `defaults` section.
    ///
    /// ## Why is this bad?
    /// Every proxy below inherits it, including API and health-check backends: hung backends
    /// and idle clients then pin connections (and `maxconn` slots) for the whole hour.
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// defaults
    ///     timeout client 1h
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// defaults
    ///     timeout client 30s
    /// backend sse_backend
    ///     timeout server 1h
    /// ```
    pub struct LongTimeoutsInDefaults {
        id: "HAP003",
        name: "long-timeouts-in-defaults",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Warning,
        category: Category::Performance,
        fix: "Keep the defaults short (30 s) and set long timeouts only in the streaming frontend and backend.",
    }
}

const LONG_MS: u64 = 10 * 60_000;

impl Rule<HaproxyDoc> for LongTimeoutsInDefaults {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        for (_, defaults) in sections_of(&doc.parsed, SectionKind::Defaults) {
            for name in ["client", "server"] {
                let Some(line) = defaults.last(&["timeout", name]) else { continue };
                let Some(ms) = line.word(2).and_then(|w| parse_time_ms(&w.text)) else { continue };
                if ms >= LONG_MS {
                    let message = format!(
                        "`timeout {name} {}` in defaults applies to every proxy, not just the streaming ones",
                        format_ms(ms)
                    );
                    doc.report(cx, self, line.span.clone(), message);
                }
            }
        }
    }
}

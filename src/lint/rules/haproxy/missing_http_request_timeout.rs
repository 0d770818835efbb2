//! HAP004: an HTTP frontend without `timeout http-request`.

use super::{is_http, timeout};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::{HaproxyDoc, format_ms};
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a frontend or listen section in `mode http` with no `timeout http-request` in it or
    /// its defaults. It is an error when `timeout client` is 5 minutes or more.
    ///
    /// ## Why is this bad?
    /// Reading the request headers is then bounded only by the inactivity-based client timeout,
    /// which a slowloris client stretches indefinitely by sending a byte at a time; with
    /// stream-length client timeouts that is an hour per connection.
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// frontend web
    ///     mode http
    ///     timeout client 1h
    ///     bind :80
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// frontend web
    ///     mode http
    ///     timeout client 1h
    ///     timeout http-request 10s
    ///     bind :80
    /// ```
    pub struct MissingHttpRequestTimeout {
        id: "HAP004",
        name: "missing-http-request-timeout",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Warning,
        category: Category::Security,
        fix: "Add `timeout http-request 10s` (and `timeout http-keep-alive`) to the defaults or the frontend.",
    }
}

impl Rule<HaproxyDoc> for MissingHttpRequestTimeout {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        let config = &doc.parsed;
        for (index, section) in config.sections.iter().enumerate().filter(|(_, s)| s.kind.has_frontend_side())
        {
            if !is_http(config, index) || timeout(config, index, "http-request").is_some() {
                continue;
            }
            let client = timeout(config, index, "client").map(|(ms, _)| ms);
            let long = client.is_some_and(|ms| ms >= 5 * 60_000);
            let tail = client
                .map(|ms| format!("; request headers may trickle in for up to {}", format_ms(ms)))
                .unwrap_or_default();
            let message = format!(
                "no `timeout http-request` for this HTTP {}{tail}",
                if section.kind.has_backend_side() { "listener" } else { "frontend" }
            );
            let problem = doc.report(cx, self, section.header.span.clone(), message);
            if long {
                problem.severity = Severity::Error;
            }
        }
    }
}

//! HAP010: no `X-Forwarded-For` for the backends.

use super::is_http;
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::HaproxyDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags an HTTP configuration where no proxy or defaults section has `option forwardfor`
    /// and no rule sets `X-Forwarded-For`.
    ///
    /// ## Why is this bad?
    /// Backends then see HAProxy's address as every client's: per-client rate limits, session
    /// affinity keyed on the client and audit logs all collapse onto one key.
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// frontend web
    ///     mode http
    ///     bind :80
    ///     default_backend app
    /// backend app
    ///     mode http
    ///     server app1 10.0.0.1:8080
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// frontend web
    ///     mode http
    ///     option forwardfor
    ///     bind :80
    ///     default_backend app
    /// backend app
    ///     mode http
    ///     server app1 10.0.0.1:8080
    /// ```
    pub struct MissingForwardfor {
        id: "HAP010",
        name: "missing-forwardfor",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Add `option forwardfor` (with `if-none` where an outer proxy already sets it) to the defaults or the frontend.",
    }
}

impl Rule<HaproxyDoc> for MissingForwardfor {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        let config = &doc.parsed;
        let sets_header = config.sections.iter().flat_map(|s| s.lines.iter()).any(|l| {
            l.starts_with(&["option", "forwardfor"])
                || (l.keyword() == "http-request"
                    && l.args_after(1).iter().any(|w| w.text.eq_ignore_ascii_case("x-forwarded-for")))
        });
        if sets_header {
            return;
        }
        let first_http_frontend = config.sections.iter().enumerate().find(|(i, s)| {
            s.kind.has_frontend_side()
                && is_http(config, *i)
                && !s.lines.iter().any(|l| l.starts_with(&["stats", "enable"]))
        });
        if let Some((_, section)) = first_http_frontend {
            doc.report(
                cx,
                self,
                section.header.span.clone(),
                "no `option forwardfor`: backends see HAProxy's address as every client's",
            );
        }
    }
}

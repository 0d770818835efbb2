//! HAP007: a log format with nowhere to log to.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::HaproxyDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;
use std::collections::BTreeSet;

declare_rule! {
    /// ## What it does
    /// Flags `option httplog` or `option tcplog` that reaches a proxy with no `log` line (not
    /// even `log global`) in the proxy or its defaults.
    ///
    /// ## Why is this bad?
    /// A `log` line in `global` does not reach proxies by itself; without `log global` nothing is
    /// logged, and HAProxy only prints "log format ignored ... since it has no log address".
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// global
    ///     log stdout format raw local0
    /// defaults
    ///     mode http
    ///     option httplog
    /// frontend web
    ///     bind :80
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// global
    ///     log stdout format raw local0
    /// defaults
    ///     mode http
    ///     log global
    ///     option httplog
    /// frontend web
    ///     bind :80
    /// ```
    pub struct HttplogWithoutLogTarget {
        id: "HAP007",
        name: "httplog-without-log-target",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Add `log global` to the defaults section.",
    }
}

impl Rule<HaproxyDoc> for HttplogWithoutLogTarget {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        let config = &doc.parsed;
        let mut reported = BTreeSet::new();
        for (index, _) in config.proxies() {
            let format = config
                .effective(index, &["option", "httplog"])
                .or_else(|| config.effective(index, &["option", "tcplog"]));
            let Some(format) = format else { continue };
            if config.effective(index, &["log"]).is_some() || !reported.insert(format.line.span.start) {
                continue;
            }
            let option = format.line.word(1).map_or("httplog", |w| w.text.as_str());
            let message = format!("`option {option}` without a `log` line (`log global`): nothing is logged");
            doc.report(cx, self, format.line.span.clone(), message);
        }
    }
}

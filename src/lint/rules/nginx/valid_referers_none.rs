//! NGX031: `valid_referers none` (gixy `valid_referers`).

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `valid_referers` lists that include `none`.
    ///
    /// ## Why is this bad?
    /// `none` accepts requests without a `Referer`, which any attacker can produce (a
    /// `Referrer-Policy: no-referrer` page, a redirect), so the referer check protects nothing.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /media/ {
    ///     valid_referers none server_names;
    ///     if ($invalid_referer) { return 403; }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /media/ {
    ///     valid_referers server_names;
    ///     if ($invalid_referer) { return 403; }
    /// }
    /// ```
    pub struct ValidReferersNone {
        id: "NGX031",
        name: "valid-referers-none",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Security,
        fix: "Remove `none`; if requests without a Referer must pass, referer checks are the wrong tool.",
    }
}

impl Rule<NginxDoc> for ValidReferersNone {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (d, _) in doc.config.occurrences("valid_referers") {
            if let Some(i) = d.args().position(|a| a == "none") {
                let span = d.arg_span(i).unwrap_or_else(|| d.span());
                doc.report(
                    cx,
                    self,
                    d,
                    span,
                    "`valid_referers none` accepts requests with no Referer at all",
                );
            }
        }
    }
}

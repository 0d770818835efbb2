//! NGX040: TLS versions browsers and auditors reject (gixy-ng `weak_ssl_tls`).

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `ssl_protocols` (and `proxy_ssl_protocols`) lists that enable `SSLv2`, `SSLv3`,
    /// `TLSv1` or `TLSv1.1`.
    ///
    /// ## Why is this bad?
    /// These versions have known attacks (POODLE, BEAST) and were deprecated by RFC 8996;
    /// current browsers refuse them, so they only serve clients an attacker can downgrade.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// server {
    ///     ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// server {
    ///     ssl_protocols TLSv1.2 TLSv1.3;
    /// }
    /// ```
    pub struct WeakTlsProtocols {
        id: "NGX040",
        name: "weak-tls-protocols",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Security,
        fix: "Use `ssl_protocols TLSv1.2 TLSv1.3;`.",
    }
}

const WEAK: &[&str] = &["SSLv2", "SSLv3", "TLSv1", "TLSv1.1"];

impl Rule<NginxDoc> for WeakTlsProtocols {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for name in ["ssl_protocols", "proxy_ssl_protocols"] {
            for (d, _) in doc.config.occurrences(name) {
                let weak: Vec<String> =
                    d.args().filter(|a| WEAK.contains(&a.as_ref())).map(|a| a.into_owned()).collect();
                if !weak.is_empty() {
                    doc.report(cx, self, d, d.span(), format!("`{name}` enables {}", weak.join(", ")));
                }
            }
        }
    }
}

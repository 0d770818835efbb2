//! NGX019: `ip_hash` stickiness that collapses or is pointless.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `ip_hash` in an upstream with a single server (info: it does nothing), or with
    /// several servers when the config never sets `real_ip_header`/`set_real_ip_from` (warning:
    /// behind a load balancer every client has the balancer's address).
    ///
    /// ## Why is this bad?
    /// `ip_hash` keys on the first three octets of the client IPv4 address. Behind NAT, a cloud
    /// load balancer or an Ingress, almost everyone hashes to one backend, which then carries
    /// every long-lived stream. Adding or removing a server also moves many streams at once.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// upstream app {
    ///     ip_hash;
    ///     server 10.0.0.1:8080;
    ///     server 10.0.0.2:8080;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// upstream app {
    ///     hash $cookie_session consistent;
    ///     server 10.0.0.1:8080;
    ///     server 10.0.0.2:8080;
    /// }
    /// ```
    pub struct IpHashImbalance {
        id: "NGX019",
        name: "ip-hash-imbalance",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Performance,
        fix: "Use cookie-based stickiness (`hash $cookie_x consistent`, or `sticky` on nginx ≥ 1.29.6), or stateless streams that resume with Last-Event-ID.",
    }
}

impl Rule<NginxDoc> for IpHashImbalance {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        let real_ip = doc.config.occurrences("real_ip_header").next().is_some()
            || doc.config.occurrences("set_real_ip_from").next().is_some();
        for (ip_hash, block) in doc.config.occurrences("ip_hash") {
            let servers = doc.config.find(block, "server").count();
            if servers == 1 {
                let msg = "`ip_hash` over a single server does nothing";
                if let Some(p) = doc.report(cx, self, ip_hash, ip_hash.span(), msg) {
                    p.severity = Severity::Info;
                }
            } else if !real_ip {
                let msg = "`ip_hash` without `real_ip_header`: behind a load balancer or NAT all clients hash to one backend";
                doc.report(cx, self, ip_hash, ip_hash.span(), msg);
            }
        }
    }
}

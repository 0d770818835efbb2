//! NGX034: status and metrics endpoints open to everyone.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::nginx::stream::location_path;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;
use crate::parse::nginx::view::BlockId;

declare_rule! {
    /// ## What it does
    /// Flags `stub_status`, and locations for `/metrics`, `/nginx_status`, `/status`,
    /// `/server-status` or `/actuator`, that have no `allow`/`deny`, `auth_basic`,
    /// `auth_request` or `internal` in effect.
    ///
    /// ## Why is this bad?
    /// Metrics and status pages reveal connection counts, backends, versions and sometimes
    /// environment details; Spring Boot actuators can even change the running application.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /nginx_status {
    ///     stub_status;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /nginx_status {
    ///     stub_status;
    ///     allow 10.0.0.0/8;
    ///     deny all;
    /// }
    /// ```
    pub struct OpenStatusEndpoint {
        id: "NGX034",
        name: "open-status-endpoint",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Security,
        fix: "Restrict it: `allow` the monitoring network and `deny all;`, or put it behind `auth_basic`/`auth_request`, or on a listener bound to localhost.",
    }
}

const GUARDS: &[&str] = &["allow", "deny", "auth_basic", "auth_request", "internal", "auth_jwt"];
const STATUS_PATHS: &[&str] =
    &["/metrics", "/nginx_status", "/status", "/server-status", "/actuator", "/stub_status"];

fn guarded(doc: &NginxDoc, block: BlockId) -> bool {
    doc.config.ancestry(block).any(|b| GUARDS.iter().any(|g| doc.config.last(b, g).is_some()))
}

impl Rule<NginxDoc> for OpenStatusEndpoint {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for loc in doc.locations() {
            let path = location_path(&doc.config, loc);
            let by_path = STATUS_PATHS
                .iter()
                .any(|p| path.trim_end_matches('/') == *p || path.starts_with(&format!("{p}/")));
            let status = doc.config.find(loc, "stub_status").next();
            if !(by_path && doc.pass(loc).is_some() || status.is_some()) || guarded(doc, loc) {
                continue;
            }
            let Some(head) = doc.head(loc) else { continue };
            let msg = format!("`{path}` exposes status or metrics to any client");
            doc.report(cx, self, head, head.head_span(), msg);
        }
    }
}

//! NGX023: any origin allowed together with credentials.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::{NginxDoc, is_header};
use crate::lint::{Category, LintContext, Rule, add_label};
use crate::parse::kind::FileKind;
use crate::parse::nginx::{Dir, view::BlockId};

declare_rule! {
    /// ## What it does
    /// Flags a block that sends `Access-Control-Allow-Credentials: true` together with
    /// `Access-Control-Allow-Origin` set to `*` or to the request's `$http_origin` echoed back.
    ///
    /// ## Why is this bad?
    /// Browsers reject `*` when credentials are sent, so the authenticated stream fails.
    /// Echoing `$http_origin` "fixes" that by letting every website read the user's
    /// authenticated stream.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /events {
    ///     add_header Access-Control-Allow-Origin $http_origin always;
    ///     add_header Access-Control-Allow-Credentials true always;
    ///     proxy_pass http://app;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /events {
    ///     add_header Access-Control-Allow-Origin $cors_origin always;
    ///     add_header Access-Control-Allow-Credentials true always;
    ///     add_header Vary Origin always;
    ///     proxy_pass http://app;
    /// }
    /// ```
    pub struct CorsWildcardCredentials {
        id: "NGX023",
        name: "cors-wildcard-credentials",
        kind: Some(FileKind::Nginx),
        severity: Severity::Error,
        category: Category::Security,
        fix: "Map an allow-list of origins (`map $http_origin $cors_origin { ... }`), send `Vary: Origin`, and send credentials only for allowed origins.",
    }
}

fn header<'a>(doc: &'a NginxDoc, block: BlockId, name: &str) -> Option<Dir<'a>> {
    doc.config.find(block, "add_header").filter(|d| is_header(*d, name)).last()
}

impl Rule<NginxDoc> for CorsWildcardCredentials {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for block in doc.blocks_with("add_header") {
            let Some(creds) = header(doc, block, "access-control-allow-credentials") else { continue };
            if !creds.arg(1).is_some_and(|v| v.eq_ignore_ascii_case("true")) {
                continue;
            }
            let Some(origin) = header(doc, block, "access-control-allow-origin") else { continue };
            let value = origin.arg(1).unwrap_or_default();
            let what = match value.as_ref() {
                "*" => "`*` (browsers reject it with credentials)",
                "$http_origin" => "the request's own Origin (any site can read the authenticated response)",
                _ => continue,
            };
            let msg = format!("credentials are allowed for {what}");
            if let Some(p) = doc.report(cx, self, origin, origin.span(), msg) {
                add_label(p, creds.source(), creds.span(), "credentials allowed here");
            }
        }
    }
}

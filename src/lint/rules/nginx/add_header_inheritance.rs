//! NGX010: headers lost because a block adds its own.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::{NginxDoc, header_name};
use crate::lint::version::Version;
use crate::lint::{Category, LintContext, Rule, add_label};
use crate::parse::kind::FileKind;

/// `add_header_inherit` appeared in nginx 1.29.3.
const INHERIT_DIRECTIVE: Version = Version::new(1, 29, 3);

declare_rule! {
    /// ## What it does
    /// Flags a block (`server`, `location`, `if`) that declares `add_header` while an enclosing
    /// block declares other headers it does not repeat. Error when CORS headers are lost.
    /// Not flagged when `add_header_inherit` is set (nginx ≥ 1.29.3).
    ///
    /// ## Why is this bad?
    /// `add_header` is inherited all-or-nothing: one header added in a location silently drops
    /// every header of the server. Security and CORS headers disappear exactly on the path that
    /// needed one more header, for example the 204 preflight of a streaming endpoint.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// add_header Access-Control-Allow-Origin https://app.example.com always;
    /// location /events {
    ///     add_header Cache-Control no-cache always;
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// add_header Access-Control-Allow-Origin https://app.example.com always;
    /// location /events {
    ///     add_header Access-Control-Allow-Origin https://app.example.com always;
    ///     add_header Cache-Control no-cache always;
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    /// }
    /// ```
    pub struct AddHeaderInheritance {
        id: "NGX010",
        name: "add-header-inheritance",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Repeat the enclosing block's headers (an `include` of one shared file helps), or use `add_header_inherit merge;` on nginx ≥ 1.29.3.",
    }
}

impl Rule<NginxDoc> for AddHeaderInheritance {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        check_array(self, doc, cx, "add_header");
    }
}

/// Shared by NGX010 and NGX011: both directives are inherited all-or-nothing.
pub fn check_array(rule: &dyn crate::lint::Meta, doc: &NginxDoc, cx: &mut LintContext<'_>, directive: &str) {
    let c = &doc.config;
    let inherit_escape = directive == "add_header" && cx.settings.nginx_version.at_least(INHERIT_DIRECTIVE);
    for block in doc.blocks_with(directive) {
        let Some(first) = c.find(block, directive).next() else { continue };
        if inherit_escape
            && c.effective(block, "add_header_inherit").is_some_and(|d| d.arg(0).as_deref() != Some("off"))
        {
            continue;
        }
        let Some(parent) = c.block(block).and_then(|b| b.parent) else { continue };
        let Some(outer) = c.effective_array_block(parent, directive) else { continue };
        let own: Vec<String> = c.find(block, directive).filter_map(header_name).collect();
        let lost: Vec<_> =
            c.find(outer, directive).filter(|d| header_name(*d).is_some_and(|n| !own.contains(&n))).collect();
        if lost.is_empty() {
            continue;
        }
        let names: Vec<String> = lost.iter().filter_map(|d| d.arg(0).map(|a| a.into_owned())).collect();
        let cors = names.iter().any(|n| n.to_ascii_lowercase().starts_with("access-control-"));
        let msg = format!(
            "`{directive}` here drops the enclosing block's {}: {}",
            if directive == "add_header" { "response headers" } else { "request headers" },
            names.join(", ")
        );
        if let Some(p) = doc.report(cx, rule, first, first.span(), msg) {
            if cors && directive == "add_header" {
                p.severity = Severity::Error;
            }
            if let Some(l) = lost.first() {
                add_label(p, l.source(), l.span(), "no longer sent from this block");
            }
        }
    }
}

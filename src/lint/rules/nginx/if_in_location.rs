//! NGX009: `if` in a location doing more than return/rewrite/set.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule, add_label};
use crate::parse::kind::FileKind;
use crate::parse::nginx::view::Context;

declare_rule! {
    /// ## What it does
    /// Flags an `if` block inside a `location` that contains anything other than `return`,
    /// `rewrite ... last|break|redirect|permanent`, `set` or `break`.
    ///
    /// ## Why is this bad?
    /// `if` creates an implicit nested location with its own inheritance ("If is Evil"):
    /// headers added outside it vanish inside it, and `proxy_pass` or `try_files` can behave
    /// differently. CORS preflight handling written this way loses the location's headers.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /api/ {
    ///     if ($request_method = OPTIONS) {
    ///         add_header Access-Control-Max-Age 3600 always;
    ///         return 204;
    ///     }
    ///     proxy_pass http://app;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /api/ {
    ///     if ($request_method = OPTIONS) {
    ///         return 204;
    ///     }
    ///     proxy_pass http://app;
    /// }
    /// ```
    pub struct IfInLocation {
        id: "NGX009",
        name: "if-in-location",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Keep only `return`/`rewrite`/`set` inside `if`; use `map`, a dedicated location, or `error_page` with a named location for the rest.",
    }
}

const SAFE: &[&str] = &["return", "set", "break"];
const REWRITE_FLAGS: &[&str] = &["last", "break", "redirect", "permanent"];

impl Rule<NginxDoc> for IfInLocation {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for block in doc.config.blocks_of(Context::If) {
            let in_location =
                doc.config.block(block).and_then(|b| b.parent).and_then(|p| doc.config.block(p));
            if in_location.is_none_or(|b| b.context != Context::Location) {
                continue;
            }
            let unsafe_dir = doc.config.items(block).find(|d| {
                let flag = d.args().last().map(|a| a.into_owned()).unwrap_or_default();
                !(SAFE.contains(&d.name()) || d.is("rewrite") && REWRITE_FLAGS.contains(&flag.as_str()))
            });
            let (Some(bad), Some(head)) = (unsafe_dir, doc.head(block)) else { continue };
            let msg = format!("`if` in a location does more than return or rewrite: `{}`", bad.name());
            if let Some(p) = doc.report(cx, self, head, head.head_span(), msg) {
                add_label(p, bad.source(), bad.span(), "this runs in an implicit nested location");
            }
        }
    }
}

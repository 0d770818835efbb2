//! NGX029: `alias` path traversal (gixy `alias_traversal`).

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule, add_label};
use crate::parse::kind::FileKind;
use crate::parse::nginx::view::Context;

declare_rule! {
    /// ## What it does
    /// Flags `alias` ending in `/` inside a prefix location whose path does not end in `/`.
    ///
    /// ## Why is this bad?
    /// A request for `/static../secret` matches `location /static` and maps to
    /// `/var/www/static/../secret`: files outside the folder are served (path traversal).
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /static {
    ///     alias /var/www/static/;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /static/ {
    ///     alias /var/www/static/;
    /// }
    /// ```
    pub struct AliasTraversal {
        id: "NGX029",
        name: "alias-traversal",
        kind: Some(FileKind::Nginx),
        severity: Severity::Error,
        category: Category::Security,
        fix: "End the location path with `/` as well (`location /static/`).",
    }
}

impl Rule<NginxDoc> for AliasTraversal {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (alias, block) in doc.config.occurrences("alias") {
            if doc.config.block(block).is_none_or(|b| b.context != Context::Location) {
                continue;
            }
            let Some(head) = doc.head(block) else { continue };
            let args: Vec<String> = head.args().map(|a| a.into_owned()).collect();
            let prefix = match args.as_slice() {
                [path] => path,
                [modifier, path] if modifier == "^~" => path,
                _ => continue,
            };
            if !prefix.ends_with('/') && alias.arg(0).is_some_and(|a| a.ends_with('/')) {
                let msg = format!(
                    "`location {prefix}` without a trailing `/` and `alias` with one allow `{prefix}../` traversal"
                );
                if let Some(p) = doc.report(cx, self, alias, alias.span(), msg) {
                    add_label(p, head.source(), head.head_span(), "location path has no trailing slash");
                }
            }
        }
    }
}

//! NGX027: decoded URI variables written into headers (gixy `http_splitting`).

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `$uri` or `$document_uri` used in `add_header`, `proxy_set_header`, or a `return`
    /// or `rewrite` redirect target.
    ///
    /// ## Why is this bad?
    /// These variables hold the URI after percent-decoding, so `%0d%0a` becomes a real line
    /// break: an attacker injects headers into the response or the upstream request (HTTP
    /// response splitting).
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /old/ {
    ///     return 301 https://example.com$uri;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /old/ {
    ///     return 301 https://example.com$request_uri;
    /// }
    /// ```
    pub struct HttpSplitting {
        id: "NGX027",
        name: "http-splitting",
        kind: Some(FileKind::Nginx),
        severity: Severity::Error,
        category: Category::Security,
        fix: "Use `$request_uri` (still encoded), or a capture of a regex that excludes `\\r` and `\\n`.",
    }
}

const DECODED: &[&str] = &["$uri", "${uri}", "$document_uri", "${document_uri}"];

impl Rule<NginxDoc> for HttpSplitting {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for name in ["add_header", "proxy_set_header", "return", "rewrite"] {
            for (d, _) in doc.config.occurrences(name) {
                let first_value = usize::from(name != "return" || d.arg_count() > 1);
                let found = d
                    .args()
                    .enumerate()
                    .skip(first_value)
                    .find(|(_, v)| v.contains("uri") && DECODED.iter().any(|var| contains_var(v, var)));
                let Some((i, _)) = found else { continue };
                let span = d.arg_span(i).unwrap_or_else(|| d.span());
                let msg = format!("`{name}` writes the percent-decoded URI, so `%0d%0a` splits the header");
                doc.report(cx, self, d, span, msg);
            }
        }
    }
}

/// Whether `value` uses variable `var` (not a longer name that starts with it, like `$uri_x`).
fn contains_var(value: &str, var: &str) -> bool {
    value.match_indices(var).any(|(i, _)| {
        !value.as_bytes().get(i + var.len()).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    })
}

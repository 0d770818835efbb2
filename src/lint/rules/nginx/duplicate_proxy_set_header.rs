//! NGX007: the same request header set twice in one block.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::{NginxDoc, header_name};
use crate::lint::{Category, LintContext, Rule, add_label};
use crate::parse::kind::FileKind;
use crate::parse::nginx::Dir;
use std::collections::HashMap;

declare_rule! {
    /// ## What it does
    /// Flags a `proxy_set_header` whose header name (compared case-insensitively) is already set
    /// in the same block, includes expanded.
    ///
    /// ## Why is this bad?
    /// The later line does not replace the earlier one: nginx sends both values (dropping only
    /// empty ones), so the backend sees two `Connection` headers, or the one you meant to remove.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    ///     proxy_set_header Connection "upgrade";
    ///     proxy_set_header Connection "";
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    ///     proxy_set_header Connection "";
    /// }
    /// ```
    pub struct DuplicateProxySetHeader {
        id: "NGX007",
        name: "duplicate-proxy-set-header",
        kind: Some(FileKind::Nginx),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Keep exactly one `proxy_set_header` line per header in each block.",
    }
}

/// Headers where two values break the connection handling itself.
const CRITICAL: &[&str] = &["connection", "host", "upgrade"];

impl Rule<NginxDoc> for DuplicateProxySetHeader {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        // One block at a time: a map over the whole config would hold every header line.
        for block in doc.blocks_with("proxy_set_header") {
            let mut first: HashMap<String, Dir<'_>> = HashMap::new();
            for line in doc.config.find(block, "proxy_set_header") {
                let Some(name) = header_name(line) else { continue };
                match first.get(&name).copied() {
                    Some(earlier) => self.report(doc, cx, &name, line, earlier),
                    None => {
                        first.insert(name, line);
                    }
                }
            }
        }
    }
}

impl DuplicateProxySetHeader {
    fn report(&self, doc: &NginxDoc, cx: &mut LintContext<'_>, name: &str, line: Dir<'_>, earlier: Dir<'_>) {
        let severity = if CRITICAL.contains(&name) { Severity::Error } else { Severity::Warning };
        let msg = format!(
            "`{}` is set twice in this block; nginx sends both values, not the last",
            line.arg(0).unwrap_or_default()
        );
        if let Some(p) = doc.report(cx, self, line, line.span(), msg) {
            p.severity = severity;
            add_label(p, earlier.source(), earlier.span(), "first set here");
        }
    }
}

//! HAP005: headers hidden in the version of `option httpchk`.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::HaproxyDoc;
use crate::lint::version::Version;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `option httpchk <method> <uri> <version>` whose version smuggles headers through
    /// `\r\n` (`HTTP/1.1\r\nHost:\ app`).
    ///
    /// ## Why is this bad?
    /// The trick was deprecated in HAProxy 2.2 and is refused since 2.7: the proxy does not
    /// start with it. When the target version is known to be older (`--haproxy-version`,
    /// `.sseconf.toml` or the spec's `versions.haproxy`), it still starts with a warning, and
    /// so is this finding; the next upgrade breaks it.
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// backend app
    ///     option httpchk GET /health HTTP/1.1\r\nHost:\ app
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// backend app
    ///     option httpchk GET /health
    ///     http-check send ver HTTP/1.1 hdr Host app
    /// ```
    pub struct HttpchkInlineHeaders {
        id: "HAP005",
        name: "httpchk-inline-headers",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Error,
        category: Category::Deprecation,
        fix: "Keep `option httpchk GET /path` and send headers with `http-check send ver HTTP/1.1 hdr Host <name>`.",
    }
}

impl Rule<HaproxyDoc> for HttpchkInlineHeaders {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        for section in &doc.parsed.sections {
            for line in section.find(&["option", "httpchk"]) {
                if line.args_after(2).iter().any(|w| w.text.contains('\n') || w.text.contains('\r')) {
                    report(self, doc, line, cx);
                }
            }
        }
    }
}

/// HAProxy refuses headers hidden in the httpchk version from this release.
const REFUSED_IN: Version = Version::new(2, 7, 0);

fn report(
    rule: &HttpchkInlineHeaders,
    doc: &HaproxyDoc,
    line: &crate::parse::haproxy::Line,
    cx: &mut LintContext<'_>,
) {
    match cx.settings.haproxy_version.filter(|v| !v.at_least(REFUSED_IN)) {
        Some(older) => {
            let message = format!(
                "headers appended to the `option httpchk` version are deprecated: HAProxy {older} warns, and 2.7 and later refuse to start"
            );
            doc.report(cx, rule, line.span.clone(), message).severity = Severity::Warning;
        }
        None => {
            let message = "headers appended to the `option httpchk` version are refused since HAProxy 2.7";
            doc.report(cx, rule, line.span.clone(), message);
        }
    }
}

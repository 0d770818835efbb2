//! HAP017: a TLS listener that does not offer HTTP/2.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::HaproxyDoc;
use crate::lint::version::Version;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a `bind ... ssl` line without `alpn` in a frontend or listen section, unless the
    /// target HAProxy (`--haproxy-version`, `.sseconf.toml`, or the spec's `versions.haproxy`)
    /// is 2.8 or later.
    ///
    /// ## Why is this bad?
    /// Before HAProxy 2.8 such a listener speaks only HTTP/1.1 to browsers, which allow about
    /// six connections per origin across all tabs: each open event stream holds one, so the
    /// seventh tab or request hangs. HTTP/2 multiplexes about a hundred streams on one
    /// connection. (From 2.8 HAProxy offers `h2,http/1.1` by default.)
    ///
    /// ## Example
    /// ```haproxy,invalid
    /// frontend web
    ///     bind *:443 ssl crt /etc/haproxy/site.pem
    /// ```
    ///
    /// Use instead:
    /// ```haproxy,valid
    /// frontend web
    ///     bind *:443 ssl crt /etc/haproxy/site.pem alpn h2,http/1.1
    /// ```
    pub struct SslBindWithoutAlpn {
        id: "HAP017",
        name: "ssl-bind-without-alpn",
        kind: Some(FileKind::Haproxy),
        severity: Severity::Info,
        category: Category::Streaming,
        fix: "Add `alpn h2,http/1.1` to the TLS `bind` line (the default only from HAProxy 2.8).",
    }
}

/// From 2.8 a TLS `bind` offers `h2,http/1.1` without being told.
const ALPN_BY_DEFAULT: Version = Version::new(2, 8, 0);

impl Rule<HaproxyDoc> for SslBindWithoutAlpn {
    fn check(&self, doc: &HaproxyDoc, cx: &mut LintContext<'_>) {
        if cx.settings.haproxy_version.is_some_and(|v| v.at_least(ALPN_BY_DEFAULT)) {
            return;
        }
        for section in doc.parsed.sections.iter().filter(|s| s.kind.has_frontend_side()) {
            for bind in section.find(&["bind"]).filter(|l| l.has_word("ssl") && !l.has_word("alpn")) {
                let message = "TLS without `alpn`: before HAProxy 2.8 browsers stay on HTTP/1.1 and its six-connection limit";
                doc.report(cx, self, bind.span.clone(), message);
            }
        }
    }
}

//! NGX006: `Connection: upgrade` (or `Upgrade`) sent where no upgrade happens.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::{NginxDoc, header_name};
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;
use crate::parse::nginx::view::Context;

declare_rule! {
    /// ## What it does
    /// Flags `proxy_set_header Connection "upgrade"` written literally in a location that is not
    /// a WebSocket (an event stream, a plain API, or any location with a keepalive upstream),
    /// and `proxy_set_header Upgrade` on an event-stream location.
    ///
    /// ## Why is this bad?
    /// Every ordinary request then reaches the backend saying `Connection: upgrade`, which is
    /// meaningless for SSE and works against connection reuse. The `map $http_upgrade
    /// $connection_upgrade` variant sends `upgrade` only when the client asked for it.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /api/ {
    ///     proxy_pass http://app;
    ///     proxy_set_header Connection "upgrade";
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /api/ {
    ///     proxy_pass http://app;
    ///     proxy_set_header Connection $connection_upgrade;
    /// }
    /// ```
    pub struct ConnectionUpgradeHardcoded {
        id: "NGX006",
        name: "connection-upgrade-hardcoded",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Use `map $http_upgrade $connection_upgrade { default upgrade; '' ''; }` and `proxy_set_header Connection $connection_upgrade;`, or drop the upgrade headers from non-WebSocket locations.",
    }
}

impl Rule<NginxDoc> for ConnectionUpgradeHardcoded {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (line, block) in doc.config.occurrences("proxy_set_header") {
            let Some(location) = doc.config.enclosing(block, Context::Location) else { continue };
            let stream = doc.stream(location);
            let name = header_name(line);
            let value = line.arg(1).unwrap_or_default();
            if stream.is_some_and(|s| s.websocket) {
                self.check_websocket(doc, cx, line, location, name.as_deref(), &value);
                continue;
            }
            let sse = stream.filter(|s| !s.websocket);
            if name.as_deref() == Some("connection") && value.eq_ignore_ascii_case("upgrade") {
                match sse {
                    Some(s) => {
                        let msg =
                            "`Connection: upgrade` is sent on every request of this event stream".to_string();
                        doc.report_on_stream(cx, self, Severity::Error, s, line, msg);
                    }
                    None => {
                        let msg = "`Connection: upgrade` is sent on every request of a location that is not a WebSocket";
                        doc.report(cx, self, line, line.span(), msg);
                    }
                }
            } else if name.as_deref() == Some("upgrade")
                && let Some(s) = sse
            {
                let msg =
                    "`Upgrade` is forwarded on an event-stream location, which never upgrades".to_string();
                doc.report_on_stream(cx, self, Severity::Warning, s, line, msg);
            }
        }
    }
}

impl ConnectionUpgradeHardcoded {
    /// On a WebSocket location a literal `upgrade` only hurts when the upstream keeps
    /// connections alive: plain requests on that location then never return to the pool.
    fn check_websocket(
        &self,
        doc: &NginxDoc,
        cx: &mut LintContext<'_>,
        line: crate::parse::nginx::Dir<'_>,
        location: crate::parse::nginx::view::BlockId,
        name: Option<&str>,
        value: &str,
    ) {
        if name != Some("connection") || !value.eq_ignore_ascii_case("upgrade") {
            return;
        }
        let keepalive = doc
            .pass(location)
            .and_then(|p| doc.upstream_of(location, p))
            .is_some_and(|u| doc.config.find(u, "keepalive").next().is_some());
        if keepalive {
            let msg = "a literal `Connection: upgrade` with a keepalive upstream: requests that do not upgrade cannot reuse the pool";
            doc.report(cx, self, line, line.span(), msg);
        }
    }
}

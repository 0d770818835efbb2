//! CHN001: the weakest idle timeout on a stream's path through the layers.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::chain::{Bundle, idle_span, idle_text, label_chain};
use crate::lint::kinds::{format_ms, heartbeat_ms, stream_for_path};
use crate::lint::{Category, LintContext, Rule};

declare_rule! {
    /// ## What it does
    /// For each streaming path, takes the idle (read) timeout of every layer it crosses (the
    /// Ingress's `proxy-read-timeout`, nginx's `proxy_read_timeout`, HAProxy's `timeout server`)
    /// and flags the weakest: an error when it is at most 1.5 × the spec's heartbeat, a warning
    /// when it is a quarter or less of what another layer allows.
    ///
    /// ## Why is this bad?
    /// The shortest hop decides when a quiet stream dies; the long timeouts elsewhere are then
    /// only a promise nobody keeps, and users see periodic disconnects that no single file
    /// explains.
    ///
    /// ## Example
    /// ```text,invalid
    /// ingress.yaml:  nginx.ingress.kubernetes.io/proxy-read-timeout: "3600"   (/api/stream)
    /// haproxy.cfg:   backend api  timeout server 30s                         (/api/stream)
    /// ```
    ///
    /// Use instead:
    /// ```text,valid
    /// ingress.yaml:  nginx.ingress.kubernetes.io/proxy-read-timeout: "120"
    /// haproxy.cfg:   backend api  timeout server 120s
    /// ```
    pub struct IdleTimeoutChain {
        id: "CHN001",
        name: "idle-timeout-chain",
        kind: None,
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Give every layer on a stream's path the same idle timeout, above the heartbeat (3 × the heartbeat is a good margin).",
    }
}

impl Rule<Bundle> for IdleTimeoutChain {
    fn check(&self, bundle: &Bundle, cx: &mut LintContext<'_>) {
        for (path, hops) in &bundle.chains {
            let timed: Vec<_> = hops.iter().filter_map(|h| h.idle.as_ref().map(|(ms, _)| (*ms, h))).collect();
            let (Some(&(weakest, weak_hop)), Some(&(longest, _))) =
                (timed.iter().min_by_key(|(ms, _)| *ms), timed.iter().max_by_key(|(ms, _)| *ms))
            else {
                continue;
            };
            let stream = stream_for_path(cx.settings, path);
            let (heartbeat, known) = heartbeat_ms(stream.as_ref());
            let below_heartbeat = known && weakest.saturating_mul(2) <= heartbeat.saturating_mul(3);
            let lopsided = timed.len() >= 2 && weakest.saturating_mul(4) <= longest;
            if !below_heartbeat && !lopsided {
                continue;
            }
            let message = if below_heartbeat {
                format!(
                    "streams on `{path}` are cut after {} idle at {}, within the {} heartbeat",
                    format_ms(weakest),
                    weak_hop.layer.name(),
                    format_ms(heartbeat)
                )
            } else {
                format!(
                    "streams on `{path}` die after {} idle at {}, though another layer allows {}",
                    format_ms(weakest),
                    weak_hop.layer.name(),
                    format_ms(longest)
                )
            };
            let problem = cx.report(self, &weak_hop.source, idle_span(weak_hop), message);
            if below_heartbeat {
                problem.severity = Severity::Error;
            }
            label_chain(problem, hops, weak_hop, |h| (idle_span(h), idle_text(h)));
        }
    }
}

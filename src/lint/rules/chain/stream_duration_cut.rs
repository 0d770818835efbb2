//! CHN008: a limit on the whole exchange, shorter than another layer lets a stream sit idle.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::chain::{Bundle, idle_span, idle_text, label_chain};
use crate::lint::kinds::{format_ms, stream_for_path};
use crate::lint::{Category, LintContext, Rule};

declare_rule! {
    /// ## What it does
    /// For each path that one layer's own configuration treats as a stream (a `ws://` gateway
    /// route, HAProxy's `timeout tunnel`, `proxy_buffering off` in nginx or the Ingress), flags a
    /// limit on the whole exchange (a gateway `CircuitBreaker`'s time limiter, 1 s unless
    /// configured) that is shorter than the idle timeout another layer sets explicitly for the
    /// path. Paths that the spec, `.sseconf.toml` or their words mark as streams are left to
    /// GW003, which compares the limit with the stream's maximum duration.
    ///
    /// ## Why is this bad?
    /// A stream that may legitimately sit quiet for an hour at nginx lasts at least that long,
    /// but the time limiter cancels every exchange on the route after its limit, however busy:
    /// streams end mid-answer and the fallback runs. Alone, the gateway file shows an ordinary
    /// route with a breaker, and the nginx file a long timeout.
    ///
    /// ## Example
    /// ```text,invalid
    /// nginx.conf:       location /api/chat { proxy_buffering off; proxy_read_timeout 1h; }
    /// application.yml:  route Path=/api/chat/** with CircuitBreaker=chat (time limit 30s)
    /// ```
    ///
    /// Use instead:
    /// ```text,valid
    /// application.yml:  route Path=/api/chat/** without CircuitBreaker
    /// ```
    pub struct StreamDurationCut {
        id: "CHN008",
        name: "stream-duration-cut",
        kind: None,
        severity: Severity::Error,
        category: Category::Streaming,
        fix: "Take the circuit breaker off streaming routes, or give its time limiter a `timeout-duration` longer than the longest stream (or `spring.cloud.circuitbreaker.resilience4j.disable-time-limiter: true`).",
    }
}

impl Rule<Bundle> for StreamDurationCut {
    fn check(&self, bundle: &Bundle, cx: &mut LintContext<'_>) {
        for (path, hops) in &bundle.chains {
            if stream_for_path(cx.settings, path).is_some() || hops.iter().all(|h| h.evidence.is_none()) {
                continue;
            }
            // A route that shows itself it streams (a `ws://` uri) is GW003's in its own file.
            let Some((limit, limit_span, cutter)) = hops
                .iter()
                .filter(|h| h.evidence.is_none())
                .filter_map(|h| h.total.as_ref().map(|(ms, s)| (*ms, s, h)))
                .min_by_key(|t| t.0)
            else {
                continue;
            };
            let idle_elsewhere = hops
                .iter()
                .filter(|h| h.layer != cutter.layer)
                .filter_map(|h| h.idle.as_ref().and_then(|(ms, span)| span.as_ref().map(|_| (*ms, h))))
                .max_by_key(|(ms, _)| *ms);
            let Some((idle, idle_hop)) = idle_elsewhere.filter(|(ms, _)| *ms > limit) else { continue };
            let message = format!(
                "{} cancels every exchange on `{path}` after {} (circuit breaker time limit), but {} lets a stream on it sit idle for {}",
                cutter.layer.name(),
                format_ms(limit),
                idle_hop.layer.name(),
                format_ms(idle)
            );
            let problem = cx.report(self, &cutter.source, limit_span.clone(), message);
            label_chain(problem, hops, cutter, |h| match (&h.evidence, &h.idle) {
                (Some(e), None) => (e.span.clone(), e.reason.clone()),
                (Some(e), Some(_)) => (idle_span(h), format!("{}; {}", idle_text(h), e.reason)),
                (None, _) => (idle_span(h), idle_text(h)),
            });
        }
    }
}

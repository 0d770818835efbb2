//! CHN002: two layers pinning the same stream by different keys.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::chain::{Bundle, label_chain};
use crate::lint::{Category, LintContext, Rule};

declare_rule! {
    /// ## What it does
    /// Flags a streaming path where two layers keep clients on one backend (session affinity)
    /// by different keys, such as nginx `ip_hash` in front of HAProxy
    /// `balance hdr(X-Session-ID)`.
    ///
    /// ## Why is this bad?
    /// Each layer then sends a reconnecting client somewhere the other did not expect: the
    /// affinity meant to bring a resumed stream back to its session state holds in neither
    /// layer, and behind NAT the client-IP layer piles users onto one backend.
    ///
    /// ## Example
    /// ```text,invalid
    /// nginx.conf:   upstream app { ip_hash; ... }            (location /api/stream)
    /// haproxy.cfg:  backend api  balance hdr(X-Session-ID)   (path_beg /api/stream)
    /// ```
    ///
    /// Use instead:
    /// ```text,valid
    /// nginx.conf:   upstream app { hash $http_x_session_id consistent; ... }
    /// haproxy.cfg:  backend api  balance hdr(X-Session-ID)
    /// ```
    pub struct AffinityKeyMismatch {
        id: "CHN002",
        name: "affinity-key-mismatch",
        kind: None,
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Pin by one key in one layer (the innermost that knows the session), or by the same key everywhere.",
    }
}

impl Rule<Bundle> for AffinityKeyMismatch {
    fn check(&self, bundle: &Bundle, cx: &mut LintContext<'_>) {
        for (path, hops) in &bundle.chains {
            let pinned: Vec<_> = hops.iter().filter_map(|h| h.affinity.as_ref().map(|a| (a, h))).collect();
            let Some(((first_key, _), first)) = pinned.first().copied() else { continue };
            let Some(((other_key, other_span), other)) =
                pinned.iter().copied().find(|((k, _), _)| !k.eq_ignore_ascii_case(first_key))
            else {
                continue;
            };
            let message = format!(
                "`{path}`: {} pins clients by {other_key} while {} pins them by {first_key}",
                other.layer.name(),
                first.layer.name()
            );
            let problem = cx.report(self, &other.source, other_span.clone(), message);
            label_chain(problem, hops, other, |h| match &h.affinity {
                Some((key, span)) => (span.clone(), format!("{}: pins by {key}", h.layer.name())),
                None => (h.span.clone(), format!("{}: no affinity", h.layer.name())),
            });
        }
    }
}

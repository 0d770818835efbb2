//! CHN007: a layer buffers a path that another layer's configuration shows is a stream.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::chain::{Bundle, Hop, label_chain};
use crate::lint::kinds::stream_for_path;
use crate::lint::{Category, LintContext, Rule};

declare_rule! {
    /// ## What it does
    /// For each path that one layer's own configuration treats as an event stream (nginx's
    /// `proxy_buffering off` on the location, the Ingress's `proxy-buffering: "off"`), flags
    /// every other layer on the path that buffers it: nginx with `proxy_buffering` on (an error)
    /// or left at its default (a warning: the app may still send `X-Accel-Buffering: no`), an
    /// Ingress with `proxy-buffering: "on"`. Paths that the spec, `.sseconf.toml` or their words
    /// already mark as streams are left to each kind's own rules, which flag buffering there.
    ///
    /// ## Why is this bad?
    /// One buffering layer is enough to turn a token stream into one lump: the events wait in
    /// its buffer until it fills or the response ends. Each file looks right to whoever wrote it:
    /// the layer that knows the path streams has buffering off, the one that buffers sees only
    /// an ordinary path such as `/api/chat`.
    ///
    /// ## Example
    /// ```text,invalid
    /// nginx.conf:    location /api/chat { proxy_buffering off; proxy_pass http://ingress; }
    /// ingress.yaml:  nginx.ingress.kubernetes.io/proxy-buffering: "on"          (/api/chat)
    /// ```
    ///
    /// Use instead:
    /// ```text,valid
    /// ingress.yaml:  nginx.ingress.kubernetes.io/proxy-buffering: "off"         (/api/chat)
    /// ```
    pub struct BufferingOnChain {
        id: "CHN007",
        name: "buffering-on-chain",
        kind: None,
        severity: Severity::Error,
        category: Category::Streaming,
        fix: "Turn buffering off for the path at every layer (nginx `proxy_buffering off;`, ingress-nginx `proxy-buffering: \"off\"`), or list the path in the spec so each layer is generated unbuffered.",
    }
}

impl Rule<Bundle> for BufferingOnChain {
    fn check(&self, bundle: &Bundle, cx: &mut LintContext<'_>) {
        for (path, hops) in &bundle.chains {
            if stream_for_path(cx.settings, path).is_some() {
                continue;
            }
            let Some((witness, reason)) = hops
                .iter()
                .find_map(|h| h.evidence.as_ref().filter(|e| !e.websocket).map(|e| (h, e.reason.as_str())))
            else {
                continue;
            };
            for hop in hops.iter().filter(|h| h.layer != witness.layer) {
                let Some(buffering) = &hop.buffering else { continue };
                let message = format!(
                    "{} buffers `{path}` ({}), but the path is an event stream: {reason}",
                    hop.layer.name(),
                    buffering.what
                );
                let problem = cx.report(self, &hop.source, buffering.span.clone(), message);
                if !buffering.certain {
                    problem.severity = Severity::Warning;
                }
                label_chain(problem, hops, hop, hop_text);
            }
        }
    }
}

/// What a hop does to the stream, for the labels in the other files.
fn hop_text(hop: &Hop) -> (std::ops::Range<usize>, String) {
    match (&hop.evidence, &hop.buffering) {
        (Some(evidence), _) => (evidence.span.clone(), evidence.reason.clone()),
        (None, Some(buffering)) => (buffering.span.clone(), format!("{} buffers it too", hop.layer.name())),
        (None, None) => (hop.span.clone(), format!("{} passes events through", hop.layer.name())),
    }
}

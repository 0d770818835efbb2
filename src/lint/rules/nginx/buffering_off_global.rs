//! NGX020: buffering turned off for everything, not just streams.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule, add_label};
use crate::parse::kind::FileKind;
use crate::parse::nginx::view::{BlockId, Context};

declare_rule! {
    /// ## What it does
    /// Flags `proxy_buffering off` or `proxy_request_buffering off` written at `http` or
    /// `server` level when proxied locations that do not stream inherit it.
    ///
    /// ## Why is this bad?
    /// Without buffering, a slow client holds the upstream connection (and an application
    /// thread) for the whole download; buffering is what shields backends. Streams need it off,
    /// ordinary API calls do not. This rule never flags `proxy_buffering off` in a streaming
    /// location: that is the fix for NGX001.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// server {
    ///     proxy_buffering off;
    ///     location /api/ { proxy_pass http://app; }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// server {
    ///     location /api/ { proxy_pass http://app; }
    ///     location /api/stream { proxy_pass http://app; proxy_buffering off; }
    /// }
    /// ```
    pub struct BufferingOffGlobal {
        id: "NGX020",
        name: "buffering-off-global",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Performance,
        fix: "Turn buffering off only in the streaming locations.",
    }
}

impl Rule<NginxDoc> for BufferingOffGlobal {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for directive in ["proxy_buffering", "proxy_request_buffering"] {
            // Which global `off` each plain proxied location inherits: one pass over locations.
            let mut victims: std::collections::HashMap<u32, Vec<BlockId>> = std::collections::HashMap::new();
            for loc in doc.locations().filter(|&l| doc.stream(l).is_none() && doc.pass(l).is_some()) {
                let Some((d, at)) = doc.config.effective_in(loc, directive) else { continue };
                let level = doc.config.block(at).map(|b| b.context);
                if d.arg(0).as_deref() == Some("off")
                    && matches!(level, Some(Context::Http | Context::Server | Context::Main))
                {
                    victims.entry(d.id).or_default().push(loc);
                }
            }
            let mut ids: Vec<_> = victims.into_iter().collect();
            ids.sort_by_key(|(id, _)| *id);
            for (id, locs) in ids {
                let d = doc.config.dir(id);
                let paths: Vec<String> = locs
                    .iter()
                    .take(3)
                    .map(|&l| crate::lint::nginx::stream::location_path(&doc.config, l))
                    .collect();
                let msg = format!(
                    "`{directive} off` also applies to {} location(s) that do not stream: {}",
                    locs.len(),
                    paths.join(", ")
                );
                if let Some(p) = doc.report(cx, self, d, d.span(), msg)
                    && let Some(head) = locs.first().and_then(|&l| doc.head(l))
                {
                    add_label(p, head.source(), head.head_span(), "not a stream, but unbuffered");
                }
            }
        }
    }
}

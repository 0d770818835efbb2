//! NGX017: directives outside the context nginx allows them in.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;
use crate::parse::nginx::context::lookup;
use crate::parse::nginx::view::{BlockId, Context};

declare_rule! {
    /// ## What it does
    /// Flags core directives written where nginx does not allow them: `worker_processes`,
    /// `worker_rlimit_nofile` or `events` inside `http`, `worker_connections` outside `events`,
    /// `keepalive`/`ip_hash` outside `upstream`, `proxy_pass` outside a location, and a main
    /// file (`nginx.conf`, or one with `worker_processes`/`user`/`pid`) without `events`.
    ///
    /// ## Why is this bad?
    /// `nginx -t` fails with "directive is not allowed here" or "no events section in
    /// configuration", and the proxy does not start or reload.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// events {}
    /// http {
    ///     worker_processes auto;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// worker_processes auto;
    /// events {}
    /// http {
    /// }
    /// ```
    pub struct DirectiveContext {
        id: "NGX017",
        name: "directive-context",
        kind: Some(FileKind::Nginx),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Move the directive to the context the nginx docs give for it (`worker_*` at the top level, `worker_connections` in `events`).",
    }
}

/// Contexts whose contents this rule checks (others are data, modules or already misplaced).
const CHECKED: &[Context] = &[
    Context::Main,
    Context::Events,
    Context::Http,
    Context::Server,
    Context::Location,
    Context::If,
    Context::Upstream,
    Context::LimitExcept,
];

impl Rule<NginxDoc> for DirectiveContext {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (i, block) in doc.config.blocks.iter().enumerate() {
            if !CHECKED.contains(&block.context) {
                continue;
            }
            for d in doc.config.items(i as BlockId) {
                if let Some(msg) = misplaced(d.name(), d.has_block(), block.context) {
                    doc.report(cx, self, d, d.head_span(), msg);
                }
            }
        }
        for &root in &doc.config.roots {
            self.check_events(doc, cx, root);
        }
    }
}

fn misplaced(name: &str, has_block: bool, context: Context) -> Option<String> {
    if name == "server" {
        let ok = if has_block { context == Context::Http } else { context == Context::Upstream };
        return (!ok).then(|| format!("`server` is not allowed in {}", context.name()));
    }
    let spec = lookup(name)?;
    (!spec.contexts.contains(&context)).then(|| {
        let allowed: Vec<&str> = spec.contexts.iter().map(|c| c.name()).collect();
        format!("`{name}` is not allowed in {}; it belongs in {}", context.name(), allowed.join(", "))
    })
}

impl DirectiveContext {
    /// A main file (one with `http`) needs a top-level `events` block.
    fn check_events(&self, doc: &NginxDoc, cx: &mut LintContext<'_>, root: BlockId) {
        if doc.config.block(root).is_none_or(|b| b.context != Context::Main) {
            return;
        }
        let http = doc.config.find(root, "http").next();
        // Only a real main file: named nginx.conf, or holding main-only directives. Parser test
        // fixtures and http-only snippets have `http` alone.
        let is_main = http.and_then(|h| h.source()).is_some_and(|s| s.name.ends_with("nginx.conf"))
            || ["worker_processes", "user", "pid", "worker_rlimit_nofile", "load_module"]
                .iter()
                .any(|n| doc.config.last(root, n).is_some());
        if let Some(http) = http
            && is_main
            && doc.config.find(root, "events").next().is_none()
        {
            doc.report(
                cx,
                self,
                http,
                http.head_span(),
                "the main file has no top-level `events` block; nginx -t fails with \"no events section\"",
            );
        }
    }
}

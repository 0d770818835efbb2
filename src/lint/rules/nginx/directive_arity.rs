//! NGX037: core directives with the wrong number of arguments.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;
use crate::parse::nginx::context::lookup;
use crate::parse::nginx::view::{BlockId, Context};

declare_rule! {
    /// ## What it does
    /// Flags core directives with a wrong number of arguments, and on/off directives with
    /// another value (`proxy_buffering no`).
    ///
    /// ## Why is this bad?
    /// `nginx -t` fails with "invalid number of arguments" or "invalid value ... it must be
    /// on or off". A quoting mistake (`add_header X "a" "b" c`) is the usual cause.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_buffering no;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /events {
    ///     proxy_pass http://app;
    ///     proxy_buffering off;
    /// }
    /// ```
    pub struct DirectiveArity {
        id: "NGX037",
        name: "directive-arity",
        kind: Some(FileKind::Nginx),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Give the directive the arguments its documentation lists; quote values that contain spaces.",
    }
}

impl Rule<NginxDoc> for DirectiveArity {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (i, block) in doc.config.blocks.iter().enumerate() {
            if matches!(block.context, Context::Data | Context::Unknown | Context::Stream | Context::Mail) {
                continue;
            }
            for d in doc.config.items(i as BlockId) {
                if d.is("server") || d.is("include") {
                    continue;
                }
                let Some(spec) = lookup(d.name()) else { continue };
                let first =
                    if spec.arity == crate::parse::nginx::context::Arity::Flag { d.arg(0) } else { None };
                if !spec.arity.accepts(d.arg_count(), first.as_deref()) {
                    let msg =
                        format!("`{}` takes {}, not `{}`", d.name(), spec.arity.describe(), d.args_text());
                    doc.report(cx, self, d, d.head_span(), msg);
                }
            }
        }
    }
}

//! GW005: body-rewriting filters declared in YAML.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::GatewayDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::gateway;
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `ModifyRequestBody` and `ModifyResponseBody` in YAML route or default filters.
    ///
    /// ## Why is this bad?
    /// Both need a rewrite function and can only be configured with the Java DSL, so the route
    /// fails to bind. They also aggregate the whole body: on a stream the response is held back
    /// until it ends.
    ///
    /// ## Example
    /// ```gateway,invalid
    /// spring:
    ///   cloud:
    ///     gateway:
    ///       routes:
    ///         - id: chat
    ///           uri: lb://chat
    ///           filters:
    ///             - name: ModifyRequestBody
    ///               args:
    ///                 content-type: application/json
    /// ```
    ///
    /// Use instead:
    /// ```gateway,valid
    /// spring:
    ///   cloud:
    ///     gateway:
    ///       routes:
    ///         - id: chat
    ///           uri: lb://chat
    /// ```
    pub struct ModifyBodyFilter {
        id: "GW005",
        name: "modify-body-filter",
        kind: Some(FileKind::Gateway),
        severity: Severity::Error,
        category: Category::Streaming,
        fix: "Remove it from YAML; rewrite bodies in the application, and never on streaming routes.",
    }
}

impl Rule<GatewayDoc> for ModifyBodyFilter {
    fn check(&self, doc: &GatewayDoc, cx: &mut LintContext<'_>) {
        let routes = gateway::routes(&doc.parsed);
        let defaults = gateway::default_filters(&doc.parsed);
        let filters = routes.iter().flat_map(|r| r.filters.iter()).chain(defaults.iter().map(|(_, f)| f));
        for filter in filters.filter(|f| f.is("ModifyRequestBody") || f.is("ModifyResponseBody")) {
            let message = format!(
                "`{}` cannot be configured in YAML (it needs a rewrite function) and buffers the whole body",
                filter.name
            );
            doc.report(cx, self, filter.name_span.clone(), message);
        }
    }
}

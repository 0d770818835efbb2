//! GW000: what the gateway parser could not read.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::GatewayDoc;
use crate::lint::kinds::report_yaml_errors;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports YAML that Spring Boot cannot load.
    ///
    /// ## Why is this bad?
    /// The gateway does not start on a syntax error in `application.yml`.
    ///
    /// ## Example
    /// ```gateway,invalid
    /// spring:
    ///   cloud:
    ///     gateway: [routes
    /// ```
    ///
    /// Use instead:
    /// ```gateway,valid
    /// spring:
    ///   cloud:
    ///     gateway:
    ///       routes: []
    /// ```
    pub struct SyntaxError {
        id: "GW000",
        name: "gateway-syntax-error",
        kind: Some(FileKind::Gateway),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Fix the YAML.",
    }
}

impl Rule<GatewayDoc> for SyntaxError {
    fn check(&self, doc: &GatewayDoc, cx: &mut LintContext<'_>) {
        report_yaml_errors(doc, cx, self, false);
    }
}

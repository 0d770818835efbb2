//! GW001: the same key twice in one mapping of application.yml.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::GatewayDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;
use crate::parse::yaml::YamlErrorKind;

declare_rule! {
    /// ## What it does
    /// Flags a key written twice in the same mapping, such as two `cloud:` blocks under
    /// `spring:`.
    ///
    /// ## Why is this bad?
    /// Spring Boot's YAML loader refuses duplicate keys, so the gateway does not start. Lenient
    /// YAML tools keep only the last one, which silently drops everything under the first, such
    /// as all the routes.
    ///
    /// ## Example
    /// ```gateway,invalid
    /// spring:
    ///   cloud:
    ///     gateway:
    ///       routes: []
    ///   cloud:
    ///     gateway:
    ///       httpclient:
    ///         connect-timeout: 2000
    /// ```
    ///
    /// Use instead:
    /// ```gateway,valid
    /// spring:
    ///   cloud:
    ///     gateway:
    ///       routes: []
    ///       httpclient:
    ///         connect-timeout: 2000
    /// ```
    pub struct DuplicateYamlKey {
        id: "GW001",
        name: "duplicate-yaml-key",
        kind: Some(FileKind::Gateway),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Merge the two blocks into one.",
    }
}

impl Rule<GatewayDoc> for DuplicateYamlKey {
    fn check(&self, doc: &GatewayDoc, cx: &mut LintContext<'_>) {
        for error in doc.parsed.errors.iter().filter(|e| e.kind == YamlErrorKind::DuplicateKey) {
            let message = format!(
                "{}: Spring Boot refuses to start, and lenient loaders drop the first block",
                error.message
            );
            let problem = doc.report(cx, self, error.span.clone(), message);
            if let Some(first) = &error.related {
                doc.label(problem, first.clone(), "first defined here");
            }
        }
    }
}

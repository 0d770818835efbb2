//! CMP000: what the compose parser could not read.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::ComposeDoc;
use crate::lint::kinds::report_yaml_errors;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports YAML that Compose cannot load: syntax errors and keys repeated in one mapping.
    ///
    /// ## Why is this bad?
    /// Compose refuses the whole project on a syntax error or a duplicate key, and lenient YAML
    /// tools silently keep only the last of two keys, dropping settings.
    ///
    /// ## Example
    /// ```compose,invalid
    /// services:
    ///   app:
    ///     image: app:1.2
    ///     image: app:1.3
    /// ```
    ///
    /// Use instead:
    /// ```compose,valid
    /// services:
    ///   app:
    ///     image: app:1.3
    /// ```
    pub struct SyntaxError {
        id: "CMP000",
        name: "compose-syntax-error",
        kind: Some(FileKind::Compose),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Fix the YAML; `docker compose config` gives the same verdict.",
    }
}

impl Rule<ComposeDoc> for SyntaxError {
    fn check(&self, doc: &ComposeDoc, cx: &mut LintContext<'_>) {
        report_yaml_errors(doc, cx, self, true);
    }
}

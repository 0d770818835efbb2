//! K8S000: what the kubernetes parser could not read.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::K8sDoc;
use crate::lint::kinds::report_yaml_errors;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports YAML that kubectl cannot load: syntax errors and keys repeated in one mapping.
    ///
    /// ## Why is this bad?
    /// kubectl rejects the manifest (strict decoding refuses duplicate fields), or a lenient tool
    /// keeps the last key and silently drops the first one's settings.
    ///
    /// ## Example
    /// ```kubernetes,invalid
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: a
    ///   name: b
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,valid
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: b
    /// ```
    pub struct SyntaxError {
        id: "K8S000",
        name: "kubernetes-syntax-error",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Fix the YAML; `kubectl apply --dry-run=server` gives the same verdict.",
    }
}

impl Rule<K8sDoc> for SyntaxError {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        report_yaml_errors(doc, cx, self, true);
    }
}

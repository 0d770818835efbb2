//! DKR000: what the dockerfile parser could not read.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::DockerDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports what BuildKit cannot parse: unknown instructions, missing arguments, unterminated quotes or here-documents.
    ///
    /// ## Why is this bad?
    /// The build fails before the first step. The linter resumes at the next instruction, so the
    /// file's other findings are still reported.
    ///
    /// ## Example
    /// ```dockerfile,invalid
    /// FROM alpine:3.20
    /// RUNN apk add curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,valid
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl
    /// ```
    pub struct SyntaxError {
        id: "DKR000",
        name: "dockerfile-syntax-error",
        kind: Some(FileKind::Dockerfile),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Fix the instruction; `docker build --check` reports the same error.",
    }
}

impl Rule<DockerDoc> for SyntaxError {
    fn check(&self, doc: &DockerDoc, cx: &mut LintContext<'_>) {
        for error in &doc.parsed.errors {
            doc.report(cx, self, error.span.clone(), error.message.clone());
        }
    }
}

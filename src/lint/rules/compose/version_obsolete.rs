//! CMP002: the obsolete top-level `version:` key.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::ComposeDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::compose;
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags the top-level `version:` key of a Compose file.
    ///
    /// ## Why is this bad?
    /// Compose v2 ignores it and prints a warning on every command; it suggests a file format
    /// (and feature limits) that no longer exist.
    ///
    /// ## Example
    /// ```compose,invalid
    /// version: '3.8'
    /// services:
    ///   app:
    ///     image: app:1.2
    /// ```
    ///
    /// Use instead:
    /// ```compose,valid
    /// services:
    ///   app:
    ///     image: app:1.2
    /// ```
    pub struct VersionObsolete {
        id: "CMP002",
        name: "compose-version-obsolete",
        kind: Some(FileKind::Compose),
        severity: Severity::Info,
        category: Category::Deprecation,
        fix: "Delete the `version:` line.",
    }
}

impl Rule<ComposeDoc> for VersionObsolete {
    fn check(&self, doc: &ComposeDoc, cx: &mut LintContext<'_>) {
        for document in &doc.parsed.documents {
            if let Some((key, value)) = compose::version(document) {
                let version = value.text().unwrap_or("");
                let message = format!("`version: {version}` is obsolete; Compose v2 ignores it");
                doc.report(cx, self, key.span.start..value.span.end.max(key.span.end), message);
            }
        }
    }
}

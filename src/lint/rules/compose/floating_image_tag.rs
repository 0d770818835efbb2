//! CMP004: images that float (`:latest`, no tag, or only a distro tag like `alpine`).

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::ComposeDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;
use crate::parse::{compose, image};

declare_rule! {
    /// ## What it does
    /// Flags service images without a version: `:latest`, no tag at all, or a tag that only
    /// names a flavour (`nginx:alpine`, `redis:bookworm`). Images given by digest are fine.
    ///
    /// ## Why is this bad?
    /// Every pull may bring a new major version with new defaults (nginx 1.29.7 changed three
    /// proxy defaults), so the same file deploys different proxies on different days.
    ///
    /// ## Example
    /// ```compose,invalid
    /// services:
    ///   nginx:
    ///     image: nginx:alpine
    /// ```
    ///
    /// Use instead:
    /// ```compose,valid
    /// services:
    ///   nginx:
    ///     image: nginx:1.27.3-alpine
    /// ```
    pub struct FloatingImageTag {
        id: "CMP004",
        name: "floating-image-tag",
        kind: Some(FileKind::Compose),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Pin a version tag (`nginx:1.27.3-alpine`) or a digest.",
    }
}

/// Tags that name a flavour or channel but no version.
const FLAVOUR_TAGS: &[&str] = &[
    "alpine",
    "slim",
    "bookworm",
    "bullseye",
    "buster",
    "jammy",
    "focal",
    "noble",
    "stable",
    "mainline",
    "lts",
    "edge",
    "current",
    "stable-alpine",
    "mainline-alpine",
    "alpine-slim",
];

/// Why an image reference floats, if it does.
pub fn floating_reason(text: &str) -> Option<String> {
    let reference = image::parse(text);
    if reference.has_variable() || reference.digest.is_some() {
        return None;
    }
    match reference.tag.as_deref() {
        None => Some(format!("`{text}` has no tag, so it means `latest`")),
        Some("latest") => Some(format!("`{text}` uses the moving `latest` tag")),
        Some(tag) if FLAVOUR_TAGS.contains(&tag) => Some(format!("`{text}` names a flavour but no version")),
        Some(_) => None,
    }
}

impl Rule<ComposeDoc> for FloatingImageTag {
    fn check(&self, doc: &ComposeDoc, cx: &mut LintContext<'_>) {
        for document in &doc.parsed.documents {
            for service in compose::services(document) {
                let Some(node) = service.image() else { continue };
                if let Some(reason) = node.text().and_then(floating_reason) {
                    doc.report(cx, self, node.span.clone(), reason);
                }
            }
        }
    }
}

//! K8S001: container images on `:latest` or without a tag.

use super::objects;
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::K8sDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::image;
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags container images with the `latest` tag or no tag, and no digest.
    ///
    /// ## Why is this bad?
    /// The pull policy becomes `Always` and two pods of one Deployment may run different code;
    /// rollbacks do not roll back. A name without a registry also resolves to Docker Hub's
    /// `library/`, so a locally built `streaming-app` fails to pull.
    ///
    /// ## Example
    /// ```kubernetes,invalid
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: streaming-app:latest
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,valid
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/streaming-app:1.4.2
    /// ```
    pub struct ImageTag {
        id: "K8S001",
        name: "image-tag",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Use an immutable version tag or a digest, with an explicit registry.",
    }
}

impl Rule<K8sDoc> for ImageTag {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        for object in objects(doc) {
            for container in object.containers() {
                let Some(node) = container.image() else { continue };
                let text = node.text().unwrap_or("");
                let reference = image::parse(text);
                if reference.is_floating() && !reference.has_variable() {
                    let message = format!("image `{text}` floats: it has no version tag or digest");
                    doc.report(cx, self, node.span.clone(), message);
                }
            }
        }
    }
}

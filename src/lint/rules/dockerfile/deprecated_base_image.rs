//! DKR003: a base image from a deprecated repository.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::DockerDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::image;
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `FROM` images of deprecated official repositories: `openjdk`, `adoptopenjdk`,
    /// `java` and `centos`.
    ///
    /// ## Why is this bad?
    /// These repositories get no updates; many `openjdk` tags (such as `17-jdk-slim`) were
    /// removed, so the build fails, and the ones left carry unpatched vulnerabilities.
    ///
    /// ## Example
    /// ```dockerfile,invalid
    /// FROM openjdk:17-jdk-slim
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,valid
    /// FROM eclipse-temurin:17-jre
    /// ```
    pub struct DeprecatedBaseImage {
        id: "DKR003",
        name: "deprecated-base-image",
        kind: Some(FileKind::Dockerfile),
        severity: Severity::Error,
        category: Category::Deprecation,
        fix: "Use a maintained image: `eclipse-temurin:<version>-jre` for Java, a supported distribution for CentOS.",
    }
}

/// Deprecated repositories and what replaces them.
const DEPRECATED: &[(&str, &str)] = &[
    ("openjdk", "eclipse-temurin"),
    ("adoptopenjdk", "eclipse-temurin"),
    ("adoptopenjdk/openjdk8", "eclipse-temurin"),
    ("adoptopenjdk/openjdk11", "eclipse-temurin"),
    ("java", "eclipse-temurin"),
    ("centos", "rockylinux or almalinux"),
];

impl Rule<DockerDoc> for DeprecatedBaseImage {
    fn check(&self, doc: &DockerDoc, cx: &mut LintContext<'_>) {
        let mut stages: Vec<String> = Vec::new();
        for from in doc.parsed.all("FROM") {
            let words = from.words();
            let Some(image_word) = words.first() else { continue };
            let reference = image::parse(&image_word.text);
            let name = reference.name.trim_start_matches("docker.io/").trim_start_matches("library/");
            let is_stage = stages.iter().any(|s| s.eq_ignore_ascii_case(name));
            if let (false, Some((old, new))) = (is_stage, DEPRECATED.iter().find(|(old, _)| *old == name)) {
                let message = format!("`{old}` is a deprecated image repository; use {new}");
                doc.report(cx, self, image_word.span.clone(), message);
            }
            if let Some(stage) = words.get(2) {
                stages.push(stage.text.clone());
            }
        }
    }
}

//! DKR004: the image runs as root.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::DockerDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a final stage whose last `USER` is `root` (or `0`); with no `USER` at all, the
    /// finding is informational, since the base image may already switch users.
    ///
    /// ## Why is this bad?
    /// A process running as root turns any remote code execution in the app into root in the
    /// container, and it can write wherever it likes, hiding permission bugs until a hardened
    /// runtime refuses to start it.
    ///
    /// ## Example
    /// ```dockerfile,invalid
    /// FROM eclipse-temurin:21-jre
    /// USER root
    /// CMD ["java", "-jar", "/app/app.jar"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,valid
    /// FROM eclipse-temurin:21-jre
    /// USER 10001
    /// CMD ["java", "-jar", "/app/app.jar"]
    /// ```
    pub struct RootUser {
        id: "DKR004",
        name: "root-user",
        kind: Some(FileKind::Dockerfile),
        severity: Severity::Warning,
        category: Category::Security,
        fix: "Create an unprivileged user and end the final stage with `USER <name or uid>`.",
    }
}

impl Rule<DockerDoc> for RootUser {
    fn check(&self, doc: &DockerDoc, cx: &mut LintContext<'_>) {
        let stage = doc.parsed.final_stage();
        let Some(from) = stage.first() else { return };
        let base = from.words().first().map(|w| w.text.to_ascii_lowercase()).unwrap_or_default();
        if base == "scratch" || base.contains("nonroot") {
            return;
        }
        match doc.parsed.last_in_final_stage("USER") {
            Some(user) => {
                let name = user.words().first().map(|w| w.text.clone()).unwrap_or_default();
                let account = name.split(':').next().unwrap_or("");
                if account == "root" || account == "0" {
                    doc.report(cx, self, user.span.clone(), "the image runs as root");
                }
            }
            None => {
                let message =
                    "no `USER` in the final stage: the image runs as its base image's user, usually root";
                doc.report(cx, self, from.span.clone(), message).severity = Severity::Info;
            }
        }
    }
}

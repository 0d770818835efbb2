//! DKR008: the non-root process is told to write under a folder that WORKDIR created for root.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::DockerDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::dockerfile::Instruction;
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// In the final stage, when the image ends with a non-root `USER`, flags `ENV` values naming a
    /// path under a folder that `WORKDIR` created before the switch (so it belongs to root), when
    /// no `RUN ... chown`/`chmod` and no `COPY --chown` hands that folder over.
    ///
    /// ## Why is this bad?
    /// `WORKDIR` creates missing folders owned by root. The application then cannot create its
    /// log folder or write heap dumps there: startup fails (`mkdir: Permission denied` under
    /// `set -e`), or the dump an out-of-memory crash should leave is silently lost.
    ///
    /// ## Example
    /// ```dockerfile,invalid
    /// FROM eclipse-temurin:17.0.13_11-jre-jammy
    /// WORKDIR /app
    /// ENV JAVA_TOOL_OPTIONS="-XX:HeapDumpPath=/app/logs"
    /// USER 10001
    /// CMD ["java", "-jar", "app.jar"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,valid
    /// FROM eclipse-temurin:17.0.13_11-jre-jammy
    /// WORKDIR /app
    /// RUN mkdir -p /app/logs && chown 10001:10001 /app/logs
    /// ENV JAVA_TOOL_OPTIONS="-XX:HeapDumpPath=/app/logs"
    /// USER 10001
    /// CMD ["java", "-jar", "app.jar"]
    /// ```
    pub struct NonrootUnwritableDir {
        id: "DKR008",
        name: "nonroot-unwritable-dir",
        kind: Some(FileKind::Dockerfile),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Create the folders the process writes and hand them over before `USER`: `RUN mkdir -p /app/logs && chown <uid>:<gid> /app/logs` (or mount a volume there).",
    }
}

impl Rule<DockerDoc> for NonrootUnwritableDir {
    fn check(&self, doc: &DockerDoc, cx: &mut LintContext<'_>) {
        let stage = doc.parsed.final_stage();
        let Some(user_at) = stage.iter().rposition(|i| i.is("USER")) else { return };
        if stage.get(user_at).is_some_and(is_root_user) {
            return;
        }
        let root_dirs: Vec<String> = stage
            .iter()
            .take(user_at)
            .filter(|i| i.is("WORKDIR"))
            .filter_map(|i| i.words().first().map(|w| w.text.trim_end_matches('/').to_string()))
            .filter(|d| d.starts_with('/') && d.len() > 1)
            .collect();
        for env in stage.iter().filter(|i| i.is("ENV")) {
            for word in env.words() {
                let Some(dir) = root_dirs.iter().find(|d| mentions_below(&word.text, d)) else { continue };
                if handed_over(stage, dir) {
                    continue;
                }
                let message = format!(
                    "`ENV` points the process below `{dir}`, which WORKDIR created for root, but the image runs as a non-root user"
                );
                doc.report(cx, self, word.span.clone(), message);
            }
        }
    }
}

fn is_root_user(user: &Instruction) -> bool {
    let name = user.words().first().map(|w| w.text.clone()).unwrap_or_default();
    matches!(name.split(':').next(), Some("root" | "0"))
}

/// `text` names a path strictly below `dir` (`/app/logs` for `/app`).
fn mentions_below(text: &str, dir: &str) -> bool {
    let prefix = format!("{dir}/");
    text.match_indices(&prefix).any(|(at, _)| {
        let before = text.get(..at).and_then(|b| b.chars().last());
        let after = text.get(at + prefix.len()..).and_then(|a| a.chars().next());
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '/' || c == '.')
            && after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
    })
}

/// Some RUN changes ownership or mode of the folder (or below it), or a COPY/ADD hands files over.
fn handed_over(stage: &[Instruction], dir: &str) -> bool {
    stage.iter().any(|i| {
        let by_run = i.is("RUN") && {
            let text = i.command_text();
            (text.contains("chown") || text.contains("chmod")) && text.contains(dir)
        };
        let by_copy = (i.is("COPY") || i.is("ADD")) && i.flags.iter().any(|f| f.name == "chown");
        by_run || by_copy
    })
}

//! DKR007: `JAVA_OPTS` that no JVM ever reads.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::DockerDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::dockerfile::{self, Args};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `ENV JAVA_OPTS=...` when the final `CMD`/`ENTRYPOINT` runs `java` without
    /// expanding `$JAVA_OPTS`, for example `CMD ["java", "-jar", "app.jar"]` (also behind a
    /// wrapper script that ends in `exec "$@"`).
    ///
    /// ## Why is this bad?
    /// The JVM never reads `JAVA_OPTS`, only start scripts do, and exec form expands no
    /// variables: every heap, GC and reactor-netty flag in it is silently ignored.
    ///
    /// ## Example
    /// ```dockerfile,invalid
    /// FROM eclipse-temurin:21-jre
    /// ENV JAVA_OPTS="-XX:MaxRAMPercentage=70"
    /// CMD ["java", "-jar", "/app/app.jar"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,valid
    /// FROM eclipse-temurin:21-jre
    /// ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70"
    /// CMD ["java", "-jar", "/app/app.jar"]
    /// ```
    pub struct JavaOptsNotApplied {
        id: "DKR007",
        name: "java-opts-not-applied",
        kind: Some(FileKind::Dockerfile),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Put the flags in `JAVA_TOOL_OPTIONS` (read by the JVM itself), or run `exec java $JAVA_OPTS -jar ...` from a shell.",
    }
}

impl Rule<DockerDoc> for JavaOptsNotApplied {
    fn check(&self, doc: &DockerDoc, cx: &mut LintContext<'_>) {
        let file = &doc.parsed;
        let commands: Vec<_> =
            ["ENTRYPOINT", "CMD"].iter().filter_map(|n| file.last_in_final_stage(n)).collect();
        let runs_java = commands
            .iter()
            .any(|c| c.command_text().split_whitespace().any(|w| w == "java" || w.ends_with("/java")));
        let expands = commands
            .iter()
            .any(|c| matches!(c.args, Args::Shell(_)) && c.command_text().contains("JAVA_OPTS"));
        if !runs_java || expands {
            return;
        }
        for env in file.final_stage().iter().filter(|i| i.is("ENV")) {
            let Some(word) = env.words().first().map(|w| (*w).clone()) else { continue };
            for (key, _) in dockerfile::env_pairs(&word).into_iter().filter(|(k, _)| k.text == "JAVA_OPTS") {
                let problem = doc.report(
                    cx,
                    self,
                    key.span.clone(),
                    "`JAVA_OPTS` is set, but the `java` command never receives it",
                );
                for command in &commands {
                    doc.label(problem, command.span.clone(), "runs java without $JAVA_OPTS");
                }
            }
        }
    }
}

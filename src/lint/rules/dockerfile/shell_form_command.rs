//! DKR001: CMD or ENTRYPOINT in shell form, so the app is not PID 1.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::DockerDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::dockerfile::Args;
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags the final stage's `ENTRYPOINT` or `CMD` written in shell form (`CMD java -jar
    /// app.jar`) unless the command starts with `exec`.
    ///
    /// ## Why is this bad?
    /// Shell form runs `/bin/sh -c "..."`: the shell is PID 1 and does not forward SIGTERM, so
    /// on a rollout the app never hears it should drain. Open streams are cut when the grace
    /// period ends instead of being closed with a reconnect hint.
    ///
    /// ## Example
    /// ```dockerfile,invalid
    /// FROM eclipse-temurin:21-jre
    /// USER app
    /// CMD java -jar /app/app.jar
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,valid
    /// FROM eclipse-temurin:21-jre
    /// USER app
    /// CMD ["java", "-jar", "/app/app.jar"]
    /// ```
    pub struct ShellFormCommand {
        id: "DKR001",
        name: "shell-form-command",
        kind: Some(FileKind::Dockerfile),
        severity: Severity::Warning,
        category: Category::Streaming,
        fix: "Use exec form (`CMD [\"java\", \"-jar\", \"app.jar\"]`), or start the shell command with `exec`.",
    }
}

impl Rule<DockerDoc> for ShellFormCommand {
    fn check(&self, doc: &DockerDoc, cx: &mut LintContext<'_>) {
        let file = &doc.parsed;
        let entrypoint = file.last_in_final_stage("ENTRYPOINT");
        // With an exec-form ENTRYPOINT, a shell-form CMD becomes its arguments (`sh -c` is
        // never run), so only the ENTRYPOINT decides when there is one.
        let decisive = entrypoint.or_else(|| file.last_in_final_stage("CMD"));
        let Some(instruction) = decisive else { return };
        let Args::Shell(command) = &instruction.args else { return };
        if command.text.trim_start().starts_with("exec ") {
            return;
        }
        let message = format!(
            "`{}` in shell form runs under `/bin/sh -c`, which does not pass SIGTERM on",
            instruction.name
        );
        doc.report(cx, self, instruction.span.clone(), message);
    }
}

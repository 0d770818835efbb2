//! DKR002: kernel parameters written into the image.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::DockerDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `RUN` instructions that write `/etc/sysctl.conf` or `/etc/sysctl.d/` or call
    /// `sysctl -w`.
    ///
    /// ## Why is this bad?
    /// Nothing reads these files when a container starts, and an unprivileged `sysctl -w` fails:
    /// kernel parameters cannot be baked into an image, so the tuning silently does not happen.
    ///
    /// ## Example
    /// ```dockerfile,invalid
    /// FROM eclipse-temurin:21-jre
    /// RUN echo "net.core.somaxconn = 65535" >> /etc/sysctl.conf
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,valid
    /// FROM eclipse-temurin:21-jre
    /// # net.core.somaxconn is set per container: `sysctls:` in compose, securityContext in k8s
    /// ```
    pub struct SysctlInImage {
        id: "DKR002",
        name: "sysctl-in-image",
        kind: Some(FileKind::Dockerfile),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Set namespaced sysctls at run time (compose `sysctls:`, pod `securityContext.sysctls`) and tune the rest on the host.",
    }
}

impl Rule<DockerDoc> for SysctlInImage {
    fn check(&self, doc: &DockerDoc, cx: &mut LintContext<'_>) {
        for run in doc.parsed.all("RUN") {
            let text = run.command_text();
            if text.contains("/etc/sysctl") || text.contains("sysctl -w") {
                doc.report(
                    cx,
                    self,
                    run.span.clone(),
                    "kernel parameters set in the image are never applied to a container",
                );
            }
        }
    }
}

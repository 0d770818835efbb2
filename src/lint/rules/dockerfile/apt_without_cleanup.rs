//! DKR005: `apt-get install` that leaves the package lists in the layer.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::DockerDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` that calls `apt-get install` without removing `/var/lib/apt/lists` in the
    /// same instruction (a cache mount is fine too).
    ///
    /// ## Why is this bad?
    /// The package lists stay in the image layer (tens of MB), and a later layer cannot shrink
    /// it; stale lists also make a later `apt-get install` in a rebuilt child image fail.
    ///
    /// ## Example
    /// ```dockerfile,invalid
    /// FROM debian:12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,valid
    /// FROM debian:12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    pub struct AptWithoutCleanup {
        id: "DKR005",
        name: "apt-without-cleanup",
        kind: Some(FileKind::Dockerfile),
        severity: Severity::Info,
        category: Category::Performance,
        fix: "End the same RUN with `&& rm -rf /var/lib/apt/lists/*` (or use a cache mount).",
    }
}

impl Rule<DockerDoc> for AptWithoutCleanup {
    fn check(&self, doc: &DockerDoc, cx: &mut LintContext<'_>) {
        for run in doc.parsed.all("RUN") {
            let text = run.command_text();
            let installs = text.contains("apt-get install") || text.contains("apt install");
            let cleans = text.contains("/var/lib/apt/lists");
            let cached = run
                .flags
                .iter()
                .any(|f| f.name == "mount" && f.value.as_deref().is_some_and(|v| v.contains("cache")));
            if installs && !cleans && !cached {
                doc.report(
                    cx,
                    self,
                    run.span.clone(),
                    "`apt-get install` leaves /var/lib/apt/lists in this layer",
                );
            }
        }
    }
}

//! CHN006: a heap baked into the image as large as the container's memory limit.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::chain::Bundle;
use crate::lint::{Category, LintContext, Rule, add_label};

declare_rule! {
    /// ## What it does
    /// When the bundle has exactly one Dockerfile, compares the `-Xmx` in its final stage's
    /// `JAVA_TOOL_OPTIONS`, `JDK_JAVA_OPTIONS` or `JAVA_OPTS` with the memory limit of every
    /// compose service built from a Dockerfile, and of every Kubernetes container that runs
    /// that image (its repository is the name of such a compose service, or of the
    /// Dockerfile's folder) without an `-Xmx` of its own: an error when the heap reaches the
    /// limit, a warning above 75 % of it.
    ///
    /// ## Why is this bad?
    /// The heap is only part of the JVM's memory: Netty's direct buffers for thousands of open
    /// streams, metaspace and thread stacks come on top, so the kernel OOM-kills the container
    /// without a Java error.
    ///
    /// ## Example
    /// ```text,invalid
    /// Dockerfile:          ENV JAVA_TOOL_OPTIONS="-Xmx2g"
    /// docker-compose.yml:  app.build: . / app.deploy.resources.limits.memory: 2G
    /// ```
    ///
    /// Use instead:
    /// ```text,valid
    /// Dockerfile:          ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60"
    /// ```
    pub struct ImageHeapVsLimit {
        id: "CHN006",
        name: "image-heap-vs-limit",
        kind: None,
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Size the heap relative to the limit (`-XX:MaxRAMPercentage=60`) instead of a fixed -Xmx in the image.",
    }
}

impl Rule<Bundle> for ImageHeapVsLimit {
    fn check(&self, bundle: &Bundle, cx: &mut LintContext<'_>) {
        // With several Dockerfiles nothing says which service is built from which.
        let sources: Vec<&str> = bundle.image_heaps.iter().map(|(_, s, _)| s.name.as_str()).collect();
        if sources.iter().any(|s| Some(s) != sources.first()) {
            return;
        }
        let pods = bundle
            .pod_containers
            .iter()
            .filter(|c| !c.own_heap && bundle.runs_built_image(&c.image))
            .filter_map(|c| {
                let (limit, span) = c.memory_limit.clone()?;
                Some((limit, c.workload.clone(), c.source.clone(), span))
            });
        let limits: Vec<_> = bundle.built_limits.iter().cloned().chain(pods).collect();
        for (heap, heap_source, heap_span) in &bundle.image_heaps {
            for (limit, service, limit_source, limit_span) in &limits {
                let severity = if heap >= limit {
                    Severity::Error
                } else if heap.saturating_mul(4) > limit.saturating_mul(3) {
                    Severity::Warning
                } else {
                    continue;
                };
                let message = format!(
                    "the image's -Xmx ({} MiB) leaves no room under `{service}`'s {} MiB memory limit for direct buffers and metaspace",
                    heap >> 20,
                    limit >> 20
                );
                let problem = cx.report(self, heap_source, heap_span.clone(), message);
                problem.severity = severity;
                add_label(problem, Some(limit_source), limit_span.clone(), "the container's memory limit");
            }
        }
    }
}

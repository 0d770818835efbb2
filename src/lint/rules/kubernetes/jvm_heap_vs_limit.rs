//! K8S014: a JVM heap as large as the container's memory limit.

use super::objects;
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::K8sDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::k8s::parse_memory_quantity;
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `-Xmx` (in `JAVA_TOOL_OPTIONS`, `JDK_JAVA_OPTIONS`, `JAVA_OPTS` or the container
    /// args) at or above the container's `resources.limits.memory` (error), or above 75 % of it
    /// (warning).
    ///
    /// ## Why is this bad?
    /// The heap is only part of a JVM's memory: Netty's direct buffers for thousands of streams,
    /// metaspace and thread stacks come on top, so the kernel OOM-kills the container without
    /// any Java error.
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
    ///     image: app:1.4.2
    ///     env:
    ///     - {name: JAVA_TOOL_OPTIONS, value: "-Xmx2g"}
    ///     resources:
    ///       limits: {memory: 2Gi}
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
    ///     image: app:1.4.2
    ///     env:
    ///     - {name: JAVA_TOOL_OPTIONS, value: "-XX:MaxRAMPercentage=60"}
    ///     resources:
    ///       limits: {memory: 2Gi}
    /// ```
    pub struct JvmHeapVsLimit {
        id: "K8S014",
        name: "jvm-heap-vs-limit",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Size the heap relative to the limit (`-XX:MaxRAMPercentage=60`) and cap direct memory (`-XX:MaxDirectMemorySize`).",
    }
}

/// The `-Xmx` value in bytes (`-Xmx2g`, `-Xmx512m`, `-Xmx1024k`).
pub fn xmx_bytes(text: &str) -> Option<u64> {
    let value = text.split_whitespace().rev().find_map(|w| w.strip_prefix("-Xmx"))?;
    let lower = value.to_ascii_lowercase();
    let (number, factor) = match lower.chars().last()? {
        'g' => (lower.trim_end_matches('g'), 1 << 30),
        'm' => (lower.trim_end_matches('m'), 1 << 20),
        'k' => (lower.trim_end_matches('k'), 1 << 10),
        _ => (lower.as_str(), 1),
    };
    number.parse::<u64>().ok()?.checked_mul(factor)
}

const JVM_VARIABLES: &[&str] = &["JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "JAVA_OPTS"];

impl Rule<K8sDoc> for JvmHeapVsLimit {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        for object in objects(doc) {
            for container in object.containers() {
                let Some(limit_node) = container.memory_limit() else { continue };
                let Some(limit) = limit_node.as_str().and_then(parse_memory_quantity) else { continue };
                let from_env = container
                    .env()
                    .into_iter()
                    .filter(|(n, _)| n.text().is_some_and(|t| JVM_VARIABLES.contains(&t)))
                    .map(|(_, v)| v);
                let from_args = ["args", "command"]
                    .into_iter()
                    .filter_map(|k| container.get(k))
                    .flat_map(|l| container.doc.items(l));
                for node in from_env.chain(from_args) {
                    let Some(heap) = node.as_str().and_then(xmx_bytes) else { continue };
                    let (severity, what) = if heap >= limit {
                        (Severity::Error, "is at least")
                    } else if heap.saturating_mul(4) > limit.saturating_mul(3) {
                        (Severity::Warning, "is over 75 % of")
                    } else {
                        continue;
                    };
                    let limit_text = limit_node.as_str().unwrap_or("");
                    let message = format!(
                        "the heap (`-Xmx`) {what} the memory limit {limit_text}; direct buffers and metaspace come on top, so the container is OOM-killed"
                    );
                    let problem = doc.report(cx, self, node.span.clone(), message);
                    problem.severity = severity;
                    doc.label(problem, limit_node.span.clone(), "the container's memory limit");
                }
            }
        }
    }
}

//! CMP006: `sysctls:` that a container cannot set.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::ComposeDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::compose;
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `sysctls:` keys that are not per network or IPC namespace, such as
    /// `net.core.netdev_max_backlog`, `net.core.rmem_max`, `vm.*` and `fs.file-max`.
    ///
    /// ## Why is this bad?
    /// The runtime can only set namespaced kernel parameters inside a container; for the others
    /// container creation fails ("not allowed in host network namespace" / "no such file").
    ///
    /// ## Example
    /// ```compose,invalid
    /// services:
    ///   app:
    ///     image: app:1.2
    ///     sysctls:
    ///       - net.core.netdev_max_backlog=5000
    /// ```
    ///
    /// Use instead:
    /// ```compose,valid
    /// services:
    ///   app:
    ///     image: app:1.2
    ///     sysctls:
    ///       - net.core.somaxconn=4096
    /// ```
    pub struct NonNamespacedSysctl {
        id: "CMP006",
        name: "non-namespaced-sysctl",
        kind: Some(FileKind::Compose),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Tune this parameter on the host (or drop it); only namespaced sysctls can be set per container.",
    }
}

/// IPC sysctls of the `kernel.` tree that are namespaced (Docker's allow-list).
const KERNEL_IPC: &[&str] = &[
    "kernel.msgmax",
    "kernel.msgmnb",
    "kernel.msgmni",
    "kernel.sem",
    "kernel.shmall",
    "kernel.shmmax",
    "kernel.shmmni",
    "kernel.shm_rmid_forced",
];

/// Whether the kernel parameter can be set inside a container (a network or IPC namespace).
/// `net.core.*` is mostly global: only `somaxconn` and the `xfrm_*` keys are per namespace.
pub fn is_namespaced(name: &str) -> bool {
    if let Some(core) = name.strip_prefix("net.core.") {
        return core == "somaxconn" || core.starts_with("xfrm_");
    }
    name.starts_with("net.") || name.starts_with("fs.mqueue.") || KERNEL_IPC.contains(&name)
}

impl Rule<ComposeDoc> for NonNamespacedSysctl {
    fn check(&self, doc: &ComposeDoc, cx: &mut LintContext<'_>) {
        for document in &doc.parsed.documents {
            for service in compose::services(document) {
                for sysctl in service.sysctls() {
                    if !is_namespaced(&sysctl.key) {
                        let message = format!(
                            "`{}` is not namespaced; the container of `{}` cannot start with it",
                            sysctl.key,
                            service.name()
                        );
                        doc.report(cx, self, sysctl.key_span.clone(), message);
                    }
                }
            }
        }
    }
}

//! K8S007: pod sysctls the kubelet refuses.

use super::objects;
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::K8sDoc;
use crate::lint::rules::compose::non_namespaced_sysctl::is_namespaced;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::k8s::pod_sysctls;
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `securityContext.sysctls` outside Kubernetes' safe set (such as
    /// `net.core.somaxconn`), and sysctls that are not namespaced at all
    /// (`net.core.netdev_max_backlog`).
    ///
    /// ## Why is this bad?
    /// The kubelet rejects the pod with `SysctlForbidden` unless an administrator allow-lists
    /// the name on every node; non-namespaced sysctls cannot be set per pod at all.
    ///
    /// ## Example
    /// ```kubernetes,invalid
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///     - {name: net.core.somaxconn, value: "65535"}
    ///   containers:
    ///   - {name: app, image: "app:1.4.2"}
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,valid
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///     - {name: net.ipv4.tcp_keepalive_time, value: "60"}
    ///   containers:
    ///   - {name: app, image: "app:1.4.2"}
    /// ```
    pub struct UnsafeSysctl {
        id: "K8S007",
        name: "unsafe-sysctl",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Drop it (kernels since 5.4 default somaxconn to 4096), or document the kubelet `--allowed-unsafe-sysctls` it needs.",
    }
}

/// The sysctls Kubernetes considers safe (allowed without kubelet configuration).
const SAFE: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
];

impl Rule<K8sDoc> for UnsafeSysctl {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        for object in objects(doc) {
            let Some(spec) = object.pod_spec() else { continue };
            for (name, _) in pod_sysctls(object.doc, spec) {
                let Some(text) = name.text() else { continue };
                if SAFE.contains(&text) {
                    continue;
                }
                let message = if is_namespaced(text) {
                    format!(
                        "`{text}` is not a safe sysctl: the kubelet refuses the pod unless it is allow-listed"
                    )
                } else {
                    format!("`{text}` is not namespaced and cannot be set per pod")
                };
                doc.report(cx, self, name.span.clone(), message);
            }
        }
    }
}

//! A typed view of Kubernetes manifests over the YAML tree: objects of every document (and the
//! items of a `kind: List`), their metadata, the pod spec of workloads, containers with probes
//! and lifecycle hooks, Ingress rules and paths, and PodDisruptionBudget selectors. All values are
//! borrowed nodes, so every finding can point at its exact span.

use super::yaml::{Document, Entry, Node, YamlFile};

/// One Kubernetes object: a mapping with `kind` and `apiVersion`.
#[derive(Debug, Clone, Copy)]
pub struct Object<'a> {
    pub doc: &'a Document,
    pub root: &'a Node,
}

/// Every object of the file, in order; `kind: List` documents contribute their items.
pub fn objects(file: &YamlFile) -> Vec<Object<'_>> {
    let mut out = Vec::new();
    for doc in &file.documents {
        let root = doc.resolve(&doc.root);
        let object = Object { doc, root };
        if object.kind().is_some_and(|k| k.ends_with("List"))
            && let Some(items) = doc.get(root, "items")
        {
            out.extend(doc.items(items).into_iter().map(|root| Object { doc, root }));
        } else if object.kind().is_some() {
            out.push(object);
        }
    }
    out
}

/// Workload kinds whose pod template sits at `spec.template.spec`.
const TEMPLATED: &[&str] =
    &["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"];

impl<'a> Object<'a> {
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.doc.get(self.root, key)
    }

    pub fn path(&self, keys: &[&str]) -> Option<&'a Node> {
        self.doc.path(self.root, keys)
    }

    pub fn kind(&self) -> Option<&'a str> {
        self.get("kind").and_then(Node::text)
    }

    pub fn kind_node(&self) -> Option<&'a Node> {
        self.get("kind")
    }

    pub fn api_version(&self) -> Option<&'a str> {
        self.get("apiVersion").and_then(Node::text)
    }

    pub fn name(&self) -> Option<&'a str> {
        self.path(&["metadata", "name"]).and_then(Node::text)
    }

    pub fn namespace(&self) -> Option<&'a str> {
        self.path(&["metadata", "namespace"]).and_then(Node::text)
    }

    pub fn is(&self, kind: &str) -> bool {
        self.kind() == Some(kind)
    }

    /// `metadata.annotations` entries (key and value nodes).
    pub fn annotations(&self) -> Vec<&'a Entry> {
        self.path(&["metadata", "annotations"]).map(|n| self.doc.entries(n)).unwrap_or_default()
    }

    /// The annotation `key`'s value node.
    pub fn annotation(&self, key: &str) -> Option<&'a Node> {
        self.path(&["metadata", "annotations", key])
    }

    /// The pod spec of a workload or a Pod; `None` for other kinds.
    pub fn pod_spec(&self) -> Option<&'a Node> {
        let kind = self.kind()?;
        if TEMPLATED.contains(&kind) {
            return self.path(&["spec", "template", "spec"]);
        }
        match kind {
            "Pod" => self.get("spec"),
            "CronJob" => self.path(&["spec", "jobTemplate", "spec", "template", "spec"]),
            _ => None,
        }
    }

    /// Labels of the pod template (what a PDB or Service selector has to match).
    pub fn template_labels(&self) -> Vec<(&'a str, &'a str)> {
        let labels = match self.kind() {
            Some("Pod") => self.path(&["metadata", "labels"]),
            _ => self.path(&["spec", "template", "metadata", "labels"]),
        };
        labels.map(|n| string_pairs(self.doc, n)).unwrap_or_default()
    }

    /// `spec.replicas`, where given as a number.
    pub fn replicas(&self) -> Option<u64> {
        self.path(&["spec", "replicas"]).and_then(Node::text).and_then(|t| t.parse().ok())
    }

    /// The containers and init containers of the pod spec.
    pub fn containers(&self) -> Vec<Container<'a>> {
        let Some(spec) = self.pod_spec() else { return Vec::new() };
        ["containers", "initContainers"]
            .into_iter()
            .filter_map(|key| self.doc.get(spec, key))
            .flat_map(|list| self.doc.items(list))
            .map(|node| Container { doc: self.doc, node })
            .collect()
    }

    /// `spec.selector.matchLabels` (PDB, Deployment).
    pub fn selector_labels(&self) -> Vec<(&'a str, &'a str)> {
        self.path(&["spec", "selector", "matchLabels"]).map(|n| string_pairs(self.doc, n)).unwrap_or_default()
    }

    /// The paths of an Ingress with their host and backend service.
    pub fn ingress_paths(&self) -> Vec<IngressPath<'a>> {
        let Some(rules) = self.path(&["spec", "rules"]) else { return Vec::new() };
        let mut out = Vec::new();
        for rule in self.doc.items(rules) {
            let host = self.doc.get(rule, "host").and_then(Node::text);
            let Some(paths) = self.doc.path(rule, &["http", "paths"]) else { continue };
            for node in self.doc.items(paths) {
                let path = self.doc.get(node, "path");
                let service = self
                    .doc
                    .path(node, &["backend", "service", "name"])
                    .or_else(|| self.doc.path(node, &["backend", "serviceName"]))
                    .and_then(Node::text);
                out.push(IngressPath { node, host, path, service });
            }
        }
        out
    }
}

/// One path of an Ingress rule.
#[derive(Debug, Clone, Copy)]
pub struct IngressPath<'a> {
    pub node: &'a Node,
    pub host: Option<&'a str>,
    pub path: Option<&'a Node>,
    pub service: Option<&'a str>,
}

impl IngressPath<'_> {
    pub fn path_text(&self) -> &str {
        self.path.and_then(Node::text).unwrap_or("/")
    }
}

/// One container of a pod spec.
#[derive(Debug, Clone, Copy)]
pub struct Container<'a> {
    pub doc: &'a Document,
    pub node: &'a Node,
}

/// A liveness, readiness or startup probe.
#[derive(Debug, Clone, Copy)]
pub struct Probe<'a> {
    pub kind: &'static str,
    pub node: &'a Node,
    /// `httpGet.path`, for HTTP probes.
    pub http_path: Option<&'a Node>,
}

impl<'a> Container<'a> {
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.doc.get(self.node, key)
    }

    pub fn name(&self) -> Option<&'a str> {
        self.get("name").and_then(Node::text)
    }

    pub fn image(&self) -> Option<&'a Node> {
        self.get("image").filter(|n| n.text().is_some())
    }

    /// The probes that are set, in the order liveness, readiness, startup.
    pub fn probes(&self) -> Vec<Probe<'a>> {
        [("liveness", "livenessProbe"), ("readiness", "readinessProbe"), ("startup", "startupProbe")]
            .into_iter()
            .filter_map(|(kind, key)| {
                let node = self.get(key)?;
                let http_path = self.doc.path(node, &["httpGet", "path"]);
                Some(Probe { kind, node, http_path })
            })
            .collect()
    }

    /// `lifecycle.preStop`.
    pub fn pre_stop(&self) -> Option<&'a Node> {
        self.doc.path(self.node, &["lifecycle", "preStop"])
    }

    /// `env` entries with a literal `value` (not `valueFrom`): (name node, value node).
    pub fn env(&self) -> Vec<(&'a Node, &'a Node)> {
        let Some(env) = self.get("env") else { return Vec::new() };
        self.doc
            .items(env)
            .into_iter()
            .filter_map(|item| Some((self.doc.get(item, "name")?, self.doc.get(item, "value")?)))
            .collect()
    }

    /// `resources.limits.memory`.
    pub fn memory_limit(&self) -> Option<&'a Node> {
        self.doc.path(self.node, &["resources", "limits", "memory"])
    }
}

/// `securityContext.sysctls` of a pod spec: (name node, whole item).
pub fn pod_sysctls<'a>(doc: &'a Document, pod_spec: &'a Node) -> Vec<(&'a Node, &'a Node)> {
    let Some(list) = doc.path(pod_spec, &["securityContext", "sysctls"]) else { return Vec::new() };
    doc.items(list).into_iter().filter_map(|item| Some((doc.get(item, "name")?, item))).collect()
}

fn string_pairs<'a>(doc: &'a Document, map: &'a Node) -> Vec<(&'a str, &'a str)> {
    doc.entries(map)
        .into_iter()
        .filter_map(|e| Some((e.key.as_str()?, doc.resolve(&e.value).as_str()?)))
        .collect()
}

/// A Kubernetes quantity in bytes (`512Mi`, `2Gi`, `1G`, `1500000`).
pub fn parse_memory_quantity(text: &str) -> Option<u64> {
    let digits_end = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(digits_end);
    let value: f64 = number.parse().ok()?;
    let factor: f64 = match unit {
        "" => 1.0,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        _ => return None,
    };
    let bytes = value * factor;
    // Truncation is intended: quantities are whole bytes, and the range check keeps it exact.
    (0.0..1.8e19).contains(&bytes).then_some(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml;

    const SAMPLE: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: 3
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      containers:
      - name: app
        image: app:latest
        livenessProbe:
          httpGet: {path: /actuator/health, port: 8081}
        readinessProbe:
          tcpSocket: {port: 8080}
        env:
        - name: JAVA_TOOL_OPTIONS
          value: -Xmx2g
        resources:
          limits: {memory: 2Gi}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    nginx.ingress.kubernetes.io/proxy-read-timeout: 300
spec:
  rules:
  - host: a.example.com
    http:
      paths:
      - path: /api/stream
        backend: {service: {name: app, port: {number: 8080}}}
---
apiVersion: v1
kind: List
items:
- {apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: pdb}, spec: {selector: {matchLabels: {app: app}}}}
";

    #[test]
    fn objects_include_list_items() {
        let file = yaml::parse(SAMPLE);
        let kinds: Vec<_> = objects(&file).iter().filter_map(Object::kind).collect();
        assert_eq!(kinds, ["Deployment", "Ingress", "PodDisruptionBudget"]);
    }

    #[test]
    fn deployment_view_reaches_containers_and_probes() {
        let file = yaml::parse(SAMPLE);
        let deployment = objects(&file)[0];
        assert_eq!(deployment.replicas(), Some(3));
        assert_eq!(deployment.template_labels(), [("app", "app")]);
        let containers = deployment.containers();
        assert_eq!(containers.len(), 1);
        let app = containers[0];
        assert_eq!(app.image().and_then(Node::text), Some("app:latest"));
        let probes = app.probes();
        assert_eq!(probes.len(), 2);
        let path = probes[0].http_path.unwrap();
        assert_eq!(&SAMPLE[path.span.clone()], "/actuator/health");
        assert!(probes[1].http_path.is_none());
        assert!(app.pre_stop().is_none());
        assert_eq!(app.env()[0].1.text(), Some("-Xmx2g"));
        let limit = app.memory_limit().and_then(Node::text).and_then(parse_memory_quantity);
        assert_eq!(limit, Some(2 * 1024 * 1024 * 1024));
    }

    #[test]
    fn ingress_view_reaches_annotations_and_paths() {
        let file = yaml::parse(SAMPLE);
        let ingress = objects(&file)[1];
        let timeout = ingress.annotation("nginx.ingress.kubernetes.io/proxy-read-timeout").unwrap();
        assert!(timeout.is_plain_non_string());
        let paths = ingress.ingress_paths();
        assert_eq!(paths[0].path_text(), "/api/stream");
        assert_eq!(paths[0].service, Some("app"));
        assert_eq!(paths[0].host, Some("a.example.com"));
        let pdb = objects(&file)[2];
        assert_eq!(pdb.selector_labels(), [("app", "app")]);
    }

    #[test]
    fn memory_quantities() {
        assert_eq!(parse_memory_quantity("512Mi"), Some(512 * 1024 * 1024));
        assert_eq!(parse_memory_quantity("1G"), Some(1_000_000_000));
        assert_eq!(parse_memory_quantity("1.5Gi"), Some(1_610_612_736));
        assert_eq!(parse_memory_quantity("lots"), None);
    }
}

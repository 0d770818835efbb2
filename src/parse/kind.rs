//! The kinds of file sseconf reads, and how a file's kind is recognised.

use std::path::Path;

/// A kind of configuration file. Each has its own parser and rules under `lint/rules/<kind>/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Nginx,
    Haproxy,
    Kubernetes,
    Compose,
    Dockerfile,
    Redis,
    Prometheus,
    Gateway,
}

impl FileKind {
    pub const ALL: [FileKind; 8] = [
        FileKind::Nginx,
        FileKind::Haproxy,
        FileKind::Kubernetes,
        FileKind::Compose,
        FileKind::Dockerfile,
        FileKind::Redis,
        FileKind::Prometheus,
        FileKind::Gateway,
    ];

    /// The name used on the command line (`--kind nginx`) and in config files.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Nginx => "nginx",
            FileKind::Haproxy => "haproxy",
            FileKind::Kubernetes => "kubernetes",
            FileKind::Compose => "compose",
            FileKind::Dockerfile => "dockerfile",
            FileKind::Redis => "redis",
            FileKind::Prometheus => "prometheus",
            FileKind::Gateway => "gateway",
        }
    }

    /// The rule-id prefix of the kind (`NGX001`).
    pub fn rule_prefix(self) -> &'static str {
        match self {
            FileKind::Nginx => "NGX",
            FileKind::Haproxy => "HAP",
            FileKind::Kubernetes => "K8S",
            FileKind::Compose => "CMP",
            FileKind::Dockerfile => "DKR",
            FileKind::Redis => "RDS",
            FileKind::Prometheus => "PRM",
            FileKind::Gateway => "GW",
        }
    }

    pub fn from_name(name: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.name() == name || (name == "k8s" && *k == FileKind::Kubernetes))
    }
}

impl std::fmt::Display for FileKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Recognises a file's kind from its name alone, where the name is unambiguous.
/// YAML files need their content (see [`detect`]).
pub fn from_path(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    if name == "dockerfile"
        || name.starts_with("dockerfile.")
        || name.ends_with(".dockerfile")
        || name == "containerfile"
    {
        return Some(FileKind::Dockerfile);
    }
    if name.starts_with("haproxy") && (ext == "cfg" || ext == "conf")
        || ext == "cfg" && name.contains("haproxy")
    {
        return Some(FileKind::Haproxy);
    }
    if ext == "conf" && (name.starts_with("redis") || name.starts_with("sentinel")) {
        return Some(FileKind::Redis);
    }
    let compose_name =
        name.starts_with("docker-compose") || name.starts_with("compose.") || name.starts_with("compose-");
    if compose_name && (ext == "yml" || ext == "yaml") {
        return Some(FileKind::Compose);
    }
    if name == "nginx.conf"
        || ext == "conf" && path.components().any(|c| c.as_os_str().to_string_lossy().contains("nginx"))
    {
        return Some(FileKind::Nginx);
    }
    if name == "prometheus.yml" || name == "prometheus.yaml" {
        return Some(FileKind::Prometheus);
    }
    None
}

/// Recognises a file's kind from its name and, where the name is ambiguous (YAML, `.conf`),
/// from its content. `None` means "not a kind sseconf reads".
pub fn detect(path: &Path, content: &str) -> Option<FileKind> {
    if let Some(kind) = from_path(path) {
        return Some(kind);
    }
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "yml" | "yaml" => detect_yaml(path, content),
        "conf" | "cfg" => detect_conf(content),
        _ => None,
    }
}

fn detect_yaml(path: &Path, content: &str) -> Option<FileKind> {
    let has_top_key = |key: &str| {
        content.lines().any(|l| l.starts_with(key) && l[key.len()..].trim_start().starts_with(':'))
    };
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if content.contains("apiVersion:") && content.contains("kind:") {
        return Some(FileKind::Kubernetes);
    }
    if has_top_key("services") {
        return Some(FileKind::Compose);
    }
    if has_top_key("groups") || has_top_key("scrape_configs") || has_top_key("rule_files") {
        return Some(FileKind::Prometheus);
    }
    if name.starts_with("application") || name.starts_with("bootstrap") || has_top_key("spring") {
        return Some(FileKind::Gateway);
    }
    None
}

fn detect_conf(content: &str) -> Option<FileKind> {
    let first_words = content
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .take(50)
        .filter_map(|l| l.split_whitespace().next())
        .collect::<Vec<_>>();
    let haproxy = ["global", "defaults", "frontend", "backend", "listen"];
    let redis = ["bind", "port", "maxmemory", "appendonly", "requirepass", "save", "protected-mode"];
    let haproxy_hits = first_words.iter().filter(|w| haproxy.contains(w)).count();
    let redis_hits = first_words.iter().filter(|w| redis.contains(w)).count();
    let nginx_hits = content.matches(';').count().min(5) + content.matches('{').count().min(5);
    if haproxy_hits >= 2 && !content.contains(';') {
        Some(FileKind::Haproxy)
    } else if redis_hits >= 2 && !content.contains(';') && !content.contains('{') {
        Some(FileKind::Redis)
    } else if nginx_hits >= 2 {
        Some(FileKind::Nginx)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_decide_where_unambiguous() {
        assert_eq!(from_path(Path::new("a/Dockerfile")), Some(FileKind::Dockerfile));
        assert_eq!(from_path(Path::new("haproxy.cfg")), Some(FileKind::Haproxy));
        assert_eq!(from_path(Path::new("redis.conf")), Some(FileKind::Redis));
        assert_eq!(from_path(Path::new("docker-compose.yml")), Some(FileKind::Compose));
        assert_eq!(from_path(Path::new("nginx/conf.d/x.conf")), Some(FileKind::Nginx));
    }

    #[test]
    fn yaml_content_decides_between_yaml_kinds() {
        assert_eq!(
            detect(Path::new("x.yaml"), "apiVersion: v1\nkind: Service\n"),
            Some(FileKind::Kubernetes)
        );
        assert_eq!(detect(Path::new("x.yaml"), "services:\n  a: {}\n"), Some(FileKind::Compose));
        assert_eq!(detect(Path::new("x.yml"), "groups:\n- name: a\n"), Some(FileKind::Prometheus));
        assert_eq!(detect(Path::new("application.yml"), "server:\n  port: 1\n"), Some(FileKind::Gateway));
    }

    #[test]
    fn conf_content_decides_between_conf_kinds() {
        assert_eq!(
            detect(Path::new("x.conf"), "global\n  daemon\ndefaults\n  mode http\n"),
            Some(FileKind::Haproxy)
        );
        assert_eq!(detect(Path::new("x.conf"), "bind 127.0.0.1\nport 6379\n"), Some(FileKind::Redis));
        assert_eq!(detect(Path::new("x.conf"), "server { listen 80; }\nevents {}\n"), Some(FileKind::Nginx));
    }
}

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
    if ext == "conf"
        && (name.starts_with("redis") || name.starts_with("sentinel") || name.starts_with("valkey"))
    {
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
        "conf" | "cfg" => detect_conf(path, content),
        "acl" if is_redis_acl(content) => Some(FileKind::Redis),
        "properties" => detect_properties(path),
        _ => None,
    }
}

fn detect_yaml(path: &Path, content: &str) -> Option<FileKind> {
    let has_top_key = |key: &str| {
        content.lines().any(|l| {
            let l = l.strip_prefix("- ").unwrap_or(l);
            l.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
    };
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    // Kubernetes first: a ConfigMap may embed a Prometheus config or a compose-like text, but
    // a document with a top-level apiVersion and kind is an object.
    if has_top_key("apiVersion") && has_top_key("kind") {
        return Some(FileKind::Kubernetes);
    }
    if has_top_key("services") {
        return Some(FileKind::Compose);
    }
    let prometheus_global = has_top_key("global")
        && (content.contains("scrape_interval") || content.contains("evaluation_interval"));
    if has_top_key("groups")
        || has_top_key("scrape_configs")
        || has_top_key("rule_files")
        || prometheus_global
    {
        return Some(FileKind::Prometheus);
    }
    if name.starts_with("application") || name.starts_with("bootstrap") || has_top_key("spring") {
        return Some(FileKind::Gateway);
    }
    if content.contains("apiVersion:") && content.contains("kind:") {
        return Some(FileKind::Kubernetes);
    }
    None
}

/// Spring's `application*.properties` and `bootstrap*.properties` (other `.properties` files are
/// message bundles, build settings and the like).
fn detect_properties(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    (name.starts_with("application") || name.starts_with("bootstrap")).then_some(FileKind::Gateway)
}

/// Keywords that open an HAProxy section; at the start of a line they are strong evidence.
const HAPROXY_SECTIONS: &[&str] = &[
    "global",
    "defaults",
    "frontend",
    "backend",
    "listen",
    "userlist",
    "peers",
    "resolvers",
    "program",
    "traces",
    "ring",
    "mailers",
    "cache",
    "http-errors",
    "log-forward",
    "crt-store",
];
/// Keywords that appear inside HAProxy sections.
const HAPROXY_KEYWORDS: &[&str] = &[
    "bind",
    "mode",
    "server",
    "timeout",
    "option",
    "balance",
    "acl",
    "use_backend",
    "default_backend",
    "http-request",
    "http-response",
    "maxconn",
    "log",
    "stats",
    "tcp-request",
    "default-server",
];
/// Directives that only redis.conf (or Valkey, Sentinel, ACL files) has.
const REDIS_DIRECTIVES: &[&str] = &[
    "bind",
    "port",
    "maxmemory",
    "maxmemory-policy",
    "appendonly",
    "appendfsync",
    "requirepass",
    "save",
    "protected-mode",
    "daemonize",
    "loglevel",
    "logfile",
    "databases",
    "dbfilename",
    "dir",
    "sentinel",
    "rename-command",
    "user",
    "aclfile",
    "tcp-keepalive",
    "cluster-enabled",
    "replicaof",
    "slaveof",
];

/// Evidence counted over a `.conf`/`.cfg` file's meaningful lines.
#[derive(Default)]
struct ConfScores {
    nginx: usize,
    haproxy: usize,
    redis: usize,
}

fn score_conf(content: &str) -> ConfScores {
    let mut scores = ConfScores::default();
    for raw in content.lines().take(2_000) {
        let line = raw.split('#').next().unwrap_or("").trim_end();
        let Some(first) = line.split_whitespace().next() else { continue };
        let indented = line.starts_with([' ', '\t']);
        if line.ends_with(';') || line.ends_with('{') || line.ends_with('}') {
            scores.nginx += 1;
            continue;
        }
        if (HAPROXY_SECTIONS.contains(&first) || first == ".if") && !indented {
            scores.haproxy += 3;
        } else if HAPROXY_KEYWORDS.contains(&first) && indented {
            scores.haproxy += 1;
        }
        if REDIS_DIRECTIVES.contains(&first) && !indented {
            scores.redis += 1;
        }
    }
    scores
}

/// `.conf`/`.cfg` files: nginx ends statements with `;` and opens blocks with `{`, HAProxy starts
/// unindented section headers and indents keyword lines, redis.conf has neither. A `.cfg`
/// extension tips a tie towards HAProxy (nginx configs are `.conf`).
fn detect_conf(path: &Path, content: &str) -> Option<FileKind> {
    let scores = score_conf(content);
    let cfg = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("cfg"));
    let haproxy = scores.haproxy + if cfg { 2 } else { 0 };
    if haproxy >= 3 && haproxy >= scores.nginx && haproxy >= scores.redis {
        Some(FileKind::Haproxy)
    } else if scores.redis >= 2 && scores.redis > scores.nginx {
        Some(FileKind::Redis)
    } else if scores.nginx >= 2 {
        Some(FileKind::Nginx)
    } else {
        None
    }
}

/// Redis ACL files (`aclfile`): every meaningful line is `user NAME ...`.
fn is_redis_acl(content: &str) -> bool {
    let mut lines =
        content.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).peekable();
    lines.peek().is_some() && lines.all(|l| l.starts_with("user "))
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

    #[test]
    fn haproxy_with_semicolons_in_comments_and_cfg_extension() {
        let cfg = "# a; b; c;\nglobal\n\tmaxconn 100 # x;\nlisten stats\n\tbind :8080\n\tmode http\n";
        assert_eq!(detect(Path::new("test-fsm.cfg"), cfg), Some(FileKind::Haproxy));
        let odd = "global\n\twurfl-data-file /x\ndefaults\n\tmode http\n";
        assert_eq!(detect(Path::new("wurfl-example.cfg"), odd), Some(FileKind::Haproxy));
    }

    #[test]
    fn valkey_and_acl_files_are_redis() {
        assert_eq!(
            detect(Path::new("valkey.conf"), "proc-title-template \"{title}\"\n"),
            Some(FileKind::Redis)
        );
        assert_eq!(detect(Path::new("users.acl"), "user alice on (+get ~rw*)\n"), Some(FileKind::Redis));
        assert_eq!(
            detect(Path::new("minimal.conf"), "daemonize no\nloglevel verbose\n"),
            Some(FileKind::Redis)
        );
    }

    #[test]
    fn prometheus_global_only_config() {
        let otlp = "global:\n  evaluation_interval: 15s\notlp:\n  x: 1\n";
        assert_eq!(detect(Path::new("prometheus-otlp.yml"), otlp), Some(FileKind::Prometheus));
    }

    #[test]
    fn application_yaml_mentioning_kind_is_gateway() {
        let app = "spring:\n  application:\n    name: x\nnote: \"apiVersion: and kind: in text\"\n";
        assert_eq!(detect(Path::new("application.yml"), app), Some(FileKind::Gateway));
    }
}

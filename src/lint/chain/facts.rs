//! The other facts the checks across files compare: what compose deploys and mounts, what
//! Prometheus scrapes and loads, the images the Dockerfiles build and the Kubernetes containers
//! that run them, the files nginx includes.

use crate::diagnostics::SourceFile;
use crate::lint::nginx::NginxDoc;
use crate::parse::k8s;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A Prometheus scrape or alerting target (`host:port`) and where it is written.
#[derive(Debug, Clone)]
pub struct Target {
    pub host: String,
    pub port: Option<u16>,
    pub source: SourceFile,
    pub span: Range<usize>,
}

/// A deployable name in the bundle (a compose service, a Kubernetes Service) and what runs
/// behind it, as far as the files say.
#[derive(Debug, Clone)]
pub struct Deployed {
    pub name: String,
    pub image: Option<String>,
}

/// A volume mounted into a Prometheus container by compose: the path inside the container.
#[derive(Debug, Clone)]
pub struct Mount {
    pub container_path: String,
    pub source: SourceFile,
    pub span: Range<usize>,
}

/// A `rule_files` entry of a Prometheus config.
#[derive(Debug, Clone)]
pub struct RuleFile {
    pub pattern: String,
    pub source: SourceFile,
    pub span: Range<usize>,
}

/// A bind mount of a compose service that runs nginx.
#[derive(Debug, Clone)]
pub struct NginxMount {
    pub service: String,
    /// The host path, resolved against the compose file's folder.
    pub host: PathBuf,
    /// Where it lands in the container.
    pub container: String,
    pub source: SourceFile,
    pub span: Range<usize>,
}

/// An nginx file of the bundle.
#[derive(Debug, Clone)]
pub struct NginxFile {
    /// Its path on disk, resolved.
    pub path: PathBuf,
    pub source: SourceFile,
    /// The arguments of its `include` directives, as written.
    pub includes: Vec<String>,
    /// The upstreams it defines, with the span of each name.
    pub upstreams: Vec<(String, Range<usize>)>,
}

/// A Dockerfile: its folder (which usually names the image built from it) and the final
/// stage's `HEALTHCHECK`, if it has one.
#[derive(Debug, Clone)]
pub struct ImageFile {
    pub folder: String,
    pub source: SourceFile,
    pub healthcheck: Option<Range<usize>>,
}

/// A container of a Kubernetes workload, for the checks that follow it to the image it runs.
#[derive(Debug, Clone)]
pub struct PodContainer {
    /// `Deployment streaming-app`.
    pub workload: String,
    pub image: String,
    pub image_span: Range<usize>,
    pub source: SourceFile,
    /// `resources.limits.memory` in bytes, with where.
    pub memory_limit: Option<(u64, Range<usize>)>,
    /// It has a liveness, readiness or startup probe.
    pub probed: bool,
    /// It sets its own `-Xmx` (K8S rules compare that one).
    pub own_heap: bool,
}

/// A probe on `/actuator/health/<group>` for a group other than `liveness`/`readiness`.
#[derive(Debug, Clone)]
pub struct GroupProbe {
    pub group: String,
    pub kind: &'static str,
    pub source: SourceFile,
    pub span: Range<usize>,
}

/// The repository of an image reference, without registry, tag or digest
/// (`registry.example.com:5000/team/app:1.2@sha256:...` → `app`).
pub fn image_repository(image: &str) -> String {
    crate::parse::image::parse(image).repository().to_string()
}

/// The compose services of a file (names, container names and network aliases).
pub fn deployed_of_compose(file: &crate::parse::yaml::YamlFile) -> Vec<Deployed> {
    let mut out = Vec::new();
    for document in &file.documents {
        for service in crate::parse::compose::services(document) {
            let image = service.image().and_then(|n| n.text()).map(str::to_string);
            out.push(Deployed { name: service.name().to_string(), image: image.clone() });
            if let Some(name) = service.get("container_name").and_then(|n| n.text()) {
                out.push(Deployed { name: name.to_string(), image: image.clone() });
            }
        }
    }
    out
}

/// The container paths mounted into compose services that run a Prometheus image
/// (`./prometheus.yml:/etc/prometheus/prometheus.yml:ro` and the long form's `target`).
pub fn prometheus_mounts_of_compose(source: &SourceFile, file: &crate::parse::yaml::YamlFile) -> Vec<Mount> {
    let mut out = Vec::new();
    for document in &file.documents {
        for service in crate::parse::compose::services(document) {
            let image = service.image().and_then(|n| n.text()).unwrap_or("");
            if !image.contains("prometheus") {
                continue;
            }
            for (_, target, volume) in service.volumes() {
                if let Some(container_path) = target {
                    out.push(Mount {
                        container_path: container_path.to_string(),
                        source: source.clone(),
                        span: volume.span.clone(),
                    });
                }
            }
        }
    }
    out
}

/// The `rule_files` entries of a Prometheus config.
pub fn rule_files_of_prometheus(source: &SourceFile, file: &crate::parse::yaml::YamlFile) -> Vec<RuleFile> {
    file.documents
        .iter()
        .flat_map(crate::parse::prometheus::rule_files)
        .filter_map(|n| {
            Some(RuleFile { pattern: n.text()?.to_string(), source: source.clone(), span: n.span.clone() })
        })
        .collect()
}

/// Probes of a Kubernetes file on custom Spring Boot health groups.
pub fn group_probes_of_k8s(source: &SourceFile, file: &crate::parse::yaml::YamlFile) -> Vec<GroupProbe> {
    let mut out = Vec::new();
    for object in k8s::objects(file) {
        for container in object.containers() {
            for probe in container.probes() {
                let Some(path) = probe.http_path else { continue };
                let Some(group) = path.text().and_then(|t| t.strip_prefix("/actuator/health/")) else {
                    continue;
                };
                let group = group.trim_end_matches('/');
                if group.is_empty() || group.contains('/') || group == "liveness" || group == "readiness" {
                    continue;
                }
                out.push(GroupProbe {
                    group: group.to_string(),
                    kind: probe.kind,
                    source: source.clone(),
                    span: path.span.clone(),
                });
            }
        }
    }
    out
}

/// The health groups a Spring application config defines (`management.endpoint.health.group.<name>`).
pub fn health_groups_of_spring(file: &crate::parse::yaml::YamlFile) -> Vec<String> {
    crate::parse::gateway::properties(file, "management.endpoint.health.group")
        .into_iter()
        .flat_map(|(doc, node)| {
            doc.entries(node).into_iter().filter_map(|e| e.key.as_str().map(str::to_string))
        })
        .collect()
}

/// `-Xmx` in the final stage's `ENV JAVA_TOOL_OPTIONS / JDK_JAVA_OPTIONS / JAVA_OPTS`.
pub fn image_heaps_of_dockerfile(
    source: &SourceFile,
    file: &crate::parse::dockerfile::Dockerfile,
) -> Vec<(u64, SourceFile, Range<usize>)> {
    const VARIABLES: &[&str] = &["JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "JAVA_OPTS"];
    let mut out = Vec::new();
    for env in file.final_stage().iter().filter(|i| i.is("ENV")) {
        let Some(word) = env.words().first().map(|w| (*w).clone()) else { continue };
        for (key, value) in crate::parse::dockerfile::env_pairs(&word) {
            if let Some(heap) = VARIABLES
                .contains(&key.text.as_str())
                .then(|| crate::lint::rules::kubernetes::jvm_heap_vs_limit::xmx_bytes(&value.text))
                .flatten()
            {
                out.push((heap, source.clone(), value.span.clone()));
            }
        }
    }
    out
}

/// The Dockerfile's folder and its final stage's `HEALTHCHECK` (`HEALTHCHECK NONE` switches the
/// base image's off, so it counts as none).
pub fn image_file_of_dockerfile(
    source: &SourceFile,
    file: &crate::parse::dockerfile::Dockerfile,
) -> ImageFile {
    let healthcheck = file
        .last_in_final_stage("HEALTHCHECK")
        .filter(|i| !i.command_text().trim().eq_ignore_ascii_case("none"))
        .map(|i| i.keyword.clone());
    let folder = std::path::Path::new(&source.name)
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    ImageFile { folder, source: source.clone(), healthcheck }
}

/// The names the image built by compose goes by: each service with a `build:` and the
/// repository of its `image:`.
pub fn built_names_of_compose(file: &crate::parse::yaml::YamlFile) -> Vec<String> {
    let mut out = Vec::new();
    for document in &file.documents {
        for service in
            crate::parse::compose::services(document).into_iter().filter(|s| s.get("build").is_some())
        {
            out.push(service.name().to_string());
            out.extend(service.image().and_then(|n| n.text()).map(image_repository));
        }
    }
    out
}

/// The containers of the workloads of a Kubernetes file.
pub fn pod_containers_of_k8s(source: &SourceFile, file: &crate::parse::yaml::YamlFile) -> Vec<PodContainer> {
    use crate::lint::rules::kubernetes::jvm_heap_vs_limit::xmx_bytes;
    let mut out = Vec::new();
    for object in k8s::objects(file).iter().filter(|o| o.pod_spec().is_some()) {
        let workload = format!("{} {}", object.kind().unwrap_or("?"), object.name().unwrap_or("?"));
        for container in object.containers() {
            let Some(image) = container.image() else { continue };
            let memory_limit = container
                .memory_limit()
                .and_then(|n| Some((n.as_str().and_then(k8s::parse_memory_quantity)?, n.span.clone())));
            let own_heap = container.env().iter().any(|(_, v)| v.as_str().and_then(xmx_bytes).is_some());
            out.push(PodContainer {
                workload: workload.clone(),
                image: image.text().unwrap_or("").to_string(),
                image_span: image.span.clone(),
                source: source.clone(),
                memory_limit,
                probed: !container.probes().is_empty(),
                own_heap,
            });
        }
    }
    out
}

/// A path made absolute and without `.`/`..`, through the file system when it exists (so that
/// `./nginx/../nginx/a.conf` and a symlinked folder compare equal), lexically otherwise.
pub fn resolved_path(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The bind mounts of compose services that run nginx (not its exporter), in the short form
/// (`./nginx.conf:/etc/nginx/nginx.conf:ro`) and the long one (`source:` + `target:`). Named
/// volumes are skipped: their content is not in the bundle.
pub fn nginx_mounts_of_compose(source: &SourceFile, file: &crate::parse::yaml::YamlFile) -> Vec<NginxMount> {
    let folder = Path::new(&source.name).parent().map(Path::to_path_buf).unwrap_or_default();
    let mut out = Vec::new();
    for document in &file.documents {
        for service in crate::parse::compose::services(document) {
            let image = service.image().and_then(|n| n.text()).map(image_repository).unwrap_or_default();
            if !image.contains("nginx") || image.contains("exporter") {
                continue;
            }
            for (host, container, volume) in service.volumes() {
                let (Some(host), Some(container)) = (host, container) else { continue };
                if !(host.starts_with('.') || host.starts_with('/')) {
                    continue;
                }
                out.push(NginxMount {
                    service: service.name().to_string(),
                    host: resolved_path(&folder.join(host)),
                    container: container.to_string(),
                    source: source.clone(),
                    span: volume.span.clone(),
                });
            }
        }
    }
    out
}

/// What each nginx file of the parsed tree includes and defines (read from each file's own
/// directives: the configuration view replaces includes by what they pull in).
pub fn nginx_files_of(doc: &NginxDoc) -> Vec<NginxFile> {
    let tree = &doc.config.tree;
    tree.files
        .iter()
        .map(|f| {
            let mut file = NginxFile {
                path: resolved_path(f.path.as_deref().unwrap_or_else(|| Path::new(&f.source.name))),
                source: f.source.clone(),
                includes: Vec::new(),
                upstreams: Vec::new(),
            };
            for dir in f.nodes.clone().map(|id| tree.dir(id)) {
                if dir.is("include") && !dir.has_block() {
                    file.includes.extend(dir.arg(0).map(|a| a.into_owned()));
                } else if dir.is("upstream") && dir.has_block() {
                    file.upstreams.extend(dir.arg(0).map(|a| (a.into_owned(), dir.head_span())));
                }
            }
            file
        })
        .collect()
}

/// Compose memory (`2G`, `512m`, `1gb`, `1073741824`) in bytes.
fn compose_memory(text: &str) -> Option<u64> {
    let lower = text.trim().to_ascii_lowercase();
    let digits_end = lower.find(|c: char| !c.is_ascii_digit()).unwrap_or(lower.len());
    let (number, unit) = lower.split_at(digits_end);
    let factor: u64 = match unit.trim_end_matches('b') {
        "" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        _ => return None,
    };
    number.parse::<u64>().ok()?.checked_mul(factor)
}

/// `deploy.resources.limits.memory` of compose services that are built from a Dockerfile.
pub fn built_limits_of_compose(
    source: &SourceFile,
    file: &crate::parse::yaml::YamlFile,
) -> Vec<(u64, String, SourceFile, Range<usize>)> {
    let mut out = Vec::new();
    for document in &file.documents {
        for service in crate::parse::compose::services(document) {
            if service.get("build").is_none() {
                continue;
            }
            let Some(limit) =
                service.get("deploy").and_then(|d| document.path(d, &["resources", "limits", "memory"]))
            else {
                continue;
            };
            if let Some(bytes) = limit.text().and_then(compose_memory) {
                out.push((bytes, service.name().to_string(), source.clone(), limit.span.clone()));
            }
        }
    }
    out
}

/// The Services of a Kubernetes file.
pub fn deployed_of_k8s(file: &crate::parse::yaml::YamlFile) -> Vec<Deployed> {
    k8s::objects(file)
        .iter()
        .filter(|o| o.is("Service"))
        .filter_map(|o| Some(Deployed { name: o.name()?.to_string(), image: None }))
        .collect()
}

/// The static scrape targets (of jobs that do not rewrite them) and alertmanagers of a
/// Prometheus config.
pub fn targets_of_prometheus(source: &SourceFile, file: &crate::parse::yaml::YamlFile) -> Vec<Target> {
    use crate::parse::prometheus;
    let mut nodes = Vec::new();
    for document in &file.documents {
        for job in prometheus::scrape_jobs(document).into_iter().filter(|j| !j.rewrites_targets()) {
            nodes.extend(job.static_targets());
        }
        nodes.extend(prometheus::alertmanager_targets(document));
    }
    nodes
        .into_iter()
        .filter_map(|node| {
            let text = node.text()?;
            let (host, port) = match text.rsplit_once(':') {
                Some((host, port)) => (host, port.parse().ok()),
                None => (text, None),
            };
            Some(Target { host: host.to_string(), port, source: source.clone(), span: node.span.clone() })
        })
        .collect()
}

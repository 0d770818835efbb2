//! The timeout chain across files: what no single-file rule can see.
//!
//! A stream crosses several layers (Ingress → nginx → HAProxy → gateway → app), each with its
//! own file. While each file is linted, [`hops_of_*`](hops_of_ingress) records what a layer does
//! to a path: its idle timeout and its affinity key. Afterwards the hops of all files are grouped
//! per streaming path and checked together: the weakest idle timeout decides when a quiet stream
//! dies, and two layers pinning clients by different keys fight each other. A finding names every
//! hop of the chain (secondary labels in the other files).
//!
//! Hops are matched by path: a hop belongs to a streaming path when one path is a prefix of the
//! other; per layer the most specific hop wins (a `location /` does not compete with
//! `location /api/stream`).

use super::kinds::stream_for_path;
use super::nginx::NginxDoc;
use super::nginx::stream::location_path;
use super::{LintContext, Settings};
use crate::diagnostics::{Problem, SourceFile};
use crate::parse::haproxy;
use crate::parse::k8s::{self, Object};
use crate::parse::nginx::view::Context;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A layer of the chain, outermost first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    Ingress,
    Nginx,
    Haproxy,
    Gateway,
}

impl Layer {
    pub fn name(self) -> &'static str {
        match self {
            Layer::Ingress => "the Ingress",
            Layer::Nginx => "nginx",
            Layer::Haproxy => "HAProxy",
            Layer::Gateway => "the gateway",
        }
    }
}

/// What one layer does to requests on a path.
#[derive(Debug, Clone)]
pub struct Hop {
    pub layer: Layer,
    pub path: String,
    pub source: SourceFile,
    /// Where the hop is (the location, the acl, the Ingress path).
    pub span: Range<usize>,
    /// The idle (read) timeout in ms, and where it is set (`None` span: the layer's default).
    pub idle: Option<(u64, Option<Range<usize>>)>,
    /// What clients are pinned by (`client IP`, `cookie`, `header X-Session-ID`), and where.
    pub affinity: Option<(String, Range<usize>)>,
    /// What holds events back on this layer, and where.
    pub buffering: Option<Buffering>,
    /// A limit on the whole exchange in ms (a circuit breaker's time limiter), and where.
    pub total: Option<(u64, Range<usize>)>,
    /// Why this layer itself treats the path as a stream, whatever its words say.
    pub evidence: Option<Evidence>,
}

/// A layer holding events back: `what` for messages; `certain` is false when the app can still
/// turn it off (nginx's default buffering yields to an `X-Accel-Buffering: no` response header).
#[derive(Debug, Clone)]
pub struct Buffering {
    pub what: String,
    pub span: Range<usize>,
    pub certain: bool,
}

/// A layer's own configuration shows the path streams (`proxy_buffering off` on the location,
/// a `ws://` route): the other layers must then treat it as a stream too.
#[derive(Debug, Clone)]
pub struct Evidence {
    pub reason: String,
    pub websocket: bool,
    /// The setting that shows it.
    pub span: Range<usize>,
}

impl Hop {
    /// A hop with nothing known about it yet.
    pub fn new(layer: Layer, path: String, source: SourceFile, span: Range<usize>) -> Self {
        Hop {
            layer,
            path,
            source,
            span,
            idle: None,
            affinity: None,
            buffering: None,
            total: None,
            evidence: None,
        }
    }

    fn idle_span(&self) -> Range<usize> {
        self.idle.as_ref().and_then(|(_, s)| s.clone()).unwrap_or_else(|| self.span.clone())
    }
}

/// ingress-nginx's default `proxy-read-timeout`, and nginx's `proxy_read_timeout`.
const NGINX_DEFAULT_IDLE_MS: u64 = 60_000;

/// The hops of every Ingress path of a Kubernetes file.
pub fn hops_of_ingress(source: &SourceFile, objects: &[Object<'_>]) -> Vec<Hop> {
    let mut out = Vec::new();
    for ingress in objects.iter().filter(|o| o.is("Ingress")) {
        let annotation = |name: &str| ingress.annotation(&format!("nginx.ingress.kubernetes.io/{name}"));
        let read = annotation("proxy-read-timeout");
        let idle = match read.and_then(|n| n.as_str()).and_then(|t| t.trim().parse::<u64>().ok()) {
            Some(seconds) => (seconds.saturating_mul(1000), read.map(|n| n.span.clone())),
            None => (NGINX_DEFAULT_IDLE_MS, None),
        };
        let affinity = ingress_affinity(ingress);
        let buffering = annotation("proxy-buffering").and_then(|n| Some((n.as_str()?, n)));
        for path in ingress.ingress_paths() {
            let span = path.path.map_or(path.node.span.clone(), |n| n.span.clone());
            let mut hop = Hop::new(Layer::Ingress, path.path_text().to_string(), source.clone(), span);
            hop.idle = Some(idle.clone());
            hop.affinity = affinity.clone();
            match buffering {
                Some(("on", node)) => {
                    hop.buffering = Some(Buffering {
                        what: "`proxy-buffering: \"on\"`".to_string(),
                        span: node.span.clone(),
                        certain: true,
                    });
                }
                Some(("off", node)) => {
                    hop.evidence = Some(Evidence {
                        reason: "the Ingress turns `proxy-buffering` off for it".to_string(),
                        websocket: false,
                        span: node.span.clone(),
                    });
                }
                _ => {}
            }
            out.push(hop);
        }
    }
    out
}

fn ingress_affinity(ingress: &Object<'_>) -> Option<(String, Range<usize>)> {
    let annotation = |name: &str| ingress.annotation(&format!("nginx.ingress.kubernetes.io/{name}"));
    if let Some(node) = annotation("affinity").filter(|n| n.as_str() == Some("cookie")) {
        return Some(("a cookie".to_string(), node.span.clone()));
    }
    let node = annotation("upstream-hash-by")?;
    let key = node.as_str()?;
    Some((hash_key_name(key), node.span.clone()))
}

/// Names a hash key the same way in every layer (`$remote_addr` and `balance source` are both
/// "client IP"; `$cookie_sid` and a `sid` cookie both "cookie sid").
fn hash_key_name(key: &str) -> String {
    let key = key.trim().trim_start_matches('$');
    if key == "remote_addr" || key == "binary_remote_addr" {
        "client IP".to_string()
    } else if let Some(cookie) = key.strip_prefix("cookie_") {
        format!("cookie {cookie}")
    } else if let Some(header) = key.strip_prefix("http_") {
        format!("header {}", header.replace('_', "-").to_ascii_lowercase())
    } else {
        key.to_string()
    }
}

/// The hops of every proxied nginx location.
pub fn hops_of_nginx(doc: &NginxDoc) -> Vec<Hop> {
    let mut out = Vec::new();
    for block in doc.config.blocks_of(Context::Location) {
        let Some(pass) = doc.pass(block) else { continue };
        let (Some(head), Some(source)) = (doc.head(block), pass.source()) else { continue };
        let idle = match doc.config.effective(block, "proxy_read_timeout") {
            Some(d) => d.arg(0).and_then(|a| super::nginx::parse_time(&a)).map(|ms| (ms, Some(d.span()))),
            None => Some((NGINX_DEFAULT_IDLE_MS, None)),
        };
        let mut hop =
            Hop::new(Layer::Nginx, location_path(&doc.config, block), source.clone(), head.head_span());
        hop.idle = idle;
        hop.affinity = doc.upstream_of(block, pass).and_then(|upstream| nginx_affinity(doc, upstream));
        hop.buffering = nginx_buffering(doc, block, &hop.span);
        let own_off =
            doc.config.last(block, "proxy_buffering").filter(|d| d.arg(0).as_deref() == Some("off"));
        hop.evidence = own_off.map(|d| Evidence {
            reason: "nginx turns `proxy_buffering` off for it".to_string(),
            websocket: false,
            span: d.span(),
        });
        out.push(hop);
    }
    out
}

/// nginx buffers responses unless `proxy_buffering off` is in effect; left at its default, the
/// app can still switch it off per response with `X-Accel-Buffering: no`.
fn nginx_buffering(
    doc: &NginxDoc,
    block: crate::parse::nginx::view::BlockId,
    head: &Range<usize>,
) -> Option<Buffering> {
    match doc.config.effective(block, "proxy_buffering") {
        Some(d) if d.arg(0).as_deref() == Some("off") => None,
        Some(d) => Some(Buffering { what: "`proxy_buffering on`".to_string(), span: d.span(), certain: true }),
        None => Some(Buffering {
            what: "`proxy_buffering` left on (nginx's default; only an `X-Accel-Buffering: no` response header turns it off)".to_string(),
            span: head.clone(),
            certain: false,
        }),
    }
}

fn nginx_affinity(
    doc: &NginxDoc,
    upstream: crate::parse::nginx::view::BlockId,
) -> Option<(String, Range<usize>)> {
    let items: Vec<_> = doc.config.items(upstream).collect();
    if let Some(d) = items.iter().find(|d| d.is("ip_hash")) {
        return Some(("client IP".to_string(), d.span()));
    }
    if let Some(d) = items.iter().find(|d| d.is("hash")) {
        return Some((hash_key_name(&d.arg(0)?), d.span()));
    }
    let sticky = items.iter().find(|d| d.is("sticky"))?;
    Some(("a cookie".to_string(), sticky.span()))
}

/// The hops of every HAProxy `use_backend ... if <path acl>` rule. A WebSocket path is timed by
/// `timeout tunnel` once upgraded (when set), an event stream by `timeout server`.
pub fn hops_of_haproxy(source: &SourceFile, config: &haproxy::Config, settings: &Settings) -> Vec<Hop> {
    let mut out = Vec::new();
    let streams = crate::lint::rules::haproxy::stream_sections(config, settings);
    for frontend in config.sections.iter().filter(|s| s.kind.has_frontend_side()) {
        for rule in frontend.find(&["use_backend"]) {
            let Some(target) = rule.word(1) else { continue };
            let Some(index) = config
                .sections
                .iter()
                .position(|s| s.kind.has_backend_side() && s.name().is_some_and(|n| n.text == target.text))
            else {
                continue;
            };
            for path in haproxy_paths(frontend, rule.args_after(2)) {
                let websocket = stream_for_path(settings, &path).is_some_and(|s| s.websocket);
                let timeout = |name| crate::lint::rules::haproxy::timeout(config, index, name);
                let setting = if websocket {
                    timeout("tunnel").or_else(|| timeout("server"))
                } else {
                    timeout("server")
                };
                let mut hop = Hop::new(Layer::Haproxy, path, source.clone(), rule.span.clone());
                hop.idle = setting.map(|(ms, s)| (ms, Some(s.line.span.clone())));
                hop.affinity = haproxy_affinity(config, index);
                hop.evidence = streams
                    .iter()
                    .find(|(i, info)| *i == index && !info.heuristic)
                    .map(|(_, info)| haproxy_evidence(info, rule.span.clone()));
                out.push(hop);
            }
        }
    }
    out
}

fn haproxy_evidence(info: &super::nginx::StreamInfo, span: Range<usize>) -> Evidence {
    let reason = match info.reason.strip_prefix("it ") {
        Some(rest) => format!("HAProxy's backend {rest}"),
        None => format!("HAProxy streams it ({})", info.reason),
    };
    Evidence { reason, websocket: info.websocket, span }
}

fn haproxy_paths(frontend: &haproxy::Section, condition: &[crate::parse::words::Word]) -> Vec<String> {
    const FETCHES: &[&str] = &["path", "path_beg", "path_dir", "url_beg"];
    let mut paths = Vec::new();
    for word in condition {
        let name = word.text.trim_start_matches('!');
        for acl in frontend.find(&["acl"]).filter(|l| l.word(1).is_some_and(|n| n.text == name)) {
            if acl.word(2).is_some_and(|f| FETCHES.contains(&f.text.as_str())) {
                paths.extend(
                    acl.args_after(3).iter().filter(|w| !w.text.starts_with('-')).map(|w| w.text.clone()),
                );
            }
        }
    }
    paths
}

fn haproxy_affinity(config: &haproxy::Config, index: usize) -> Option<(String, Range<usize>)> {
    let balance = config.effective(index, &["balance"])?;
    let algorithm = balance.line.word(1)?.text.to_ascii_lowercase();
    let key = if algorithm == "source" {
        "client IP".to_string()
    } else if let Some(header) = algorithm.strip_prefix("hdr(").and_then(|h| h.strip_suffix(')')) {
        format!("header {header}")
    } else if algorithm == "url_param" {
        format!("URL parameter {}", balance.line.word(2).map_or("", |w| w.text.as_str()))
    } else {
        return None;
    };
    Some((key, balance.line.span.clone()))
}

/// The hops of a Kubernetes file (Ingress paths).
pub fn hops_of_k8s(source: &SourceFile, file: &crate::parse::yaml::YamlFile) -> Vec<Hop> {
    hops_of_ingress(source, &k8s::objects(file))
}

/// The hops of every gateway route with a `Path=` predicate. The gateway has no idle timeout on
/// a response in flight (`response-timeout` only bounds the wait for its headers), but a
/// circuit breaker's time limiter bounds the whole exchange.
pub fn hops_of_gateway(source: &SourceFile, file: &crate::parse::yaml::YamlFile) -> Vec<Hop> {
    use crate::lint::rules::gateway::circuit_breaker_on_stream::breaker_limit_ms;
    let mut out = Vec::new();
    for route in crate::parse::gateway::routes(file) {
        let uri = route.uri().unwrap_or("").to_ascii_lowercase();
        let websocket = uri.starts_with("ws:") || uri.starts_with("wss:") || uri.starts_with("lb:ws");
        let uri_span = route.get("uri").map(|n| n.span.clone());
        let breaker = route.filters.iter().find(|f| f.is("CircuitBreaker"));
        let total = breaker.and_then(|f| Some((breaker_limit_ms(file, route.doc, f)?, f.name_span.clone())));
        for predicate in route.predicates.iter().filter(|p| p.is("Path") && !p.negated) {
            for path in &predicate.shortcut_args {
                let mut hop =
                    Hop::new(Layer::Gateway, path.clone(), source.clone(), predicate.name_span.clone());
                hop.total.clone_from(&total);
                if websocket {
                    hop.evidence = Some(Evidence {
                        reason: format!("the gateway routes it to the WebSocket `{uri}`"),
                        websocket: true,
                        span: uri_span.clone().unwrap_or_else(|| predicate.name_span.clone()),
                    });
                }
                out.push(hop);
            }
        }
    }
    out
}

/// Whether two paths belong to one stream: one is a prefix of the other (`/api/stream` and
/// `/api/stream/`; `/api/` and `/api/stream`), ignoring trailing slashes and `**`.
fn related(a: &str, b: &str) -> bool {
    let clean = |p: &str| p.trim_end_matches("**").trim_end_matches('/').to_string();
    let (a, b) = (clean(a), clean(b));
    a.starts_with(&b) || b.starts_with(&a)
}

/// Groups hops by streaming path: for each path that streams, the most specific hop of each
/// layer. Only groups that span at least two layers form a chain.
pub fn chains(hops: &[Hop], settings: &Settings) -> Vec<(String, Vec<Hop>)> {
    // One hop per layer and path: a tree of 100 000 servers repeats the same few locations, and
    // the matching below compares paths pairwise.
    let mut distinct: Vec<&Hop> = Vec::new();
    let mut seen_paths = std::collections::HashSet::new();
    for hop in hops.iter().filter(|h| h.path != "/") {
        if seen_paths.insert((hop.layer, hop.path.as_str())) {
            distinct.push(hop);
        }
    }
    let mut layers: Vec<Layer> = distinct.iter().map(|h| h.layer).collect();
    layers.sort();
    layers.dedup();
    if layers.len() < 2 {
        return Vec::new();
    }
    // A path streams when the spec, `.sseconf.toml` or its words say so, or when one layer's own
    // configuration shows it (the others must then agree).
    let mut streams: Vec<&str> = distinct
        .iter()
        .filter(|h| h.evidence.is_some() || stream_for_path(settings, &h.path).is_some())
        .map(|h| h.path.as_str())
        .collect();
    // The most specific path names a chain; a parent (`/v1/`) with the same hops is a duplicate.
    streams.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    streams.dedup();
    let mut out: Vec<(String, Vec<Hop>)> = Vec::new();
    let mut keys: std::collections::HashSet<Vec<(Layer, usize)>> = std::collections::HashSet::new();
    for path in streams {
        let mut members: Vec<Hop> = Vec::new();
        for layer in &layers {
            let best = distinct
                .iter()
                .filter(|h| h.layer == *layer && related(&h.path, path))
                .max_by_key(|h| h.path.len());
            members.extend(best.map(|h| (*h).clone()));
        }
        let key: Vec<(Layer, usize)> = members.iter().map(|h| (h.layer, h.span.start)).collect();
        if members.len() >= 2 && keys.insert(key) {
            out.push((path.to_string(), members));
        }
    }
    out
}

/// Labels every other hop of a chain on a finding, at the span and with the text `label` gives.
pub fn label_chain(
    problem: &mut Problem,
    chain: &[Hop],
    primary: &Hop,
    label: impl Fn(&Hop) -> (Range<usize>, String),
) {
    for hop in chain.iter().filter(|h| !std::ptr::eq(*h, primary)) {
        let (span, text) = label(hop);
        super::add_label(problem, Some(&hop.source), span, &text);
    }
}

/// Each streaming path with its hops.
pub type Chains = Vec<(String, Vec<Hop>)>;

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

/// What the rules across files see: every file's hops, the names that resolve in the bundle,
/// the Prometheus targets, rule files and mounts; [`check`] fills in the chains.
#[derive(Debug, Default)]
pub struct Bundle {
    pub hops: Vec<Hop>,
    pub deployed: Vec<Deployed>,
    /// A compose file was seen, so `deployed` lists what runs next to Prometheus.
    pub knows_deployments: bool,
    pub targets: Vec<Target>,
    /// Volumes of compose services that run a Prometheus image.
    pub prometheus_mounts: Vec<Mount>,
    pub rule_files: Vec<RuleFile>,
    /// Probes on a custom Spring Boot health group (`/actuator/health/<group>`).
    pub group_probes: Vec<GroupProbe>,
    /// Health groups the Spring application configs in the bundle define.
    pub health_groups: Vec<String>,
    /// A Spring application config was seen, so `health_groups` means something.
    pub knows_app_config: bool,
    /// `-Xmx` set in Dockerfiles' environment (bytes), with where.
    pub image_heaps: Vec<(u64, SourceFile, Range<usize>)>,
    /// Memory limits of compose services built from a Dockerfile (bytes), with where.
    pub built_limits: Vec<(u64, String, SourceFile, Range<usize>)>,
    /// The Dockerfiles of the bundle.
    pub image_files: Vec<ImageFile>,
    /// Names the image built from the Dockerfile goes by in compose: each service with a
    /// `build:`, and the repository of its `image:`.
    pub built_names: Vec<String>,
    /// The containers of Kubernetes workloads.
    pub pod_containers: Vec<PodContainer>,
    /// Files mounted into compose services that run nginx.
    pub nginx_mounts: Vec<NginxMount>,
    /// The nginx files of the bundle: what each includes and which upstreams it defines.
    pub nginx_files: Vec<NginxFile>,
    pub chains: Chains,
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

impl Bundle {
    /// Adds what another set of files contributed.
    pub fn absorb(&mut self, other: Bundle) {
        self.hops.extend(other.hops);
        self.deployed.extend(other.deployed);
        self.knows_deployments |= other.knows_deployments;
        self.targets.extend(other.targets);
        self.prometheus_mounts.extend(other.prometheus_mounts);
        self.rule_files.extend(other.rule_files);
        self.group_probes.extend(other.group_probes);
        self.health_groups.extend(other.health_groups);
        self.knows_app_config |= other.knows_app_config;
        self.image_heaps.extend(other.image_heaps);
        self.built_limits.extend(other.built_limits);
        self.image_files.extend(other.image_files);
        self.built_names.extend(other.built_names);
        self.pod_containers.extend(other.pod_containers);
        self.nginx_mounts.extend(other.nginx_mounts);
        self.nginx_files.extend(other.nginx_files);
    }

    /// The bundle's only Dockerfile; `None` with none or several (nothing then says which
    /// image is built from which).
    pub fn only_image_file(&self) -> Option<&ImageFile> {
        let first = self.image_files.first()?;
        self.image_files.iter().all(|f| f.source.name == first.source.name).then_some(first)
    }

    /// Whether a container image is the one the bundle's only Dockerfile builds: its repository
    /// is the name of a compose service built from it (or that service's image), or the
    /// Dockerfile's folder.
    pub fn runs_built_image(&self, image: &str) -> bool {
        let Some(file) = self.only_image_file() else { return false };
        let repository = image_repository(image);
        repository == file.folder || self.built_names.contains(&repository)
    }
}

/// The last path segment of an image reference, without tag or digest
/// (`registry.example.com:5000/team/app:1.2@sha256:...` → `app`).
pub fn image_repository(image: &str) -> String {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    last.split(':').next().unwrap_or(last).to_string()
}

/// Runs the rules across files over everything the linted files contributed.
pub fn check(mut bundle: Bundle, settings: &Settings, selection: &super::config::Selection) -> Vec<Problem> {
    bundle.chains = chains(&bundle.hops, settings);
    let mut cx = LintContext::new(settings);
    for rule in super::registry::CHAIN {
        if selection.enabled(rule.meta()) {
            rule.check(&bundle, &mut cx);
        }
    }
    cx.into_findings()
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
            let Some(volumes) = service.get("volumes").filter(|_| image.contains("prometheus")) else {
                continue;
            };
            for volume in document.items(volumes) {
                let target = match volume.text() {
                    Some(short) => short.split(':').nth(1).map(str::to_string),
                    None => document.get(volume, "target").and_then(|n| n.text()).map(str::to_string),
                };
                if let Some(container_path) = target {
                    out.push(Mount { container_path, source: source.clone(), span: volume.span.clone() });
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
            let Some(volumes) =
                service.get("volumes").filter(|_| image.contains("nginx") && !image.contains("exporter"))
            else {
                continue;
            };
            for volume in document.items(volumes) {
                let (host, container) = match volume.text() {
                    Some(short) => {
                        let mut parts = short.split(':');
                        (parts.next().map(str::to_string), parts.next().map(str::to_string))
                    }
                    None => {
                        let text = |key| document.get(volume, key).and_then(|n| n.text()).map(str::to_string);
                        (text("source"), text("target"))
                    }
                };
                let (Some(host), Some(container)) = (host, container) else { continue };
                if !(host.starts_with('.') || host.starts_with('/')) {
                    continue;
                }
                out.push(NginxMount {
                    service: service.name().to_string(),
                    host: resolved_path(&folder.join(&host)),
                    container,
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

/// Formats a hop's idle timeout for labels.
pub fn idle_text(hop: &Hop) -> String {
    match &hop.idle {
        Some((ms, Some(_))) => format!("{}: idle timeout {}", hop.layer.name(), super::kinds::format_ms(*ms)),
        Some((ms, None)) => {
            format!("{}: idle timeout {} (default)", hop.layer.name(), super::kinds::format_ms(*ms))
        }
        None => format!("{}: no idle timeout", hop.layer.name()),
    }
}

/// The span to point at for a hop's idle timeout.
pub fn idle_span(hop: &Hop) -> Range<usize> {
    hop.idle_span()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_relate_by_prefix_either_way() {
        assert!(related("/api/stream", "/api/stream/"));
        assert!(related("/api/", "/api/stream"));
        assert!(related("/api/stream/**", "/api/stream/chat"));
        assert!(!related("/api/stream", "/ws"));
    }

    #[test]
    fn affinity_keys_are_named_alike_in_every_layer() {
        assert_eq!(hash_key_name("$remote_addr"), "client IP");
        assert_eq!(hash_key_name("$binary_remote_addr"), "client IP");
        assert_eq!(hash_key_name("$cookie_sid"), "cookie sid");
        assert_eq!(hash_key_name("$http_x_session_id"), "header x-session-id");
    }

    fn hop(layer: Layer, path: &str, idle: u64) -> Hop {
        let mut hop = Hop::new(layer, path.to_string(), SourceFile::new("f", "x"), 0..1);
        hop.idle = Some((idle, None));
        hop
    }

    #[test]
    fn chains_take_the_most_specific_hop_per_layer_and_skip_single_layers() {
        let hops = vec![
            hop(Layer::Ingress, "/api/stream", 3_600_000),
            hop(Layer::Nginx, "/", 60_000),
            hop(Layer::Nginx, "/api/", 60_000),
            hop(Layer::Nginx, "/api/stream/", 3_600_000),
            hop(Layer::Haproxy, "/ws", 60_000),
        ];
        let chains = chains(&hops, &Settings::default());
        assert_eq!(chains.len(), 1, "/ws crosses one layer only");
        let (path, members) = &chains[0];
        assert_eq!(path, "/api/stream/");
        let picked: Vec<&str> = members.iter().map(|h| h.path.as_str()).collect();
        assert_eq!(picked, ["/api/stream", "/api/stream/"]);
    }
}

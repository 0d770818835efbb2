//! The timeout chain across files: what no single-file rule can see.
//!
//! A stream crosses several layers (Ingress → nginx → HAProxy → gateway → app), each with its
//! own file. While each file is linted, [`hops_of_*`](hops_of_ingress) records what a layer does
//! to a path: its idle timeout, its affinity key, whether it buffers, a limit on the whole
//! exchange, and whether the layer itself shows the path streams. Afterwards the hops of all
//! files are grouped per streaming path and checked together: the weakest idle timeout decides
//! when a quiet stream dies, one buffering layer turns it into a lump, two layers pinning
//! clients by different keys fight each other. A finding names every hop of the chain
//! (secondary labels in the other files). The `facts` module records what the other checks
//! across files compare (deployments, mounts, images).
//!
//! Hops are matched by path: a hop belongs to a streaming path when one path is a prefix of the
//! other; per layer the most specific hop wins (a `location /` does not compete with
//! `location /api/stream`).

use super::kinds::stream_for_path;
use super::{LintContext, Settings};
use crate::diagnostics::{Problem, SourceFile};
use std::ops::Range;

mod facts;
mod hops;

pub use facts::*;
pub use hops::*;

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

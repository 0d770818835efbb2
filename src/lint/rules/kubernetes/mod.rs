//! The Kubernetes rules, one per file, registered in [`crate::lint::registry`], and what they
//! share: which workloads stream and which Ingress paths stream.

pub mod foreign_controller_annotation;
pub mod grace_period_vs_stream;
pub mod image_tag;
pub mod ingress_annotation_scope;
pub mod ingress_annotation_value_type;
pub mod ingress_controller_retired;
pub mod ingress_missing_class;
pub mod ingress_snippet_annotation;
pub mod ingress_stream_buffering;
pub mod ingress_stream_timeouts;
pub mod ingress_stream_without_tls;
pub mod jvm_heap_vs_limit;
pub mod liveness_aggregate_health;
pub mod missing_pdb;
pub mod missing_prestop;
pub mod probe_on_stream_path;
pub mod snippet_location_shadowing;
pub mod syntax_error;
pub mod unsafe_sysctl;

pub use foreign_controller_annotation::ForeignControllerAnnotation;
pub use grace_period_vs_stream::GracePeriodVsStream;
pub use image_tag::ImageTag;
pub use ingress_annotation_scope::IngressAnnotationScope;
pub use ingress_annotation_value_type::IngressAnnotationValueType;
pub use ingress_controller_retired::IngressControllerRetired;
pub use ingress_missing_class::IngressMissingClass;
pub use ingress_snippet_annotation::IngressSnippetAnnotation;
pub use ingress_stream_buffering::IngressStreamBuffering;
pub use ingress_stream_timeouts::IngressStreamTimeouts;
pub use ingress_stream_without_tls::IngressStreamWithoutTls;
pub use jvm_heap_vs_limit::JvmHeapVsLimit;
pub use liveness_aggregate_health::LivenessAggregateHealth;
pub use missing_pdb::MissingPdb;
pub use missing_prestop::MissingPrestop;
pub use probe_on_stream_path::ProbeOnStreamPath;
pub use snippet_location_shadowing::SnippetLocationShadowing;
pub use syntax_error::SyntaxError;
pub use unsafe_sysctl::UnsafeSysctl;

use crate::lint::Settings;
use crate::lint::kinds::stream_for_path;
use crate::lint::nginx::StreamInfo;
use crate::parse::k8s::{IngressPath, Object};

/// The prefix of ingress-nginx annotations.
pub const INGRESS_NGINX: &str = "nginx.ingress.kubernetes.io/";

/// The streaming paths of an Ingress, with why they stream.
pub fn stream_paths<'a>(ingress: &Object<'a>, settings: &Settings) -> Vec<(IngressPath<'a>, StreamInfo)> {
    ingress
        .ingress_paths()
        .into_iter()
        .filter_map(|p| Some((p, stream_for_path(settings, p.path_text())?)))
        .collect()
}

/// Whether every `key: value` of `selector` is among `labels` (an empty selector matches
/// nothing here, to stay conservative).
pub fn selects(selector: &[(&str, &str)], labels: &[(&str, &str)]) -> bool {
    !selector.is_empty() && selector.iter().all(|pair| labels.contains(pair))
}

/// Workloads (objects with a pod spec) that serve streams, with the reason: an Ingress in the
/// same file routes a streaming path to a Service that selects their pods, or a container port
/// is named like a stream (`websocket`, `sse`), which is a guess.
pub fn streaming_workloads<'a>(objects: &[Object<'a>], settings: &Settings) -> Vec<(Object<'a>, StreamInfo)> {
    let mut routed: Vec<(String, StreamInfo)> = Vec::new();
    for ingress in objects.iter().filter(|o| o.is("Ingress")) {
        for (path, info) in stream_paths(ingress, settings) {
            if let Some(service) = path.service {
                routed.push((service.to_string(), info));
            }
        }
    }
    // Selectors of the routed Services, looked up once (files may hold thousands of objects).
    let selectors: Vec<(Vec<(String, String)>, &StreamInfo)> = routed
        .iter()
        .filter_map(|(name, info)| {
            let service = objects.iter().find(|o| o.is("Service") && o.name() == Some(name.as_str()))?;
            let selector =
                service.path(&["spec", "selector"]).map(|n| string_map(service, n)).unwrap_or_default();
            Some((selector, info))
        })
        .collect();
    let mut out = Vec::new();
    for workload in objects.iter().filter(|o| o.pod_spec().is_some() && !o.is("Job") && !o.is("CronJob")) {
        let labels = workload.template_labels();
        let via_ingress = selectors.iter().find_map(|(selector, info)| {
            let selector: Vec<(&str, &str)> =
                selector.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            selects(&selector, &labels).then(|| (*info).clone())
        });
        if let Some(info) = via_ingress.or_else(|| port_names_suggest(workload, settings)) {
            out.push((*workload, info));
        }
    }
    out
}

fn string_map(object: &Object<'_>, node: &crate::parse::yaml::Node) -> Vec<(String, String)> {
    object
        .doc
        .entries(node)
        .into_iter()
        .filter_map(|e| {
            Some((e.key.as_str()?.to_string(), object.doc.resolve(&e.value).as_str()?.to_string()))
        })
        .collect()
}

/// A container port named like a stream (`websocket`, `sse`, `events`): a guess.
fn port_names_suggest(workload: &Object<'_>, settings: &Settings) -> Option<StreamInfo> {
    for container in workload.containers() {
        let Some(ports) = container.get("ports") else { continue };
        for port in container.doc.items(ports) {
            let Some(name) = container.doc.get(port, "name").and_then(|n| n.text()) else { continue };
            if let Some(mut info) = stream_for_path(settings, name) {
                info.reason = format!(
                    "a container port is named `{name}` (a guess: pass --spec or route it from an Ingress)"
                );
                info.heuristic = true;
                return Some(info);
            }
        }
    }
    None
}

/// Every object of the file.
pub fn objects(doc: &crate::lint::kinds::K8sDoc) -> Vec<Object<'_>> {
    crate::parse::k8s::objects(&doc.parsed)
}

//! The hops of each layer: what an Ingress, an nginx location, an HAProxy route or a gateway
//! route does to the paths it serves (idle timeout, affinity, buffering, total limit, and
//! whether its own configuration shows the path streams).

use super::{Buffering, Evidence, Hop, Layer};
use crate::diagnostics::SourceFile;
use crate::lint::Settings;
use crate::lint::kinds::stream_for_path;
use crate::lint::nginx::NginxDoc;
use crate::lint::nginx::stream::location_path;
use crate::parse::haproxy;
use crate::parse::k8s::{self, Object};
use crate::parse::nginx::view::Context;
use std::ops::Range;

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
            Some(d) => {
                d.arg(0).and_then(|a| crate::lint::nginx::parse_time(&a)).map(|ms| (ms, Some(d.span())))
            }
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

fn haproxy_evidence(info: &crate::lint::nginx::StreamInfo, span: Range<usize>) -> Evidence {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affinity_keys_are_named_alike_in_every_layer() {
        assert_eq!(hash_key_name("$remote_addr"), "client IP");
        assert_eq!(hash_key_name("$binary_remote_addr"), "client IP");
        assert_eq!(hash_key_name("$cookie_sid"), "cookie sid");
        assert_eq!(hash_key_name("$http_x_session_id"), "header x-session-id");
    }
}

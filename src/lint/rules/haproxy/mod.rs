//! The HAProxy rules, one per file, registered in [`crate::lint::registry`], and what they share:
//! which backends stream, and effective settings.

pub mod balance_source;
pub mod compression_event_stream;
pub mod cors_add_header;
pub mod daemon_in_container;
pub mod http_server_close_on_stream;
pub mod httpchk_inline_headers;
pub mod httplog_without_log_target;
pub mod log_stdout_format;
pub mod long_timeouts_in_defaults;
pub mod missing_client_fin;
pub mod missing_forwardfor;
pub mod missing_http_request_timeout;
pub mod sse_idle_timeout;
pub mod sse_without_http_no_delay;
pub mod ssl_bind_without_alpn;
pub mod stats_admin_exposed;
pub mod stream_maxconn_without_queue_timeout;
pub mod syntax_error;
pub mod ws_missing_tunnel_timeout;

pub use balance_source::BalanceSource;
pub use compression_event_stream::CompressionEventStream;
pub use cors_add_header::CorsAddHeader;
pub use daemon_in_container::DaemonInContainer;
pub use http_server_close_on_stream::HttpServerCloseOnStream;
pub use httpchk_inline_headers::HttpchkInlineHeaders;
pub use httplog_without_log_target::HttplogWithoutLogTarget;
pub use log_stdout_format::LogStdoutFormat;
pub use long_timeouts_in_defaults::LongTimeoutsInDefaults;
pub use missing_client_fin::MissingClientFin;
pub use missing_forwardfor::MissingForwardfor;
pub use missing_http_request_timeout::MissingHttpRequestTimeout;
pub use sse_idle_timeout::SseIdleTimeout;
pub use sse_without_http_no_delay::SseWithoutHttpNoDelay;
pub use ssl_bind_without_alpn::SslBindWithoutAlpn;
pub use stats_admin_exposed::StatsAdminExposed;
pub use stream_maxconn_without_queue_timeout::StreamMaxconnWithoutQueueTimeout;
pub use syntax_error::SyntaxError;
pub use ws_missing_tunnel_timeout::WsMissingTunnelTimeout;

use crate::lint::Settings;
use crate::lint::kinds::stream_for_path;
use crate::lint::nginx::StreamInfo;
use crate::parse::haproxy::{Config, Line, Section, SectionKind, Setting, parse_time_ms};

/// Sample fetches whose acl patterns are URL paths.
const PATH_FETCHES: &[&str] =
    &["path", "path_beg", "path_dir", "path_reg", "path_sub", "path_end", "url_beg", "base_beg"];

/// The paths an acl (or anonymous `{ ... }` condition) matches, when it tests the path.
fn acl_paths(words: &[crate::parse::words::Word]) -> Vec<String> {
    let Some(position) = words.iter().position(|w| PATH_FETCHES.contains(&w.text.as_str())) else {
        return Vec::new();
    };
    words
        .get(position + 1..)
        .unwrap_or(&[])
        .iter()
        .filter(|w| !w.text.starts_with('-') && w.text != "}")
        .map(|w| w.text.clone())
        .collect()
}

/// Whether an acl tests the `Upgrade` header (a WebSocket handshake).
fn acl_upgrade(words: &[crate::parse::words::Word]) -> bool {
    words.iter().any(|w| w.text.to_ascii_lowercase().contains("(upgrade)"))
}

/// Why the backend behind `use_backend` lines (or a listen section) streams, if it does.
fn classify_condition(
    section: &Section,
    condition: &[crate::parse::words::Word],
    settings: &Settings,
) -> Option<StreamInfo> {
    let mut paths = acl_paths(condition);
    let mut upgrade = acl_upgrade(condition);
    for word in condition {
        let name = word.text.trim_start_matches('!');
        for acl in section.find(&["acl"]).filter(|l| l.word(1).is_some_and(|n| n.text == name)) {
            paths.extend(acl_paths(acl.args_after(2)));
            upgrade |= acl_upgrade(acl.args_after(2));
        }
    }
    if upgrade {
        return Some(StreamInfo {
            websocket: true,
            reason: "it is chosen by an acl on the `Upgrade` header".to_string(),
            heuristic: false,
            heartbeat: None,
        });
    }
    paths.iter().find_map(|p| stream_for_path(settings, p))
}

/// Every backend or listen section that streams, with the reason.
pub fn stream_sections(config: &Config, settings: &Settings) -> Vec<(usize, StreamInfo)> {
    let mut out: Vec<(usize, StreamInfo)> = Vec::new();
    for section in config.sections.iter().filter(|s| s.kind.has_frontend_side()) {
        for rule in section.find(&["use_backend"]) {
            let Some(target) = rule.word(1) else { continue };
            let Some(info) = classify_condition(section, rule.args_after(2), settings) else { continue };
            let index = config
                .sections
                .iter()
                .position(|s| s.kind.has_backend_side() && s.name().is_some_and(|n| n.text == target.text));
            if let Some(index) = index.filter(|i| !out.iter().any(|(o, _)| o == i)) {
                out.push((index, info));
            }
        }
    }
    for (index, section) in config.sections.iter().enumerate().filter(|(_, s)| s.kind.has_backend_side()) {
        if out.iter().any(|(o, _)| *o == index) {
            continue;
        }
        // The name's words say which kind of stream (`sse_backend`), so they come first; a
        // section's own `timeout tunnel` marks a WebSocket backend otherwise.
        let by_name = section.name().and_then(|n| stream_for_path(settings, &n.text)).map(|mut info| {
            info.reason = info.reason.replacen("its path", "its name", 1);
            info
        });
        let evidence = by_name.or_else(|| own_evidence(section));
        if let Some(info) = evidence {
            out.push((index, info));
        }
    }
    out.sort_by_key(|(i, _)| *i);
    out
}

/// Evidence in the section itself: its own `timeout tunnel` (only WebSockets use it).
fn own_evidence(section: &Section) -> Option<StreamInfo> {
    section.last(&["timeout", "tunnel"]).map(|_| StreamInfo {
        websocket: true,
        reason: "it sets its own `timeout tunnel`".to_string(),
        heuristic: false,
        heartbeat: None,
    })
}

/// An effective `timeout <name>` in milliseconds, with the line that sets it.
pub fn timeout<'a>(config: &'a Config, index: usize, name: &str) -> Option<(u64, Setting<'a>)> {
    let setting = config.effective(index, &["timeout", name])?;
    let ms = setting.line.word(2).and_then(|w| parse_time_ms(&w.text))?;
    Some((ms, setting))
}

/// The effective `mode` of a proxy (HAProxy's default is tcp).
pub fn is_http(config: &Config, index: usize) -> bool {
    config.effective(index, &["mode"]).and_then(|s| s.line.word(1)).is_some_and(|w| w.is("http"))
}

/// The value words of a line, from `from` on, joined with spaces and lowercased.
pub fn joined_lower(line: &Line, from: usize) -> String {
    line.args_after(from).iter().map(|w| w.text.to_ascii_lowercase()).collect::<Vec<_>>().join(" ")
}

/// Sections of a kind.
pub fn sections_of(config: &Config, kind: SectionKind) -> impl Iterator<Item = (usize, &Section)> {
    config.sections.iter().enumerate().filter(move |(_, s)| s.kind == kind)
}

//! Which locations stream, and why we think so (pitfalls catalogue 1.3). Strongest first:
//! the spec (`--spec`), declared stream paths (`.sseconf.toml`), evidence in the location
//! (`text/event-stream`, `X-Accel-Buffering`, an `Upgrade` header, `proxy_buffering off`), and
//! last the path's words (`stream`, `sse`, `events`, `ws`, ...). A classification resting on the
//! path alone is a guess, and findings built on it are reported one severity lower.

use crate::lint::Settings;
use crate::parse::nginx::view::{BlockId, Config, Context};
use crate::spec::model::StreamKind;
use crate::spec::types::Duration;

/// Why a location is treated as a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamInfo {
    pub websocket: bool,
    /// Human-readable reason, shown in messages ("the spec lists /chat as websocket").
    pub reason: String,
    /// Only the path's words suggest it: lower the severity of findings.
    pub heuristic: bool,
    /// Heartbeat interval from the spec, when known.
    pub heartbeat: Option<Duration>,
}

impl StreamInfo {
    pub fn kind_name(&self) -> &'static str {
        if self.websocket { "WebSocket" } else { "event stream" }
    }
}

/// Path words that suggest Server-Sent Events.
const SSE_WORDS: &[&str] = &[
    "sse",
    "stream",
    "event",
    "events",
    "subscribe",
    "realtime",
    "push",
    "notification",
    "notifications",
    "completions",
    "eventsource",
];
/// Path words that suggest WebSockets.
const WS_WORDS: &[&str] = &["ws", "wss", "websocket", "websockets", "socket", "socket.io", "sockjs", "cable"];

/// The path of a `location` block: its last argument (after `=`, `~`, `^~` modifiers).
pub fn location_path(config: &Config, block: BlockId) -> String {
    config.block_dir(block).and_then(|d| d.args().last().map(|a| a.into_owned())).unwrap_or_default()
}

/// Splits a path into lower-case words at `/`, `-`, `_`, `.` and camel-case humps.
fn words(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in path.chars() {
        let boundary = !c.is_ascii_alphanumeric() || (c.is_ascii_uppercase() && prev_lower);
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if c.is_ascii_alphanumeric() {
            cur.push(c.to_ascii_lowercase());
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn path_suggests(path: &str) -> Option<bool> {
    let w = words(path);
    if w.iter().any(|x| WS_WORDS.contains(&x.as_str())) || path.contains("socket.io") {
        Some(true)
    } else if w.iter().any(|x| SSE_WORDS.contains(&x.as_str())) {
        Some(false)
    } else {
        None
    }
}

fn from_spec(settings: &Settings, path: &str) -> Option<StreamInfo> {
    let spec = settings.spec.as_ref()?;
    let clean = path.trim_end_matches('/');
    spec.endpoints.iter().find_map(|e| {
        let ep = e.path.as_str().trim_end_matches('/');
        let hit = !clean.is_empty() && !ep.is_empty() && (ep.starts_with(clean) || clean.starts_with(ep));
        hit.then(|| StreamInfo {
            websocket: e.kind == StreamKind::Websocket,
            reason: format!(
                "the spec lists `{}` as {}",
                e.path.as_str(),
                if e.is_websocket() { "a WebSocket" } else { "an event stream" }
            ),
            heuristic: false,
            heartbeat: Some(e.heartbeat),
        })
    })
}

fn from_config(settings: &Settings, path: &str) -> Option<StreamInfo> {
    let p = settings.stream_paths.iter().find(|p| p.matches(path))?;
    Some(StreamInfo {
        websocket: p.websocket,
        reason: format!("`{}` is declared as a stream path in .sseconf.toml", p.pattern),
        heuristic: false,
        heartbeat: None,
    })
}

/// Evidence written in the location itself.
fn from_evidence(config: &Config, block: BlockId, path: &str) -> Option<StreamInfo> {
    let mut sse = None;
    let mut upgrade = false;
    let mut unbuffered = false;
    for d in config.items(block) {
        for needle in ["text/event-stream", "X-Accel-Buffering"] {
            if sse.is_none() && d.args().any(|a| contains_ignore_case(&a, needle)) {
                sse = Some(format!("`{}` mentions {needle}", d.name()));
            }
        }
        if d.is("proxy_set_header") && d.arg_lower(0).as_deref() == Some("upgrade") {
            upgrade = true;
        }
        if d.is("proxy_buffering") && d.arg(0).as_deref() == Some("off") {
            unbuffered = true;
        }
    }
    let by_path = path_suggests(path);
    let (websocket, reason) = match (sse, upgrade, unbuffered, by_path) {
        (Some(r), ..) => (false, r),
        (None, true, _, Some(false)) => {
            (false, format!("its path `{path}` names an event stream, though it also sets `Upgrade`"))
        }
        (None, true, ..) => (true, "it forwards the `Upgrade` header".to_string()),
        (None, false, true, ws) => (ws == Some(true), "it turns `proxy_buffering` off".to_string()),
        _ => return None,
    };
    Some(StreamInfo { websocket, reason, heuristic: false, heartbeat: None })
}

fn from_path(path: &str) -> Option<StreamInfo> {
    let websocket = path_suggests(path)?;
    Some(StreamInfo {
        websocket,
        reason: format!(
            "its path `{path}` looks like a {} (a guess)",
            if websocket { "WebSocket" } else { "stream" }
        ),
        heuristic: true,
        heartbeat: None,
    })
}

fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    hay.len() >= needle.len()
        && hay.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Classifies every block: locations by the rules above, `if`/`limit_except` blocks like their
/// location, everything else not at all.
pub fn classify(config: &Config, settings: &Settings) -> Vec<Option<Box<StreamInfo>>> {
    let mut out: Vec<Option<Box<StreamInfo>>> = Vec::with_capacity(config.blocks.len());
    for (i, block) in config.blocks.iter().enumerate() {
        let id = i as BlockId;
        let info = match block.context {
            Context::Location => {
                let path = location_path(config, id);
                from_spec(settings, &path)
                    .or_else(|| from_config(settings, &path))
                    .or_else(|| from_evidence(config, id, &path))
                    .or_else(|| from_path(&path))
                    .map(Box::new)
            }
            Context::If | Context::LimitExcept => {
                block.parent.and_then(|p| out.get(p as usize).cloned().flatten())
            }
            _ => None,
        };
        out.push(info);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_camel_case_and_separators() {
        assert_eq!(
            words("/web/api/v1/gpt/queryAgentStreamIncr"),
            ["web", "api", "v1", "gpt", "query", "agent", "stream", "incr"]
        );
        assert_eq!(path_suggests("/ws/"), Some(true));
        assert_eq!(path_suggests("/api/stream/"), Some(false));
        assert_eq!(path_suggests("/upstream/"), None);
        assert_eq!(path_suggests("/api/"), None);
    }
}

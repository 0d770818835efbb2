//! The redis target: `redis.conf` for the official image.
//!
//! The password never appears in the file. Compose passes it on redis-server's command line
//! (`--requirepass`, interpolated by Compose from the host environment, no shell involved);
//! Redis replaces its process title, so it does not show in `ps`. Without that argument the
//! file still fails safe: `protected-mode yes` with no password refuses every client that is not
//! on loopback.

use super::Output;
use crate::spec::Spec;
use crate::spec::model::{Eviction, Fsync};
use serde_json::json;

pub fn outputs(spec: &Spec) -> Vec<Output> {
    if spec.redis.is_none() {
        return Vec::new();
    }
    vec![Output::new("redis/redis.conf", "redis/redis.conf.j2")]
}

/// Where compose mounts the file, and the official image's convention for it.
pub const CONF_PATH: &str = "/usr/local/etc/redis/redis.conf";

/// Commands no client of a session and rate-limit store needs, disabled by renaming them to
/// nothing: one stray call wipes every session. `CONFIG` stays (Spring Session and the
/// exporter read and set harmless settings with it); `enable-protected-configs no` stops it from
/// moving `dir`/`dbfilename`, the classic way to write files through Redis.
pub const DISABLED_COMMANDS: [&str; 3] = ["FLUSHALL", "FLUSHDB", "SWAPDB"];

/// File descriptors Redis keeps for itself beyond `maxclients`.
pub const RESERVED_FDS: u32 = 32;

pub fn context(spec: &Spec) -> serde_json::Value {
    let Some(r) = &spec.redis else { return serde_json::Value::Null };
    json!({
        "max_memory": r.max_memory.lower(),
        "policy": eviction(r.eviction),
        "evicts_any_key": matches!(r.eviction, Eviction::AllkeysLru | Eviction::AllkeysLfu),
        "fsync": fsync(r.persistence.fsync),
        "save": r.persistence.snapshots.iter().map(|s| format!("{} {}", s.seconds, s.changes)).collect::<Vec<_>>(),
        "disabled_commands": DISABLED_COMMANDS,
        // `bind * -::*` and the enable-*-command settings exist from Redis 7.
        "modern": image_major(r.image.as_str()).is_none_or(|major| major >= 7),
    })
}

/// The major version in an image tag (`redis:7.4.1-alpine` is 7); `None` when the tag does not
/// start with one (a digest, or a name like `bookworm`), which is read as a current version.
fn image_major(image: &str) -> Option<u32> {
    let name = image.split('@').next().unwrap_or(image);
    let (_, tag) = name.rsplit('/').next().unwrap_or(name).split_once(':')?;
    let digits: String = tag.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn eviction(e: Eviction) -> &'static str {
    match e {
        Eviction::Noeviction => "noeviction",
        Eviction::VolatileLru => "volatile-lru",
        Eviction::VolatileLfu => "volatile-lfu",
        Eviction::VolatileTtl => "volatile-ttl",
        Eviction::AllkeysLru => "allkeys-lru",
        Eviction::AllkeysLfu => "allkeys-lfu",
    }
}

fn fsync(f: Fsync) -> &'static str {
    match f {
        Fsync::Always => "always",
        Fsync::Everysec => "everysec",
        Fsync::No => "no",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_major_version_comes_from_the_tag() {
        assert_eq!(image_major("redis:7.4.1-alpine"), Some(7));
        assert_eq!(image_major("registry.local:5000/redis:6.2.14"), Some(6));
        assert_eq!(image_major("redis:bookworm"), None);
        assert_eq!(image_major("redis@sha256:0123"), None);
    }
}

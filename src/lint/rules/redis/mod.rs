//! The redis.conf rules, one per file, registered in [`crate::lint::registry`].

pub mod dangerous_commands_enabled;
pub mod eviction_vs_durable_data;
pub mod logfile_in_container;
pub mod open_without_auth;
pub mod protected_mode_off;
pub mod pubsub_output_buffer;
pub mod syntax_error;

pub use dangerous_commands_enabled::DangerousCommandsEnabled;
pub use eviction_vs_durable_data::EvictionVsDurableData;
pub use logfile_in_container::LogfileInContainer;
pub use open_without_auth::OpenWithoutAuth;
pub use protected_mode_off::ProtectedModeOff;
pub use pubsub_output_buffer::PubsubOutputBuffer;
pub use syntax_error::SyntaxError;

use crate::parse::redis::{Config, Directive};

/// Whether an address is loopback (`127.x`, `::1`, `-::1`, `localhost`).
fn is_loopback(address: &str) -> bool {
    let address = address.trim_start_matches('-');
    address.starts_with("127.") || address == "::1" || address == "localhost"
}

/// The `bind` line when it exposes Redis beyond loopback: a wildcard, or any other address.
pub fn public_bind(config: &Config) -> Option<&Directive> {
    config.last("bind").filter(|bind| bind.args.iter().any(|a| !is_loopback(&a.text)))
}

/// Whether clients must authenticate: `requirepass`, an ACL file, or `user` lines that turn the
/// default user off or give it a password.
pub fn has_auth(config: &Config) -> bool {
    let password =
        config.last("requirepass").is_some_and(|d| d.args.first().is_some_and(|a| !a.text.is_empty()));
    let acl = config.last("aclfile").is_some();
    let default_user_locked = config.all("user").any(|u| {
        u.args.first().is_some_and(|n| n.text == "default")
            && u.args.iter().any(|a| a.text == "off" || a.text.starts_with('>') || a.text.starts_with('#'))
    });
    password || acl || default_user_locked
}

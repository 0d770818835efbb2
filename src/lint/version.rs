//! Target versions for version-dependent rules (`--nginx-version 1.24`): the spec's
//! [`Version`], parsed leniently from the command line and `.sseconf.toml`.

pub use crate::spec::types::Version;

/// The nginx version rules assume unless told: the stable branch current when this was written
/// (1.30, released April 2026, carries 1.29.x's changes: HTTP/1.1 and keepalive to upstreams by
/// default, `add_header_inherit`).
pub const NGINX_STABLE: Version = Version::new(1, 30, 0);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_short_and_full_versions() {
        assert_eq!("1.25".parse::<Version>().unwrap(), Version::new(1, 25, 0));
        assert_eq!("v1.29.7".parse::<Version>().unwrap(), Version::new(1, 29, 7));
        assert_eq!("2".parse::<Version>().unwrap(), Version::new(2, 0, 0));
        assert!("one".parse::<Version>().is_err());
        assert!("1.2.3.4".parse::<Version>().is_err());
        assert!(Version::new(1, 30, 0).at_least(Version::new(1, 29, 7)));
    }
}

//! Target versions for version-dependent rules (`--nginx-version 1.24`).

use std::fmt;
use std::str::FromStr;

/// A dotted version; missing parts are zero (`1.25` is `1.25.0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(pub u32, pub u32, pub u32);

/// The nginx version rules assume unless told: the stable branch current when this was written
/// (1.30, released April 2026, carries 1.29.x's changes: HTTP/1.1 and keepalive to upstreams by
/// default, `add_header_inherit`).
pub const NGINX_STABLE: Version = Version(1, 30, 0);

impl Default for Version {
    fn default() -> Self {
        NGINX_STABLE
    }
}

impl Version {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Version(major, minor, patch)
    }

    /// Whether this version is `other` or newer.
    pub fn at_least(self, other: Version) -> bool {
        self >= other
    }
}

impl FromStr for Version {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().trim_start_matches('v');
        let mut parts = s.split('.').map(|p| p.parse::<u32>());
        let mut next = |required: bool| match parts.next() {
            Some(Ok(n)) => Ok(n),
            None if !required => Ok(0),
            _ => Err(format!("`{s}` is not a version like 1.24 or 1.25.1")),
        };
        let v = Version(next(true)?, next(false)?, next(false)?);
        if parts.next().is_some() {
            return Err(format!("`{s}` has more than three parts"));
        }
        Ok(v)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_short_and_full_versions() {
        assert_eq!("1.25".parse::<Version>().unwrap(), Version(1, 25, 0));
        assert_eq!("1.29.7".parse::<Version>().unwrap(), Version(1, 29, 7));
        assert!("one".parse::<Version>().is_err());
        assert!("1.2.3.4".parse::<Version>().is_err());
        assert!(Version(1, 30, 0).at_least(Version(1, 29, 7)));
    }
}

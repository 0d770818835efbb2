//! Value types of the spec: human durations and sizes, versions, and strings whose grammar is
//! restricted so they can be written into nginx, HAProxy, YAML, shell and Dockerfiles without
//! breaking them. Each restricted string carries its pattern into the JSON Schema, and
//! [`explain_pattern`] turns a pattern failure into a sentence naming the offending character.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// A duration such as `15s`, `90m`, `1h30m`, `500ms`, `2d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    millis: u64,
}

pub const DURATION_PATTERN: &str = r"^([0-9]+(ms|s|m|h|d))+$";

impl Duration {
    pub const fn from_secs(secs: u64) -> Self {
        Self { millis: secs * 1000 }
    }
    pub const fn from_millis(millis: u64) -> Self {
        Self { millis }
    }
    pub fn as_millis(self) -> u64 {
        self.millis
    }
    /// Whole seconds, rounded up so a timeout never shrinks below what was asked.
    pub fn as_secs_ceil(self) -> u64 {
        self.millis.div_ceil(1000)
    }
    pub fn saturating_mul(self, n: u64) -> Self {
        Self { millis: self.millis.saturating_mul(n) }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let mut rest = text;
        let mut total: u64 = 0;
        if rest.is_empty() {
            return None;
        }
        while !rest.is_empty() {
            let digits = rest.find(|c: char| !c.is_ascii_digit())?;
            if digits == 0 {
                return None;
            }
            let number: u64 = rest[..digits].parse().ok()?;
            rest = &rest[digits..];
            let (unit_millis, len) = if rest.starts_with("ms") {
                (1, 2)
            } else {
                match rest.as_bytes().first()? {
                    b's' => (1_000, 1),
                    b'm' => (60_000, 1),
                    b'h' => (3_600_000, 1),
                    b'd' => (86_400_000, 1),
                    _ => return None,
                }
            };
            total = total.checked_add(number.checked_mul(unit_millis)?)?;
            rest = &rest[len..];
        }
        Some(Self { millis: total })
    }
}

impl fmt::Display for Duration {
    /// The shortest exact form: `1h`, `90s`, `1500ms`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.millis;
        let units = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1_000, "s")];
        for (size, unit) in units {
            if ms != 0 && ms.is_multiple_of(size) {
                return write!(f, "{}{unit}", ms / size);
            }
        }
        write!(f, "{ms}ms")
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Duration::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("invalid duration `{text}`")))
    }
}

impl JsonSchema for Duration {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "A duration: digits and a unit (ms, s, m, h, d), combinable: `15s`, `90m`, `1h30m`.",
            "examples": ["15s", "90m", "1h"]
        })
    }
}

/// A size in bytes, written `256mb`, `2Gi`, `512k`, `4096`. Units are binary: 1k = 1Ki = 1024.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Size {
    bytes: u64,
}

pub const SIZE_PATTERN: &str = r"^[0-9]+([kKmMgGtT][iI]?[bB]?|[bB])?$";

impl Size {
    pub const fn from_bytes(bytes: u64) -> Self {
        Self { bytes }
    }
    pub const fn mib(n: u64) -> Self {
        Self { bytes: n * 1024 * 1024 }
    }
    pub fn bytes(self) -> u64 {
        self.bytes
    }
    pub fn mebibytes(self) -> u64 {
        self.bytes / (1024 * 1024)
    }

    pub fn parse(text: &str) -> Option<Self> {
        let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
        if digits == 0 {
            return None;
        }
        let number: u64 = text[..digits].parse().ok()?;
        let unit = text[digits..].to_ascii_lowercase();
        let unit = unit.strip_suffix('b').unwrap_or(&unit);
        let unit = unit.strip_suffix('i').unwrap_or(unit);
        let factor: u64 = match unit {
            "" => 1,
            "k" => 1 << 10,
            "m" => 1 << 20,
            "g" => 1 << 30,
            "t" => 1 << 40,
            _ => return None,
        };
        Some(Self { bytes: number.checked_mul(factor)? })
    }

    /// The largest exact binary unit, in Kubernetes notation: `2Gi`, `512Mi`, `1000`.
    pub fn kubernetes(self) -> String {
        self.with_units(["Ti", "Gi", "Mi", "Ki"])
    }

    /// Redis and nginx notation: `256mb`, `2gb`.
    pub fn lower(self) -> String {
        self.with_units(["tb", "gb", "mb", "kb"])
    }

    fn with_units(self, names: [&str; 4]) -> String {
        let sizes = [1u64 << 40, 1 << 30, 1 << 20, 1 << 10];
        for (size, name) in sizes.iter().zip(names) {
            if self.bytes != 0 && self.bytes.is_multiple_of(*size) {
                return format!("{}{name}", self.bytes / size);
            }
        }
        self.bytes.to_string()
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.kubernetes())
    }
}

impl Serialize for Size {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Size {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Size::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("invalid size `{text}`")))
    }
}

impl JsonSchema for Size {
    fn schema_name() -> Cow<'static, str> {
        "Size".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": SIZE_PATTERN,
            "description": "A size: digits and an optional binary unit (k, m, g, t; `mb`, `Mi` and `m` all mean MiB).",
            "examples": ["256mb", "2Gi", "512k"]
        })
    }
}

/// CPU as Kubernetes writes it: `500m` (millicores) or `1.5` (cores).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cpu {
    millis: u64,
}

pub const CPU_PATTERN: &str = r"^([0-9]+m|[0-9]+(\.[0-9]{1,3})?)$";

impl Cpu {
    pub const fn millis(n: u64) -> Self {
        Self { millis: n }
    }
    pub fn as_millis(self) -> u64 {
        self.millis
    }
    pub fn parse(text: &str) -> Option<Self> {
        if let Some(m) = text.strip_suffix('m') {
            return m.parse().ok().map(|millis| Self { millis });
        }
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let int: u64 = int.parse().ok()?;
        let frac_millis: u64 = if frac.is_empty() { 0 } else { format!("{frac:0<3}").parse().ok()? };
        Some(Self { millis: int.checked_mul(1000)?.checked_add(frac_millis)? })
    }
    /// Docker Compose notation: `'1.5'`, `'0.5'`.
    pub fn cores(self) -> String {
        let whole = self.millis / 1000;
        let frac = self.millis % 1000;
        if frac == 0 {
            return whole.to_string();
        }
        let digits = format!("{frac:03}");
        format!("{whole}.{}", digits.trim_end_matches('0'))
    }
}

impl fmt::Display for Cpu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.millis.is_multiple_of(1000) {
            write!(f, "{}", self.millis / 1000)
        } else {
            write!(f, "{}m", self.millis)
        }
    }
}

impl Serialize for Cpu {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cpu {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Cpu::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("invalid CPU quantity `{text}`")))
    }
}

impl JsonSchema for Cpu {
    fn schema_name() -> Cow<'static, str> {
        "Cpu".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": CPU_PATTERN,
            "description": "CPU: millicores (`500m`) or cores (`1.5`).",
            "examples": ["500m", "2"]
        })
    }
}

/// An engine version: `1.22`, `1.27.3`. Compared numerically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

pub const VERSION_PATTERN: &str = r"^[0-9]+\.[0-9]+(\.[0-9]+)?$";

impl Version {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Self { major, minor, patch }
    }
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        let patch = parts.next().map_or(Some(0), |p| p.parse().ok())?;
        if parts.next().is_some() {
            return None;
        }
        Some(Self { major, minor, patch })
    }
    /// True when this version is `other` or newer.
    pub fn at_least(self, other: Version) -> bool {
        self >= other
    }
}

/// The lenient form the command line and `.sseconf.toml` take: a leading `v`, and missing parts
/// are zero (`1` is `1.0.0`). The spec itself is held to [`VERSION_PATTERN`].
impl std::str::FromStr for Version {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().trim_start_matches('v');
        let mut parts = s.split('.').map(|p| p.parse::<u32>());
        let mut next = |required: bool| match parts.next() {
            Some(Ok(n)) => Ok(n),
            None if !required => Ok(0),
            _ => Err(format!("`{s}` is not a version like 1.24 or 1.25.1")),
        };
        let v = Version::new(next(true)?, next(false)?, next(false)?);
        if parts.next().is_some() {
            return Err(format!("`{s}` has more than three parts"));
        }
        Ok(v)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl Serialize for Version {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Version::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("invalid version `{text}`")))
    }
}

impl JsonSchema for Version {
    fn schema_name() -> Cow<'static, str> {
        "Version".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": VERSION_PATTERN,
            "description": "A version: `major.minor` or `major.minor.patch`.",
            "examples": ["1.22", "2.6.12"]
        })
    }
}

/// Declares a string type restricted by a pattern, with its description for the schema and the
/// human name used in error messages.
macro_rules! restricted_string {
    ($(#[$doc:meta])* $name:ident, $pattern:expr, $what:expr, $example:expr) => {
        restricted_string!($(#[$doc])* $name, $pattern, $what, $example, 255);
    };
    ($(#[$doc:meta])* $name:ident, $pattern:expr, $what:expr, $example:expr, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub const PATTERN: &'static str = $pattern;
            pub const WHAT: &'static str = $what;
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_string())
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({
                    "type": "string",
                    "pattern": $pattern,
                    "maxLength": $max,
                    "description": concat!("A ", $what, "."),
                    "examples": [$example]
                })
            }
        }
    };
}

restricted_string!(
    /// A URL path that starts with `/` and has none of the characters that end or open an nginx
    /// directive, a HAProxy argument or a YAML scalar.
    UrlPath, r"^/[A-Za-z0-9._~!*+,=:@%/-]*$", "URL path starting with `/`", "/api/stream"
);
restricted_string!(
    /// A Kubernetes DNS-1123 label: lower case letters, digits and `-`, at most 63 characters.
    DnsName, r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "DNS-1123 name (lower case, digits, `-`)", "streaming-app", 63
);
restricted_string!(
    /// A host name or IP address.
    Host, r"^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*|[0-9a-fA-F:]*:[0-9a-fA-F:.]+)$",
    "host name or IP address", "app-1.internal"
);
restricted_string!(
    /// A server name as nginx and TLS read it: a host name, optionally starting with `*.`.
    ServerName, r"^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$",
    "server name (a host name, optionally `*.` first)", "api.example.com"
);
restricted_string!(
    /// An HTTP header name.
    HeaderName, r"^[A-Za-z0-9][A-Za-z0-9-]*$", "HTTP header name (letters, digits, `-`)", "X-Session-ID"
);
restricted_string!(
    /// A cookie or query parameter name.
    ParamName, r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$", "cookie or query parameter name (letters, digits, `_`, `-`, `.`)", "session_id"
);
restricted_string!(
    /// An environment variable name.
    EnvName, r"^[A-Za-z_][A-Za-z0-9_]*$", "environment variable name (letters, digits, `_`)", "REDIS_PASSWORD"
);
restricted_string!(
    /// An environment variable value: printable, with no `$` (Compose would interpolate it), quotes,
    /// backslashes or line breaks.
    EnvValue, r"^[^$`'\x22\\\x00-\x1f\x7f]*$", "environment value (no `$`, quotes, backslashes or control characters)", "k8s,streaming"
);
restricted_string!(
    /// A container image reference pinned to a tag or a digest: `redis:7.2.5-alpine`,
    /// `ghcr.io/acme/app@sha256:…`.
    Image, r"^[a-z0-9]+([._-]{1,2}[a-z0-9]+)*(\.[a-z0-9-]+)*(:[0-9]+)?(/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?(@sha256:[a-f0-9]{64})?$",
    "container image reference (`name:tag` or `name@sha256:digest`)", "redis:7.2.5-alpine"
);
restricted_string!(
    /// An absolute file path inside a container or on the proxy host.
    FilePath, r"^/[A-Za-z0-9._/-]+$", "absolute file path (letters, digits, `.`, `_`, `-`, `/`)", "/etc/nginx/tls/tls.crt"
);
restricted_string!(
    /// A relative path in the build context (for the Dockerfile's COPY).
    BuildPath, r"^[A-Za-z0-9_][A-Za-z0-9._/-]*$", "relative path in the build context", "target/app.jar"
);
restricted_string!(
    /// An IPv4 or IPv6 network in CIDR notation, or a single address.
    Cidr, r"^([0-9]{1,3}(\.[0-9]{1,3}){3}(/[0-9]{1,2})?|[0-9a-fA-F:]*:[0-9a-fA-F:]+(/[0-9]{1,3})?)$",
    "network in CIDR notation", "10.0.0.0/8"
);
restricted_string!(
    /// A CORS origin: `https://host[:port]`, or `*`.
    Origin, r"^(\*|https?://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?)$", "CORS origin (`https://host[:port]`)", "https://app.example.com"
);
restricted_string!(
    /// A JVM option: `-XX:+UseG1GC`, `-Dkey=value`. No spaces, quotes or `$`.
    JvmOption, r"^-[A-Za-z0-9:+_.=/,%-]+$", "JVM option (one `-…` token with no spaces, quotes or `$`)", "-XX:+UseG1GC"
);
restricted_string!(
    /// A Spring bean name, used as `#{@name}` in gateway routes.
    BeanName, r"^[A-Za-z_][A-Za-z0-9_]*$", "Spring bean name (letters, digits, `_`)", "ipKeyResolver"
);
restricted_string!(
    /// A gateway route URI: `lb://service`, `http://host:port`, `ws://…`, or `forward:/path`.
    RouteUri, r"^((lb|https?|wss?)://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?|forward:/[A-Za-z0-9._~/-]*)$",
    "route URI (`lb://name`, `http://host:port`, `forward:/path`)", "lb://streaming-service"
);
restricted_string!(
    /// A sysctl name such as `net.core.somaxconn`.
    SysctlName, r"^[a-z0-9_]+(\.[a-z0-9_-]+)+$", "sysctl name", "net.core.somaxconn"
);
restricted_string!(
    /// A plain word: letters, digits, `_`, `-`, `.`.
    Word, r"^[A-Za-z0-9_.-]+$", "plain word (letters, digits, `_`, `-`, `.`)", "streaming"
);

/// Why a character cannot appear in a value, phrased for the file that would break.
fn why_char_breaks(c: char) -> &'static str {
    match c {
        ';' => "`;` would end an nginx directive early",
        '{' | '}' => "braces would open or close an nginx block",
        '"' | '\'' | '`' => "a quote would break the quoting of nginx, HAProxy, shell and YAML values",
        '$' => "`$` starts a variable in nginx and an interpolation in Compose",
        '#' => "`#` starts a comment in nginx, HAProxy, redis.conf and YAML",
        '\n' | '\r' => "a line break would end a directive or a YAML scalar",
        ' ' | '\t' => "whitespace would split the value into separate arguments",
        '\\' => "a backslash would start an escape sequence",
        c if c.is_control() => "control characters are not allowed",
        _ => "this character is not allowed here",
    }
}

/// Describes why `value` does not match the restricted-string `pattern`, naming the first bad
/// character and what it would break. `None` when the pattern is not one of ours.
pub fn explain_pattern(pattern: &str, value: &str) -> Option<(String, String)> {
    let (what, example) = PATTERNS.iter().find(|(p, _, _)| *p == pattern).map(|(_, w, e)| (*w, *e))?;
    let bad = value.chars().find(|c| {
        matches!(c, ';' | '{' | '}' | '"' | '\'' | '`' | '$' | '#' | '\\' | ' ' | '\t') || c.is_control()
    });
    let message = match bad {
        Some(c) => format!("{value:?} is not a valid {what}: {}", why_char_breaks(c)),
        None => format!("{value:?} is not a valid {what}"),
    };
    Some((message, format!("expected a {what}, for example `{example}`")))
}

const PATTERNS: &[(&str, &str, &str)] = &[
    (UrlPath::PATTERN, UrlPath::WHAT, "/api/stream"),
    (DnsName::PATTERN, DnsName::WHAT, "streaming-app"),
    (Host::PATTERN, Host::WHAT, "app-1.internal"),
    (ServerName::PATTERN, ServerName::WHAT, "api.example.com"),
    (HeaderName::PATTERN, HeaderName::WHAT, "X-Session-ID"),
    (ParamName::PATTERN, ParamName::WHAT, "session_id"),
    (EnvName::PATTERN, EnvName::WHAT, "REDIS_PASSWORD"),
    (EnvValue::PATTERN, EnvValue::WHAT, "k8s,streaming"),
    (Image::PATTERN, Image::WHAT, "redis:7.2.5-alpine"),
    (FilePath::PATTERN, FilePath::WHAT, "/etc/nginx/tls/tls.crt"),
    (BuildPath::PATTERN, BuildPath::WHAT, "target/app.jar"),
    (Cidr::PATTERN, Cidr::WHAT, "10.0.0.0/8"),
    (Origin::PATTERN, Origin::WHAT, "https://app.example.com"),
    (JvmOption::PATTERN, JvmOption::WHAT, "-XX:+UseG1GC"),
    (BeanName::PATTERN, BeanName::WHAT, "ipKeyResolver"),
    (RouteUri::PATTERN, RouteUri::WHAT, "lb://streaming-service"),
    (SysctlName::PATTERN, SysctlName::WHAT, "net.core.somaxconn"),
    (Word::PATTERN, Word::WHAT, "streaming"),
    (DURATION_PATTERN, "duration", "15s"),
    (SIZE_PATTERN, "size", "256mb"),
    (CPU_PATTERN, "CPU quantity", "500m"),
    (VERSION_PATTERN, "version", "1.22"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_print_in_shortest_form() {
        assert_eq!(Duration::parse("1h30m").unwrap().as_millis(), 5_400_000);
        assert_eq!(Duration::parse("90s").unwrap().to_string(), "90s");
        assert_eq!(Duration::parse("3600s").unwrap().to_string(), "1h");
        assert_eq!(Duration::parse("1500ms").unwrap().to_string(), "1500ms");
        assert!(Duration::parse("15").is_none());
        assert!(Duration::parse("s").is_none());
        assert!(Duration::parse("99999999999999999999d").is_none());
    }

    #[test]
    fn sizes_are_binary_whatever_the_spelling() {
        assert_eq!(Size::parse("256mb"), Size::parse("256Mi"));
        assert_eq!(Size::parse("2Gi").unwrap().bytes(), 2 << 30);
        assert_eq!(Size::parse("2G").unwrap().kubernetes(), "2Gi");
        assert_eq!(Size::parse("256mb").unwrap().lower(), "256mb");
        assert!(Size::parse("mb").is_none());
    }

    #[test]
    fn cpu_quantities_convert_between_notations() {
        assert_eq!(Cpu::parse("1.5").unwrap().as_millis(), 1500);
        assert_eq!(Cpu::parse("500m").unwrap().cores(), "0.5");
        assert_eq!(Cpu::parse("2").unwrap().to_string(), "2");
    }

    #[test]
    fn versions_compare_numerically() {
        assert!(Version::parse("1.25.1").unwrap().at_least(Version::new(1, 25, 1)));
        assert!(!Version::parse("1.22").unwrap().at_least(Version::new(1, 25, 1)));
        assert!(Version::parse("1.100").unwrap() > Version::parse("1.99.9").unwrap());
    }

    #[test]
    fn pattern_explanations_name_the_breaking_character() {
        let (message, _) = explain_pattern(UrlPath::PATTERN, "/a;b").unwrap();
        assert!(message.contains("`;` would end an nginx directive"), "{message}");
        let (message, _) = explain_pattern(EnvValue::PATTERN, "${HOME}").unwrap();
        assert!(message.contains("interpolation in Compose"), "{message}");
    }
}

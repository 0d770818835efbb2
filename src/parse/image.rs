//! Container image references (`registry:5000/team/app:1.2@sha256:...`), shared by the
//! Dockerfile, compose and Kubernetes views so that "is this image pinned" means one thing.

/// The parts of an image reference. Variables (`${TAG}`, `$BASE`) are kept as text; callers
/// decide whether an unresolved variable counts as pinned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// Everything before the tag: registry, namespace and repository (`docker.io/library/redis`
    /// is written `redis`).
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// The repository's last path component (`bitnami/redis` → `redis`).
    pub fn repository(&self) -> &str {
        self.name.rsplit('/').next().unwrap_or(&self.name)
    }

    /// True when the reference floats: no digest and no tag, or the tag `latest`.
    pub fn is_floating(&self) -> bool {
        self.digest.is_none() && self.tag.as_deref().is_none_or(|t| t == "latest")
    }

    /// True when the reference contains a variable that is only known at build or deploy time.
    pub fn has_variable(&self) -> bool {
        self.name.contains('$') || self.tag.as_deref().is_some_and(|t| t.contains('$'))
    }
}

/// Splits an image reference. A `:` after the last `/` starts the tag; one before it is a
/// registry port.
pub fn parse(text: &str) -> ImageRef {
    let text = text.trim();
    let (rest, digest) = match text.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest.to_string())),
        None => (text, None),
    };
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest.get(last_slash..).and_then(|tail| tail.rfind(':')) {
        Some(colon) => {
            let at = last_slash + colon;
            (rest.get(..at).unwrap_or(rest), rest.get(at + 1..).map(str::to_string))
        }
        None => (rest, None),
    };
    ImageRef { name: name.to_string(), tag, digest }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_registry_port_tag_and_digest() {
        let r = parse("registry:5000/team/app:1.2@sha256:abc");
        assert_eq!(r.name, "registry:5000/team/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        assert_eq!(r.repository(), "app");
        assert!(!r.is_floating());
    }

    #[test]
    fn latest_and_untagged_float_but_digests_do_not() {
        assert!(parse("redis").is_floating());
        assert!(parse("redis:latest").is_floating());
        assert!(parse("registry:5000/redis").is_floating());
        assert!(!parse("redis@sha256:abc").is_floating());
        assert!(!parse("redis:7-alpine").is_floating());
        assert!(parse("app:${TAG}").has_variable());
    }
}

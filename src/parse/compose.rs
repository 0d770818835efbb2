//! A typed view of a Compose file (`docker-compose.yml`, `compose.yaml`) over the YAML tree:
//! services with their image, `depends_on` (short and long form), ports (short and long form),
//! environment (list and map form) and sysctls (list and map form). Everything is borrowed from
//! the tree, so every value still has its span; anchors, aliases and `<<` merge keys are followed.
//! Reference: the Compose specification, services top-level element.

use super::yaml::{Document, Node};
use std::ops::Range;

/// One service: its name (the key node) and its body.
#[derive(Debug, Clone, Copy)]
pub struct Service<'a> {
    pub doc: &'a Document,
    pub key: &'a Node,
    pub body: &'a Node,
}

/// A `KEY=value` (list form) or `KEY: value` (map form) entry of `environment` (or
/// `sysctls`). `value` is `None` for `- KEY` and `KEY:` (passed through from the host).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub key: String,
    pub key_span: Range<usize>,
    pub value: Option<String>,
    pub value_span: Range<usize>,
}

/// A published port. `host_ip` is `None` when the port is published on all interfaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    pub host_ip: Option<String>,
    pub published: Option<String>,
    pub target: String,
    pub span: Range<usize>,
}

impl Port {
    /// The container port as a number, when it is one (`6379`, not `8000-8010`).
    pub fn target_number(&self) -> Option<u16> {
        self.target.parse().ok()
    }

    /// True when the port is reachable from outside the host: published, and not on loopback.
    pub fn is_public(&self) -> bool {
        self.published.is_some()
            && self
                .host_ip
                .as_deref()
                .is_none_or(|ip| !(ip.starts_with("127.") || ip == "::1" || ip == "localhost"))
    }
}

/// The top-level `version:` entry, obsolete since Compose v2.
pub fn version(doc: &Document) -> Option<(&Node, &Node)> {
    let entry = doc.root.get("version")?;
    Some((&entry.key, &entry.value))
}

/// The services of the file, in order.
pub fn services(doc: &Document) -> Vec<Service<'_>> {
    let Some(services) = doc.get(&doc.root, "services") else { return Vec::new() };
    doc.entries(services)
        .into_iter()
        .filter(|e| e.key.as_str().is_some_and(|k| !k.starts_with("x-")))
        .map(|e| Service { doc, key: &e.key, body: doc.resolve(&e.value) })
        .collect()
}

impl<'a> Service<'a> {
    pub fn name(&self) -> &'a str {
        self.key.as_str().unwrap_or("")
    }

    /// A key of the service body, through merge keys (`<<: *defaults`).
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.doc.get(self.body, key)
    }

    pub fn image(&self) -> Option<&'a Node> {
        self.get("image").filter(|n| n.text().is_some())
    }

    /// The services this one depends on, as name nodes: the items of the short form
    /// (`depends_on: [redis]`) or the keys of the long form (`depends_on: {redis: {condition: ...}}`).
    pub fn depends_on(&self) -> Vec<&'a Node> {
        let Some(node) = self.get("depends_on") else { return Vec::new() };
        let items = self.doc.items(node);
        if !items.is_empty() {
            return items.into_iter().filter(|n| n.text().is_some()).collect();
        }
        self.doc.entries(node).into_iter().map(|e| &e.key).collect()
    }

    /// The service's volumes as (source, target, node): the short form `./a:/b:ro` split at its
    /// colons, the long form's `source:` and `target:`. The source is `None` for an anonymous
    /// volume (`/data`); a named volume's source has no `.` or `/` in front.
    pub fn volumes(&self) -> Vec<(Option<&'a str>, Option<&'a str>, &'a Node)> {
        let Some(list) = self.get("volumes") else { return Vec::new() };
        self.doc
            .items(list)
            .into_iter()
            .map(|volume| match volume.text() {
                Some(short) => {
                    let mut parts = short.split(':');
                    match (parts.next(), parts.next()) {
                        (Some(source), Some(target)) => (Some(source), Some(target), volume),
                        (target, None) => (None, target, volume),
                        (None, Some(_)) => (None, None, volume),
                    }
                }
                None => {
                    let text = |key| self.doc.get(volume, key).and_then(Node::text);
                    (text("source"), text("target"), volume)
                }
            })
            .collect()
    }

    /// The long-form condition of a dependency (`service_healthy`), if given.
    pub fn depends_on_condition(&self, dependency: &str) -> Option<&'a Node> {
        let node = self.get("depends_on")?;
        let spec = self.doc.get(node, dependency)?;
        self.doc.get(spec, "condition")
    }

    /// `environment`, in either form.
    pub fn environment(&self) -> Vec<Assignment> {
        self.get("environment").map(|n| assignments(self.doc, n)).unwrap_or_default()
    }

    /// `sysctls`, in either form.
    pub fn sysctls(&self) -> Vec<Assignment> {
        self.get("sysctls").map(|n| assignments(self.doc, n)).unwrap_or_default()
    }

    /// `ports`, short (`"127.0.0.1:6379:6379/tcp"`) and long (`{target, published, host_ip}`) form.
    pub fn ports(&self) -> Vec<Port> {
        let Some(node) = self.get("ports") else { return Vec::new() };
        self.doc.items(node).into_iter().filter_map(|item| port(self.doc, item)).collect()
    }
}

/// `[KEY=value, KEY]` or `{KEY: value}`.
pub fn assignments(doc: &Document, node: &Node) -> Vec<Assignment> {
    let items = doc.items(node);
    if !items.is_empty() {
        return items.into_iter().filter_map(list_assignment).collect();
    }
    doc.entries(node)
        .into_iter()
        .filter_map(|e| {
            let key = e.key.as_str()?;
            let value = doc.resolve(&e.value);
            Some(Assignment {
                key: key.to_string(),
                key_span: e.key.span.clone(),
                value: value.text().map(str::to_string),
                value_span: value.span.clone(),
            })
        })
        .collect()
}

/// `KEY=value` inside a list item. The spans are exact for plain and single-line quoted scalars;
/// a quoted item's spans skip its opening quote.
fn list_assignment(item: &Node) -> Option<Assignment> {
    let text = item.text()?;
    let quote = usize::from(item.span.end.saturating_sub(item.span.start) > text.len());
    let start = item.span.start + quote;
    Some(match text.split_once('=') {
        Some((key, value)) => Assignment {
            key: key.trim().to_string(),
            key_span: start..start + key.len(),
            value: Some(value.to_string()),
            value_span: start + key.len() + 1..start + text.len(),
        },
        None => Assignment {
            key: text.trim().to_string(),
            key_span: start..start + text.len(),
            value: None,
            value_span: start + text.len()..start + text.len(),
        },
    })
}

fn port(doc: &Document, item: &Node) -> Option<Port> {
    if let Some(text) = item.text() {
        return Some(short_port(text, item.span.clone()));
    }
    let target = doc.get(item, "target")?.text()?.to_string();
    Some(Port {
        host_ip: doc.get(item, "host_ip").and_then(Node::text).map(str::to_string),
        published: doc.get(item, "published").and_then(Node::text).map(str::to_string),
        target,
        span: item.span.clone(),
    })
}

/// `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`, where HOST_IP may be `[::1]`.
pub fn short_port(text: &str, span: Range<usize>) -> Port {
    let without_protocol = text.split('/').next().unwrap_or(text);
    let (host_ip, rest) = match without_protocol.strip_prefix('[').and_then(|r| r.split_once("]:")) {
        Some((ip, rest)) => (Some(ip.to_string()), rest),
        None => (None, without_protocol),
    };
    let parts: Vec<&str> = rest.rsplitn(3, ':').collect();
    let (target, published, ip) = match parts.as_slice() {
        [target] => (*target, None, None),
        [target, published] => (*target, Some(*published), None),
        [target, published, ip] => (*target, Some(*published), Some(*ip)),
        _ => (rest, None, None),
    };
    Port {
        host_ip: host_ip.or(ip.map(str::to_string)),
        published: published.map(str::to_string),
        target: target.to_string(),
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml;

    const SAMPLE: &str = "\
version: '3.8'
x-common: &common
  restart: unless-stopped
  environment:
    TZ: UTC
services:
  app:
    <<: *common
    image: app:1.2
    depends_on:
      - redis
    ports:
      - \"8080:8080\"
      - \"127.0.0.1:8081:8081\"
    sysctls:
      - net.core.somaxconn=1024
  redis:
    image: redis:7-alpine
    depends_on:
      app:
        condition: service_started
    environment:
      - REDIS_PASSWORD=secret
      - FROM_HOST
    ports:
      - target: 6379
        published: 6379
";

    #[test]
    fn services_follow_merge_keys() {
        let file = yaml::parse(SAMPLE);
        let doc = &file.documents[0];
        let services = services(doc);
        let names: Vec<_> = services.iter().map(|s| s.name()).collect();
        assert_eq!(names, ["app", "redis"]);
        let app = services[0];
        assert_eq!(app.get("restart").and_then(Node::text), Some("unless-stopped"));
        assert_eq!(app.environment()[0].key, "TZ");
        assert!(version(doc).is_some());
    }

    #[test]
    fn depends_on_in_both_forms() {
        let file = yaml::parse(SAMPLE);
        let services = services(&file.documents[0]);
        let deps: Vec<_> = services
            .iter()
            .map(|s| s.depends_on().iter().filter_map(|n| n.text()).collect::<Vec<_>>())
            .collect();
        assert_eq!(deps, [vec!["redis"], vec!["app"]]);
        assert_eq!(services[1].depends_on_condition("app").and_then(Node::text), Some("service_started"));
    }

    #[test]
    fn environment_list_form_has_value_spans() {
        let file = yaml::parse(SAMPLE);
        let redis = services(&file.documents[0])[1];
        let env = redis.environment();
        assert_eq!(env[0].key, "REDIS_PASSWORD");
        assert_eq!(&SAMPLE[env[0].value_span.clone()], "secret");
        assert_eq!(env[1].value, None);
        let sysctls = services(&file.documents[0])[0].sysctls();
        assert_eq!(&SAMPLE[sysctls[0].key_span.clone()], "net.core.somaxconn");
    }

    #[test]
    fn ports_in_both_forms_know_their_interface() {
        let file = yaml::parse(SAMPLE);
        let services = services(&file.documents[0]);
        let app_ports = services[0].ports();
        assert!(app_ports[0].is_public());
        assert!(!app_ports[1].is_public());
        assert_eq!(&SAMPLE[app_ports[1].span.clone()], "\"127.0.0.1:8081:8081\"");
        let redis_ports = services[1].ports();
        assert_eq!(redis_ports[0].target_number(), Some(6379));
        assert!(redis_ports[0].is_public());
        let v6 = short_port("[::1]:6379:6379/tcp", 0..1);
        assert_eq!(v6.host_ip.as_deref(), Some("::1"));
        assert!(!v6.is_public());
        assert!(!short_port("6379", 0..1).is_public());
    }

    #[test]
    fn volumes_read_the_short_and_long_forms() {
        let file = yaml::parse(
            "services:\n  web:\n    volumes:\n      - ./nginx.conf:/etc/nginx/nginx.conf:ro\n      - /data\n      - cache:/var/cache\n      - type: bind\n        source: ./conf.d\n        target: /etc/nginx/conf.d\n",
        );
        let doc = &file.documents[0];
        let web = &services(doc)[0];
        let parts: Vec<(Option<&str>, Option<&str>)> =
            web.volumes().into_iter().map(|(s, t, _)| (s, t)).collect();
        assert_eq!(
            parts,
            [
                (Some("./nginx.conf"), Some("/etc/nginx/nginx.conf")),
                (None, Some("/data")),
                (Some("cache"), Some("/var/cache")),
                (Some("./conf.d"), Some("/etc/nginx/conf.d")),
            ]
        );
    }
}

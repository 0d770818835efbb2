//! A typed view of a Spring Cloud Gateway `application.yml` over the YAML tree.
//!
//! Spring binds properties loosely: `spring.cloud.gateway.routes` may be written nested, with
//! dotted keys (`spring.cloud: {gateway.routes: ...}`), in kebab, camel or snake case, and
//! profiles add more documents after `---`. [`property`] and [`properties`] follow all of that.
//! Routes and default filters are read under both the classic prefix `spring.cloud.gateway` and
//! the 4.3+ prefix `spring.cloud.gateway.server.webflux`; filters and predicates in both the
//! shortcut form (`Retry=3,INTERNAL_SERVER_ERROR`) and the expanded form (`name:` + `args:`).

use super::yaml::{Document, Node, YamlFile};
use std::ops::Range;

/// The two prefixes gateway settings live under (classic, and WebFlux server since SCG 4.3).
pub const GATEWAY_PREFIXES: [&str; 2] = ["spring.cloud.gateway", "spring.cloud.gateway.server.webflux"];

/// Parses a Spring application config: a `.properties` file into the same tree as YAML (see
/// [`super::properties`]), anything else as YAML.
pub fn parse(name: &str, source: &str) -> YamlFile {
    if name.to_ascii_lowercase().ends_with(".properties") {
        super::properties::parse(source)
    } else {
        super::yaml::parse(source)
    }
}

/// Spring's relaxed binding: compare names without case, dashes or underscores.
fn canonical(name: &str) -> String {
    canonical_chars(name).collect()
}

fn canonical_chars(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars().filter(|c| *c != '-' && *c != '_').flat_map(char::to_lowercase)
}

/// Whether `raw` is `canonical` under relaxed binding. Stops at the first difference, so a huge
/// key (a hostile `.properties` line) costs no more than the name looked up.
fn same_name(raw: &str, canonical: &str) -> bool {
    canonical_chars(raw).eq(canonical.chars())
}

/// How many of the `wanted` segments a mapping key with dots (`cloud.gateway`) spells, if it
/// spells a prefix of them.
fn matched_segments(key: &str, wanted: &[String]) -> Option<usize> {
    let mut count = 0;
    for part in key.split('.') {
        if !same_name(part, wanted.get(count)?) {
            return None;
        }
        count += 1;
    }
    Some(count)
}

/// The node at dotted property `name` in one document, where mapping keys may themselves contain
/// dots. `None` if absent.
pub fn property<'a>(doc: &'a Document, name: &str) -> Option<&'a Node> {
    let wanted: Vec<String> = name.split('.').map(canonical).collect();
    find(doc, &doc.root, &wanted, 0)
}

fn find<'a>(doc: &'a Document, node: &'a Node, wanted: &[String], depth: usize) -> Option<&'a Node> {
    if wanted.is_empty() {
        return Some(doc.resolve(node));
    }
    if depth > super::yaml::MAX_DEPTH {
        return None;
    }
    // Raw entries first so that a duplicated key (Spring refuses it, a rule reports it) still
    // lets the settings under its second occurrence be found; then those from merge keys.
    let node = doc.resolve(node);
    for entry in node.entries().iter().chain(doc.entries(node)) {
        let Some(key) = entry.key.as_str() else { continue };
        if let Some(parts) = matched_segments(key, wanted)
            && let Some(found) = find(doc, &entry.value, wanted.get(parts..).unwrap_or(&[]), depth + 1)
        {
            return Some(found);
        }
    }
    None
}

/// The property in every document of the file (profiles), in order.
pub fn properties<'a>(file: &'a YamlFile, name: &str) -> Vec<(&'a Document, &'a Node)> {
    file.documents.iter().filter_map(|doc| Some((doc, property(doc, name)?))).collect()
}

/// A filter or predicate: `Name=a,b` (shortcut) or `{name: Name, args: {...}}` (expanded).
#[derive(Debug, Clone)]
pub struct Component<'a> {
    pub name: String,
    /// The span of the name (inside the shortcut string, or the `name:` value).
    pub name_span: Range<usize>,
    pub node: &'a Node,
    /// Shortcut arguments, split at commas (positional; names depend on the factory).
    pub shortcut_args: Vec<String>,
    /// The `args:` mapping of the expanded form.
    pub args: Option<&'a Node>,
    /// A predicate written `!Name=...`: the route matches when it does not.
    pub negated: bool,
}

impl<'a> Component<'a> {
    /// An argument of the expanded form by name, with relaxed binding (`fallback-uri`,
    /// `fallbackUri`).
    pub fn arg(&self, doc: &'a Document, name: &str) -> Option<&'a Node> {
        let args = self.args?;
        let wanted = canonical(name);
        doc.entries(args)
            .into_iter()
            .find(|e| e.key.as_str().is_some_and(|k| same_name(k, &wanted)))
            .map(|e| doc.resolve(&e.value))
    }

    /// Whether the expanded `args` or the shortcut arguments mention `text` anywhere
    /// (case-insensitive), e.g. a method list containing `POST`.
    pub fn mentions(&self, doc: &'a Document, text: &str) -> bool {
        let needle = text.to_ascii_lowercase();
        let mut budget = MAX_VISITED;
        self.shortcut_args.iter().any(|a| a.to_ascii_lowercase().contains(&needle))
            || self.args.is_some_and(|args| subtree_mentions(doc, args, &needle, 0, &mut budget))
    }

    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

/// Most nodes [`Component::mentions`] visits: aliases can make a small tree huge.
const MAX_VISITED: usize = 10_000;

fn subtree_mentions(doc: &Document, node: &Node, needle: &str, depth: usize, budget: &mut usize) -> bool {
    if depth > super::yaml::MAX_DEPTH || *budget == 0 {
        return false;
    }
    *budget -= 1;
    let node = doc.resolve(node);
    if let Some(text) = node.as_str() {
        return text.to_ascii_lowercase().contains(needle);
    }
    doc.items(node).into_iter().any(|n| subtree_mentions(doc, n, needle, depth + 1, budget))
        || doc.entries(node).into_iter().any(|e| subtree_mentions(doc, &e.value, needle, depth + 1, budget))
}

/// One component from a list item.
pub fn component<'a>(doc: &'a Document, item: &'a Node) -> Option<Component<'a>> {
    if let Some(text) = item.text() {
        let (name, args) = text.split_once('=').unwrap_or((text, ""));
        let quote = usize::from(item.span.end.saturating_sub(item.span.start) > text.len());
        let start = item.span.start + quote;
        let shortcut_args = if args.is_empty() {
            Vec::new()
        } else {
            args.split(',').map(|a| a.trim().to_string()).collect()
        };
        let trimmed = name.trim();
        let negated = trimmed.starts_with('!');
        let name = trimmed.trim_start_matches('!');
        let name_start = start + (text.len() - text.trim_start().len()) + usize::from(negated);
        return Some(Component {
            name: name.to_string(),
            name_span: name_start..name_start + name.len(),
            node: item,
            shortcut_args,
            args: None,
            negated,
        });
    }
    let name_node = doc.get(item, "name")?;
    Some(Component {
        name: name_node.text()?.to_string(),
        name_span: name_node.span.clone(),
        node: item,
        shortcut_args: Vec::new(),
        args: doc.get(item, "args"),
        negated: false,
    })
}

/// One route of `spring.cloud.gateway[.server.webflux].routes`.
#[derive(Debug, Clone)]
pub struct Route<'a> {
    pub doc: &'a Document,
    pub node: &'a Node,
    pub predicates: Vec<Component<'a>>,
    pub filters: Vec<Component<'a>>,
}

impl<'a> Route<'a> {
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.doc.get(self.node, key)
    }

    pub fn id(&self) -> Option<&'a str> {
        self.get("id").and_then(Node::text)
    }

    pub fn uri(&self) -> Option<&'a str> {
        self.get("uri").and_then(Node::text)
    }

    /// The `Path=` predicate patterns (negated ones excluded: they say where the route is not).
    pub fn paths(&self) -> Vec<&str> {
        self.predicates
            .iter()
            .filter(|p| p.is("Path") && !p.negated)
            .flat_map(|p| p.shortcut_args.iter().map(String::as_str))
            .collect()
    }

    /// `metadata.response-timeout` (milliseconds; negative disables it).
    pub fn response_timeout(&self) -> Option<&'a Node> {
        self.get("metadata")
            .and_then(|m| {
                self.doc
                    .entries(m)
                    .into_iter()
                    .find(|e| e.key.as_str().is_some_and(|k| same_name(k, "responsetimeout")))
            })
            .map(|e| self.doc.resolve(&e.value))
    }
}

fn components<'a>(doc: &'a Document, list: Option<&'a Node>) -> Vec<Component<'a>> {
    list.map(|l| doc.items(l).into_iter().filter_map(|i| component(doc, i)).collect()).unwrap_or_default()
}

/// Every route of the file, under both prefixes and in every document.
pub fn routes(file: &YamlFile) -> Vec<Route<'_>> {
    let mut out = Vec::new();
    for prefix in GATEWAY_PREFIXES {
        for (doc, list) in properties(file, &format!("{prefix}.routes")) {
            for node in doc.items(list) {
                let predicates = components(doc, doc.get(node, "predicates"));
                let filters = components(doc, doc.get(node, "filters"));
                out.push(Route { doc, node, predicates, filters });
            }
        }
    }
    out
}

/// `default-filters` under both prefixes, with their documents.
pub fn default_filters(file: &YamlFile) -> Vec<(&Document, Component<'_>)> {
    let mut out = Vec::new();
    for prefix in GATEWAY_PREFIXES {
        for (doc, list) in properties(file, &format!("{prefix}.default-filters")) {
            out.extend(components(doc, Some(list)).into_iter().map(|c| (doc, c)));
        }
    }
    out
}

/// A Spring duration in milliseconds: `3600s`, `500ms`, `1m`, `PT1H`, or a bare number in
/// `default_unit_ms` units (ms for httpclient timeouts, s for some others).
pub fn parse_duration_ms(text: &str, default_unit_ms: u64) -> Option<u64> {
    let text = text.trim();
    if let Some(iso) = text.strip_prefix("PT").or_else(|| text.strip_prefix("pt")) {
        return parse_iso(iso);
    }
    let digits_end = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(digits_end);
    let value: u64 = number.parse().ok()?;
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "" => default_unit_ms,
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    value.checked_mul(factor)
}

/// `1H30M`, `10S` (the part after `PT`).
fn parse_iso(text: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let value: u64 = number.parse().ok()?;
        number.clear();
        let factor = match c.to_ascii_uppercase() {
            'H' => 3_600_000,
            'M' => 60_000,
            'S' => 1_000,
            _ => return None,
        };
        total = total.checked_add(value.checked_mul(factor)?)?;
    }
    number.is_empty().then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml;

    const SAMPLE: &str = "\
spring:
  cloud:
    gateway:
      routes:
        - id: stream
          uri: lb://svc
          predicates:
            - Path=/api/stream/**,/sse
            - \"!Path=/api/stream/admin\"
          filters:
            - name: Retry
              args:
                retries: 3
                methods: POST
            - CircuitBreaker=cb
          metadata:
            response-timeout: -1
      httpClient:
        response-timeout: 3600s
---
spring.cloud.gateway.server.webflux:
  default-filters:
    - DedupeResponseHeader=Access-Control-Allow-Origin
";

    #[test]
    fn routes_with_both_component_forms() {
        let file = yaml::parse(SAMPLE);
        let routes = routes(&file);
        assert_eq!(routes.len(), 1);
        let route = &routes[0];
        assert_eq!(route.id(), Some("stream"));
        assert_eq!(route.paths(), ["/api/stream/**", "/sse"]);
        assert!(route.predicates[1].negated && route.predicates[1].is("Path"));
        let retry = &route.filters[0];
        assert!(retry.is("retry"));
        assert!(retry.mentions(route.doc, "post"));
        assert_eq!(retry.arg(route.doc, "retries").and_then(Node::text), Some("3"));
        let breaker = &route.filters[1];
        assert_eq!(&SAMPLE[breaker.name_span.clone()], "CircuitBreaker");
        assert_eq!(breaker.shortcut_args, ["cb"]);
        assert_eq!(route.response_timeout().and_then(Node::text), Some("-1"));
    }

    #[test]
    fn relaxed_binding_and_dotted_keys() {
        let file = yaml::parse(SAMPLE);
        let timeout = properties(&file, "spring.cloud.gateway.httpclient.response-timeout");
        assert_eq!(timeout.len(), 1);
        assert_eq!(timeout[0].1.text(), Some("3600s"));
        let defaults = default_filters(&file);
        assert_eq!(defaults.len(), 1);
        assert_eq!(defaults[0].1.name, "DedupeResponseHeader");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("3600s", 1), Some(3_600_000));
        assert_eq!(parse_duration_ms("5000", 1), Some(5_000));
        assert_eq!(parse_duration_ms("PT1H30M", 1), Some(5_400_000));
        assert_eq!(parse_duration_ms("2x", 1), None);
        assert_eq!(parse_duration_ms("PT5", 1), None);
    }
}

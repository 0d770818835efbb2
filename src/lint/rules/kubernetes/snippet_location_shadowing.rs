//! K8S016: a `location` in a server snippet that captures an Ingress path.

use super::{INGRESS_NGINX, objects};
use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::K8sDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a `location` declared in a `server-snippet` annotation whose match overlaps a path
    /// of the same Ingress: a regex location covering the path, or an identical prefix.
    ///
    /// ## Why is this bad?
    /// The generated locations are plain prefixes, and nginx prefers the first matching regex
    /// over a prefix: a snippet regex without `proxy_pass` captures the route and serves files
    /// (404) instead of proxying. An identical prefix location makes the reload fail.
    ///
    /// ## Example
    /// ```kubernetes,invalid
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/server-snippet: |
    ///       location ~* ^/api/stream/ {
    ///         proxy_buffering off;
    ///       }
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///   - http:
    ///       paths:
    ///       - {path: /api/stream, pathType: Prefix, backend: {service: {name: app, port: {number: 8080}}}}
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,valid
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/proxy-buffering: "off"
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///   - http:
    ///       paths:
    ///       - {path: /api/stream, pathType: Prefix, backend: {service: {name: app, port: {number: 8080}}}}
    /// ```
    pub struct SnippetLocationShadowing {
        id: "K8S016",
        name: "snippet-location-shadowing",
        kind: Some(FileKind::Kubernetes),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Do not declare locations in snippets; put the path in its own Ingress with the annotations it needs.",
    }
}

/// The literal start of a location pattern: `~* ^/api/stream/` → `/api/stream/`, with whether it
/// is a regex. `None` for patterns that start with a regex construct.
fn literal_prefix(modifier: &str, pattern: &str) -> Option<(String, bool)> {
    let regex = modifier.starts_with('~');
    if !regex {
        return Some((pattern.to_string(), false));
    }
    let body = pattern.strip_prefix('^')?;
    let end = body.find(|c: char| "\\.*+?()[]{}|$".contains(c)).unwrap_or(body.len());
    Some((body.get(..end)?.to_string(), true))
}

/// `(modifier, pattern)` of every `location` line of a snippet.
fn locations(snippet: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in snippet.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if let Some(rest) = words.strip_prefix(&["location"]) {
            let args: Vec<&str> = rest.iter().copied().take_while(|w| *w != "{").collect();
            let (modifier, pattern) = match args.as_slice() {
                [modifier, pattern, ..] => (*modifier, *pattern),
                [pattern] => ("", *pattern),
                _ => ("", ""),
            };
            out.push((modifier.to_string(), pattern.to_string()));
        }
    }
    out
}

impl Rule<K8sDoc> for SnippetLocationShadowing {
    fn check(&self, doc: &K8sDoc, cx: &mut LintContext<'_>) {
        for ingress in objects(doc).iter().filter(|o| o.is("Ingress")) {
            let Some(snippet) = ingress.annotation(&format!("{INGRESS_NGINX}server-snippet")) else {
                continue;
            };
            let Some(text) = snippet.as_str() else { continue };
            let paths = ingress.ingress_paths();
            for (modifier, pattern) in locations(text) {
                let Some((prefix, regex)) = literal_prefix(&modifier, &pattern) else { continue };
                let clean = |p: &str| p.trim_end_matches('/').to_string();
                let hit = paths.iter().find(|p| {
                    let path = clean(p.path_text());
                    let prefix = clean(&prefix);
                    if regex {
                        path.starts_with(&prefix) || prefix.starts_with(&path)
                    } else {
                        path == prefix
                    }
                });
                let Some(path) = hit else { continue };
                let message = if regex {
                    format!(
                        "the snippet's regex `location {modifier} {pattern}` wins over the Ingress path `{}` and captures its requests",
                        path.path_text()
                    )
                } else {
                    format!(
                        "the snippet's `location {pattern}` duplicates the Ingress path `{}`; the reload fails",
                        path.path_text()
                    )
                };
                // Block scalars do not map offsets one to one, so the finding labels the annotation.
                let problem = doc.report(cx, self, snippet.span.clone(), message);
                if let Some(node) = path.path {
                    doc.label(problem, node.span.clone(), "the Ingress path it shadows");
                }
            }
        }
    }
}

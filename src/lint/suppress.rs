//! Inline suppressions, the same for every file kind (all of them use `#` comments):
//!
//! ```text
//! proxy_buffering on;  # sseconf: ignore[NGX001] this location only serves small JSON
//! # sseconf: ignore[gzip-event-stream, NGX003] the CDN in front re-chunks the stream
//! location /events { ... }
//! ```
//!
//! A suppression covers findings on its own line, or on the next line when the comment stands
//! alone. The reason is required; a suppression without one, one naming an unknown rule, and
//! one that suppresses nothing are findings themselves (rules SSC001–SSC003).

use super::registry;
use crate::diagnostics::{Label, Problem, SourceFile};
use std::collections::HashMap;
use std::ops::Range;

const MARKER: &str = "sseconf:";

/// One `# sseconf: ignore[...] reason` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// 1-based line of the comment.
    pub line: usize,
    pub span: Range<usize>,
    /// Rule ids or names, with their spans.
    pub rules: Vec<(String, Range<usize>)>,
    pub reason: Option<String>,
    /// The comment is alone on its line (so it covers the next line).
    pub own_line: bool,
}

/// Finds every suppression comment in a file's text. Linear in the text.
pub fn parse(text: &str) -> Vec<Suppression> {
    let mut out = Vec::new();
    let index = crate::diagnostics::LineIndex::new(text);
    for (at, _) in text.match_indices(MARKER) {
        let line_start = text.get(..at).and_then(|b| b.rfind('\n')).map_or(0, |i| i + 1);
        let line_end = text.get(at..).and_then(|r| r.find('\n')).map_or(text.len(), |i| at + i);
        let Some(before) = text.get(line_start..at) else { continue };
        let Some(hash) = before.rfind('#') else { continue };
        if !before.get(hash + 1..).is_some_and(|s| s.trim().is_empty()) {
            continue;
        }
        let own_line = before.get(..hash).is_some_and(|s| s.trim().is_empty());
        let line = index.line_col(text, at).0;
        let body_start = at + MARKER.len();
        let body = text.get(body_start..line_end).unwrap_or("");
        if let Some(s) = parse_body(body, body_start, line, own_line, line_start + hash..line_end) {
            out.push(s);
        }
    }
    out
}

fn parse_body(
    body: &str,
    offset: usize,
    line: usize,
    own_line: bool,
    span: Range<usize>,
) -> Option<Suppression> {
    let trimmed = body.trim_start();
    let lead = body.len() - trimmed.len();
    let list = trimmed.strip_prefix("ignore[")?;
    let close = list.find(']')?;
    let list_start = offset + lead + "ignore[".len();
    let mut rules = Vec::new();
    let mut pos = 0;
    for part in list.get(..close).unwrap_or("").split(',') {
        let name = part.trim();
        let start = list_start + pos + (part.len() - part.trim_start().len());
        if !name.is_empty() {
            rules.push((name.to_string(), start..start + name.len()));
        }
        pos += part.len() + 1;
    }
    let reason =
        list.get(close + 1..).map(|r| r.trim().trim_start_matches(':').trim()).filter(|r| !r.is_empty());
    Some(Suppression { line, span, rules, reason: reason.map(str::to_string), own_line })
}

/// Whether a rule token (id or name) names the finding's rule.
fn names(token: &str, code: &str) -> bool {
    token.eq_ignore_ascii_case(code) || registry::find(token).is_some_and(|m| m.id == code)
}

/// Drops suppressed findings and adds findings about the suppressions themselves.
/// `enabled` says whether a rule runs (an ignore for a rule that is off is not "unused").
pub fn apply(findings: Vec<Problem>, files: &[SourceFile], enabled: &dyn Fn(&str) -> bool) -> Vec<Problem> {
    let mut by_file: HashMap<&str, (Vec<Suppression>, &SourceFile)> = HashMap::new();
    for file in files {
        if file.text.contains(MARKER) {
            by_file.insert(&file.name, (parse(&file.text), file));
        }
    }
    if by_file.is_empty() {
        return findings;
    }
    let mut used: HashMap<(&str, usize, usize), bool> = HashMap::new();
    let mut kept = Vec::with_capacity(findings.len());
    let mut positions = super::report::Positions::default();
    for finding in findings {
        let in_marked_file = finding.source.as_ref().is_some_and(|s| by_file.contains_key(s.name.as_str()));
        let line = if in_marked_file { positions.of(&finding).0 } else { 0 };
        let suppressed = finding.source.as_ref().filter(|_| in_marked_file).and_then(|src| {
            let (sups, _) = by_file.get(src.name.as_str())?;
            sups.iter().enumerate().find_map(|(i, s)| {
                let covers = s.line == line || (s.own_line && s.line + 1 == line);
                let token = s.rules.iter().position(|(t, _)| names(t, &finding.code))?;
                covers.then_some((src.name.as_str(), i, token))
            })
        });
        match suppressed {
            Some((name, i, token)) => {
                let key = by_file.get_key_value(name).map_or("", |(k, _)| *k);
                used.insert((key, i, token), true);
            }
            None => kept.push(finding),
        }
    }
    for (name, (sups, source)) in &by_file {
        for (i, s) in sups.iter().enumerate() {
            kept.extend(problems_of(s, source, |token| used.contains_key(&(*name, i, token)), enabled));
        }
    }
    kept
}

fn problems_of(
    s: &Suppression,
    source: &SourceFile,
    used: impl Fn(usize) -> bool,
    enabled: &dyn Fn(&str) -> bool,
) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut report = |id: &str, span: Range<usize>, message: String| {
        let Some(meta) = registry::find(id) else { return };
        let mut p = Problem::error(meta.id, message).in_file(source).with_severity(meta.severity);
        p.labels.push(Label { span, text: None, file: None });
        out.push(p);
    };
    if s.reason.is_none() {
        report("SSC001", s.span.clone(), "suppression has no reason".into());
    }
    for (i, (token, span)) in s.rules.iter().enumerate() {
        match registry::find(token) {
            None => report("SSC003", span.clone(), format!("suppression names unknown rule `{token}`")),
            Some(meta) if enabled(meta.id) && !used(i) => {
                report("SSC002", span.clone(), format!("suppression of `{token}` matches no finding"));
            }
            Some(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_trailing_and_own_line_suppressions() {
        let text = "a; # sseconf: ignore[NGX001, gzip-event-stream] the CDN re-chunks\n  # sseconf: ignore[NGX002]\nb;";
        let sups = parse(text);
        assert_eq!(sups.len(), 2);
        assert_eq!(sups[0].line, 1);
        assert!(!sups[0].own_line);
        assert_eq!(
            sups[0].rules.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
            ["NGX001", "gzip-event-stream"]
        );
        assert_eq!(&text[sups[0].rules[1].1.clone()], "gzip-event-stream");
        assert_eq!(sups[0].reason.as_deref(), Some("the CDN re-chunks"));
        assert!(sups[1].own_line);
        assert_eq!(sups[1].reason, None);
    }

    #[test]
    fn text_that_only_mentions_the_marker_is_not_a_suppression() {
        assert!(parse("set $a \"sseconf: ignore[NGX001]\";").is_empty());
        assert!(parse("# see sseconf: docs").is_empty());
    }
}

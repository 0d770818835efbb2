//! `haproxy.cfg`: sections (`global`, `defaults`, `frontend`, ...) holding keyword lines, every
//! header, keyword and argument with its byte span.
//!
//! A proxy section (frontend, backend, listen) inherits from the last `defaults` section above it,
//! or from the one it names with `from NAME`; [`Config::effective`] answers "what is `timeout
//! server` for this backend" the way HAProxy does. Comments are kept for suppressions. Parsing
//! never fails: lines before any section and unterminated quotes become [`ParseError`]s.
//! Reference: HAProxy configuration manual, sections 2.2 (quoting) and 4 (proxies).

use super::ParseError;
pub use super::words::Comment;
use super::words::{self, CommentStyle, Word};
use std::ops::Range;

/// The kind of a section, from its header keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    Global,
    Defaults,
    Frontend,
    Backend,
    Listen,
    /// peers, resolvers, userlist, cache, program, ring, mailers, http-errors, ...
    Other,
    /// Lines before the first section header (HAProxy rejects them).
    Orphan,
}

/// Header keywords that open a section (HAProxy 3.x `cfg_keywords` sections).
const SECTION_KEYWORDS: &[&str] = &[
    "global",
    "defaults",
    "frontend",
    "backend",
    "listen",
    "peers",
    "resolvers",
    "userlist",
    "cache",
    "program",
    "http-errors",
    "ring",
    "mailers",
    "fcgi-app",
    "crt-store",
    "traces",
    "log-forward",
    "acme",
];

impl SectionKind {
    fn of(keyword: &str) -> Option<SectionKind> {
        let lower = keyword.to_ascii_lowercase();
        if !SECTION_KEYWORDS.contains(&lower.as_str()) {
            return None;
        }
        Some(match lower.as_str() {
            "global" => SectionKind::Global,
            "defaults" => SectionKind::Defaults,
            "frontend" => SectionKind::Frontend,
            "backend" => SectionKind::Backend,
            "listen" => SectionKind::Listen,
            _ => SectionKind::Other,
        })
    }

    /// Frontends, backends and listens: the sections that take settings from `defaults`.
    pub fn is_proxy(self) -> bool {
        matches!(self, SectionKind::Frontend | SectionKind::Backend | SectionKind::Listen)
    }

    /// Whether the section accepts frontend-side settings (bind, timeout client, ...).
    pub fn has_frontend_side(self) -> bool {
        matches!(self, SectionKind::Frontend | SectionKind::Listen)
    }

    /// Whether the section accepts backend-side settings (server, timeout server, ...).
    pub fn has_backend_side(self) -> bool {
        matches!(self, SectionKind::Backend | SectionKind::Listen)
    }
}

/// One keyword line: its words (the first is the keyword) and the span of the line's content.
#[derive(Debug, Clone)]
pub struct Line {
    pub words: Vec<Word>,
    pub span: Range<usize>,
}

impl Line {
    /// The first word (`timeout`, `option`, `server`, ...).
    pub fn keyword(&self) -> &str {
        self.words.first().map_or("", |w| w.text.as_str())
    }

    /// Whether the line starts with these words, compared case-insensitively
    /// (`line.starts_with(&["timeout", "server"])`).
    pub fn starts_with(&self, prefix: &[&str]) -> bool {
        prefix.len() <= self.words.len() && prefix.iter().zip(&self.words).all(|(p, w)| w.is(p))
    }

    /// The words after the first `n`.
    pub fn args_after(&self, n: usize) -> &[Word] {
        self.words.get(n..).unwrap_or(&[])
    }

    /// The word at `index`.
    pub fn word(&self, index: usize) -> Option<&Word> {
        self.words.get(index)
    }

    /// Whether any word equals `text` (case-insensitive).
    pub fn has_word(&self, text: &str) -> bool {
        self.words.iter().any(|w| w.is(text))
    }
}

#[derive(Debug, Clone)]
pub struct Section {
    pub kind: SectionKind,
    /// The header line (`backend api from base`); empty words for [`SectionKind::Orphan`].
    pub header: Line,
    pub lines: Vec<Line>,
    /// From the header to the end of the last line.
    pub span: Range<usize>,
}

impl Section {
    /// The section's name (`backend api` → `api`); `None` for `global` and unnamed `defaults`.
    pub fn name(&self) -> Option<&Word> {
        self.header.word(1).filter(|w| !w.is("from"))
    }

    /// The `defaults` section named with `from NAME` in the header.
    pub fn from_defaults(&self) -> Option<&Word> {
        let words = &self.header.words;
        let at = words.iter().position(|w| w.is("from"))?;
        words.get(at + 1)
    }

    /// The lines starting with `prefix`, in order.
    pub fn find<'a>(&'a self, prefix: &'a [&'a str]) -> impl Iterator<Item = &'a Line> + 'a {
        self.lines.iter().filter(move |l| l.starts_with(prefix))
    }

    /// The last line starting with `prefix`: for single-valued settings the last one wins.
    pub fn last(&self, prefix: &[&str]) -> Option<&Line> {
        self.lines.iter().rev().find(|l| l.starts_with(prefix))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Config {
    pub sections: Vec<Section>,
    /// Conditional-block and message directives (`.if`, `.endif`, `.notice`, ...) found before
    /// the first section, where HAProxy allows them.
    pub conditionals: Vec<Line>,
    pub comments: Vec<Comment>,
    pub errors: Vec<ParseError>,
}

/// Where an effective setting came from.
#[derive(Debug, Clone, Copy)]
pub struct Setting<'a> {
    pub line: &'a Line,
    pub section: &'a Section,
    /// True when the value is inherited from a `defaults` section.
    pub inherited: bool,
}

impl Config {
    /// The `defaults` section that the section at `index` inherits from: the one it names with
    /// `from`, else the last `defaults` section above it.
    pub fn defaults_for(&self, index: usize) -> Option<&Section> {
        let section = self.sections.get(index)?;
        let above = self.sections.get(..index)?;
        if let Some(name) = section.from_defaults() {
            return above
                .iter()
                .rev()
                .find(|s| s.kind == SectionKind::Defaults && s.name().is_some_and(|n| n.text == name.text));
        }
        above.iter().rev().find(|s| s.kind == SectionKind::Defaults)
    }

    /// The line that sets `prefix` for the section at `index`: its own last one, else the one it
    /// inherits from its `defaults` section (which may itself inherit with `from`).
    pub fn effective(&self, index: usize, prefix: &[&str]) -> Option<Setting<'_>> {
        let section = self.sections.get(index)?;
        if let Some(line) = section.last(prefix) {
            return Some(Setting { line, section, inherited: false });
        }
        let mut current = index;
        // A chain of `defaults X from Y` cannot be longer than the number of sections.
        for _ in 0..self.sections.len() {
            let defaults = self.defaults_for(current)?;
            if let Some(line) = defaults.last(prefix) {
                return Some(Setting { line, section: defaults, inherited: true });
            }
            defaults.from_defaults()?;
            current = self.sections.iter().position(|s| std::ptr::eq(s, defaults))?;
        }
        None
    }

    /// The proxy sections with their indices.
    pub fn proxies(&self) -> impl Iterator<Item = (usize, &Section)> {
        self.sections.iter().enumerate().filter(|(_, s)| s.kind.is_proxy())
    }

    /// The `global` section's lines starting with `prefix`.
    pub fn global<'a>(&'a self, prefix: &'a [&'a str]) -> impl Iterator<Item = &'a Line> + 'a {
        self.sections.iter().filter(|s| s.kind == SectionKind::Global).flat_map(move |s| s.find(prefix))
    }
}

/// Parses a whole `haproxy.cfg`.
pub fn parse(source: &str) -> Config {
    let mut config = Config::default();
    for (offset, raw) in words::lines_with_offsets(source) {
        let split = words::split(raw, offset, CommentStyle::Anywhere);
        config.errors.extend(split.errors);
        config.comments.extend(split.comment);
        if split.words.is_empty() {
            continue;
        }
        let span = line_span(&split.words);
        let line = Line { words: split.words, span };
        add_line(&mut config, line);
    }
    config
}

fn line_span(words: &[Word]) -> Range<usize> {
    let start = words.first().map_or(0, |w| w.span.start);
    let end = words.last().map_or(start, |w| w.span.end);
    start..end
}

fn add_line(config: &mut Config, line: Line) {
    if let Some(kind) = SectionKind::of(line.keyword()) {
        let span = line.span.clone();
        config.sections.push(Section { kind, header: line, lines: Vec::new(), span });
        return;
    }
    if config.sections.is_empty() && line.keyword().starts_with('.') {
        config.conditionals.push(line);
        return;
    }
    if config.sections.is_empty() {
        config.errors.push(ParseError::new(
            format!("`{}` is outside any section (global, defaults, frontend, backend, ...)", line.keyword()),
            line.span.clone(),
        ));
        let header = Line { words: Vec::new(), span: line.span.start..line.span.start };
        let span = header.span.clone();
        config.sections.push(Section { kind: SectionKind::Orphan, header, lines: Vec::new(), span });
    }
    if let Some(section) = config.sections.last_mut() {
        section.span.end = line.span.end;
        section.lines.push(line);
    }
}

/// An HAProxy time value in milliseconds: `10s`, `1h`, `500ms`, `100` (no unit means ms),
/// `30m`, `2d`, `100us` (rounded up to 1 ms). `None` for anything else.
pub fn parse_time_ms(text: &str) -> Option<u64> {
    let digits_end = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(digits_end);
    let value: u64 = number.parse().ok()?;
    let factor: u64 = match unit.to_ascii_lowercase().as_str() {
        "" | "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "us" => return Some(value.div_ceil(1_000)),
        _ => return None,
    };
    value.checked_mul(factor)
}

/// Formats milliseconds for a message (`3600000` → `1h`, `90000` → `90s`).
pub fn format_ms(ms: u64) -> String {
    match ms {
        0 => "0".to_string(),
        ms if ms % 3_600_000 == 0 => format!("{}h", ms / 3_600_000),
        ms if ms % 60_000 == 0 => format!("{}m", ms / 60_000),
        ms if ms % 1_000 == 0 => format!("{}s", ms / 1_000),
        ms => format!("{ms}ms"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
global
    log stdout local0   # to the container log
defaults base
    mode http
    timeout server 1h
defaults short
    timeout server 30s
frontend fe
    bind *:80
    default_backend be
backend be
    timeout client 5s
backend api from base
    server a 10.0.0.1:8080 check
";

    #[test]
    fn sections_and_lines_keep_their_spans() {
        let config = parse(SAMPLE);
        let kinds: Vec<_> = config.sections.iter().map(|s| s.kind).collect();
        use SectionKind::*;
        assert_eq!(kinds, [Global, Defaults, Defaults, Frontend, Backend, Backend]);
        let fe = &config.sections[3];
        assert_eq!(fe.name().map(|n| n.text.as_str()), Some("fe"));
        let bind = &fe.lines[0];
        assert_eq!(&SAMPLE[bind.span.clone()], "bind *:80");
        assert_eq!(&SAMPLE[bind.words[1].span.clone()], "*:80");
        assert_eq!(config.comments.len(), 1);
        assert!(config.errors.is_empty());
    }

    #[test]
    fn effective_setting_comes_from_the_right_defaults() {
        let config = parse(SAMPLE);
        // `be` takes the last defaults section above it, `api` the one it names.
        let be = config.effective(4, &["timeout", "server"]).unwrap();
        assert!(be.inherited);
        assert_eq!(be.line.words[2].text, "30s");
        let api = config.effective(5, &["timeout", "server"]).unwrap();
        assert_eq!(api.line.words[2].text, "1h");
        assert_eq!(config.sections[5].name().map(|n| n.text.as_str()), Some("api"));
        let own = config.effective(4, &["timeout", "client"]).unwrap();
        assert!(!own.inherited);
        assert!(config.effective(3, &["timeout", "tunnel"]).is_none());
    }

    #[test]
    fn lines_outside_sections_are_errors_but_kept() {
        let config = parse("maxconn 10\nglobal\n  daemon\n");
        assert_eq!(config.errors.len(), 1);
        assert_eq!(config.sections[0].kind, SectionKind::Orphan);
        assert_eq!(config.sections[0].lines[0].keyword(), "maxconn");
    }

    #[test]
    fn conditional_blocks_may_precede_sections() {
        let config = parse(".if defined(X)\nglobal\n  .notice \"hi\"\n.endif\n");
        assert!(config.errors.is_empty());
        assert_eq!(config.conditionals.len(), 1);
        assert_eq!(config.sections[0].lines.len(), 2);
    }

    #[test]
    fn time_units_follow_haproxy() {
        assert_eq!(parse_time_ms("100"), Some(100));
        assert_eq!(parse_time_ms("10s"), Some(10_000));
        assert_eq!(parse_time_ms("1h"), Some(3_600_000));
        assert_eq!(parse_time_ms("2m"), Some(120_000));
        assert_eq!(parse_time_ms("1500us"), Some(2));
        assert_eq!(parse_time_ms("1x"), None);
        assert_eq!(parse_time_ms("s"), None);
        assert_eq!(parse_time_ms("99999999999999999999d"), None);
        assert_eq!(format_ms(3_600_000), "1h");
        assert_eq!(format_ms(45_000), "45s");
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let long = "a".repeat(1_000_000);
        let config = parse(&format!("global\n {long} \"{long}\n\u{0}\u{feff}é'\n"));
        assert_eq!(config.sections.len(), 1);
        assert_eq!(config.errors.len(), 2, "one unterminated quote of each kind");
    }
}

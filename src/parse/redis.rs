//! `redis.conf` (and `sentinel.conf`, Valkey's `valkey.conf`): one `directive args...` per line,
//! with spans for the directive and every argument.
//!
//! Quoting follows Redis' `sdssplitargs`: `"..."` with backslash escapes, `'...'` literal with
//! `\'`; a `#` only starts a comment at the beginning of a line. Repeated directives are all kept
//! (`save`, `rename-command`, `user`, `include`, `client-output-buffer-limit` accumulate); for the
//! others Redis lets the last one win, which [`Config::last`] mirrors. Directive names are
//! case-insensitive.

use super::ParseError;
pub use super::words::Comment;
use super::words::{self, CommentStyle, Word};
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct Directive {
    /// The directive name as written (compare with [`Word::is`]).
    pub name: Word,
    pub args: Vec<Word>,
    /// From the name to the end of the last argument.
    pub span: Range<usize>,
}

impl Directive {
    /// The first argument's text, lowercased (`appendonly yes` → `yes`).
    pub fn value(&self) -> Option<String> {
        self.args.first().map(|a| a.text.to_ascii_lowercase())
    }

    /// The span of the arguments, or of the name when there are none.
    pub fn args_span(&self) -> Range<usize> {
        match (self.args.first(), self.args.last()) {
            (Some(first), Some(last)) => first.span.start..last.span.end,
            _ => self.name.span.clone(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Config {
    pub directives: Vec<Directive>,
    pub comments: Vec<Comment>,
    pub errors: Vec<ParseError>,
}

impl Config {
    /// Every directive called `name`, in file order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Directive> + 'a {
        self.directives.iter().filter(move |d| d.name.is(name))
    }

    /// The effective directive called `name`: Redis applies them in order, so the last one wins.
    pub fn last(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().rev().find(|d| d.name.is(name))
    }

    /// The effective first argument of `name`, lowercased.
    pub fn value(&self, name: &str) -> Option<String> {
        self.last(name).and_then(Directive::value)
    }
}

/// Parses a whole redis.conf.
pub fn parse(source: &str) -> Config {
    let mut config = Config::default();
    for (offset, raw) in words::lines_with_offsets(source) {
        let split = words::split(raw, offset, CommentStyle::LineStart);
        config.errors.extend(split.errors);
        config.comments.extend(split.comment);
        check_quote_boundaries(raw, offset, &split.words, &mut config.errors);
        let mut parts = split.words.into_iter();
        let Some(name) = parts.next() else { continue };
        let args: Vec<Word> = parts.collect();
        let end = args.last().map_or(name.span.end, |a| a.span.end);
        let span = name.span.start..end;
        config.directives.push(Directive { name, args, span });
    }
    config
}

/// Redis refuses a closing quote followed by anything but a space (`"a"b`): "unbalanced quotes".
fn check_quote_boundaries(raw: &str, offset: usize, words: &[Word], errors: &mut Vec<ParseError>) {
    for word in words {
        let Some(text) = raw.get(word.span.start - offset..word.span.end - offset) else { continue };
        let Some(first) = text.chars().next() else { continue };
        if (first == '"' || first == '\'') && text.len() > 1 {
            let closes_at_end = text.ends_with(first) && !text.ends_with(&format!("\\{first}"));
            let body_has_quote =
                text.get(1..text.len() - 1).is_some_and(|b| b.contains(first) && !b.contains('\\'));
            if !closes_at_end || body_has_quote {
                errors.push(ParseError::new(
                    "closing quote must be followed by a space (Redis reports unbalanced quotes)",
                    word.span.clone(),
                ));
            }
        }
    }
}

/// A Redis memory size in bytes: `256mb`, `1gb`, `100k` (1000), `100kb` (1024), `4096`.
pub fn parse_memory(text: &str) -> Option<u64> {
    let lower = text.to_ascii_lowercase();
    let digits_end = lower.find(|c: char| !c.is_ascii_digit()).unwrap_or(lower.len());
    let (number, unit) = lower.split_at(digits_end);
    let value: u64 = number.parse().ok()?;
    let factor: u64 = match unit {
        "" | "b" => 1,
        "k" => 1_000,
        "kb" => 1_024,
        "m" => 1_000_000,
        "mb" => 1_048_576,
        "g" => 1_000_000_000,
        "gb" => 1_073_741_824,
        _ => return None,
    };
    value.checked_mul(factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
# redis.conf
port 6379
bind 0.0.0.0
save 900 1
save 60 10000
logfile \"/var/log/redis/redis-server.log\"
rename-command CONFIG \"\"
MAXMEMORY-POLICY allkeys-lru
maxmemory-policy noeviction
";

    #[test]
    fn directives_keep_spans_and_repeats() {
        let config = parse(SAMPLE);
        assert_eq!(config.directives.len(), 8);
        assert_eq!(config.all("save").count(), 2);
        let logfile = config.last("logfile").unwrap();
        assert_eq!(logfile.args[0].text, "/var/log/redis/redis-server.log");
        assert_eq!(&SAMPLE[logfile.args[0].span.clone()], "\"/var/log/redis/redis-server.log\"");
        let rename = config.last("rename-command").unwrap();
        assert_eq!(rename.args[1].text, "");
        assert_eq!(config.comments.len(), 1);
        assert!(config.errors.is_empty(), "{:?}", config.errors);
    }

    #[test]
    fn the_last_directive_wins_case_insensitively() {
        let config = parse(SAMPLE);
        assert_eq!(config.value("maxmemory-policy").as_deref(), Some("noeviction"));
        assert_eq!(config.value("bind").as_deref(), Some("0.0.0.0"));
        assert_eq!(config.value("requirepass"), None);
    }

    #[test]
    fn quote_followed_by_text_is_an_error() {
        let config = parse("requirepass \"abc\"def\nbind 'a' b\n");
        assert_eq!(config.errors.len(), 1);
        assert_eq!(config.directives.len(), 2);
    }

    #[test]
    fn memory_units_follow_redis() {
        assert_eq!(parse_memory("256mb"), Some(256 * 1_048_576));
        assert_eq!(parse_memory("1G"), Some(1_000_000_000));
        assert_eq!(parse_memory("4096"), Some(4096));
        assert_eq!(parse_memory("lots"), None);
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let config = parse("\"\u{feff}\n'\\\n\u{0} \"\\x\"\n");
        assert!(!config.errors.is_empty());
    }
}

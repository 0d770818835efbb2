//! Splitting one configuration line into words with byte spans: the tokenizer shared by the
//! line-based formats (HAProxy, redis.conf).
//!
//! Both formats quote with `"..."` (backslash escapes inside) and `'...'` (literal), and keep the
//! raw text recoverable through each word's span. They differ in where a comment may start:
//! HAProxy ends the line at any unquoted `#`, Redis only at a `#` that starts the line. The
//! tokenizer never fails: an unterminated quote ends the word at the end of the line and is
//! reported as a [`ParseError`] positioned where the quote opened.

use super::ParseError;
use std::ops::Range;

/// One word of a line: its unquoted, unescaped text and the byte range of its raw form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub span: Range<usize>,
}

impl Word {
    pub fn new(text: impl Into<String>, span: Range<usize>) -> Self {
        Self { text: text.into(), span }
    }

    /// Case-insensitive comparison, as both formats match keywords.
    pub fn is(&self, keyword: &str) -> bool {
        self.text.eq_ignore_ascii_case(keyword)
    }
}

/// A comment: the text after `#` and the byte range of the whole comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub text: String,
    pub span: Range<usize>,
}

/// How a format treats `#`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentStyle {
    /// Any unquoted, unescaped `#` starts a comment (HAProxy).
    Anywhere,
    /// Only a `#` as the first non-blank character starts a comment (Redis).
    LineStart,
}

/// The words and the trailing comment of one line.
#[derive(Debug, Clone, Default)]
pub struct SplitLine {
    pub words: Vec<Word>,
    pub comment: Option<Comment>,
    pub errors: Vec<ParseError>,
}

/// Splits `line` (without its newline), found at byte `offset` of the file, into words.
pub fn split(line: &str, offset: usize, style: CommentStyle) -> SplitLine {
    let mut out = SplitLine::default();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let Some(&b) = bytes.get(i) else { break };
        if b == b' ' || b == b'\t' || b == b'\r' {
            i += 1;
            continue;
        }
        if b == b'#' && (style == CommentStyle::Anywhere || out.words.is_empty()) {
            let text = line.get(i + 1..).unwrap_or("").trim_end().to_string();
            out.comment = Some(Comment { text, span: offset + i..offset + line.trim_end().len() });
            break;
        }
        i = read_word(line, i, offset, style, &mut out);
    }
    out
}

/// Reads one word starting at `start`; returns the index just past it.
fn read_word(line: &str, start: usize, offset: usize, style: CommentStyle, out: &mut SplitLine) -> usize {
    let bytes = line.as_bytes();
    let mut text = String::new();
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b' ' | b'\t' | b'\r' => break,
            b'#' if style == CommentStyle::Anywhere => break,
            b'"' => i = read_double_quoted(line, i, offset, &mut text, out),
            b'\'' => i = read_single_quoted(line, i, offset, &mut text, out),
            b'\\' if style == CommentStyle::Anywhere => {
                // HAProxy: a backslash outside quotes escapes the next character (`\ `, `\#`)
                // and decodes `\r`, `\n`, `\t`, `\xHH` as inside double quotes.
                let (decoded, used) = decode_escape(line, i + 1);
                if let Some(d) = decoded {
                    text.push(d);
                }
                i += 1 + used;
            }
            _ => {
                let c = next_char(line, i).unwrap_or('\u{fffd}');
                text.push(c);
                i += c.len_utf8().max(1);
            }
        }
    }
    out.words.push(Word { text, span: offset + start..offset + i });
    i
}

fn next_char(line: &str, at: usize) -> Option<char> {
    line.get(at..).and_then(|rest| rest.chars().next())
}

/// `"..."`: backslash escapes the next character; `\n`, `\t`, `\r` and `\xHH` are decoded.
fn read_double_quoted(
    line: &str,
    open: usize,
    offset: usize,
    text: &mut String,
    out: &mut SplitLine,
) -> usize {
    let mut i = open + 1;
    while let Some(c) = next_char(line, i) {
        match c {
            '"' => return i + 1,
            '\\' => {
                let (decoded, used) = decode_escape(line, i + 1);
                if let Some(d) = decoded {
                    text.push(d);
                }
                i += 1 + used;
            }
            _ => {
                text.push(c);
                i += c.len_utf8();
            }
        }
    }
    unterminated(out, "double", offset + open..offset + line.len());
    line.len()
}

/// Decodes the escape after a backslash at `at`; returns the character and the bytes used.
fn decode_escape(line: &str, at: usize) -> (Option<char>, usize) {
    match next_char(line, at) {
        None => (None, 0),
        Some('n') => (Some('\n'), 1),
        Some('t') => (Some('\t'), 1),
        Some('r') => (Some('\r'), 1),
        Some('x') => {
            let hex = line.get(at + 1..at + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(byte) => (Some(char::from(byte)), 3),
                None => (Some('x'), 1),
            }
        }
        Some(c) => (Some(c), c.len_utf8()),
    }
}

/// `'...'`: literal, except that `\'` stands for a quote (Redis; HAProxy has no escapes there,
/// and a literal `\'` inside single quotes is rare enough to accept either way).
fn read_single_quoted(
    line: &str,
    open: usize,
    offset: usize,
    text: &mut String,
    out: &mut SplitLine,
) -> usize {
    let mut i = open + 1;
    while let Some(c) = next_char(line, i) {
        match c {
            '\'' => return i + 1,
            '\\' if line.get(i + 1..i + 2) == Some("'") => {
                text.push('\'');
                i += 2;
            }
            _ => {
                text.push(c);
                i += c.len_utf8();
            }
        }
    }
    unterminated(out, "single", offset + open..offset + line.len());
    line.len()
}

/// Records a quote left open at the end of the line (the rest of the line is its text).
fn unterminated(out: &mut SplitLine, quote: &str, span: std::ops::Range<usize>) {
    out.errors.push(ParseError { message: format!("unterminated {quote} quote"), span });
}

/// Iterates the lines of `source` with the byte offset where each starts (newline excluded).
pub fn lines_with_offsets(source: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    source.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        (start, raw.strip_suffix('\n').unwrap_or(raw))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &SplitLine) -> Vec<&str> {
        line.words.iter().map(|w| w.text.as_str()).collect()
    }

    #[test]
    fn words_keep_spans_of_their_raw_form() {
        let line = split(r#"  http-request set-header X "a b" # note"#, 10, CommentStyle::Anywhere);
        assert_eq!(texts(&line), ["http-request", "set-header", "X", "a b"]);
        assert_eq!(line.words[3].span, 10 + 28..10 + 33);
        assert_eq!(line.comment.as_ref().map(|c| c.text.as_str()), Some(" note"));
    }

    #[test]
    fn haproxy_backslash_escapes_space_and_hash() {
        let line = split(r"option httpchk GET / HTTP/1.1\r\nHost:\ a\#b", 0, CommentStyle::Anywhere);
        assert_eq!(texts(&line), ["option", "httpchk", "GET", "/", "HTTP/1.1\r\nHost: a#b"]);
    }

    #[test]
    fn redis_hash_inside_a_line_is_not_a_comment() {
        let line = split("requirepass abc#def", 0, CommentStyle::LineStart);
        assert_eq!(texts(&line), ["requirepass", "abc#def"]);
        assert!(line.comment.is_none());
        let comment = split("  # save 900 1", 0, CommentStyle::LineStart);
        assert!(comment.words.is_empty());
        assert_eq!(comment.comment.map(|c| c.span), Some(2..14));
    }

    #[test]
    fn quotes_decode_escapes_and_report_unterminated() {
        let line = split(r#"logfile "a\x41\"b" 'it\'s'"#, 0, CommentStyle::LineStart);
        assert_eq!(texts(&line), ["logfile", "aA\"b", "it's"]);
        let bad = split(r#"bind "0.0.0.0"#, 0, CommentStyle::LineStart);
        assert_eq!(bad.errors.len(), 1);
        assert_eq!(bad.words.last().map(|w| w.text.as_str()), Some("0.0.0.0"));
    }

    #[test]
    fn non_ascii_and_lone_backslash_do_not_panic() {
        let line = split("名前 \"é\\", 0, CommentStyle::Anywhere);
        assert_eq!(line.words.len(), 2);
        let tail = split("a \\", 0, CommentStyle::Anywhere);
        assert_eq!(tail.words.len(), 2);
    }

    #[test]
    fn lines_report_their_offsets() {
        let lines: Vec<_> = lines_with_offsets("a\nbb\r\n\nc").collect();
        assert_eq!(lines, [(0, "a"), (2, "bb\r"), (6, ""), (7, "c")]);
    }
}

//! The nginx tokenizer, modelled on `ngx_conf_read_token`: words, quoted strings with escapes,
//! `${var}` braces inside words, `#` comments, and the three punctuation tokens `;`, `{`, `}`.
//! It works on bytes (all syntax is ASCII) and never fails: problems are returned as messages
//! with a byte offset, and the token stream goes on.

/// One token with its byte range in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    /// A word or a quoted string; `quote` is the quote character when quoted.
    Word {
        start: u32,
        end: u32,
        quote: Option<u8>,
    },
    Semicolon(u32),
    Open(u32),
    Close(u32),
    Comment {
        start: u32,
        end: u32,
    },
}

/// A lexical problem at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub offset: u32,
    pub message: String,
}

pub struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
    pub errors: Vec<LexError>,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn offset(pos: usize) -> u32 {
    u32::try_from(pos).unwrap_or(u32::MAX)
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str) -> Self {
        Self { bytes: text.as_bytes(), pos: 0, errors: Vec::new() }
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// The next token, or `None` at the end of the input.
    pub fn next_token(&mut self) -> Option<Token> {
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
        let start = self.pos;
        let b = self.peek()?;
        self.pos += 1;
        Some(match b {
            b';' => Token::Semicolon(offset(start)),
            b'{' => Token::Open(offset(start)),
            b'}' => Token::Close(offset(start)),
            b'#' => self.comment(start),
            b'"' | b'\'' => self.quoted(start, b),
            _ => self.word(start),
        })
    }

    fn comment(&mut self, start: usize) -> Token {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let len = rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
        self.pos += len;
        Token::Comment { start: offset(start), end: offset(self.pos) }
    }

    fn quoted(&mut self, start: usize, quote: u8) -> Token {
        loop {
            match self.peek() {
                None => {
                    self.errors.push(LexError {
                        offset: offset(start),
                        message: "unterminated quoted string".into(),
                    });
                    break;
                }
                Some(b'\\') => self.pos += 2,
                Some(c) => {
                    self.pos += 1;
                    if c == quote {
                        break;
                    }
                }
            }
        }
        self.pos = self.pos.min(self.bytes.len());
        // nginx wants a separator after a closing quote (`"a"b` is an error, `"a";` is not).
        if let Some(next) = self.peek()
            && !(is_space(next) || matches!(next, b';' | b'{' | b'}' | b')'))
        {
            self.errors.push(LexError {
                offset: offset(self.pos),
                message: format!("unexpected `{}` after a quoted string", char::from(next)),
            });
        }
        Token::Word { start: offset(start), end: offset(self.pos), quote: Some(quote) }
    }

    fn word(&mut self, start: usize) -> Token {
        // The first byte is already consumed; it may itself be `\` or `$`.
        let mut prev = self.bytes.get(start).copied().unwrap_or(b' ');
        if prev == b'\\' {
            self.pos += 1;
            prev = b' ';
        }
        while let Some(c) = self.peek() {
            if c == b'{' && prev == b'$' {
                self.pos += 1;
                prev = c;
                continue;
            }
            if is_space(c) || c == b';' || c == b'{' {
                break;
            }
            self.pos += if c == b'\\' { 2 } else { 1 };
            prev = if c == b'\\' { b' ' } else { c };
        }
        self.pos = self.pos.min(self.bytes.len());
        Token::Word { start: offset(start), end: offset(self.pos), quote: None }
    }

    /// Skips the body of a raw block (`content_by_lua_block { ... }`) after its `{`, counting
    /// braces outside Lua strings and comments. Returns the offset of the closing `}`.
    pub fn skip_raw_block(&mut self) -> Option<u32> {
        let mut depth = 1usize;
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(offset(self.pos - 1));
                    }
                }
                b'"' | b'\'' => self.skip_lua_string(c),
                b'-' if self.peek() == Some(b'-') => {
                    let rest = self.bytes.get(self.pos..).unwrap_or_default();
                    self.pos += rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
                }
                _ => {}
            }
        }
        None
    }

    fn skip_lua_string(&mut self, quote: u8) {
        while let Some(c) = self.peek() {
            self.pos += if c == b'\\' { 2 } else { 1 };
            if c == quote || c == b'\n' {
                break;
            }
        }
        self.pos = self.pos.min(self.bytes.len());
    }
}

/// The value of a token as nginx sees it: quotes removed and `\"`, `\'`, `\\`, `\t`, `\r`, `\n`
/// unescaped (other backslashes are kept, as nginx does).
pub fn unescape(raw: &str, quoted: bool) -> std::borrow::Cow<'_, str> {
    let inner = if quoted && raw.len() >= 2 {
        raw.get(1..raw.len() - 1).unwrap_or(raw)
    } else if quoted {
        ""
    } else {
        raw
    };
    if !inner.contains('\\') {
        return std::borrow::Cow::Borrowed(inner);
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\'') => out.push('\''),
            Some('\\') => out.push('\\'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('n') => out.push('\n'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut lexer = Lexer::new(text);
        let mut out = Vec::new();
        while let Some(t) = lexer.next_token() {
            out.push(match t {
                Token::Word { start, end, .. } => text[start as usize..end as usize].to_string(),
                Token::Semicolon(_) => ";".into(),
                Token::Open(_) => "{".into(),
                Token::Close(_) => "}".into(),
                Token::Comment { .. } => "#".into(),
            });
        }
        out
    }

    #[test]
    fn splits_words_quotes_and_punctuation() {
        assert_eq!(words("a 'b c' \"d\\\"e\";# x\n}"), ["a", "'b c'", "\"d\\\"e\"", ";", "#", "}"]);
    }

    #[test]
    fn keeps_variable_braces_inside_words() {
        assert_eq!(words("set $a ${b}c;"), ["set", "$a", "${b}c", ";"]);
        assert_eq!(words("location /x{"), ["location", "/x", "{"]);
    }

    #[test]
    fn if_condition_tokens_match_nginx() {
        assert_eq!(words("if ($a = 'b') {"), ["if", "($a", "=", "'b'", ")", "{"]);
    }

    #[test]
    fn unterminated_string_is_an_error_not_a_hang() {
        let mut lexer = Lexer::new("a \"b");
        while lexer.next_token().is_some() {}
        assert_eq!(lexer.errors.len(), 1);
    }

    #[test]
    fn unescape_follows_nginx() {
        assert_eq!(unescape("\"a\\\"b\\d\"", true), "a\"b\\d");
        assert_eq!(unescape("plain", false), "plain");
    }
}

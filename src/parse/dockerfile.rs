//! Dockerfiles, through the `parse-dockerfile` crate (BuildKit-compatible: heredocs, escape
//! directive, exec and shell forms, byte spans on every keyword and argument).
//!
//! The crate stops at the first error and borrows the source; this wrapper turns its output into
//! owned [`Instruction`]s, recovers after an error by resuming at the next line that starts an
//! instruction (so one typo does not hide the rest of the file), collects `#` comments for
//! suppressions, and guards against a panic inside the crate on hostile input.

use super::ParseError;
use super::words::{Comment, Word};
use parse_dockerfile as pd;
use std::ops::Range;

/// How a CMD, ENTRYPOINT, RUN or HEALTHCHECK command is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Args {
    /// `["java", "-jar", "app.jar"]`: run directly, no shell, no variable expansion.
    Exec { items: Vec<Word>, span: Range<usize> },
    /// `java -jar app.jar`: run as `/bin/sh -c "..."`, so the shell is PID 1. The word's text is
    /// the raw command, escapes and line continuations included.
    Shell(Word),
    /// Any other instruction's arguments, in order (`FROM image AS name` → three words).
    Words(Vec<Word>),
}

/// A `--name=value` option (`COPY --chown=app`, `FROM --platform=...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Instruction {
    /// Upper-case instruction name (`RUN`).
    pub name: String,
    pub keyword: Range<usize>,
    /// From the keyword to the end of the last argument.
    pub span: Range<usize>,
    pub flags: Vec<Flag>,
    pub args: Args,
    /// Bodies of `RUN <<EOF` here-documents.
    pub heredocs: Vec<Word>,
    /// The instruction wrapped by `ONBUILD`.
    pub onbuild: Option<Box<Instruction>>,
}

impl Instruction {
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The argument words (exec items, the shell command, or plain words).
    pub fn words(&self) -> Vec<&Word> {
        match &self.args {
            Args::Exec { items, .. } | Args::Words(items) => items.iter().collect(),
            Args::Shell(word) => vec![word],
        }
    }

    /// The command text for CMD/ENTRYPOINT/RUN: shell form as written, exec form joined by spaces,
    /// plus any here-document bodies.
    pub fn command_text(&self) -> String {
        let mut text = match &self.args {
            Args::Exec { items, .. } | Args::Words(items) => {
                items.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
            }
            Args::Shell(word) => word.text.clone(),
        };
        for doc in &self.heredocs {
            text.push('\n');
            text.push_str(&doc.text);
        }
        text
    }

    /// The span of the arguments (the keyword's span when there are none).
    pub fn args_span(&self) -> Range<usize> {
        match &self.args {
            Args::Exec { span, .. } => span.clone(),
            Args::Shell(word) => word.span.clone(),
            Args::Words(items) => match (items.first(), items.last()) {
                (Some(first), Some(last)) => first.span.start..last.span.end,
                _ => self.keyword.clone(),
            },
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Dockerfile {
    pub instructions: Vec<Instruction>,
    pub comments: Vec<Comment>,
    pub errors: Vec<ParseError>,
}

impl Dockerfile {
    /// Instructions called `name` (case-insensitive), in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Instruction> + 'a {
        self.instructions.iter().filter(move |i| i.is(name))
    }

    /// The instructions of the final build stage (from its FROM on): what the image runs.
    pub fn final_stage(&self) -> &[Instruction] {
        let start = self.instructions.iter().rposition(|i| i.is("FROM")).unwrap_or(0);
        self.instructions.get(start..).unwrap_or(&[])
    }

    /// The effective instruction `name` in the final stage (the last CMD/ENTRYPOINT/USER wins).
    pub fn last_in_final_stage(&self, name: &str) -> Option<&Instruction> {
        self.final_stage().iter().rev().find(|i| i.is(name))
    }
}

/// After this many errors the rest of the file is not parsed: each resumption re-reads the
/// remaining text, so an unbounded number would make garbage input quadratic.
pub const MAX_ERRORS: usize = 50;

/// What is prepended to resume parsing after an error: the crate insists on a FROM first.
const RESUME_PREFIX: &str = "FROM scratch\n";

/// Parses a Dockerfile, recovering after errors.
pub fn parse(source: &str) -> Dockerfile {
    let mut out = Dockerfile { comments: collect_comments(source), ..Dockerfile::default() };
    let bom = if source.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut start = bom;
    // Each round either finishes or moves `start` past at least one line, so this terminates.
    while start < source.len() || start == bom {
        let chunk = source.get(start..).unwrap_or("");
        let resumed = start > bom;
        let Some(error_line) = parse_chunk(chunk, start, resumed, &mut out) else { break };
        if out.errors.len() >= MAX_ERRORS {
            let at = error_line..error_line;
            out.errors
                .push(ParseError::new(format!("more than {MAX_ERRORS} errors; the rest is not parsed"), at));
            break;
        }
        match next_instruction_line(source, error_line) {
            Some(next) if next > start => start = next,
            _ => break,
        }
    }
    out
}

/// Parses `chunk` (found at byte `base` of the source) until the end or the first error;
/// returns the byte offset (in the source) of the line where an error stopped it.
fn parse_chunk(chunk: &str, base: usize, resumed: bool, out: &mut Dockerfile) -> Option<usize> {
    let text = if resumed { format!("{RESUME_PREFIX}{chunk}") } else { chunk.to_string() };
    let shift = if resumed { RESUME_PREFIX.len() } else { 0 };
    let result = std::panic::catch_unwind(|| collect(&text));
    let (instructions, error) = match result {
        Ok(parsed) => parsed,
        Err(_) => (Vec::new(), Some(("internal error in the Dockerfile parser".to_string(), 1))),
    };
    let convert = |i: &pd::Instruction<'_>| convert(i, &|r: Range<usize>| relocate(r, shift, base));
    let skip = usize::from(resumed);
    out.instructions.extend(instructions.iter().skip(skip).filter_map(convert));
    let (message, line) = error?;
    let line_start = line_offset(&text, line).saturating_sub(shift) + base;
    let span = line_span(base + chunk.len(), line_start, &text, shift, base);
    out.errors.push(ParseError::new(message, span));
    Some(line_start)
}

/// Runs the crate's iterator to the first error; `(message, 1-based line)` of that error.
fn collect(text: &str) -> (Vec<pd::Instruction<'_>>, Option<(String, usize)>) {
    let mut instructions = Vec::new();
    let iter = match pd::parse_iter(text) {
        Ok(iter) => iter,
        Err(e) => return (instructions, Some((format!("{e:#}"), e.line().max(1)))),
    };
    for item in iter {
        match item {
            Ok(instruction) => instructions.push(instruction),
            Err(e) => return (instructions, Some((format!("{e:#}"), e.line().max(1)))),
        }
    }
    (instructions, None)
}

fn relocate(range: Range<usize>, shift: usize, base: usize) -> Range<usize> {
    range.start.saturating_sub(shift) + base..range.end.saturating_sub(shift) + base
}

/// Byte offset of the start of 1-based `line` in `text`.
fn line_offset(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1)
}

/// The span of the error line's content, in source offsets.
fn line_span(source_len: usize, line_start: usize, text: &str, shift: usize, base: usize) -> Range<usize> {
    let local = (line_start - base) + shift;
    let rest = text.get(local..).unwrap_or("");
    let content = rest.split('\n').next().unwrap_or("");
    let lead = content.len() - content.trim_start().len();
    let start = (line_start + lead).min(source_len);
    let end = (line_start + content.trim_end().len()).clamp(start, source_len);
    start..end
}

/// Where to resume after an error on the line starting at `error_line`: the next line whose
/// first word is an instruction name.
fn next_instruction_line(source: &str, error_line: usize) -> Option<usize> {
    let after = source.get(error_line..)?.find('\n')? + error_line + 1;
    let mut offset = after;
    for line in source.get(after..)?.split_inclusive('\n') {
        let first = line.split_whitespace().next().unwrap_or("");
        if INSTRUCTIONS.iter().any(|i| i.eq_ignore_ascii_case(first)) {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

const INSTRUCTIONS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// Lines whose first non-blank character is `#`. Comment lines inside a here-document are
/// collected too; for suppressions that is harmless.
fn collect_comments(source: &str) -> Vec<Comment> {
    super::words::lines_with_offsets(source)
        .filter_map(|(offset, line)| {
            let trimmed = line.trim_start();
            let text = trimmed.strip_prefix('#')?;
            let start = offset + (line.len() - trimmed.len());
            Some(Comment { text: text.trim_end().to_string(), span: start..offset + line.trim_end().len() })
        })
        .collect()
}

type Reloc<'r> = &'r dyn Fn(Range<usize>) -> Range<usize>;

fn word(s: &pd::UnescapedString<'_>, at: Reloc<'_>) -> Word {
    Word::new(s.value.to_string(), at(s.span.clone()))
}

fn flags(options: &[pd::Flag<'_>], at: Reloc<'_>) -> Vec<Flag> {
    options
        .iter()
        .map(|f| Flag {
            name: f.name.value.to_string(),
            value: f.value.as_ref().map(|v| v.value.to_string()),
            span: at(f.span()),
        })
        .collect()
}

fn command(c: &pd::Command<'_>, at: Reloc<'_>) -> Args {
    match c {
        pd::Command::Exec(items) => Args::Exec {
            items: items.value.iter().map(|w| word(w, at)).collect(),
            span: at(items.span.clone()),
        },
        pd::Command::Shell(text) => Args::Shell(Word::new(text.value.to_string(), at(text.span.clone()))),
        _ => Args::Words(Vec::new()),
    }
}

fn sources(src: &[pd::Source<'_>], at: Reloc<'_>) -> Vec<Word> {
    src.iter()
        .filter_map(|s| match s {
            pd::Source::Path(p) => Some(word(p, at)),
            pd::Source::HereDoc(doc) => Some(Word::new(doc.value.to_string(), at(doc.span.clone()))),
            _ => None,
        })
        .collect()
}

/// One crate instruction to ours; `None` for instruction kinds this crate version adds later.
fn convert(i: &pd::Instruction<'_>, at: Reloc<'_>) -> Option<Instruction> {
    use pd::Instruction as I;
    let plain = |kw: &pd::Keyword, name: &str, args: Vec<Word>| Parts::new(name, at(kw.span.clone()), args);
    let parts = match i {
        I::Add(x) => {
            plain(&x.add, "ADD", with_dest(sources(&x.src, at), word(&x.dest, at))).flags(&x.options, at)
        }
        I::Copy(x) => {
            plain(&x.copy, "COPY", with_dest(sources(&x.src, at), word(&x.dest, at))).flags(&x.options, at)
        }
        I::Arg(x) => plain(&x.arg, "ARG", vec![word(&x.arguments, at)]),
        I::Env(x) => plain(&x.env, "ENV", vec![word(&x.arguments, at)]),
        I::Label(x) => plain(&x.label, "LABEL", vec![word(&x.arguments, at)]),
        I::Maintainer(x) => plain(&x.maintainer, "MAINTAINER", vec![word(&x.name, at)]),
        I::Stopsignal(x) => plain(&x.stopsignal, "STOPSIGNAL", vec![word(&x.arguments, at)]),
        I::User(x) => plain(&x.user, "USER", vec![word(&x.arguments, at)]),
        I::Workdir(x) => plain(&x.workdir, "WORKDIR", vec![word(&x.arguments, at)]),
        I::Expose(x) => plain(&x.expose, "EXPOSE", x.arguments.iter().map(|w| word(w, at)).collect()),
        I::From(x) => {
            let mut args = vec![word(&x.image, at)];
            if let Some((kw, name)) = &x.as_ {
                args.push(Word::new("AS", at(kw.span.clone())));
                args.push(word(name, at));
            }
            plain(&x.from, "FROM", args).flags(&x.options, at)
        }
        I::Cmd(x) => Parts::command("CMD", at(x.cmd.span.clone()), command(&x.arguments, at)),
        I::Entrypoint(x) => {
            Parts::command("ENTRYPOINT", at(x.entrypoint.span.clone()), command(&x.arguments, at))
        }
        I::Run(x) => {
            let mut parts = Parts::command("RUN", at(x.run.span.clone()), command(&x.arguments, at));
            parts.heredocs =
                x.here_docs.iter().map(|d| Word::new(d.value.to_string(), at(d.span.clone()))).collect();
            parts.flags(&x.options, at)
        }
        I::Shell(x) => {
            let items: Vec<Word> = x.arguments.iter().map(|w| word(w, at)).collect();
            let span = span_of(&items).unwrap_or_else(|| at(x.shell.span.clone()));
            Parts::command("SHELL", at(x.shell.span.clone()), Args::Exec { items, span })
        }
        I::Volume(x) => match &x.arguments {
            pd::JsonOrStringArray::Json(items) => Parts::command(
                "VOLUME",
                at(x.volume.span.clone()),
                Args::Exec {
                    items: items.value.iter().map(|w| word(w, at)).collect(),
                    span: at(items.span.clone()),
                },
            ),
            pd::JsonOrStringArray::String(items) => {
                plain(&x.volume, "VOLUME", items.iter().map(|w| word(w, at)).collect())
            }
        },
        I::Healthcheck(x) => {
            let kw = at(x.healthcheck.span.clone());
            let parts = match &x.arguments {
                pd::HealthcheckArguments::Cmd { arguments, .. } => {
                    Parts::command("HEALTHCHECK", kw, command(arguments, at))
                }
                pd::HealthcheckArguments::None { none, .. } => {
                    Parts::new("HEALTHCHECK", kw, vec![Word::new("NONE", at(none.span.clone()))])
                }
                _ => Parts::new("HEALTHCHECK", kw, Vec::new()),
            };
            parts.flags(&x.options, at)
        }
        I::Onbuild(x) => {
            let inner = convert(&x.instruction, at)?;
            let mut parts = Parts::new("ONBUILD", at(x.onbuild.span.clone()), Vec::new());
            parts.span_end = inner.span.end;
            parts.onbuild = Some(Box::new(inner));
            parts
        }
        _ => return None,
    };
    Some(parts.finish())
}

fn with_dest(mut src: Vec<Word>, dest: Word) -> Vec<Word> {
    src.push(dest);
    src
}

fn span_of(words: &[Word]) -> Option<Range<usize>> {
    Some(words.first()?.span.start..words.last()?.span.end)
}

/// An instruction being assembled.
struct Parts {
    name: &'static str,
    keyword: Range<usize>,
    args: Args,
    flags: Vec<Flag>,
    heredocs: Vec<Word>,
    onbuild: Option<Box<Instruction>>,
    span_end: usize,
}

impl Parts {
    fn new(name: &str, keyword: Range<usize>, args: Vec<Word>) -> Self {
        Self::command(name, keyword, Args::Words(args))
    }

    fn command(name: &str, keyword: Range<usize>, args: Args) -> Self {
        let name = INSTRUCTIONS.iter().copied().find(|i| *i == name).unwrap_or("UNKNOWN");
        let span_end = keyword.end;
        Self { name, keyword, args, flags: Vec::new(), heredocs: Vec::new(), onbuild: None, span_end }
    }

    fn flags(mut self, options: &[pd::Flag<'_>], at: Reloc<'_>) -> Self {
        self.flags = flags(options, at);
        self
    }

    fn finish(self) -> Instruction {
        let mut instruction = Instruction {
            name: self.name.to_string(),
            keyword: self.keyword.clone(),
            span: self.keyword.clone(),
            flags: self.flags,
            args: self.args,
            heredocs: self.heredocs,
            onbuild: self.onbuild,
        };
        let ends = [instruction.args_span().end, self.span_end]
            .into_iter()
            .chain(instruction.heredocs.iter().map(|d| d.span.end))
            .chain(instruction.flags.iter().map(|f| f.span.end));
        instruction.span.end = ends.fold(self.keyword.end, usize::max);
        instruction
    }
}

/// Splits the arguments of an `ENV` instruction into `(key, value)` pairs, for both the
/// `KEY=value KEY2="a b"` form and the legacy `KEY value with spaces` form. Quotes are removed;
/// spans point at each value in the source.
pub fn env_pairs(env: &Word) -> Vec<(Word, Word)> {
    let text = env.text.as_str();
    let first = text.split_whitespace().next().unwrap_or("");
    if !first.contains('=') {
        let key_end = text.find(char::is_whitespace).unwrap_or(text.len());
        let value = text.get(key_end..).unwrap_or("").trim_start();
        let value_at = text.len() - value.len();
        return vec![(
            Word::new(first, env.span.start..env.span.start + key_end),
            Word::new(value, env.span.start + value_at..env.span.end),
        )];
    }
    assignments(text, env.span.start)
}

/// `KEY=value KEY2="a b"`: quotes may hold spaces; a backslash keeps the next character.
fn assignments(text: &str, base: usize) -> Vec<(Word, Word)> {
    let mut pairs = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let (mut key, mut value, mut in_value, mut quote) = (String::new(), String::new(), false, None);
        let mut value_start = start;
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if quote.is_none() && c.is_whitespace() {
                end = i;
                break;
            }
            chars.next();
            match c {
                '=' if !in_value => {
                    in_value = true;
                    value_start = i + 1;
                }
                '"' | '\'' if quote.is_none() => quote = Some(c),
                c if Some(c) == quote => quote = None,
                '\\' if quote != Some('\'') => {
                    if let Some((_, next)) = chars.next() {
                        if in_value { value.push(next) } else { key.push(next) }
                    }
                }
                c if in_value => value.push(c),
                c => key.push(c),
            }
        }
        let key_span = base + start..base + start + key.len();
        pairs.push((Word::new(key, key_span), Word::new(value, base + value_start..base + end)));
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
# syntax=docker/dockerfile:1
FROM openjdk:17-jdk-slim AS build
RUN apt-get update && apt-get install -y \\
    curl ss
ENV JAVA_OPTS=\"-Xmx2g -XX:+UseG1GC\" MODE=prod
COPY --chown=app:app target/app.jar app.jar
USER appuser
ENTRYPOINT [\"docker-entrypoint.sh\"]
CMD java -jar app.jar
";

    #[test]
    fn instructions_keep_spans_and_forms() {
        let file = parse(SAMPLE);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let names: Vec<_> = file.instructions.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["FROM", "RUN", "ENV", "COPY", "USER", "ENTRYPOINT", "CMD"]);
        let from = &file.instructions[0];
        assert_eq!(&SAMPLE[from.words()[0].span.clone()], "openjdk:17-jdk-slim");
        assert_eq!(from.words()[2].text, "build");
        assert!(matches!(file.instructions[5].args, Args::Exec { .. }));
        assert!(matches!(file.instructions[6].args, Args::Shell(_)));
        assert_eq!(&SAMPLE[file.instructions[6].span.clone()], "CMD java -jar app.jar");
        assert_eq!(file.instructions[3].flags[0].name, "chown");
        assert!(file.instructions[1].command_text().contains("curl ss"));
        assert_eq!(file.comments.len(), 1);
    }

    #[test]
    fn env_pairs_handle_quotes_and_the_legacy_form() {
        let file = parse(SAMPLE);
        let env = file.instructions[2].words()[0].clone();
        let pairs = env_pairs(&env);
        assert_eq!(pairs.len(), 2);
        assert_eq!(pairs[0].0.text, "JAVA_OPTS");
        assert_eq!(pairs[0].1.text, "-Xmx2g -XX:+UseG1GC");
        assert_eq!(&SAMPLE[pairs[1].0.span.clone()], "MODE");
        assert_eq!(&SAMPLE[pairs[1].1.span.clone()], "prod");
        let legacy = env_pairs(&Word::new("JAVA_OPTS -Xmx1g -Xms1g", 0..23));
        assert_eq!(legacy[0].1.text, "-Xmx1g -Xms1g");
        assert_eq!(legacy[0].1.span, 10..23);
    }

    #[test]
    fn errors_have_a_line_and_parsing_resumes() {
        let src = "FROM alpine:3.20\nFROMM x\nRUN echo hi\nUSER app\n";
        let file = parse(src);
        assert_eq!(file.errors.len(), 1);
        assert_eq!(&src[file.errors[0].span.clone()], "FROMM x");
        assert!(file.errors[0].message.contains("unknown instruction"), "{}", file.errors[0].message);
        let names: Vec<_> = file.instructions.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["FROM", "RUN", "USER"]);
        assert_eq!(&src[file.instructions[1].span.clone()], "RUN echo hi");
    }

    #[test]
    fn final_stage_is_what_the_image_runs() {
        let file = parse("FROM a:1 AS b\nUSER root\nFROM c:2\nCMD [\"x\"]\n");
        assert_eq!(file.final_stage().len(), 2);
        assert!(file.last_in_final_stage("USER").is_none());
    }

    #[test]
    fn hostile_input_does_not_panic() {
        for src in
            ["", "\u{feff}", "RUN x\n", "FROM\n", "FROM a\nRUN <<EOF\n", "FROM a\nCMD [\"x\n", "\u{0}\u{1}é"]
        {
            let file = parse(src);
            assert!(file.instructions.len() <= 2, "{src:?}");
        }
        let many = "FROMM x\nRUN y\n".repeat(10_000);
        assert_eq!(parse(&many).errors.len(), MAX_ERRORS + 1);
    }
}

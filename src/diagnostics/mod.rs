//! One diagnostic type for everything sseconf reports: spec errors, template errors, parse errors
//! and lint findings. Spans are byte ranges until the moment a line and column is printed.

pub mod report;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// A file's name (as the user gave it) and its full text, shared between its diagnostics.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: Arc<str>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        Self { name: name.into(), text: text.into() }
    }

    /// 1-based line and column (in characters) of a byte offset, clamped to the text.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }
}

/// 1-based line and column (in characters) of a byte offset, clamped to the text and to a char
/// boundary.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Line starts of a text, for many offset → line/column lookups in one file ([`line_col`] scans
/// from the start each time, which is quadratic for a file with many findings).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        Self { starts }
    }

    /// Same result as [`line_col`], in O(log lines + line length).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s as usize <= offset).max(1);
        let start = self.starts.get(line - 1).map_or(0, |&s| s as usize);
        let column = text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A labelled byte range. The first primary label of a [`Problem`] is where it "is".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Range<usize>,
    pub text: Option<String>,
    /// A label in another file (a cross-file finding names every link of a chain).
    pub file: Option<SourceFile>,
}

impl Label {
    pub fn new(span: Range<usize>, text: impl Into<String>) -> Self {
        Self { span, text: Some(text.into()), file: None }
    }
}

impl PartialEq for SourceFile {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}
impl Eq for SourceFile {}

/// Anything sseconf reports: a code (rule id or error kind), a message, where, and what to do.
#[derive(Debug, Clone)]
pub struct Problem {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub source: Option<SourceFile>,
    /// The first label is the primary location.
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// Labels in other files, reported as related diagnostics.
    pub related: Vec<Problem>,
}

impl Problem {
    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            severity: Severity::Error,
            message: message.into(),
            source: None,
            labels: Vec::new(),
            help: None,
            related: Vec::new(),
        }
    }

    pub fn in_file(mut self, source: &SourceFile) -> Self {
        self.source = Some(source.clone());
        self
    }

    pub fn with_label(mut self, span: Range<usize>, text: impl Into<String>) -> Self {
        self.labels.push(Label::new(span, text));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// The primary byte span, if any.
    pub fn primary_span(&self) -> Option<Range<usize>> {
        self.labels.first().map(|l| l.span.clone())
    }

    /// 1-based start line and column of the primary span.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let source = self.source.as_ref()?;
        let span = self.primary_span()?;
        Some(source.line_col(span.start))
    }

    /// `file:line:col` (or just the file) for one-line output.
    pub fn location(&self) -> String {
        match (&self.source, self.line_col()) {
            (Some(src), Some((line, col))) => format!("{}:{line}:{col}", src.name),
            (Some(src), None) => src.name.clone(),
            _ => String::new(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}

struct NamedText(NamedSource<Arc<str>>);

impl Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        None
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        let len = self.source.as_ref().map_or(0, |s| s.text.len());
        Some(Box::new(self.labels.iter().enumerate().map(move |(i, label)| {
            let start = label.span.start.min(len);
            let end = label.span.end.clamp(start, len);
            let span = SourceSpan::from(start..end);
            if i == 0 {
                LabeledSpan::new_primary_with_span(label.text.clone(), span)
            } else {
                LabeledSpan::new_with_span(label.text.clone(), span)
            }
        })))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|p| p as &dyn Diagnostic)))
    }
}

/// A [`Problem`] bound to its source text, ready for miette's graphical handler.
pub struct WithSource<'a> {
    problem: &'a Problem,
    source: Option<NamedText>,
    related: Vec<WithSource<'a>>,
}

impl<'a> WithSource<'a> {
    pub fn new(problem: &'a Problem) -> Self {
        let source = problem.source.as_ref().map(|s| {
            NamedText(
                NamedSource::new(s.name.clone(), Arc::clone(&s.text)).with_language(language_of(&s.name)),
            )
        });
        let related = problem.related.iter().map(WithSource::new).collect();
        Self { problem, source, related }
    }
}

fn language_of(name: &str) -> &'static str {
    if name.ends_with(".yaml") || name.ends_with(".yml") { "yaml" } else { "text" }
}

impl fmt::Debug for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.problem, f)
    }
}

impl fmt::Display for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.problem, f)
    }
}

impl std::error::Error for WithSource<'_> {}

impl Diagnostic for WithSource<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.problem.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.problem.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.problem.help()
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| &s.0 as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.problem.labels()
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|p| p as &dyn Diagnostic)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_is_one_based_and_counts_characters() {
        assert_eq!(line_col("ab\ncé d", 0), (1, 1));
        assert_eq!(line_col("ab\ncé d", 3), (2, 1));
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
        assert_eq!(line_col("ab", 100), (1, 3));
    }

    #[test]
    fn line_index_agrees_with_line_col() {
        let text = "ab\ncé d\n\nx";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(index.line_col(text, offset), line_col(text, offset), "{offset}");
        }
    }

    #[test]
    fn line_col_never_splits_a_character() {
        assert_eq!(line_col("é", 1), (1, 1));
    }
}

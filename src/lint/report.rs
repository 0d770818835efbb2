//! Lint output formats: `human` (miette), `concise`, `json`, `github`; `sarif` is in
//! [`super::sarif`]. Each takes the findings and returns the text to print.

use super::registry;
use crate::diagnostics::report::{Color, render_human};
use crate::diagnostics::{LineIndex, Problem, Severity};
use serde::Serialize;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
}

/// Line/column lookups for many findings. Findings come sorted by file, so only the current
/// file's line index is kept (a 48 MB tree has millions of lines).
#[derive(Default)]
pub struct Positions {
    current: Option<(String, LineIndex)>,
}

impl Positions {
    /// 1-based start line, column, end line and end column of a finding's primary span.
    pub fn of(&mut self, p: &Problem) -> (usize, usize, usize, usize) {
        let (Some(src), Some(span)) = (&p.source, p.primary_span()) else { return (1, 1, 1, 1) };
        if self.current.as_ref().is_none_or(|(name, _)| *name != src.name) {
            self.current = Some((src.name.clone(), LineIndex::new(&src.text)));
        }
        let Some((_, index)) = &self.current else { return (1, 1, 1, 1) };
        let (line, column) = index.line_col(&src.text, span.start);
        let (end_line, end_column) = index.line_col(&src.text, span.end.max(span.start));
        (line, column, end_line, end_column)
    }
}

/// `file:line:col: severity ID message`, one finding per line.
pub fn concise_line(f: &Problem, positions: &mut Positions) -> String {
    let (line, col, ..) = positions.of(f);
    let file = f.source.as_ref().map_or("", |s| s.name.as_str());
    format!("{file}:{line}:{col}: {} {} {}\n", f.severity, f.code, f.message)
}

/// A finding's help: its own, or its rule's fix.
pub fn help_of(f: &Problem) -> Option<&str> {
    f.help.as_deref().or_else(|| registry::find(&f.code).map(|m| m.fix))
}

/// The human report of one finding, with the rule's fix as help and a pointer to its docs.
fn human(f: &Problem, color: Color) -> String {
    let mut with_help = f.clone();
    if let Some(meta) = registry::find(&f.code) {
        with_help.help =
            Some(format!("{} See `sseconf rule {}`.", help_of(f).unwrap_or(meta.fix), meta.name));
    }
    render_human(&with_help, color) + "\n"
}

/// Renders findings in a format; `color` only affects `human`.
pub fn render(format: Format, findings: &[Problem], files: usize, color: Color) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(format, findings, files, color, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes findings in a format as they are formatted, so a run with tens of thousands of
/// findings does not hold the whole report in memory as well.
pub fn write(
    format: Format,
    findings: &[Problem],
    files: usize,
    color: Color,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut positions = Positions::default();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &json_report(findings, files))?;
            out.write_all(b"\n")
        }
        Format::Sarif => out.write_all(super::sarif::sarif(findings).as_bytes()),
        Format::Human | Format::Concise | Format::Github => {
            for f in findings {
                let text = match format {
                    Format::Human => human(f, color),
                    Format::Concise => concise_line(f, &mut positions),
                    _ => github(f, &mut positions),
                };
                out.write_all(text.as_bytes())?;
            }
            Ok(())
        }
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    id: &'a str,
    name: &'a str,
    severity: Severity,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    findings: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
}

/// The JSON contract: `{"findings": [{id, name, severity, file, line, column, end_line,
/// end_column, message, help}], "summary": {files, findings, errors, warnings, infos}}`.
pub fn json(findings: &[Problem], files: usize) -> String {
    let mut text = serde_json::to_string_pretty(&json_report(findings, files)).unwrap_or_default();
    text.push('\n');
    text
}

fn json_report(findings: &[Problem], files: usize) -> JsonReport<'_> {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let mut positions = Positions::default();
    JsonReport {
        findings: findings
            .iter()
            .map(|f| {
                let (line, column, end_line, end_column) = positions.of(f);
                JsonFinding {
                    id: &f.code,
                    name: registry::find(&f.code).map_or("", |m| m.name),
                    severity: f.severity,
                    file: f.source.as_ref().map_or("", |s| s.name.as_str()),
                    line,
                    column,
                    end_line,
                    end_column,
                    message: &f.message,
                    help: help_of(f),
                }
            })
            .collect(),
        summary: Summary {
            files,
            findings: findings.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        },
    }
}

/// GitHub Actions workflow command: `::warning file=F,line=L,col=C,endLine=..,endColumn=..,title=T::M`.
pub fn github(f: &Problem, positions: &mut Positions) -> String {
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let (line, col, end_line, end_col) = positions.of(f);
    let file = f.source.as_ref().map_or("", |s| s.name.as_str());
    let title = match registry::find(&f.code) {
        Some(m) => format!("{} {}", m.id, m.name),
        None => f.code.clone(),
    };
    format!(
        "::{level} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}\n",
        escape_property(file),
        escape_property(&title),
        escape_data(&f.message)
    )
}

/// Escapes a workflow command's message (`%`, CR, LF), as the Actions toolkit does.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value: the message escapes plus `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceFile;

    #[test]
    fn github_escapes_properties_and_data() {
        let src = SourceFile::new("a,b.conf", "x;\ny;\n");
        let p = Problem::error("NGX001", "50% off\nnow").in_file(&src).with_label(3..5, "here");
        assert_eq!(
            github(&p, &mut Positions::default()),
            "::error file=a%2Cb.conf,line=2,col=1,endLine=2,endColumn=3,title=NGX001 stream-proxy-buffering::50%25 off%0Anow\n"
        );
    }
}

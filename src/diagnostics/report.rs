//! Printing problems for people: miette's graphical report, with or without colour.

use super::{Problem, WithSource};
use miette::{GraphicalReportHandler, GraphicalTheme};

/// Whether to colour output, decided once from `--color` and the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Always,
    Never,
}

impl Color {
    /// `auto` colours only a terminal, and never when `NO_COLOR` is set (https://no-color.org).
    pub fn resolve(choice: &str, is_terminal: bool) -> Color {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        match choice {
            "always" => Color::Always,
            "never" => Color::Never,
            _ if no_color || !is_terminal => Color::Never,
            _ => Color::Always,
        }
    }
}

/// Renders one problem as miette's graphical report (source snippet, labels, help).
pub fn render_human(problem: &Problem, color: Color) -> String {
    let theme = match color {
        Color::Always => GraphicalTheme::unicode(),
        Color::Never => GraphicalTheme::unicode_nocolor(),
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100).with_links(false);
    let mut out = String::new();
    let with_source = WithSource::new(problem);
    if handler.render_report(&mut out, &with_source).is_err() {
        out = format!("{}: {}\n", problem.location(), problem.message);
    }
    out
}

/// `file:line:col: CODE message` on one line, for grep and editors.
pub fn render_concise(problem: &Problem) -> String {
    let location = problem.location();
    let prefix = if location.is_empty() { String::new() } else { format!("{location}: ") };
    format!("{prefix}{} {} {}", problem.severity, problem.code, problem.message)
}

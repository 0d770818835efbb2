//! The command line: argument parsing and dispatch only. Each subcommand lives in its own file and
//! calls into the library; this is the only layer that prints or picks an exit code.

mod completions;
mod diff;
mod generate;
mod init;
mod lint;
pub mod rules;
mod schema;
mod validate;

use crate::diagnostics::Problem;
use crate::diagnostics::report::{Color, render_human};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};

/// Exit codes shared by every subcommand.
pub const EXIT_OK: u8 = 0;
/// Findings, an invalid spec, or drift.
pub const EXIT_FINDINGS: u8 = 1;
/// Usage or I/O error.
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(name = "sseconf", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// When to colour output (NO_COLOR is respected under `auto`)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only problems, no summaries
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a spec (YAML or TOML; `-` reads YAML from stdin) and report every problem at once
    Validate(validate::Args),
    /// Render every deployment file from a spec into a folder
    Gen(generate::Args),
    /// Show, as a unified diff, what `gen` would change in a folder
    Diff(diff::Args),
    /// Print the JSON Schema of the spec (or of `.sseconf.toml` with --config)
    Schema(schema::Args),
    /// Lint existing configs for streaming pitfalls and security mistakes
    Lint(lint::Args),
    /// List the lint rules
    Rules(rules::ListArgs),
    /// Explain one lint rule (by id or name), with examples
    Rule(rules::ShowArgs),
    /// Write a commented starter spec
    Init(init::Args),
    /// Print a shell completion script
    Completions(completions::Args),
}

/// Global output settings every subcommand receives.
pub struct Ui {
    pub color: Color,
    pub quiet: bool,
}

impl Ui {
    /// Prints problems to stderr, each as a full miette report.
    pub fn report(&self, problems: &[Problem]) {
        let mut err = std::io::stderr().lock();
        for problem in problems {
            let _ = write!(err, "{}", render_human(problem, self.color));
        }
    }

    /// A one-line status message on stderr, silenced by `-q`.
    pub fn status(&self, message: &str) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }
}

/// Parses arguments, runs the subcommand and returns the exit code.
pub fn main() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() { EXIT_ERROR } else { EXIT_OK };
        }
    };
    let choice = match cli.color {
        ColorChoice::Auto => "auto",
        ColorChoice::Always => "always",
        ColorChoice::Never => "never",
    };
    let ui = Ui { color: Color::resolve(choice, std::io::stderr().is_terminal()), quiet: cli.quiet };
    match cli.command {
        Command::Validate(args) => validate::run(&args, &ui),
        Command::Gen(args) => generate::run(&args, &ui),
        Command::Diff(args) => diff::run(&args, &ui),
        Command::Schema(args) => schema::run(&args, &ui),
        Command::Init(args) => init::run(&args, &ui),
        Command::Lint(args) => lint::run(&args, &ui),
        Command::Rules(args) => rules::list(&args, &ui),
        Command::Rule(args) => rules::show(&args, &ui),
        Command::Completions(args) => completions::run(&args),
    }
}

/// Writes to stdout; a closed pipe (`sseconf schema | head`) is not an error.
pub fn write_stdout(text: &str) -> u8 {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            EXIT_ERROR
        }
    }
}

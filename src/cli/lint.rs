//! `sseconf lint PATH...`: flag streaming pitfalls and security mistakes in existing configs.

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Ui};
use crate::diagnostics::{Problem, Severity};
use crate::lint::config::{self, LintConfig, Selection, StreamPath};
use crate::lint::engine::{self, Options};
use crate::lint::report::{self, Format};
use crate::lint::version::Version;
use crate::parse::kind::FileKind;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders to lint (folders are walked); `-` reads stdin
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Rules to run: ids, names, prefixes (NGX) or ALL; comma-separated or repeated
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Rules not to run (wins over --select)
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// The spec whose endpoints say which paths stream, and their heartbeats
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// The config file (default: the nearest .sseconf.toml above the first path)
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Ignore `# sseconf: ignore[...]` comments (for CI policy)
    #[arg(long)]
    pub no_inline_ignores: bool,
    /// The nginx version the config runs on (default: the spec's `versions.nginx` with --spec,
    /// else the current stable, 1.30)
    #[arg(long)]
    pub nginx_version: Option<String>,
    /// The HAProxy version the config runs on (default: the spec's `versions.haproxy` with
    /// --spec, else unknown: version-dependent findings say which versions they concern)
    #[arg(long)]
    pub haproxy_version: Option<String>,
    /// Folder relative nginx includes resolve against (nginx -p); default: the main file's folder
    #[arg(long)]
    pub prefix: Option<PathBuf>,
    /// Treat named files and stdin as this kind instead of detecting it
    #[arg(long)]
    pub kind: Option<String>,
}

/// `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Info,
    Warning,
    Error,
    Never,
}

pub fn run(args: &Args, ui: &Ui) -> u8 {
    let (options, fail_on) = match options(args) {
        Ok(o) => o,
        Err(problem) => {
            ui.report(&[problem]);
            return EXIT_ERROR;
        }
    };
    let outcome = engine::run(&options);
    let code = write_report(args.format, &outcome, ui);
    if !outcome.errors.is_empty() {
        ui.report(&outcome.errors);
        return EXIT_ERROR;
    }
    if args.format == Format::Human {
        summary(ui, &outcome.findings, outcome.files);
    }
    let failing = fail_on.is_some_and(|level| outcome.findings.iter().any(|f| f.severity >= level));
    if code != EXIT_OK {
        code
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Streams the report to stdout; a closed pipe (`sseconf lint ... | head`) is not an error.
fn write_report(format: Format, outcome: &engine::Outcome, ui: &Ui) -> u8 {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = report::write(format, &outcome.findings, outcome.files, ui.color, &mut out)
        .and_then(|()| out.flush());
    match result {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            ui.report(&[Problem::error("io", format!("cannot write to stdout: {e}"))]);
            EXIT_ERROR
        }
    }
}

fn summary(ui: &Ui, findings: &[Problem], files: usize) {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    ui.status(&format!(
        "{files} file(s) linted: {} error(s), {} warning(s), {} info",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    ));
}

/// Merges command line and `.sseconf.toml` (the command line wins) into engine options.
fn options(args: &Args) -> Result<(Options, Option<Severity>), Problem> {
    let file = match &args.config {
        Some(path) => config::load(path)?,
        None => {
            match args.paths.first().filter(|p| p.as_os_str() != "-").and_then(|p| config::find_upward(p)) {
                Some(path) => config::load(&path)?,
                None => LintConfig::default(),
            }
        }
    };
    let lint = file.lint;
    let spec = match &args.spec {
        Some(path) => Some(crate::spec::load(path).map(|l| l.spec).map_err(|e| match e {
            crate::spec::LoadError::Io(p) => p,
            crate::spec::LoadError::Invalid(mut ps) => ps.remove(0),
        })?),
        None => None,
    };
    let from_spec =
        |pick: fn(&crate::spec::model::Versions) -> Version| spec.as_ref().map(|s| pick(&s.versions));
    let nginx_version = target_version(args.nginx_version.clone().or(lint.nginx_version), "--nginx-version")?
        .or_else(|| from_spec(|v| v.nginx))
        .unwrap_or(crate::lint::version::NGINX_STABLE);
    let haproxy_version =
        target_version(args.haproxy_version.clone().or(lint.haproxy_version), "--haproxy-version")?
            .or_else(|| from_spec(|v| v.haproxy));
    let kind = match &args.kind {
        Some(k) => Some(FileKind::from_name(k).ok_or_else(|| usage(format!("--kind: unknown kind `{k}`")))?),
        None => None,
    };
    let mut stream_paths: Vec<StreamPath> =
        lint.stream_paths.iter().map(|p| StreamPath::new(p, false)).collect();
    stream_paths.extend(lint.websocket_paths.iter().map(|p| StreamPath::new(p, true)));
    let selection = Selection {
        select: if args.select.is_empty() { lint.select } else { args.select.clone() },
        ignore: lint.ignore.into_iter().chain(args.ignore.iter().cloned()).collect(),
        severity: lint.severity,
    };
    for selector in selection.select.iter().chain(&selection.ignore).chain(selection.severity.keys()) {
        if !crate::lint::registry::all().iter().any(|m| config::selector_matches(selector, m)) {
            return Err(usage(format!("`{selector}` matches no rule")).with_help("see `sseconf rules`"));
        }
    }
    let fail_on = match args.fail_on {
        Some(FailOn::Info) => Some(Severity::Info),
        Some(FailOn::Warning) => Some(Severity::Warning),
        Some(FailOn::Error) => Some(Severity::Error),
        Some(FailOn::Never) => None,
        None => Some(lint.fail_on.unwrap_or(Severity::Warning)),
    };
    let options = Options {
        paths: args.paths.clone(),
        kind,
        prefix: args.prefix.clone(),
        settings: crate::lint::Settings { nginx_version, haproxy_version, spec, stream_paths },
        selection,
        inline_ignores: !args.no_inline_ignores,
    };
    Ok((options, fail_on))
}

fn usage(message: String) -> Problem {
    Problem::error("usage", message)
}

/// A version given on the command line or in `.sseconf.toml`, parsed.
fn target_version(text: Option<String>, flag: &str) -> Result<Option<Version>, Problem> {
    text.map(|v| v.parse::<Version>().map_err(|e| usage(format!("{flag}: {e}")))).transpose()
}

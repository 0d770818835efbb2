//! DKR006: installing a command name that is not a package.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::DockerDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `apt-get install` / `apt install` / `apk add` arguments that are command names,
    /// not packages: `ss` and `ip` (in `iproute2`), `netstat` and `ifconfig` (`net-tools`),
    /// `ping` (`iputils-ping`), `dig` and `nslookup` (`dnsutils`), `ps`, `free` and `top`
    /// (`procps`), `nc` (`netcat-openbsd`).
    ///
    /// ## Why is this bad?
    /// "Unable to locate package" fails the build.
    ///
    /// ## Example
    /// ```dockerfile,invalid
    /// FROM debian:12-slim
    /// RUN apt-get update && apt-get install -y curl ss && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,valid
    /// FROM debian:12-slim
    /// RUN apt-get update && apt-get install -y curl iproute2 && rm -rf /var/lib/apt/lists/*
    /// ```
    pub struct NonexistentAptPackage {
        id: "DKR006",
        name: "nonexistent-apt-package",
        kind: Some(FileKind::Dockerfile),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Install the package that ships the command.",
    }
}

/// Commands people try to install, and the Debian package that has them.
const COMMANDS: &[(&str, &str)] = &[
    ("ss", "iproute2"),
    ("ip", "iproute2"),
    ("netstat", "net-tools"),
    ("ifconfig", "net-tools"),
    ("ping", "iputils-ping"),
    ("dig", "dnsutils"),
    ("nslookup", "dnsutils"),
    ("ps", "procps"),
    ("free", "procps"),
    ("top", "procps"),
    ("nc", "netcat-openbsd"),
];

/// The package arguments of every install command in a shell command: the words after
/// `install`/`add` up to the next `&&`, `;`, `|` or end of line.
pub fn installed_packages(command: &str) -> Vec<String> {
    let joined = command.replace("\\\n", " ");
    let mut out = Vec::new();
    for segment in joined.split(['\n', ';', '|', '&']) {
        let words: Vec<&str> = segment.split_whitespace().collect();
        let start =
            words.windows(2).position(|w| matches!(w, ["apt-get" | "apt", "install"] | ["apk", "add"]));
        let Some(start) = start else { continue };
        let args = words.get(start + 2..).unwrap_or(&[]);
        out.extend(args.iter().filter(|w| !w.starts_with('-') && !w.contains('=')).map(|w| w.to_string()));
    }
    out
}

impl Rule<DockerDoc> for NonexistentAptPackage {
    fn check(&self, doc: &DockerDoc, cx: &mut LintContext<'_>) {
        for run in doc.parsed.all("RUN") {
            for package in installed_packages(&run.command_text()) {
                let Some((command, real)) = COMMANDS.iter().find(|(c, _)| *c == package) else { continue };
                let message =
                    format!("there is no package `{command}`; the command `{command}` is in `{real}`");
                doc.report(cx, self, run.span.clone(), message);
            }
        }
    }
}

//! CHN010: an nginx file mounted into the container that the mounted main config never loads,
//! or that defines an upstream a loaded file already defines.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::chain::{Bundle, NginxFile, NginxMount};
use crate::lint::{Category, LintContext, Rule, add_label};
use std::path::Path;

declare_rule! {
    /// ## What it does
    /// For each compose service that runs nginx, follows the files it mounts that are nginx
    /// files of the bundle (a mounted folder brings every bundle file below it): the one that
    /// lands at `/etc/nginx/nginx.conf` (else the image's own, which includes
    /// `/etc/nginx/conf.d/*.conf`) must reach every other one through `include`s, followed
    /// through every file nginx reads, and two loaded files must not define the same `upstream`.
    ///
    /// ## Why is this bad?
    /// Mounting a main `nginx.conf` replaces the image's, and with it the
    /// `include /etc/nginx/conf.d/*.conf;` line: the streaming server mounted into `conf.d` is
    /// silently never read, and nginx serves whatever the main file says (unbuffered locations,
    /// long timeouts and all are gone). Once the include is added, an upstream defined in both
    /// files stops nginx from starting (`duplicate upstream`).
    ///
    /// ## Example
    /// ```text,invalid
    /// docker-compose.yml:  - ./nginx/nginx.conf:/etc/nginx/nginx.conf
    ///                      - ./nginx/streaming.conf:/etc/nginx/conf.d/streaming.conf
    /// nginx/nginx.conf:    http { upstream streaming_backend { ... } server { ... } }   (no include)
    /// ```
    ///
    /// Use instead:
    /// ```text,valid
    /// nginx/nginx.conf:    http { include /etc/nginx/conf.d/*.conf; }   (upstreams in streaming.conf only)
    /// ```
    pub struct NginxMountNotLoaded {
        id: "CHN010",
        name: "nginx-mount-not-loaded",
        kind: None,
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Add `include /etc/nginx/conf.d/*.conf;` to the mounted nginx.conf's `http` block (or mount only conf.d and keep the image's nginx.conf), and define each upstream once.",
    }
}

/// What the image's own nginx.conf includes (the official image's `http` block).
const STOCK_INCLUDES: &[&str] = &["/etc/nginx/mime.types", "/etc/nginx/conf.d/*.conf"];

impl Rule<Bundle> for NginxMountNotLoaded {
    fn check(&self, bundle: &Bundle, cx: &mut LintContext<'_>) {
        let mut services: Vec<(&str, &str)> =
            bundle.nginx_mounts.iter().map(|m| (m.source.name.as_str(), m.service.as_str())).collect();
        services.dedup();
        for (compose, service) in services {
            let mounts: Vec<&NginxMount> = bundle
                .nginx_mounts
                .iter()
                .filter(|m| m.source.name == compose && m.service == service)
                .collect();
            check_service(self, bundle, &mounts, cx);
        }
    }
}

/// Where nginx reads its main configuration.
const MAIN_CONFIG: &str = "/etc/nginx/nginx.conf";

/// A bundle nginx file as one mount places it in the container.
struct Placed<'b> {
    mount: &'b NginxMount,
    file: &'b NginxFile,
    path: String,
}

fn check_service(
    rule: &NginxMountNotLoaded,
    bundle: &Bundle,
    mounts: &[&NginxMount],
    cx: &mut LintContext<'_>,
) {
    let placed: Vec<Placed<'_>> = mounts
        .iter()
        .flat_map(|mount| {
            mounted_files(bundle, mount).into_iter().map(move |(file, path)| Placed { mount, file, path })
        })
        .collect();
    let main = placed.iter().find(|p| p.path == MAIN_CONFIG);
    if main.is_none() && mounts.iter().any(|m| m.container.trim_end_matches('/') == MAIN_CONFIG) {
        // The main config is mounted but is not in the bundle: what it includes is unknown.
        return;
    }
    let (loaded, unloaded) = follow_includes(main, &placed);
    for unread in unloaded {
        report_unloaded(rule, unread, main, cx);
    }
    report_duplicate_upstreams(rule, &loaded, cx);
}

/// Splits the placed files into those nginx reads (the main config, then whatever an `include`
/// of a file it reads matches, transitively) and those it never reads.
fn follow_includes<'p, 'b>(
    main: Option<&'p Placed<'b>>,
    placed: &'p [Placed<'b>],
) -> (Vec<&'b NginxFile>, Vec<&'p Placed<'b>>) {
    let mut patterns: Vec<String> = match main {
        Some(main) => main.file.includes.iter().map(|i| in_config_folder(i)).collect(),
        None => STOCK_INCLUDES.iter().map(|s| (*s).to_string()).collect(),
    };
    let mut loaded: Vec<&'b NginxFile> = main.map(|m| m.file).into_iter().collect();
    let mut pending: Vec<&'p Placed<'b>> = placed.iter().filter(|p| p.path != MAIN_CONFIG).collect();
    loop {
        let (now, still): (Vec<_>, Vec<_>) =
            pending.into_iter().partition(|p| patterns.iter().any(|pattern| glob_matches(pattern, &p.path)));
        pending = still;
        if now.is_empty() {
            return (loaded, pending);
        }
        for p in now {
            patterns.extend(p.file.includes.iter().map(|i| in_config_folder(i)));
            loaded.push(p.file);
        }
    }
}

fn report_unloaded(
    rule: &NginxMountNotLoaded,
    unread: &Placed<'_>,
    main: Option<&Placed<'_>>,
    cx: &mut LintContext<'_>,
) {
    let (path, service) = (&unread.path, &unread.mount.service);
    let message = match main {
        Some(_) => format!(
            "`{path}` is mounted into `{service}`, but the nginx.conf mounted over the image's includes nothing that matches it: nginx never reads it"
        ),
        None => format!(
            "`{path}` is mounted into `{service}`, but the image's nginx.conf only includes `/etc/nginx/conf.d/*.conf`: nginx never reads it"
        ),
    };
    let problem = cx.report(rule, &unread.mount.source, unread.mount.span.clone(), message);
    add_label(problem, Some(&unread.file.source), 0..0, "this file is never loaded");
    if let Some(main) = main {
        add_label(problem, Some(&main.file.source), 0..0, "the main config, which has no matching include");
        if !std::ptr::eq(main.mount, unread.mount) {
            add_label(
                problem,
                Some(&main.mount.source),
                main.mount.span.clone(),
                "mounted as the main config",
            );
        }
    }
}

/// The bundle's nginx files a mount brings into the container, with their container paths (a
/// mounted folder brings every bundle file below it).
fn mounted_files<'b>(bundle: &'b Bundle, mount: &NginxMount) -> Vec<(&'b NginxFile, String)> {
    bundle
        .nginx_files
        .iter()
        .filter_map(|f| {
            let below = f.path.strip_prefix(&mount.host).ok()?;
            let container = Path::new(&mount.container).join(below);
            Some((f, container.to_string_lossy().trim_end_matches('/').to_string()))
        })
        .collect()
}

/// nginx resolves a relative include against its configuration folder.
fn in_config_folder(include: &str) -> String {
    if include.starts_with('/') { include.to_string() } else { format!("/etc/nginx/{include}") }
}

fn glob_matches(pattern: &str, path: &str) -> bool {
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .is_ok_and(|g| g.compile_matcher().is_match(path))
}

fn report_duplicate_upstreams(rule: &NginxMountNotLoaded, loaded: &[&NginxFile], cx: &mut LintContext<'_>) {
    for (index, later) in loaded.iter().enumerate() {
        for (name, span) in &later.upstreams {
            let earlier = loaded
                .iter()
                .take(index)
                .find_map(|f| f.upstreams.iter().find(|(n, _)| n == name).map(|(_, s)| (f, s)));
            let Some((first, first_span)) = earlier else { continue };
            let message = format!(
                "upstream `{name}` is defined again in a file the same nginx loads: it refuses to start (duplicate upstream)"
            );
            let problem = cx.report(rule, &later.source, span.clone(), message);
            problem.severity = Severity::Error;
            add_label(problem, Some(&first.source), first_span.clone(), "first defined here");
        }
    }
}

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
    /// files of the bundle: the one mounted at `/etc/nginx/nginx.conf` (else the image's own,
    /// which includes `/etc/nginx/conf.d/*.conf`) must `include` every other one, and two loaded
    /// files must not define the same `upstream`.
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

fn check_service(
    rule: &NginxMountNotLoaded,
    bundle: &Bundle,
    mounts: &[&NginxMount],
    cx: &mut LintContext<'_>,
) {
    let file_at = |host: &Path| bundle.nginx_files.iter().find(|f| f.path == host);
    let is_main = |m: &NginxMount| m.container.trim_end_matches('/') == "/etc/nginx/nginx.conf";
    let main_mount = mounts.iter().find(|m| is_main(m));
    let main = match main_mount {
        Some(mount) => match file_at(&mount.host) {
            Some(file) => Some(file),
            // The main config is mounted but not in the bundle: what it includes is unknown.
            None => return,
        },
        None => None,
    };
    let patterns: Vec<String> = match main {
        Some(file) => file.includes.iter().map(|i| in_config_folder(i)).collect(),
        None => STOCK_INCLUDES.iter().map(|s| (*s).to_string()).collect(),
    };
    let mut loaded: Vec<&NginxFile> = main.into_iter().collect();
    for mount in mounts.iter().filter(|m| !is_main(m)) {
        for (file, container_path) in mounted_files(bundle, mount) {
            if patterns.iter().any(|p| glob_matches(p, &container_path)) {
                loaded.push(file);
                continue;
            }
            let message = match main {
                Some(_) => format!(
                    "`{container_path}` is mounted into `{}`, but the nginx.conf mounted over the image's includes nothing that matches it: nginx never reads it",
                    mount.service
                ),
                None => format!(
                    "`{container_path}` is mounted into `{}`, but the image's nginx.conf only includes `/etc/nginx/conf.d/*.conf`: nginx never reads it",
                    mount.service
                ),
            };
            let problem = cx.report(rule, &mount.source, mount.span.clone(), message);
            add_label(problem, Some(&file.source), 0..0, "this file is never loaded");
            if let (Some(main), Some(main_mount)) = (main, main_mount) {
                add_label(
                    problem,
                    Some(&main.source),
                    0..0,
                    "the main config, which has no matching include",
                );
                add_label(
                    problem,
                    Some(&main_mount.source),
                    main_mount.span.clone(),
                    "mounted as the main config",
                );
            }
        }
    }
    report_duplicate_upstreams(rule, &loaded, cx);
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

//! The template environment: built-in templates embedded in the binary, optionally replaced from a
//! folder (`--templates`), with explicit whitespace and escaping rules.

use crate::diagnostics::{Problem, SourceFile};
use minijinja::{AutoEscape, Environment, UndefinedBehavior, syntax::SyntaxConfig};
use std::path::Path;

/// Every built-in template, by name. Names mirror the files under `templates/`.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("nginx/nginx.conf.j2", include_str!("../../templates/nginx/nginx.conf.j2")),
    ("haproxy/haproxy.cfg.j2", include_str!("../../templates/haproxy/haproxy.cfg.j2")),
    ("k8s/namespace.yaml.j2", include_str!("../../templates/k8s/namespace.yaml.j2")),
    ("k8s/deployment.yaml.j2", include_str!("../../templates/k8s/deployment.yaml.j2")),
    ("k8s/service.yaml.j2", include_str!("../../templates/k8s/service.yaml.j2")),
    ("k8s/ingress.yaml.j2", include_str!("../../templates/k8s/ingress.yaml.j2")),
    ("k8s/pdb.yaml.j2", include_str!("../../templates/k8s/pdb.yaml.j2")),
    ("k8s/hpa.yaml.j2", include_str!("../../templates/k8s/hpa.yaml.j2")),
    ("prometheus/prometheus.yml.j2", include_str!("../../templates/prometheus/prometheus.yml.j2")),
    ("prometheus/rules.yml.j2", include_str!("../../templates/prometheus/rules.yml.j2")),
    ("prometheus/rules.test.yml.j2", include_str!("../../templates/prometheus/rules.test.yml.j2")),
    ("grafana/dashboard.json.j2", include_str!("../../templates/grafana/dashboard.json.j2")),
    ("gateway/application.yml.j2", include_str!("../../templates/gateway/application.yml.j2")),
    ("docker/Dockerfile.j2", include_str!("../../templates/docker/Dockerfile.j2")),
    ("docker/docker-entrypoint.sh.j2", include_str!("../../templates/docker/docker-entrypoint.sh.j2")),
    ("docker/healthcheck.sh.j2", include_str!("../../templates/docker/healthcheck.sh.j2")),
    ("redis/redis.conf.j2", include_str!("../../templates/redis/redis.conf.j2")),
    ("compose/docker-compose.yml.j2", include_str!("../../templates/compose/docker-compose.yml.j2")),
    ("compose/grafana-datasource.yml.j2", include_str!("../../templates/compose/grafana-datasource.yml.j2")),
    ("compose/grafana-dashboards.yml.j2", include_str!("../../templates/compose/grafana-dashboards.yml.j2")),
];

/// Builds the environment. Nothing is auto-escaped: every value that reaches a file was validated
/// for that file's grammar by the spec, or is quoted explicitly with `tojson` in YAML templates.
pub fn environment(overrides: Option<&Path>) -> Result<Environment<'static>, Vec<Problem>> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    if let Ok(syntax) =
        SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).keep_trailing_newline(true).build()
    {
        env.set_syntax(syntax);
    }
    // Macros end with a newline; `chomp` drops it so a macro call can sit on its own line.
    env.add_filter("chomp", |s: String| s.trim_end_matches('\n').to_string());
    let mut problems = Vec::new();
    for (name, source) in TEMPLATES {
        let source = match overrides.map(|dir| dir.join(name)).filter(|p| p.is_file()) {
            Some(path) => match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(e) => {
                    problems.push(
                        Problem::error("template::io", format!("cannot read {}: {e}", path.display()))
                            .with_help("check the --templates folder"),
                    );
                    continue;
                }
            },
            None => (*source).to_string(),
        };
        if let Err(err) = env.add_template_owned(*name, source.clone()) {
            problems.push(template_problem(&err, name, &source));
        }
    }
    if problems.is_empty() { Ok(env) } else { Err(problems) }
}

/// Renders one template with the context.
pub fn render(env: &Environment<'_>, name: &str, ctx: &serde_json::Value) -> Result<String, Box<Problem>> {
    let template = env.get_template(name).map_err(|e| Box::new(template_problem(&e, name, "")))?;
    template.render(minijinja::Value::from(minijinja::value::Serde(ctx))).map_err(|err| {
        let source = env.get_template(name).map(|t| t.source().to_string()).unwrap_or_default();
        Box::new(template_problem(&err, name, &source))
    })
}

/// A template error as a diagnostic naming the template and line.
fn template_problem(err: &minijinja::Error, name: &str, source: &str) -> Problem {
    let file = SourceFile::new(format!("templates/{name}"), source.to_string());
    let detail = err.detail().map(|d| format!(": {d}")).unwrap_or_default();
    let mut problem =
        Problem::error("template::error", format!("template {name} failed: {}{detail}", err.kind()))
            .with_help(
                "a template bug; if you use --templates, check your template against the built-in one",
            );
    let span = err.range().or_else(|| err.line().map(|line| line_span(source, line)));
    if let Some(span) = span {
        problem = problem.in_file(&file).with_label(span, "here");
    }
    problem
}

fn line_span(source: &str, line: usize) -> std::ops::Range<usize> {
    let start: usize = source.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let len = source[start.min(source.len())..].find('\n').unwrap_or(source.len().saturating_sub(start));
    start..start + len
}

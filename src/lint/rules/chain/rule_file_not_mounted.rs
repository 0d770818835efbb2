//! CHN004: a Prometheus rule file that the container never sees.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::chain::Bundle;
use crate::lint::{Category, LintContext, Rule, add_label};

declare_rule! {
    /// ## What it does
    /// When a compose file runs Prometheus with mounted files, flags `rule_files` entries of a
    /// Prometheus config in the bundle whose path (relative to the mounted config's folder, by
    /// default `/etc/prometheus`) no volume of that service covers.
    ///
    /// ## Why is this bad?
    /// `rule_files` entries are globs, so a file that is not there matches nothing and loads
    /// without an error: Prometheus starts with no alerting rules, and none of the alerts fire.
    ///
    /// ## Example
    /// ```text,invalid
    /// docker-compose.yml:  prometheus.volumes: [./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml]
    /// prometheus.yml:      rule_files: [streaming_rules.yml]
    /// ```
    ///
    /// Use instead:
    /// ```text,valid
    /// docker-compose.yml:  prometheus.volumes: [./prometheus:/etc/prometheus:ro]
    /// prometheus.yml:      rule_files: [streaming_rules.yml]
    /// ```
    pub struct RuleFileNotMounted {
        id: "CHN004",
        name: "rule-file-not-mounted",
        kind: None,
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Mount the folder that holds prometheus.yml and its rule files, not the config file alone.",
    }
}

/// The folder the config is mounted into: the parent of a mounted `*.yml`/`*.yaml` named like
/// a Prometheus config, else the image's default.
fn config_folder(mounts: &[&str]) -> String {
    mounts
        .iter()
        .find(|m| m.ends_with("prometheus.yml") || m.ends_with("prometheus.yaml"))
        .and_then(|m| m.rsplit_once('/'))
        .map_or_else(|| "/etc/prometheus".to_string(), |(folder, _)| folder.to_string())
}

impl Rule<Bundle> for RuleFileNotMounted {
    fn check(&self, bundle: &Bundle, cx: &mut LintContext<'_>) {
        if bundle.prometheus_mounts.is_empty() {
            return;
        }
        let paths: Vec<&str> =
            bundle.prometheus_mounts.iter().map(|m| m.container_path.trim_end_matches('/')).collect();
        let folder = config_folder(&paths);
        for rule_file in &bundle.rule_files {
            let full = if rule_file.pattern.starts_with('/') {
                rule_file.pattern.clone()
            } else {
                format!("{folder}/{}", rule_file.pattern)
            };
            let covered = paths.iter().any(|p| full == *p || full.starts_with(&format!("{p}/")));
            if covered {
                continue;
            }
            let message = format!(
                "rule file `{full}` is not mounted into the Prometheus container, so no rules load from it"
            );
            let problem = cx.report(self, &rule_file.source, rule_file.span.clone(), message);
            for mount in &bundle.prometheus_mounts {
                add_label(problem, Some(&mount.source), mount.span.clone(), "what is mounted");
            }
        }
    }
}

//! Typed views of Prometheus files over the YAML tree: the server config (`prometheus.yml`:
//! scrape jobs, their static targets, rule files, alertmanagers) and rule files (groups of
//! alerting and recording rules, also inside a `PrometheusRule` custom resource), plus PromQL
//! parsing through `promql-parser`, whose errors carry no position: a finding about an expression
//! labels the whole `expr:` value.

use super::yaml::{Document, Node};

/// One `scrape_configs` entry.
#[derive(Debug, Clone, Copy)]
pub struct ScrapeJob<'a> {
    pub doc: &'a Document,
    pub node: &'a Node,
}

impl<'a> ScrapeJob<'a> {
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.doc.get(self.node, key)
    }

    pub fn name(&self) -> Option<&'a str> {
        self.get("job_name").and_then(Node::text)
    }

    /// `metrics_path`, when set (the default is `/metrics`).
    pub fn metrics_path(&self) -> Option<&'a str> {
        self.get("metrics_path").and_then(Node::text)
    }

    /// Every `static_configs[].targets[]` node (`host:port`).
    pub fn static_targets(&self) -> Vec<&'a Node> {
        static_targets(self.doc, self.get("static_configs"))
    }

    /// Whether the job rewrites its target through `relabel_configs` or `params` (the exporter
    /// multi-target pattern, where the listed target is not what is scraped).
    pub fn rewrites_targets(&self) -> bool {
        self.get("relabel_configs").is_some() || self.get("params").is_some()
    }
}

fn static_targets<'a>(doc: &'a Document, configs: Option<&'a Node>) -> Vec<&'a Node> {
    let Some(configs) = configs else { return Vec::new() };
    doc.items(configs)
        .into_iter()
        .filter_map(|c| doc.get(c, "targets"))
        .flat_map(|t| doc.items(t))
        .filter(|t| t.text().is_some())
        .collect()
}

/// The scrape jobs of a server config.
pub fn scrape_jobs(doc: &Document) -> Vec<ScrapeJob<'_>> {
    let Some(list) = doc.get(&doc.root, "scrape_configs") else { return Vec::new() };
    doc.items(list).into_iter().map(|node| ScrapeJob { doc, node }).collect()
}

/// The `rule_files` entries (globs).
pub fn rule_files(doc: &Document) -> Vec<&Node> {
    doc.get(&doc.root, "rule_files").map(|l| doc.items(l)).unwrap_or_default()
}

/// `alerting.alertmanagers[].static_configs[].targets[]`.
pub fn alertmanager_targets(doc: &Document) -> Vec<&Node> {
    let Some(list) = doc.path(&doc.root, &["alerting", "alertmanagers"]) else { return Vec::new() };
    doc.items(list).into_iter().flat_map(|am| static_targets(doc, doc.get(am, "static_configs"))).collect()
}

/// `global.scrape_interval`.
pub fn global_scrape_interval(doc: &Document) -> Option<&Node> {
    doc.path(&doc.root, &["global", "scrape_interval"])
}

/// One alerting or recording rule.
#[derive(Debug, Clone, Copy)]
pub struct Rule<'a> {
    pub doc: &'a Document,
    pub node: &'a Node,
}

impl<'a> Rule<'a> {
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.doc.get(self.node, key)
    }

    /// The `alert:` name node, for alerting rules.
    pub fn alert(&self) -> Option<&'a Node> {
        self.get("alert")
    }

    /// The `record:` name node, for recording rules.
    pub fn record(&self) -> Option<&'a Node> {
        self.get("record")
    }

    pub fn expr(&self) -> Option<&'a Node> {
        self.get("expr")
    }

    /// `for:`, how long the condition must hold before the alert fires.
    pub fn for_(&self) -> Option<&'a Node> {
        self.get("for")
    }
}

/// Every rule of a rule file: `groups[].rules[]`, or `spec.groups[].rules[]` in a
/// `PrometheusRule` resource.
pub fn rules(doc: &Document) -> Vec<Rule<'_>> {
    let groups = doc.get(&doc.root, "groups").or_else(|| doc.path(&doc.root, &["spec", "groups"]));
    let Some(groups) = groups else { return Vec::new() };
    doc.items(groups)
        .into_iter()
        .filter_map(|g| doc.get(g, "rules"))
        .flat_map(|r| doc.items(r))
        .map(|node| Rule { doc, node })
        .collect()
}

/// Parses a PromQL expression. Templated expressions (`{{ ... }}` from Helm) are not PromQL yet
/// and give `None` without an error.
pub fn parse_promql(text: &str) -> Option<Result<promql_parser::parser::Expr, String>> {
    if text.contains("{{") || text.contains("{%") {
        return None;
    }
    Some(promql_parser::parser::parse(text))
}

/// A Prometheus duration in milliseconds: `15s`, `1m30s`, `2h`, `500ms`, `1d`, `1w`, `1y`.
pub fn parse_duration_ms(text: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let mut rest = text.trim();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits_end = rest.find(|c: char| !c.is_ascii_digit())?;
        let (number, tail) = rest.split_at(digits_end);
        let value: u64 = number.parse().ok()?;
        let unit_end = tail.find(|c: char| c.is_ascii_digit()).unwrap_or(tail.len());
        let (unit, next) = tail.split_at(unit_end);
        let factor: u64 = match unit {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 604_800_000,
            "y" => 31_536_000_000,
            _ => return None,
        };
        total = total.checked_add(value.checked_mul(factor)?)?;
        rest = next;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml;

    const CONFIG: &str = "\
global:
  scrape_interval: 15s
rule_files:
  - streaming_rules.yml
scrape_configs:
  - job_name: redis
    static_configs:
      - targets: ['redis:6379']
  - job_name: app
    metrics_path: /actuator/prometheus
    static_configs:
      - targets: [app:8081, app2:8081]
alerting:
  alertmanagers:
    - static_configs:
        - targets:
          - alertmanager:9093
";

    const RULES: &str = "\
groups:
- name: g
  rules:
  - alert: Slow
    expr: histogram_quantile(0.95, x_bucket) > 5
    for: 1m
  - record: job:x:rate5m
    expr: sum by (job) (rate(x_total[5m]))
";

    #[test]
    fn config_view_reaches_jobs_targets_and_rule_files() {
        let file = yaml::parse(CONFIG);
        let doc = &file.documents[0];
        let jobs = scrape_jobs(doc);
        assert_eq!(jobs.len(), 2);
        assert_eq!(jobs[0].name(), Some("redis"));
        let target = jobs[0].static_targets()[0];
        assert_eq!(&CONFIG[target.span.clone()], "'redis:6379'");
        assert_eq!(jobs[1].static_targets().len(), 2);
        assert_eq!(jobs[1].metrics_path(), Some("/actuator/prometheus"));
        assert_eq!(rule_files(doc)[0].text(), Some("streaming_rules.yml"));
        assert_eq!(alertmanager_targets(doc)[0].text(), Some("alertmanager:9093"));
        assert_eq!(global_scrape_interval(doc).and_then(Node::text), Some("15s"));
    }

    #[test]
    fn rules_view_and_promql() {
        let file = yaml::parse(RULES);
        let rules = rules(&file.documents[0]);
        assert_eq!(rules.len(), 2);
        assert!(rules[0].alert().is_some() && rules[0].for_().is_some());
        assert!(rules[1].record().is_some());
        let expr = rules[1].expr().and_then(Node::text).unwrap();
        assert!(matches!(parse_promql(expr), Some(Ok(_))));
        assert!(matches!(parse_promql("rate(x[5m]"), Some(Err(_))));
        assert!(parse_promql("{{ $labels.x }}").is_none());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("1m30s"), Some(90_000));
        assert_eq!(parse_duration_ms("15s"), Some(15_000));
        assert_eq!(parse_duration_ms("500ms"), Some(500));
        assert_eq!(parse_duration_ms("5"), None);
        assert_eq!(parse_duration_ms(""), None);
    }
}

//! Parses every corpus file of the non-nginx kinds (../shared/corpus/<kind>/) with its parser,
//! and records how many parse cleanly and how many are recognised as their kind.
//!
//! The counts are asserted so that a parser or detection change shows up here. Files that do not
//! parse cleanly are real syntax errors or templates, not parser bugs; the per-kind notes below
//! say which. Run with `-- --nocapture` to see the files behind each count.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should stop the test

mod common;

use sseconf::parse::kind::{self, FileKind};
use sseconf::parse::{dockerfile, gateway, haproxy, redis, yaml};
use std::path::{Path, PathBuf};

struct Counts {
    files: usize,
    clean: usize,
    detected: usize,
    unclean: Vec<(PathBuf, String)>,
    misdetected: Vec<(PathBuf, Option<FileKind>)>,
    view_items: usize,
}

/// Walks the typed views of a YAML kind, so that they too meet every corpus file; returns how
/// many view items were found (services, objects, routes, rules) to keep the work observable.
fn exercise_views(kind: FileKind, name: &str, text: &str) -> usize {
    use sseconf::parse::{compose, k8s, prometheus};
    let file = if kind == FileKind::Gateway { gateway::parse(name, text) } else { yaml::parse(text) };
    match kind {
        FileKind::Compose => file
            .documents
            .iter()
            .flat_map(compose::services)
            .map(|s| 1 + s.depends_on().len() + s.ports().len() + s.environment().len() + s.sysctls().len())
            .sum(),
        FileKind::Kubernetes => k8s::objects(&file)
            .iter()
            .map(|o| {
                let containers = o.containers();
                let probes: usize = containers.iter().map(|c| c.probes().len() + c.env().len()).sum();
                1 + containers.len() + probes + o.ingress_paths().len() + o.annotations().len()
            })
            .sum(),
        FileKind::Gateway => {
            gateway::routes(&file).iter().map(|r| 1 + r.filters.len() + r.predicates.len()).sum()
        }
        FileKind::Prometheus => file
            .documents
            .iter()
            .map(|d| {
                let jobs: usize =
                    prometheus::scrape_jobs(d).iter().map(|j| 1 + j.static_targets().len()).sum();
                jobs + prometheus::rules(d).len() + prometheus::rule_files(d).len()
            })
            .sum(),
        _ => 0,
    }
}

/// The first problem the kind's parser reports, or `None` when the file parses cleanly.
fn first_problem(kind: FileKind, name: &str, text: &str) -> Option<String> {
    match kind {
        FileKind::Haproxy => haproxy::parse(text).errors.first().map(|e| e.message.clone()),
        FileKind::Redis => redis::parse(text).errors.first().map(|e| e.message.clone()),
        FileKind::Dockerfile => dockerfile::parse(text).errors.first().map(|e| e.message.clone()),
        FileKind::Gateway => gateway::parse(name, text).errors.first().map(|e| e.message.clone()),
        _ => yaml::parse(text).errors.first().map(|e| e.message.clone()),
    }
}

fn walk(kind: FileKind, dir: &Path) -> Counts {
    let mut counts = Counts {
        files: 0,
        clean: 0,
        detected: 0,
        unclean: Vec::new(),
        misdetected: Vec::new(),
        view_items: 0,
    };
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    paths.sort();
    for path in paths {
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        counts.files += 1;
        let name = path.to_string_lossy();
        counts.view_items += exercise_views(kind, &name, &text);
        match first_problem(kind, &name, &text) {
            None => counts.clean += 1,
            Some(problem) => counts.unclean.push((path.clone(), problem)),
        }
        let detected = kind::detect(&path, &text);
        if detected == Some(kind) {
            counts.detected += 1;
        } else {
            counts.misdetected.push((path, detected));
        }
    }
    counts
}

fn report(name: &str, counts: &Counts) {
    println!(
        "{name}: {} files, {} clean, {} detected, {} view items",
        counts.files, counts.clean, counts.detected, counts.view_items
    );
    for (path, problem) in &counts.unclean {
        println!("  unclean {}: {problem}", path.display());
    }
    for (path, detected) in &counts.misdetected {
        println!("  detected as {detected:?}: {}", path.display());
    }
}

/// (corpus folder, kind, files, parse cleanly, detected as the kind).
const EXPECTED: &[(&str, FileKind, usize, usize, usize)] = &[
    ("haproxy", FileKind::Haproxy, 110, 110, 110),
    ("redis", FileKind::Redis, 29, 29, 29),
    // Not clean: docker-library__ruby/Dockerfile.template is a template (`{{ ... }}` lines), and
    // openresty's Dockerfile.expat_example.centos puts a `# comment` after FROM's argument,
    // which BuildKit rejects too (FROM takes one or three arguments).
    ("docker", FileKind::Dockerfile, 372, 370, 372),
    // Not clean: NGINX-Demos zookeeper-demo/docker-compose.yml repeats `environment` in one
    // service (compose refuses it).
    ("compose", FileKind::Compose, 284, 283, 284),
    // Not clean: four archived kubernetes/examples manifests repeat `selector` or `type` in one
    // mapping (kubectl's strict decoding refuses them).
    ("k8s", FileKind::Kubernetes, 585, 581, 585),
    // One of them is an `application.properties` file, read by parse/properties.rs.
    ("gateway", FileKind::Gateway, 50, 50, 50),
    ("prometheus", FileKind::Prometheus, 176, 176, 176),
];

/// PromQL expressions in the corpus's rule files, and how many promql-parser accepts.
#[test]
fn corpus_promql_expressions_parse() {
    use sseconf::parse::prometheus;
    let dir = common::shared().join("corpus/prometheus");
    if !dir.is_dir() {
        return;
    }
    let (mut total, mut ok, mut templated) = (0, 0, 0);
    let mut failures = Vec::new();
    for entry in
        walkdir::WalkDir::new(&dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file())
    {
        let text = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned();
        let file = yaml::parse(&text);
        for doc in &file.documents {
            for rule in prometheus::rules(doc) {
                let Some(expr) = rule.expr().and_then(|n| n.text()) else { continue };
                total += 1;
                match prometheus::parse_promql(expr) {
                    Some(Ok(_)) => ok += 1,
                    Some(Err(e)) => failures.push(format!("{}: {expr}: {e}", entry.path().display())),
                    None => templated += 1,
                }
            }
        }
    }
    for failure in &failures {
        println!("{failure}");
    }
    println!("promql: {total} expressions, {ok} parse, {templated} templated, {} fail", failures.len());
    // The 4 failures: rulefmt's bad_expr.bad.yaml and promtool's bad-rules-syntax.yml are broken
    // on purpose; promtool's features.yml uses experimental syntax newer than promql-parser 0.11
    // (duration arithmetic `[1m * 2]`, the `anchored` modifier), so a rule must not call a parse
    // failure a certain error.
    assert_eq!((total, ok, templated, failures.len()), (11_069, 11_065, 0, 4));
}

#[test]
fn corpus_parses_without_a_crash_and_counts_are_recorded() {
    let corpus = common::shared().join("corpus");
    if !corpus.is_dir() {
        eprintln!("SKIPPED: no corpus at {}", corpus.display());
        return;
    }
    let mut actual = Vec::new();
    for (folder, kind, ..) in EXPECTED {
        let counts = walk(*kind, &corpus.join(folder));
        report(folder, &counts);
        actual.push((*folder, *kind, counts.files, counts.clean, counts.detected));
    }
    assert_eq!(actual, EXPECTED);
}

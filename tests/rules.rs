//! `sseconf rules` / `sseconf rule`, and the rules' own documentation: every example in a
//! rule's docs is linted, `invalid` ones must give exactly one finding of that rule and `valid`
//! ones none (biome's rules_check).

// Helpers outside #[test] functions unwrap too: a failed setup is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use assert_cmd::Command;
use sseconf::lint::engine::{self, Options};
use sseconf::lint::registry;
use sseconf::parse::kind::FileKind;
use std::collections::HashSet;

/// The fenced examples of a rule's docs: (tag, code).
fn examples(docs: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    // `docs` comes from `docs_text`, which already removed the space after `///`; YAML examples
    // need the rest of their indentation.
    for line in docs.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(tag)) if !tag.is_empty() => current = Some((tag.to_string(), String::new())),
            (Some(_), Some("")) => out.extend(current.take()),
            (Some((_, code)), _) => {
                code.push_str(line);
                code.push('\n');
            }
            _ => {}
        }
    }
    out
}

/// Lints `code` as a file of `kind` saved in a fresh folder; returns the finding codes.
fn lint_example(code: &str, kind: FileKind) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("example.conf");
    std::fs::write(&path, code).unwrap();
    let options = Options { paths: vec![path], kind: Some(kind), inline_ignores: true, ..Options::default() };
    let outcome = engine::run(&options);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    outcome.findings.into_iter().map(|f| f.code).collect()
}

#[test]
fn every_docs_example_behaves_as_labelled() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for meta in registry::all() {
        // Rules across files (CHN) describe their examples as text; their multi-file fixtures
        // run in tests/lint_kinds.rs.
        if meta.id.starts_with("CHN") {
            continue;
        }
        let docs = meta.docs_text();
        let found = examples(&docs);
        assert!(found.iter().any(|(t, _)| t.ends_with(",invalid")), "{} has no invalid example", meta.id);
        assert!(found.iter().any(|(t, _)| t.ends_with(",valid")), "{} has no valid example", meta.id);
        for (tag, code) in found {
            let codes = lint_example(&code, meta.kind.unwrap_or(FileKind::Nginx));
            let hits = codes.iter().filter(|c| *c == meta.id).count();
            let expected = usize::from(tag.ends_with(",invalid"));
            if hits != expected {
                failures.push(format!(
                    "{} {tag}: {hits} finding(s) of the rule, all: {codes:?}\n{code}",
                    meta.id
                ));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 2 * registry::all().iter().filter(|m| !m.id.starts_with("CHN")).count());
}

#[test]
fn docs_have_the_fixed_headings_and_a_one_line_summary() {
    for meta in registry::all() {
        let docs = meta.docs_text();
        for heading in ["## What it does", "## Why is this bad?", "## Example", "Use instead:"] {
            assert!(docs.contains(heading), "{} lacks `{heading}`", meta.id);
        }
        assert!(!meta.summary().is_empty(), "{}", meta.id);
        assert!(!meta.fix.is_empty(), "{}", meta.id);
    }
}

#[test]
fn ids_and_names_are_unique_and_well_formed() {
    let all = registry::all();
    let ids: HashSet<_> = all.iter().map(|m| m.id).collect();
    let names: HashSet<_> = all.iter().map(|m| m.name).collect();
    assert_eq!(ids.len(), all.len());
    assert_eq!(names.len(), all.len());
    for m in &all {
        let prefix = m.kind.map_or(if m.id.starts_with("CHN") { "CHN" } else { "SSC" }, |k| k.rule_prefix());
        assert!(m.id.starts_with(prefix) && m.id.len() == prefix.len() + 3, "{}", m.id);
        assert!(
            m.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}",
            m.name
        );
        for bad in ["use-", "avoid-", "prefer-", "do-not-"] {
            assert!(!m.name.starts_with(bad), "{}", m.name);
        }
    }
}

#[test]
fn every_nginx_rule_file_is_registered() {
    let dir = common::root().join("src/lint/rules/nginx");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "mod.rs")
        .collect();
    files.sort();
    let registered: HashSet<String> =
        registry::NGINX.iter().map(|r| r.meta().name.replace('-', "_")).collect();
    for file in &files {
        let stem = file.trim_end_matches(".rs");
        assert!(
            registered.contains(stem),
            "{file} is not registered in registry::NGINX (or its name differs)"
        );
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(text.lines().count() < 250, "{file} is over 250 lines");
    }
    assert_eq!(files.len(), registry::NGINX.len());
}

#[test]
fn rules_table_lists_every_rule() {
    let out = Command::new(common::bin()).arg("rules").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for m in registry::all() {
        assert!(text.contains(m.id) && text.contains(m.name), "{}", m.id);
    }
}

#[test]
fn rules_json_has_one_row_per_rule() {
    let out = Command::new(common::bin()).args(["rules", "--format", "json"]).output().unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), registry::all().len());
    assert_eq!(rows[0]["id"], registry::all()[0].id);
}

#[test]
fn rule_prints_docs_by_id_or_name() {
    for key in ["NGX001", "ngx001", "stream-proxy-buffering"] {
        let out = Command::new(common::bin()).args(["rule", key]).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with("# NGX001 stream-proxy-buffering"), "{text}");
        assert!(text.contains("## Why is this bad?") && text.contains("proxy_buffering off;"));
    }
}

#[test]
fn unknown_rule_suggests_the_closest_name() {
    let out = Command::new(common::bin())
        .args(["rule", "stream-proxy-bufering", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("stream-proxy-buffering"));
}

#[test]
fn docs_rules_md_is_fresh() {
    let expected = sseconf::cli::rules::markdown_table();
    let committed = std::fs::read_to_string(common::root().join("docs/rules.md")).unwrap_or_default();
    assert!(
        committed == expected,
        "docs/rules.md is stale; regenerate with `cargo run -- rules --format markdown > docs/rules.md`"
    );
}

/// The README's rules table: the first four columns of the registry's table.
fn readme_table() -> String {
    let mut out = String::from("| ID | Name | Severity | Category |\n|---|---|---|---|\n");
    for row in sseconf::cli::rules::markdown_table()
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| ID"))
    {
        let cells: Vec<&str> = row.splitn(6, " | ").collect();
        if let [id, name, severity, category, ..] = cells.as_slice() {
            out.push_str(&format!("{id} | {name} | {severity} | {category} |\n"));
        }
    }
    out
}

#[test]
fn readme_rules_table_is_fresh() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let start = readme.find("<!-- rules:start -->\n").expect("README has a rules:start marker") + 21;
    let end = readme.find("<!-- rules:end -->").expect("README has a rules:end marker");
    let expected = readme_table();
    if std::env::var_os("SSECONF_BLESS").is_some() {
        let updated = format!("{}{}{}", &readme[..start], expected, &readme[end..]);
        std::fs::write(common::root().join("README.md"), updated).unwrap();
        return;
    }
    assert!(
        readme[start..end] == expected,
        "the README rules table is stale; regenerate it with `SSECONF_BLESS=1 cargo test --test rules readme`"
    );
}

//! CMP001: services that depend on each other in a cycle.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::ComposeDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::compose::{self, Service};
use crate::parse::kind::FileKind;
use std::collections::{BTreeSet, HashMap};

declare_rule! {
    /// ## What it does
    /// Flags `depends_on` edges that form a cycle (a service depending on itself included).
    ///
    /// ## Why is this bad?
    /// Compose refuses to create a project with a dependency cycle, so nothing starts (older
    /// versions crashed with a stack overflow). A reverse proxy usually depends on the app, not
    /// the other way round.
    ///
    /// ## Example
    /// ```compose,invalid
    /// services:
    ///   app:
    ///     image: app:1.2
    ///     depends_on: [nginx]
    ///   nginx:
    ///     image: nginx:1.27-alpine
    ///     depends_on: [app]
    /// ```
    ///
    /// Use instead:
    /// ```compose,valid
    /// services:
    ///   app:
    ///     image: app:1.2
    ///   nginx:
    ///     image: nginx:1.27-alpine
    ///     depends_on: [app]
    /// ```
    pub struct DependsOnCycle {
        id: "CMP001",
        name: "depends-on-cycle",
        kind: Some(FileKind::Compose),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Remove one edge of the cycle; a proxy depends on the app it fronts, not the reverse.",
    }
}

impl Rule<ComposeDoc> for DependsOnCycle {
    fn check(&self, doc: &ComposeDoc, cx: &mut LintContext<'_>) {
        for document in &doc.parsed.documents {
            let services = compose::services(document);
            let graph: HashMap<&str, Vec<&str>> = services
                .iter()
                .map(|s| (s.name(), s.depends_on().iter().filter_map(|n| n.text()).collect()))
                .collect();
            let mut reported: Vec<BTreeSet<&str>> = Vec::new();
            for service in &services {
                let Some(cycle) = cycle_through(&graph, service.name()) else { continue };
                let members: BTreeSet<&str> = cycle.iter().copied().collect();
                if reported.contains(&members) {
                    continue;
                }
                reported.push(members);
                report_cycle(self, doc, cx, &services, &cycle);
            }
        }
    }
}

/// A path `start → ... → start` through `depends_on`, if one exists. Depth-first, each service
/// visited once per start.
fn cycle_through<'a>(graph: &HashMap<&'a str, Vec<&'a str>>, start: &'a str) -> Option<Vec<&'a str>> {
    let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    while let Some((node, next)) = stack.last().copied() {
        let deps = graph.get(node).map_or(&[][..], Vec::as_slice);
        let Some(&dep) = deps.get(next) else {
            stack.pop();
            continue;
        };
        if let Some(top) = stack.last_mut() {
            top.1 += 1;
        }
        if dep == start {
            return Some(stack.iter().map(|(n, _)| *n).chain([start]).collect());
        }
        if graph.contains_key(dep) && seen.insert(dep) {
            stack.push((dep, 0));
        }
    }
    None
}

fn report_cycle(
    rule: &DependsOnCycle,
    doc: &ComposeDoc,
    cx: &mut LintContext<'_>,
    services: &[Service<'_>],
    cycle: &[&str],
) {
    let edge = |from: &str, to: &str| {
        let service = services.iter().find(|s| s.name() == from)?;
        service.depends_on().into_iter().find(|n| n.text() == Some(to)).map(|n| n.span.clone())
    };
    let pairs: Vec<(&str, &str)> = cycle.windows(2).filter_map(|w| Some((*w.first()?, *w.get(1)?))).collect();
    let Some(((from, to), rest)) = pairs.split_first() else { return };
    let Some(span) = edge(from, to) else { return };
    let path = cycle.join(" → ");
    let problem = doc.report(cx, rule, span, format!("`depends_on` cycle: {path}"));
    for (from, to) in rest {
        if let Some(span) = edge(from, to) {
            doc.label(problem, span, &format!("`{from}` depends on `{to}`"));
        }
    }
}

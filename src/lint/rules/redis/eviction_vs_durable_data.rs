//! RDS004: an eviction policy that deletes the data persistence is meant to keep.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::RedisDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `maxmemory-policy allkeys-*` on an instance that persists its data (`appendonly yes`
    /// or `save` points), i.e. one that holds sessions, stream keys or queue offsets rather than
    /// a disposable cache.
    ///
    /// ## Why is this bad?
    /// Under memory pressure Redis deletes arbitrary keys without an error, so the session
    /// bindings and stream entries the AOF was meant to keep disappear silently.
    ///
    /// ## Example
    /// ```redis,invalid
    /// maxmemory 256mb
    /// maxmemory-policy allkeys-lru
    /// appendonly yes
    /// ```
    ///
    /// Use instead:
    /// ```redis,valid
    /// maxmemory 256mb
    /// maxmemory-policy noeviction
    /// appendonly yes
    /// ```
    pub struct EvictionVsDurableData {
        id: "RDS004",
        name: "eviction-vs-durable-data",
        kind: Some(FileKind::Redis),
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: "Use `noeviction` (or `volatile-*` with TTLs on cache keys only), or split cache and durable data into two instances.",
    }
}

impl Rule<RedisDoc> for EvictionVsDurableData {
    fn check(&self, doc: &RedisDoc, cx: &mut LintContext<'_>) {
        let config = &doc.parsed;
        let Some(policy) = config.last("maxmemory-policy") else { return };
        if !policy.value().is_some_and(|v| v.starts_with("allkeys-")) {
            return;
        }
        let aof = config.last("appendonly").filter(|d| d.value().as_deref() == Some("yes"));
        let save = config.all("save").find(|d| d.args.first().is_some_and(|a| !a.text.is_empty()));
        let Some(durable) = aof.or(save) else { return };
        let message = "`allkeys-*` eviction deletes any key under memory pressure, including the data persistence keeps";
        let problem = doc.report(cx, self, policy.span.clone(), message);
        doc.label(problem, durable.span.clone(), "the data is meant to be durable");
    }
}

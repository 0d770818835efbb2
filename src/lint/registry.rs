//! Every rule, as one explicit list per file kind. Order is the order of `sseconf rules`.
//! Adding a rule: one line here, plus its file under `rules/<kind>/`; the meta-tests check both.

use super::nginx::NginxDoc;
use super::rules::{nginx as ngx, suppression as ssc};
use super::{Meta, Rule, RuleMeta};

pub static NGINX: &[&dyn Rule<NginxDoc>] = &[
    &ngx::SyntaxError,
    &ngx::StreamProxyBuffering,
    &ngx::IncludeNotFound,
    &ngx::IncludeCycle,
];

/// Rules about sseconf itself (suppressions), for every file kind.
pub static GENERIC: &[&(dyn Meta + Sync)] =
    &[&ssc::SuppressionWithoutReason, &ssc::UnusedSuppression, &ssc::UnknownRuleInSuppression];

/// Every rule's metadata, sorted by id.
pub fn all() -> Vec<&'static RuleMeta> {
    let mut all: Vec<&'static RuleMeta> =
        NGINX.iter().map(|r| r.meta()).chain(GENERIC.iter().map(|r| r.meta())).collect();
    all.sort_by_key(|m| m.id);
    all
}

/// A rule by id (any case) or name.
pub fn find(id_or_name: &str) -> Option<&'static RuleMeta> {
    let key = id_or_name.trim();
    NGINX
        .iter()
        .map(|r| r.meta())
        .chain(GENERIC.iter().map(|r| r.meta()))
        .find(|m| m.id.eq_ignore_ascii_case(key) || m.name == key)
}

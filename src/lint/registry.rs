//! Every rule, as one explicit list per file kind. Order is the order of `sseconf rules`.
//! Adding a rule: one line here, plus its file under `rules/<kind>/`; the meta-tests check both.

use super::nginx::NginxDoc;
use super::rules::{nginx as ngx, suppression as ssc};
use super::{Meta, Rule, RuleMeta};

pub static NGINX: &[&dyn Rule<NginxDoc>] = &[
    &ngx::SyntaxError,
    &ngx::StreamProxyBuffering,
    &ngx::GzipEventStream,
    &ngx::ProxyCacheOnStream,
    &ngx::ProxyHttpVersion,
    &ngx::WebsocketUpgradeHeaders,
    &ngx::ConnectionUpgradeHardcoded,
    &ngx::DuplicateProxySetHeader,
    &ngx::StreamReadTimeout,
    &ngx::IfInLocation,
    &ngx::AddHeaderInheritance,
    &ngx::ProxySetHeaderInheritance,
    &ngx::XAccelBufferingIgnored,
    &ngx::XAccelBufferingAddHeader,
    &ngx::ResponseHeaderViaProxySetHeader,
    &ngx::LimitRateOnStream,
    &ngx::SsiOnStream,
    &ngx::DirectiveContext,
    &ngx::ListenHttp2Deprecated,
    &ngx::IpHashImbalance,
    &ngx::BufferingOffGlobal,
    &ngx::UpstreamKeepaliveUnused,
    &ngx::CorsAddHeaderWithoutAlways,
    &ngx::CorsWildcardCredentials,
    &ngx::CorsAllowHeadersIncomplete,
    &ngx::AddHeaderContentType,
    &ngx::SsrfProxyPassVariable,
    &ngx::HttpSplitting,
    &ngx::HostSpoofing,
    &ngx::AliasTraversal,
    &ngx::OriginRegexUnanchored,
    &ngx::ValidReferersNone,
    &ngx::AddHeaderMultiline,
    &ngx::ServerTokensExposed,
    &ngx::OpenStatusEndpoint,
    &ngx::IncludeNotFound,
    &ngx::IncludeCycle,
    &ngx::DirectiveArity,
    &ngx::ChunkedOffUnneeded,
    &ngx::NextUpstreamNonIdempotent,
    &ngx::WeakTlsProtocols,
    &ngx::AllowWithoutDeny,
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

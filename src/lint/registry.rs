//! Every rule, as one explicit list per file kind. Order is the order of `sseconf rules`.
//! Adding a rule: one line here, plus its file under `rules/<kind>/`; the meta-tests check both.

use super::chain::Bundle;
use super::kinds::{ComposeDoc, DockerDoc, GatewayDoc, HaproxyDoc, K8sDoc, PrometheusDoc, RedisDoc};
use super::nginx::NginxDoc;
use super::rules::{chain as chn, compose as cmp, dockerfile as dkr, gateway as gw, haproxy as hap};
use super::rules::{kubernetes as k8s, prometheus as prm, redis as rds};
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

pub static HAPROXY: &[&dyn Rule<HaproxyDoc>] = &[
    &hap::SyntaxError,
    &hap::SseIdleTimeout,
    &hap::WsMissingTunnelTimeout,
    &hap::LongTimeoutsInDefaults,
    &hap::MissingHttpRequestTimeout,
    &hap::HttpchkInlineHeaders,
    &hap::StatsAdminExposed,
    &hap::HttplogWithoutLogTarget,
    &hap::CompressionEventStream,
    &hap::BalanceSource,
    &hap::MissingForwardfor,
    &hap::CorsAddHeader,
    &hap::DaemonInContainer,
    &hap::MissingClientFin,
    &hap::StreamMaxconnWithoutQueueTimeout,
    &hap::LogStdoutFormat,
    &hap::HttpServerCloseOnStream,
    &hap::SslBindWithoutAlpn,
    &hap::SseWithoutHttpNoDelay,
];

pub static KUBERNETES: &[&dyn Rule<K8sDoc>] = &[
    &k8s::SyntaxError,
    &k8s::ImageTag,
    &k8s::MissingPrestop,
    &k8s::GracePeriodVsStream,
    &k8s::MissingPdb,
    &k8s::LivenessAggregateHealth,
    &k8s::ProbeOnStreamPath,
    &k8s::UnsafeSysctl,
    &k8s::IngressSnippetAnnotation,
    &k8s::ForeignControllerAnnotation,
    &k8s::IngressAnnotationValueType,
    &k8s::IngressMissingClass,
    &k8s::IngressStreamTimeouts,
    &k8s::IngressAnnotationScope,
    &k8s::JvmHeapVsLimit,
    &k8s::IngressStreamWithoutTls,
    &k8s::SnippetLocationShadowing,
    &k8s::IngressStreamBuffering,
    &k8s::IngressControllerRetired,
];

pub static COMPOSE: &[&dyn Rule<ComposeDoc>] = &[
    &cmp::SyntaxError,
    &cmp::DependsOnCycle,
    &cmp::VersionObsolete,
    &cmp::HardcodedSecret,
    &cmp::FloatingImageTag,
    &cmp::PublishedDatastorePort,
    &cmp::NonNamespacedSysctl,
    &cmp::DependsOnNotReady,
    &cmp::PublishedManagementPort,
];

pub static DOCKERFILE: &[&dyn Rule<DockerDoc>] = &[
    &dkr::SyntaxError,
    &dkr::ShellFormCommand,
    &dkr::SysctlInImage,
    &dkr::DeprecatedBaseImage,
    &dkr::RootUser,
    &dkr::AptWithoutCleanup,
    &dkr::NonexistentAptPackage,
    &dkr::JavaOptsNotApplied,
    &dkr::NonrootUnwritableDir,
];

pub static REDIS: &[&dyn Rule<RedisDoc>] = &[
    &rds::SyntaxError,
    &rds::OpenWithoutAuth,
    &rds::ProtectedModeOff,
    &rds::DangerousCommandsEnabled,
    &rds::EvictionVsDurableData,
    &rds::LogfileInContainer,
    &rds::PubsubOutputBuffer,
];

pub static PROMETHEUS: &[&dyn Rule<PrometheusDoc>] = &[
    &prm::SyntaxError,
    &prm::HistogramQuantileWithoutRate,
    &prm::HistogramQuantileDropsLe,
    &prm::RateWithoutRange,
    &prm::AlertWithoutFor,
    &prm::ScrapeNonHttpTarget,
    &prm::UnscopedAlertMetric,
    &prm::CounterWithoutRate,
];

pub static GATEWAY: &[&dyn Rule<GatewayDoc>] = &[
    &gw::SyntaxError,
    &gw::DuplicateYamlKey,
    &gw::RetryOnStream,
    &gw::CircuitBreakerOnStream,
    &gw::ResponseTimeoutSemantics,
    &gw::ModifyBodyFilter,
    &gw::RateLimiterKeyResolver,
    &gw::ActuatorGatewayExposed,
    &gw::RenamedMetricsExportProperty,
    &gw::LegacyPropertyPrefix,
];

/// Rules over the chain of layers a stream crosses, across files.
pub static CHAIN: &[&dyn Rule<Bundle>] = &[
    &chn::IdleTimeoutChain,
    &chn::AffinityKeyMismatch,
    &chn::ScrapeTargetUndeployed,
    &chn::RuleFileNotMounted,
    &chn::ProbeUndefinedHealthGroup,
    &chn::ImageHeapVsLimit,
    &chn::BufferingOnChain,
    &chn::StreamDurationCut,
    &chn::HealthcheckIgnored,
    &chn::NginxMountNotLoaded,
];

/// The metadata of the rules of every kind but nginx.
fn other_kinds() -> impl Iterator<Item = &'static RuleMeta> {
    HAPROXY
        .iter()
        .map(|r| r.meta())
        .chain(KUBERNETES.iter().map(|r| r.meta()))
        .chain(COMPOSE.iter().map(|r| r.meta()))
        .chain(DOCKERFILE.iter().map(|r| r.meta()))
        .chain(REDIS.iter().map(|r| r.meta()))
        .chain(PROMETHEUS.iter().map(|r| r.meta()))
        .chain(GATEWAY.iter().map(|r| r.meta()))
        .chain(CHAIN.iter().map(|r| r.meta()))
}

/// Rules about sseconf itself (suppressions), for every file kind.
pub static GENERIC: &[&(dyn Meta + Sync)] =
    &[&ssc::SuppressionWithoutReason, &ssc::UnusedSuppression, &ssc::UnknownRuleInSuppression];

/// Every rule's metadata, sorted by id.
pub fn all() -> Vec<&'static RuleMeta> {
    let mut all: Vec<&'static RuleMeta> =
        NGINX.iter().map(|r| r.meta()).chain(GENERIC.iter().map(|r| r.meta())).chain(other_kinds()).collect();
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
        .chain(other_kinds())
        .find(|m| m.id.eq_ignore_ascii_case(key) || m.name == key)
}

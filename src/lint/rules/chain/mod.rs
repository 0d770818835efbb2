//! Rules over the chain of layers a stream crosses (several files), registered in
//! [`crate::lint::registry::CHAIN`]. Their examples are multi-file fixtures under
//! tests/fixtures/lint/chain/.

pub mod affinity_key_mismatch;
pub mod buffering_on_chain;
pub mod healthcheck_ignored;
pub mod idle_timeout_chain;
pub mod image_heap_vs_limit;
pub mod nginx_mount_not_loaded;
pub mod probe_undefined_health_group;
pub mod rule_file_not_mounted;
pub mod scrape_target_undeployed;
pub mod stream_duration_cut;

pub use affinity_key_mismatch::AffinityKeyMismatch;
pub use buffering_on_chain::BufferingOnChain;
pub use healthcheck_ignored::HealthcheckIgnored;
pub use idle_timeout_chain::IdleTimeoutChain;
pub use image_heap_vs_limit::ImageHeapVsLimit;
pub use nginx_mount_not_loaded::NginxMountNotLoaded;
pub use probe_undefined_health_group::ProbeUndefinedHealthGroup;
pub use rule_file_not_mounted::RuleFileNotMounted;
pub use scrape_target_undeployed::ScrapeTargetUndeployed;
pub use stream_duration_cut::StreamDurationCut;

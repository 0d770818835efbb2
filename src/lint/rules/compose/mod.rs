//! The compose rules, one per file, registered in [`crate::lint::registry`].

pub mod depends_on_cycle;
pub mod depends_on_not_ready;
pub mod floating_image_tag;
pub mod hardcoded_secret;
pub mod non_namespaced_sysctl;
pub mod published_datastore_port;
pub mod published_management_port;
pub mod syntax_error;
pub mod version_obsolete;

pub use depends_on_cycle::DependsOnCycle;
pub use depends_on_not_ready::DependsOnNotReady;
pub use floating_image_tag::FloatingImageTag;
pub use hardcoded_secret::HardcodedSecret;
pub use non_namespaced_sysctl::NonNamespacedSysctl;
pub use published_datastore_port::PublishedDatastorePort;
pub use published_management_port::PublishedManagementPort;
pub use syntax_error::SyntaxError;
pub use version_obsolete::VersionObsolete;

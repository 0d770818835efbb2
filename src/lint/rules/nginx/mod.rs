//! The nginx rules, one per file. Each is registered in [`crate::lint::registry::NGINX`].

pub mod include_cycle;
pub mod include_not_found;
pub mod stream_proxy_buffering;
pub mod syntax_error;

pub use include_cycle::IncludeCycle;
pub use include_not_found::IncludeNotFound;
pub use stream_proxy_buffering::StreamProxyBuffering;
pub use syntax_error::SyntaxError;

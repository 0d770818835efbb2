//! Parsers, one per file format. Each returns nodes with byte spans and never panics on input.
//!
//! The line-based formats (HAProxy, redis.conf) share the tokenizer in [`words`]; Dockerfiles go
//! through the `parse-dockerfile` crate behind [`dockerfile`]; the YAML kinds (compose,
//! Kubernetes, gateway, Prometheus) are typed views over the span-keeping tree in [`yaml`].

use std::ops::Range;

pub mod compose;
pub mod dockerfile;
pub mod gateway;
pub mod haproxy;
pub mod image;
pub mod k8s;
pub mod kind;
pub mod nginx;
pub mod prometheus;
pub mod properties;
pub mod redis;
pub mod words;
pub mod yaml;

/// A syntax problem in a file, at a byte range. Parsers collect these and keep going.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Range<usize>,
}

impl ParseError {
    pub fn new(message: impl Into<String>, span: Range<usize>) -> Self {
        Self { message: message.into(), span }
    }
}

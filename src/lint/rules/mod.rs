//! Rules, one folder per file kind and one file per rule. Register new rules in
//! [`crate::lint::registry`].

pub mod chain;
pub mod compose;
pub mod dockerfile;
pub mod gateway;
pub mod haproxy;
pub mod kubernetes;
pub mod nginx;
pub mod prometheus;
pub mod redis;
pub mod suppression;

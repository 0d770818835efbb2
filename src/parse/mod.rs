//! Parsers, one per file format. Each returns nodes with byte spans and never panics on input.

pub mod kind;
pub mod nginx;
pub mod yaml;

//! Rules, one folder per file kind and one file per rule. Register new rules in
//! [`crate::lint::registry`].

pub mod nginx;
pub mod suppression;

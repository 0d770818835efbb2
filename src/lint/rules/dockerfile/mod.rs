//! The dockerfile rules, one per file, registered in [`crate::lint::registry`].

pub mod syntax_error;

pub use syntax_error::SyntaxError;

//! The compose target.

use super::Output;
use crate::spec::Spec;

pub fn outputs(_spec: &Spec) -> Vec<Output> {
    Vec::new()
}

pub fn context(_spec: &Spec) -> serde_json::Value {
    serde_json::Value::Null
}

//! RDS000: what the redis parser could not read.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::RedisDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports quoting that Redis cannot read: an unterminated quote, or text right after a closing quote.
    ///
    /// ## Why is this bad?
    /// Redis exits at startup with "Bad directive or wrong number of arguments" or "Unbalanced
    /// quotes", and a container restart-loops.
    ///
    /// ## Example
    /// ```redis,invalid
    /// requirepass "s3cret"extra
    /// ```
    ///
    /// Use instead:
    /// ```redis,valid
    /// requirepass "s3cret extra"
    /// ```
    pub struct SyntaxError {
        id: "RDS000",
        name: "redis-syntax-error",
        kind: Some(FileKind::Redis),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Fix the quoting; `redis-server redis.conf --test-memory 0` reads the file the same way.",
    }
}

impl Rule<RedisDoc> for SyntaxError {
    fn check(&self, doc: &RedisDoc, cx: &mut LintContext<'_>) {
        for error in &doc.parsed.errors {
            doc.report(cx, self, error.span.clone(), error.message.clone());
        }
    }
}

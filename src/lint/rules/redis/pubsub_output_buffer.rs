//! RDS006: the Pub/Sub output buffer limit written out at Redis' default, or lower.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::RedisDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;
use crate::parse::redis::{Config, parse_memory};
use crate::parse::words::Word;
use std::ops::Range;

declare_rule! {
    /// ## What it does
    /// Flags `client-output-buffer-limit pubsub <hard> <soft> <seconds>` when both limits are at
    /// most Redis' default of `32mb 8mb 60`. A limit of `0` disables that limit, so `pubsub 0 0 0`
    /// is not flagged. Units are read as Redis reads them (`k` is 1000 bytes, `kb` 1024, any case),
    /// and when several lines set the `pubsub` class the last one counts.
    ///
    /// ## Why is this bad?
    /// Writing the class out says the instance serves Pub/Sub. When it fans events out to
    /// gateways, each gateway is one subscriber relaying to thousands of SSE clients: a GC pause
    /// or a slow network lets its buffer pass 32 MB (or stay over 8 MB for 60 s), and Redis
    /// drops the connection ("scheduled to be closed ASAP for overcoming of output buffer
    /// limits"). Pub/Sub keeps no history, so every event published until the gateway
    /// resubscribes is lost for all of its clients, with no error on the publishing side.
    ///
    /// ## Example
    /// ```redis,invalid
    /// client-output-buffer-limit pubsub 32mb 8mb 60
    /// ```
    ///
    /// Use instead:
    /// ```redis,valid
    /// client-output-buffer-limit pubsub 256mb 64mb 60
    /// ```
    pub struct PubsubOutputBuffer {
        id: "RDS006",
        name: "pubsub-output-buffer",
        kind: Some(FileKind::Redis),
        severity: Severity::Info,
        category: Category::Streaming,
        fix: "Size the limit for the fan-out (e.g. `client-output-buffer-limit pubsub 256mb 64mb 60`), or use Streams with consumer groups; either way make subscribers resubscribe and resume after a disconnect.",
    }
}

/// Redis' default `pubsub` limits, in bytes (redis.conf: `32mb 8mb 60`).
const DEFAULT_HARD: u64 = 32 * 1_048_576;
const DEFAULT_SOFT: u64 = 8 * 1_048_576;

/// One `<class> <hard> <soft> <seconds>` group of a `client-output-buffer-limit` line.
struct Limit<'a> {
    hard: &'a Word,
    soft: &'a Word,
    span: Range<usize>,
}

impl Rule<RedisDoc> for PubsubOutputBuffer {
    fn check(&self, doc: &RedisDoc, cx: &mut LintContext<'_>) {
        let Some(limit) = effective_pubsub_limit(&doc.parsed) else { return };
        let (Some(hard), Some(soft)) = (parse_memory(&limit.hard.text), parse_memory(&limit.soft.text))
        else {
            return;
        };
        if !(at_most(hard, DEFAULT_HARD) && at_most(soft, DEFAULT_SOFT)) {
            return;
        }
        let level = if hard == DEFAULT_HARD && soft == DEFAULT_SOFT {
            "Redis' default"
        } else {
            "below Redis' default"
        };
        let message = format!(
            "the Pub/Sub output buffer limit ({} hard, {} soft) is {level}: a subscriber relaying to many stream clients that falls behind is disconnected and misses the events published meanwhile",
            limit.hard.text, limit.soft.text
        );
        doc.report(cx, self, limit.span, message);
    }
}

/// Whether a limit in bytes is at most `default`; `0` disables the limit, so it never is.
fn at_most(bytes: u64, default: u64) -> bool {
    bytes != 0 && bytes <= default
}

/// The `pubsub` group that Redis applies last. One line may hold several groups
/// (`normal 0 0 0 pubsub 32mb 8mb 60`, as `CONFIG SET` takes them); the class is case-insensitive.
fn effective_pubsub_limit(config: &Config) -> Option<Limit<'_>> {
    config
        .all("client-output-buffer-limit")
        .flat_map(|d| d.args.chunks_exact(4))
        .filter_map(|group| match group {
            [class, hard, soft, seconds] if class.is("pubsub") => {
                Some(Limit { hard, soft, span: class.span.start..seconds.span.end })
            }
            _ => None,
        })
        .last()
}

//! CMP005: a datastore's port published on every host interface.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::ComposeDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::compose;
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `ports:` entries that publish a datastore or broker port (Redis 6379, PostgreSQL
    /// 5432, MySQL 3306, MongoDB 27017, Kafka 9092, Memcached 11211, RabbitMQ 5672, ZooKeeper
    /// 2181, Elasticsearch 9200) without binding it to `127.0.0.1`.
    ///
    /// ## Why is this bad?
    /// Docker publishes on `0.0.0.0` and bypasses the host firewall, so the store is reachable
    /// from the network. Redis bound to all interfaces without a password is a full compromise.
    /// Services reach each other over the Compose network without any `ports:` entry.
    ///
    /// ## Example
    /// ```compose,invalid
    /// services:
    ///   redis:
    ///     image: redis:7.4-alpine
    ///     ports:
    ///       - "6379:6379"
    /// ```
    ///
    /// Use instead:
    /// ```compose,valid
    /// services:
    ///   redis:
    ///     image: redis:7.4-alpine
    ///     ports:
    ///       - "127.0.0.1:6379:6379"
    /// ```
    pub struct PublishedDatastorePort {
        id: "CMP005",
        name: "published-datastore-port",
        kind: Some(FileKind::Compose),
        severity: Severity::Error,
        category: Category::Security,
        fix: "Drop the `ports:` entry (other services use the Compose network), or bind it to `127.0.0.1:`.",
    }
}

/// Well-known ports of datastores and brokers, with their names.
pub const DATASTORE_PORTS: &[(u16, &str)] = &[
    (6379, "Redis"),
    (5432, "PostgreSQL"),
    (3306, "MySQL"),
    (27017, "MongoDB"),
    (9092, "Kafka"),
    (11211, "Memcached"),
    (5672, "RabbitMQ"),
    (2181, "ZooKeeper"),
    (9200, "Elasticsearch"),
];

impl Rule<ComposeDoc> for PublishedDatastorePort {
    fn check(&self, doc: &ComposeDoc, cx: &mut LintContext<'_>) {
        for document in &doc.parsed.documents {
            for service in compose::services(document) {
                for port in service.ports() {
                    let Some(number) = port.target_number() else { continue };
                    let Some((_, store)) = DATASTORE_PORTS.iter().find(|(p, _)| *p == number) else {
                        continue;
                    };
                    if port.is_public() {
                        let message = format!(
                            "{store} port {number} of `{}` is published on all host interfaces",
                            service.name()
                        );
                        doc.report(cx, self, port.span.clone(), message);
                    }
                }
            }
        }
    }
}

//! CMP003: a password or token written literally in `environment`.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::kinds::ComposeDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::compose;
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `environment` entries whose name says they hold a secret (`PASSWORD`, `SECRET`,
    /// `TOKEN`, `API_KEY`, `PRIVATE_KEY`, `ACCESS_KEY`) and whose value is a literal rather than
    /// a `${VARIABLE}` or a `*_FILE` path.
    ///
    /// ## Why is this bad?
    /// The credential is committed with the file and visible to anyone who can read the repo or
    /// inspect the container.
    ///
    /// ## Example
    /// ```compose,invalid
    /// services:
    ///   grafana:
    ///     image: grafana/grafana:11.2.0
    ///     environment:
    ///       - GF_SECURITY_ADMIN_PASSWORD=admin123
    /// ```
    ///
    /// Use instead:
    /// ```compose,valid
    /// services:
    ///   grafana:
    ///     image: grafana/grafana:11.2.0
    ///     environment:
    ///       - GF_SECURITY_ADMIN_PASSWORD=${GRAFANA_ADMIN_PASSWORD}
    /// ```
    pub struct HardcodedSecret {
        id: "CMP003",
        name: "hardcoded-secret",
        kind: Some(FileKind::Compose),
        severity: Severity::Warning,
        category: Category::Security,
        fix: "Pass it as `${VARIABLE}` from an untracked `.env`, or use Compose `secrets` with a `*_FILE` variable.",
    }
}

const SECRET_WORDS: &[&str] =
    &["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "ACCESS_KEY"];

/// Whether an environment variable's name says it carries a secret value itself.
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| upper.contains(w)) && !upper.ends_with("_FILE") && !upper.ends_with("_PATH")
}

impl Rule<ComposeDoc> for HardcodedSecret {
    fn check(&self, doc: &ComposeDoc, cx: &mut LintContext<'_>) {
        for document in &doc.parsed.documents {
            for service in compose::services(document) {
                for var in service.environment() {
                    let Some(value) = var.value.as_deref() else { continue };
                    if !is_secret_name(&var.key) || value.is_empty() || value.contains('$') {
                        continue;
                    }
                    let message =
                        format!("`{}` is set to a literal secret in service `{}`", var.key, service.name());
                    doc.report(cx, self, var.value_span.clone(), message);
                }
            }
        }
    }
}

//! NGX036: includes that include themselves again.

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags an `include` that leads back to a file already being included (a cycle), or a
    /// chain of includes more than 64 files deep.
    ///
    /// ## Why is this bad?
    /// nginx follows includes without a cycle check and fails when it runs out of open files
    /// or memory; the linter reports the cycle and stops following it.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// include example.conf;
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// include conf.d/*.conf;
    /// ```
    pub struct IncludeCycle {
        id: "NGX036",
        name: "include-cycle",
        kind: Some(FileKind::Nginx),
        severity: Severity::Error,
        category: Category::Correctness,
        fix: "Remove the include that closes the loop.",
    }
}

impl Rule<NginxDoc> for IncludeCycle {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        let tree = &doc.config.tree;
        for c in &doc.config.cycles {
            let Some(file) = tree.files.get(c.file as usize) else { continue };
            let chain: Vec<&str> = c
                .chain
                .iter()
                .filter_map(|f| tree.files.get(*f as usize))
                .map(|f| f.source.name.as_str())
                .collect();
            cx.report(self, &file.source, c.span.clone(), format!("include cycle: {}", chain.join(" → ")));
        }
    }
}

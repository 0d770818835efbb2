//! NGX030: Origin/Referer checks with regexes that match more than meant (gixy `origins`).

use crate::declare_rule;
use crate::diagnostics::Severity;
use crate::lint::nginx::NginxDoc;
use crate::lint::{Category, LintContext, Rule};
use crate::parse::kind::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags `if ($http_origin ~ ...)` and `if ($http_referer ~ ...)` whose regex is not
    /// anchored at both ends, or has an unescaped `.` before a domain label.
    ///
    /// ## Why is this bad?
    /// `~ example.com` also matches `https://example.com.evil.net` and `https://exampleXcom.io`,
    /// so the CORS or anti-hotlinking check admits attacker origins.
    ///
    /// ## Example
    /// ```nginx,invalid
    /// location /events {
    ///     if ($http_origin ~* "https://app.example.com") {
    ///         set $cors "true";
    ///     }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```nginx,valid
    /// location /events {
    ///     if ($http_origin ~* "^https://app\.example\.com$") {
    ///         set $cors "true";
    ///     }
    /// }
    /// ```
    pub struct OriginRegexUnanchored {
        id: "NGX030",
        name: "origin-regex-unanchored",
        kind: Some(FileKind::Nginx),
        severity: Severity::Warning,
        category: Category::Security,
        fix: "Anchor the regex (`^https://app\\.example\\.com$`) and escape every dot, or use a `map` with exact origins.",
    }
}

fn weakness(regex: &str) -> Option<&'static str> {
    if !regex.starts_with('^') || !regex.ends_with('$') {
        return Some("is not anchored with `^...$`");
    }
    let bytes = regex.as_bytes();
    let unescaped_dot = bytes.iter().enumerate().any(|(i, &b)| {
        b == b'.'
            && (i == 0 || bytes.get(i - 1) != Some(&b'\\'))
            && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
    });
    unescaped_dot.then_some("has an unescaped `.` that matches any character")
}

impl Rule<NginxDoc> for OriginRegexUnanchored {
    fn check(&self, doc: &NginxDoc, cx: &mut LintContext<'_>) {
        for (cond, _) in doc.config.occurrences("if") {
            let args: Vec<String> = cond.args().map(|a| a.into_owned()).collect();
            let [var, op, regex, ..] = args.as_slice() else { continue };
            let var = var.trim_start_matches('(');
            if !matches!(var, "$http_origin" | "$http_referer") || !op.starts_with('~') {
                continue;
            }
            let regex = regex.trim_end_matches(')');
            if let Some(why) = weakness(regex) {
                let span = cond.arg_span(2).unwrap_or_else(|| cond.span());
                doc.report(cx, self, cond, span, format!("the `{var}` regex `{regex}` {why}"));
            }
        }
    }
}

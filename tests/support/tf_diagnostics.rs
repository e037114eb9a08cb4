//! Terraform's human-readable diagnostics (`-no-color`), parsed back into records, so a test can check which
//! configuration line an error points at:
//!
//! ```text
//! Error: Refresh token validity of 0
//!
//!   with cognito_user_pool_client.app,
//!   on main.tf line 10, in resource "cognito_user_pool_client" "app":
//!   10:   refresh_token_validity = 0
//!
//! Cognito does not keep 0: ...
//! ```

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One diagnostic as Terraform printed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TfDiagnostic {
    pub severity: Severity,
    pub summary: String,
    /// The resource address of `with ADDRESS,`, e.g. `cognito_user_pool_client.app`.
    pub address: Option<String>,
    /// The file and 1-based line of `on FILE line N, ...`.
    pub file: Option<String>,
    pub line: Option<usize>,
    /// The quoted source line, without its line-number prefix and without surrounding whitespace.
    pub source: Option<String>,
    /// The detail paragraphs, joined with spaces (Terraform wraps them at its terminal width).
    pub detail: String,
}

/// Every diagnostic in `output` (stdout and stderr may be concatenated), in order.
pub fn parse(output: &str) -> Vec<TfDiagnostic> {
    let mut diagnostics: Vec<TfDiagnostic> = Vec::new();
    for line in output.lines() {
        let heading = line
            .strip_prefix("Error: ")
            .map(|summary| (Severity::Error, summary))
            .or_else(|| {
                line.strip_prefix("Warning: ")
                    .map(|summary| (Severity::Warning, summary))
            });
        if let Some((severity, summary)) = heading {
            diagnostics.push(TfDiagnostic {
                severity,
                summary: summary.trim().to_owned(),
                address: None,
                file: None,
                line: None,
                source: None,
                detail: String::new(),
            });
            continue;
        }
        let Some(current) = diagnostics.last_mut() else {
            continue;
        };
        let trimmed = line.trim();
        if let Some(address) = trimmed.strip_prefix("with ").and_then(|rest| rest.strip_suffix(',')) {
            current.address = Some(address.to_owned());
        } else if let Some(rest) = trimmed.strip_prefix("on ")
            && let Some((file, rest)) = rest.split_once(" line ")
            && current.line.is_none()
        {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            current.file = Some(file.to_owned());
            current.line = digits.parse().ok();
        } else if let Some(number) = current.line
            && current.source.is_none()
            && let Some(source) = trimmed.strip_prefix(&format!("{number}:"))
        {
            current.source = Some(source.trim().to_owned());
        } else if !trimmed.is_empty() && !trimmed.starts_with('(') {
            if !current.detail.is_empty() {
                current.detail.push(' ');
            }
            current.detail.push_str(trimmed);
        }
    }
    diagnostics
}

/// What Terraform says on every run with dev_overrides, which is how the tests use the provider.
pub const DEV_OVERRIDES_WARNING: &str = "Provider development overrides are in effect";

/// Every diagnostic of `output` (stdout and stderr may be concatenated) except the dev_overrides warning: what a
/// user of the provider would be shown.
pub fn shown_to_the_user(output: &str) -> Vec<TfDiagnostic> {
    parse(output)
        .into_iter()
        .filter(|diagnostic| !(diagnostic.severity == Severity::Warning && diagnostic.summary == DEV_OVERRIDES_WARNING))
        .collect()
}

/// The 1-based number of the only line of `text` containing `needle`; panics if there is not exactly one.
pub fn line_of(text: &str, needle: &str) -> usize {
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.contains(needle))
        .map(|(index, _)| index + 1)
        .collect();
    assert_eq!(lines.len(), 1, "{needle:?} must be on exactly one line of:\n{text}");
    lines[0]
}

//! Plan-time validation of a `cognito_user_pool_client` configuration.
//!
//! Cognito enforces most of its rules only on the server, so without these checks an invalid client fails half-way
//! through an apply. Here every documented rule (docs/dev/cognito-app-clients.md#members and
//! docs/dev/cognito-app-clients.md#cross-field-rules) becomes an error diagnostic on the offending attribute, saying
//! what is allowed; legal but surprising configurations get warnings.
//!
//! The rules are pure functions of the configuration value: they never call AWS. A configuration may hold unknown
//! values (known only after an upstream resource is applied): a rule that needs one is skipped, and Terraform
//! validates again once it is known. A null (left-out) argument is judged as Cognito's default, the same default
//! the plan shows, so a rule sees the configuration that will exist.

mod analytics;
mod durations;
mod oauth;
mod sign_in;
mod strings;
mod urls;
mod view;
mod warnings;

#[cfg(test)]
mod tests;

use crate::tf::diagnostics::Diagnostics;
use crate::tf::value::Value;

pub use strings::AUTH_FLOWS;
pub use urls::{UrlProblem, check_url};

/// Every rule's diagnostics for one resource configuration; empty when it is valid.
pub fn validate(config: &Value) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    if !matches!(config, Value::Object(_)) {
        // Wholly unknown (or null): nothing to judge yet.
        return diagnostics;
    }
    strings::check(config, &mut diagnostics);
    durations::check(config, &mut diagnostics);
    urls::check(config, &mut diagnostics);
    oauth::check(config, &mut diagnostics);
    sign_in::check(config, &mut diagnostics);
    analytics::check(config, &mut diagnostics);
    warnings::check(config, &mut diagnostics);
    diagnostics
}

//! How users sign in: explicit auth flows (legacy values, the refresh-token requirement, rotation) and the
//! user-context data that needs a client secret.

use super::view::{Known, at, boolean, effective_auth_flows, field, has_secret, in_block, rotation_enabled, strings};
use crate::cognito::user_pool_client::model::defaults;
use crate::cognito::user_pool_client::schema::attr;
use crate::tf::diagnostics::{Diagnostic, Diagnostics};
use crate::tf::value::Value;

/// The pre-2019 flow names, which Cognito refuses to mix with `ALLOW_*` values.
pub const LEGACY_AUTH_FLOWS: [&str; 3] = ["ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"];
const REFRESH_TOKEN_AUTH: &str = "ALLOW_REFRESH_TOKEN_AUTH";

pub fn check(config: &Value, diagnostics: &mut Diagnostics) {
    check_empty_auth_flows(config, diagnostics);
    check_auth_flows(config, diagnostics);
    check_context_data(config, diagnostics);
}

/// `explicit_auth_flows = []` reads as "no flows" but Cognito applies its default flows, and reports them, so
/// the client could never match the configuration.
fn check_empty_auth_flows(config: &Value, diagnostics: &mut Diagnostics) {
    if let Known::Value(flows) = strings(field(config, attr::EXPLICIT_AUTH_FLOWS))
        && flows.is_empty()
    {
        diagnostics.push(
            Diagnostic::error(
                "Empty explicit_auth_flows",
                format!(
                    "Cognito treats an empty list as \"not set\" and enables its default flows ({}). Leave \
                     explicit_auth_flows out for those defaults, or list the flows the client may use.",
                    defaults::EXPLICIT_AUTH_FLOWS.join(", ")
                ),
            )
            .at(at(attr::EXPLICIT_AUTH_FLOWS)),
        );
    }
}

fn check_auth_flows(config: &Value, diagnostics: &mut Diagnostics) {
    let Some(flows) = effective_auth_flows(config) else {
        return;
    };
    let legacy: Vec<&str> = flows
        .iter()
        .copied()
        .filter(|f| LEGACY_AUTH_FLOWS.contains(f))
        .collect();
    let current: Vec<&str> = flows.iter().copied().filter(|f| f.starts_with("ALLOW_")).collect();
    if !legacy.is_empty() && !current.is_empty() {
        diagnostics.push(
            Diagnostic::error(
                "Legacy and ALLOW_ auth flows mixed",
                format!(
                    "{} cannot be combined with ALLOW_* values ({}). Use only ALLOW_* values: for example \
                     USER_PASSWORD_AUTH becomes ALLOW_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH becomes \
                     ALLOW_ADMIN_USER_PASSWORD_AUTH, and add ALLOW_REFRESH_TOKEN_AUTH.",
                    legacy.join(", "),
                    current.join(", ")
                ),
            )
            .at(at(attr::EXPLICIT_AUTH_FLOWS)),
        );
    }
    let has_refresh = flows.contains(REFRESH_TOKEN_AUTH);
    match rotation_enabled(config) {
        Some(false) if !current.is_empty() && !has_refresh => diagnostics.push(
            Diagnostic::error(
                "ALLOW_REFRESH_TOKEN_AUTH is required",
                "With ALLOW_* auth flows and refresh-token rotation disabled, Cognito requires \
                 ALLOW_REFRESH_TOKEN_AUTH (\"REFRESH_TOKEN_AUTH should always be allowed\"). Add it to \
                 explicit_auth_flows, or enable refresh_token_rotation.",
            )
            .at(at(attr::EXPLICIT_AUTH_FLOWS)),
        ),
        Some(true) if has_refresh => {
            // A left-out explicit_auth_flows has no line of its own: point at the rotation switch then.
            let path = match field(config, attr::EXPLICIT_AUTH_FLOWS) {
                Value::Null => in_block(attr::REFRESH_TOKEN_ROTATION, attr::FEATURE),
                _ => at(attr::EXPLICIT_AUTH_FLOWS),
            };
            diagnostics.push(
                Diagnostic::warning(
                    "ALLOW_REFRESH_TOKEN_AUTH with refresh-token rotation",
                    "With rotation enabled, refresh tokens are redeemed only through GetTokensFromRefreshToken; \
                     the REFRESH_TOKEN_AUTH flow is refused. Drop ALLOW_REFRESH_TOKEN_AUTH from \
                     explicit_auth_flows (when explicit_auth_flows is left out, Cognito's defaults include it).",
                )
                .at(path),
            );
        }
        _ => {}
    }
}

fn check_context_data(config: &Value, diagnostics: &mut Diagnostics) {
    let propagate = boolean(field(config, attr::ENABLE_PROPAGATE_ADDITIONAL_USER_CONTEXT_DATA));
    if propagate == Known::Value(true) && has_secret(config) == Some(false) {
        diagnostics.push(
            Diagnostic::error(
                "User context data needs a client secret",
                "enable_propagate_additional_user_context_data = true is only allowed for a client with a \
                 secret: set generate_secret = true, or leave this setting out.",
            )
            .at(at(attr::ENABLE_PROPAGATE_ADDITIONAL_USER_CONTEXT_DATA)),
        );
    }
}

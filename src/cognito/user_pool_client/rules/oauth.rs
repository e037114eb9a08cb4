//! OAuth 2.0 settings: flow and scope limits, the client-credentials grant's conditions, callbacks for the
//! browser grants, and the switch that OAuth settings depend on.

use std::collections::BTreeSet;

use super::view::{Known, at, boolean, field, has_elements, has_secret, known_elements, planned};
use crate::cognito::user_pool_client::schema::attr;
use crate::tf::diagnostics::{Diagnostic, Diagnostics};
use crate::tf::value::Value;

pub const MAX_FLOWS: usize = 3;
pub const MAX_SCOPES: usize = 50;
const MAX_SCOPE_CHARACTERS: usize = 256;
/// Scopes that belong to users (OpenID Connect and the user-pool admin scope); a machine token has no user.
pub const USER_SCOPES: [&str; 5] = ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"];
const CLIENT_CREDENTIALS: &str = "client_credentials";

/// The OAuth settings that need `allowed_oauth_flows_user_pool_client = true`, in the order they are reported.
const OAUTH_SETTINGS: [&str; 4] = [
    attr::ALLOWED_OAUTH_FLOWS,
    attr::ALLOWED_OAUTH_SCOPES,
    attr::CALLBACK_URLS,
    attr::LOGOUT_URLS,
];

pub fn check(config: &Value, diagnostics: &mut Diagnostics) {
    check_limits(config, diagnostics);
    check_scope_characters(config, diagnostics);
    check_client_credentials(config, diagnostics);
    check_callbacks_for_browser_flows(config, diagnostics);
    check_oauth_switch(config, diagnostics);
}

fn check_limits(config: &Value, diagnostics: &mut Diagnostics) {
    for (name, max) in [
        (attr::ALLOWED_OAUTH_FLOWS, MAX_FLOWS),
        (attr::ALLOWED_OAUTH_SCOPES, MAX_SCOPES),
    ] {
        let distinct: BTreeSet<&str> = known_elements(field(config, name)).into_iter().collect();
        if distinct.len() > max {
            diagnostics.push(
                Diagnostic::error(
                    format!("Too many {name}"),
                    format!(
                        "{} values are configured; a client allows at most {max}.",
                        distinct.len()
                    ),
                )
                .at(at(name)),
            );
        }
    }
}

/// Scopes are 1 to 256 printable ASCII characters other than space, `"` and `\`.
fn check_scope_characters(config: &Value, diagnostics: &mut Diagnostics) {
    for scope in known_elements(field(config, attr::ALLOWED_OAUTH_SCOPES)) {
        let valid = (1..=MAX_SCOPE_CHARACTERS).contains(&scope.len())
            && scope
                .bytes()
                .all(|b| (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\\');
        if !valid {
            diagnostics.push(
                Diagnostic::error(
                    "Invalid OAuth scope",
                    format!(
                        "{scope:?} is not a scope: a scope is 1 to {MAX_SCOPE_CHARACTERS} printable ASCII \
                         characters other than space, '\"' and '\\', such as openid or \
                         <resource-server-id>/<scope>."
                    ),
                )
                .at(at(attr::ALLOWED_OAUTH_SCOPES)),
            );
        }
    }
}

fn check_client_credentials(config: &Value, diagnostics: &mut Diagnostics) {
    let flows = known_elements(field(config, attr::ALLOWED_OAUTH_FLOWS));
    if !flows.contains(&CLIENT_CREDENTIALS) {
        return;
    }
    let others: BTreeSet<&str> = flows
        .iter()
        .copied()
        .filter(|flow| *flow != CLIENT_CREDENTIALS)
        .collect();
    if !others.is_empty() {
        diagnostics.push(
            Diagnostic::error(
                "client_credentials must be the only OAuth flow",
                format!(
                    "allowed_oauth_flows has client_credentials together with {}. Machine-to-machine clients \
                     use client_credentials alone; use a separate client for code or implicit.",
                    others.into_iter().collect::<Vec<_>>().join(", ")
                ),
            )
            .at(at(attr::ALLOWED_OAUTH_FLOWS)),
        );
    }
    if has_secret(config) == Some(false) {
        diagnostics.push(
            Diagnostic::error(
                "client_credentials needs a client secret",
                "The client_credentials flow authenticates the client with its secret: set generate_secret = true.",
            )
            .at(at(attr::ALLOWED_OAUTH_FLOWS)),
        );
    }
    let user_scopes: Vec<&str> = known_elements(field(config, attr::ALLOWED_OAUTH_SCOPES))
        .into_iter()
        .filter(|scope| USER_SCOPES.contains(scope))
        .collect();
    if !user_scopes.is_empty() {
        diagnostics.push(
            Diagnostic::error(
                "User scopes with client_credentials",
                format!(
                    "{} cannot be used with the client_credentials flow, whose tokens have no user. Only custom \
                     scopes of a resource server (<resource-server-id>/<scope>) are allowed.",
                    user_scopes.join(", ")
                ),
            )
            .at(at(attr::ALLOWED_OAUTH_SCOPES)),
        );
    }
}

fn check_callbacks_for_browser_flows(config: &Value, diagnostics: &mut Diagnostics) {
    let browser_flows: Vec<&str> = known_elements(field(config, attr::ALLOWED_OAUTH_FLOWS))
        .into_iter()
        .filter(|flow| matches!(*flow, "code" | "implicit"))
        .collect();
    if browser_flows.is_empty() {
        return;
    }
    if has_elements(planned(config, attr::CALLBACK_URLS)) == Known::Value(false) {
        diagnostics.push(
            Diagnostic::error(
                "OAuth flow without a callback URL",
                format!(
                    "The {} flow redirects to a callback URL after sign-in: give at least one in callback_urls.",
                    browser_flows.join(" and ")
                ),
            )
            .at(at(attr::ALLOWED_OAUTH_FLOWS)),
        );
    }
}

fn check_oauth_switch(config: &Value, diagnostics: &mut Diagnostics) {
    if boolean(planned(config, attr::ALLOWED_OAUTH_FLOWS_USER_POOL_CLIENT)) != Known::Value(false) {
        return;
    }
    let configured: Vec<&str> = OAUTH_SETTINGS
        .into_iter()
        .filter(|name| has_elements(field(config, name)) == Known::Value(true))
        .collect();
    let Some(first) = configured.first() else {
        return;
    };
    // Point at the switch when it is written as false; otherwise at the first setting that needs it.
    let path = if boolean(field(config, attr::ALLOWED_OAUTH_FLOWS_USER_POOL_CLIENT)) == Known::Value(false) {
        at(attr::ALLOWED_OAUTH_FLOWS_USER_POOL_CLIENT)
    } else {
        at(first)
    };
    diagnostics.push(
        Diagnostic::error(
            "OAuth settings need allowed_oauth_flows_user_pool_client = true",
            format!(
                "{} only take effect when the client may use OAuth: set allowed_oauth_flows_user_pool_client = \
                 true, or leave these settings out.",
                configured.join(", ")
            ),
        )
        .at(path),
    );
}

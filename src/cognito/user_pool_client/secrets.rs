//! The app client's secret, as the client resource sees it now that Cognito keeps up to two secrets per client
//! (`cognito_user_pool_client_secret`):
//!
//! - Confidentiality comes from ListUserPoolClientSecrets, not from whether DescribeUserPoolClient reports a
//!   `ClientSecret`: after a rotation Describe may report none (Cognito does not document it), and taking that for
//!   "public" would plan the replacement of a confidential client. Describe reporting a secret settles it without a
//!   further call; so does a prior state that says "public" (a public client never gains a secret).
//! - A custom initial secret (`client_secret_wo`) is sent with CreateUserPoolClient and never kept: a marker in the
//!   resource's private state (never the value) keeps `client_secret` null on every later read, whatever Describe
//!   reports.
//! - `initial_secret_id`: the ID of the secret the client was created with, listed right after the create, so the
//!   first managed secret can retire it (`retire_secret_id`).

use super::model::{InitialSecret, RemoteClient};
use super::schema::attr;
use super::state::get;
use crate::cognito::api::{Cognito, Operation};
use crate::cognito::unless_stopped;
use crate::cognito::user_pool_client_secret::model::{SecretValue, check_custom_secret};
use crate::tf::diagnostics::{AttributePath, Diagnostic, Diagnostics};
use crate::tf::resource::Context;
use crate::tf::value::Value;

/// The private-state marker of a client created with a custom secret. It holds no part of the secret.
const CUSTOM_SECRET_MARKER: &[u8] = b"{\"custom_initial_secret\":true}";

/// Whether the private state marks a client created with a custom secret.
pub fn has_custom_secret(private: &[u8]) -> bool {
    private == CUSTOM_SECRET_MARKER
}

/// The private state a plan passes on: the marker for a client about to be created with a custom secret.
pub fn planned_private(prior: &Value, config: &Value, prior_private: Vec<u8>) -> Vec<u8> {
    if prior.is_null() && custom_secret_configured(config) {
        CUSTOM_SECRET_MARKER.to_vec()
    } else {
        prior_private
    }
}

/// Whether the configuration gives a custom secret (unknown counts: an ephemeral value not yet opened).
fn custom_secret_configured(config: &Value) -> bool {
    !get(config, attr::CLIENT_SECRET_WO).is_null()
}

/// The configuration the plan is made from: without the write-only value (it is never planned or compared), and
/// with `generate_secret = true` where a custom secret makes the client confidential and `generate_secret` is
/// left out.
pub fn config_for_plan(config: &Value) -> Value {
    let mut planned_config = config.clone();
    if let Value::Object(attributes) = &mut planned_config {
        if custom_secret_configured(config) && get(config, attr::GENERATE_SECRET).is_null() {
            attributes.insert(attr::GENERATE_SECRET.to_string(), Value::Bool(true));
        }
        attributes.insert(attr::CLIENT_SECRET_WO.to_string(), Value::Null);
    }
    planned_config
}

/// The plan with a custom secret's client planned without a value in `client_secret`.
pub fn adjust_plan(mut planned: Value, custom: bool) -> Value {
    if custom && let Value::Object(attributes) = &mut planned {
        attributes.insert(attr::CLIENT_SECRET.to_string(), Value::Null);
    }
    planned
}

/// Plan-time checks of `client_secret_wo`; never quotes the value.
pub fn validate(config: &Value) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    let custom = get(config, attr::CLIENT_SECRET_WO);
    if custom.is_null() {
        return diagnostics;
    }
    let at = AttributePath::attribute(attr::CLIENT_SECRET_WO);
    if get(config, attr::GENERATE_SECRET).as_bool() == Some(false) {
        diagnostics.push(
            Diagnostic::error(
                "A custom secret needs a confidential client",
                "client_secret_wo gives the client a secret, so generate_secret cannot be false: leave it out or \
                 set it to true.",
            )
            .at(at.clone()),
        );
    }
    if let Some(value) = custom.as_str()
        && let Err(problem) = check_custom_secret(value)
    {
        diagnostics.push(
            Diagnostic::error(
                "Invalid custom client secret",
                format!("Cognito would refuse this client_secret_wo: {problem}."),
            )
            .at(at),
        );
    }
    diagnostics
}

/// The secret CreateUserPoolClient gives the client planned as `planned`, configured as `config`.
pub fn initial_secret(planned: &Value, config: &Value) -> InitialSecret {
    match get(config, attr::CLIENT_SECRET_WO).as_str() {
        Some(custom) => InitialSecret::Custom(SecretValue::new(custom)),
        None => get(planned, attr::GENERATE_SECRET).as_bool().unwrap_or(false).into(),
    }
}

/// Whether the client is confidential. `prior_confidential` is what the state said (None for an import or a data
/// source): a client Describe reports a secret for is; a client known public stays public; otherwise
/// ListUserPoolClientSecrets decides.
pub async fn is_confidential(
    ctx: &Context,
    api: &Cognito,
    remote: &RemoteClient,
    prior_confidential: Option<bool>,
) -> Result<bool, Diagnostics> {
    if remote.client_secret.is_some() {
        return Ok(true);
    }
    if prior_confidential == Some(false) {
        return Ok(false);
    }
    let listed = unless_stopped(
        ctx,
        Operation::LIST_CLIENT_SECRETS,
        api.secrets().list(&remote.user_pool_id, &remote.client_id),
    )
    .await?;
    Ok(listed.is_some_and(|list| list.is_confidential()))
}

/// The ID of a new client's only secret (the one it was created with), or null with a warning when it cannot be
/// listed: the client exists and must stay in state either way.
pub async fn initial_secret_id(ctx: &Context, api: &Cognito, remote: &RemoteClient) -> (Value, Diagnostics) {
    let listed = unless_stopped(
        ctx,
        Operation::LIST_CLIENT_SECRETS,
        api.secrets().list(&remote.user_pool_id, &remote.client_id),
    )
    .await;
    match listed {
        Ok(Some(list)) if list.secrets().len() == 1 => {
            (Value::string(list.secrets()[0].secret_id.clone()), Diagnostics::new())
        }
        Ok(_) => (Value::Null, Diagnostics::new()),
        Err(cause) => {
            let causes: Vec<String> = cause.iter().map(|d| format!("{}: {}", d.summary, d.detail)).collect();
            let warning = Diagnostic::warning(
                "Initial secret ID unknown",
                format!(
                    "The app client {} was created, but its secrets could not be listed ({}), so \
                     initial_secret_id is null.",
                    remote.client_id,
                    causes.join("; ")
                ),
            );
            (Value::Null, warning.into())
        }
    }
}

/// The state with the client's confidentiality as decided, and no secret value for a custom secret.
pub fn finish_state(mut state: Value, confidential: bool, custom: bool) -> Value {
    if let Value::Object(attributes) = &mut state {
        attributes.insert(attr::GENERATE_SECRET.to_string(), Value::Bool(confidential));
        if custom || !confidential {
            attributes.insert(attr::CLIENT_SECRET.to_string(), Value::Null);
        }
    }
    state
}

/// Sets one attribute of an object value.
pub fn with_attribute(mut state: Value, name: &str, value: Value) -> Value {
    if let Value::Object(attributes) = &mut state {
        attributes.insert(name.to_string(), value);
    }
    state
}

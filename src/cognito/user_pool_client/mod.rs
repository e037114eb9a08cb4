//! The `cognito_user_pool_client` resource: schema, plan, apply, read and import of one app client.
//!
//! - Plan ([`plan`]): configuration plus Cognito's defaults, so what the plan shows is what will exist.
//! - Apply: one CreateUserPoolClient, or one full UpdateUserPoolClient (never a partial one: Cognito resets
//!   whatever a request leaves out), or no request at all when nothing changed.
//! - Read ([`state`]): DescribeUserPoolClient, keeping the configuration's form where Cognito's answer means the
//!   same, so normalised defaults never show as a diff.

pub mod data_sources;
pub mod ephemeral_secret;
#[cfg(test)]
mod handler_tests;
pub mod migrate;
pub mod model;
pub mod plan;
pub mod rules;
pub mod schema;
pub mod secrets;
pub mod state;

use std::sync::Arc;

use async_trait::async_trait;

use super::api::{Cognito, Operation};
use super::{ApiSource, api_diagnostics, internal_error, required_string, unless_stopped};
use crate::tf::diagnostics::{AttributePath, Diagnostic, Diagnostics};
use crate::tf::resource::{
    ApplyRequest, Context, ImportedObject, MoveRequest, PlanRequest, PlanResponse, ReadRequest, Resource, StateResponse,
};
use crate::tf::schema::Schema;
use crate::tf::value::Value;
use model::InitialSecret;
use schema::attr;
use state::get;

pub struct UserPoolClientResource {
    apis: Arc<dyn ApiSource>,
}

impl UserPoolClientResource {
    pub fn new(apis: Arc<dyn ApiSource>) -> UserPoolClientResource {
        UserPoolClientResource { apis }
    }

    async fn api(&self) -> Result<Arc<Cognito>, Diagnostics> {
        self.apis.api().await
    }

    /// Creates or updates the client: the new state, and a warning when a created client was adopted. An error
    /// means nothing changed remotely.
    async fn apply_change(&self, ctx: &Context, request: &ApplyRequest) -> Result<(Value, Diagnostics), Diagnostics> {
        let settings = state::settings_from_value(&request.planned)
            .map_err(|problem| internal_error(format!("the planned value is incomplete: {problem}")))?;
        let api = self.api().await?;
        let user_pool_id = required_string(&request.planned, attr::USER_POOL_ID)?;

        if request.prior.is_null() {
            let secret = secrets::initial_secret(&request.planned, &request.config);
            let (confidential, custom) = (secret.is_confidential(), matches!(secret, InitialSecret::Custom(_)));
            // Create is not idempotent: it is not raced against StopProvider, so a client that Cognito created is
            // never lost from state.
            let created = api
                .clients()
                .create(&user_pool_id, &settings, secret)
                .await
                .map_err(|error| api_diagnostics(&error))?;
            tracing::info!(user_pool_id, client_id = %created.client.client_id, "created app client");
            let mut diagnostics: Diagnostics = created
                .adopted
                .map(|note| Diagnostic::warning("App client adopted after a lost answer", note).into())
                .unwrap_or_default();
            let created = created.client;
            let new_state = secrets::finish_state(
                state::state_from_remote(&created, &request.planned),
                confidential,
                custom,
            );
            let initial_secret_id = if confidential {
                let (id, warnings) = secrets::initial_secret_id(ctx, &api, &created).await;
                diagnostics.extend(warnings);
                id
            } else {
                Value::Null
            };
            let new_state = secrets::with_attribute(new_state, attr::INITIAL_SECRET_ID, initial_secret_id);
            return Ok((new_state, diagnostics));
        }

        let Value::Object(planned_attributes) = &request.planned else {
            return Err(internal_error("the planned value is not an object"));
        };
        if !plan::configuration_differs(planned_attributes, &request.prior) {
            // Nothing to send: every write counts against Cognito's 5-per-second quota.
            return Ok((request.prior.clone(), Diagnostics::new()));
        }
        let client_id = required_string(&request.prior, attr::ID)?;
        let remote = if state::settings_from_value(&request.prior).is_ok_and(|prior| prior == settings) {
            // Only a provider-side option changed (client_secret_in_state): Cognito has nothing to change, so
            // read the client back instead of spending a write on it.
            unless_stopped(
                ctx,
                Operation::DESCRIBE_CLIENT,
                api.clients().describe(&user_pool_id, &client_id),
            )
            .await?
            .ok_or_else(|| {
                Diagnostics::from(Diagnostic::error(
                    "App client no longer exists",
                    format!("The app client {client_id} of user pool {user_pool_id} was deleted outside Terraform."),
                ))
            })?
        } else {
            let updated = unless_stopped(
                ctx,
                Operation::UPDATE_CLIENT,
                api.clients().update(&user_pool_id, &client_id, &settings),
            )
            .await?;
            tracing::info!(user_pool_id, client_id, "updated app client");
            updated
        };
        // Confidentiality never changes in place, and a secret the plan knew is what the new state must hold
        // (Cognito's answer may leave it out after a rotation).
        let confidential = get(&request.planned, attr::GENERATE_SECRET).as_bool().unwrap_or(false);
        let custom = secrets::has_custom_secret(&request.planned_private);
        let mut new_state = secrets::finish_state(
            state::state_from_remote(&remote, &request.planned),
            confidential,
            custom,
        );
        let planned_secret = get(&request.planned, attr::CLIENT_SECRET);
        if !planned_secret.is_unknown() {
            new_state = secrets::with_attribute(new_state, attr::CLIENT_SECRET, planned_secret.clone());
        }
        Ok((new_state, Diagnostics::new()))
    }

    /// Reads the client back: its state, or null with a warning when it was deleted outside Terraform.
    async fn refresh(&self, ctx: &Context, state: &Value, private: &[u8]) -> Result<(Value, Diagnostics), Diagnostics> {
        let (user_pool_id, client_id) = client_address(state)?;
        let api = self.api().await?;
        match unless_stopped(
            ctx,
            Operation::DESCRIBE_CLIENT,
            api.clients().describe(&user_pool_id, &client_id),
        )
        .await?
        {
            Some(remote) => {
                let prior_confidential = get(state, attr::GENERATE_SECRET).as_bool();
                let confidential = secrets::is_confidential(ctx, &api, &remote, prior_confidential).await?;
                let new_state = secrets::finish_state(
                    state::state_from_remote(&remote, state),
                    confidential,
                    secrets::has_custom_secret(private),
                );
                Ok((new_state, Diagnostics::new()))
            }
            None => {
                let gone = Diagnostic::warning(
                    "App client no longer exists",
                    format!(
                        "The app client {client_id} of user pool {user_pool_id} was deleted outside Terraform; \
                         it is removed from the state and the plan will create it again."
                    ),
                );
                Ok((Value::Null, gone.into()))
            }
        }
    }
}

/// The user pool and client ID a state names.
fn client_address(state: &Value) -> Result<(String, String), Diagnostics> {
    Ok((
        required_string(state, attr::USER_POOL_ID)?,
        required_string(state, attr::ID)?,
    ))
}

/// Parses `POOL_ID/CLIENT_ID`.
pub fn parse_import_id(id: &str) -> Result<(String, String), Diagnostics> {
    match id.split('/').collect::<Vec<_>>().as_slice() {
        [pool, client] if !pool.is_empty() && !client.is_empty() && pool.contains('_') => {
            Ok((pool.to_string(), client.to_string()))
        }
        _ => Err(Diagnostic::error(
            "Invalid import ID",
            format!(
                "{id:?} is not a valid import ID. Use USER_POOL_ID/CLIENT_ID, for example \
                 us-east-1_AbCdEfGhI/1example23456789abcdefghij."
            ),
        )
        .into()),
    }
}

#[async_trait]
impl Resource for UserPoolClientResource {
    fn type_name(&self) -> &'static str {
        schema::TYPE_NAME
    }

    fn schema(&self) -> &Schema {
        schema::schema()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = rules::validate(&secrets::config_for_plan(config));
        diagnostics.extend(secrets::validate(config));
        diagnostics
    }

    async fn plan(&self, _ctx: &Context, request: PlanRequest) -> PlanResponse {
        let diagnostics = match &request.config {
            Value::Object(_) => {
                let user_pool_id = get(&request.config, attr::USER_POOL_ID);
                super::plan_pool_region(
                    self.apis.as_ref(),
                    user_pool_id,
                    AttributePath::attribute(attr::USER_POOL_ID),
                )
                .await
            }
            _ => Diagnostics::new(),
        };
        let planned_private = secrets::planned_private(&request.prior, &request.config, request.prior_private);
        let planned = plan::plan(&request.prior, &secrets::config_for_plan(&request.config));
        PlanResponse {
            planned: secrets::adjust_plan(planned, secrets::has_custom_secret(&planned_private)),
            // The schema declares which changes replace the client; the framework answers with them.
            requires_replace: Vec::new(),
            planned_private,
            diagnostics,
        }
    }

    async fn apply(&self, ctx: &Context, request: ApplyRequest) -> StateResponse {
        let outcome = self.apply_change(ctx, &request).await;
        StateResponse::applied_or_unchanged(outcome, request.prior, request.planned_private)
    }

    async fn delete(&self, ctx: &Context, prior: &Value, _private: &[u8]) -> Diagnostics {
        let deletion = async {
            let (user_pool_id, client_id) = client_address(prior)?;
            let api = self.api().await?;
            unless_stopped(
                ctx,
                Operation::DELETE_CLIENT,
                api.clients().delete(&user_pool_id, &client_id),
            )
            .await?;
            tracing::info!(user_pool_id, client_id, "deleted app client");
            Ok::<(), Diagnostics>(())
        };
        deletion.await.err().unwrap_or_default()
    }

    async fn read(&self, ctx: &Context, request: ReadRequest) -> StateResponse {
        match self.refresh(ctx, &request.state, &request.private).await {
            Ok((new_state, diagnostics)) => StateResponse {
                new_state,
                private: request.private,
                diagnostics,
            },
            Err(diagnostics) => StateResponse {
                new_state: request.state,
                private: request.private,
                diagnostics,
            },
        }
    }

    async fn import(&self, ctx: &Context, id: &str) -> Result<Vec<ImportedObject>, Diagnostics> {
        let (user_pool_id, client_id) = parse_import_id(id)?;
        let api = self.api().await?;
        match unless_stopped(
            ctx,
            Operation::DESCRIBE_CLIENT,
            api.clients().describe(&user_pool_id, &client_id),
        )
        .await?
        {
            Some(remote) => {
                let confidential = secrets::is_confidential(ctx, &api, &remote, None).await?;
                let imported =
                    secrets::finish_state(state::state_from_remote(&remote, &Value::Null), confidential, false);
                // The only secret of a confidential client is the one it was created with; after a rotation that
                // cannot be told, and the ID stays null.
                let (initial_secret_id, _) = if confidential {
                    secrets::initial_secret_id(ctx, &api, &remote).await
                } else {
                    (Value::Null, Diagnostics::new())
                };
                Ok(vec![ImportedObject {
                    state: secrets::with_attribute(imported, attr::INITIAL_SECRET_ID, initial_secret_id),
                    private: Vec::new(),
                }])
            }
            None => Err(Diagnostic::error(
                "App client not found",
                format!("There is no app client {client_id} in user pool {user_pool_id} (or no such pool)."),
            )
            .into()),
        }
    }

    /// `moved` from HashiCorp's `aws_cognito_user_pool_client` ([`migrate`]).
    fn move_from(&self, request: &MoveRequest) -> Result<Value, Diagnostics> {
        migrate::state_from_aws(request)
            .map_err(|error| Diagnostic::error("Cannot move the app client", error.to_string()).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_ids_need_pool_and_client() {
        assert_eq!(
            parse_import_id("us-east-1_abc/123").unwrap(),
            ("us-east-1_abc".to_string(), "123".to_string())
        );
        for bad in ["", "us-east-1_abc", "us-east-1_abc/", "/123", "a/b/c", "pool/123"] {
            let diagnostics = parse_import_id(bad).unwrap_err();
            assert!(
                diagnostics
                    .iter()
                    .next()
                    .unwrap()
                    .detail
                    .contains("USER_POOL_ID/CLIENT_ID"),
                "{bad}"
            );
        }
    }
}

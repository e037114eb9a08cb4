//! The `cognito_managed_login_branding` resource: the managed login branding style of one app client, and the
//! data source that reads it.
//!
//! - [`settings`]: the style's JSON settings, compared as JSON values, with what Cognito adds kept out of plans.
//! - [`assets`]: the images, compared as a set keyed by category and color mode.
//! - [`rules`]: plan-time validation, on the attribute, before anything is sent.
//! - [`plan`]: the planned state, and the requests an apply sends.
//! - [`state`]: the state from what Cognito reports.
//!
//! The resource ([`ManagedLoginBrandingResource`]):
//! - Create: one CreateManagedLoginBranding for the client. A client that already has a style is never taken
//!   over: the error says to import that style.
//! - Update: UpdateManagedLoginBranding with only what changed, or a reset and then the whole style when the plan
//!   drops something ([`plan::update_requests`]); then one Describe, so the state and Cognito's own settings
//!   additions are known.
//! - Read: DescribeManagedLoginBranding by ID; a style deleted outside Terraform leaves the state.
//! - Import: `USER_POOL_ID/STYLE_ID` (or with a comma, as HashiCorp's provider takes it), or
//!   `USER_POOL_ID/CLIENT_ID`. A style ID is a UUID and a client ID has no `-`, so the two never look alike.

pub mod assets;
pub mod data_source;
#[cfg(test)]
mod handler_tests;
mod import;
pub mod model;
pub mod plan;
pub mod rules;
pub mod schema;
pub mod settings;
pub mod state;
#[cfg(test)]
pub(crate) mod test_values;

use std::sync::Arc;

use async_trait::async_trait;

use super::api::{Cognito, Operation};
use super::{ApiSource, api_diagnostics, read_response, required_string, unless_stopped};
use crate::tf::diagnostics::{Diagnostic, Diagnostics};
use crate::tf::resource::{
    ApplyRequest, Context, ImportedObject, PlanRequest, PlanResponse, ReadRequest, Resource, StateResponse,
};
use crate::tf::schema::Schema;
use crate::tf::value::Value;
use model::RemoteStyle;
use schema::attr;
use state::Private;

pub struct ManagedLoginBrandingResource {
    schema: Schema,
    apis: Arc<dyn ApiSource>,
}

impl ManagedLoginBrandingResource {
    pub fn new(apis: Arc<dyn ApiSource>) -> ManagedLoginBrandingResource {
        ManagedLoginBrandingResource {
            schema: schema::schema(),
            apis,
        }
    }

    async fn api(&self) -> Result<Arc<Cognito>, Diagnostics> {
        self.apis.api().await
    }

    /// Creates the style; an error means nothing was created (or, for a lost answer, says how to find it).
    async fn create(&self, request: &ApplyRequest) -> Result<(Value, Private), Diagnostics> {
        let planned = &request.planned;
        let (user_pool_id, client_id) = (
            required_string(planned, attr::USER_POOL_ID)?,
            required_string(planned, attr::CLIENT_ID)?,
        );
        let style = plan::create_request(planned, &assets::content).map_err(asset_diagnostics)?;
        let api = self.api().await?;
        // Create is not raced against StopProvider, so a style Cognito made is never lost from state.
        let created = api
            .brandings()
            .create(&user_pool_id, &client_id, &style)
            .await
            .map_err(|error| match error.code.as_deref() {
                Some("ManagedLoginBrandingExistsException") => Diagnostic::error(
                    "App client already has a style",
                    format!(
                        "The app client {client_id} of user pool {user_pool_id} already has a managed login \
                         branding style, made outside this configuration (in the console, say). Cognito allows one \
                         style per app client, and Terraform does not take over a style it did not create: import \
                         it (`terraform import <address> {user_pool_id}/{client_id}`, or an `import` block), or \
                         delete it first."
                    ),
                )
                .into(),
                _ => api_diagnostics(&error),
            })?;
        tracing::info!(user_pool_id, client_id, branding_id = %created.managed_login_branding_id, "created managed login branding");
        Ok(self.settled(&api, planned, &client_id, created).await)
    }

    /// The state after a write: the planned values with the computed ones from Cognito, and Cognito's own settings
    /// additions, read back once (a failed read leaves them unknown: the next refresh then shows them).
    async fn settled(&self, api: &Cognito, planned: &Value, client_id: &str, written: RemoteStyle) -> (Value, Private) {
        let user_pool_id = written.user_pool_id.clone();
        let read_back = api
            .brandings()
            .describe(&user_pool_id, &written.managed_login_branding_id, false)
            .await;
        let remote = match read_back {
            Ok(Some(remote)) => remote,
            Ok(None) | Err(_) => written,
        };
        let planned_settings = plan::document(planned.attribute(attr::SETTINGS).unwrap_or(&Value::Null));
        let private = Private::after_write(planned_settings.as_ref(), remote.settings.as_ref());
        (with_computed(planned, &remote, client_id), private)
    }

    /// Updates the style in place; the state of what then exists, and an error if a request failed.
    async fn update(&self, ctx: &Context, request: &ApplyRequest) -> Result<(Value, Private), (Value, Diagnostics)> {
        let (prior, planned) = (&request.prior, &request.planned);
        let fail = |diagnostics: Diagnostics| (prior.clone(), diagnostics);
        let user_pool_id = required_string(prior, attr::USER_POOL_ID).map_err(fail)?;
        let client_id = required_string(prior, attr::CLIENT_ID).map_err(fail)?;
        let branding_id = required_string(prior, attr::MANAGED_LOGIN_BRANDING_ID).map_err(fail)?;
        let requests = plan::update_requests(prior, planned, &assets::content)
            .map_err(|problem| fail(asset_diagnostics(problem)))?;
        if requests.is_empty() {
            // Only the form of the configuration changed: nothing to send.
            let unchanged = copy_computed(planned, prior);
            return Ok((unchanged, Private::from_bytes(&request.planned_private)));
        }
        let api = self.api().await.map_err(fail)?;
        let mut last = None;
        for (step, style) in requests.iter().enumerate() {
            let result = unless_stopped(
                ctx,
                Operation::UPDATE_BRANDING,
                api.brandings().update(&user_pool_id, &branding_id, style),
            )
            .await;
            match result {
                Ok(remote) => last = Some(remote),
                Err(diagnostics) if step == 0 => return Err(fail(diagnostics)),
                Err(diagnostics) => {
                    // The reset went through, the rest did not: the style is Cognito's default now, and the state
                    // must say so, so that the next plan sends the configuration again.
                    let reset = last.take().map_or_else(
                        || prior.clone(),
                        |remote| state::state_from_remote(&remote, &client_id, prior, &Private::default()),
                    );
                    return Err((reset, diagnostics));
                }
            }
        }
        tracing::info!(
            user_pool_id,
            client_id,
            branding_id,
            requests = requests.len(),
            "updated managed login branding"
        );
        let written = last.expect("at least one request was sent");
        Ok(self.settled(&api, planned, &client_id, written).await)
    }

    /// Reads the style back: its state, or null with a warning when it was deleted outside Terraform.
    async fn refresh(&self, ctx: &Context, request: &ReadRequest) -> Result<(Value, Diagnostics), Diagnostics> {
        let state = &request.state;
        let (user_pool_id, branding_id) = (
            required_string(state, attr::USER_POOL_ID)?,
            required_string(state, attr::MANAGED_LOGIN_BRANDING_ID)?,
        );
        let client_id = required_string(state, attr::CLIENT_ID)?;
        let api = self.api().await?;
        let found = unless_stopped(
            ctx,
            Operation::DESCRIBE_BRANDING,
            api.brandings().describe(&user_pool_id, &branding_id, false),
        )
        .await?;
        match found {
            Some(remote) => Ok((
                state::state_from_remote(&remote, &client_id, state, &Private::from_bytes(&request.private)),
                Diagnostics::new(),
            )),
            None => Ok((
                Value::Null,
                Diagnostic::warning(
                    "Managed login branding no longer exists",
                    format!(
                        "The managed login branding style {branding_id} of app client {client_id} (user pool \
                         {user_pool_id}) was deleted outside Terraform; it is removed from the state and the plan \
                         will create it again."
                    ),
                )
                .into(),
            )),
        }
    }
}

/// The planned values with the computed attributes Cognito reported.
fn with_computed(planned: &Value, remote: &RemoteStyle, client_id: &str) -> Value {
    let reported = state::state_from_remote(remote, client_id, &Value::Null, &Private::default());
    copy_computed(planned, &reported)
}

/// `planned` with its unknown computed attributes taken from `known`.
fn copy_computed(planned: &Value, known: &Value) -> Value {
    let Value::Object(mut attributes) = planned.clone() else {
        return planned.clone();
    };
    for name in [
        attr::MANAGED_LOGIN_BRANDING_ID,
        attr::CREATION_DATE,
        attr::LAST_MODIFIED_DATE,
        attr::USE_COGNITO_PROVIDED_VALUES,
    ] {
        if attributes.get(name).is_none_or(Value::is_unknown) {
            attributes.insert(name.to_string(), known.attribute(name).cloned().unwrap_or(Value::Null));
        }
    }
    Value::Object(attributes)
}

fn asset_diagnostics(problem: assets::AssetError) -> Diagnostics {
    Diagnostic::error("Cannot read an asset", format!("{problem}."))
        .at(crate::tf::diagnostics::AttributePath::attribute(attr::ASSET))
        .into()
}

#[async_trait]
impl Resource for ManagedLoginBrandingResource {
    fn type_name(&self) -> &'static str {
        schema::TYPE_NAME
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        rules::validate(config)
    }

    async fn plan(&self, _ctx: &Context, request: PlanRequest) -> PlanResponse {
        PlanResponse {
            planned: plan::plan(&request.prior, &request.config),
            // The schema declares which changes replace the style; the framework answers with them.
            requires_replace: Vec::new(),
            planned_private: request.prior_private,
            diagnostics: Diagnostics::new(),
        }
    }

    async fn apply(&self, ctx: &Context, request: ApplyRequest) -> StateResponse {
        let outcome = if request.prior.is_null() {
            self.create(&request)
                .await
                .map_err(|diagnostics| (Value::Null, diagnostics))
        } else {
            self.update(ctx, &request).await
        };
        match outcome {
            Ok((new_state, private)) => StateResponse {
                new_state,
                private: private.to_bytes(),
                diagnostics: Diagnostics::new(),
            },
            Err((new_state, diagnostics)) => StateResponse {
                new_state,
                private: request.planned_private,
                diagnostics,
            },
        }
    }

    async fn delete(&self, ctx: &Context, prior: &Value, _private: &[u8]) -> Diagnostics {
        let deletion = async {
            let user_pool_id = required_string(prior, attr::USER_POOL_ID)?;
            let branding_id = required_string(prior, attr::MANAGED_LOGIN_BRANDING_ID)?;
            let api = self.api().await?;
            unless_stopped(
                ctx,
                Operation::DELETE_BRANDING,
                api.brandings().delete(&user_pool_id, &branding_id),
            )
            .await?;
            tracing::info!(user_pool_id, branding_id, "deleted managed login branding");
            Ok::<(), Diagnostics>(())
        };
        deletion.await.err().unwrap_or_default()
    }

    async fn read(&self, ctx: &Context, request: ReadRequest) -> StateResponse {
        let refreshed = self.refresh(ctx, &request).await;
        read_response(request, refreshed)
    }

    async fn import(&self, ctx: &Context, id: &str) -> Result<Vec<ImportedObject>, Diagnostics> {
        let target = import::parse(id)?;
        let api = self.api().await?;
        let (remote, client_id) = import::find(ctx, &api, &target).await?;
        Ok(vec![ImportedObject {
            state: state::state_from_remote(&remote, &client_id, &Value::Null, &Private::default()),
            private: Vec::new(),
        }])
    }
}

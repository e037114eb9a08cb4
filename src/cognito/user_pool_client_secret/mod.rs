//! The `cognito_user_pool_client_secret` resource: one secret of a confidential app client.
//!
//! - Create: AddUserPoolClientSecret (a generated value, or the write-only custom one), then, if
//!   `retire_secret_id` names another secret still there, DeleteUserPoolClientSecret of that one.
//! - Read: ListUserPoolClientSecrets; a secret deleted outside Terraform leaves the state with a warning.
//! - Update: nothing in Cognito (a secret cannot change), except retiring a newly named `retire_secret_id`.
//! - Delete: DeleteUserPoolClientSecret. Cognito never deletes a client's last secret: that one is left to go with
//!   its client, with a warning.
//! - Import: `POOL_ID/CLIENT_ID/SECRET_ID`, or `POOL_ID/CLIENT_ID` for a client's only secret.
//!
//! A rotation is a replacement with `create_before_destroy`: the new secret exists, the applications get it, then
//! the old one is deleted. Cognito allows two secrets per client, so a third is refused (LimitExceededException,
//! never retried) with an error naming the secrets there are and how to retire one.

mod errors;
#[cfg(test)]
mod handler_tests;
pub mod model;
pub mod plan;
pub mod schema;
pub mod state;

use std::sync::Arc;

use async_trait::async_trait;

use super::api::{Cognito, Deleted, ErrorKind, Operation, may_have_created};
use super::{ApiSource, api_diagnostics, unless_stopped};
use crate::tf::diagnostics::Diagnostics;
use crate::tf::resource::{
    ApplyRequest, Context, ImportedObject, PlanRequest, PlanResponse, ReadRequest, Resource, StateResponse,
};
use crate::tf::schema::Schema;
use crate::tf::value::Value;
use errors::SecretProblem;
use model::{SecretList, SecretValue, check_custom_secret};
use schema::attr;
use state::{ImportId, SecretAddress};

pub struct UserPoolClientSecretResource {
    schema: Schema,
    apis: Arc<dyn ApiSource>,
}

/// A string argument of a configuration or plan, when set.
fn string_argument(value: &Value, name: &str) -> Option<String> {
    value
        .attribute(name)
        .and_then(Value::as_str)
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

impl UserPoolClientSecretResource {
    pub fn new(apis: Arc<dyn ApiSource>) -> UserPoolClientSecretResource {
        UserPoolClientSecretResource {
            schema: schema::schema(),
            apis,
        }
    }

    async fn api(&self) -> Result<Arc<Cognito>, Diagnostics> {
        self.apis.api().await
    }

    /// The client's secrets; `None` when the client (or its pool) is gone.
    async fn listed(
        ctx: &Context,
        api: &Cognito,
        user_pool_id: &str,
        client_id: &str,
    ) -> Result<Option<SecretList>, Diagnostics> {
        unless_stopped(
            ctx,
            Operation::LIST_CLIENT_SECRETS,
            api.secrets().list(user_pool_id, client_id),
        )
        .await
    }

    /// The client's secrets; the client (or its pool) being gone is an error naming it.
    async fn secrets_of(
        &self,
        ctx: &Context,
        api: &Cognito,
        user_pool_id: &str,
        client_id: &str,
    ) -> Result<SecretList, Diagnostics> {
        Self::listed(ctx, api, user_pool_id, client_id).await?.ok_or_else(|| {
            SecretProblem::ClientNotFound {
                user_pool_id: user_pool_id.to_string(),
                client_id: client_id.to_string(),
            }
            .into()
        })
    }

    /// AddUserPoolClientSecret, then the retirement asked for. Errors mean no secret was made (or, for an answer
    /// that was lost, that the error says which secrets exist now).
    async fn create(&self, ctx: &Context, request: &ApplyRequest) -> Result<(Value, Diagnostics), Diagnostics> {
        let address = SecretAddress::of(&request.planned)
            .ok_or_else(|| errors::internal("the planned value has no user pool or client"))?;
        let (user_pool_id, client_id) = (address.user_pool_id.as_str(), address.client_id.as_str());
        let custom = string_argument(&request.config, attr::CLIENT_SECRET_WO).map(SecretValue::new);
        if let Some(custom) = &custom
            && let Err(problem) = check_custom_secret(custom.expose())
        {
            return Err(SecretProblem::InvalidCustomSecret(problem).into());
        }
        let api = self.api().await?;
        // Add is not idempotent: it is not raced against StopProvider, so a secret Cognito made is never lost.
        let added = match api.secrets().add(user_pool_id, client_id, custom.as_ref()).await {
            Ok(added) => added,
            Err(error) if error.kind == ErrorKind::LimitExceeded => {
                let existing = self.secrets_of(ctx, &api, user_pool_id, client_id).await.ok();
                return Err(SecretProblem::LimitExceeded {
                    user_pool_id: user_pool_id.to_string(),
                    client_id: client_id.to_string(),
                    existing,
                }
                .into());
            }
            Err(error) if may_have_created(&error) => {
                let existing = self.secrets_of(ctx, &api, user_pool_id, client_id).await.ok();
                let mut diagnostics = api_diagnostics(&error);
                diagnostics.push(SecretProblem::MayHaveAdded { existing }.to_diagnostic());
                return Err(diagnostics);
            }
            Err(error) => return Err(api_diagnostics(&error)),
        };
        tracing::info!(user_pool_id, client_id, secret_id = %added.descriptor.secret_id, "added client secret");
        let new_state = state::created_state(&request.planned, &added);
        let mut diagnostics = Diagnostics::new();
        if let Some(retired) = string_argument(&request.planned, attr::RETIRE_SECRET_ID)
            && retired != added.descriptor.secret_id
            && let Err(problem) = self.retire(ctx, &api, user_pool_id, client_id, &retired).await
        {
            // The new secret exists and must stay in state: the failed retirement is a warning, not a taint.
            diagnostics.push(problem.to_warning());
        }
        Ok((new_state, diagnostics))
    }

    /// Deletes the secret `retire_secret_id` names, unless it is already gone.
    async fn retire(
        &self,
        ctx: &Context,
        api: &Cognito,
        user_pool_id: &str,
        client_id: &str,
        secret_id: &str,
    ) -> Result<(), SecretProblem> {
        let deleted = unless_stopped(
            ctx,
            Operation::DELETE_CLIENT_SECRET,
            api.secrets().delete(user_pool_id, client_id, secret_id),
        )
        .await;
        match deleted {
            Ok(Deleted::Deleted) => {
                tracing::info!(user_pool_id, client_id, secret_id, "retired client secret");
                Ok(())
            }
            Ok(Deleted::AlreadyGone) => Ok(()),
            Err(diagnostics) => Err(SecretProblem::RetireFailed {
                user_pool_id: user_pool_id.to_string(),
                client_id: client_id.to_string(),
                secret_id: secret_id.to_string(),
                cause: diagnostics,
            }),
        }
    }

    /// An in-place change: only what the state keeps, and a newly named secret to retire.
    async fn update(&self, ctx: &Context, request: &ApplyRequest) -> Result<Value, Diagnostics> {
        let address = SecretAddress::of(&request.prior)
            .ok_or_else(|| errors::internal("the prior state has no user pool or client"))?;
        let newly_retired = string_argument(&request.planned, attr::RETIRE_SECRET_ID)
            .filter(|retired| string_argument(&request.prior, attr::RETIRE_SECRET_ID).as_ref() != Some(retired));
        if let Some(retired) = newly_retired {
            if address.secret_id.as_deref() == Some(retired.as_str()) {
                return Err(SecretProblem::RetireSelf { secret_id: retired }.into());
            }
            let api = self.api().await?;
            self.retire(ctx, &api, &address.user_pool_id, &address.client_id, &retired)
                .await
                .map_err(Diagnostics::from)?;
        }
        Ok(request.planned.clone())
    }

    /// Reads the secret back: its state, or null with a warning when it (or its client) is gone.
    async fn refresh(&self, ctx: &Context, current: &Value) -> Result<(Value, Diagnostics), Diagnostics> {
        let address =
            SecretAddress::of(current).ok_or_else(|| errors::internal("the state has no user pool or client"))?;
        let secret_id = address
            .secret_id
            .clone()
            .ok_or_else(|| errors::internal("the state has no secret ID"))?;
        let api = self.api().await?;
        let listed = Self::listed(ctx, &api, &address.user_pool_id, &address.client_id).await?;
        let gone = match listed.as_ref().map(|list| list.find(&secret_id)) {
            Some(Some(found)) => return Ok((state::refreshed_state(current, found), Diagnostics::new())),
            Some(None) => SecretProblem::DeletedOutside { address },
            None => SecretProblem::ClientGone { address },
        };
        Ok((Value::Null, gone.to_warning().into()))
    }

    async fn remove(&self, ctx: &Context, prior: &Value) -> Result<Diagnostics, Diagnostics> {
        let address =
            SecretAddress::of(prior).ok_or_else(|| errors::internal("the state has no user pool or client"))?;
        let Some(secret_id) = address.secret_id.clone() else {
            return Ok(Diagnostics::new());
        };
        let api = self.api().await?;
        let listed = Self::listed(ctx, &api, &address.user_pool_id, &address.client_id).await?;
        let Some(list) = listed else {
            return Ok(Diagnostics::new());
        };
        if list.find(&secret_id).is_none() {
            return Ok(Diagnostics::new());
        }
        if list.secrets().len() == 1 {
            return Ok(SecretProblem::LastSecretKept { address }.to_warning().into());
        }
        unless_stopped(
            ctx,
            Operation::DELETE_CLIENT_SECRET,
            api.secrets()
                .delete(&address.user_pool_id, &address.client_id, &secret_id),
        )
        .await?;
        tracing::info!(user_pool_id = %address.user_pool_id, client_id = %address.client_id, secret_id, "deleted client secret");
        Ok(Diagnostics::new())
    }
}

#[async_trait]
impl Resource for UserPoolClientSecretResource {
    fn type_name(&self) -> &'static str {
        schema::TYPE_NAME
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        plan::validate(config)
    }

    async fn plan(&self, _ctx: &Context, request: PlanRequest) -> PlanResponse {
        PlanResponse {
            planned: plan::plan(&request.prior, &request.config),
            // The schema declares which changes make a new secret; the framework answers with them.
            requires_replace: Vec::new(),
            planned_private: request.prior_private,
            diagnostics: Diagnostics::new(),
        }
    }

    async fn apply(&self, ctx: &Context, request: ApplyRequest) -> StateResponse {
        let outcome = if request.prior.is_null() {
            self.create(ctx, &request).await
        } else {
            self.update(ctx, &request)
                .await
                .map(|state| (state, Diagnostics::new()))
        };
        StateResponse::applied_or_unchanged(outcome, request.prior, request.planned_private)
    }

    async fn delete(&self, ctx: &Context, prior: &Value, _private: &[u8]) -> Diagnostics {
        self.remove(ctx, prior).await.unwrap_or_else(|diagnostics| diagnostics)
    }

    async fn read(&self, ctx: &Context, request: ReadRequest) -> StateResponse {
        match self.refresh(ctx, &request.state).await {
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
        let import = ImportId::parse(id)?;
        let api = self.api().await?;
        let list = self
            .secrets_of(ctx, &api, &import.user_pool_id, &import.client_id)
            .await?;
        let found = match &import.secret_id {
            Some(secret_id) => list.find(secret_id),
            None if list.secrets().len() == 1 => list.secrets().first(),
            None => None,
        };
        let Some(found) = found else {
            return Err(SecretProblem::NotImportable { import, existing: list }.into());
        };
        Ok(vec![ImportedObject {
            state: state::imported_state(&import.user_pool_id, &import.client_id, found),
            private: Vec::new(),
        }])
    }
}

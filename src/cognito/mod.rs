//! Everything about Cognito app clients. Knows nothing of gRPC or msgpack: it works on `tf::Value`s, the typed
//! model, and the narrow [`api::Cognito`] facades (the AWS SDK behind them, or an in-memory fake in tests).

pub mod api;
#[cfg(test)]
pub(crate) mod handler_test_support;
pub mod managed_login_branding;
pub mod user_pool_client;
pub mod user_pool_client_secret;
pub mod user_pool_id;

use std::future::Future;
use std::sync::Arc;

use async_trait::async_trait;

use crate::tf::diagnostics::{AttributePath, Diagnostic, Diagnostics};
use crate::tf::resource::{Context, ReadRequest, StateResponse};
use crate::tf::value::Value;

/// Where resources get their Cognito API from: the configured AWS client in the provider, a fake in tests.
#[async_trait]
pub trait ApiSource: Send + Sync + 'static {
    async fn api(&self) -> Result<Arc<api::Cognito>, Diagnostics>;

    /// The Region the API's calls go to, for plan-time checks; `None` when the calls are not tied to one, or it
    /// cannot be told yet. A source whose API is costly to set up answers without setting it up.
    async fn region(&self) -> Option<String> {
        let api = self.api().await.ok()?;
        api.region().map(str::to_string)
    }
}

/// The in-memory Cognito as an [`ApiSource`], for the unit tests of the resource, data sources and ephemeral secret:
/// the facades straight over it, one attempt per call.
#[cfg(test)]
pub(crate) struct FakeSource(pub(crate) Arc<api::FakeCognito>);

#[cfg(test)]
#[async_trait]
impl ApiSource for FakeSource {
    async fn api(&self) -> Result<Arc<api::Cognito>, Diagnostics> {
        Ok(Arc::new(api::Cognito::direct(self.0.clone())))
    }
}

/// Runs an AWS call unless Terraform asked us to stop (StopProvider); the call, its retries and backoff waits are
/// dropped at once then.
pub(crate) async fn unless_stopped<T>(
    ctx: &Context,
    operation: api::Operation,
    call: impl Future<Output = Result<T, api::ApiError>>,
) -> Result<T, Diagnostics> {
    tokio::select! {
        result = call => result.map_err(|error| api_diagnostics(&error)),
        () = ctx.cancelled.cancelled() => Err(Diagnostic::error(
            "Interrupted",
            format!("{operation} was cancelled because Terraform is stopping."),
        ).into()),
    }
}

/// Plan-time: a user pool of another Region than the provider's is an error on `user_pool_id` that names both
/// (the API stack refuses such calls too, but a create would only meet that at apply). Skipped while the ID is
/// unknown, when the API is not tied to a Region, and while the Region cannot be told (the calls that need it
/// report that).
pub(crate) async fn plan_pool_region(apis: &dyn ApiSource, user_pool_id: &Value, at: AttributePath) -> Diagnostics {
    let Value::String(user_pool_id) = user_pool_id else {
        return Diagnostics::new();
    };
    match apis
        .region()
        .await
        .map(|region| user_pool_id::check_region(&region, user_pool_id))
    {
        Some(Err(mismatch)) => Diagnostic::error(
            "User pool in another Region",
            format!(
                "The {mismatch}. A user pool ID begins with its Region, and Cognito knows a pool only in its own \
                 Region. Set the provider's region to {pool}, or give this resource an aliased provider \
                 (`provider = cognito.<alias>`) configured with region = \"{pool}\".",
                pool = mismatch.pool_region,
            ),
        )
        .at(at)
        .into(),
        _ => Diagnostics::new(),
    }
}

/// An AWS error as the user should see it: operation, pool, client, code, message, and what to do.
pub fn api_diagnostics(error: &api::ApiError) -> Diagnostics {
    let mut detail = error.to_string();
    if let Some(hint) = error.hint() {
        detail.push_str("\n\n");
        detail.push_str(hint);
    }
    let action = format!("cognito-idp:{}", error.operation);
    if error.kind == api::ErrorKind::Unauthorized && !api::IAM_ACTIONS.contains(&action.as_str()) {
        // The hint names the app-client actions; other resources' calls need their own.
        detail.push_str(&format!(" This call needs {action}."));
    }
    Diagnostic::error(format!("Cognito {} failed", error.operation), detail).into()
}

/// A bug of the provider, as the user should see it.
pub(crate) fn internal_error(detail: impl std::fmt::Display) -> Diagnostics {
    Diagnostic::error(
        "Provider internal error",
        format!("{detail}. This is a bug in the provider; please report it."),
    )
    .into()
}

/// A string attribute a planned value or state must hold; an internal error when it does not.
pub(crate) fn required_string(value: &Value, name: &str) -> Result<String, Diagnostics> {
    value
        .attribute(name)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| internal_error(format!("{name} is not a known string")))
}

/// ReadResource's answer: the refreshed state, or (when the refresh failed) the state as it was, with the error.
pub(crate) fn read_response(
    request: ReadRequest,
    refreshed: Result<(Value, Diagnostics), Diagnostics>,
) -> StateResponse {
    let (new_state, diagnostics) = refreshed.unwrap_or_else(|diagnostics| (request.state, diagnostics));
    StateResponse {
        new_state,
        private: request.private,
        diagnostics,
    }
}

/// Folds a data source read's outcome into what the framework expects: the value read, or null with the error.
pub(crate) fn data_answer(result: Result<Value, Diagnostics>) -> (Value, Diagnostics) {
    match result {
        Ok(value) => (value, Diagnostics::new()),
        Err(diagnostics) => (Value::Null, diagnostics),
    }
}

//! Everything about Cognito app clients. Knows nothing of gRPC or msgpack: it works on `tf::Value`s, the typed
//! model, and the narrow [`api::Cognito`] facades (the AWS SDK behind them, or an in-memory fake in tests).

pub mod api;
pub mod user_pool_client;
pub mod user_pool_client_secret;

use std::future::Future;
use std::sync::Arc;

use async_trait::async_trait;

use crate::tf::diagnostics::{Diagnostic, Diagnostics};
use crate::tf::resource::Context;

/// Where resources get their Cognito API from: the configured AWS client in the provider, a fake in tests.
#[async_trait]
pub trait ApiSource: Send + Sync + 'static {
    async fn api(&self) -> Result<Arc<api::Cognito>, Diagnostics>;
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
    operation: &str,
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

/// An AWS error as the user should see it: operation, pool, client, code, message, and what to do.
pub fn api_diagnostics(error: &api::ApiError) -> Diagnostics {
    let mut detail = error.to_string();
    if let Some(hint) = error.hint() {
        detail.push_str("\n\n");
        detail.push_str(hint);
    }
    Diagnostic::error(format!("Cognito {} failed", error.operation), detail).into()
}

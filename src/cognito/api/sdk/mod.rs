//! [`SdkCognito`]: [`CognitoApi`] over the AWS SDK, one attempt per call, and the classification of SDK errors.

use std::error::Error as StdError;

use async_trait::async_trait;
use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cognitoidentityprovider::operation::RequestId;
use aws_smithy_runtime_api::client::endpoint::error::ResolveEndpointError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::DispatchFailure;
use aws_smithy_types::retry::RetryConfig;

use super::error::kind_for_status;
use super::mapping::{RequestError, create_request, remote_client_from_sdk, update_request};
use super::{ApiError, ClientSummary, CognitoApi, ErrorKind, Operation};
use crate::cognito::user_pool_client::model::{ClientSettings, RemoteClient};

/// ListUserPoolClients' largest page.
const LIST_PAGE_SIZE: i32 = 60;

/// Cognito through the AWS SDK. Makes exactly one attempt per call: retrying is [`super::RetryingCognito`]'s job,
/// because the SDK's retryer classifies Cognito's errors wrongly for this provider (it retries
/// LimitExceededException, ignores ConcurrentModificationException, and repeats a timed-out Create).
#[derive(Clone, Debug)]
pub struct SdkCognito {
    client: Client,
}

impl SdkCognito {
    /// Wraps `client` with the SDK's own retries switched off, whatever the client was configured with.
    pub fn new(client: &Client) -> SdkCognito {
        let config = client
            .config()
            .to_builder()
            .retry_config(RetryConfig::disabled())
            .build();
        SdkCognito {
            client: Client::from_conf(config),
        }
    }
}

fn request_error(operation: Operation, user_pool_id: &str, client_id: Option<&str>, error: RequestError) -> ApiError {
    ApiError::new(
        operation,
        user_pool_id,
        client_id,
        ErrorKind::Invalid,
        error.to_string(),
    )
    .not_sent()
}

/// A successful response that holds no client: the call did something, but we cannot tell what.
fn missing_client(operation: Operation, user_pool_id: &str, client_id: Option<&str>) -> ApiError {
    ApiError::new(
        operation,
        user_pool_id,
        client_id,
        ErrorKind::Ambiguous,
        "the response holds no UserPoolClient with a ClientId",
    )
}

#[async_trait]
impl CognitoApi for SdkCognito {
    async fn describe(&self, user_pool_id: &str, client_id: &str) -> Result<Option<RemoteClient>, ApiError> {
        let operation = Operation::Describe;
        let result = self
            .client
            .describe_user_pool_client()
            .user_pool_id(user_pool_id)
            .client_id(client_id)
            .send()
            .await;
        match result {
            Ok(output) => match output.user_pool_client() {
                Some(client) => remote_client_from_sdk(client, user_pool_id, Some(client_id))
                    .map(Some)
                    .ok_or_else(|| missing_client(operation, user_pool_id, Some(client_id))),
                None => Err(missing_client(operation, user_pool_id, Some(client_id))),
            },
            Err(error) => {
                let error = classify_sdk_error(operation, user_pool_id, Some(client_id), &error);
                if error.is_not_found() { Ok(None) } else { Err(error) }
            }
        }
    }

    async fn create(
        &self,
        user_pool_id: &str,
        settings: &ClientSettings,
        generate_secret: bool,
    ) -> Result<RemoteClient, ApiError> {
        let operation = Operation::Create;
        let request = create_request(user_pool_id, settings, generate_secret)
            .map_err(|error| request_error(operation, user_pool_id, None, error))?;
        let output = request
            .send_with(&self.client)
            .await
            .map_err(|error| classify_sdk_error(operation, user_pool_id, None, &error))?;
        output
            .user_pool_client()
            .and_then(|client| remote_client_from_sdk(client, user_pool_id, None))
            .ok_or_else(|| missing_client(operation, user_pool_id, None))
    }

    async fn update(
        &self,
        user_pool_id: &str,
        client_id: &str,
        settings: &ClientSettings,
    ) -> Result<RemoteClient, ApiError> {
        let operation = Operation::Update;
        let request = update_request(user_pool_id, client_id, settings)
            .map_err(|error| request_error(operation, user_pool_id, Some(client_id), error))?;
        let output = request
            .send_with(&self.client)
            .await
            .map_err(|error| classify_sdk_error(operation, user_pool_id, Some(client_id), &error))?;
        output
            .user_pool_client()
            .and_then(|client| remote_client_from_sdk(client, user_pool_id, Some(client_id)))
            .ok_or_else(|| missing_client(operation, user_pool_id, Some(client_id)))
    }

    async fn delete(&self, user_pool_id: &str, client_id: &str) -> Result<(), ApiError> {
        let result = self
            .client
            .delete_user_pool_client()
            .user_pool_id(user_pool_id)
            .client_id(client_id)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(error) => {
                let error = classify_sdk_error(Operation::Delete, user_pool_id, Some(client_id), &error);
                if error.is_not_found() { Ok(()) } else { Err(error) }
            }
        }
    }

    async fn list(&self, user_pool_id: &str) -> Result<Vec<ClientSummary>, ApiError> {
        let operation = Operation::List;
        let mut clients = Vec::new();
        let mut next_token: Option<String> = None;
        loop {
            let output = self
                .client
                .list_user_pool_clients()
                .user_pool_id(user_pool_id)
                .max_results(LIST_PAGE_SIZE)
                .set_next_token(next_token.clone())
                .send()
                .await
                .map_err(|error| classify_sdk_error(operation, user_pool_id, None, &error))?;
            clients.extend(output.user_pool_clients().iter().filter_map(|client| {
                Some(ClientSummary {
                    client_id: client.client_id()?.to_string(),
                    name: client.client_name().unwrap_or_default().to_string(),
                })
            }));
            // A page may be empty and still carry a token: only an absent token ends the listing.
            match output.next_token() {
                None | Some("") => return Ok(clients),
                Some(token) if next_token.as_deref() == Some(token) => {
                    return Err(ApiError::new(
                        operation,
                        user_pool_id,
                        None,
                        ErrorKind::Other,
                        "Cognito returned the same NextToken twice; the listing does not advance",
                    ));
                }
                Some(token) => next_token = Some(token.to_string()),
            }
        }
    }
}

/// Classifies a failed SDK call (see [`ErrorKind`]):
/// - an error response: by its code, else by HTTP status;
/// - no response: by how far the request got. A connection that could not be made, missing credentials or a
///   request that could not be built never reached Cognito; anything later (timeouts, connections dropped after
///   sending, unreadable responses) may have.
///
/// The message is the chain of `Display` texts. `DisplayErrorContext` is not used because it appends the
/// error's `Debug` form, which includes the raw HTTP response, and a response body can hold a client secret.
pub fn classify_sdk_error<E>(
    operation: Operation,
    user_pool_id: &str,
    client_id: Option<&str>,
    error: &SdkError<E, HttpResponse>,
) -> ApiError
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    let status = error.raw_response().map(|response| response.status().as_u16());
    let mut classified = match error {
        SdkError::ServiceError(service) => {
            let service_error = service.err();
            let message = service_error
                .message()
                .map_or_else(|| error_chain(error), str::to_string);
            match service_error.code() {
                Some(code) => ApiError::from_service(
                    operation,
                    user_pool_id,
                    client_id,
                    code,
                    message,
                    status.unwrap_or_default(),
                ),
                // No code: an error status speaks for itself; a success status whose body could not be read
                // (the SDK reports that as an unhandled service error) may hide an operation that happened.
                None => {
                    let kind = match status {
                        Some(200..=299) => ErrorKind::Ambiguous,
                        status => kind_for_status(status.unwrap_or_default()),
                    };
                    ApiError::new(operation, user_pool_id, client_id, kind, message)
                }
            }
        }
        SdkError::ResponseError(_) => {
            // A response came but could not be read. An error status still says the operation did not happen;
            // an unreadable success may hide one that did.
            let kind = match status {
                Some(429) => ErrorKind::Throttled,
                Some(500..=599) => ErrorKind::Transient,
                _ => ErrorKind::Ambiguous,
            };
            ApiError::new(operation, user_pool_id, client_id, kind, error_chain(error))
        }
        SdkError::DispatchFailure(failure) => {
            let (kind, sent) = classify_dispatch_failure(error, failure);
            let classified = ApiError::new(operation, user_pool_id, client_id, kind, error_chain(error));
            if sent { classified } else { classified.not_sent() }
        }
        SdkError::TimeoutError(_) => ApiError::new(
            operation,
            user_pool_id,
            client_id,
            ErrorKind::Ambiguous,
            error_chain(error),
        ),
        SdkError::ConstructionFailure(_) => {
            ApiError::new(operation, user_pool_id, client_id, ErrorKind::Other, error_chain(error)).not_sent()
        }
        _ => ApiError::new(operation, user_pool_id, client_id, ErrorKind::Other, error_chain(error)),
    };
    classified.http_status = status;
    classified.request_id = error.request_id().map(str::to_string);
    classified
}

/// The kind of a failure before any response, and whether the request may have been sent.
fn classify_dispatch_failure(error: &(dyn StdError + 'static), failure: &DispatchFailure) -> (ErrorKind, bool) {
    // Identity and endpoint resolution run before the request is sent; their failures surface as dispatch
    // failures too.
    if find_source::<aws_credential_types::provider::error::CredentialsError>(error).is_some() {
        return (ErrorKind::Unauthorized, false);
    }
    if find_source::<ResolveEndpointError>(error).is_some() || failure.is_user() {
        return (ErrorKind::Other, false);
    }
    if never_connected(error) {
        return (ErrorKind::Transient, false);
    }
    (ErrorKind::Ambiguous, true)
}

/// Whether the failure happened while connecting (DNS, TCP connect, TLS handshake, connect timeout): then no
/// byte of the request reached Cognito.
fn never_connected(error: &(dyn StdError + 'static)) -> bool {
    if find_source::<hyper_util::client::legacy::Error>(error).is_some_and(|error| error.is_connect()) {
        return true;
    }
    find_source::<std::io::Error>(error).is_some_and(|error| {
        matches!(
            error.kind(),
            std::io::ErrorKind::ConnectionRefused
                | std::io::ErrorKind::AddrNotAvailable
                | std::io::ErrorKind::HostUnreachable
                | std::io::ErrorKind::NetworkUnreachable
        )
    })
}

fn find_source<'a, T: StdError + 'static>(error: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut next = Some(error);
    while let Some(current) = next {
        if let Some(found) = current.downcast_ref::<T>() {
            return Some(found);
        }
        next = current.source();
    }
    None
}

/// `outer: inner: innermost`, from each error's `Display`.
fn error_chain(error: &(dyn StdError + 'static)) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(source) = next {
        text.push_str(": ");
        text.push_str(&source.to_string());
        next = source.source();
    }
    text
}

#[cfg(test)]
mod tests;

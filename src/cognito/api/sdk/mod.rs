//! [`SdkCognito`]: Cognito over the AWS SDK, one attempt per call, and the classification of SDK errors. Each
//! resource's calls on it are written beside that resource's facade (e.g. [`super::UserPoolClientCalls`]).

use std::error::Error as StdError;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cognitoidentityprovider::operation::RequestId;
use aws_smithy_runtime_api::client::endpoint::error::ResolveEndpointError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::DispatchFailure;
use aws_smithy_types::retry::RetryConfig;

use super::error::kind_for_status;
use super::{ApiError, ErrorKind, Operation, Scope};

/// Cognito through the AWS SDK. Makes exactly one attempt per call: retrying is [`super::Stack`]'s job,
/// because the SDK's retryer classifies Cognito's errors wrongly for this provider (it retries
/// LimitExceededException, ignores ConcurrentModificationException, and repeats a timed-out Create).
#[derive(Clone, Debug)]
pub struct SdkCognito {
    pub(super) client: Client,
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

/// Classifies a failed SDK call (see [`ErrorKind`]):
/// - an error response: by its code, else by HTTP status;
/// - no response: by how far the request got. A connection that could not be made, missing credentials or a
///   request that could not be built never reached Cognito; anything later (timeouts, connections dropped after
///   sending, unreadable responses) may have.
///
/// The message is the chain of `Display` texts. `DisplayErrorContext` is not used because it appends the
/// error's `Debug` form, which includes the raw HTTP response, and a response body can hold a client secret.
pub fn classify_sdk_error<E>(operation: Operation, scope: &Scope, error: &SdkError<E, HttpResponse>) -> ApiError
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
                Some(code) => {
                    ApiError::from_service(operation, scope.clone(), code, message, status.unwrap_or_default())
                }
                // No code: an error status speaks for itself; a success status whose body could not be read
                // (the SDK reports that as an unhandled service error) may hide an operation that happened.
                None => {
                    let kind = match status {
                        Some(200..=299) => ErrorKind::Ambiguous,
                        status => kind_for_status(status.unwrap_or_default()),
                    };
                    ApiError::new(operation, scope.clone(), kind, message)
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
            ApiError::new(operation, scope.clone(), kind, error_chain(error))
        }
        SdkError::DispatchFailure(failure) => {
            let (kind, sent) = classify_dispatch_failure(error, failure);
            let classified = ApiError::new(operation, scope.clone(), kind, error_chain(error));
            if sent { classified } else { classified.not_sent() }
        }
        SdkError::TimeoutError(_) => ApiError::new(operation, scope.clone(), ErrorKind::Ambiguous, error_chain(error)),
        SdkError::ConstructionFailure(_) => {
            ApiError::new(operation, scope.clone(), ErrorKind::Other, error_chain(error)).not_sent()
        }
        _ => ApiError::new(operation, scope.clone(), ErrorKind::Other, error_chain(error)),
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

/// Whether the HTTP client reports that it could not connect (DNS, TCP connect, TLS handshake, connect timeout):
/// then no byte of the request reached Cognito. Nothing else counts: an I/O error such as HostUnreachable deep in
/// the chain of a failure that happened after connecting (a pooled connection, say) proves nothing about the
/// request.
fn never_connected(error: &(dyn StdError + 'static)) -> bool {
    find_source::<hyper_util::client::legacy::Error>(error).is_some_and(|error| error.is_connect())
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

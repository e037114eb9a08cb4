//! The five Cognito calls the provider needs, behind one narrow trait.
//!
//! - [`CognitoApi`]: describe, create, update, delete and list app clients, in the provider's own types
//!   ([`ClientSettings`], [`RemoteClient`]), so the resource never touches SDK types.
//! - [`SdkCognito`]: the AWS SDK implementation. It makes exactly one attempt per call; every request carries the
//!   complete configuration, because UpdateUserPoolClient resets whatever a request leaves out.
//! - [`RetryingCognito`]: retries by error class (throttling, transient, concurrent modification), with capped,
//!   jittered exponential backoff and a bounded total time. Retrying here rather than in the SDK is deliberate: the
//!   SDK retries LimitExceededException as throttling, does not know ConcurrentModificationException, and retries
//!   timeouts of the non-idempotent CreateUserPoolClient.
//! - [`PacedCognito`]: waits for a slot of the shared [`Pacer`] before every attempt, so a large apply runs at
//!   Cognito's request-rate quotas instead of bouncing off them.
//! - [`AdoptingCognito`]: after a create whose answer was lost, looks for the client by name and adopts it rather
//!   than making a second one.
//! - [`StopSignal`]: how every wait in the stack learns that Terraform is stopping the provider.
//! - [`FakeCognito`]: an in-memory Cognito with the real service's semantics, for tests of the layers above.
//! - [`ApiError`]: what went wrong, classified ([`ErrorKind`]), with the retry decision and a hint for the user.

mod adopt;
mod error;
mod fake;
mod mapping;
mod pacing;
mod retry;
mod sdk;
mod stop;

use async_trait::async_trait;

use crate::cognito::user_pool_client::model::{ClientSettings, RemoteClient};

pub use adopt::{AdoptingCognito, Adoption, DEFAULT_MAX_CREATE_REQUESTS, decide as decide_adoption, may_have_created};
pub use error::{ApiError, ErrorKind, IAM_ACTIONS};
pub use fake::{FakeCognito, RecordedRequest};
pub use mapping::{RequestError, create_request, format_timestamp, remote_client_from_sdk, update_request};
pub use pacing::{Category, PacedCognito, Pacer, PacingPolicy, Stopped};
pub use retry::{RetryPolicy, RetryingCognito};
pub use sdk::{SdkCognito, classify_sdk_error};
pub use stop::StopSignal;

/// One app client as ListUserPoolClients reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSummary {
    pub client_id: String,
    pub name: String,
}

/// The Cognito operations behind [`CognitoApi`]; errors and retry decisions are per operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    Describe,
    Create,
    Update,
    Delete,
    List,
}

impl Operation {
    pub const ALL: [Operation; 5] = [
        Operation::Describe,
        Operation::Create,
        Operation::Update,
        Operation::Delete,
        Operation::List,
    ];

    /// The API name, as in IAM actions, CloudTrail and AWS error reports.
    pub fn api_name(self) -> &'static str {
        match self {
            Operation::Describe => "DescribeUserPoolClient",
            Operation::Create => "CreateUserPoolClient",
            Operation::Update => "UpdateUserPoolClient",
            Operation::Delete => "DeleteUserPoolClient",
            Operation::List => "ListUserPoolClients",
        }
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.api_name())
    }
}

/// The app-client calls the provider makes. Implementations: [`SdkCognito`] (AWS), [`RetryingCognito`] (retries
/// around another implementation) and [`FakeCognito`] (tests).
#[async_trait]
pub trait CognitoApi: Send + Sync {
    /// DescribeUserPoolClient. `Ok(None)` when Cognito says ResourceNotFoundException: the client or its user pool
    /// is gone.
    async fn describe(&self, user_pool_id: &str, client_id: &str) -> Result<Option<RemoteClient>, ApiError>;

    /// CreateUserPoolClient with every member of `settings`. `generate_secret` makes a confidential client; it
    /// cannot be changed later.
    async fn create(
        &self,
        user_pool_id: &str,
        settings: &ClientSettings,
        generate_secret: bool,
    ) -> Result<RemoteClient, ApiError>;

    /// UpdateUserPoolClient with every member of `settings`: the client's whole configuration is replaced.
    async fn update(
        &self,
        user_pool_id: &str,
        client_id: &str,
        settings: &ClientSettings,
    ) -> Result<RemoteClient, ApiError>;

    /// DeleteUserPoolClient. A client (or pool) that is already gone counts as deleted.
    async fn delete(&self, user_pool_id: &str, client_id: &str) -> Result<(), ApiError>;

    /// ListUserPoolClients, every page.
    async fn list(&self, user_pool_id: &str) -> Result<Vec<ClientSummary>, ApiError>;
}

//! Cognito behind a narrow seam: one generic stack for every operation, and a small typed facade per resource.
//!
//! - [`Stack`]: what every call goes through, whatever the operation: pacing by the shared [`Pacer`] (Cognito's
//!   request-rate quotas), retries by error class ([`RetryPolicy`]; retrying here rather than in the SDK is
//!   deliberate: the SDK retries LimitExceededException as throttling, does not know
//!   ConcurrentModificationException, and retries timeouts of non-idempotent creates), and [`StopSignal`], which
//!   ends every wait when Terraform stops the provider. It knows a call only by its [`Operation`] (name, quota
//!   [`Category`], [`Effect`]) and [`Scope`] (pool, client, secret, branding).
//! - Facades, one per resource, in the provider's own types so that resources never touch SDK types:
//!   [`UserPoolClients`] (describe, create, update, delete, list app clients) and [`ClientSecrets`] (add, list and
//!   delete an app client's secrets). Each declares its operations and
//!   runs one backend request per attempt through the stack. Creates of app clients also go through adoption
//!   (`adopt`): a create whose answer was lost is looked for rather than repeated.
//! - Backends, one request per call: [`SdkCognito`], the AWS SDK (every request carries the complete
//!   configuration, because UpdateUserPoolClient resets whatever a request leaves out), and [`FakeCognito`], an
//!   in-memory Cognito with the real service's semantics, for tests of the layers above.
//! - [`ApiError`]: what went wrong, classified ([`ErrorKind`]), with the retry decision and a hint for the user.
//!
//! Adding an operation touches its facade, its SDK mapping and the fake; nothing in retry or pacing.

mod adopt;
mod client_secret;
mod error;
mod fake;
mod managed_login_branding;
mod operation;
mod pacing;
mod retry;
#[cfg(unix)]
mod runtime_dir;
mod sdk;
mod stack;
mod stop;
mod user_pool_client;

use std::sync::Arc;

pub use adopt::{
    Created, DEFAULT_MAX_CREATE_REQUESTS, Newcomer, Registry, Verdict, decide as decide_adoption, may_have_created,
};
pub use client_secret::{ClientSecretCalls, ClientSecrets, Deleted, SecretPage};
pub use error::{ApiError, ErrorKind, IAM_ACTIONS};
pub use fake::{DescribeAfterRotation, FakeCognito, RecordedRequest};
pub use managed_login_branding::{BrandingCalls, ManagedLoginBrandings};
pub use operation::{Category, Effect, Operation, Scope};
#[cfg(unix)]
pub use pacing::FileStore;
pub use pacing::{MemoryStore, Pacer, PacingPolicy, QuotaOwner, Stopped, Store};
pub use retry::{Budget, RetryPolicy};
pub use sdk::{SdkCognito, classify_sdk_error};
pub use stack::Stack;
pub use stop::StopSignal;
pub use user_pool_client::mapping::{
    RequestError, create_request, format_timestamp, remote_client_from_sdk, update_request,
};
pub use user_pool_client::{ClientPage, ClientSummary, UserPoolClientCalls, UserPoolClients};

/// Every call a backend can make: what [`Cognito`] is built on.
pub trait Backend: UserPoolClientCalls + BrandingCalls + ClientSecretCalls + 'static {}

impl<B: UserPoolClientCalls + BrandingCalls + ClientSecretCalls + 'static> Backend for B {}

/// The facades of one provider configuration, sharing one [`Stack`] (and so one pacer: the quotas are per pool and
/// per account, not per resource).
pub struct Cognito {
    clients: UserPoolClients,
    brandings: ManagedLoginBrandings,
    secrets: ClientSecrets,
    region: Option<String>,
}

impl Cognito {
    /// `max_create_requests` (at least 1) bounds how often one create is sent when each earlier request was found
    /// to have made nothing.
    /// `registry` is how creates learn of the other runs on this machine ([`Registry::on_this_machine`]).
    pub fn new<B: Backend>(backend: Arc<B>, stack: Stack, max_create_requests: u32, registry: Registry) -> Cognito {
        let region = stack.region().map(str::to_string);
        let stack = Arc::new(stack);
        Cognito {
            clients: UserPoolClients::new(backend.clone(), stack.clone(), max_create_requests, registry),
            brandings: ManagedLoginBrandings::new(backend.clone(), stack.clone()),
            secrets: ClientSecrets::new(backend, stack),
            region,
        }
    }

    /// The facades straight over `backend`: one attempt per call, unpaced. What unit tests of the layers above
    /// want from the in-memory Cognito.
    pub fn direct<B: Backend>(backend: Arc<B>) -> Cognito {
        Cognito::new(
            backend,
            Stack::default(),
            DEFAULT_MAX_CREATE_REQUESTS,
            Registry::default(),
        )
    }

    /// The Region every call goes to ([`Stack::with_region`]); `None` when not tied to one.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// App clients.
    pub fn clients(&self) -> &UserPoolClients {
        &self.clients
    }

    /// Managed login branding styles.
    pub fn brandings(&self) -> &ManagedLoginBrandings {
        &self.brandings
    }

    /// App clients' secrets.
    pub fn secrets(&self) -> &ClientSecrets {
        &self.secrets
    }
}

/// The app-client facade over the in-memory Cognito, for the tests of the stack's layers: derefs to the facade,
/// and [`inner`](TestClients::inner) is the fake beneath it.
#[cfg(test)]
pub(crate) struct TestClients {
    fake: Arc<FakeCognito>,
    clients: UserPoolClients,
}

#[cfg(test)]
impl TestClients {
    pub(crate) fn new(fake: FakeCognito, stack: Stack) -> TestClients {
        TestClients::with_max_create_requests(fake, stack, DEFAULT_MAX_CREATE_REQUESTS)
    }

    pub(crate) fn with_max_create_requests(fake: FakeCognito, stack: Stack, max_create_requests: u32) -> TestClients {
        TestClients::with_registry(fake, stack, max_create_requests, Registry::default())
    }

    pub(crate) fn with_registry(
        fake: FakeCognito,
        stack: Stack,
        max_create_requests: u32,
        registry: Registry,
    ) -> TestClients {
        let fake = Arc::new(fake);
        TestClients {
            clients: UserPoolClients::new(fake.clone(), Arc::new(stack), max_create_requests, registry),
            fake,
        }
    }

    pub(crate) fn inner(&self) -> &FakeCognito {
        &self.fake
    }
}

#[cfg(test)]
impl std::ops::Deref for TestClients {
    type Target = UserPoolClients;

    fn deref(&self) -> &UserPoolClients {
        &self.clients
    }
}

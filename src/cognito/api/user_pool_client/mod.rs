//! The app-client facade: [`UserPoolClients`], typed calls over the generic [`Stack`], and the backend trait
//! ([`UserPoolClientCalls`]) that the AWS SDK ([`super::SdkCognito`]) and the in-memory Cognito
//! ([`super::FakeCognito`]) implement, one attempt per call.
//!
//! The facade says what each call is ([`Operation`] and [`Scope`]) and leaves pacing, retries and stop handling
//! to the stack. Creates go through adoption ([`super::adopt`]), which is the only layer that knows that a create
//! whose answer was lost may still have made a client.

pub mod mapping;
mod sdk;

use std::sync::Arc;
use std::time::SystemTime;

use async_trait::async_trait;

use super::adopt::{Adopter, Attempt, Created, Registry};
use super::{ApiError, Budget, Category, Effect, ErrorKind, Operation, Scope, Stack};
use crate::cognito::user_pool_client::model::{ClientSettings, InitialSecret, RemoteClient};

impl Operation {
    pub const DESCRIBE_CLIENT: Operation = Operation {
        name: "DescribeUserPoolClient",
        category: Category::UserPoolClientRead,
        effect: Effect::Read,
    };
    pub const CREATE_CLIENT: Operation = Operation {
        name: "CreateUserPoolClient",
        category: Category::UserPoolClientUpdate,
        effect: Effect::Create,
    };
    pub const UPDATE_CLIENT: Operation = Operation {
        name: "UpdateUserPoolClient",
        category: Category::UserPoolClientUpdate,
        effect: Effect::Write,
    };
    pub const DELETE_CLIENT: Operation = Operation {
        name: "DeleteUserPoolClient",
        category: Category::UserPoolClientUpdate,
        effect: Effect::Write,
    };
    pub const LIST_CLIENTS: Operation = Operation {
        name: "ListUserPoolClients",
        category: Category::UserPoolClientRead,
        effect: Effect::Read,
    };
}

/// One app client as ListUserPoolClients reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSummary {
    pub client_id: String,
    pub name: String,
}

/// The most pages one listing reads: 6,000 clients, six times Cognito's default quota of clients per pool.
pub const MAX_LIST_PAGES: usize = 100;

/// One page of ListUserPoolClients.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientPage {
    pub clients: Vec<ClientSummary>,
    /// Where the next page starts; `None` after the last page.
    pub next_token: Option<String>,
}

/// The app-client calls, one request each, in the provider's own types ([`ClientSettings`], [`RemoteClient`]).
#[async_trait]
pub trait UserPoolClientCalls: Send + Sync {
    /// DescribeUserPoolClient. `Ok(None)` when Cognito says ResourceNotFoundException: the client or its user pool
    /// is gone.
    async fn describe(&self, user_pool_id: &str, client_id: &str) -> Result<Option<RemoteClient>, ApiError>;

    /// CreateUserPoolClient with every member of `settings`. A `secret` (generated or custom) makes a confidential
    /// client; it
    /// cannot be changed later.
    async fn create(
        &self,
        user_pool_id: &str,
        settings: &ClientSettings,
        secret: &InitialSecret,
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

    /// One page of ListUserPoolClients, from `next_token` (the first page when `None`).
    async fn list_page(&self, user_pool_id: &str, next_token: Option<&str>) -> Result<ClientPage, ApiError>;
}

/// The app-client calls the resource, data sources and ephemeral secret make: each through the [`Stack`], creates
/// through adoption as well.
pub struct UserPoolClients {
    calls: Arc<dyn UserPoolClientCalls>,
    stack: Arc<Stack>,
    adopter: Adopter,
}

impl UserPoolClients {
    /// `max_create_requests` (at least 1) bounds how often one create is sent when each earlier request was found
    /// to have made nothing; `registry` is how creates learn of the other runs on this machine.
    pub fn new(
        calls: Arc<dyn UserPoolClientCalls>,
        stack: Arc<Stack>,
        max_create_requests: u32,
        registry: Registry,
    ) -> UserPoolClients {
        UserPoolClients {
            calls,
            stack,
            adopter: Adopter::new(max_create_requests, registry),
        }
    }

    /// A budget for one call, starting now.
    pub(super) fn budget(&self) -> Budget {
        self.stack.budget()
    }

    pub async fn describe(&self, user_pool_id: &str, client_id: &str) -> Result<Option<RemoteClient>, ApiError> {
        self.describe_within(&self.budget(), user_pool_id, client_id).await
    }

    pub(super) async fn describe_within(
        &self,
        budget: &Budget,
        user_pool_id: &str,
        client_id: &str,
    ) -> Result<Option<RemoteClient>, ApiError> {
        let scope = Scope::client(user_pool_id, client_id);
        self.stack
            .call_within(budget, Operation::DESCRIBE_CLIENT, &scope, || {
                self.calls.describe(user_pool_id, client_id)
            })
            .await
    }

    /// CreateUserPoolClient, adopting the client a request whose answer was lost made rather than making another
    /// (see the `adopt` module); [`Created::adopted`] then says so.
    pub async fn create(
        &self,
        user_pool_id: &str,
        settings: &ClientSettings,
        secret: impl Into<InitialSecret>,
    ) -> Result<Created, ApiError> {
        self.adopter.create(self, user_pool_id, settings, &secret.into()).await
    }

    /// One create request through the stack, without adoption, with when it was sent and answered.
    pub(super) async fn create_attempt(
        &self,
        budget: &Budget,
        user_pool_id: &str,
        settings: &ClientSettings,
        secret: &InitialSecret,
    ) -> Attempt {
        let mut sent = SystemTime::now();
        let result = self
            .stack
            .call_within(budget, Operation::CREATE_CLIENT, &Scope::pool(user_pool_id), || {
                sent = SystemTime::now();
                self.calls.create(user_pool_id, settings, secret)
            })
            .await;
        Attempt {
            result,
            sent,
            answered: SystemTime::now(),
        }
    }

    /// One create request through the stack, without adoption.
    #[cfg(test)]
    pub(super) async fn create_once(
        &self,
        user_pool_id: &str,
        settings: &ClientSettings,
        secret: impl Into<InitialSecret>,
    ) -> Result<RemoteClient, ApiError> {
        self.create_attempt(&self.budget(), user_pool_id, settings, &secret.into())
            .await
            .result
    }

    pub async fn update(
        &self,
        user_pool_id: &str,
        client_id: &str,
        settings: &ClientSettings,
    ) -> Result<RemoteClient, ApiError> {
        let scope = Scope::client(user_pool_id, client_id);
        let mut sent = SystemTime::now();
        let updated = self
            .stack
            .call(Operation::UPDATE_CLIENT, &scope, || {
                sent = SystemTime::now();
                self.calls.update(user_pool_id, client_id, settings)
            })
            .await?;
        self.adopter
            .observe_clock(sent, SystemTime::now(), updated.last_modified_date.as_deref());
        Ok(updated)
    }

    pub async fn delete(&self, user_pool_id: &str, client_id: &str) -> Result<(), ApiError> {
        let scope = Scope::client(user_pool_id, client_id);
        self.stack
            .call(Operation::DELETE_CLIENT, &scope, || {
                self.calls.delete(user_pool_id, client_id)
            })
            .await
    }

    /// ListUserPoolClients, every page; each page is one call through the stack, paced on its own.
    pub async fn list(&self, user_pool_id: &str) -> Result<Vec<ClientSummary>, ApiError> {
        self.list_within(&self.budget(), user_pool_id).await
    }

    /// [`list`](Self::list) within `budget`. An endpoint that keeps returning page tokens (the same one twice, or
    /// more than [`MAX_LIST_PAGES`]) is an error rather than an endless listing.
    pub(super) async fn list_within(
        &self,
        budget: &Budget,
        user_pool_id: &str,
    ) -> Result<Vec<ClientSummary>, ApiError> {
        let scope = Scope::pool(user_pool_id);
        let endless =
            |message: String| ApiError::new(Operation::LIST_CLIENTS, scope.clone(), ErrorKind::Other, message);
        let mut clients = Vec::new();
        let mut next_token: Option<String> = None;
        for _ in 0..MAX_LIST_PAGES {
            let page = self
                .stack
                .call_within(budget, Operation::LIST_CLIENTS, &scope, || {
                    self.calls.list_page(user_pool_id, next_token.as_deref())
                })
                .await?;
            clients.extend(page.clients);
            // A page may be empty and still carry a token: only an absent token ends the listing.
            match page.next_token {
                None => return Ok(clients),
                Some(token) if next_token.as_deref() == Some(token.as_str()) => {
                    return Err(endless(
                        "Cognito returned the same NextToken twice; the listing does not advance".to_string(),
                    ));
                }
                Some(token) => next_token = Some(token),
            }
        }
        Err(endless(format!(
            "the endpoint still returned a NextToken after {MAX_LIST_PAGES} pages ({} clients); a user pool holds \
             far fewer, so the listing was stopped",
            clients.len()
        )))
    }
}

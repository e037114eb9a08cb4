//! The client-secret facade: [`ClientSecrets`], typed calls over the generic [`Stack`], and the backend trait
//! ([`ClientSecretCalls`]) that the AWS SDK ([`super::SdkCognito`]) and the in-memory Cognito
//! ([`super::FakeCognito`]) implement, one attempt per call.
//!
//! AddUserPoolClientSecret makes something new each time, so it is an [`Effect::Create`]: the stack never repeats
//! one that may have reached Cognito, and a LimitExceededException (the client already has its two secrets) is a
//! quota, never retried.

mod sdk;

use std::sync::Arc;

use async_trait::async_trait;

use super::{ApiError, Category, Effect, ErrorKind, Operation, Scope, Stack};
use crate::cognito::user_pool_client_secret::model::{AddedSecret, SecretDescriptor, SecretList, SecretValue};

impl Operation {
    pub const ADD_CLIENT_SECRET: Operation = Operation {
        name: "AddUserPoolClientSecret",
        category: Category::UserPoolClientUpdate,
        effect: Effect::Create,
    };
    pub const LIST_CLIENT_SECRETS: Operation = Operation {
        name: "ListUserPoolClientSecrets",
        category: Category::UserPoolClientRead,
        effect: Effect::Read,
    };
    pub const DELETE_CLIENT_SECRET: Operation = Operation {
        name: "DeleteUserPoolClientSecret",
        category: Category::UserPoolClientUpdate,
        effect: Effect::Write,
    };

    /// Whether this is one of the three client-secret operations.
    pub fn is_client_secret_operation(self) -> bool {
        [
            Operation::ADD_CLIENT_SECRET,
            Operation::LIST_CLIENT_SECRETS,
            Operation::DELETE_CLIENT_SECRET,
        ]
        .contains(&self)
    }
}

impl Scope {
    pub fn secret(user_pool_id: &str, client_id: &str, secret_id: &str) -> Scope {
        Scope::Secret {
            user_pool_id: user_pool_id.to_string(),
            client_id: client_id.to_string(),
            secret_id: secret_id.to_string(),
        }
    }
}

/// One page of ListUserPoolClientSecrets (Cognito documents a single page, but the API has a token).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecretPage {
    pub secrets: Vec<SecretDescriptor>,
    pub next_token: Option<String>,
}

/// What DeleteUserPoolClientSecret did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    Deleted,
    /// ResourceNotFoundException: the secret (or its client) was already gone.
    AlreadyGone,
}

/// The client-secret calls, one request each, in the provider's own types.
#[async_trait]
pub trait ClientSecretCalls: Send + Sync {
    /// AddUserPoolClientSecret: `custom` is the value to use; without it Cognito generates one (and returns it,
    /// this once).
    async fn add_secret(
        &self,
        user_pool_id: &str,
        client_id: &str,
        custom: Option<&SecretValue>,
    ) -> Result<AddedSecret, ApiError>;

    /// One page of ListUserPoolClientSecrets. `Ok(None)` when Cognito says ResourceNotFoundException: the client
    /// or its pool is gone.
    async fn list_secrets_page(
        &self,
        user_pool_id: &str,
        client_id: &str,
        next_token: Option<&str>,
    ) -> Result<Option<SecretPage>, ApiError>;

    /// DeleteUserPoolClientSecret.
    async fn delete_secret(&self, user_pool_id: &str, client_id: &str, secret_id: &str) -> Result<Deleted, ApiError>;
}

/// The client-secret calls the secret resource, the app client and the ephemeral secret make, each through the
/// [`Stack`].
pub struct ClientSecrets {
    calls: Arc<dyn ClientSecretCalls>,
    stack: Arc<Stack>,
}

/// Pages of ListUserPoolClientSecrets followed at most this often: Cognito keeps two secrets.
const MAX_SECRET_PAGES: usize = 16;

impl ClientSecrets {
    pub fn new(calls: Arc<dyn ClientSecretCalls>, stack: Arc<Stack>) -> ClientSecrets {
        ClientSecrets { calls, stack }
    }

    pub async fn add(
        &self,
        user_pool_id: &str,
        client_id: &str,
        custom: Option<&SecretValue>,
    ) -> Result<AddedSecret, ApiError> {
        let scope = Scope::client(user_pool_id, client_id);
        self.stack
            .call(Operation::ADD_CLIENT_SECRET, &scope, || {
                self.calls.add_secret(user_pool_id, client_id, custom)
            })
            .await
    }

    /// Every secret of the client, oldest first; `None` when the client (or its pool) does not exist.
    pub async fn list(&self, user_pool_id: &str, client_id: &str) -> Result<Option<SecretList>, ApiError> {
        let operation = Operation::LIST_CLIENT_SECRETS;
        let scope = Scope::client(user_pool_id, client_id);
        let mut secrets = Vec::new();
        let mut next_token: Option<String> = None;
        for _ in 0..MAX_SECRET_PAGES {
            let page = self
                .stack
                .call(operation, &scope, || {
                    self.calls
                        .list_secrets_page(user_pool_id, client_id, next_token.as_deref())
                })
                .await?;
            let Some(page) = page else { return Ok(None) };
            secrets.extend(page.secrets);
            match page.next_token {
                None => return Ok(Some(SecretList::new(secrets))),
                Some(token) if next_token.as_deref() == Some(token.as_str()) => break,
                Some(token) => next_token = Some(token),
            }
        }
        Err(ApiError::new(
            operation,
            scope,
            ErrorKind::Other,
            "Cognito's listing of the client's secrets does not end",
        ))
    }

    pub async fn delete(&self, user_pool_id: &str, client_id: &str, secret_id: &str) -> Result<Deleted, ApiError> {
        let scope = Scope::secret(user_pool_id, client_id, secret_id);
        self.stack
            .call(Operation::DELETE_CLIENT_SECRET, &scope, || {
                self.calls.delete_secret(user_pool_id, client_id, secret_id)
            })
            .await
    }
}

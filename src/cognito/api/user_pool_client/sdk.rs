//! [`UserPoolClientCalls`] over the AWS SDK: one request per call, errors classified by
//! [`classify_sdk_error`].

use async_trait::async_trait;
use aws_sdk_cognitoidentityprovider::types::UserPoolClientType;

use super::mapping::{RequestError, create_request, remote_client_from_sdk, update_request};
use super::{ClientPage, ClientSummary, UserPoolClientCalls};
use crate::cognito::api::{ApiError, ErrorKind, Operation, Scope, SdkCognito, classify_sdk_error};
use crate::cognito::user_pool_client::model::{ClientSettings, InitialSecret, RemoteClient};

/// ListUserPoolClients' largest page.
const LIST_PAGE_SIZE: i32 = 60;

fn request_error(operation: Operation, scope: Scope, error: RequestError) -> ApiError {
    ApiError::new(operation, scope, ErrorKind::Invalid, error.to_string()).not_sent()
}

/// The client a successful response holds. A response without one is ambiguous: the call did something, but we
/// cannot tell what.
fn reported_client(
    reported: Option<&UserPoolClientType>,
    operation: Operation,
    scope: Scope,
) -> Result<RemoteClient, ApiError> {
    reported
        .and_then(|client| remote_client_from_sdk(client, scope.user_pool_id(), scope.client_id()))
        .ok_or_else(|| {
            ApiError::new(
                operation,
                scope,
                ErrorKind::Ambiguous,
                "the response holds no UserPoolClient with a ClientId",
            )
        })
}

#[async_trait]
impl UserPoolClientCalls for SdkCognito {
    async fn describe(&self, user_pool_id: &str, client_id: &str) -> Result<Option<RemoteClient>, ApiError> {
        let operation = Operation::DESCRIBE_CLIENT;
        let scope = Scope::client(user_pool_id, client_id);
        let result = self
            .client
            .describe_user_pool_client()
            .user_pool_id(user_pool_id)
            .client_id(client_id)
            .send()
            .await;
        match result {
            Ok(output) => reported_client(output.user_pool_client(), operation, scope).map(Some),
            Err(error) => {
                let error = classify_sdk_error(operation, &scope, &error);
                if error.is_not_found() { Ok(None) } else { Err(error) }
            }
        }
    }

    async fn create(
        &self,
        user_pool_id: &str,
        settings: &ClientSettings,
        secret: &InitialSecret,
    ) -> Result<RemoteClient, ApiError> {
        let operation = Operation::CREATE_CLIENT;
        let scope = Scope::pool(user_pool_id);
        let request = create_request(user_pool_id, settings, secret)
            .map_err(|error| request_error(operation, scope.clone(), error))?;
        let output = request
            .send_with(&self.client)
            .await
            .map_err(|error| classify_sdk_error(operation, &scope, &error))?;
        reported_client(output.user_pool_client(), operation, scope)
    }

    async fn update(
        &self,
        user_pool_id: &str,
        client_id: &str,
        settings: &ClientSettings,
    ) -> Result<RemoteClient, ApiError> {
        let operation = Operation::UPDATE_CLIENT;
        let scope = Scope::client(user_pool_id, client_id);
        let request = update_request(user_pool_id, client_id, settings)
            .map_err(|error| request_error(operation, scope.clone(), error))?;
        let output = request
            .send_with(&self.client)
            .await
            .map_err(|error| classify_sdk_error(operation, &scope, &error))?;
        reported_client(output.user_pool_client(), operation, scope)
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
                let scope = Scope::client(user_pool_id, client_id);
                let error = classify_sdk_error(Operation::DELETE_CLIENT, &scope, &error);
                if error.is_not_found() { Ok(()) } else { Err(error) }
            }
        }
    }

    async fn list_page(&self, user_pool_id: &str, next_token: Option<&str>) -> Result<ClientPage, ApiError> {
        let output = self
            .client
            .list_user_pool_clients()
            .user_pool_id(user_pool_id)
            .max_results(LIST_PAGE_SIZE)
            .set_next_token(next_token.map(str::to_string))
            .send()
            .await
            .map_err(|error| classify_sdk_error(Operation::LIST_CLIENTS, &Scope::pool(user_pool_id), &error))?;
        let clients = output
            .user_pool_clients()
            .iter()
            .filter_map(|client| {
                Some(ClientSummary {
                    client_id: client.client_id()?.to_string(),
                    name: client.client_name().unwrap_or_default().to_string(),
                })
            })
            .collect();
        Ok(ClientPage {
            clients,
            // An empty token ends the listing as an absent one does.
            next_token: output
                .next_token()
                .filter(|token| !token.is_empty())
                .map(str::to_string),
        })
    }
}

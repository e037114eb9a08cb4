//! [`ClientSecretCalls`] over the AWS SDK: one request per call, errors classified by [`classify_sdk_error`].

use std::time::SystemTime;

use async_trait::async_trait;
use aws_sdk_cognitoidentityprovider::types::ClientSecretDescriptorType;

use super::{ClientSecretCalls, Deleted, SecretPage};
use crate::cognito::api::{ApiError, ErrorKind, Operation, Scope, SdkCognito, classify_sdk_error};
use crate::cognito::user_pool_client_secret::model::{AddedSecret, SecretDescriptor, SecretValue};

fn created(date: Option<&aws_smithy_types::DateTime>) -> Option<SystemTime> {
    date.and_then(|date| SystemTime::try_from(*date).ok())
}

fn added(descriptor: Option<&ClientSecretDescriptorType>, scope: Scope) -> Result<AddedSecret, ApiError> {
    let descriptor = descriptor.filter(|d| d.client_secret_id().is_some_and(|id| !id.is_empty()));
    let Some(descriptor) = descriptor else {
        return Err(ApiError::new(
            Operation::ADD_CLIENT_SECRET,
            scope,
            ErrorKind::Ambiguous,
            "the response holds no ClientSecretDescriptor with a ClientSecretId",
        ));
    };
    Ok(AddedSecret {
        descriptor: SecretDescriptor {
            secret_id: descriptor.client_secret_id().unwrap_or_default().to_string(),
            created: created(descriptor.client_secret_create_date()),
        },
        value: descriptor.client_secret_value().map(SecretValue::new),
    })
}

fn listed(descriptor: &ClientSecretDescriptorType) -> Option<SecretDescriptor> {
    Some(SecretDescriptor {
        secret_id: descriptor.client_secret_id()?.to_string(),
        created: created(descriptor.client_secret_create_date()),
    })
}

#[async_trait]
impl ClientSecretCalls for SdkCognito {
    async fn add_secret(
        &self,
        user_pool_id: &str,
        client_id: &str,
        custom: Option<&SecretValue>,
    ) -> Result<AddedSecret, ApiError> {
        let scope = Scope::client(user_pool_id, client_id);
        let output = self
            .client
            .add_user_pool_client_secret()
            .user_pool_id(user_pool_id)
            .client_id(client_id)
            .set_client_secret(custom.map(|value| value.expose().to_string()))
            .send()
            .await
            .map_err(|error| classify_sdk_error(Operation::ADD_CLIENT_SECRET, &scope, &error))?;
        added(output.client_secret_descriptor(), scope)
    }

    async fn list_secrets_page(
        &self,
        user_pool_id: &str,
        client_id: &str,
        next_token: Option<&str>,
    ) -> Result<Option<SecretPage>, ApiError> {
        let result = self
            .client
            .list_user_pool_client_secrets()
            .user_pool_id(user_pool_id)
            .client_id(client_id)
            .set_next_token(next_token.map(str::to_string))
            .send()
            .await;
        match result {
            Ok(output) => Ok(Some(SecretPage {
                secrets: output.client_secrets().iter().filter_map(listed).collect(),
                next_token: output
                    .next_token()
                    .filter(|token| !token.is_empty())
                    .map(str::to_string),
            })),
            Err(error) => {
                let scope = Scope::client(user_pool_id, client_id);
                let error = classify_sdk_error(Operation::LIST_CLIENT_SECRETS, &scope, &error);
                if error.is_not_found() { Ok(None) } else { Err(error) }
            }
        }
    }

    async fn delete_secret(&self, user_pool_id: &str, client_id: &str, secret_id: &str) -> Result<Deleted, ApiError> {
        let result = self
            .client
            .delete_user_pool_client_secret()
            .user_pool_id(user_pool_id)
            .client_id(client_id)
            .client_secret_id(secret_id)
            .send()
            .await;
        match result {
            Ok(_) => Ok(Deleted::Deleted),
            Err(error) => {
                let scope = Scope::secret(user_pool_id, client_id, secret_id);
                let error = classify_sdk_error(Operation::DELETE_CLIENT_SECRET, &scope, &error);
                if error.is_not_found() {
                    Ok(Deleted::AlreadyGone)
                } else {
                    Err(error)
                }
            }
        }
    }
}

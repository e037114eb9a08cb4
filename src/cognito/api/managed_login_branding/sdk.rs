//! [`BrandingCalls`] over the AWS SDK: one request per call, errors classified by [`classify_sdk_error`].

use async_trait::async_trait;
use aws_sdk_cognitoidentityprovider::types::{AssetType, ManagedLoginBrandingType};
use aws_smithy_types::Document;

use super::BrandingCalls;
use super::mapping::{asset_to_sdk, document, remote_style_from_sdk};
use crate::cognito::api::{ApiError, ErrorKind, Operation, Scope, SdkCognito, classify_sdk_error};
use crate::cognito::managed_login_branding::model::{RemoteStyle, StyleRequest};

/// The style a successful response holds. A response without one is ambiguous: the call did something, but we
/// cannot tell what.
fn reported_style(
    reported: Option<&ManagedLoginBrandingType>,
    operation: Operation,
    scope: Scope,
) -> Result<RemoteStyle, ApiError> {
    reported
        .and_then(|style| remote_style_from_sdk(style, scope.user_pool_id()))
        .ok_or_else(|| {
            ApiError::new(
                operation,
                scope,
                ErrorKind::Ambiguous,
                "the response holds no ManagedLoginBranding with a ManagedLoginBrandingId",
            )
        })
}

/// The members of a Create or Update: (UseCognitoProvidedValues, Settings, Assets).
type Members = (Option<bool>, Option<Document>, Option<Vec<AssetType>>);

fn members(request: &StyleRequest) -> Members {
    (
        request.use_cognito_provided_values,
        request.settings.as_ref().map(document),
        (!request.assets.is_empty()).then(|| request.assets.iter().map(asset_to_sdk).collect()),
    )
}

/// The style a Describe found: `Ok(None)` for ResourceNotFoundException.
fn described(
    result: Result<Option<ManagedLoginBrandingType>, ApiError>,
    operation: Operation,
    scope: Scope,
) -> Result<Option<RemoteStyle>, ApiError> {
    match found(result)? {
        Some(reported) => reported_style(reported.as_ref(), operation, scope).map(Some),
        None => Ok(None),
    }
}

/// `Ok(None)` for ResourceNotFoundException.
fn found<T>(result: Result<T, ApiError>) -> Result<Option<T>, ApiError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(error) if error.is_not_found() => Ok(None),
        Err(error) => Err(error),
    }
}

#[async_trait]
impl BrandingCalls for SdkCognito {
    async fn create_branding(
        &self,
        user_pool_id: &str,
        client_id: &str,
        request: &StyleRequest,
    ) -> Result<RemoteStyle, ApiError> {
        let operation = Operation::CREATE_BRANDING;
        let scope = Scope::client(user_pool_id, client_id);
        let (use_defaults, settings, assets) = members(request);
        let output = self
            .client
            .create_managed_login_branding()
            .user_pool_id(user_pool_id)
            .client_id(client_id)
            .set_use_cognito_provided_values(use_defaults)
            .set_settings(settings)
            .set_assets(assets)
            .send()
            .await
            .map_err(|error| classify_sdk_error(operation, &scope, &error))?;
        reported_style(output.managed_login_branding(), operation, scope)
    }

    async fn describe_branding(
        &self,
        user_pool_id: &str,
        branding_id: &str,
        merged: bool,
    ) -> Result<Option<RemoteStyle>, ApiError> {
        let operation = Operation::DESCRIBE_BRANDING;
        let scope = Scope::branding(user_pool_id, branding_id);
        let result = self
            .client
            .describe_managed_login_branding()
            .user_pool_id(user_pool_id)
            .managed_login_branding_id(branding_id)
            .return_merged_resources(merged)
            .send()
            .await
            .map_err(|error| classify_sdk_error(operation, &scope, &error));
        described(result.map(|output| output.managed_login_branding), operation, scope)
    }

    async fn describe_branding_by_client(
        &self,
        user_pool_id: &str,
        client_id: &str,
        merged: bool,
    ) -> Result<Option<RemoteStyle>, ApiError> {
        let operation = Operation::DESCRIBE_BRANDING_BY_CLIENT;
        let scope = Scope::client(user_pool_id, client_id);
        let result = self
            .client
            .describe_managed_login_branding_by_client()
            .user_pool_id(user_pool_id)
            .client_id(client_id)
            .return_merged_resources(merged)
            .send()
            .await
            .map_err(|error| classify_sdk_error(operation, &scope, &error));
        described(result.map(|output| output.managed_login_branding), operation, scope)
    }

    async fn update_branding(
        &self,
        user_pool_id: &str,
        branding_id: &str,
        request: &StyleRequest,
    ) -> Result<RemoteStyle, ApiError> {
        let operation = Operation::UPDATE_BRANDING;
        let scope = Scope::branding(user_pool_id, branding_id);
        let (use_defaults, settings, assets) = members(request);
        let output = self
            .client
            .update_managed_login_branding()
            .user_pool_id(user_pool_id)
            .managed_login_branding_id(branding_id)
            .set_use_cognito_provided_values(use_defaults)
            .set_settings(settings)
            .set_assets(assets)
            .send()
            .await
            .map_err(|error| classify_sdk_error(operation, &scope, &error))?;
        reported_style(output.managed_login_branding(), operation, scope)
    }

    async fn delete_branding(&self, user_pool_id: &str, branding_id: &str) -> Result<(), ApiError> {
        let scope = Scope::branding(user_pool_id, branding_id);
        let result = self
            .client
            .delete_managed_login_branding()
            .user_pool_id(user_pool_id)
            .managed_login_branding_id(branding_id)
            .send()
            .await
            .map(|_| ())
            .map_err(|error| classify_sdk_error(Operation::DELETE_BRANDING, &scope, &error));
        found(result).map(|_| ())
    }
}

//! The managed-login-branding facade: [`ManagedLoginBrandings`], typed calls over the generic [`Stack`], and the
//! backend trait ([`BrandingCalls`]) that the AWS SDK ([`super::SdkCognito`]) and the in-memory Cognito
//! ([`super::FakeCognito`]) implement, one attempt per call.
//!
//! Styles are resources of a user pool in Cognito's quota categories (`UserPoolResourceRead` and
//! `UserPoolResourceUpdate`). A create makes nothing twice (a second one for the same app client is
//! ManagedLoginBrandingExistsException), but it is still never repeated blindly: the answer to a lost create is
//! the caller's to find.

pub mod mapping;
mod sdk;

use std::sync::Arc;

use async_trait::async_trait;

use super::{ApiError, Category, Effect, Operation, Scope, Stack};
use crate::cognito::managed_login_branding::model::{RemoteStyle, StyleRequest};

impl Operation {
    pub const CREATE_BRANDING: Operation = Operation {
        name: "CreateManagedLoginBranding",
        category: Category::UserPoolResourceUpdate,
        effect: Effect::Create,
    };
    pub const DESCRIBE_BRANDING: Operation = Operation {
        name: "DescribeManagedLoginBranding",
        category: Category::UserPoolResourceRead,
        effect: Effect::Read,
    };
    pub const DESCRIBE_BRANDING_BY_CLIENT: Operation = Operation {
        name: "DescribeManagedLoginBrandingByClient",
        category: Category::UserPoolResourceRead,
        effect: Effect::Read,
    };
    pub const UPDATE_BRANDING: Operation = Operation {
        name: "UpdateManagedLoginBranding",
        category: Category::UserPoolResourceUpdate,
        effect: Effect::Write,
    };
    pub const DELETE_BRANDING: Operation = Operation {
        name: "DeleteManagedLoginBranding",
        category: Category::UserPoolResourceUpdate,
        effect: Effect::Write,
    };
}

impl Scope {
    pub fn branding(user_pool_id: &str, branding_id: &str) -> Scope {
        Scope::Branding {
            user_pool_id: user_pool_id.to_string(),
            branding_id: branding_id.to_string(),
        }
    }
}

/// The branding calls, one request each, in the provider's own types ([`StyleRequest`], [`RemoteStyle`]).
#[async_trait]
pub trait BrandingCalls: Send + Sync {
    /// CreateManagedLoginBranding: a style for `client_id` with the members of `request`.
    async fn create_branding(
        &self,
        user_pool_id: &str,
        client_id: &str,
        request: &StyleRequest,
    ) -> Result<RemoteStyle, ApiError>;

    /// DescribeManagedLoginBranding. `Ok(None)` when Cognito says ResourceNotFoundException. `merged`:
    /// ReturnMergedResources, the settings left at Cognito's defaults too.
    async fn describe_branding(
        &self,
        user_pool_id: &str,
        branding_id: &str,
        merged: bool,
    ) -> Result<Option<RemoteStyle>, ApiError>;

    /// DescribeManagedLoginBrandingByClient. `Ok(None)` when the client has no style (or is gone).
    async fn describe_branding_by_client(
        &self,
        user_pool_id: &str,
        client_id: &str,
        merged: bool,
    ) -> Result<Option<RemoteStyle>, ApiError>;

    /// UpdateManagedLoginBranding with the members of `request`; Cognito keeps what it leaves out.
    async fn update_branding(
        &self,
        user_pool_id: &str,
        branding_id: &str,
        request: &StyleRequest,
    ) -> Result<RemoteStyle, ApiError>;

    /// DeleteManagedLoginBranding. A style that is already gone counts as deleted.
    async fn delete_branding(&self, user_pool_id: &str, branding_id: &str) -> Result<(), ApiError>;
}

/// The branding calls the resource and data source make, each through the [`Stack`].
pub struct ManagedLoginBrandings {
    calls: Arc<dyn BrandingCalls>,
    stack: Arc<Stack>,
}

impl ManagedLoginBrandings {
    pub fn new(calls: Arc<dyn BrandingCalls>, stack: Arc<Stack>) -> ManagedLoginBrandings {
        ManagedLoginBrandings { calls, stack }
    }

    pub async fn create(
        &self,
        user_pool_id: &str,
        client_id: &str,
        request: &StyleRequest,
    ) -> Result<RemoteStyle, ApiError> {
        let scope = Scope::client(user_pool_id, client_id);
        self.stack
            .call(Operation::CREATE_BRANDING, &scope, || {
                self.calls.create_branding(user_pool_id, client_id, request)
            })
            .await
    }

    pub async fn describe(
        &self,
        user_pool_id: &str,
        branding_id: &str,
        merged: bool,
    ) -> Result<Option<RemoteStyle>, ApiError> {
        let scope = Scope::branding(user_pool_id, branding_id);
        self.stack
            .call(Operation::DESCRIBE_BRANDING, &scope, || {
                self.calls.describe_branding(user_pool_id, branding_id, merged)
            })
            .await
    }

    pub async fn describe_by_client(
        &self,
        user_pool_id: &str,
        client_id: &str,
        merged: bool,
    ) -> Result<Option<RemoteStyle>, ApiError> {
        let scope = Scope::client(user_pool_id, client_id);
        self.stack
            .call(Operation::DESCRIBE_BRANDING_BY_CLIENT, &scope, || {
                self.calls.describe_branding_by_client(user_pool_id, client_id, merged)
            })
            .await
    }

    pub async fn update(
        &self,
        user_pool_id: &str,
        branding_id: &str,
        request: &StyleRequest,
    ) -> Result<RemoteStyle, ApiError> {
        let scope = Scope::branding(user_pool_id, branding_id);
        self.stack
            .call(Operation::UPDATE_BRANDING, &scope, || {
                self.calls.update_branding(user_pool_id, branding_id, request)
            })
            .await
    }

    pub async fn delete(&self, user_pool_id: &str, branding_id: &str) -> Result<(), ApiError> {
        let scope = Scope::branding(user_pool_id, branding_id);
        self.stack
            .call(Operation::DELETE_BRANDING, &scope, || {
                self.calls.delete_branding(user_pool_id, branding_id)
            })
            .await
    }
}

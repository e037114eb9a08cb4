//! The `provider "cognito"` block: its [`schema`], its [`settings`], the AWS set-up behind them ([`aws`]), and
//! the resources, data sources and ephemeral resources the provider serves, registered here.

pub mod aws;
pub mod schema;
pub mod settings;

use std::sync::Arc;

use async_trait::async_trait;

use crate::cognito::ApiSource;
use crate::cognito::managed_login_branding::ManagedLoginBrandingResource;
use crate::cognito::managed_login_branding::data_source::ManagedLoginBrandingDataSource;
use crate::cognito::user_pool_client::UserPoolClientResource;
use crate::cognito::user_pool_client::data_sources::{UserPoolClientDataSource, UserPoolClientsDataSource};
use crate::cognito::user_pool_client::ephemeral_secret::UserPoolClientSecret;
use crate::cognito::user_pool_client_secret::UserPoolClientSecretResource;
use crate::tf::diagnostics::Diagnostics;
use crate::tf::resource::{Context, DataSource, EphemeralResource, Provider, Resource};
use crate::tf::schema::Schema;
use crate::tf::value::Value;

pub use aws::AwsClients;
pub use settings::{AssumeRole, ProviderSettings, SettingError};

/// The provider: its block's schema and the types it serves, all of them on one [`AwsClients`].
pub struct CognitoProvider {
    schema: Schema,
    clients: AwsClients,
    resources: Vec<Arc<dyn Resource>>,
    data_sources: Vec<Arc<dyn DataSource>>,
    ephemeral_resources: Vec<Arc<dyn EphemeralResource>>,
}

impl Default for CognitoProvider {
    fn default() -> Self {
        let clients = AwsClients::default();
        let apis: Arc<dyn ApiSource> = Arc::new(clients.clone());
        CognitoProvider {
            schema: schema::schema(),
            resources: vec![
                Arc::new(UserPoolClientResource::new(apis.clone())),
                Arc::new(ManagedLoginBrandingResource::new(apis.clone())),
                Arc::new(UserPoolClientSecretResource::new(apis.clone())),
            ],
            data_sources: vec![
                Arc::new(UserPoolClientDataSource::new(apis.clone())),
                Arc::new(UserPoolClientsDataSource::new(apis.clone())),
                Arc::new(ManagedLoginBrandingDataSource::new(apis.clone())),
            ],
            ephemeral_resources: vec![Arc::new(UserPoolClientSecret::new(apis))],
            clients,
        }
    }
}

impl CognitoProvider {
    pub fn new() -> CognitoProvider {
        CognitoProvider::default()
    }
}

#[async_trait]
impl Provider for CognitoProvider {
    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        ProviderSettings::parse(config).1
    }

    async fn configure(&self, ctx: &Context, terraform_version: &str, config: Value) -> Diagnostics {
        let (settings, diagnostics) = ProviderSettings::parse(&config);
        // The run's StopProvider cancels this token; every wait of the API stack watches it from now on.
        self.clients.stop.watch(ctx.cancelled.clone());
        if !diagnostics.has_errors() {
            tracing::debug!(terraform_version, "provider configured");
            self.clients.set(settings);
        }
        diagnostics
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        self.resources.clone()
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        self.data_sources.clone()
    }

    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        self.ephemeral_resources.clone()
    }
}

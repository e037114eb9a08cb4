//! The framework's state (the types served, the run's cancellation) and its provider-level handlers:
//! validation, configuration and data source reads. Managed resources are in `managed`, ephemeral resources in
//! `ephemeral`.

use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;

use super::encoded::Encoded;
use super::outcome::{Outcome, guarded};
use super::registry::{Registry, Served};
use crate::tf::diagnostics::Diagnostics;
use crate::tf::resource::{Context, DataSource, EphemeralResource, Provider, Resource};

/// The behaviour behind the Provider service: one per process, shared by all connections and concurrent requests.
pub struct Framework {
    pub(super) provider: Arc<dyn Provider>,
    pub(super) resources: Registry<dyn Resource>,
    pub(super) data_sources: Registry<dyn DataSource>,
    pub(super) ephemeral_resources: Registry<dyn EphemeralResource>,
    /// Replaced after each StopProvider so a long-lived (debug mode) process keeps working for the next run.
    cancellation: Mutex<CancellationToken>,
}

/// Whose configuration a Validate*Config RPC checks.
#[derive(Debug, Clone, Copy)]
pub enum ConfigOf<'a> {
    Provider,
    Resource(&'a str),
    DataSource(&'a str),
    EphemeralResource(&'a str),
}

impl Framework {
    pub fn new(provider: Arc<dyn Provider>) -> Framework {
        Framework {
            resources: Registry::new(
                provider.resources(),
                |r| r.type_name(),
                "Unknown resource type",
                "resource type",
            ),
            data_sources: Registry::new(
                provider.data_sources(),
                |d| d.type_name(),
                "Unknown data source",
                "data source",
            ),
            ephemeral_resources: Registry::new(
                provider.ephemeral_resources(),
                |e| e.type_name(),
                "Unknown ephemeral resource type",
                "ephemeral resource",
            ),
            provider,
            cancellation: Mutex::new(CancellationToken::new()),
        }
    }

    /// The context of one request: cancelled by the next StopProvider.
    pub fn context(&self) -> Context {
        let token = self
            .cancellation
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Context {
            cancelled: token.clone(),
        }
    }

    /// Cancels work in flight (StopProvider). Returns once the cancellation has been signalled.
    pub fn stop(&self) {
        let mut token = self
            .cancellation
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        token.cancel();
        *token = CancellationToken::new();
    }

    /// The Validate*Config RPCs: decode the configuration against the schema of the type asked for, then run its
    /// checks. An unknown type, undecodable bytes and a panicking check all become diagnostics.
    pub async fn validate(&self, of: ConfigOf<'_>, config: Encoded) -> Outcome<()> {
        let (rpc, what, target): (_, _, Result<&dyn Served, Diagnostics>) = match of {
            ConfigOf::Provider => (
                "ValidateProviderConfig",
                "provider configuration",
                Ok(&self.provider as &dyn Served),
            ),
            ConfigOf::Resource(name) => (
                "ValidateResourceConfig",
                "configuration",
                self.resources.get(name).map(|r| r as &dyn Served),
            ),
            ConfigOf::DataSource(name) => (
                "ValidateDataResourceConfig",
                "configuration",
                self.data_sources.get(name).map(|d| d as &dyn Served),
            ),
            ConfigOf::EphemeralResource(name) => (
                "ValidateEphemeralResourceConfig",
                "configuration",
                self.ephemeral_resources.get(name).map(|e| e as &dyn Served),
            ),
        };
        guarded(rpc, async {
            let target = target?;
            let config = config.decode(target.schema().value_type(), what)?;
            Ok(Outcome::new((), target.validate(&config)))
        })
        .await
    }

    /// ConfigureProvider.
    pub async fn configure(&self, terraform_version: &str, config: Encoded) -> Outcome<()> {
        let ctx = self.context();
        guarded("ConfigureProvider", async {
            let ty = self.provider.schema().value_type();
            let config = config.decode(ty, "provider configuration")?;
            Ok(Outcome::new(
                (),
                self.provider.configure(&ctx, terraform_version, config).await,
            ))
        })
        .await
    }

    /// ReadDataSource: the data, or no result at all next to an error.
    pub async fn read_data_source(&self, type_name: &str, config: Encoded) -> Outcome<Encoded> {
        let ctx = self.context();
        guarded("ReadDataSource", async {
            let data_source = self.data_sources.get(type_name)?;
            let ty = data_source.schema().value_type();
            let config = config.decode(ty, "configuration")?;
            let (state, diagnostics) = data_source.read(&ctx, config).await;
            Ok(Outcome::new(state, diagnostics)
                .unless_errors()
                .and_then(|state| Encoded::encode(&state, ty, "data source result")))
        })
        .await
    }
}

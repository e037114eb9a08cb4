//! Starts of the provider the way Terraform starts it, measured: spawn → validated handshake line with AutoMTLS
//! (a Terraform-like P-521 `CA:TRUE` client certificate), VmRSS after the handshake and after one
//! GetProviderSchema over mTLS, and the Shutdown RPC → process exit. Shared by the `handshake` and `suite`
//! benchmarks; the including crate has `plugin_client` (tests/support/plugin_client.rs) at its root, declared or imported.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::plugin_client::{ClientIdentity, PluginError, PluginOptions, PluginProcess};
use terraform_provider_cognito::proto::tfplugin6::get_provider_schema;

/// One start's measurements.
pub struct Sample {
    pub startup: Duration,
    pub resident_after_handshake_kib: u64,
    pub resident_after_schema_kib: u64,
    pub shutdown: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum HandshakeError {
    #[error(transparent)]
    Plugin(#[from] PluginError),
    #[error("GetProviderSchema failed: {0}")]
    Schema(#[from] tonic::Status),
}

/// Starts `binary` `runs` times, one after the other.
pub async fn measure(binary: &Path, runs: usize) -> Result<Vec<Sample>, HandshakeError> {
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        // A new certificate per run, like Terraform, but generated before the clock starts: key generation is
        // Terraform's cost, not the provider's.
        let identity = Arc::new(ClientIdentity::generate_like_terraform().map_err(PluginError::from)?);
        let mut process = PluginProcess::start(PluginOptions::like_terraform_with_identity(binary, identity)).await?;
        let startup = process.startup_time();
        let resident_after_handshake_kib = process.resident_set_kib()?;

        let channel = process.connect().await?;
        channel
            .provider()
            .get_provider_schema(get_provider_schema::Request {})
            .await?;
        let resident_after_schema_kib = process.resident_set_kib()?;
        drop(channel);

        let outcome = process.shutdown().await?;
        samples.push(Sample {
            startup,
            resident_after_handshake_kib,
            resident_after_schema_kib,
            shutdown: outcome.elapsed,
        });
    }
    Ok(samples)
}

/// Minimum, median and maximum of a non-empty list.
pub struct Spread<T> {
    pub min: T,
    pub median: T,
    pub max: T,
}

impl<T: Copy + PartialOrd> Spread<T> {
    /// `None` for an empty list.
    pub fn of(mut values: Vec<T>) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        values.sort_unstable_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        Some(Self {
            min: values[0],
            median: values[values.len() / 2],
            max: values[values.len() - 1],
        })
    }

    pub fn map<U>(self, format: impl Fn(T) -> U) -> Spread<U> {
        Spread {
            min: format(self.min),
            median: format(self.median),
            max: format(self.max),
        }
    }
}

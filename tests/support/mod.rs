//! Shared support for the integration tests (the `support` module of `tests/integration/main.rs`; the benchmarks
//! in `benches/` include it too).
//!
//! - [`LocalCognito`]: a private local Cognito stack per test (moto behind the recording, Cognito-mode,
//!   fault-injecting proxy of `local_cognito.py`), with an SDK client and control calls.
//! - [`Terraform`]: the real `terraform` CLI in a temporary directory, offline, using this build's provider through
//!   dev_overrides and talking to a [`LocalCognito`].
//!
//! Facts behind both are in shared/docs/local-test-stack.md.

pub mod client_secrets;
pub mod control_http;
pub mod elf;
pub mod local_cognito;
pub mod plugin_client;
pub mod terraform;
pub mod tf_diagnostics;

// Re-exported for the tests' convenience.
pub use local_cognito::{LocalCognito, RecordedRequest};
pub use terraform::{PROVIDER_PREAMBLE, PROVIDER_SOURCE, Terraform, TfOutput};

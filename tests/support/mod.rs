//! Shared support for the integration tests (the `support` module of `tests/integration/main.rs`; the benchmarks
//! in `benches/` include it too).
//!
//! - [`LocalCognito`]: a private local Cognito stack per test (moto behind the recording, Cognito-mode,
//!   fault-injecting proxy of `local_cognito.py`), with an SDK client and control calls.
//! - [`TestCognito`]: what an end-to-end test runs against: a [`LocalCognito`], or in acceptance mode
//!   ([`acceptance`], `COGNITO_ACC=1`) the AWS account of the environment.
//! - [`Terraform`]: the real `terraform` CLI in a temporary directory, offline, using this build's provider through
//!   dev_overrides and talking to a [`TestCognito`] or a [`LocalCognito`].
//!
//! What both rely on from Terraform and moto is in docs/dev/local-test-stack.md.

pub mod acceptance;
pub mod branding;
pub mod client_secrets;
pub mod control_http;
pub mod elf;
pub mod local_cognito;
pub mod plugin_client;
pub mod target;
pub mod terraform;
pub mod tf_diagnostics;

// Re-exported for the tests' convenience.
pub use local_cognito::{LocalCognito, RecordedRequest};
pub use target::TestCognito;
pub use terraform::{PROVIDER_PREAMBLE, PROVIDER_SOURCE, Terraform, TfOutput};

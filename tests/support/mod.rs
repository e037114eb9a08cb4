//! Shared support for the integration tests (`mod support;` in a test file).
//!
//! - [`LocalCognito`]: a private local Cognito stack per test (moto behind the recording, Cognito-mode,
//!   fault-injecting proxy of `local_cognito.py`), with an SDK client and control calls.
//! - [`Terraform`]: the real `terraform` CLI in a temporary directory, offline, using this build's provider through
//!   dev_overrides and talking to a [`LocalCognito`].
//!
//! Facts behind both are in shared/docs/local-test-stack.md.

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

pub mod client_secrets;
pub mod control_http;
pub mod elf;
pub mod local_cognito;
pub mod terraform;
pub mod tf_diagnostics;

// Re-exported for the tests' convenience; a test binary that needs only one of the two would warn otherwise.
#[allow(unused_imports)]
pub use local_cognito::{LocalCognito, RecordedRequest, StackError};
#[allow(unused_imports)]
pub use terraform::{PROVIDER_PREAMBLE, PROVIDER_SOURCE, Terraform, TfOutput};

//! The integration tests: one test binary (as ripgrep's `tests/` is), so the AWS SDK, tonic and the test support are
//! compiled and linked once rather than once per file, and every test shares one harness and one thread pool.
//!
//! Each module is one subject; filter by its name, e.g. `cargo test --test integration user_pool_client::`.
//!
//! - Codec and framework, in process: [`codec_properties`], [`framework_rpcs`], [`rpc_hostile_input`].
//! - The provider binary as Terraform starts it: [`protocol`], [`terraform_debug`], [`terraform_provider`].
//! - End to end with the real `terraform` and the local Cognito: [`user_pool_client`], [`client_secrets`],
//!   [`exactness`], [`validation`], [`reliability`], [`concurrency`], [`security`], [`ecosystem_data_sources`],
//!   [`ecosystem_ephemeral`], [`ecosystem_migration`], [`managed_login_branding`].
//! - Release, portability and docs: [`ecosystem_release`], [`portable`], [`ecosystem_docs`].
//! - The test harness itself: [`local_stack`], [`local_stack_secrets`], [`local_cognito_rules`], [`branding_local_stack`],
//!   [`terraform_harness`], and acceptance mode's machinery ([`acceptance`]).
//!
//! With `COGNITO_ACC=1` the end-to-end tests run against the AWS account of the environment instead of the local
//! Cognito (README, "Acceptance tests against AWS").

#[path = "../support/mod.rs"]
mod support;

mod acceptance;
mod branding_local_stack;
mod client_secrets;
mod codec_properties;
mod concurrency;
mod ecosystem_data_sources;
mod ecosystem_docs;
mod ecosystem_ephemeral;
mod ecosystem_migration;
mod ecosystem_release;
mod exactness;
mod framework_rpcs;
mod hardening;
mod local_cognito_rules;
mod local_stack;
mod local_stack_secrets;
mod managed_login_branding;
mod portable;
mod protocol;
mod reliability;
mod rpc_hostile_input;
mod security;
mod terraform_debug;
mod terraform_harness;
mod terraform_provider;
mod user_pool_client;
mod validation;

//! The schema of the `provider "cognito"` block: attribute names, and the defaults the descriptions name, which
//! are the ones the settings and the AWS set-up apply (the API stack's own defaults are read from it).

use crate::cognito::api::{PacingPolicy, RetryPolicy};
use crate::tf::schema::{Attribute, Block, NestedBlock, Schema};
use crate::tf::value::Type;

/// The provider block's attribute and block names.
pub mod attr {
    pub const REGION: &str = "region";
    pub const PROFILE: &str = "profile";
    pub const ENDPOINT_URL: &str = "endpoint_url";
    pub const MAX_RETRIES: &str = "max_retries";
    pub const MAX_RETRY_SECONDS: &str = "max_retry_seconds";
    pub const REQUESTS_PER_SECOND_PER_POOL: &str = "requests_per_second_per_pool";
    pub const MUTATING_REQUESTS_PER_SECOND: &str = "mutating_requests_per_second";
    pub const READ_REQUESTS_PER_SECOND: &str = "read_requests_per_second";
    pub const SHARED_RATE_LIMITER: &str = "shared_rate_limiter";
    pub const ASSUME_ROLE: &str = "assume_role";

    /// Inside `assume_role`.
    pub const ROLE_ARN: &str = "role_arn";
    pub const SESSION_NAME: &str = "session_name";
    pub const EXTERNAL_ID: &str = "external_id";
    pub const STS_ENDPOINT_URL: &str = "sts_endpoint_url";
}

/// `max_retries` when left out.
pub const DEFAULT_MAX_RETRIES: u32 = 3;
/// `assume_role.session_name` when left out.
pub const DEFAULT_SESSION_NAME: &str = "terraform-provider-cognito";

pub fn schema() -> Schema {
    use attr::*;
    let pacing = PacingPolicy::COGNITO_DEFAULTS;
    let assume_role = Block::new("Assume an IAM role before calling Cognito.")
        .attribute(Attribute::required(
            ROLE_ARN,
            Type::String,
            "ARN of the IAM role to assume, e.g. `arn:aws:iam::123456789012:role/terraform`.",
        ))
        .attribute(Attribute::optional(
            SESSION_NAME,
            Type::String,
            format!(
                "Session name for the assumed role (2–64 characters of `[\\w+=,.@-]`). Default: \
                 `{DEFAULT_SESSION_NAME}`."
            ),
        ))
        .attribute(Attribute::optional(
            EXTERNAL_ID,
            Type::String,
            "External ID the role's trust policy requires, if any (2–1224 characters).",
        ))
        .attribute(Attribute::optional(
            STS_ENDPOINT_URL,
            Type::String,
            "STS endpoint override for AssumeRole, an absolute `https://` URL (`http://` only for a loopback host). \
             `endpoint_url` never applies to STS. Default: `AWS_ENDPOINT_URL_STS`, then `AWS_ENDPOINT_URL`, then \
             AWS's regional STS endpoint.",
        ));
    Schema::new(
        0,
        Block::new(
            "Manages Amazon Cognito user pool app clients. Every setting is optional: the standard AWS environment \
             (`AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL`, credentials, SSO) applies when left out.",
        )
        .attribute(Attribute::optional(
            REGION,
            Type::String,
            "AWS region, e.g. `eu-west-1`. Default: `AWS_REGION` / `AWS_DEFAULT_REGION`, then the profile's region.",
        ))
        .attribute(Attribute::optional(
            PROFILE,
            Type::String,
            "Named profile from the shared AWS configuration files. Default: `AWS_PROFILE`, then `default`.",
        ))
        .attribute(Attribute::optional(
            ENDPOINT_URL,
            Type::String,
            "Cognito endpoint override (for a local emulator or a VPC endpoint), an absolute `https://` URL; \
             `http://` only for a loopback host. Applies to Cognito only, never to STS (see \
             `assume_role.sts_endpoint_url`). Default: `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, then \
             `AWS_ENDPOINT_URL`, then AWS's endpoint.",
        ))
        .attribute(Attribute::optional(
            MAX_RETRIES,
            Type::Number,
            format!(
                "How many times a retryable AWS error (throttling, 5xx, network) is retried, 0–25. Default: \
                 {DEFAULT_MAX_RETRIES}."
            ),
        ))
        .attribute(Attribute::optional(
            MAX_RETRY_SECONDS,
            Type::Number,
            format!(
                "The longest one AWS call may take with its retries and backoff waits, in whole seconds, 1–3600; \
                 no retry starts whose wait would end later. Default: {}.",
                RetryPolicy::default().max_total.as_secs()
            ),
        ))
        .attribute(Attribute::optional(
            REQUESTS_PER_SECOND_PER_POOL,
            Type::Number,
            format!(
                "Pacing: the most requests per second the provider sends for one operation (e.g. \
                 `CreateUserPoolClient`) on one user pool, Cognito's per-pool quota. A positive number up to 1000. \
                 Default: {}.",
                pacing.per_pool_operation
            ),
        ))
        .attribute(Attribute::optional(
            MUTATING_REQUESTS_PER_SECOND,
            Type::Number,
            format!(
                "Pacing: the most Create/Update/DeleteUserPoolClient requests per second across all user pools, \
                 Cognito's per-account `UserPoolClientUpdate` quota. Lower it when other tools share the account's \
                 quota; raise it if AWS raised yours. A positive number up to 1000. Default: {}.",
                pacing.mutating
            ),
        ))
        .attribute(Attribute::optional(
            READ_REQUESTS_PER_SECOND,
            Type::Number,
            format!(
                "Pacing: the most Describe/ListUserPoolClients requests per second across all user pools, \
                 Cognito's per-account `UserPoolClientRead` quota. A positive number up to 1000. Default: {}.",
                pacing.read
            ),
        ))
        .attribute(Attribute::optional(
            SHARED_RATE_LIMITER,
            Type::Bool,
            "Pacing: share the request rates above with every other run of this provider by the same user on this \
             machine (several stacks, workspaces, a Terragrunt `run-all`, parallel CI jobs), so that together they \
             keep to Cognito's quotas instead of each sending at the full rate. The rates live in files in a \
             per-user runtime directory: `$XDG_RUNTIME_DIR/terraform-provider-cognito`, else \
             `terraform-provider-cognito-<uid>` in the temporary directory (mode 0700, files 0600). Set to `false` \
             to pace this run on its own; throttling answers still slow every run down, so runs on separate \
             machines converge on sharing the quota. Default: `true`.",
        ))
        .block(NestedBlock::list_max_one(ASSUME_ROLE, assume_role)),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn schema_is_valid() {
        assert!(super::schema().problems().is_empty());
    }
}

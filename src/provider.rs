//! The `provider "cognito"` block and the AWS client behind it.
//!
//! Configuration is checked at ConfigureProvider, but nothing touches the network then: the AWS configuration
//! (profiles, SSO, assume-role, credentials) is resolved at the first call that needs a client, once per
//! configuration. Validate-only processes and `terraform validate` therefore never wait on AWS, and a machine
//! without AWS never hangs on instance-metadata lookups (they get short timeouts and one attempt).

use std::sync::{Arc, RwLock};
use std::time::Duration;

use async_trait::async_trait;
use aws_config::BehaviorVersion;
use aws_config::meta::region::RegionProviderChain;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_cognitoidentityprovider as cognito_sdk;
use tokio::sync::OnceCell;

use crate::cognito::ApiSource;
use crate::cognito::api::{
    AdoptingCognito, CognitoApi, PacedCognito, Pacer, PacingPolicy, RetryPolicy, RetryingCognito, SdkCognito,
    StopSignal,
};

use crate::tf::diagnostics::{AttributePath, Diagnostic, Diagnostics};
use crate::tf::resource::{Context, DataSource, Provider, Resource};
use crate::tf::schema::{Attribute, Block, NestedBlock, Schema};
use crate::tf::value::{Type, Value};

/// Settings from the provider block; `None` means "from the standard AWS environment".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProviderSettings {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    pub max_retries: Option<u32>,
    pub assume_role: Option<AssumeRole>,
    /// `max_retry_seconds`: the longest one call may take with its retries.
    pub max_retry_seconds: Option<u32>,
    /// `requests_per_second_per_pool`, `mutating_requests_per_second`, `read_requests_per_second`.
    pub pacing: PacingPolicy,
}

impl ProviderSettings {
    fn retry_policy(&self) -> RetryPolicy {
        let mut policy = RetryPolicy::with_max_retries(self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES));
        if let Some(seconds) = self.max_retry_seconds {
            policy.max_total = Duration::from_secs(u64::from(seconds));
        }
        policy
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct AssumeRole {
    pub role_arn: String,
    pub session_name: Option<String>,
    pub external_id: Option<String>,
}

impl std::fmt::Debug for AssumeRole {
    /// The external ID is a shared secret between accounts (it guards against the confused deputy): never shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssumeRole")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("external_id", &self.external_id.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Instance metadata is only worth a short look: off EC2 nobody answers.
const IMDS_TIMEOUT: Duration = Duration::from_millis(500);
/// One attempt of one AWS call; Cognito answers in well under a second.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_MAX_RETRIES: u32 = 3;
/// The highest rate the pacing attributes accept: far above any Cognito quota, low enough to catch a typo.
const MAX_REQUESTS_PER_SECOND: f64 = 1_000.0;

/// The configured AWS client, shared by every resource of the process. Cheap to clone.
#[derive(Clone, Default)]
pub struct AwsClients {
    configured: Arc<RwLock<Option<Arc<Configured>>>>,
    /// Ends the API stack's waits (pacing, retry backoff) when Terraform stops the provider.
    stop: StopSignal,
}

struct Configured {
    settings: ProviderSettings,
    api: OnceCell<Arc<dyn CognitoApi>>,
}

impl AwsClients {
    fn set(&self, settings: ProviderSettings) {
        let mut slot = self.configured.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        // Re-configuration with the same settings (debug mode, repeated runs) keeps the resolved client.
        if slot.as_ref().is_some_and(|current| current.settings == settings) {
            return;
        }
        *slot = Some(Arc::new(Configured {
            settings,
            api: OnceCell::new(),
        }));
    }

    /// The Cognito API, resolving the AWS configuration on first use: the SDK client behind the shared pacer, the
    /// retry policy and create adoption (outermost), every wait of which ends on StopProvider.
    pub async fn api(&self) -> Result<Arc<dyn CognitoApi>, Diagnostics> {
        let configured = self
            .configured
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        let Some(configured) = configured else {
            return Err(Diagnostic::error(
                "Provider not configured",
                "The cognito provider was used before Terraform configured it. This is a bug in the provider.",
            )
            .into());
        };
        let build = || async {
            let client = build_client(&configured.settings).await?;
            // One pacer for every resource of the run: the quotas are per pool and per account, not per resource.
            let pacer = Arc::new(Pacer::new(configured.settings.pacing));
            let paced = PacedCognito::new(SdkCognito::new(&client), pacer, self.stop.clone());
            let retrying = RetryingCognito::new(paced, configured.settings.retry_policy(), self.stop.clone());
            let max_create_requests = retrying.policy().max_attempts;
            let adopting = AdoptingCognito::with_max_create_requests(retrying, max_create_requests);
            Ok::<Arc<dyn CognitoApi>, Diagnostics>(Arc::new(adopting))
        };
        configured.api.get_or_try_init(build).await.cloned()
    }
}

#[async_trait]
impl ApiSource for AwsClients {
    async fn api(&self) -> Result<Arc<dyn CognitoApi>, Diagnostics> {
        AwsClients::api(self).await
    }
}

fn short_imds_client() -> aws_config::imds::Client {
    aws_config::imds::Client::builder()
        .connect_timeout(IMDS_TIMEOUT)
        .read_timeout(IMDS_TIMEOUT)
        .max_attempts(1)
        .build()
}

async fn build_client(settings: &ProviderSettings) -> Result<cognito_sdk::Client, Diagnostics> {
    let mut region_chain = RegionProviderChain::first_try(settings.region.clone().map(aws_config::Region::new))
        .or_else(aws_config::environment::EnvironmentVariableRegionProvider::new());
    let mut profile_region = aws_config::profile::ProfileFileRegionProvider::builder();
    let mut credentials =
        aws_config::default_provider::credentials::DefaultCredentialsChain::builder().imds_client(short_imds_client());
    if let Some(profile) = &settings.profile {
        profile_region = profile_region.profile_name(profile);
        credentials = credentials.profile_name(profile);
    }
    region_chain = region_chain.or_else(profile_region.build()).or_else(
        aws_config::imds::region::ImdsRegionProvider::builder()
            .imds_client(short_imds_client())
            .build(),
    );
    let Some(region) = region_chain.region().await else {
        return Err(Diagnostic::error(
            "No AWS region",
            "Set `region` in the provider block, or AWS_REGION / AWS_DEFAULT_REGION, or a region in the AWS profile.",
        )
        .at(AttributePath::attribute("region"))
        .into());
    };
    credentials = credentials.region(region.clone());

    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(region.clone())
        .credentials_provider(credentials.build().await)
        .retry_config(RetryConfig::disabled()) // retries by error class live in cognito::api::RetryingCognito
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .build(),
        );
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(endpoint) = &settings.endpoint_url {
        loader = loader.endpoint_url(endpoint);
    }
    let mut sdk_config = loader.load().await;
    if let Some(assume) = &settings.assume_role {
        let mut role = aws_config::sts::AssumeRoleProvider::builder(assume.role_arn.clone())
            .session_name(
                assume
                    .session_name
                    .clone()
                    .unwrap_or_else(|| "terraform-provider-cognito".to_string()),
            )
            .region(region.clone());
        if let Some(external_id) = &assume.external_id {
            role = role.external_id(external_id.clone());
        }
        let provider = role.configure(&sdk_config).build().await;
        sdk_config = sdk_config
            .into_builder()
            .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(provider))
            .build();
    }
    tracing::debug!(region = %region, endpoint = ?settings.endpoint_url, "AWS configuration resolved");
    Ok(cognito_sdk::Client::new(&sdk_config))
}

/// The provider: its block's schema and the resources it serves.
pub struct CognitoProvider {
    schema: Schema,
    clients: AwsClients,
    resources: Vec<Arc<dyn Resource>>,
    data_sources: Vec<Arc<dyn DataSource>>,
}

impl CognitoProvider {
    pub fn new() -> CognitoProvider {
        let clients = AwsClients::default();
        CognitoProvider {
            schema: provider_schema(),
            resources: crate::cognito::resources(&clients),
            data_sources: crate::cognito::data_sources(&clients),
            clients,
        }
    }
}

impl Default for CognitoProvider {
    fn default() -> Self {
        CognitoProvider::new()
    }
}

fn provider_schema() -> Schema {
    let assume_role = Block::new("Assume an IAM role before calling Cognito.")
        .attribute(Attribute::required(
            "role_arn",
            Type::String,
            "ARN of the IAM role to assume, e.g. `arn:aws:iam::123456789012:role/terraform`.",
        ))
        .attribute(Attribute::optional(
            "session_name",
            Type::String,
            "Session name for the assumed role (2–64 characters of `[\\w+=,.@-]`). Default: `terraform-provider-cognito`.",
        ))
        .attribute(Attribute::optional(
            "external_id",
            Type::String,
            "External ID the role's trust policy requires, if any (2–1224 characters).",
        ));
    Schema::new(
        0,
        Block::new(
            "Manages Amazon Cognito user pool app clients. Every setting is optional: the standard AWS environment \
             (`AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL`, credentials, SSO) applies when left out.",
        )
        .attribute(Attribute::optional(
            "region",
            Type::String,
            "AWS region, e.g. `eu-west-1`. Default: `AWS_REGION` / `AWS_DEFAULT_REGION`, then the profile's region.",
        ))
        .attribute(Attribute::optional(
            "profile",
            Type::String,
            "Named profile from the shared AWS configuration files. Default: `AWS_PROFILE`, then `default`.",
        ))
        .attribute(Attribute::optional(
            "endpoint_url",
            Type::String,
            "Cognito endpoint override (for a local emulator or a VPC endpoint), an absolute `http(s)://` URL. \
             Default: `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, then `AWS_ENDPOINT_URL`, then AWS's endpoint.",
        ))
        .attribute(Attribute::optional(
            "max_retries",
            Type::Number,
            "How many times a retryable AWS error (throttling, 5xx, network) is retried, 0–25. Default: 3.",
        ))
        .attribute(Attribute::optional(
            "max_retry_seconds",
            Type::Number,
            "The longest one AWS call may take with its retries and backoff waits, in whole seconds, 1–3600; no \
             retry starts whose wait would end later. Default: 120.",
        ))
        .attribute(Attribute::optional(
            "requests_per_second_per_pool",
            Type::Number,
            "Pacing: the most requests per second the provider sends for one operation (e.g. \
             `CreateUserPoolClient`) on one user pool, Cognito's per-pool quota. A positive number up to 1000. \
             Default: 5.",
        ))
        .attribute(Attribute::optional(
            "mutating_requests_per_second",
            Type::Number,
            "Pacing: the most Create/Update/DeleteUserPoolClient requests per second across all user pools, \
             Cognito's per-account `UserPoolClientUpdate` quota. Lower it when other tools share the account's \
             quota; raise it if AWS raised yours. A positive number up to 1000. Default: 15.",
        ))
        .attribute(Attribute::optional(
            "read_requests_per_second",
            Type::Number,
            "Pacing: the most Describe/ListUserPoolClients requests per second across all user pools, Cognito's \
             per-account `UserPoolClientRead` quota. A positive number up to 1000. Default: 15.",
        ))
        .block(NestedBlock::list_max_one("assume_role", assume_role)),
    )
}

/// Reads and checks the provider block. Unknown values (configuration that depends on other resources) are
/// skipped: Terraform calls again once they are known.
pub fn parse_settings(config: &Value) -> (ProviderSettings, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let mut settings = ProviderSettings::default();
    let text = |name: &str| config.attribute(name).and_then(Value::as_str).map(str::to_string);

    if let Some(region) = text("region") {
        if !is_region(&region) {
            diagnostics.push(
                Diagnostic::error(
                    "Invalid region",
                    format!("{region:?} is not an AWS region name like `us-east-1`."),
                )
                .at(AttributePath::attribute("region")),
            );
        }
        settings.region = Some(region);
    }
    if let Some(profile) = text("profile") {
        if profile.trim().is_empty() {
            diagnostics.push(
                Diagnostic::error("Invalid profile", "The profile name must not be empty.")
                    .at(AttributePath::attribute("profile")),
            );
        }
        settings.profile = Some(profile);
    }
    if let Some(endpoint) = text("endpoint_url") {
        if !is_http_url(&endpoint) {
            diagnostics.push(
                Diagnostic::error(
                    "Invalid endpoint URL",
                    format!("{endpoint:?} is not an absolute http:// or https:// URL with a host."),
                )
                .at(AttributePath::attribute("endpoint_url")),
            );
        }
        settings.endpoint_url = Some(endpoint);
    }
    if let Some(retries) = config
        .attribute("max_retries")
        .filter(|v| !v.is_null() && !v.is_unknown())
    {
        match retries.as_i64() {
            Some(n @ 0..=25) => settings.max_retries = Some(n as u32),
            _ => diagnostics.push(
                Diagnostic::error(
                    "Invalid max_retries",
                    "max_retries must be a whole number from 0 to 25.",
                )
                .at(AttributePath::attribute("max_retries")),
            ),
        }
    }
    if let Some(seconds) = known(config, "max_retry_seconds") {
        match seconds.as_i64() {
            Some(n @ 1..=3600) => settings.max_retry_seconds = Some(n as u32),
            _ => diagnostics.push(
                Diagnostic::error(
                    "Invalid max_retry_seconds",
                    "max_retry_seconds must be a whole number of seconds from 1 to 3600.",
                )
                .at(AttributePath::attribute("max_retry_seconds")),
            ),
        }
    }
    let defaults = PacingPolicy::COGNITO_DEFAULTS;
    for (name, default, slot) in [
        (
            "requests_per_second_per_pool",
            defaults.per_pool_operation,
            &mut settings.pacing.per_pool_operation,
        ),
        (
            "mutating_requests_per_second",
            defaults.mutating,
            &mut settings.pacing.mutating,
        ),
        ("read_requests_per_second", defaults.read, &mut settings.pacing.read),
    ] {
        *slot = default;
        let Some(value) = known(config, name) else {
            continue;
        };
        let rate = match value {
            Value::Number(number) => Some(number.to_f64()),
            _ => None,
        };
        match rate {
            Some(rate) if rate > 0.0 && rate <= MAX_REQUESTS_PER_SECOND => *slot = rate,
            _ => diagnostics.push(
                Diagnostic::error(
                    format!("Invalid {name}"),
                    format!("{name} must be a number of requests per second above 0 and at most 1000."),
                )
                .at(AttributePath::attribute(name)),
            ),
        }
    }
    if let Some(block) = config
        .attribute("assume_role")
        .and_then(Value::as_elements)
        .and_then(|b| b.first())
    {
        let path = AttributePath::attribute("assume_role").then_index(0);
        let field = |name: &str| block.attribute(name).and_then(Value::as_str).map(str::to_string);
        let role_arn = field("role_arn");
        if let Some(arn) = &role_arn
            && !is_role_arn(arn)
        {
            diagnostics.push(
                Diagnostic::error(
                    "Invalid role ARN",
                    format!("{arn:?} is not an IAM role ARN like `arn:aws:iam::123456789012:role/name`."),
                )
                .at(path.then_attribute("role_arn")),
            );
        }
        let session_name = field("session_name");
        if let Some(name) = &session_name {
            let valid = (2..=64).contains(&name.len())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
            if !valid {
                diagnostics.push(
                    Diagnostic::error(
                        "Invalid session name",
                        "session_name must be 2–64 characters of letters, digits and `_+=,.@-`.",
                    )
                    .at(path.then_attribute("session_name")),
                );
            }
        }
        let external_id = field("external_id");
        if let Some(id) = &external_id
            && !(2..=1224).contains(&id.len())
        {
            diagnostics.push(
                Diagnostic::error("Invalid external ID", "external_id must be 2–1224 characters long.")
                    .at(path.then_attribute("external_id")),
            );
        }
        if let Some(role_arn) = role_arn {
            settings.assume_role = Some(AssumeRole {
                role_arn,
                session_name,
                external_id,
            });
        }
    }
    (settings, diagnostics)
}

/// An attribute's value unless it is null or not known yet.
fn known<'a>(config: &'a Value, name: &str) -> Option<&'a Value> {
    config
        .attribute(name)
        .filter(|value| !value.is_null() && !value.is_unknown())
}

fn is_region(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    parts.len() >= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
        && parts.last().is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

fn is_http_url(text: &str) -> bool {
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !host.contains(char::is_whitespace)
    })
}

fn is_role_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
        && parts[5].strip_prefix("role/").is_some_and(|name| !name.is_empty())
}

#[async_trait]
impl Provider for CognitoProvider {
    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        parse_settings(config).1
    }

    async fn configure(&self, ctx: &Context, terraform_version: &str, config: Value) -> Diagnostics {
        let (settings, diagnostics) = parse_settings(&config);
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

    fn ephemeral_resources(&self) -> Vec<Arc<dyn crate::tf::resource::EphemeralResource>> {
        crate::cognito::ephemeral_resources(&self.clients)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn debug_output_hides_the_assume_role_external_id() {
        let assume = AssumeRole {
            role_arn: "arn:aws:iam::123456789012:role/deploy".to_string(),
            session_name: Some("terraform".to_string()),
            external_id: Some("shared-s3cr3t-id".to_string()),
        };
        for text in [format!("{assume:?}"), format!("{assume:#?}")] {
            assert!(!text.contains("shared-s3cr3t-id"), "{text}");
            assert!(text.contains("role/deploy") && text.contains("<redacted>"), "{text}");
        }
    }

    fn config(pairs: &[(&str, Value)]) -> Value {
        let mut attributes: BTreeMap<String, Value> = [
            "region",
            "profile",
            "endpoint_url",
            "max_retries",
            "assume_role",
            "max_retry_seconds",
            "requests_per_second_per_pool",
            "mutating_requests_per_second",
            "read_requests_per_second",
        ]
        .iter()
        .map(|name| (name.to_string(), Value::Null))
        .collect();
        for (name, value) in pairs {
            attributes.insert(name.to_string(), value.clone());
        }
        Value::Object(attributes)
    }

    #[test]
    fn empty_block_is_valid() {
        let (settings, diagnostics) = parse_settings(&config(&[]));
        assert!(diagnostics.is_empty());
        assert_eq!(settings, ProviderSettings::default());
    }

    #[test]
    fn bad_values_point_at_their_attribute() {
        let (_, diagnostics) = parse_settings(&config(&[
            ("region", Value::string("Europe")),
            ("endpoint_url", Value::string("localhost:5000")),
            ("max_retries", Value::int(99)),
        ]));
        let paths: Vec<String> = diagnostics
            .iter()
            .map(|d| d.attribute.clone().unwrap().to_string())
            .collect();
        assert_eq!(paths, ["region", "endpoint_url", "max_retries"]);
    }

    #[test]
    fn retry_time_and_pacing_rates_are_read_and_checked() {
        let (settings, diagnostics) = parse_settings(&config(&[
            ("max_retry_seconds", Value::int(30)),
            (
                "requests_per_second_per_pool",
                Value::Number(crate::tf::value::Number::from_f64(2.5).unwrap()),
            ),
            ("mutating_requests_per_second", Value::int(10)),
        ]));
        assert!(diagnostics.is_empty());
        assert_eq!(settings.retry_policy().max_total, Duration::from_secs(30));
        assert_eq!(
            settings.pacing,
            PacingPolicy {
                per_pool_operation: 2.5,
                mutating: 10.0,
                read: 15.0
            }
        );
        let (_, diagnostics) = parse_settings(&config(&[
            ("max_retry_seconds", Value::int(0)),
            ("requests_per_second_per_pool", Value::int(0)),
            ("mutating_requests_per_second", Value::int(-3)),
            ("read_requests_per_second", Value::int(5000)),
        ]));
        let paths: Vec<String> = diagnostics
            .iter()
            .map(|d| d.attribute.clone().unwrap().to_string())
            .collect();
        assert_eq!(
            paths,
            [
                "max_retry_seconds",
                "requests_per_second_per_pool",
                "mutating_requests_per_second",
                "read_requests_per_second"
            ]
        );
        assert_eq!(ProviderSettings::default().retry_policy(), RetryPolicy::default());
    }

    #[test]
    fn unknown_values_are_skipped() {
        let (settings, diagnostics) = parse_settings(&config(&[("region", Value::unknown())]));
        assert!(diagnostics.is_empty());
        assert_eq!(settings.region, None);
    }

    #[test]
    fn assume_role_is_read_and_checked() {
        let role = |arn: &str| {
            Value::List(vec![Value::Object(BTreeMap::from([
                ("role_arn".to_string(), Value::string(arn)),
                ("session_name".to_string(), Value::Null),
                ("external_id".to_string(), Value::string("x")),
            ]))])
        };
        let (settings, diagnostics) = parse_settings(&config(&[(
            "assume_role",
            role("arn:aws:iam::123456789012:role/deploy"),
        )]));
        assert_eq!(
            settings.assume_role.unwrap().role_arn,
            "arn:aws:iam::123456789012:role/deploy"
        );
        assert_eq!(diagnostics.iter().count(), 1, "external_id too short");
        let (_, diagnostics) = parse_settings(&config(&[("assume_role", role("arn:aws:s3:::bucket"))]));
        assert!(diagnostics.has_errors());
    }

    #[test]
    fn region_and_url_shapes() {
        assert!(is_region("us-east-1") && is_region("us-gov-west-1") && !is_region("us-east") && !is_region("US-1-1"));
        assert!(is_http_url("http://127.0.0.1:5000") && is_http_url("https://cognito-idp.eu-west-1.amazonaws.com/"));
        assert!(!is_http_url("ftp://x") && !is_http_url("https://"));
    }

    #[test]
    fn schema_is_valid() {
        assert!(provider_schema().problems().is_empty());
    }
}

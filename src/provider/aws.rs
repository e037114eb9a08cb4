//! AWS set-up: the Cognito API stack behind the provider's settings.
//!
//! Nothing touches the network at ConfigureProvider: the AWS configuration (profiles, SSO, assume-role,
//! credentials) is resolved at the first call that needs a client, once per configuration. Validate-only
//! processes and `terraform validate` therefore never wait on AWS, and a machine without AWS never hangs on
//! instance-metadata lookups (they get short timeouts and one attempt).

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
use crate::cognito::api::{Cognito, Pacer, QuotaOwner, Registry, SdkCognito, Stack, StopSignal};
use crate::tf::diagnostics::{AttributePath, Diagnostic, Diagnostics};

use super::schema::{DEFAULT_SESSION_NAME, attr};
use super::settings::{ProviderSettings, SettingError, check_endpoint_url};

/// Instance metadata is only worth a short look: off EC2 nobody answers.
const IMDS_TIMEOUT: Duration = Duration::from_millis(500);
/// One attempt of one AWS call; Cognito answers in well under a second.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The configured AWS client, shared by every resource of the process. Cheap to clone.
#[derive(Clone, Default)]
pub struct AwsClients {
    configured: Arc<RwLock<Option<Arc<Configured>>>>,
    /// Ends the API stack's waits (pacing, retry backoff) when Terraform stops the provider.
    pub(super) stop: StopSignal,
}

struct Configured {
    settings: ProviderSettings,
    /// Resolved once, on its own: plan-time checks need the Region, not the whole API.
    region: OnceCell<Option<aws_config::Region>>,
    api: OnceCell<Arc<Cognito>>,
}

impl Configured {
    async fn region(&self) -> Option<aws_config::Region> {
        self.region.get_or_init(|| resolve_region(&self.settings)).await.clone()
    }
}

impl AwsClients {
    /// Takes the settings of a ConfigureProvider. Re-configuration with the same settings (debug mode, repeated
    /// runs) keeps the resolved client.
    pub(super) fn set(&self, settings: ProviderSettings) {
        let mut slot = self.configured.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        if slot.as_ref().is_some_and(|current| current.settings == settings) {
            return;
        }
        *slot = Some(Arc::new(Configured {
            settings,
            region: OnceCell::new(),
            api: OnceCell::new(),
        }));
    }

    fn configured(&self) -> Option<Arc<Configured>> {
        self.configured
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The Cognito API, resolving the AWS configuration on first use: the SDK client behind one stack (the shared
    /// pacer and the retry policy, every wait of which ends on StopProvider) and create adoption.
    pub async fn api(&self) -> Result<Arc<Cognito>, Diagnostics> {
        let Some(configured) = self.configured() else {
            return Err(Diagnostic::error(
                "Provider not configured",
                "The cognito provider was used before Terraform configured it. This is a bug in the provider.",
            )
            .into());
        };
        let build = || async {
            let region = configured.region().await.ok_or_else(no_region)?;
            let client = build_client(&configured.settings, region.clone()).await?;
            // One pacer for every resource of the run: the quotas are per pool and per account, not per resource.
            let region_name = region.to_string();
            let pacer = Arc::new(pacer(&configured.settings, region));
            let endpoint = configured.settings.endpoint_url.as_deref().unwrap_or("aws");
            let retry = configured.settings.retry_policy();
            let stack = Stack::default()
                .with_pacer(pacer)
                .with_retry(retry)
                .with_stop(self.stop.clone())
                .with_region(region_name);
            let sdk = Arc::new(SdkCognito::new(&client));
            let cognito = Cognito::new(sdk, stack, retry.max_attempts, Registry::on_this_machine(endpoint));
            Ok::<Arc<Cognito>, Diagnostics>(Arc::new(cognito))
        };
        configured.api.get_or_try_init(build).await.cloned()
    }
}

#[async_trait]
impl ApiSource for AwsClients {
    async fn api(&self) -> Result<Arc<Cognito>, Diagnostics> {
        AwsClients::api(self).await
    }

    async fn region(&self) -> Option<String> {
        let region = self.configured()?.region().await?;
        Some(region.to_string())
    }
}

fn short_imds_client() -> aws_config::imds::Client {
    aws_config::imds::Client::builder()
        .connect_timeout(IMDS_TIMEOUT)
        .read_timeout(IMDS_TIMEOUT)
        .max_attempts(1)
        .build()
}

/// The pacer the settings ask for: shared with the user's other runs on this machine unless `shared_rate_limiter`
/// is off.
fn pacer(settings: &ProviderSettings, region: aws_config::Region) -> Pacer {
    if settings.pace_alone {
        return Pacer::new(settings.pacing);
    }
    let owner = QuotaOwner {
        endpoint: settings.endpoint_url.as_deref().unwrap_or("aws").to_string(),
        region: region.to_string(),
        account: quota_account(settings),
    };
    Pacer::shared_on_this_machine(settings.pacing, owner)
}

/// The account whose quotas the calls count against, as near as the configuration tells without asking AWS: the
/// account of `assume_role`'s role, else `AWS_ACCOUNT_ID`, else the profile. Runs with different profiles of one
/// account therefore share the per-pool rates (which need no account) but not the per-account ones.
fn quota_account(settings: &ProviderSettings) -> String {
    if let Some(account) = settings
        .assume_role
        .as_ref()
        .and_then(|role| role.role_arn.split(':').nth(4))
    {
        return account.to_string();
    }
    if let Ok(account) = std::env::var("AWS_ACCOUNT_ID") {
        return account;
    }
    let profile = settings
        .profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok())
        .unwrap_or_else(|| "default".to_string());
    format!("profile:{profile}")
}

/// The Region the settings name, else the environment's, the profile's or the instance's.
async fn resolve_region(settings: &ProviderSettings) -> Option<aws_config::Region> {
    let mut profile_region = aws_config::profile::ProfileFileRegionProvider::builder();
    if let Some(profile) = &settings.profile {
        profile_region = profile_region.profile_name(profile);
    }
    RegionProviderChain::first_try(settings.region.clone().map(aws_config::Region::new))
        .or_else(aws_config::environment::EnvironmentVariableRegionProvider::new())
        .or_else(profile_region.build())
        .or_else(
            aws_config::imds::region::ImdsRegionProvider::builder()
                .imds_client(short_imds_client())
                .build(),
        )
        .region()
        .await
}

fn no_region() -> Diagnostics {
    Diagnostic::error(
        "No AWS region",
        "Set `region` in the provider block, or AWS_REGION / AWS_DEFAULT_REGION, or a region in the AWS profile.",
    )
    .at(AttributePath::attribute(attr::REGION))
    .into()
}

async fn build_client(
    settings: &ProviderSettings,
    region: aws_config::Region,
) -> Result<cognito_sdk::Client, Diagnostics> {
    let mut credentials = aws_config::default_provider::credentials::DefaultCredentialsChain::builder()
        .imds_client(short_imds_client())
        .region(region.clone());
    if let Some(profile) = &settings.profile {
        credentials = credentials.profile_name(profile);
    }

    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(region.clone())
        .credentials_provider(credentials.build().await)
        .retry_config(RetryConfig::disabled()) // retries by error class live in cognito::api::Stack
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .build(),
        );
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile);
    }
    let mut sdk_config = loader.load().await;
    if let Some(assume) = &settings.assume_role {
        let mut role = aws_config::sts::AssumeRoleProvider::builder(assume.role_arn.clone())
            .session_name(
                assume
                    .session_name
                    .clone()
                    .unwrap_or_else(|| DEFAULT_SESSION_NAME.to_string()),
            )
            .region(region.clone());
        if let Some(external_id) = &assume.external_id {
            role = role.external_id(external_id.clone());
        }
        let provider = role
            .configure(&sts_config(&sdk_config, assume.sts_endpoint_url.as_deref()))
            .build()
            .await;
        sdk_config = sdk_config
            .into_builder()
            .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(provider))
            .build();
    }
    refuse_clear_text_endpoint_from_environment(settings, |name| std::env::var(name).ok())?;
    tracing::debug!(region = %region, endpoint = ?settings.endpoint_url, "AWS configuration resolved");
    Ok(cognito_sdk::Client::from_conf(cognito_config(
        &sdk_config,
        settings.endpoint_url.as_deref(),
    )))
}

/// The Cognito client's configuration: the shared one, with the provider's `endpoint_url`. The override is set on
/// this client alone, never on the shared configuration, which STS (assume-role) also uses.
fn cognito_config(shared: &aws_config::SdkConfig, endpoint_url: Option<&str>) -> cognito_sdk::Config {
    let mut config = cognito_sdk::config::Builder::from(shared);
    if let Some(endpoint) = endpoint_url {
        config = config.endpoint_url(endpoint);
    }
    config.build()
}

/// The configuration STS is called with for AssumeRole: the shared one, with `assume_role.sts_endpoint_url`. The
/// override is marked as set in code: otherwise the SDK lets `AWS_ENDPOINT_URL_STS` or `AWS_ENDPOINT_URL` win over it.
fn sts_config(shared: &aws_config::SdkConfig, sts_endpoint_url: Option<&str>) -> aws_config::SdkConfig {
    let Some(endpoint) = sts_endpoint_url else {
        return shared.clone();
    };
    let mut builder = shared.to_builder();
    builder.set_endpoint_url(Some(endpoint.to_string()));
    builder.insert_origin("endpoint_url", aws_types::origin::Origin::shared_config());
    builder.build()
}

/// The environment variables that name a Cognito endpoint, in the AWS SDK's order of precedence.
const ENDPOINT_VARIABLES: [&str; 2] = ["AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "AWS_ENDPOINT_URL"];

/// The provider block's `endpoint_url` is checked at plan time; an endpoint from the environment gets the same rule
/// here, at first use: `http://` only for a loopback host.
fn refuse_clear_text_endpoint_from_environment(
    settings: &ProviderSettings,
    env: impl Fn(&str) -> Option<String>,
) -> Result<(), Diagnostics> {
    let ignored = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").is_some_and(|value| value.eq_ignore_ascii_case("true"));
    if settings.endpoint_url.is_some() || ignored {
        return Ok(());
    }
    let Some((variable, url)) = ENDPOINT_VARIABLES
        .into_iter()
        .find_map(|name| env(name).filter(|url| !url.is_empty()).map(|url| (name, url)))
    else {
        return Ok(());
    };
    match check_endpoint_url(&url) {
        Err(error @ SettingError::InsecureEndpointUrl(_)) => {
            Err(Diagnostic::error(format!("{variable} is not a safe Cognito endpoint"), error.to_string()).into())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared() -> aws_config::SdkConfig {
        aws_config::SdkConfig::builder()
            .region(aws_config::Region::new("us-east-1"))
            .behavior_version(BehaviorVersion::latest())
            .build()
    }

    #[test]
    fn endpoint_url_is_set_on_cognito_alone_and_sts_has_its_own() {
        let shared = shared();
        let _cognito = cognito_config(&shared, Some("http://127.0.0.1:5000"));
        assert_eq!(
            shared.endpoint_url(),
            None,
            "the shared configuration, which STS uses, keeps no override"
        );
        assert_eq!(sts_config(&shared, None).endpoint_url(), None);
        assert_eq!(
            sts_config(&shared, Some("https://sts.example.com")).endpoint_url(),
            Some("https://sts.example.com")
        );
    }

    #[test]
    fn a_clear_text_endpoint_from_the_environment_is_refused_unless_loopback() {
        let settings = ProviderSettings::default();
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| value.to_string())
            }
        };
        let refused = refuse_clear_text_endpoint_from_environment(
            &settings,
            env(&[("AWS_ENDPOINT_URL", "http://cognito.example.com")]),
        )
        .unwrap_err();
        assert!(refused.has_errors());
        assert!(format!("{refused:?}").contains("AWS_ENDPOINT_URL"), "{refused:?}");
        // The service-specific variable wins, as in the SDK.
        let refused = refuse_clear_text_endpoint_from_environment(
            &settings,
            env(&[
                ("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "http://10.1.2.3"),
                ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
            ]),
        );
        assert!(refused.is_err());
        for accepted in [
            &[("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")][..],
            &[("AWS_ENDPOINT_URL", "https://cognito.example.com")][..],
            &[
                ("AWS_ENDPOINT_URL", "http://cognito.example.com"),
                ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
            ][..],
            &[][..],
        ] {
            let pairs: &'static [(&'static str, &'static str)] = accepted;
            assert!(
                refuse_clear_text_endpoint_from_environment(&settings, env(pairs)).is_ok(),
                "{pairs:?}"
            );
        }
        // The provider block's own endpoint_url (checked at plan time) takes precedence over the environment.
        let configured = ProviderSettings {
            endpoint_url: Some("http://127.0.0.1:5000".to_string()),
            ..ProviderSettings::default()
        };
        assert!(
            refuse_clear_text_endpoint_from_environment(
                &configured,
                env(&[("AWS_ENDPOINT_URL", "http://cognito.example.com")])
            )
            .is_ok()
        );
    }
}

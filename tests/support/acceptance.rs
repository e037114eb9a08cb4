//! Acceptance mode: the end-to-end tests against the AWS account of the environment instead of a local stack, as
//! terraform-provider-aws runs its tests with `TF_ACC` (docs/dev/local-test-stack.md#acceptance-mode).
//!
//! - [`enabled`]: `COGNITO_ACC=1` turns the mode on for the whole test process.
//! - [`AccountSettings`]: where the account target ([`TestCognito`](super::TestCognito) in this mode) sends its
//!   requests. Credentials, profile and Region come from the standard AWS environment; `COGNITO_ACC_ENDPOINT`
//!   optionally points everything at another endpoint (a local stack, to check this mode itself). Every user pool
//!   the target creates is named with the run's prefix and deleted when the target is dropped; app clients exist
//!   only inside those pools.
//! - [`run_prefix`]: `tfacc-<run id>-`, the run id from `COGNITO_ACC_RUN_ID` or made up once per process.
//! - [`sweep`]: deletes the user pools whose names start with a prefix, leftovers of runs that could not clean up.
//! - [`skip`]: what a test or a check that needs the local stack's proxy says when it does not run.

use std::io::Write;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::config::retry::RetryConfig;
use aws_sdk_cognitoidentityprovider::config::{Credentials, Region};
use aws_smithy_types::error::display::DisplayErrorContext;

use super::local_cognito::test_client;

/// `COGNITO_ACC=1`: run the end-to-end tests against the AWS account of the environment.
pub const ENABLE_VARIABLE: &str = "COGNITO_ACC";
/// Optional: the run id in the prefix (e.g. a CI job id); made up when absent.
pub const RUN_ID_VARIABLE: &str = "COGNITO_ACC_RUN_ID";
/// Optional: an endpoint URL for the provider and the tests' SDK clients, instead of Cognito's own.
pub const ENDPOINT_VARIABLE: &str = "COGNITO_ACC_ENDPOINT";
/// The start of every prefix: the sweeper deletes nothing whose name does not start with it.
pub const PREFIX_FAMILY: &str = "tfacc-";

/// The most user pools one ListUserPools call may return.
pub const MAX_LIST_PAGE: i32 = 60;

/// Whether this test process runs in acceptance mode.
pub fn enabled() -> bool {
    std::env::var(ENABLE_VARIABLE).is_ok_and(|value| value == "1")
}

/// This run's prefix, `tfacc-<run id>-`; printed once, so a failed run's leftovers can be swept by it.
pub fn run_prefix() -> &'static str {
    static PREFIX: OnceLock<String> = OnceLock::new();
    PREFIX.get_or_init(|| {
        let run_id = std::env::var(RUN_ID_VARIABLE)
            .ok()
            .filter(|id| !id.is_empty())
            .unwrap_or_else(made_up_run_id);
        let prefix = prefix_for(&run_id).unwrap_or_else(|error| panic!("{RUN_ID_VARIABLE}: {error}"));
        if enabled() {
            announce(&format!(
                "acceptance mode: every user pool of this run is named {prefix}…"
            ));
        }
        prefix
    })
}

/// Seconds since the epoch in base 36 and four random characters: unique enough between runs, short in names.
fn made_up_run_id() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let mut id = base36(seconds);
    id.extend((0..4).map(|_| fastrand::alphanumeric().to_ascii_lowercase()));
    id
}

fn base36(mut number: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut digits = Vec::new();
    loop {
        digits.push(DIGITS[(number % 36) as usize]);
        number /= 36;
        if number == 0 {
            break;
        }
    }
    digits.iter().rev().map(|&digit| char::from(digit)).collect()
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PrefixError {
    #[error("a run id of 1 to 20 letters, digits or '-' is needed, not {0:?}")]
    RunId(String),
    #[error("{0:?} does not start with {PREFIX_FAMILY:?}; only names made by acceptance runs may be swept")]
    NotAcceptance(String),
}

/// The prefix of a run id. The id is short and plain so that every pool name stays valid (`[\w\s+=,.@-]+`, at
/// most 128 characters) whatever a test calls its pool.
pub fn prefix_for(run_id: &str) -> Result<String, PrefixError> {
    let plain = run_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if run_id.is_empty() || run_id.len() > 20 || !plain {
        return Err(PrefixError::RunId(run_id.to_string()));
    }
    Ok(format!("{PREFIX_FAMILY}{run_id}-"))
}

/// Checks a prefix given to the sweeper: it must belong to acceptance runs, so no other pool can match it.
pub fn sweepable_prefix(prefix: &str) -> Result<&str, PrefixError> {
    if prefix.starts_with(PREFIX_FAMILY) {
        Ok(prefix)
    } else {
        Err(PrefixError::NotAcceptance(prefix.to_string()))
    }
}

/// Writes a line straight to the process's stderr, past the test harness's output capture: a skipped test or check
/// must be visible in a normal `cargo test` run, not only with `--nocapture`.
pub fn announce(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// The name of the running test (the test harness names each test's thread after it).
pub fn current_test() -> String {
    std::thread::current().name().unwrap_or("a test").to_owned()
}

/// Says that `what` does not run in acceptance mode, and why.
pub fn skip(what: &str, reason: &str) {
    announce(&format!("acceptance mode: skipped {what}: {reason}"));
}

/// Where an acceptance run sends its requests, and with which credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct AccountSettings {
    /// `None`: Cognito's own endpoint for the Region.
    pub endpoint: Option<String>,
    /// `None`: the credentials of the AWS environment. Set only by the tests that point this mode at a local stack.
    pub static_credentials: Option<(String, String)>,
    /// `None`: the Region of the AWS environment.
    pub region: Option<String>,
}

impl AccountSettings {
    /// From `COGNITO_ACC_ENDPOINT`; everything else is the standard AWS environment.
    pub fn from_environment() -> AccountSettings {
        AccountSettings {
            endpoint: std::env::var(ENDPOINT_VARIABLE).ok().filter(|url| !url.is_empty()),
            static_credentials: None,
            region: None,
        }
    }

    /// The AWS configuration of the environment, as the provider resolves it too (credentials, profile, Region).
    pub async fn load(&self) -> SdkConfig {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(endpoint) = &self.endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        if let Some((access_key_id, secret_access_key)) = &self.static_credentials {
            loader = loader.credentials_provider(Credentials::new(
                access_key_id,
                secret_access_key,
                None,
                None,
                "acceptance-settings",
            ));
        }
        if let Some(region) = &self.region {
            loader = loader.region(Region::new(region.clone()));
        }
        let config = loader.load().await;
        assert!(
            config.region().is_some(),
            "acceptance mode needs an AWS Region: set AWS_REGION or a region in the AWS profile"
        );
        config
    }
}

/// Runs `work` to completion on a thread and runtime of its own. The harness's setup and cleanup are synchronous
/// (constructors and Drop) and may run inside a test's runtime, which must not be blocked on from within.
pub fn on_own_runtime<T: Send + 'static>(work: impl Future<Output = T> + Send + 'static) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the acceptance harness")
            .block_on(work)
    })
    .join()
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// An SDK client over `config`, with `retry` and a bound on each call.
pub fn sdk(config: &SdkConfig, retry: RetryConfig) -> Client {
    test_client(aws_sdk_cognitoidentityprovider::config::Builder::from(config), retry)
}

/// What [`sweep`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// `(id, name)` of every pool deleted.
    pub deleted: Vec<(String, String)>,
    /// Pools that matched but could not be deleted, with the reason.
    pub failed: Vec<(String, String)>,
}

/// Deletes every user pool of the account and Region whose name starts with `prefix` (and with it its app clients).
/// Pools of other names are never touched. A pool that is already gone counts as deleted.
pub async fn sweep(sdk: &Client, prefix: &str) -> Result<SweepReport, String> {
    sweep_in_pages(sdk, prefix, MAX_LIST_PAGE).await
}

/// [`sweep`], listing `page_size` pools per ListUserPools call (tests use small pages to cover paging).
pub async fn sweep_in_pages(sdk: &Client, prefix: &str, page_size: i32) -> Result<SweepReport, String> {
    let mut report = SweepReport::default();
    for (id, name) in matching_pools(sdk, prefix, page_size).await? {
        match delete_user_pool(sdk, &id).await {
            Ok(()) => report.deleted.push((id, name)),
            Err(reason) => report.failed.push((id, reason)),
        }
    }
    Ok(report)
}

/// `(id, name)` of every user pool whose name starts with `prefix`, an acceptance prefix.
pub async fn matching_pools(sdk: &Client, prefix: &str, page_size: i32) -> Result<Vec<(String, String)>, String> {
    let prefix = sweepable_prefix(prefix).map_err(|error| error.to_string())?;
    let mut pools = user_pools(sdk, page_size).await?;
    pools.retain(|(_, name)| name.starts_with(prefix));
    Ok(pools)
}

/// `(id, name)` of every user pool of the account and Region, `page_size` per ListUserPools call.
pub async fn user_pools(sdk: &Client, page_size: i32) -> Result<Vec<(String, String)>, String> {
    let mut pools = Vec::new();
    let mut next_token = None;
    loop {
        let page = sdk
            .list_user_pools()
            .max_results(page_size)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|error| format!("ListUserPools: {}", DisplayErrorContext(&error)))?;
        pools.extend(
            page.user_pools()
                .iter()
                .filter_map(|pool| Some((pool.id()?.to_string(), pool.name()?.to_string()))),
        );
        next_token = page.next_token().map(str::to_string);
        if next_token.is_none() {
            return Ok(pools);
        }
    }
}

/// DeleteUserPool, counting a pool that is already gone as deleted.
pub async fn delete_user_pool(sdk: &Client, pool_id: &str) -> Result<(), String> {
    match sdk.delete_user_pool().user_pool_id(pool_id).send().await {
        Ok(_) => Ok(()),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|service| service.is_resource_not_found_exception()) =>
        {
            Ok(())
        }
        Err(error) => Err(DisplayErrorContext(&error).to_string()),
    }
}

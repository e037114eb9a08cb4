//! [`RetryingCognito`]: retries by error class around another [`CognitoApi`].
//!
//! Which errors are retried is [`ApiError::is_retryable_for`]'s decision; this layer decides when and how often:
//! exponential backoff from `base_delay`, capped at `max_delay`, jittered so that clients throttled together do
//! not come back together, at most `max_attempts` attempts, and never a wait that would end after `max_total`.
//! A cancelled token (Terraform is stopping) ends a pending wait at once. A call in flight is never interrupted
//! here: an interrupted Create could leave a client that state does not know.

use std::future::Future;
use std::time::Duration;

use async_trait::async_trait;
use tokio::time::Instant;

use super::{ApiError, ClientSummary, CognitoApi, ErrorKind, Operation, StopSignal};
use crate::cognito::user_pool_client::model::{ClientSettings, RemoteClient};

/// How often and how long to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 means no retries.
    pub max_attempts: u32,
    /// The wait before the first retry, doubled for each further one.
    pub base_delay: Duration,
    /// The longest single wait.
    pub max_delay: Duration,
    /// The longest a call may take, attempts and waits included: no retry starts whose wait would end later.
    pub max_total: Duration,
}

impl Default for RetryPolicy {
    /// Three retries (the provider's default `max_retries`), starting at half a second (Cognito allows about five
    /// writes per second per pool), within two minutes (what the HashiCorp provider allows for
    /// ConcurrentModificationException).
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            max_total: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// The default policy with the provider block's `max_retries`.
    pub fn with_max_retries(max_retries: u32) -> RetryPolicy {
        RetryPolicy {
            max_attempts: max_retries.saturating_add(1),
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry number `retry` (1 for the first). `jitter`, in `0.0..=1.0`, picks a point in the upper
    /// half of the capped exponential backoff: spread out, yet never much shorter than the backoff intends.
    pub fn delay(&self, retry: u32, jitter: f64) -> Duration {
        let factor = 2u32.checked_pow(retry.saturating_sub(1)).unwrap_or(u32::MAX);
        let backoff = self
            .base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay);
        let half = backoff / 2;
        half + (backoff - half).mul_f64(jitter.clamp(0.0, 1.0))
    }
}

/// Another [`CognitoApi`], with retries.
pub struct RetryingCognito<A: CognitoApi> {
    inner: A,
    policy: RetryPolicy,
    stop: StopSignal,
}

impl<A: CognitoApi> RetryingCognito<A> {
    /// `stop` ends pending retry waits: it carries the token that fires when Terraform stops the provider.
    pub fn new(inner: A, policy: RetryPolicy, stop: impl Into<StopSignal>) -> RetryingCognito<A> {
        RetryingCognito {
            inner,
            policy,
            stop: stop.into(),
        }
    }

    pub fn inner(&self) -> &A {
        &self.inner
    }

    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    async fn run<T, F, Fut>(&self, operation: Operation, mut call: F) -> Result<T, ApiError>
    where
        F: FnMut() -> Fut + Send,
        Fut: Future<Output = Result<T, ApiError>> + Send,
        T: Send,
    {
        let started = Instant::now();
        let mut attempt = 1;
        loop {
            let mut error = match call().await {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            error.attempts = attempt;
            if !error.is_retryable_for(operation) || attempt >= self.policy.max_attempts {
                return Err(error);
            }
            let delay = self.policy.delay(attempt, fastrand::f64());
            if started.elapsed() + delay > self.policy.max_total {
                return Err(error);
            }
            tracing::warn!(
                operation = %operation,
                user_pool_id = %error.user_pool_id,
                kind = ?error.kind,
                code = error.code.as_deref().unwrap_or("-"),
                attempt,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "Cognito call failed; retrying"
            );
            let stopping = self.stop.token();
            tokio::select! {
                () = stopping.cancelled() => return Err(cancelled(error)),
                () = tokio::time::sleep(delay) => {}
            }
            attempt += 1;
        }
    }
}

/// The error to report when Terraform stopped the provider while a retry was pending.
fn cancelled(last: ApiError) -> ApiError {
    let last_failure = match &last.code {
        Some(code) => format!("{code}: {}", last.message),
        None => last.message.clone(),
    };
    ApiError {
        kind: ErrorKind::Cancelled,
        code: None,
        message: format!("not retried because Terraform is stopping; the last attempt failed with {last_failure}"),
        ..last
    }
}

#[async_trait]
impl<A: CognitoApi> CognitoApi for RetryingCognito<A> {
    async fn describe(&self, user_pool_id: &str, client_id: &str) -> Result<Option<RemoteClient>, ApiError> {
        self.run(Operation::Describe, || self.inner.describe(user_pool_id, client_id))
            .await
    }

    async fn create(
        &self,
        user_pool_id: &str,
        settings: &ClientSettings,
        generate_secret: bool,
    ) -> Result<RemoteClient, ApiError> {
        self.run(Operation::Create, || {
            self.inner.create(user_pool_id, settings, generate_secret)
        })
        .await
    }

    async fn update(
        &self,
        user_pool_id: &str,
        client_id: &str,
        settings: &ClientSettings,
    ) -> Result<RemoteClient, ApiError> {
        self.run(Operation::Update, || {
            self.inner.update(user_pool_id, client_id, settings)
        })
        .await
    }

    async fn delete(&self, user_pool_id: &str, client_id: &str) -> Result<(), ApiError> {
        self.run(Operation::Delete, || self.inner.delete(user_pool_id, client_id))
            .await
    }

    async fn list(&self, user_pool_id: &str) -> Result<Vec<ClientSummary>, ApiError> {
        self.run(Operation::List, || self.inner.list(user_pool_id)).await
    }
}

#[cfg(test)]
mod tests {
    use tokio_util::sync::CancellationToken;

    use super::*;
    use crate::cognito::api::FakeCognito;

    const POOL: &str = "us-east-1_pool";

    fn quick(max_attempts: u32) -> RetryPolicy {
        RetryPolicy {
            max_attempts,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(4),
            max_total: Duration::from_secs(10),
        }
    }

    fn retrying(fake: FakeCognito, policy: RetryPolicy) -> RetryingCognito<FakeCognito> {
        RetryingCognito::new(fake, policy, CancellationToken::new())
    }

    fn service(operation: Operation, client_id: Option<&str>, code: &str) -> ApiError {
        ApiError::from_service(operation, POOL, client_id, code, format!("injected {code}"), 400)
    }

    #[test]
    fn delays_grow_exponentially_up_to_the_cap_with_jitter_in_the_upper_half() {
        let policy = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            max_total: Duration::from_secs(60),
        };
        assert_eq!(policy.delay(1, 1.0), Duration::from_millis(100));
        assert_eq!(policy.delay(1, 0.0), Duration::from_millis(50));
        assert_eq!(policy.delay(2, 1.0), Duration::from_millis(200));
        assert_eq!(policy.delay(3, 0.5), Duration::from_millis(300));
        assert_eq!(policy.delay(4, 1.0), Duration::from_millis(800));
        assert_eq!(policy.delay(5, 1.0), Duration::from_secs(1));
        assert_eq!(policy.delay(5, 0.0), Duration::from_millis(500));
        // Far beyond any realistic retry count, the cap still holds and nothing overflows.
        assert_eq!(policy.delay(200, 1.0), Duration::from_secs(1));
        assert_eq!(policy.delay(3, 7.0), Duration::from_millis(400), "jitter is clamped");
    }

    #[test]
    fn max_retries_maps_to_attempts() {
        assert_eq!(RetryPolicy::with_max_retries(0).max_attempts, 1);
        assert_eq!(RetryPolicy::with_max_retries(3).max_attempts, 4);
        assert_eq!(RetryPolicy::with_max_retries(u32::MAX).max_attempts, u32::MAX);
        assert_eq!(RetryPolicy::default().max_attempts, 4);
    }

    #[tokio::test]
    async fn throttling_is_retried_until_it_succeeds() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        let client = fake.insert_client(POOL, &ClientSettings::with_defaults("app"), false);
        let id = Some(client.client_id.as_str());
        fake.fail_next(
            Operation::Describe,
            service(Operation::Describe, id, "TooManyRequestsException"),
        );
        fake.fail_next(
            Operation::Describe,
            service(Operation::Describe, id, "InternalErrorException"),
        );
        let api = retrying(fake, quick(4));
        let described = api.describe(POOL, &client.client_id).await.unwrap();
        assert_eq!(described, Some(client));
        assert_eq!(api.inner().requests_of(Operation::Describe).len(), 3);
    }

    #[tokio::test]
    async fn gives_up_after_max_attempts_with_the_last_error() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        for _ in 0..5 {
            fake.fail_next(
                Operation::List,
                service(Operation::List, None, "TooManyRequestsException"),
            );
        }
        let api = retrying(fake, quick(3));
        let error = api.list(POOL).await.unwrap_err();
        assert_eq!(error.kind, ErrorKind::Throttled);
        assert_eq!(error.attempts, 3);
        assert!(error.to_string().ends_with("(after 3 attempts)"), "{error}");
        assert_eq!(api.inner().requests_of(Operation::List).len(), 3);
    }

    #[tokio::test]
    async fn limit_exceeded_is_never_retried() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        fake.set_client_quota(0);
        let api = retrying(fake, quick(5));
        let error = api
            .create(POOL, &ClientSettings::with_defaults("app"), false)
            .await
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::LimitExceeded);
        assert_eq!(error.attempts, 1);
        assert_eq!(api.inner().requests_of(Operation::Create).len(), 1);
    }

    #[tokio::test]
    async fn an_ambiguous_create_is_not_repeated() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        // The client is made, but the answer is lost.
        fake.fail_next_after_effect(
            Operation::Create,
            ApiError::new(Operation::Create, POOL, None, ErrorKind::Ambiguous, "connection reset"),
        );
        let api = retrying(fake, quick(5));
        let error = api
            .create(POOL, &ClientSettings::with_defaults("app"), false)
            .await
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::Ambiguous);
        assert_eq!(api.inner().requests_of(Operation::Create).len(), 1);
        assert_eq!(
            api.inner().clients(POOL).len(),
            1,
            "exactly one client, not a duplicate"
        );
    }

    #[tokio::test]
    async fn a_create_that_never_left_is_retried() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        fake.fail_next(
            Operation::Create,
            ApiError::new(
                Operation::Create,
                POOL,
                None,
                ErrorKind::Transient,
                "connection refused",
            )
            .not_sent(),
        );
        fake.fail_next(
            Operation::Create,
            service(Operation::Create, None, "TooManyRequestsException"),
        );
        let api = retrying(fake, quick(5));
        let created = api
            .create(POOL, &ClientSettings::with_defaults("app"), true)
            .await
            .unwrap();
        assert!(created.client_secret.is_some());
        assert_eq!(api.inner().requests_of(Operation::Create).len(), 3);
        assert_eq!(api.inner().clients(POOL).len(), 1);
    }

    #[tokio::test]
    async fn a_server_error_on_create_is_not_repeated() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        fake.fail_next(
            Operation::Create,
            service(Operation::Create, None, "InternalErrorException"),
        );
        let api = retrying(fake, quick(5));
        let error = api
            .create(POOL, &ClientSettings::with_defaults("app"), false)
            .await
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::Transient);
        assert_eq!(api.inner().requests_of(Operation::Create).len(), 1);
    }

    #[tokio::test]
    async fn concurrent_modification_is_retried_for_update_and_delete() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        let client = fake.insert_client(POOL, &ClientSettings::with_defaults("app"), false);
        let id = client.client_id.clone();
        fake.fail_next(
            Operation::Update,
            service(Operation::Update, Some(&id), "ConcurrentModificationException"),
        );
        fake.fail_next(
            Operation::Delete,
            service(Operation::Delete, Some(&id), "ConcurrentModificationException"),
        );
        let api = retrying(fake, quick(3));
        let updated = api
            .update(POOL, &id, &ClientSettings::with_defaults("renamed"))
            .await
            .unwrap();
        assert_eq!(updated.settings.name, "renamed");
        api.delete(POOL, &id).await.unwrap();
        assert_eq!(api.inner().requests_of(Operation::Update).len(), 2);
        assert_eq!(api.inner().requests_of(Operation::Delete).len(), 2);
        assert!(api.inner().clients(POOL).is_empty());
    }

    #[tokio::test]
    async fn an_update_whose_answer_was_lost_is_repeated_safely() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        let client = fake.insert_client(POOL, &ClientSettings::with_defaults("app"), false);
        let id = client.client_id.clone();
        fake.fail_next_after_effect(
            Operation::Update,
            ApiError::new(Operation::Update, POOL, Some(&id), ErrorKind::Ambiguous, "timeout"),
        );
        let api = retrying(fake, quick(3));
        let updated = api
            .update(POOL, &id, &ClientSettings::with_defaults("renamed"))
            .await
            .unwrap();
        assert_eq!(updated.settings.name, "renamed");
        assert_eq!(api.inner().requests_of(Operation::Update).len(), 2);
    }

    /// On tokio's paused clock a wait would show as virtual time passing, so "no wait at all" is exact.
    #[tokio::test(start_paused = true)]
    async fn no_retry_starts_beyond_the_total_time() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        fake.fail_next(
            Operation::List,
            service(Operation::List, None, "TooManyRequestsException"),
        );
        let policy = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_secs(30),
            max_delay: Duration::from_secs(30),
            max_total: Duration::from_secs(5),
        };
        let api = retrying(fake, policy);
        let started = Instant::now();
        let error = api.list(POOL).await.unwrap_err();
        assert_eq!(error.kind, ErrorKind::Throttled);
        assert_eq!(started.elapsed(), Duration::ZERO, "the 30 s retry must not even begin");
        assert_eq!(api.inner().requests_of(Operation::List).len(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn cancellation_ends_a_pending_wait() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        fake.fail_next(
            Operation::List,
            service(Operation::List, None, "TooManyRequestsException"),
        );
        let policy = RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_secs(60),
            max_delay: Duration::from_secs(60),
            max_total: Duration::from_secs(600),
        };
        let token = CancellationToken::new();
        let api = RetryingCognito::new(fake, policy, token.clone());
        let canceller = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            token.cancel();
        });
        let started = Instant::now();
        let error = api.list(POOL).await.unwrap_err();
        canceller.await.unwrap();
        assert_eq!(
            started.elapsed(),
            Duration::from_millis(20),
            "the 60 s wait ends when the token is cancelled"
        );
        assert_eq!(error.kind, ErrorKind::Cancelled);
        assert!(error.message.contains("TooManyRequestsException"), "{}", error.message);
        assert!(!error.is_retryable());
        assert_eq!(api.inner().requests_of(Operation::List).len(), 1);
    }

    #[tokio::test]
    async fn not_found_passes_through_unchanged() {
        let api = retrying(FakeCognito::new().with_user_pool(POOL), quick(3));
        assert_eq!(api.describe(POOL, "missing").await.unwrap(), None);
        api.delete(POOL, "missing").await.unwrap();
        let error = api
            .update(POOL, "missing", &ClientSettings::with_defaults("x"))
            .await
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::NotFound);
        assert_eq!(api.inner().requests_of(Operation::Update).len(), 1);
    }
}

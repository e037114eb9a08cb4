//! Retries by error class, for any operation: [`RetryPolicy`] and the per-call decisions the [`super::Stack`]
//! follows.
//!
//! Which errors are retried is [`ApiError::is_retryable_for`]'s decision; this layer decides when and how often:
//! exponential backoff from `base_delay`, capped at `max_delay`, jittered so that clients throttled together do
//! not come back together, at most `max_attempts` attempts that fail other than by throttling, and never a wait
//! that would end after the call's [`Budget`] (`max_total` from its start, attempts included).
//! A cancelled token (Terraform is stopping) ends a pending wait at once. A call in flight is never interrupted
//! here: an interrupted Create could leave a client that state does not know.

use std::time::Duration;

use tokio::time::Instant;

use super::{ApiError, ErrorKind, Operation, StopSignal};

/// How often and how long to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts that may fail other than by throttling, the first included; 1 means no retries. Throttled
    /// attempts are bounded by `max_total` alone.
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
    /// One attempt and no retry.
    pub const ONCE: RetryPolicy = RetryPolicy {
        max_attempts: 1,
        base_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
        max_total: Duration::ZERO,
    };

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

/// The time one call may take, its attempts, waits and any lookups that belong to it included: calls made on
/// its behalf (e.g. the listings of a create's adoption) share it rather than start their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    deadline: Instant,
}

impl Budget {
    /// A budget of `total` from now.
    pub fn starting_now(total: Duration) -> Budget {
        Budget {
            deadline: Instant::now() + total,
        }
    }

    /// Whether a wait of `delay` from now would end before the budget does (never, for an empty budget).
    pub fn allows(&self, delay: Duration) -> bool {
        Instant::now() + delay < self.deadline
    }

    /// What is left of it.
    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }
}

/// The retry decisions for one call.
///
/// Throttling is not a failure of the call: Cognito turned the request away before acting on it, and the pacer
/// has slowed down. So a throttled attempt is retried for as long as the budget allows and does not count against
/// `max_attempts`, which bounds real failures (5xx, lost answers, concurrent modifications).
#[derive(Debug)]
pub(super) struct Retries<'a> {
    policy: &'a RetryPolicy,
    budget: &'a Budget,
    /// Attempts made so far, throttled ones included.
    attempts: u32,
    /// Attempts that failed other than by throttling.
    failures: u32,
    /// Throttled attempts since the last other outcome.
    throttled_in_a_row: u32,
}

/// Consecutive throttles stretch the wait before the next attempt up to this many doublings of the base delay; the
/// pacer, slowed down by each throttle, spaces the attempts further.
const MAX_THROTTLE_DOUBLINGS: u32 = 3;

impl<'a> Retries<'a> {
    pub(super) fn start(policy: &'a RetryPolicy, budget: &'a Budget) -> Retries<'a> {
        Retries {
            policy,
            budget,
            attempts: 0,
            failures: 0,
            throttled_in_a_row: 0,
        }
    }

    /// After a failed attempt: the wait before the next one, or the error to report when the call is over.
    pub(super) fn after(
        &mut self,
        operation: Operation,
        mut error: ApiError,
    ) -> Result<(Duration, ApiError), ApiError> {
        self.attempts += 1;
        error.attempts = self.attempts;
        if !error.is_retryable_for(operation) {
            return Err(error);
        }
        let delay = if error.kind == ErrorKind::Throttled {
            self.throttled_in_a_row += 1;
            self.policy
                .delay(self.throttled_in_a_row.min(MAX_THROTTLE_DOUBLINGS), fastrand::f64())
        } else {
            self.throttled_in_a_row = 0;
            self.failures += 1;
            if self.failures >= self.policy.max_attempts {
                return Err(error);
            }
            self.policy.delay(self.failures, fastrand::f64())
        };
        if !self.budget.allows(delay) {
            return Err(error);
        }
        tracing::warn!(
            operation = %operation,
            scope = %error.scope,
            kind = ?error.kind,
            code = error.code.as_deref().unwrap_or("-"),
            attempt = self.attempts,
            delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            "Cognito call failed; retrying"
        );
        Ok((delay, error))
    }
}

/// Waits `delay` before a retry; when Terraform stops the provider first, the error to report instead.
pub(super) async fn wait(delay: Duration, stop: &StopSignal, last: ApiError) -> Result<(), ApiError> {
    let stopping = stop.token();
    tokio::select! {
        () = stopping.cancelled() => Err(cancelled(last)),
        () = tokio::time::sleep(delay) => Ok(()),
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

#[cfg(test)]
mod tests {
    use tokio_util::sync::CancellationToken;

    use super::*;
    use crate::cognito::api::{FakeCognito, Scope, Stack, TestClients};
    use crate::cognito::user_pool_client::model::{ClientSettings, InitialSecret};

    const POOL: &str = "us-east-1_pool";

    fn quick(max_attempts: u32) -> RetryPolicy {
        RetryPolicy {
            max_attempts,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(4),
            max_total: Duration::from_secs(10),
        }
    }

    fn retrying(fake: FakeCognito, policy: RetryPolicy) -> TestClients {
        TestClients::new(fake, Stack::default().with_retry(policy))
    }

    fn service(operation: Operation, client_id: Option<&str>, code: &str) -> ApiError {
        ApiError::from_service(
            operation,
            Scope::pool_or_client(POOL, client_id),
            code,
            format!("injected {code}"),
            400,
        )
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
            Operation::DESCRIBE_CLIENT,
            service(Operation::DESCRIBE_CLIENT, id, "TooManyRequestsException"),
        );
        fake.fail_next(
            Operation::DESCRIBE_CLIENT,
            service(Operation::DESCRIBE_CLIENT, id, "InternalErrorException"),
        );
        let api = retrying(fake, quick(4));
        let described = api.describe(POOL, &client.client_id).await.unwrap();
        assert_eq!(described, Some(client));
        assert_eq!(api.inner().requests_of(Operation::DESCRIBE_CLIENT).len(), 3);
    }

    #[tokio::test]
    async fn gives_up_after_max_attempts_with_the_last_error() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        for _ in 0..5 {
            fake.fail_next(
                Operation::LIST_CLIENTS,
                service(Operation::LIST_CLIENTS, None, "InternalErrorException"),
            );
        }
        let api = retrying(fake, quick(3));
        let error = api.list(POOL).await.unwrap_err();
        assert_eq!(error.kind, ErrorKind::Transient);
        assert_eq!(error.attempts, 3);
        assert!(error.to_string().ends_with("(after 3 attempts)"), "{error}");
        assert_eq!(api.inner().requests_of(Operation::LIST_CLIENTS).len(), 3);
    }

    #[tokio::test]
    async fn throttling_does_not_use_up_the_retries() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        for code in ["TooManyRequestsException", "InternalErrorException"]
            .into_iter()
            .cycle()
            .take(6)
        {
            fake.fail_next(Operation::LIST_CLIENTS, service(Operation::LIST_CLIENTS, None, code));
        }
        // Three failures allowed: the three 5xx answers count, the three throttles do not.
        let api = retrying(fake, quick(4));
        api.list(POOL).await.unwrap();
        assert_eq!(api.inner().requests_of(Operation::LIST_CLIENTS).len(), 7);
    }

    /// Throttling is retried for as long as the budget allows, and the error then counts every attempt.
    #[tokio::test(start_paused = true)]
    async fn throttling_is_retried_within_the_budget() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        for _ in 0..100 {
            fake.fail_next(
                Operation::LIST_CLIENTS,
                service(Operation::LIST_CLIENTS, None, "TooManyRequestsException"),
            );
        }
        let policy = RetryPolicy {
            max_attempts: 2,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(20),
            max_total: Duration::from_secs(10),
        };
        let api = retrying(fake, policy);
        let started = Instant::now();
        let error = api.list(POOL).await.unwrap_err();
        assert_eq!(error.kind, ErrorKind::Throttled);
        let sent = api.inner().requests_of(Operation::LIST_CLIENTS).len();
        assert_eq!(error.attempts as usize, sent);
        assert!(sent > 2, "more attempts than max_attempts: {sent}");
        assert!(started.elapsed() < Duration::from_secs(10), "never beyond the budget");
        assert!(
            started.elapsed() > Duration::from_secs(5),
            "waits stretch up to 4 s: {:?}",
            started.elapsed()
        );
    }

    #[tokio::test]
    async fn limit_exceeded_is_never_retried() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        fake.set_client_quota(0);
        let api = retrying(fake, quick(5));
        let error = api
            .create_once(POOL, &ClientSettings::with_defaults("app"), &InitialSecret::None)
            .await
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::LimitExceeded);
        assert_eq!(error.attempts, 1);
        assert_eq!(api.inner().requests_of(Operation::CREATE_CLIENT).len(), 1);
    }

    #[tokio::test]
    async fn an_ambiguous_create_is_not_repeated() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        // The client is made, but the answer is lost.
        fake.fail_next_after_effect(
            Operation::CREATE_CLIENT,
            ApiError::new(
                Operation::CREATE_CLIENT,
                Scope::pool(POOL),
                ErrorKind::Ambiguous,
                "connection reset",
            ),
        );
        let api = retrying(fake, quick(5));
        let error = api
            .create_once(POOL, &ClientSettings::with_defaults("app"), &InitialSecret::None)
            .await
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::Ambiguous);
        assert_eq!(api.inner().requests_of(Operation::CREATE_CLIENT).len(), 1);
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
            Operation::CREATE_CLIENT,
            ApiError::new(
                Operation::CREATE_CLIENT,
                Scope::pool(POOL),
                ErrorKind::Transient,
                "connection refused",
            )
            .not_sent(),
        );
        fake.fail_next(
            Operation::CREATE_CLIENT,
            service(Operation::CREATE_CLIENT, None, "TooManyRequestsException"),
        );
        let api = retrying(fake, quick(5));
        let created = api
            .create_once(POOL, &ClientSettings::with_defaults("app"), &InitialSecret::Generated)
            .await
            .unwrap();
        assert!(created.client_secret.is_some());
        assert_eq!(api.inner().requests_of(Operation::CREATE_CLIENT).len(), 3);
        assert_eq!(api.inner().clients(POOL).len(), 1);
    }

    #[tokio::test]
    async fn a_server_error_on_create_is_not_repeated() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        fake.fail_next(
            Operation::CREATE_CLIENT,
            service(Operation::CREATE_CLIENT, None, "InternalErrorException"),
        );
        let api = retrying(fake, quick(5));
        let error = api
            .create_once(POOL, &ClientSettings::with_defaults("app"), &InitialSecret::None)
            .await
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::Transient);
        assert_eq!(api.inner().requests_of(Operation::CREATE_CLIENT).len(), 1);
    }

    #[tokio::test]
    async fn concurrent_modification_is_retried_for_update_and_delete() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        let client = fake.insert_client(POOL, &ClientSettings::with_defaults("app"), false);
        let id = client.client_id.clone();
        fake.fail_next(
            Operation::UPDATE_CLIENT,
            service(Operation::UPDATE_CLIENT, Some(&id), "ConcurrentModificationException"),
        );
        fake.fail_next(
            Operation::DELETE_CLIENT,
            service(Operation::DELETE_CLIENT, Some(&id), "ConcurrentModificationException"),
        );
        let api = retrying(fake, quick(3));
        let updated = api
            .update(POOL, &id, &ClientSettings::with_defaults("renamed"))
            .await
            .unwrap();
        assert_eq!(updated.settings.name, "renamed");
        api.delete(POOL, &id).await.unwrap();
        assert_eq!(api.inner().requests_of(Operation::UPDATE_CLIENT).len(), 2);
        assert_eq!(api.inner().requests_of(Operation::DELETE_CLIENT).len(), 2);
        assert!(api.inner().clients(POOL).is_empty());
    }

    #[tokio::test]
    async fn an_update_whose_answer_was_lost_is_repeated_safely() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        let client = fake.insert_client(POOL, &ClientSettings::with_defaults("app"), false);
        let id = client.client_id.clone();
        fake.fail_next_after_effect(
            Operation::UPDATE_CLIENT,
            ApiError::new(
                Operation::UPDATE_CLIENT,
                Scope::client(POOL, &id),
                ErrorKind::Ambiguous,
                "timeout",
            ),
        );
        let api = retrying(fake, quick(3));
        let updated = api
            .update(POOL, &id, &ClientSettings::with_defaults("renamed"))
            .await
            .unwrap();
        assert_eq!(updated.settings.name, "renamed");
        assert_eq!(api.inner().requests_of(Operation::UPDATE_CLIENT).len(), 2);
    }

    /// On tokio's paused clock a wait would show as virtual time passing, so "no wait at all" is exact.
    #[tokio::test(start_paused = true)]
    async fn no_retry_starts_beyond_the_total_time() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        fake.fail_next(
            Operation::LIST_CLIENTS,
            service(Operation::LIST_CLIENTS, None, "TooManyRequestsException"),
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
        assert_eq!(api.inner().requests_of(Operation::LIST_CLIENTS).len(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn cancellation_ends_a_pending_wait() {
        let fake = FakeCognito::new().with_user_pool(POOL);
        fake.fail_next(
            Operation::LIST_CLIENTS,
            service(Operation::LIST_CLIENTS, None, "TooManyRequestsException"),
        );
        let policy = RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_secs(60),
            max_delay: Duration::from_secs(60),
            max_total: Duration::from_secs(600),
        };
        let token = CancellationToken::new();
        let api = TestClients::new(fake, Stack::default().with_retry(policy).with_stop(token.clone()));
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
        assert_eq!(api.inner().requests_of(Operation::LIST_CLIENTS).len(), 1);
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
        assert_eq!(api.inner().requests_of(Operation::UPDATE_CLIENT).len(), 1);
    }
}

//! Quota-aware pacing: a shared limiter that keeps the provider's calls within Cognito's request-rate quotas, and
//! [`PacedCognito`], the API layer that waits for it before every attempt.
//!
//! Cognito limits app-client calls twice (docs/dev/cognito-app-clients.md#quotas): each operation to about 5
//! requests per second per user pool, and each category (Create/Update/Delete, or Describe/List) to about 15 per
//! second per account and Region. Terraform runs up to ten resource operations at once through one provider
//! process, so without pacing a large apply bounces off the quota and spends its time in backoff. With it, calls
//! leave at the quota's rate and throttling becomes rare.
//!
//! Each limit is a token bucket holding at most one token: calls are spaced evenly at the configured rate rather
//! than sent in bursts. Cognito's own buckets hold about a second's worth of requests, so never bursting leaves
//! them that much headroom for network jitter. A throttling answer pushes the buckets concerned one interval into
//! debt, so the next calls slow down instead of meeting the same wall.
//!
//! Waits are cancellation-safe: a token is taken only at the moment the wait ends, so a caller that gives up
//! (StopProvider, or a dropped future) takes nothing from anyone.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use tokio::time::Instant;

use super::{ApiError, ClientSummary, CognitoApi, ErrorKind, Operation, StopSignal};
use crate::cognito::user_pool_client::model::{ClientSettings, RemoteClient};

/// Cognito's quota categories for app-client calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Create, Update and Delete (`UserPoolClientUpdate`).
    Mutating,
    /// Describe and List (`UserPoolClientRead`).
    Read,
}

impl Category {
    pub fn of(operation: Operation) -> Category {
        match operation {
            Operation::Create | Operation::Update | Operation::Delete => Category::Mutating,
            Operation::Describe | Operation::List => Category::Read,
        }
    }
}

/// The rates to keep to, in requests per second; each must be positive and finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PacingPolicy {
    /// Per operation and user pool.
    pub per_pool_operation: f64,
    /// Create, Update and Delete together, across every pool.
    pub mutating: f64,
    /// Describe and List together, across every pool.
    pub read: f64,
}

impl PacingPolicy {
    /// Cognito's default quotas: 5 per operation per pool, 15 per category per account.
    pub const COGNITO_DEFAULTS: PacingPolicy = PacingPolicy {
        per_pool_operation: 5.0,
        mutating: 15.0,
        read: 15.0,
    };

    fn category_rate(&self, category: Category) -> f64 {
        match category {
            Category::Mutating => self.mutating,
            Category::Read => self.read,
        }
    }
}

impl Default for PacingPolicy {
    fn default() -> Self {
        PacingPolicy::COGNITO_DEFAULTS
    }
}

/// A token bucket of capacity one, refilled at `rate` per second. `tokens` below zero is debt from throttling.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    rate: f64,
    tokens: f64,
    updated: Instant,
}

impl Bucket {
    const CAPACITY: f64 = 1.0;

    fn full(rate: f64, now: Instant) -> Bucket {
        Bucket {
            rate,
            tokens: Bucket::CAPACITY,
            updated: now,
        }
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(Bucket::CAPACITY);
        self.updated = now;
    }

    /// How long until a whole token is there (zero when it is there now). Rounded up to the microsecond so that a
    /// waiter that sleeps exactly this long finds the token.
    fn wait(&self) -> Duration {
        let missing = 1.0 - self.tokens;
        if missing <= 0.0 {
            return Duration::ZERO;
        }
        let micros = (missing / self.rate * 1_000_000.0).ceil();
        Duration::from_micros(micros.min(u64::MAX as f64) as u64)
    }

    fn take(&mut self) {
        self.tokens -= 1.0;
    }

    /// One interval of debt: the next call waits a whole interval longer than it would have.
    fn penalize(&mut self) {
        self.tokens = self.tokens.min(0.0) - 1.0;
    }
}

#[derive(Debug, Default)]
struct Buckets {
    per_pool: HashMap<(Operation, String), Bucket>,
    per_category: HashMap<Category, Bucket>,
}

/// The shared limiter: one per provider configuration, used by every resource of the run.
#[derive(Debug)]
pub struct Pacer {
    policy: PacingPolicy,
    buckets: Mutex<Buckets>,
}

/// The wait was abandoned because Terraform is stopping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("stopped while waiting for a request slot")]
pub struct Stopped;

impl Pacer {
    pub fn new(policy: PacingPolicy) -> Pacer {
        Pacer {
            policy,
            buckets: Mutex::new(Buckets::default()),
        }
    }

    pub fn policy(&self) -> &PacingPolicy {
        &self.policy
    }

    fn buckets(&self) -> std::sync::MutexGuard<'_, Buckets> {
        self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Takes a slot for one `operation` call on `user_pool_id` if both of its buckets have one at `now`;
    /// otherwise takes nothing and says how long to wait before asking again.
    pub fn try_acquire(&self, operation: Operation, user_pool_id: &str, now: Instant) -> Result<(), Duration> {
        let mut buckets = self.buckets();
        let Buckets { per_pool, per_category } = &mut *buckets;
        let category = Category::of(operation);
        let pool_bucket = per_pool
            .entry((operation, user_pool_id.to_string()))
            .or_insert_with(|| Bucket::full(self.policy.per_pool_operation, now));
        let category_bucket = per_category
            .entry(category)
            .or_insert_with(|| Bucket::full(self.policy.category_rate(category), now));
        pool_bucket.refill(now);
        category_bucket.refill(now);
        let wait = pool_bucket.wait().max(category_bucket.wait());
        if !wait.is_zero() {
            return Err(wait);
        }
        pool_bucket.take();
        category_bucket.take();
        Ok(())
    }

    /// Waits until a slot is free and takes it, or gives up without taking anything when `stop` fires.
    pub async fn acquire(&self, operation: Operation, user_pool_id: &str, stop: &StopSignal) -> Result<(), Stopped> {
        let stopping = stop.token();
        loop {
            if stopping.is_cancelled() {
                return Err(Stopped);
            }
            let wait = match self.try_acquire(operation, user_pool_id, Instant::now()) {
                Ok(()) => return Ok(()),
                Err(wait) => wait,
            };
            tokio::select! {
                () = stopping.cancelled() => return Err(Stopped),
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// Cognito throttled an `operation` call on `user_pool_id`: slow that operation's pool bucket and its
    /// category down by one interval.
    pub fn throttled(&self, operation: Operation, user_pool_id: &str, now: Instant) {
        let mut buckets = self.buckets();
        let category = Category::of(operation);
        let pool_bucket = buckets
            .per_pool
            .entry((operation, user_pool_id.to_string()))
            .or_insert_with(|| Bucket::full(self.policy.per_pool_operation, now));
        pool_bucket.refill(now);
        pool_bucket.penalize();
        let category_bucket = buckets
            .per_category
            .entry(category)
            .or_insert_with(|| Bucket::full(self.policy.category_rate(category), now));
        category_bucket.refill(now);
        category_bucket.penalize();
    }
}

/// Another [`CognitoApi`], each call made only when the [`Pacer`] gives it a slot. Sits below the retry layer, so
/// every attempt, retries included, is paced.
pub struct PacedCognito<A: CognitoApi> {
    inner: A,
    pacer: Arc<Pacer>,
    stop: StopSignal,
}

impl<A: CognitoApi> PacedCognito<A> {
    pub fn new(inner: A, pacer: Arc<Pacer>, stop: StopSignal) -> PacedCognito<A> {
        PacedCognito { inner, pacer, stop }
    }

    pub fn inner(&self) -> &A {
        &self.inner
    }

    pub fn pacer(&self) -> &Arc<Pacer> {
        &self.pacer
    }

    async fn paced<T>(
        &self,
        operation: Operation,
        user_pool_id: &str,
        client_id: Option<&str>,
        call: impl Future<Output = Result<T, ApiError>>,
    ) -> Result<T, ApiError> {
        if self.pacer.acquire(operation, user_pool_id, &self.stop).await.is_err() {
            return Err(ApiError::new(
                operation,
                user_pool_id,
                client_id,
                ErrorKind::Cancelled,
                "not sent because Terraform is stopping",
            )
            .not_sent());
        }
        let result = call.await;
        if let Err(error) = &result
            && error.kind == ErrorKind::Throttled
        {
            self.pacer.throttled(operation, user_pool_id, Instant::now());
        }
        result
    }
}

#[async_trait]
impl<A: CognitoApi> CognitoApi for PacedCognito<A> {
    async fn describe(&self, user_pool_id: &str, client_id: &str) -> Result<Option<RemoteClient>, ApiError> {
        self.paced(
            Operation::Describe,
            user_pool_id,
            Some(client_id),
            self.inner.describe(user_pool_id, client_id),
        )
        .await
    }

    async fn create(
        &self,
        user_pool_id: &str,
        settings: &ClientSettings,
        generate_secret: bool,
    ) -> Result<RemoteClient, ApiError> {
        self.paced(
            Operation::Create,
            user_pool_id,
            None,
            self.inner.create(user_pool_id, settings, generate_secret),
        )
        .await
    }

    async fn update(
        &self,
        user_pool_id: &str,
        client_id: &str,
        settings: &ClientSettings,
    ) -> Result<RemoteClient, ApiError> {
        self.paced(
            Operation::Update,
            user_pool_id,
            Some(client_id),
            self.inner.update(user_pool_id, client_id, settings),
        )
        .await
    }

    async fn delete(&self, user_pool_id: &str, client_id: &str) -> Result<(), ApiError> {
        self.paced(
            Operation::Delete,
            user_pool_id,
            Some(client_id),
            self.inner.delete(user_pool_id, client_id),
        )
        .await
    }

    async fn list(&self, user_pool_id: &str) -> Result<Vec<ClientSummary>, ApiError> {
        self.paced(Operation::List, user_pool_id, None, self.inner.list(user_pool_id))
            .await
    }
}

#[cfg(test)]
mod tests;

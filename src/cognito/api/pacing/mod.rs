//! Quota-aware pacing: [`Pacer`], a shared limiter that keeps the provider's calls within Cognito's request-rate
//! quotas; the [`super::Stack`] waits for it before every attempt of every operation.
//!
//! Cognito limits calls twice: each operation to about 5 requests per second per user pool, and each quota
//! category (for app clients: Create/Update/Delete, or Describe/List) to about 15 per second per account and
//! Region. Terraform runs up to ten resource operations at once through one provider process, so without
//! pacing a large apply bounces off the quota and spends its time in backoff. With it, calls leave at the quota's
//! rate and throttling becomes rare.
//!
//! Each limit is a token bucket holding at most one token: calls are spaced evenly at the configured rate rather
//! than sent in bursts. Cognito's own buckets hold about a second's worth of requests, so never bursting leaves
//! them that much headroom for network jitter. A throttling answer pushes the buckets concerned one interval into
//! debt, so the next calls slow down instead of meeting the same wall.
//!
//! Waits are cancellation-safe: a token is taken only at the moment the wait ends, so a caller that gives up
//! (StopProvider, or a dropped future) takes nothing from anyone.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use super::{ApiError, Category, ErrorKind, Operation, Scope, StopSignal};

/// The rates to keep to, in requests per second; each must be positive and finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PacingPolicy {
    /// Per operation and user pool.
    pub per_pool_operation: f64,
    /// The calls of one updating category (for app clients: Create, Update and Delete) together, across every
    /// pool.
    pub mutating: f64,
    /// The calls of one reading category (for app clients: Describe and List) together, across every pool.
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
        if category.is_read() { self.read } else { self.mutating }
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
    per_pool: HashMap<(&'static str, String), Bucket>,
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
        let category = operation.category;
        let pool_bucket = per_pool
            .entry((operation.name, user_pool_id.to_string()))
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
        let category = operation.category;
        let pool_bucket = buckets
            .per_pool
            .entry((operation.name, user_pool_id.to_string()))
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

    /// Makes one attempt of `operation` on `scope` once a slot is free; a throttling answer slows its buckets down.
    /// When Terraform stops the provider first, the attempt is not made.
    pub async fn run<T>(
        &self,
        operation: Operation,
        scope: &Scope,
        stop: &StopSignal,
        attempt: impl Future<Output = Result<T, ApiError>>,
    ) -> Result<T, ApiError> {
        let user_pool_id = scope.user_pool_id();
        if self.acquire(operation, user_pool_id, stop).await.is_err() {
            return Err(ApiError::new(
                operation,
                scope.clone(),
                ErrorKind::Cancelled,
                "not sent because Terraform is stopping",
            )
            .not_sent());
        }
        let result = attempt.await;
        if let Err(error) = &result
            && error.kind == ErrorKind::Throttled
        {
            self.throttled(operation, user_pool_id, Instant::now());
        }
        result
    }
}

#[cfg(test)]
mod tests;

//! Quota-aware pacing: [`Pacer`], a limiter that keeps the provider's calls within Cognito's request-rate quotas;
//! the [`super::Stack`] waits for it before every attempt of every operation.
//!
//! Cognito limits calls twice (docs/dev/cognito-app-clients.md#quotas): each operation to about 5 requests per
//! second per user pool, and each quota category (for app clients: Create/Update/Delete, or Describe/List) to
//! about 15 per second per account and Region. Terraform runs up to ten resource operations at once through one
//! provider process, so without pacing a large apply bounces off the quota and spends its time in backoff. With
//! it, calls leave at the quota's rate and throttling becomes rare.
//!
//! Each limit is an adaptive token bucket ([`bucket`]): calls are spaced evenly at the configured rate, and each
//! throttling answer slows the bucket down, which then recovers gradually. The buckets live in a [`Store`]:
//! this process's memory, or, by default, files shared by every provider process of the user on the machine
//! ([`FileStore`]), so that several runs against one pool split its quota instead of each sending at the full
//! rate. Runs on different machines cannot share a bucket; the adaptive rate alone makes them converge on
//! sharing the quota.
//!
//! Waits are cancellation-safe: a token is taken only at the moment the wait ends, so a caller that gives up
//! (StopProvider, or a dropped future) takes nothing from anyone.

pub mod bucket;
#[cfg(unix)]
mod shared;
mod store;

use std::sync::Arc;
use std::time::Duration;

use bucket::Bucket;
#[cfg(unix)]
pub use shared::FileStore;
pub use store::{MemoryStore, Store};

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

/// The limiter: one per provider configuration, used by every resource of the run, and through its store
/// possibly shared with other runs.
#[derive(Debug)]
pub struct Pacer {
    policy: PacingPolicy,
    store: Arc<dyn Store>,
    owner: QuotaOwner,
}

/// Whose quotas a pacer keeps to, which names its buckets in a shared store. The per-pool quotas need only the
/// endpoint, as a user pool's id is unique in its Region (it is part of the pool's public issuer URL); the
/// per-account quotas need the account and Region.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuotaOwner {
    /// The endpoint the calls go to: AWS's, or an override (an emulator is its own Cognito).
    pub endpoint: String,
    pub region: String,
    /// The account, or as near as the configuration tells without a request (see the provider documentation).
    pub account: String,
}

/// The wait was abandoned because Terraform is stopping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("stopped while waiting for a request slot")]
pub struct Stopped;

impl Pacer {
    /// A pacer for this process alone.
    pub fn new(policy: PacingPolicy) -> Pacer {
        Pacer::with_store(policy, Arc::new(MemoryStore::default()), QuotaOwner::default())
    }

    /// A pacer whose buckets, named for `owner`, live in `store`.
    pub fn with_store(policy: PacingPolicy, store: Arc<dyn Store>, owner: QuotaOwner) -> Pacer {
        Pacer { policy, store, owner }
    }

    /// A pacer shared with the other provider processes of this user on this machine ([`FileStore`]); one for
    /// this process alone, with a warning, where the per-user runtime directory cannot be used.
    pub fn shared_on_this_machine(policy: PacingPolicy, owner: QuotaOwner) -> Pacer {
        #[cfg(unix)]
        match FileStore::in_runtime_dir() {
            Ok(store) => return Pacer::with_store(policy, Arc::new(store), owner),
            Err(error) => tracing::warn!(
                %error,
                "the shared rate limiter's directory cannot be used; pacing this run on its own"
            ),
        }
        Pacer::with_store(policy, Arc::new(MemoryStore::default()), owner)
    }

    pub fn policy(&self) -> &PacingPolicy {
        &self.policy
    }

    /// The keys of the two buckets an `operation` call on `user_pool_id` takes from: the pool's, then the
    /// category's.
    fn keys(&self, operation: Operation, user_pool_id: &str) -> [String; 2] {
        let QuotaOwner {
            endpoint,
            region,
            account,
        } = &self.owner;
        [
            format!("{endpoint}/{user_pool_id}/{}", operation.name),
            format!("{endpoint}/{region}/{account}/{:?}", operation.category),
        ]
    }

    /// Runs `update` on the two buckets of an `operation` call, brought up to date.
    fn with_buckets<T>(
        &self,
        operation: Operation,
        user_pool_id: &str,
        mut update: impl FnMut(f64, [(&mut Bucket, f64); 2]) -> T,
    ) -> T {
        let rates = [
            self.policy.per_pool_operation,
            self.policy.category_rate(operation.category),
        ];
        let mut result = None;
        self.store
            .transact(&self.keys(operation, user_pool_id), &mut |now, buckets| {
                let [pool, category] = buckets;
                let pool = pool.get_or_insert_with(|| Bucket::full(rates[0], now));
                let category = category.get_or_insert_with(|| Bucket::full(rates[1], now));
                pool.refill(rates[0], now);
                category.refill(rates[1], now);
                result = Some(update(now, [(pool, rates[0]), (category, rates[1])]));
            });
        result.expect("a store runs every transaction")
    }

    /// Takes a slot for one `operation` call on `user_pool_id` if both of its buckets have one now; otherwise takes
    /// nothing and says how long to wait before asking again.
    pub fn try_acquire(&self, operation: Operation, user_pool_id: &str) -> Result<(), Duration> {
        self.with_buckets(operation, user_pool_id, |_, [(pool, _), (category, _)]| {
            let wait = pool.wait().max(category.wait());
            if wait > 0.0 {
                // Rounded up to the microsecond (less a nanosecond of floating-point noise), so that a waiter that
                // sleeps this long finds the token.
                let micros = (wait * 1e6 - 1e-3).ceil().clamp(1.0, u64::MAX as f64);
                return Err(Duration::from_micros(micros as u64));
            }
            pool.take();
            category.take();
            Ok(())
        })
    }

    /// Waits until a slot is free and takes it, or gives up without taking anything when `stop` fires.
    pub async fn acquire(&self, operation: Operation, user_pool_id: &str, stop: &StopSignal) -> Result<(), Stopped> {
        let stopping = stop.token();
        loop {
            if stopping.is_cancelled() {
                return Err(Stopped);
            }
            let wait = match self.try_acquire(operation, user_pool_id) {
                Ok(()) => return Ok(()),
                Err(wait) => wait,
            };
            tokio::select! {
                () = stopping.cancelled() => return Err(Stopped),
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// Cognito throttled an `operation` call on `user_pool_id`: that operation's pool bucket and its category slow
    /// down.
    pub fn throttled(&self, operation: Operation, user_pool_id: &str) {
        self.with_buckets(operation, user_pool_id, |now, buckets| {
            for (bucket, configured) in buckets {
                bucket.throttled(configured, now);
            }
        });
    }

    /// The current rates of an `operation` call's two buckets (pool, category), for tests and diagnostics.
    pub fn rates(&self, operation: Operation, user_pool_id: &str) -> [f64; 2] {
        self.with_buckets(operation, user_pool_id, |_, [(pool, _), (category, _)]| {
            [pool.rate, category.rate]
        })
    }

    /// Waits for a slot for one attempt of `operation` on `scope`. When Terraform stops the provider first, the
    /// error to report instead: the attempt is not made.
    pub async fn admit(&self, operation: Operation, scope: &Scope, stop: &StopSignal) -> Result<(), ApiError> {
        self.acquire(operation, scope.user_pool_id(), stop)
            .await
            .map_err(|Stopped| {
                ApiError::new(
                    operation,
                    scope.clone(),
                    ErrorKind::Cancelled,
                    "not sent because Terraform is stopping",
                )
                .not_sent()
            })
    }

    /// Learns from an attempt's outcome: a throttling answer slows its buckets down.
    pub fn observe<T>(&self, operation: Operation, scope: &Scope, outcome: &Result<T, ApiError>) {
        if let Err(error) = outcome
            && error.kind == ErrorKind::Throttled
        {
            self.throttled(operation, scope.user_pool_id());
        }
    }
}

#[cfg(test)]
mod tests;

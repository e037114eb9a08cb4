//! [`Stack`]: what every Cognito call goes through, whatever the operation.
//!
//! `stack.call(operation, scope, || attempt)` makes one attempt at a time:
//! - each attempt waits for a slot of the shared [`Pacer`] first, so a large apply runs at Cognito's request-rate
//!   quotas instead of bouncing off them, and a throttling answer slows the next attempts down;
//! - a failed attempt is retried by error class and by what the operation does ([`super::ApiError::is_retryable_for`]),
//!   with capped, jittered exponential backoff within the [`RetryPolicy`] and the call's [`Budget`] (throttled
//!   attempts count against the budget only, not against the number of attempts);
//! - every wait (for a slot, or before a retry) ends at once when Terraform stops the provider ([`StopSignal`]).
//!   An attempt in flight is never interrupted here: an interrupted create could leave something that state does
//!   not know.
//!
//! The stack knows operations only by their [`Operation`] description and [`Scope`]; the typed facades (one per
//! resource, e.g. [`super::UserPoolClients`]) say what an attempt is.

use std::future::Future;
use std::sync::Arc;

use super::retry::{self, Budget, Retries};
use super::{ApiError, Operation, Pacer, RetryPolicy, Scope, StopSignal};

/// Pacing, retries and stop handling for any call. The default makes one unpaced attempt: the facades straight
/// over their backend, as unit tests of the layers above want them.
#[derive(Debug, Clone)]
pub struct Stack {
    pacer: Option<Arc<Pacer>>,
    retry: RetryPolicy,
    stop: StopSignal,
    /// The Region the calls go to; `None` when not tied to one (the in-memory Cognito).
    region: Option<String>,
}

impl Default for Stack {
    fn default() -> Self {
        Stack {
            pacer: None,
            retry: RetryPolicy::ONCE,
            stop: StopSignal::default(),
            region: None,
        }
    }
}

impl Stack {
    /// Every attempt waits for a slot of `pacer`, which may be shared with other stacks.
    pub fn with_pacer(self, pacer: Arc<Pacer>) -> Stack {
        Stack {
            pacer: Some(pacer),
            ..self
        }
    }

    pub fn with_retry(self, retry: RetryPolicy) -> Stack {
        Stack { retry, ..self }
    }

    /// Waits end when `stop` fires: it carries the token that fires when Terraform stops the provider.
    pub fn with_stop(self, stop: impl Into<StopSignal>) -> Stack {
        Stack {
            stop: stop.into(),
            ..self
        }
    }

    /// Calls about a user pool of another Region fail at once with [`ErrorKind::WrongRegion`](super::ErrorKind):
    /// Cognito would answer "not found", which a refresh would take for a client deleted outside Terraform.
    pub fn with_region(self, region: impl Into<String>) -> Stack {
        Stack {
            region: Some(region.into()),
            ..self
        }
    }

    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    pub fn pacer(&self) -> Option<&Arc<Pacer>> {
        self.pacer.as_ref()
    }

    /// A budget for one call, starting now: `max_total` of the retry policy.
    pub fn budget(&self) -> Budget {
        Budget::starting_now(self.retry.max_total)
    }

    /// Runs `attempt` (one request of `operation` about `scope`) paced, and again while the error says that is
    /// useful and safe and the policy allows, within a budget of its own.
    pub async fn call<T, F, Fut>(&self, operation: Operation, scope: &Scope, attempt: F) -> Result<T, ApiError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        self.call_within(&self.budget(), operation, scope, attempt).await
    }

    /// [`call`](Self::call) within `budget`, which calls made on behalf of the same operation share. `attempt` is
    /// invoked once a slot is free, right before its request is sent.
    pub async fn call_within<T, F, Fut>(
        &self,
        budget: &Budget,
        operation: Operation,
        scope: &Scope,
        mut attempt: F,
    ) -> Result<T, ApiError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        if let Some(region) = &self.region {
            crate::cognito::user_pool_id::check_region(region, scope.user_pool_id()).map_err(|mismatch| {
                ApiError::new(
                    operation,
                    scope.clone(),
                    super::ErrorKind::WrongRegion,
                    mismatch.to_string(),
                )
            })?;
        }
        let mut retries = Retries::start(&self.retry, budget);
        loop {
            let result = match &self.pacer {
                Some(pacer) => {
                    pacer.admit(operation, scope, &self.stop).await?;
                    let outcome = attempt().await;
                    pacer.observe(operation, scope, &outcome);
                    outcome
                }
                None => attempt().await,
            };
            let error = match result {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            let (delay, error) = retries.after(operation, error)?;
            retry::wait(delay, &self.stop, error).await?;
        }
    }
}

//! [`StopSignal`]: how the layers of the API stack learn that Terraform is stopping the provider.
//!
//! The API stack is built once per provider configuration and outlives any single Terraform operation, while the
//! server hands out a fresh cancellation token after every StopProvider (a `--debug` process serves several runs).
//! So the stack does not hold one token: it holds this shared slot, which ConfigureProvider points at the token of
//! the current run, and every wait (pacing, retry backoff) watches whatever token is current when it starts.

use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;

/// A shared, replaceable cancellation token. Cheap to clone; clones see the same slot.
#[derive(Debug, Clone, Default)]
pub struct StopSignal {
    current: Arc<Mutex<CancellationToken>>,
}

impl StopSignal {
    /// A signal that fires only once a token is [watched](Self::watch) and cancelled.
    pub fn new() -> StopSignal {
        StopSignal::default()
    }

    /// From now on, waits end when `token` is cancelled.
    pub fn watch(&self, token: CancellationToken) {
        *self.current.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = token;
    }

    /// The token a wait starting now must watch.
    pub fn token(&self) -> CancellationToken {
        self.current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    pub fn is_stopping(&self) -> bool {
        self.token().is_cancelled()
    }
}

impl From<CancellationToken> for StopSignal {
    fn from(token: CancellationToken) -> StopSignal {
        let signal = StopSignal::new();
        signal.watch(token);
        signal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replaced_token_ends_later_waits_only() {
        let first = CancellationToken::new();
        let signal = StopSignal::from(first.clone());
        let clone = signal.clone();
        assert!(!clone.is_stopping());
        first.cancel();
        assert!(clone.is_stopping(), "clones share the slot");
        signal.watch(CancellationToken::new());
        assert!(!clone.is_stopping(), "the next run starts with a fresh token");
    }
}

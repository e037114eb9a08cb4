//! The one result type of every handler, and the guard that turns a panic into a diagnostic.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures::FutureExt;

use crate::tf::diagnostics::{Diagnostic, Diagnostics};

/// What a handler answers, whatever the RPC: its result when it produced one, and the diagnostics to show
/// either way (warnings beside a result; errors beside a result that must still be recorded, or alone).
#[must_use]
pub struct Outcome<T> {
    pub value: Option<T>,
    pub diagnostics: Diagnostics,
}

impl<T> Outcome<T> {
    pub fn new(value: T, diagnostics: Diagnostics) -> Outcome<T> {
        Outcome {
            value: Some(value),
            diagnostics,
        }
    }

    /// A result and nothing to report.
    pub fn ok(value: T) -> Outcome<T> {
        Outcome::new(value, Diagnostics::new())
    }

    pub fn failed(diagnostics: Diagnostics) -> Outcome<T> {
        Outcome {
            value: None,
            diagnostics,
        }
    }

    /// Drops the result when an error was reported: a plan or a data source read next to an error must not be
    /// used by Terraform.
    pub fn unless_errors(self) -> Outcome<T> {
        if self.diagnostics.has_errors() {
            Outcome::failed(self.diagnostics)
        } else {
            self
        }
    }

    /// The next step on the result (typically encoding it); when that step fails, the result is dropped and the
    /// step's diagnostics join the others.
    pub fn and_then<U>(self, step: impl FnOnce(T) -> Result<U, Diagnostics>) -> Outcome<U> {
        let Outcome { value, mut diagnostics } = self;
        match value.map(step) {
            Some(Ok(next)) => Outcome::new(next, diagnostics),
            Some(Err(failure)) => {
                diagnostics.extend(failure);
                Outcome::failed(diagnostics)
            }
            None => Outcome::failed(diagnostics),
        }
    }

    /// Answers `fallback` where no result was produced (for reads and applies: the state Terraform sent, so a
    /// failure loses nothing).
    pub fn or(self, fallback: T) -> Outcome<T> {
        Outcome {
            value: Some(self.value.unwrap_or(fallback)),
            diagnostics: self.diagnostics,
        }
    }
}

impl<T> From<Diagnostics> for Outcome<T> {
    fn from(diagnostics: Diagnostics) -> Outcome<T> {
        Outcome::failed(diagnostics)
    }
}

/// Runs a handler, turning an early failure into an outcome without a result and a panic into an error
/// diagnostic instead of a failed RPC.
pub async fn guarded<T, F>(rpc: &str, handler: F) -> Outcome<T>
where
    F: Future<Output = Result<Outcome<T>, Diagnostics>>,
{
    match AssertUnwindSafe(handler).catch_unwind().await {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(diagnostics)) => Outcome::failed(diagnostics),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            tracing::error!(rpc, panic = %message, "handler panicked");
            Outcome::failed(
                Diagnostic::error(
                    "Provider internal error",
                    format!("The provider failed while handling {rpc}: {message}. This is a bug in the provider."),
                )
                .into(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(summary: &str) -> Diagnostics {
        Diagnostic::error(summary, "detail").into()
    }

    #[test]
    fn a_failed_step_drops_the_result_and_keeps_every_diagnostic() {
        let warned = Outcome::new(1, Diagnostic::warning("w", "d").into());
        let outcome: Outcome<i32> = warned.and_then(|_| Err(error("encode")));
        assert!(outcome.value.is_none());
        assert_eq!(outcome.diagnostics.iter().count(), 2);
    }

    #[test]
    fn errors_drop_the_result_only_where_asked_and_fallbacks_fill_the_gap() {
        assert!(Outcome::new(1, error("e")).unless_errors().value.is_none());
        assert_eq!(Outcome::new(1, error("e")).value, Some(1));
        assert_eq!(Outcome::<i32>::failed(error("e")).or(7).value, Some(7));
        assert_eq!(Outcome::ok(1).or(7).value, Some(1));
    }

    #[tokio::test]
    async fn panics_and_early_failures_become_diagnostics() {
        let panicked: Outcome<()> = guarded("Rpc", async { panic!("boom") }).await;
        let detail = &panicked.diagnostics.iter().next().unwrap().detail;
        assert!(detail.contains("Rpc") && detail.contains("boom"), "{detail}");
        let early: Outcome<()> = guarded("Rpc", async { Err(error("early")) }).await;
        assert!(early.value.is_none() && early.diagnostics.has_errors());
    }
}

//! Provider work on a thread of its own, so that the I/O thread stays free for Terraform's control calls.
//!
//! The process runs one async thread (see `main.rs`): it accepts connections, reads and writes HTTP/2 and serves
//! go-plugin's controller. Decoding a 100 MB plan, planning it and encoding the answer are seconds of CPU work
//! with no await in between; on that one thread they would hold up everything else, StopProvider and Shutdown
//! included, which must answer at once. So every `tfplugin6.Provider` call except StopProvider runs on a second
//! single-threaded runtime on its own thread (its AWS calls included), and the I/O thread only hands requests over
//! and carries the answers back. StopProvider stays on the I/O thread: it only signals cancellation.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use tonic::body::Body;
use tonic::codegen::{Service, http};
use tonic::server::NamedService;

/// The gRPC path of the one provider call that must never wait behind the others.
const STOP_PROVIDER_PATH: &str = "/tfplugin6.Provider/StopProvider";

/// A handle to the worker thread's runtime.
#[derive(Clone)]
pub struct Worker {
    handle: tokio::runtime::Handle,
}

impl Worker {
    /// Starts the worker thread. It runs until the process exits: nothing it holds needs an orderly shutdown, and
    /// Terraform wants the process gone at once after Shutdown.
    pub fn start() -> std::io::Result<Worker> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let handle = runtime.handle().clone();
        std::thread::Builder::new()
            .name("provider-worker".to_string())
            .spawn(move || runtime.block_on(std::future::pending::<()>()))?;
        Ok(Worker { handle })
    }

    /// `service` with its calls run on this worker, StopProvider excepted.
    pub fn serve<S>(&self, service: S) -> OnWorker<S> {
        OnWorker {
            inner: service,
            worker: self.clone(),
        }
    }
}

/// A gRPC service whose calls run on the [`Worker`] (see the module documentation).
#[derive(Clone)]
pub struct OnWorker<S> {
    inner: S,
    worker: Worker,
}

impl<S: NamedService> NamedService for OnWorker<S> {
    const NAME: &'static str = S::NAME;
}

type ResponseFuture = Pin<Box<dyn Future<Output = Result<http::Response<Body>, Infallible>> + Send>>;

impl<S> Service<http::Request<Body>> for OnWorker<S>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = ResponseFuture;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, request: http::Request<Body>) -> ResponseFuture {
        // The usual tower dance: the clone that was polled ready serves this call.
        let clone = self.inner.clone();
        let mut ready = std::mem::replace(&mut self.inner, clone);
        if request.uri().path() == STOP_PROVIDER_PATH {
            return Box::pin(ready.call(request));
        }
        let work = self.worker.handle.spawn(ready.call(request));
        Box::pin(async move {
            match work.await {
                Ok(response) => response,
                // Handlers catch their own panics; this is a panic in the gRPC plumbing itself.
                Err(error) => {
                    tracing::error!(%error, "provider call failed on the worker thread");
                    Ok(tonic::Status::internal("the provider call failed").into_http())
                }
            }
        })
    }
}

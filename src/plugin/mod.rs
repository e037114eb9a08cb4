//! How Terraform reaches the provider: go-plugin's handshake, AutoMTLS over a Unix socket or loopback TCP, and the
//! gRPC services (`tfplugin6.Provider`, the controller, stdio and health). Nothing here knows about Cognito.

pub mod handshake;
pub mod listener;
pub mod logging;
pub mod name_service;
pub mod services;
pub mod signals;
pub mod tls;
pub mod worker;

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;
use tonic::transport::server::Connected;

use crate::plugin::listener::{Io, ListenSettings, Listener};
use crate::plugin::signals::{Signal, Signals};
use crate::proto::plugin::grpc_controller_server::GrpcControllerServer;
use crate::proto::plugin::grpc_stdio_server::GrpcStdioServer;
use crate::proto::tfplugin6::provider_server::ProviderServer as ProviderGrpcServer;
use crate::tf::resource::Provider;
use crate::tf::server::ProviderServer;

/// Terraform's own limit for provider messages; tonic's default of 4 MiB is too small for large states.
const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;
/// A TLS client that does not finish its handshake in this time is dropped.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// After Shutdown, in-flight responses get this long to drain before the process exits.
const DRAIN_TIMEOUT: Duration = Duration::from_millis(500);

pub enum Mode {
    /// Started by Terraform: cookie checked, AutoMTLS when `PLUGIN_CLIENT_CERT` is set (its content must then be
    /// a certificate), SIGINT ignored.
    Managed { client_certificate_pem: Option<String> },
    /// Started by a developer (`--debug`): plaintext, prints TF_REATTACH_PROVIDERS, stops on Ctrl-C.
    Debug { provider_address: String },
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Listen(#[from] listener::ListenError),
    #[error("could not set up AutoMTLS: {0}")]
    Tls(#[from] tls::TlsError),
    #[error(transparent)]
    Address(#[from] handshake::UnrepresentableAddress),
    #[error("could not write the handshake: {0}")]
    Announce(std::io::Error),
    #[error("could not start the provider's worker thread: {0}")]
    Worker(std::io::Error),
    #[error("could not install signal handlers: {0}")]
    Signals(std::io::Error),
    #[error("gRPC server failed: {0}")]
    Transport(#[from] tonic::transport::Error),
    #[error("the gRPC server task failed: {0}")]
    ServerTask(#[from] tokio::task::JoinError),
}

/// Serves `provider` until Terraform says Shutdown, or a termination signal arrives.
pub async fn serve(provider: Arc<dyn Provider>, mode: Mode, settings: &ListenSettings) -> Result<(), ServeError> {
    let (acceptor, certificate) = match &mode {
        Mode::Managed {
            client_certificate_pem: Some(pem),
        } => {
            let mtls = tls::configure(pem)?;
            (
                Some(TlsAcceptor::from(mtls.server_config)),
                Some(mtls.server_certificate_der),
            )
        }
        _ => (None, None),
    };
    let listener = Listener::bind(settings).await?;
    let address = listener.address().clone();

    let shutdown = CancellationToken::new();
    let mut signals = Signals::install().map_err(ServeError::Signals)?;

    let provider_service = Arc::new(ProviderServer::new(provider));
    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter
        .set_service_status("plugin", tonic_health::ServingStatus::Serving)
        .await;

    let worker = worker::Worker::start().map_err(ServeError::Worker)?;
    let router = tonic::transport::Server::builder()
        .add_service(
            worker.serve(
                ProviderGrpcServer::from_arc(provider_service.clone())
                    .max_decoding_message_size(MAX_MESSAGE_BYTES)
                    .max_encoding_message_size(MAX_MESSAGE_BYTES),
            ),
        )
        .add_service(GrpcControllerServer::new(services::Controller {
            shutdown: shutdown.clone(),
        }))
        .add_service(GrpcStdioServer::new(services::Stdio {
            shutdown: shutdown.clone(),
        }))
        .add_service(health_service);

    let listener = Arc::new(listener);
    let listener_guard = Arc::clone(&listener);
    let incoming = accept_loop(listener, acceptor, shutdown.clone());
    let server_shutdown = shutdown.clone();
    let mut server = tokio::spawn(router.serve_with_incoming_shutdown(incoming, server_shutdown.cancelled_owned()));

    match &mode {
        Mode::Managed { .. } => {
            let line = handshake::handshake_line(&address, certificate.as_deref())?;
            handshake::announce(&line).map_err(ServeError::Announce)?;
            tracing::info!(network = address.network(), %address, tls = certificate.is_some(), "provider serving");
        }
        Mode::Debug { provider_address } => {
            let text = handshake::reattach_instructions(provider_address, std::process::id(), &address);
            handshake::announce(&text).map_err(ServeError::Announce)?;
        }
    }

    let debug = matches!(mode, Mode::Debug { .. });
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            signal = signals.next() => match signal {
                Signal::Terminate => {
                    tracing::info!("terminated by signal");
                    shutdown.cancel();
                    break;
                }
                Signal::Interrupt if debug => {
                    shutdown.cancel();
                    break;
                }
                // Ctrl-C in the terminal reaches us as well as Terraform. Terraform answers it with StopProvider
                // and waits for the apply in progress; dying here would lose the result of that apply.
                Signal::Interrupt => tracing::info!("ignoring Ctrl-C: Terraform will send StopProvider"),
            },
            result = &mut server => return Ok(result??),
        }
    }
    provider_service.stop();
    let _ = tokio::time::timeout(DRAIN_TIMEOUT, server).await;
    // The listener (and with it the socket and its private directory) goes only now: connections that were
    // accepted keep draining above.
    drop(listener_guard);
    Ok(())
}

/// Accepts connections and, with AutoMTLS, completes each TLS handshake in its own task so a slow or hostile
/// client cannot block others. tonic consumes the finished streams.
fn accept_loop(
    listener: Arc<Listener>,
    acceptor: Option<TlsAcceptor>,
    shutdown: CancellationToken,
) -> tokio_stream::wrappers::ReceiverStream<Result<PluginStream, std::io::Error>> {
    let (sender, receiver) = tokio::sync::mpsc::channel(16);
    tokio::spawn(async move {
        loop {
            let stream = tokio::select! {
                () = shutdown.cancelled() => return,
                accepted = listener.accept() => match accepted {
                    Ok(stream) => stream,
                    Err(error) => {
                        tracing::warn!(%error, "accept failed");
                        continue;
                    }
                },
            };
            match &acceptor {
                None => {
                    if sender.send(Ok(PluginStream(stream))).await.is_err() {
                        return;
                    }
                }
                Some(acceptor) => {
                    let acceptor = acceptor.clone();
                    let sender = sender.clone();
                    tokio::spawn(async move {
                        match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                            Ok(Ok(tls)) => {
                                let _ = sender.send(Ok(PluginStream(Box::new(tls)))).await;
                            }
                            Ok(Err(error)) => tracing::warn!(%error, "TLS handshake refused"),
                            Err(_) => tracing::warn!("TLS handshake timed out"),
                        }
                    });
                }
            }
        }
    });
    tokio_stream::wrappers::ReceiverStream::new(receiver)
}

/// A connection from Terraform: plaintext (debug mode, or TLS disabled by Terraform) or AutoMTLS, over either
/// transport.
pub struct PluginStream(Box<dyn Io>);

impl Connected for PluginStream {
    type ConnectInfo = ();

    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for PluginStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.get_mut().0).poll_read(cx, buf)
    }
}

impl AsyncWrite for PluginStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut *self.get_mut().0).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.get_mut().0).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.get_mut().0).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut *self.get_mut().0).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.0.is_write_vectored()
    }
}

//! Starts the provider binary the way Terraform 1.11 does and talks to it the way go-plugin's client does.
//!
//! Terraform launches a provider with no arguments, the magic cookie, the protocol versions it speaks, a port range
//! and, with AutoMTLS, a freshly generated ECDSA P-521 `CA:TRUE` client certificate in `PLUGIN_CLIENT_CERT`. It then
//! reads exactly one stdout line (`1|6|unix|<socket>|grpc|<unpadded base64 DER>`, or `tcp` and `127.0.0.1:<port>`
//! where the provider serves on loopback TCP), dials that address, trusts only the certificate from that line, presents its own certificate and speaks gRPC over TLS with ALPN `h2`. This module
//! reproduces each of those steps so the protocol tests and the handshake benchmark exercise the same code path a
//! real `terraform plan` does, and it fails with a typed [`PluginError`] naming the step that went wrong.
//!
//! The module is standalone (include it with `#[path = "support/plugin_client.rs"] mod plugin_client;`) and never
//! leaves a process behind: [`PluginProcess`] kills its child on drop and removes the private socket directory it
//! handed to the binary.

// Each test crate or benchmark that includes this module uses a different subset of it.
#![allow(dead_code)]

use std::ffi::OsString;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use hyper_util::rt::TokioIo;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, ProtocolVersion, SignatureScheme, SupportedProtocolVersion};
use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, BufReader};
use tokio::net::{TcpStream, UnixStream};
use tokio::process::{Child, ChildStderr, ChildStdout, Command};
use tokio::task::JoinHandle;
use tonic::codegen::Service;
use tonic::codegen::http::Uri;
use tonic::transport::{Channel, Endpoint};

use terraform_provider_cognito::proto::plugin::Empty;
use terraform_provider_cognito::proto::plugin::grpc_controller_client::GrpcControllerClient;
use terraform_provider_cognito::proto::plugin::grpc_stdio_client::GrpcStdioClient;
use terraform_provider_cognito::proto::tfplugin6::provider_client::ProviderClient;
use tonic_health::pb::health_client::HealthClient;

/// The cookie Terraform sets so a provider can tell it was started by Terraform
/// (`hashicorp/terraform:internal/plugin6/serve.go`).
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// The protocol versions Terraform 1.11 offers. Go map iteration makes the order vary between runs.
pub const TERRAFORM_PROTOCOL_VERSIONS: &str = "5,6";

/// terraform-plugin-go's limit in both directions; tonic's own default (4 MiB) is too small for big configs.
pub const MAX_MESSAGE_SIZE: usize = 256 * 1024 * 1024;

/// go-plugin's default `StartTimeout`: Terraform gives up when the handshake line takes longer than this.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(60);

/// How long [`PluginProcess::shutdown`] waits for the process to exit after the Shutdown RPC. Terraform itself
/// waits 2 s before SIGKILL; the extra margin keeps a loaded test machine from producing false failures.
pub const SHUTDOWN_EXIT_TIMEOUT: Duration = Duration::from_secs(5);

/// Every gRPC call made through a [`PluginChannel`] gives up after this long, so a wedged server fails a test
/// instead of hanging it.
pub const RPC_TIMEOUT: Duration = Duration::from_secs(60);

/// The name go-plugin's client verifies the server certificate against.
pub const TLS_SERVER_NAME: &str = "localhost";

/// Environment variables the go-plugin handshake reads. They are removed from the inherited environment before
/// the options set their own values, so a variable exported in the developer's shell never leaks into a test.
const PLUGIN_ENVIRONMENT: [&str; 11] = [
    MAGIC_COOKIE_KEY,
    "PLUGIN_PROTOCOL_VERSIONS",
    "PLUGIN_MIN_PORT",
    "PLUGIN_MAX_PORT",
    "PLUGIN_CLIENT_CERT",
    "PLUGIN_UNIX_SOCKET_DIR",
    "PLUGIN_UNIX_SOCKET_GROUP",
    "PLUGIN_MULTIPLEX_GRPC",
    "TF_REATTACH_PROVIDERS",
    "TF_DISABLE_PLUGIN_TLS",
    TRANSPORT_VARIABLE,
];

/// The provider's switch from the Unix socket to loopback TCP (`src/plugin/listener.rs`).
pub const TRANSPORT_VARIABLE: &str = "COGNITO_PROVIDER_TRANSPORT";

/// Everything that can go wrong between spawning the binary and talking gRPC to it.
#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    #[error("could not start {binary}: {source}")]
    Spawn { binary: PathBuf, source: io::Error },
    #[error("could not create a private socket directory for the plugin: {0}")]
    SocketDirectory(io::Error),
    #[error("could not read the plugin's stdout: {0}")]
    ReadStdout(io::Error),
    #[error("no handshake line within {waited:?}; stderr so far:\n{stderr}")]
    HandshakeTimeout { waited: Duration, stderr: String },
    #[error("stdout closed before the plugin announced itself (exit status {status:?}); stderr:\n{stderr}")]
    NoAnnouncement { status: Option<ExitStatus>, stderr: String },
    #[error("invalid handshake line {line:?}: {problem}")]
    Handshake { line: String, problem: HandshakeProblem },
    #[error("invalid TF_REATTACH_PROVIDERS line {line:?}: {problem}")]
    Reattach { line: String, problem: String },
    #[error("could not generate a client certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error("could not build the TLS client configuration: {0}")]
    TlsConfig(#[from] rustls::Error),
    #[error("the plugin sent no server certificate, so a TLS connection cannot be verified")]
    NoServerCertificate,
    #[error("could not connect to the plugin: {0}")]
    Connect(#[source] tonic::transport::Error),
    #[error("the plugin did not exit within {waited:?}")]
    DidNotExit { waited: Duration },
    #[error("waiting for the plugin process failed: {0}")]
    Wait(io::Error),
    #[error("could not read /proc/{pid}/status: {source}")]
    ProcStatus { pid: u32, source: io::Error },
    #[error("/proc/{pid}/status has no VmRSS line (the process has exited?)")]
    NoResidentSetSize { pid: u32 },
}

/// Why a handshake line is not what go-plugin's client accepts (`hashicorp/go-plugin:client.go`).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum HandshakeProblem {
    #[error("the line does not end with a newline")]
    Unterminated,
    #[error("expected 6 '|'-separated fields, found {0}")]
    FieldCount(usize),
    #[error("core protocol version must be 1, found {0:?}")]
    CoreVersion(String),
    #[error("app protocol version must be 6, found {0:?}")]
    AppVersion(String),
    #[error("network must be \"unix\" or \"tcp\", found {0:?}")]
    Network(String),
    #[error("protocol must be \"grpc\", found {0:?}")]
    Protocol(String),
    #[error("the socket address is empty or not absolute: {0:?}")]
    SocketPath(String),
    #[error("the TCP address is not a 127.0.0.1 address with a port: {0:?}")]
    TcpAddress(String),
    #[error("the server certificate field carries '=' padding, which Go's base64.RawStdEncoding rejects")]
    PaddedCertificate,
    #[error("the server certificate field is not standard unpadded base64: {0}")]
    CertificateEncoding(String),
}

/// A parsed and validated go-plugin handshake line.
#[derive(Debug, Clone)]
pub struct Handshake {
    /// The line exactly as printed, without its trailing newline.
    pub line: String,
    pub address: PluginAddress,
    /// The sixth field as printed (empty in plaintext mode).
    pub certificate_field: String,
    /// The decoded sixth field: the server leaf certificate's DER, or `None` in plaintext mode.
    pub server_certificate: Option<CertificateDer<'static>>,
}

impl Handshake {
    /// Validates `line` (including its trailing newline) field by field, as go-plugin's client does, but strictly:
    /// no surrounding whitespace, exactly six fields, and the only values this provider may print.
    pub fn parse(line: &str) -> Result<Self, HandshakeProblem> {
        let line = line.strip_suffix('\n').ok_or(HandshakeProblem::Unterminated)?;
        let fields: Vec<&str> = line.split('|').collect();
        let [core, app, network, address, protocol, certificate] = fields.as_slice() else {
            return Err(HandshakeProblem::FieldCount(fields.len()));
        };
        if *core != "1" {
            return Err(HandshakeProblem::CoreVersion(core.to_string()));
        }
        if *app != "6" {
            return Err(HandshakeProblem::AppVersion(app.to_string()));
        }
        if *protocol != "grpc" {
            return Err(HandshakeProblem::Protocol(protocol.to_string()));
        }
        let address = PluginAddress::parse(network, address)?;
        let server_certificate = decode_certificate_field(certificate)?;
        Ok(Self {
            line: line.to_string(),
            address,
            certificate_field: certificate.to_string(),
            server_certificate,
        })
    }
}

/// Where the plugin listens: go-plugin's `unix` network (a socket path) or `tcp` (loopback only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PluginAddress {
    Unix(PathBuf),
    Tcp(SocketAddr),
}

impl PluginAddress {
    /// The address field of a handshake line or of `TF_REATTACH_PROVIDERS`, for `network`.
    pub fn parse(network: &str, address: &str) -> Result<Self, HandshakeProblem> {
        match network {
            "unix" => {
                let path = PathBuf::from(address);
                if path.is_absolute() {
                    Ok(Self::Unix(path))
                } else {
                    Err(HandshakeProblem::SocketPath(address.to_string()))
                }
            }
            "tcp" => match address.parse::<SocketAddr>() {
                Ok(socket) if socket.ip() == std::net::Ipv4Addr::LOCALHOST && socket.port() != 0 => {
                    Ok(Self::Tcp(socket))
                }
                _ => Err(HandshakeProblem::TcpAddress(address.to_string())),
            },
            other => Err(HandshakeProblem::Network(other.to_string())),
        }
    }

    pub fn network(&self) -> &'static str {
        match self {
            Self::Unix(_) => "unix",
            Self::Tcp(_) => "tcp",
        }
    }
}

fn decode_certificate_field(field: &str) -> Result<Option<CertificateDer<'static>>, HandshakeProblem> {
    if field.is_empty() {
        return Ok(None);
    }
    if field.contains('=') {
        return Err(HandshakeProblem::PaddedCertificate);
    }
    let der = STANDARD_NO_PAD
        .decode(field)
        .map_err(|error| HandshakeProblem::CertificateEncoding(error.to_string()))?;
    Ok(Some(CertificateDer::from(der)))
}

/// The JSON a provider prints in debug mode for `TF_REATTACH_PROVIDERS`, keyed by provider address
/// (`hashicorp/terraform:main.go` `parseReattachProviders`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReattachConfig {
    pub protocol: String,
    pub protocol_version: u32,
    pub pid: u32,
    pub test: bool,
    pub addr: ReattachAddress,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReattachAddress {
    #[serde(rename = "Network")]
    pub network: String,
    #[serde(rename = "String")]
    pub address: String,
}

/// What a debug-mode start printed: the human explanation and the one provider entry of the reattach JSON.
#[derive(Debug, Clone)]
pub struct ReattachAnnouncement {
    /// The stdout lines printed before the `TF_REATTACH_PROVIDERS=` line.
    pub explanation: Vec<String>,
    /// The `TF_REATTACH_PROVIDERS=` line as printed.
    pub line: String,
    pub provider_address: String,
    pub config: ReattachConfig,
}

impl ReattachAnnouncement {
    /// Parses `TF_REATTACH_PROVIDERS='<json>'` (leading whitespace allowed, shell quoting with `'"'"'` undone).
    fn parse(explanation: Vec<String>, line: &str) -> Result<Self, String> {
        let assignment = line.trim();
        let quoted = assignment
            .strip_prefix("TF_REATTACH_PROVIDERS=")
            .ok_or("the line does not start with TF_REATTACH_PROVIDERS=")?;
        let json = quoted
            .strip_prefix('\'')
            .and_then(|rest| rest.strip_suffix('\''))
            .ok_or("the value is not enclosed in single quotes")?
            .replace("'\"'\"'", "'");
        let providers: std::collections::BTreeMap<String, ReattachConfig> =
            serde_json::from_str(&json).map_err(|error| format!("not the reattach JSON: {error}"))?;
        let mut entries = providers.into_iter();
        let (provider_address, config) = entries.next().ok_or("the JSON object has no provider entry")?;
        if entries.next().is_some() {
            return Err("the JSON object has more than one provider entry".to_string());
        }
        Ok(Self {
            explanation,
            line: line.to_string(),
            provider_address,
            config,
        })
    }
}

/// How the binary announced where it listens.
#[derive(Debug, Clone)]
pub enum Announcement {
    /// Normal go-plugin start: one handshake line.
    Handshake(Handshake),
    /// `--debug`: a human explanation and `TF_REATTACH_PROVIDERS`.
    Reattach(ReattachAnnouncement),
}

/// The client certificate and key Terraform generates for AutoMTLS (`hashicorp/go-plugin:mtls.go`).
pub struct ClientIdentity {
    pub certificate_pem: String,
    pub certificate_der: CertificateDer<'static>,
    private_key_pkcs8: Vec<u8>,
}

impl fmt::Debug for ClientIdentity {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("ClientIdentity")
            .field("certificate_der_len", &self.certificate_der.len())
            .finish_non_exhaustive()
    }
}

impl ClientIdentity {
    /// A certificate with the properties go-plugin gives its client certificate: ECDSA P-521 with SHA-512,
    /// self-signed, `O=HashiCorp, CN=localhost`, SAN `DNS:localhost`, critical `CA:TRUE`, key usage
    /// digitalSignature|keyEncipherment|keyAgreement|keyCertSign, EKU clientAuth+serverAuth, valid from 30 s ago
    /// for about 30 years. The `CA:TRUE` flag and P-521 are what trip stock rustls verifiers, so they matter.
    pub fn generate_like_terraform() -> Result<Self, rcgen::Error> {
        use rcgen::{
            BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
            KeyUsagePurpose,
        };

        let key_pair = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512)?;
        let mut params = CertificateParams::new(vec![TLS_SERVER_NAME.to_string()])?;
        // `CertificateParams::new` starts with rcgen's own common name; Go orders the subject O then CN.
        params.distinguished_name = DistinguishedName::new();
        params.distinguished_name.push(DnType::OrganizationName, "HashiCorp");
        params.distinguished_name.push(DnType::CommonName, TLS_SERVER_NAME);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
            KeyUsagePurpose::KeyAgreement,
            KeyUsagePurpose::KeyCertSign,
        ];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth, ExtendedKeyUsagePurpose::ServerAuth];
        // rcgen takes `time::OffsetDateTime`; counting from the Unix epoch avoids a direct dependency on `time`.
        let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let now = rcgen::date_time_ymd(1970, 1, 1) + since_epoch;
        params.not_before = now - Duration::from_secs(30);
        params.not_after = now + Duration::from_secs(30 * 365 * 24 * 60 * 60);
        let certificate = params.self_signed(&key_pair)?;
        Ok(Self {
            certificate_pem: certificate.pem(),
            certificate_der: certificate.der().clone(),
            private_key_pkcs8: key_pair.serialize_der(),
        })
    }

    fn private_key(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.private_key_pkcs8.clone()))
    }
}

/// Where the binary is told to put its socket directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketLocation {
    /// `PLUGIN_UNIX_SOCKET_DIR` names a fresh temporary directory owned by the [`PluginProcess`].
    PluginUnixSocketDir,
    /// `PLUGIN_UNIX_SOCKET_DIR` is unset (as with Terraform) and `TMPDIR` names a fresh temporary directory, so the
    /// fallback to the OS temp dir is exercised without touching the real one.
    TempDir,
}

/// How to launch the binary. Fields are public so a test can deviate from Terraform in exactly one respect.
#[derive(Debug, Clone)]
pub struct PluginOptions {
    pub binary: PathBuf,
    pub args: Vec<OsString>,
    /// `TF_PLUGIN_MAGIC_COOKIE`; `None` leaves it unset.
    pub magic_cookie: Option<String>,
    /// `PLUGIN_PROTOCOL_VERSIONS`; `None` leaves it unset.
    pub protocol_versions: Option<String>,
    /// `PLUGIN_MIN_PORT` / `PLUGIN_MAX_PORT`; `None` leaves them unset.
    pub port_range: Option<(u16, u16)>,
    /// AutoMTLS: the identity whose PEM goes into `PLUGIN_CLIENT_CERT` and which [`PluginProcess::connect`]
    /// presents. `None` is Terraform with `TF_DISABLE_PLUGIN_TLS` set: plaintext gRPC.
    pub client_identity: Option<Arc<ClientIdentity>>,
    pub socket_location: SocketLocation,
    /// Added last, so they can also override anything above.
    pub extra_env: Vec<(OsString, OsString)>,
}

impl PluginOptions {
    /// Exactly what Terraform 1.11 does by default, AutoMTLS included, with a new client certificate.
    pub fn like_terraform(binary: impl Into<PathBuf>) -> Result<Self, PluginError> {
        let identity = ClientIdentity::generate_like_terraform()?;
        Ok(Self::like_terraform_with_identity(binary, Arc::new(identity)))
    }

    /// Like [`PluginOptions::like_terraform`] with a given client certificate (generating P-521 keys is the slow
    /// part of a start, so a benchmark may prefer to reuse one).
    pub fn like_terraform_with_identity(binary: impl Into<PathBuf>, identity: Arc<ClientIdentity>) -> Self {
        Self {
            client_identity: Some(identity),
            ..Self::plaintext(binary)
        }
    }

    /// Terraform with `TF_DISABLE_PLUGIN_TLS` set: the same environment minus `PLUGIN_CLIENT_CERT`.
    pub fn plaintext(binary: impl Into<PathBuf>) -> Self {
        Self {
            binary: binary.into(),
            args: Vec::new(),
            magic_cookie: Some(MAGIC_COOKIE_VALUE.to_string()),
            protocol_versions: Some(TERRAFORM_PROTOCOL_VERSIONS.to_string()),
            port_range: Some((10000, 25000)),
            client_identity: None,
            socket_location: SocketLocation::PluginUnixSocketDir,
            extra_env: Vec::new(),
        }
    }

    /// The same start, with the provider told to serve on loopback TCP, as it does on Windows.
    pub fn on_tcp(mut self) -> Self {
        self.extra_env
            .push((OsString::from(TRANSPORT_VARIABLE), OsString::from("tcp")));
        self
    }

    /// A developer running `terraform-provider-cognito --debug` from a shell: no go-plugin variables at all, so
    /// the socket goes to the temp dir (pointed at a private one through `TMPDIR`).
    pub fn debug_mode(binary: impl Into<PathBuf>) -> Self {
        Self {
            args: vec![OsString::from("--debug")],
            magic_cookie: None,
            protocol_versions: None,
            port_range: None,
            socket_location: SocketLocation::TempDir,
            ..Self::plaintext(binary)
        }
    }

    fn command(&self, socket_parent: &Path) -> Command {
        let mut command = Command::new(&self.binary);
        command
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        for variable in PLUGIN_ENVIRONMENT {
            command.env_remove(variable);
        }
        if let Some(cookie) = &self.magic_cookie {
            command.env(MAGIC_COOKIE_KEY, cookie);
        }
        if let Some(versions) = &self.protocol_versions {
            command.env("PLUGIN_PROTOCOL_VERSIONS", versions);
        }
        if let Some((min, max)) = self.port_range {
            command.env("PLUGIN_MIN_PORT", min.to_string());
            command.env("PLUGIN_MAX_PORT", max.to_string());
        }
        if let Some(identity) = &self.client_identity {
            command.env("PLUGIN_CLIENT_CERT", &identity.certificate_pem);
        }
        match self.socket_location {
            SocketLocation::PluginUnixSocketDir => command.env("PLUGIN_UNIX_SOCKET_DIR", socket_parent),
            SocketLocation::TempDir => command.env("TMPDIR", socket_parent),
        };
        for (key, value) in &self.extra_env {
            command.env(key, value);
        }
        command
    }
}

/// A process that ran to completion (used for the refusal paths: wrong cookie, wrong protocol versions).
#[derive(Debug)]
pub struct FinishedRun {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary with `options` and waits up to `timeout` for it to exit on its own; kills it otherwise.
pub async fn run_to_exit(options: &PluginOptions, timeout: Duration) -> Result<FinishedRun, PluginError> {
    let socket_parent = tempfile::tempdir().map_err(PluginError::SocketDirectory)?;
    let mut child = options
        .command(socket_parent.path())
        .spawn()
        .map_err(|source| PluginError::Spawn {
            binary: options.binary.clone(),
            source,
        })?;
    let stdout = OutputCapture::start(child.stdout.take());
    let stderr = OutputCapture::start(child.stderr.take());
    let status = match tokio::time::timeout(timeout, child.wait()).await {
        Ok(status) => status.map_err(PluginError::Wait)?,
        Err(_) => {
            // The kill is best effort; kill_on_drop covers the case where it fails.
            let _ = child.kill().await;
            return Err(PluginError::DidNotExit { waited: timeout });
        }
    };
    Ok(FinishedRun {
        status,
        stdout: stdout.finish().await,
        stderr: stderr.finish().await,
    })
}

/// Collects everything a child writes to one pipe, so the pipe never fills up and blocks the child, and so a
/// failing test can show what the binary said.
struct OutputCapture {
    collected: Arc<Mutex<Vec<u8>>>,
    reader: Option<JoinHandle<()>>,
}

impl OutputCapture {
    fn start<Pipe: AsyncRead + Unpin + Send + 'static>(pipe: Option<Pipe>) -> Self {
        let collected = Arc::new(Mutex::new(Vec::new()));
        let reader = pipe.map(|mut pipe| {
            let collected = Arc::clone(&collected);
            tokio::spawn(async move {
                let mut chunk = [0u8; 8192];
                while let Ok(read @ 1..) = pipe.read(&mut chunk).await {
                    lock(&collected).extend_from_slice(&chunk[..read]);
                }
            })
        });
        Self { collected, reader }
    }

    /// What has arrived so far.
    fn snapshot(&self) -> String {
        String::from_utf8_lossy(&lock(&self.collected)).into_owned()
    }

    /// Waits for end of file (the child has exited or closed the pipe) and returns everything.
    async fn finish(mut self) -> String {
        if let Some(reader) = self.reader.take() {
            // A reader task only ends by reaching end of file or by a read error; either way it is done.
            let _ = reader.await;
        }
        self.snapshot()
    }

    /// Like [`OutputCapture::finish`], but gives up after `timeout` (a grandchild could hold the pipe open).
    async fn finish_within(&mut self, timeout: Duration) -> String {
        if let Some(reader) = self.reader.as_mut()
            && tokio::time::timeout(timeout, reader).await.is_ok()
        {
            self.reader = None;
        }
        self.snapshot()
    }
}

impl Drop for OutputCapture {
    fn drop(&mut self) {
        if let Some(reader) = self.reader.take() {
            reader.abort();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A poisoned lock only means a reader task panicked mid-append; the bytes collected so far are still useful.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What [`PluginProcess::shutdown`] observed.
#[derive(Debug)]
pub struct ShutdownOutcome {
    /// The Shutdown RPC's own result. Terraform ignores it: a server may exit before its reply is flushed.
    pub rpc_result: Result<(), tonic::Status>,
    pub status: ExitStatus,
    /// From sending the Shutdown RPC to the process having exited.
    pub elapsed: Duration,
}

/// A running provider process started like Terraform starts it.
pub struct PluginProcess {
    child: Child,
    pid: u32,
    announcement: Announcement,
    client_identity: Option<Arc<ClientIdentity>>,
    /// From just before spawning to the announcement having been read.
    startup_time: Duration,
    stdout_after_announcement: OutputCapture,
    stderr: OutputCapture,
    /// The directory given to the binary as `PLUGIN_UNIX_SOCKET_DIR` or `TMPDIR`; removed on drop.
    socket_parent: tempfile::TempDir,
}

impl fmt::Debug for PluginProcess {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("PluginProcess")
            .field("pid", &self.pid)
            .field("announcement", &self.announcement)
            .finish_non_exhaustive()
    }
}

impl PluginProcess {
    /// Starts the binary and reads its handshake line, as go-plugin's client does.
    pub async fn start(options: PluginOptions) -> Result<Self, PluginError> {
        Self::spawn_and_read(options, AnnouncementKind::Handshake).await
    }

    /// Starts the binary in debug mode and reads stdout up to the `TF_REATTACH_PROVIDERS=` line.
    pub async fn start_debug(options: PluginOptions) -> Result<Self, PluginError> {
        Self::spawn_and_read(options, AnnouncementKind::Reattach).await
    }

    async fn spawn_and_read(options: PluginOptions, kind: AnnouncementKind) -> Result<Self, PluginError> {
        let socket_parent = tempfile::tempdir().map_err(PluginError::SocketDirectory)?;
        let started = Instant::now();
        let mut child = options
            .command(socket_parent.path())
            .spawn()
            .map_err(|source| PluginError::Spawn {
                binary: options.binary.clone(),
                source,
            })?;
        let pid = child.id().unwrap_or_default();
        let stderr = OutputCapture::start::<ChildStderr>(child.stderr.take());
        let mut stdout = BufReader::new(child.stdout.take().ok_or_else(|| {
            PluginError::ReadStdout(io::Error::new(io::ErrorKind::BrokenPipe, "stdout was not captured"))
        })?);

        let read = tokio::time::timeout(HANDSHAKE_TIMEOUT, read_announcement(&mut stdout, kind)).await;
        let announcement = match read {
            Err(_) => {
                return Err(PluginError::HandshakeTimeout {
                    waited: HANDSHAKE_TIMEOUT,
                    stderr: stderr.snapshot(),
                });
            }
            Ok(Err(AnnouncementError::Io(error))) => return Err(PluginError::ReadStdout(error)),
            Ok(Err(AnnouncementError::EndOfFile)) => {
                let status = tokio::time::timeout(Duration::from_secs(5), child.wait())
                    .await
                    .ok()
                    .and_then(Result::ok);
                let mut stderr = stderr;
                let stderr = stderr.finish_within(Duration::from_secs(1)).await;
                return Err(PluginError::NoAnnouncement { status, stderr });
            }
            Ok(Err(AnnouncementError::Handshake { line, problem })) => {
                return Err(PluginError::Handshake { line, problem });
            }
            Ok(Err(AnnouncementError::Reattach { line, problem })) => {
                return Err(PluginError::Reattach { line, problem });
            }
            Ok(Ok(announcement)) => announcement,
        };
        let startup_time = started.elapsed();
        Ok(Self {
            child,
            pid,
            announcement,
            client_identity: options.client_identity,
            startup_time,
            stdout_after_announcement: OutputCapture::start::<BufReader<ChildStdout>>(Some(stdout)),
            stderr,
            socket_parent,
        })
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    pub fn announcement(&self) -> &Announcement {
        &self.announcement
    }

    /// The handshake line, or `None` for a debug-mode start.
    pub fn handshake(&self) -> Option<&Handshake> {
        match &self.announcement {
            Announcement::Handshake(handshake) => Some(handshake),
            Announcement::Reattach(_) => None,
        }
    }

    /// The reattach announcement, or `None` for a normal start.
    pub fn reattach(&self) -> Option<&ReattachAnnouncement> {
        match &self.announcement {
            Announcement::Reattach(reattach) => Some(reattach),
            Announcement::Handshake(_) => None,
        }
    }

    /// Where the process announced it listens.
    pub fn address(&self) -> PluginAddress {
        match &self.announcement {
            Announcement::Handshake(handshake) => handshake.address.clone(),
            Announcement::Reattach(reattach) => {
                PluginAddress::parse(&reattach.config.addr.network, &reattach.config.addr.address)
                    .unwrap_or_else(|_| PluginAddress::Unix(PathBuf::from(&reattach.config.addr.address)))
            }
        }
    }

    /// The Unix socket the process announced; panics when it announced a TCP address.
    pub fn socket_path(&self) -> PathBuf {
        match self.address() {
            PluginAddress::Unix(path) => path,
            PluginAddress::Tcp(address) => panic!("the plugin listens on TCP {address}, not on a Unix socket"),
        }
    }

    /// The certificate from handshake field 6, if any.
    pub fn server_certificate(&self) -> Option<&CertificateDer<'static>> {
        self.handshake()
            .and_then(|handshake| handshake.server_certificate.as_ref())
    }

    /// The directory the binary was told to create its private socket directory in.
    pub fn socket_parent(&self) -> &Path {
        self.socket_parent.path()
    }

    pub fn client_identity(&self) -> Option<&Arc<ClientIdentity>> {
        self.client_identity.as_ref()
    }

    /// From just before the spawn until the announcement had been read and validated.
    pub fn startup_time(&self) -> Duration {
        self.startup_time
    }

    /// What the process wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.snapshot()
    }

    /// What the process wrote to stdout after its announcement so far.
    pub fn stdout_after_announcement(&self) -> String {
        self.stdout_after_announcement.snapshot()
    }

    /// Connects as Terraform does: TLS with the AutoMTLS client certificate when the handshake carried a server
    /// certificate, plaintext otherwise.
    pub async fn connect(&self) -> Result<PluginChannel, PluginError> {
        let transport = match self.server_certificate() {
            None => Transport::Plaintext,
            Some(_) => Transport::Tls {
                client_identity: self.client_identity.clone(),
                versions: TlsVersions::Both,
            },
        };
        self.connect_with(transport).await
    }

    /// Connects with an explicit transport, e.g. to present a different client certificate or none at all.
    pub async fn connect_with(&self, transport: Transport) -> Result<PluginChannel, PluginError> {
        let tls = match transport {
            Transport::Plaintext => None,
            Transport::Tls {
                client_identity,
                versions,
            } => {
                let server_certificate = self.server_certificate().ok_or(PluginError::NoServerCertificate)?;
                Some(Arc::new(client_tls_config(
                    server_certificate.clone(),
                    client_identity.as_deref(),
                    versions,
                )?))
            }
        };
        PluginChannel::connect(self.address(), tls).await
    }

    /// True until the process has exited.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends a signal (e.g. `libc::SIGINT`) to the process.
    pub fn send_signal(&self, signal: libc::c_int) -> io::Result<()> {
        let pid = libc::pid_t::try_from(self.pid).map_err(|_| io::Error::other("pid out of range"))?;
        // SAFETY: kill(2) takes plain integers; the pid is our own child, which is not reaped while `self` lives.
        let result = unsafe { libc::kill(pid, signal) };
        if result == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }

    /// Waits up to `timeout` for the process to exit by itself.
    pub async fn wait_for_exit(&mut self, timeout: Duration) -> Result<ExitStatus, PluginError> {
        match tokio::time::timeout(timeout, self.child.wait()).await {
            Ok(status) => status.map_err(PluginError::Wait),
            Err(_) => Err(PluginError::DidNotExit { waited: timeout }),
        }
    }

    /// Does what Terraform does when it is done with a provider: a fresh connection, `GRPCController/Shutdown`,
    /// then waiting for the exit ([`SHUTDOWN_EXIT_TIMEOUT`]; Terraform would SIGKILL after 2 s).
    pub async fn shutdown(&mut self) -> Result<ShutdownOutcome, PluginError> {
        let channel = self.connect().await?;
        let mut controller = channel.controller();
        let sent = Instant::now();
        let rpc_result = controller.shutdown(Empty {}).await.map(|_| ());
        let status = self.wait_for_exit(SHUTDOWN_EXIT_TIMEOUT).await?;
        Ok(ShutdownOutcome {
            rpc_result,
            status,
            elapsed: sent.elapsed(),
        })
    }

    /// Waits for stdout to reach end of file after the process exited and returns everything printed after the
    /// announcement.
    pub async fn final_stdout_after_announcement(&mut self) -> String {
        self.stdout_after_announcement
            .finish_within(Duration::from_secs(5))
            .await
    }

    /// The process's resident set size in KiB (`VmRSS` in `/proc/<pid>/status`; Linux only).
    pub fn resident_set_kib(&self) -> Result<u64, PluginError> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .map_err(|source| PluginError::ProcStatus { pid: self.pid, source })?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .ok_or(PluginError::NoResidentSetSize { pid: self.pid })
    }
}

impl Drop for PluginProcess {
    fn drop(&mut self) {
        if self.is_running() {
            // Best effort: kill_on_drop on the Child sends SIGKILL again if this fails.
            let _ = self.child.start_kill();
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum AnnouncementKind {
    Handshake,
    Reattach,
}

enum AnnouncementError {
    Io(io::Error),
    EndOfFile,
    Handshake { line: String, problem: HandshakeProblem },
    Reattach { line: String, problem: String },
}

async fn read_announcement(
    stdout: &mut BufReader<ChildStdout>,
    kind: AnnouncementKind,
) -> Result<Announcement, AnnouncementError> {
    let mut explanation = Vec::new();
    loop {
        let mut line = String::new();
        let read = stdout.read_line(&mut line).await.map_err(AnnouncementError::Io)?;
        if read == 0 {
            return Err(AnnouncementError::EndOfFile);
        }
        match kind {
            // go-plugin reads exactly one line: whatever it is, it is the handshake.
            AnnouncementKind::Handshake => {
                return Handshake::parse(&line)
                    .map(Announcement::Handshake)
                    .map_err(|problem| AnnouncementError::Handshake { line, problem });
            }
            AnnouncementKind::Reattach => {
                if line.trim_start().starts_with("TF_REATTACH_PROVIDERS=") {
                    return ReattachAnnouncement::parse(explanation, &line)
                        .map(Announcement::Reattach)
                        .map_err(|problem| AnnouncementError::Reattach { line, problem });
                }
                explanation.push(line.trim_end_matches('\n').to_string());
            }
        }
    }
}

/// Which TLS versions the client offers (go-plugin's client allows 1.2 and 1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsVersions {
    Both,
    Only12,
    Only13,
}

impl TlsVersions {
    fn versions(self) -> &'static [&'static SupportedProtocolVersion] {
        static ONLY_TLS12: [&SupportedProtocolVersion; 1] = [&rustls::version::TLS12];
        static ONLY_TLS13: [&SupportedProtocolVersion; 1] = [&rustls::version::TLS13];
        match self {
            Self::Both => rustls::ALL_VERSIONS,
            Self::Only12 => &ONLY_TLS12,
            Self::Only13 => &ONLY_TLS13,
        }
    }
}

/// How to reach the socket.
#[derive(Debug, Clone)]
pub enum Transport {
    Plaintext,
    /// TLS trusting exactly the certificate from the handshake, with ALPN `h2` and server name `localhost`;
    /// `client_identity: None` presents no client certificate.
    Tls {
        client_identity: Option<Arc<ClientIdentity>>,
        versions: TlsVersions,
    },
}

/// The aws-lc-rs provider, chosen explicitly: with both ring and aws-lc-rs compiled in, rustls has no process
/// default, and only aws-lc-rs can sign with the P-521 client key.
fn crypto_provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

fn client_tls_config(
    server_certificate: CertificateDer<'static>,
    client_identity: Option<&ClientIdentity>,
    versions: TlsVersions,
) -> Result<ClientConfig, PluginError> {
    let provider = crypto_provider();
    let verifier = ExactServerCertificate {
        expected: server_certificate,
        provider: Arc::clone(&provider),
    };
    let builder = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(versions.versions())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier));
    let mut config = match client_identity {
        Some(identity) => {
            builder.with_client_auth_cert(vec![identity.certificate_der.clone()], identity.private_key())?
        }
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(config)
}

/// go-plugin's client puts only the handshake certificate in its root pool and verifies with server name
/// `localhost`. This verifier accepts that exact DER (whatever its basic constraints, as Go does for a root used as
/// a leaf), requires it to be valid for `localhost`, and checks the handshake signatures with aws-lc-rs.
#[derive(Debug)]
struct ExactServerCertificate {
    expected: CertificateDer<'static>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for ExactServerCertificate {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() != self.expected.as_ref() {
            return Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::UnknownIssuer,
            ));
        }
        let parsed = rustls::server::ParsedCertificate::try_from(end_entity)?;
        rustls::client::verify_server_name(&parsed, server_name)?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            certificate,
            signature,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            certificate,
            signature,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// Checks that `certificate` is valid for the name go-plugin's client verifies (`localhost`), as its SAN must be.
pub fn certificate_is_valid_for_localhost(certificate: &CertificateDer<'_>) -> Result<(), rustls::Error> {
    let parsed = rustls::server::ParsedCertificate::try_from(certificate)?;
    let localhost = ServerName::try_from(TLS_SERVER_NAME).map_err(|error| rustls::Error::General(error.to_string()))?;
    rustls::client::verify_server_name(&parsed, &localhost)
}

/// What the TLS handshake of the most recent connection negotiated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NegotiatedTls {
    pub protocol_version: Option<ProtocolVersion>,
    pub alpn_protocol: Option<Vec<u8>>,
}

/// A gRPC channel to the plugin with typed clients for every service Terraform uses.
#[derive(Debug, Clone)]
pub struct PluginChannel {
    channel: Channel,
    negotiated: Arc<Mutex<Option<NegotiatedTls>>>,
}

impl PluginChannel {
    async fn connect(address: PluginAddress, tls: Option<Arc<ClientConfig>>) -> Result<Self, PluginError> {
        let negotiated = Arc::new(Mutex::new(None));
        let connector = PluginConnector {
            address,
            tls,
            negotiated: Arc::clone(&negotiated),
        };
        // The URI only fills the HTTP/2 :authority and :scheme; the connector decides where bytes go.
        let channel = Endpoint::from_static("http://localhost")
            .timeout(RPC_TIMEOUT)
            .connect_timeout(RPC_TIMEOUT)
            .connect_with_connector(connector)
            .await
            .map_err(PluginError::Connect)?;
        Ok(Self { channel, negotiated })
    }

    /// `tfplugin6.Provider` with the message size limits Terraform's side allows.
    pub fn provider(&self) -> ProviderClient<Channel> {
        ProviderClient::new(self.channel.clone())
            .max_decoding_message_size(MAX_MESSAGE_SIZE)
            .max_encoding_message_size(MAX_MESSAGE_SIZE)
    }

    pub fn controller(&self) -> GrpcControllerClient<Channel> {
        GrpcControllerClient::new(self.channel.clone())
    }

    pub fn stdio(&self) -> GrpcStdioClient<Channel> {
        GrpcStdioClient::new(self.channel.clone())
    }

    pub fn health(&self) -> HealthClient<Channel> {
        HealthClient::new(self.channel.clone())
    }

    /// `None` for plaintext connections.
    pub fn negotiated_tls(&self) -> Option<NegotiatedTls> {
        lock(&self.negotiated).clone()
    }
}

/// Anything the connector can hand to hyper: a plain or a TLS-wrapped Unix stream.
trait PluginStream: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> PluginStream for T {}

/// Dials the announced address and, for AutoMTLS, runs the TLS handshake on it. tonic's own TLS would need a
/// CA-based verifier, which does not fit go-plugin.
#[derive(Clone)]
struct PluginConnector {
    address: PluginAddress,
    tls: Option<Arc<ClientConfig>>,
    negotiated: Arc<Mutex<Option<NegotiatedTls>>>,
}

impl Service<Uri> for PluginConnector {
    type Response = TokioIo<Box<dyn PluginStream>>;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _context: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _uri: Uri) -> Self::Future {
        let connector = self.clone();
        Box::pin(async move {
            let stream: Box<dyn PluginStream> = match &connector.address {
                PluginAddress::Unix(path) => Box::new(UnixStream::connect(path).await?),
                PluginAddress::Tcp(address) => {
                    let stream = TcpStream::connect(address).await?;
                    stream.set_nodelay(true)?;
                    Box::new(stream)
                }
            };
            let Some(tls) = connector.tls else {
                return Ok(TokioIo::new(stream));
            };
            let server_name = ServerName::try_from(TLS_SERVER_NAME)
                .map_err(|error| io::Error::new(io::ErrorKind::InvalidInput, error))?;
            let stream = tokio_rustls::TlsConnector::from(tls)
                .connect(server_name, stream)
                .await?;
            let (_, session) = stream.get_ref();
            *lock(&connector.negotiated) = Some(NegotiatedTls {
                protocol_version: session.protocol_version(),
                alpn_protocol: session.alpn_protocol().map(<[u8]>::to_vec),
            });
            Ok(TokioIo::new(Box::new(stream) as Box<dyn PluginStream>))
        })
    }
}

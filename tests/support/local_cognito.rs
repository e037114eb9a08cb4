//! [`LocalCognito`]: one private instance of the local Cognito stack (moto behind the recording, Cognito-mode,
//! fault-injecting proxy of `tests/support/local_cognito.py`) per test.
//!
//! Each test starts its own stack, so tests run in parallel without sharing state and without resets between them.
//! The Python process is tied to us through its stdin: dropping [`LocalCognito`] closes it and waits for the process,
//! which terminates and reaps moto first; if the test process dies instead, the kernel closes the pipe and the stack
//! stops by itself.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::config::retry::RetryConfig;
use aws_sdk_cognitoidentityprovider::config::timeout::TimeoutConfig;
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_cognitoidentityprovider::types::UserPoolClientType;
use aws_sdk_cognitoidentityprovider::types::{IdentityProviderTypeType, ResourceServerScopeType};
use serde::Deserialize;

use super::acceptance;
use super::control_http::{self, ControlError};

/// The region the stack's data lives in; moto isolates regions, so the provider and the tests must agree on it.
pub const REGION: &str = "us-east-1";
/// Dummy credentials: moto checks no signatures, but the SDKs refuse to sign without some.
pub const ACCESS_KEY_ID: &str = "testing";
pub const SECRET_ACCESS_KEY: &str = "testing";

/// How long an SDK call of the test setup may take in total, retries included (AWS may throttle a setup call).
const SDK_OPERATION_TIMEOUT: Duration = Duration::from_secs(60);
/// How long Drop waits for the stack to stop after closing its stdin before killing it.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// At most this much of the stack's stderr is kept for error messages.
const STDERR_KEEP_BYTES: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StackError {
    #[error("scripts/local-cognito-venv failed ({status}):\n{output}")]
    Venv { status: String, output: String },
    #[error("could not run {program}: {source}")]
    Spawn { program: String, source: std::io::Error },
    #[error("the local Cognito stack did not become ready: {reason}\nits stderr:\n{stderr}")]
    NotReady { reason: String, stderr: String },
}

/// One Cognito request as the proxy saw it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RecordedRequest {
    /// The operation from `X-Amz-Target`, e.g. `UpdateUserPoolClient`.
    pub operation: String,
    /// The JSON body as the client sent it (before any Cognito-mode rewrite); `null` if it was not JSON.
    pub body: serde_json::Value,
    /// The HTTP status the proxy answered (for a dropped response: the status moto gave).
    pub status: u16,
    /// The status moto gave; `None` when the request never reached moto (an injected answer or a rejection).
    #[serde(default)]
    pub moto_status: Option<u16>,
    /// The JSON body the client received; `null` when it received none (a dropped response) or no JSON.
    #[serde(default)]
    pub response: serde_json::Value,
    /// Set when Cognito mode refused the request: the broken rule and the error code answered.
    #[serde(default)]
    pub rejected: Option<Rejected>,
    /// The injected fault, if any: `throttle`, `error`, `drop`, `error_after_effect`, `rate_limit`, `latency`,
    /// `namesake_listing` or `namesake_create_error`.
    pub fault: Option<String>,
    /// When the proxy received it, in epoch seconds.
    pub timestamp: f64,
}

/// A request Cognito mode refused: which of its rules (`GET /_proxy/rules`) and the error code it answered.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Rejected {
    pub rule: String,
    pub code: String,
}

#[derive(Deserialize)]
struct ReadyLine {
    proxy_url: String,
    pid: u32,
    moto_pid: u32,
}

pub struct LocalCognito {
    child: Child,
    /// Closing this (on Drop) is what stops the stack.
    stdin: Option<ChildStdin>,
    /// Held so the stack's stdout stays open for its whole life.
    _stdout: BufReader<ChildStdout>,
    stderr: Arc<Mutex<String>>,
    proxy_url: String,
    proxy_pid: u32,
    moto_pid: u32,
    startup_time: Duration,
}

/// The repository root: scripts/ and tests/ are found from here, whatever the test's working directory.
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The Python of the test venv (moto, and pyvider-cty for the codec tests); call [`ensure_venv`] first.
pub fn venv_python() -> PathBuf {
    repo_root().join(".venv/bin/python")
}

/// Runs scripts/local-cognito-venv at most once per test process; every caller gets the first run's outcome.
pub fn ensure_venv() -> Result<(), StackError> {
    static VENV_READY: OnceLock<Result<(), (String, String)>> = OnceLock::new();
    let outcome = VENV_READY.get_or_init(|| {
        let script = repo_root().join("scripts/local-cognito-venv");
        match Command::new(&script)
            .current_dir(repo_root())
            .stdin(Stdio::null())
            .output()
        {
            Ok(output) if output.status.success() => Ok(()),
            Ok(output) => Err((
                output.status.to_string(),
                format!(
                    "{}{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                ),
            )),
            Err(error) => Err(("not started".to_owned(), format!("{}: {error}", script.display()))),
        }
    });
    outcome
        .clone()
        .map_err(|(status, output)| StackError::Venv { status, output })
}

/// An SDK client for test setup and assertions: `retry`, and a bound on each call's total time, so that a hung
/// endpoint fails the test instead of blocking it.
pub fn test_client(config: aws_sdk_cognitoidentityprovider::config::Builder, retry: RetryConfig) -> Client {
    let config = config
        .retry_config(retry)
        .timeout_config(
            TimeoutConfig::builder()
                .operation_timeout(SDK_OPERATION_TIMEOUT)
                .build(),
        )
        .build();
    Client::from_conf(config)
}

/// Creates an app client named `name` with nothing else set, as someone outside Terraform would; panics with the
/// SDK's full error otherwise.
pub async fn create_app_client(sdk: &Client, pool_id: &str, name: &str) -> UserPoolClientType {
    sdk.create_user_pool_client()
        .user_pool_id(pool_id)
        .client_name(name)
        .send()
        .await
        .unwrap_or_else(|error| {
            panic!(
                "CreateUserPoolClient: {}",
                aws_smithy_types::error::display::DisplayErrorContext(&error)
            )
        })
        .user_pool_client
        .expect("CreateUserPoolClient returns the client")
}

/// Copies the stack's stderr into a bounded buffer, so the pipe never fills and failures can quote it.
fn collect_stderr(mut stderr: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let collected = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&collected);
    thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(read) = stderr.read(&mut chunk) {
            if read == 0 {
                break;
            }
            let mut text = sink.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            text.push_str(&String::from_utf8_lossy(&chunk[..read]));
            if text.len() > STDERR_KEEP_BYTES {
                let cut = text.len() - STDERR_KEEP_BYTES;
                let boundary = (cut..text.len())
                    .find(|index| text.is_char_boundary(*index))
                    .unwrap_or(text.len());
                text.drain(..boundary);
            }
        }
    });
    collected
}

impl LocalCognito {
    /// Starts a private stack; panics with the reason (and the stack's stderr) if it cannot.
    pub fn start() -> LocalCognito {
        Self::try_start().unwrap_or_else(|error| panic!("{error}"))
    }

    /// For a test that needs what only the local stack offers (fault injection, its request log as the subject,
    /// credentials nothing but it accepts): a private stack, or in acceptance mode `None`, after saying that the
    /// current test is skipped and why.
    pub fn start_unless_acceptance(reason: &str) -> Option<LocalCognito> {
        if acceptance::enabled() {
            acceptance::skip(&acceptance::current_test(), reason);
            return None;
        }
        Some(Self::start())
    }

    /// Starts a private stack: makes sure the venv exists, spawns the launcher and waits for its ready line.
    pub fn try_start() -> Result<LocalCognito, StackError> {
        let started_at = Instant::now();
        ensure_venv()?;
        let python = venv_python();
        let script = repo_root().join("tests/support/local_cognito.py");
        let mut child = Command::new(&python)
            .arg(&script)
            .current_dir(repo_root())
            .env_remove("PYTHONPATH")
            .env_remove("PYTHONHOME")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|source| StackError::Spawn {
                program: python.display().to_string(),
                source,
            })?;
        let stdin = child.stdin.take();
        let stderr = collect_stderr(child.stderr.take().expect("stderr is piped"));
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));

        // The launcher gives up on its own if moto does not come up, so this read ends either way.
        let mut line = String::new();
        let ready = match stdout.read_line(&mut line) {
            Ok(0) => Err("the launcher exited before printing its ready line".to_owned()),
            Ok(_) => serde_json::from_str::<ReadyLine>(&line)
                .map_err(|error| format!("unexpected ready line {line:?}: {error}")),
            Err(error) => Err(format!("reading the ready line: {error}")),
        };
        let ready = match ready {
            Ok(ready) => ready,
            Err(reason) => {
                drop(stdin);
                let _ = child.wait();
                let stderr = stderr.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
                return Err(StackError::NotReady { reason, stderr });
            }
        };
        Ok(LocalCognito {
            child,
            stdin,
            _stdout: stdout,
            stderr,
            proxy_url: ready.proxy_url,
            proxy_pid: ready.pid,
            moto_pid: ready.moto_pid,
            startup_time: started_at.elapsed(),
        })
    }

    /// The proxy's URL: what the provider (`AWS_ENDPOINT_URL`) and the test's SDK clients must use.
    pub fn endpoint(&self) -> &str {
        &self.proxy_url
    }

    pub fn proxy_pid(&self) -> u32 {
        self.proxy_pid
    }

    pub fn moto_pid(&self) -> u32 {
        self.moto_pid
    }

    /// Time from `start()` to the ready line, venv check included.
    pub fn startup_time(&self) -> Duration {
        self.startup_time
    }

    /// What the stack wrote on stderr so far (bounded), for failure messages.
    pub fn stderr_output(&self) -> String {
        self.stderr
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    fn control(&self, method: &str, path: &str, body: Option<&serde_json::Value>) -> Vec<u8> {
        control_http::call(&self.proxy_url, method, path, body)
            .unwrap_or_else(|error| panic!("{method} {path}: {error}\nstack stderr:\n{}", self.stderr_output()))
    }

    /// Every Cognito request the proxy received since the start or the last [`reset`](Self::reset), in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        let body = self.control("GET", "/_proxy/requests", None);
        serde_json::from_slice(&body)
            .map_err(ControlError::from)
            .unwrap_or_else(|error| panic!("GET /_proxy/requests: {error}"))
    }

    /// The recorded requests of one operation, e.g. `"UpdateUserPoolClient"`.
    pub fn requests_for(&self, operation: &str) -> Vec<RecordedRequest> {
        self.requests()
            .into_iter()
            .filter(|request| request.operation == operation)
            .collect()
    }

    /// Sends one Cognito operation through the proxy exactly as written, past the SDK's own checks: the HTTP status
    /// and the decoded answer. For requests the SDK could not express (wrong types, missing members).
    pub fn cognito_call(&self, operation: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
        control_http::cognito_call(&self.proxy_url, operation, body)
            .unwrap_or_else(|error| panic!("{operation}: {error}\nstack stderr:\n{}", self.stderr_output()))
    }

    /// The rules Cognito mode enforces, by name, with the error code each answers (`GET /_proxy/rules`).
    pub fn rules(&self) -> std::collections::BTreeMap<String, String> {
        let body = self.control("GET", "/_proxy/rules", None);
        serde_json::from_slice(&body)
            .map_err(ControlError::from)
            .unwrap_or_else(|error| panic!("GET /_proxy/rules: {error}"))
    }

    /// Clears the request log, wipes moto's state, clears the faults and turns Cognito mode back on.
    pub fn reset(&self) {
        self.control("POST", "/_proxy/reset", None);
    }

    /// Cognito mode (on by default) checks Create/Update as Cognito does, makes Update reset omitted members and
    /// reports clients as Cognito reports them.
    pub fn set_cognito_mode(&self, enabled: bool) {
        self.control(
            "POST",
            "/_proxy/config",
            Some(&serde_json::json!({ "cognito_mode": enabled })),
        );
    }

    /// Replaces the fault configuration, e.g. `json!({"throttle_rate": 1.0, "operations": ["CreateUserPoolClient"]})`.
    /// Keys: `seed`, `throttle_rate`, `error_rate`, `drop_rate`, `error_after_effect_rate`, `latency_ms`,
    /// `operations`, `rate_limit_per_second`; unknown keys or bad values make the proxy answer 400, and this panic.
    pub fn set_faults(&self, faults: serde_json::Value) {
        self.control("POST", "/_proxy/config", Some(&serde_json::json!({ "faults": faults })));
    }

    /// An SDK client for test setup and assertions, with the SDK's standard retries.
    pub fn sdk(&self) -> Client {
        self.sdk_with_retries(RetryConfig::standard())
    }

    /// An SDK client that makes exactly one attempt, so injected faults reach the test unchanged.
    pub fn sdk_without_retries(&self) -> Client {
        self.sdk_with_retries(RetryConfig::disabled())
    }

    pub fn sdk_with_retries(&self, retry_config: RetryConfig) -> Client {
        let config = aws_sdk_cognitoidentityprovider::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .credentials_provider(Credentials::new(
                ACCESS_KEY_ID,
                SECRET_ACCESS_KEY,
                None,
                None,
                "local-cognito",
            ))
            .endpoint_url(&self.proxy_url);
        test_client(config, retry_config)
    }

    /// Creates a user pool named `name` and returns its ID.
    pub async fn create_user_pool(&self, name: &str) -> String {
        let output = self
            .sdk()
            .create_user_pool()
            .pool_name(name)
            .send()
            .await
            .unwrap_or_else(|error| {
                panic!(
                    "CreateUserPool {name}: {}",
                    aws_smithy_types::error::display::DisplayErrorContext(&error)
                )
            });
        output
            .user_pool()
            .and_then(|pool| pool.id())
            .unwrap_or_else(|| panic!("CreateUserPool {name} returned no pool ID"))
            .to_owned()
    }

    /// Creates a resource server `identifier` with `scopes` in the pool: custom OAuth scopes
    /// (`identifier/scope`) must name one, or Cognito refuses the client.
    pub async fn create_resource_server(&self, user_pool_id: &str, identifier: &str, scopes: &[&str]) {
        create_resource_server(&self.sdk(), user_pool_id, identifier, scopes).await;
    }

    /// Creates identity provider `name` in the pool (see [`create_identity_provider`]).
    pub async fn create_identity_provider(&self, user_pool_id: &str, name: &str) {
        create_identity_provider(&self.sdk(), user_pool_id, name).await;
    }
}

/// Creates an OpenID Connect identity provider `name` in the pool: a client can list it in
/// `SupportedIdentityProviders` only once it exists.
pub async fn create_identity_provider(sdk: &Client, user_pool_id: &str, name: &str) {
    sdk.create_identity_provider()
        .user_pool_id(user_pool_id)
        .provider_name(name)
        .provider_type(IdentityProviderTypeType::Oidc)
        .provider_details("client_id", "local-test")
        .provider_details("authorize_scopes", "openid")
        .provider_details("oidc_issuer", "https://issuer.example.com")
        .provider_details("attributes_request_method", "GET")
        .send()
        .await
        .unwrap_or_else(|error| {
            panic!(
                "CreateIdentityProvider {name}: {}",
                aws_smithy_types::error::display::DisplayErrorContext(&error)
            )
        });
}

/// Creates resource server `identifier` with `scopes` in the pool: a client can be given its custom scopes
/// (`identifier/scope`) only once it exists.
pub async fn create_resource_server(sdk: &Client, user_pool_id: &str, identifier: &str, scopes: &[&str]) {
    let scopes = scopes
        .iter()
        .map(|scope| {
            ResourceServerScopeType::builder()
                .scope_name(*scope)
                .scope_description(*scope)
                .build()
                .expect("a scope has a name and a description")
        })
        .collect();
    sdk.create_resource_server()
        .user_pool_id(user_pool_id)
        .identifier(identifier)
        .name(identifier)
        .set_scopes(Some(scopes))
        .send()
        .await
        .unwrap_or_else(|error| {
            panic!(
                "CreateResourceServer {identifier}: {}",
                aws_smithy_types::error::display::DisplayErrorContext(&error)
            )
        });
}

impl Drop for LocalCognito {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + STOP_TIMEOUT;
        loop {
            match self.child.try_wait() {
                Ok(Some(_)) => return,
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
                // Still running after the grace period, or not waitable: kill it; moto dies with it (parent-death
                // signal set by the launcher).
                _ => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    return;
                }
            }
        }
    }
}

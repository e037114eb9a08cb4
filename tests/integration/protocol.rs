//! The go-plugin contract, checked against the real binary started exactly as Terraform 1.11 starts it:
//! magic cookie and protocol negotiation, the handshake line, AutoMTLS with Terraform's P-521 `CA:TRUE` client
//! certificate, the controller / stdio / health services, signal handling, robustness against malformed
//! `DynamicValue`s, concurrency and debug mode. docs/dev/protocol.md describes the behaviour these tests pin down, from
//! docs/dev/protocol.md#launch to docs/dev/protocol.md#debug-mode, and docs/dev/protocol.md#message-size.

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::sync::Arc;
use std::time::Duration;

use futures::future::join_all;
use terraform_provider_cognito::proto::tfplugin6::{
    Diagnostic, DynamicValue, configure_provider, diagnostic, get_provider_schema, plan_resource_change, stop_provider,
    validate_provider_config, validate_resource_config,
};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;

use crate::support::plugin_client::{
    Announcement, ClientIdentity, PluginAddress, PluginOptions, PluginProcess, SocketLocation, TlsVersions, Transport,
};

const BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-cognito");

/// How long a process that must refuse to start may take to exit.
const REFUSAL_TIMEOUT: Duration = Duration::from_secs(10);

/// The go-plugin text a plugin prints when it is run by hand (`hashicorp/go-plugin:server.go`).
const NOT_MEANT_TO_BE_EXECUTED: &str = "This binary is a plugin";

async fn start_like_terraform() -> PluginProcess {
    let options = PluginOptions::like_terraform(BINARY).expect("generate a Terraform-like client certificate");
    PluginProcess::start(options)
        .await
        .expect("start the provider like Terraform")
}

fn error_diagnostics(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == diagnostic::Severity::Error as i32)
        .collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Refusing to start
// ---------------------------------------------------------------------------------------------------------------

async fn assert_refuses_to_start(options: PluginOptions) -> crate::support::plugin_client::FinishedRun {
    let run = crate::support::plugin_client::run_to_exit(&options, REFUSAL_TIMEOUT)
        .await
        .expect("the binary exits by itself");
    assert_eq!(run.status.code(), Some(1), "exit status; stderr:\n{}", run.stderr);
    assert_eq!(
        run.stdout, "",
        "nothing may reach stdout, where Terraform expects the handshake"
    );
    run
}

#[tokio::test]
async fn missing_magic_cookie_exits_1_with_an_explanation_on_stderr() {
    let options = PluginOptions {
        magic_cookie: None,
        ..PluginOptions::like_terraform(BINARY).unwrap()
    };
    let run = assert_refuses_to_start(options).await;
    assert!(run.stderr.contains(NOT_MEANT_TO_BE_EXECUTED), "stderr: {}", run.stderr);
}

#[tokio::test]
async fn wrong_magic_cookie_exits_1_with_an_explanation_on_stderr() {
    let options = PluginOptions {
        magic_cookie: Some("not-the-terraform-cookie".to_string()),
        ..PluginOptions::like_terraform(BINARY).unwrap()
    };
    let run = assert_refuses_to_start(options).await;
    assert!(run.stderr.contains(NOT_MEANT_TO_BE_EXECUTED), "stderr: {}", run.stderr);
}

#[tokio::test]
async fn protocol_versions_without_6_exit_1_with_an_explanation() {
    // An empty or missing list is go-plugin's legacy fallback (serve the plugin's own version), not a refusal.
    for versions in ["5", "4,5"] {
        let options = PluginOptions {
            protocol_versions: Some(versions.to_string()),
            ..PluginOptions::like_terraform(BINARY).unwrap()
        };
        let run = assert_refuses_to_start(options).await;
        assert!(
            run.stderr.contains('6'),
            "with PLUGIN_PROTOCOL_VERSIONS={versions:?} stderr should say that version 6 is needed: {}",
            run.stderr
        );
    }
}

#[tokio::test]
async fn protocol_versions_are_a_set_in_any_order() {
    for versions in ["5,6", "6,5", "6"] {
        let options = PluginOptions {
            protocol_versions: Some(versions.to_string()),
            ..PluginOptions::like_terraform(BINARY).unwrap()
        };
        let mut process = PluginProcess::start(options)
            .await
            .unwrap_or_else(|error| panic!("PLUGIN_PROTOCOL_VERSIONS={versions}: {error}"));
        let line = &process.handshake().unwrap().line;
        assert!(line.starts_with("1|6|"), "PLUGIN_PROTOCOL_VERSIONS={versions}: {line}");
        process.shutdown().await.expect("shut down");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The handshake line
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn handshake_line_has_six_fields_and_an_unpadded_base64_der_certificate() {
    let mut process = start_like_terraform().await;
    let handshake = process.handshake().expect("a handshake line").clone();

    let fields: Vec<&str> = handshake.line.split('|').collect();
    assert_eq!(fields.len(), 6, "{}", handshake.line);
    assert_eq!(&fields[..3], ["1", "6", "unix"]);
    assert_eq!(fields[4], "grpc");
    assert!(
        !handshake.certificate_field.contains('='),
        "Go's RawStdEncoding rejects padding"
    );
    assert!(
        handshake.certificate_field.len() > 50,
        "go-plugin ignores a certificate field of 50 characters or less"
    );
    assert!(
        handshake
            .certificate_field
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'+' || byte == b'/'),
        "standard base64 alphabet only: {}",
        handshake.certificate_field
    );
    let certificate = handshake.server_certificate.as_ref().expect("a certificate in field 6");
    assert_eq!(certificate.first(), Some(&0x30), "DER starts with a SEQUENCE");
    crate::support::plugin_client::certificate_is_valid_for_localhost(certificate)
        .expect("server certificate has SAN DNS:localhost");

    process.shutdown().await.expect("shut down");
    assert_eq!(
        process.final_stdout_after_announcement().await,
        "",
        "the handshake line must be the only thing on stdout"
    );
}

#[tokio::test]
async fn socket_lives_in_a_fresh_private_directory_under_plugin_unix_socket_dir() {
    let process = start_like_terraform().await;
    assert_socket_in_private_directory(&process);
}

#[tokio::test]
async fn socket_falls_back_to_the_temp_dir() {
    let options = PluginOptions {
        socket_location: SocketLocation::TempDir,
        ..PluginOptions::like_terraform(BINARY).unwrap()
    };
    let process = PluginProcess::start(options).await.expect("start");
    assert_socket_in_private_directory(&process);
}

fn assert_socket_in_private_directory(process: &PluginProcess) {
    let socket = process.socket_path();
    let socket_metadata = std::fs::symlink_metadata(&socket).expect("the announced socket exists");
    assert!(
        socket_metadata.file_type().is_socket(),
        "{} is a Unix socket",
        socket.display()
    );

    let private_directory = socket.parent().expect("socket has a parent directory");
    assert!(
        private_directory.starts_with(process.socket_parent()),
        "{} lies under {}",
        socket.display(),
        process.socket_parent().display()
    );
    assert_ne!(
        private_directory,
        process.socket_parent(),
        "the socket gets its own directory rather than sitting in the shared one"
    );
    let mode = std::fs::metadata(private_directory).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "{} has mode {mode:o}", private_directory.display());
}

#[tokio::test]
async fn every_start_has_a_fresh_server_certificate_and_socket() {
    let identity = Arc::new(ClientIdentity::generate_like_terraform().unwrap());
    let first = PluginProcess::start(PluginOptions::like_terraform_with_identity(
        BINARY,
        Arc::clone(&identity),
    ))
    .await
    .expect("first start");
    let second = PluginProcess::start(PluginOptions::like_terraform_with_identity(BINARY, identity))
        .await
        .expect("second start");
    assert_ne!(first.server_certificate(), second.server_certificate());
    assert_ne!(first.socket_path(), second.socket_path());
}

// ---------------------------------------------------------------------------------------------------------------
// AutoMTLS
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn mutual_tls_with_terraforms_client_certificate_serves_every_service() {
    let mut process = start_like_terraform().await;
    let channel = process.connect().await.expect("mTLS connection");

    let negotiated = channel.negotiated_tls().expect("a TLS connection");
    assert_eq!(
        negotiated.alpn_protocol.as_deref(),
        Some(&b"h2"[..]),
        "ALPN h2 (grpc-go ≥ 1.67 requires it)"
    );

    let schema = channel
        .provider()
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema")
        .into_inner();
    assert!(
        schema.provider.is_some(),
        "Terraform errors with `missing provider schema` otherwise"
    );
    assert!(
        error_diagnostics(&schema.diagnostics).is_empty(),
        "{:?}",
        schema.diagnostics
    );
    let capabilities = schema.server_capabilities.expect("server capabilities");
    assert!(capabilities.plan_destroy);
    assert!(capabilities.get_provider_schema_optional);

    let health = channel
        .health()
        .check(HealthCheckRequest {
            service: "plugin".to_string(),
        })
        .await
        .expect("Health/Check")
        .into_inner();
    assert_eq!(health.status, ServingStatus::Serving as i32);

    let mut stdio = channel
        .stdio()
        .stream_stdio(())
        .await
        .expect("StreamStdio opens")
        .into_inner();

    let outcome = process.shutdown().await.expect("exits after Shutdown");
    assert!(outcome.status.success(), "exit status {:?}", outcome.status);
    let ended = tokio::time::timeout(Duration::from_secs(5), stdio.message()).await;
    assert!(ended.is_ok(), "the StdioData stream ends when the process exits");
}

#[tokio::test]
async fn both_tls_versions_negotiate_alpn_h2() {
    let process = start_like_terraform().await;
    for (versions, expected) in [
        (TlsVersions::Only12, rustls::ProtocolVersion::TLSv1_2),
        (TlsVersions::Only13, rustls::ProtocolVersion::TLSv1_3),
    ] {
        let channel = process
            .connect_with(Transport::Tls {
                client_identity: process.client_identity().cloned(),
                versions,
            })
            .await
            .unwrap_or_else(|error| panic!("{versions:?}: {error}"));
        channel
            .provider()
            .get_provider_schema(get_provider_schema::Request {})
            .await
            .unwrap_or_else(|status| panic!("{versions:?}: {status}"));
        let negotiated = channel.negotiated_tls().unwrap();
        assert_eq!(negotiated.protocol_version, Some(expected));
        assert_eq!(negotiated.alpn_protocol.as_deref(), Some(&b"h2"[..]), "{versions:?}");
    }
}

/// Attempts one GetProviderSchema over `transport`; returns why it failed, or `None` if it worked.
async fn schema_call_failure(process: &PluginProcess, transport: Transport) -> Option<String> {
    let attempt = async {
        let channel = process
            .connect_with(transport)
            .await
            .map_err(|error| error.to_string())?;
        channel
            .provider()
            .get_provider_schema(get_provider_schema::Request {})
            .await
            .map_err(|status| status.to_string())
    };
    match tokio::time::timeout(Duration::from_secs(20), attempt).await {
        Err(_) => Some("timed out".to_string()),
        Ok(Err(reason)) => Some(reason),
        Ok(Ok(_)) => None,
    }
}

/// Starts the provider with `options` and checks that a client presenting another certificate than the one in
/// `PLUGIN_CLIENT_CERT` gets nothing, and that Terraform's own certificate still works afterwards.
async fn assert_a_different_client_certificate_is_refused(options: PluginOptions) {
    let mut process = PluginProcess::start(options).await.expect("start");
    let stranger = Arc::new(ClientIdentity::generate_like_terraform().unwrap());
    let failure = schema_call_failure(
        &process,
        Transport::Tls {
            client_identity: Some(stranger),
            versions: TlsVersions::Both,
        },
    )
    .await;
    assert!(
        failure.is_some(),
        "a client certificate other than PLUGIN_CLIENT_CERT was accepted"
    );
    let failure = schema_call_failure(
        &process,
        Transport::Tls {
            client_identity: None,
            versions: TlsVersions::Both,
        },
    )
    .await;
    assert!(
        failure.is_some(),
        "a connection without client certificate was accepted"
    );

    assert!(
        process.is_running(),
        "a refused connection must not take the server down"
    );
    let channel = process
        .connect()
        .await
        .expect("Terraform's own certificate still connects");
    channel
        .provider()
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema after a refused connection");
    process.shutdown().await.expect("shut down");
}

#[tokio::test]
async fn a_different_client_certificate_is_refused() {
    assert_a_different_client_certificate_is_refused(PluginOptions::like_terraform(BINARY).unwrap()).await;
}

#[tokio::test]
async fn a_different_client_certificate_is_refused_on_tcp() {
    assert_a_different_client_certificate_is_refused(PluginOptions::like_terraform(BINARY).unwrap().on_tcp()).await;
}

#[tokio::test]
async fn a_connection_without_client_certificate_is_refused() {
    let mut process = start_like_terraform().await;
    for versions in [TlsVersions::Only12, TlsVersions::Only13] {
        let failure = schema_call_failure(
            &process,
            Transport::Tls {
                client_identity: None,
                versions,
            },
        )
        .await;
        assert!(
            failure.is_some(),
            "{versions:?}: a connection without client certificate was accepted"
        );
    }
    let failure = schema_call_failure(&process, Transport::Plaintext).await;
    assert!(
        failure.is_some(),
        "a plaintext connection to the TLS socket was accepted"
    );

    assert!(
        process.is_running(),
        "refused connections must not take the server down"
    );
    let channel = process
        .connect()
        .await
        .expect("Terraform's own certificate still connects");
    channel
        .provider()
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema after refused connections");
    process.shutdown().await.expect("shut down");
}

#[tokio::test]
async fn without_plugin_client_cert_the_server_speaks_plaintext() {
    let mut process = PluginProcess::start(PluginOptions::plaintext(BINARY))
        .await
        .expect("start");
    let handshake = process.handshake().unwrap();
    assert!(
        handshake.line.ends_with("|grpc|"),
        "field 6 is empty: {}",
        handshake.line
    );
    assert!(handshake.server_certificate.is_none());

    let channel = process.connect().await.expect("plaintext connection");
    assert!(channel.negotiated_tls().is_none());
    let schema = channel
        .provider()
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema over plaintext")
        .into_inner();
    assert!(schema.provider.is_some());
    process.shutdown().await.expect("shut down");
}

#[tokio::test]
async fn a_plugin_client_cert_that_is_set_but_empty_or_broken_refuses_to_start() {
    let not_x509 = "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n";
    for value in ["", "  \n", "not a certificate", not_x509] {
        let mut options = PluginOptions::plaintext(BINARY);
        options.extra_env.push(("PLUGIN_CLIENT_CERT".into(), value.into()));
        let run = assert_refuses_to_start(options).await;
        assert!(
            run.stderr.contains("PLUGIN_CLIENT_CERT"),
            "PLUGIN_CLIENT_CERT={value:?}: stderr should name the variable: {}",
            run.stderr
        );
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Loopback TCP (go-plugin's transport on Windows)
// ---------------------------------------------------------------------------------------------------------------

/// The local addresses of the listening TCP sockets on `port` (`/proc/net/tcp`, state 0A = LISTEN).
#[cfg(target_os = "linux")]
fn listening_addresses(port: u16) -> Vec<String> {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap()
        + &std::fs::read_to_string("/proc/net/tcp6").unwrap_or_default();
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (address, local_port) = fields.get(1)?.split_once(':')?;
            let listening = fields.get(3) == Some(&"0A");
            (listening && u16::from_str_radix(local_port, 16).ok()? == port).then(|| address.to_string())
        })
        .collect()
}

#[tokio::test]
async fn tcp_transport_listens_on_loopback_in_the_port_range_with_mutual_tls() {
    let mut process = PluginProcess::start(PluginOptions::like_terraform(BINARY).unwrap().on_tcp())
        .await
        .expect("start on TCP");
    let handshake = process.handshake().expect("a handshake line").clone();
    let fields: Vec<&str> = handshake.line.split('|').collect();
    assert_eq!(&fields[..3], ["1", "6", "tcp"], "{}", handshake.line);
    let PluginAddress::Tcp(address) = handshake.address else {
        panic!("not a TCP address: {}", handshake.line);
    };
    assert!(
        (10000..=25000).contains(&address.port()),
        "{address} lies outside PLUGIN_MIN_PORT..PLUGIN_MAX_PORT"
    );
    #[cfg(target_os = "linux")]
    assert_eq!(
        listening_addresses(address.port()),
        ["0100007F"],
        "the provider listens on 127.0.0.1 only"
    );

    let channel = process.connect().await.expect("connect over TCP with mutual TLS");
    let negotiated = channel.negotiated_tls().expect("TLS on TCP");
    assert_eq!(negotiated.alpn_protocol.as_deref(), Some(&b"h2"[..]));
    let schema = channel
        .provider()
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema over TCP")
        .into_inner();
    assert!(schema.provider.is_some());
    process.shutdown().await.expect("shut down");
}

#[tokio::test]
async fn tcp_transport_takes_the_first_free_port_and_refuses_a_full_range() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();

    let only_taken = PluginOptions {
        port_range: Some((port, port)),
        ..PluginOptions::like_terraform(BINARY).unwrap().on_tcp()
    };
    let run = assert_refuses_to_start(only_taken).await;
    assert!(run.stderr.contains("no free TCP port"), "stderr: {}", run.stderr);

    let unparsable = PluginOptions {
        port_range: None,
        extra_env: vec![
            ("COGNITO_PROVIDER_TRANSPORT".into(), "tcp".into()),
            ("PLUGIN_MIN_PORT".into(), "ten".into()),
        ],
        ..PluginOptions::like_terraform(BINARY).unwrap()
    };
    let run = assert_refuses_to_start(unparsable).await;
    assert!(run.stderr.contains("PLUGIN_MIN_PORT"), "stderr: {}", run.stderr);

    drop(taken);
    let freed = PluginOptions {
        port_range: Some((port, port)),
        ..PluginOptions::like_terraform(BINARY).unwrap().on_tcp()
    };
    // Another process may grab the port in between; then the start fails, which says nothing about us.
    if let Ok(mut process) = PluginProcess::start(freed).await {
        assert_eq!(process.address(), PluginAddress::Tcp(([127, 0, 0, 1], port).into()));
        process.shutdown().await.expect("shut down");
    }
}

#[tokio::test]
async fn an_unknown_transport_refuses_to_start() {
    let options = PluginOptions {
        extra_env: vec![("COGNITO_PROVIDER_TRANSPORT".into(), "carrier-pigeon".into())],
        ..PluginOptions::like_terraform(BINARY).unwrap()
    };
    let run = assert_refuses_to_start(options).await;
    assert!(
        run.stderr.contains("COGNITO_PROVIDER_TRANSPORT"),
        "stderr: {}",
        run.stderr
    );
}

#[tokio::test]
async fn a_socket_directory_the_handshake_line_cannot_carry_is_refused() {
    let parent = tempfile::tempdir().unwrap();
    for name in ["with|bar", "with\nnewline"] {
        let directory = parent.path().join(name);
        std::fs::create_dir(&directory).unwrap();
        let mut options = PluginOptions::like_terraform(BINARY).unwrap();
        options
            .extra_env
            .push(("PLUGIN_UNIX_SOCKET_DIR".into(), directory.clone().into()));
        let run = assert_refuses_to_start(options).await;
        assert!(
            run.stderr.contains("handshake line cannot carry"),
            "{name:?}: stderr: {}",
            run.stderr
        );
        let left: Vec<_> = std::fs::read_dir(&directory).unwrap().collect();
        assert!(
            left.is_empty(),
            "{name:?}: the socket directory is removed again: {left:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Process lifecycle
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn shutdown_exits_promptly_and_removes_the_socket_and_its_directory() {
    let mut process = start_like_terraform().await;
    let socket = process.socket_path();
    let private_directory = socket.parent().unwrap().to_path_buf();

    let outcome = process.shutdown().await.expect("exits within 5 s of Shutdown");
    assert!(
        outcome.status.success(),
        "exit status {:?}; stderr:\n{}",
        outcome.status,
        process.stderr()
    );
    assert!(!socket.exists(), "{} is left behind", socket.display());
    assert!(
        !private_directory.exists(),
        "{} is left behind",
        private_directory.display()
    );
}

#[tokio::test]
async fn sigint_is_ignored() {
    let mut process = start_like_terraform().await;
    let channel = process.connect().await.expect("connect");
    // A terminal Ctrl-C reaches the provider too; Terraform then sends StopProvider and expects an answer.
    for _ in 0..3 {
        process.send_signal(libc::SIGINT).expect("send SIGINT");
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(
            process.is_running(),
            "SIGINT killed the provider; stderr:\n{}",
            process.stderr()
        );
    }
    channel
        .provider()
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("still serving on the same connection after SIGINT");
    process.shutdown().await.expect("shut down");
}

// ---------------------------------------------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------------------------------------------

/// A deterministic byte generator (xorshift64*), so a failure is reproducible without a random-number dependency.
fn pseudo_random_bytes(seed: u64, length: usize) -> Vec<u8> {
    let mut state = seed.max(1);
    (0..length)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

/// Inputs no schema's implied type can decode, each named for the failure report.
fn malformed_dynamic_values() -> Vec<(&'static str, DynamicValue)> {
    let msgpack = |bytes: Vec<u8>| DynamicValue {
        msgpack: bytes,
        json: Vec::new(),
    };
    let mut random = pseudo_random_bytes(0x5EED, 512);
    // 0xc0 (nil) could decode as a null config, which is well formed.
    random[0] = 0x92;
    vec![
        ("reserved byte 0xc1", msgpack(vec![0xc1])),
        ("pseudo-random bytes", msgpack(random)),
        ("map header without entries", msgpack(vec![0x81])),
        (
            "str8 claiming 200 bytes, holding 3",
            msgpack(vec![0xd9, 200, b'a', b'b', b'c']),
        ),
        (
            "map32 claiming 4 billion entries",
            msgpack(vec![0xdf, 0xff, 0xff, 0xff, 0xff]),
        ),
        (
            "array32 claiming 4 billion elements",
            msgpack(vec![0xdd, 0xff, 0xff, 0xff, 0xff]),
        ),
        (
            "bin32 claiming 4 GiB",
            msgpack(vec![0xc6, 0xff, 0xff, 0xff, 0xff, 0x00]),
        ),
        (
            "a string where an object is expected",
            msgpack(vec![0xa3, b'a', b'b', b'c']),
        ),
        ("an integer where an object is expected", msgpack(vec![0x2a])),
        ("100000 nested arrays", msgpack(vec![0x91; 100_000])),
        ("map with a non-string key", msgpack(vec![0x81, 0x01, 0xc0])),
        (
            "invalid JSON",
            DynamicValue {
                msgpack: Vec::new(),
                json: b"{\"region\": ".to_vec(),
            },
        ),
        (
            "100000 nested JSON arrays",
            DynamicValue {
                msgpack: Vec::new(),
                json: "[".repeat(100_000).into_bytes(),
            },
        ),
    ]
}

#[tokio::test]
async fn malformed_dynamic_values_get_error_diagnostics_not_grpc_errors() {
    let mut process = start_like_terraform().await;
    let channel = process.connect().await.expect("connect");
    let mut provider = channel.provider();

    for (kind, config) in malformed_dynamic_values() {
        let response = provider
            .validate_provider_config(validate_provider_config::Request {
                config: Some(config.clone()),
            })
            .await
            .unwrap_or_else(|status| panic!("ValidateProviderConfig with {kind}: gRPC status {status}"))
            .into_inner();
        assert!(
            !error_diagnostics(&response.diagnostics).is_empty(),
            "ValidateProviderConfig with {kind}: no error diagnostic in {:?}",
            response.diagnostics
        );

        let response = provider
            .configure_provider(configure_provider::Request {
                terraform_version: "1.11.4".to_string(),
                config: Some(config.clone()),
                client_capabilities: None,
            })
            .await
            .unwrap_or_else(|status| panic!("ConfigureProvider with {kind}: gRPC status {status}"))
            .into_inner();
        assert!(
            !error_diagnostics(&response.diagnostics).is_empty(),
            "ConfigureProvider with {kind}: no error diagnostic in {:?}",
            response.diagnostics
        );

        let response = provider
            .validate_resource_config(validate_resource_config::Request {
                type_name: "cognito_user_pool_client".to_string(),
                config: Some(config),
            })
            .await
            .unwrap_or_else(|status| panic!("ValidateResourceConfig with {kind}: gRPC status {status}"))
            .into_inner();
        assert!(
            !error_diagnostics(&response.diagnostics).is_empty(),
            "ValidateResourceConfig with {kind}: no error diagnostic in {:?}",
            response.diagnostics
        );
    }

    assert!(
        process.is_running(),
        "malformed input took the process down; stderr:\n{}",
        process.stderr()
    );
    process.shutdown().await.expect("shut down");
}

#[tokio::test]
async fn a_request_larger_than_tonics_default_4_mib_limit_is_decoded() {
    let mut process = start_like_terraform().await;
    let channel = process.connect().await.expect("connect");
    // A bin32 of 8 MiB where an object is expected: well-formed msgpack of the wrong type.
    let size: u32 = 8 * 1024 * 1024;
    let mut msgpack = vec![0xc6];
    msgpack.extend_from_slice(&size.to_be_bytes());
    msgpack.resize(5 + size as usize, 0x61);
    let response = channel
        .provider()
        .validate_provider_config(validate_provider_config::Request {
            config: Some(DynamicValue {
                msgpack,
                json: Vec::new(),
            }),
        })
        .await
        .expect("an 8 MiB request is within the 256 MiB limit")
        .into_inner();
    assert!(
        !error_diagnostics(&response.diagnostics).is_empty(),
        "{:?}",
        response.diagnostics
    );
    process.shutdown().await.expect("shut down");
}

/// A PlanResourceChange that keeps the provider busy for seconds on a small message: the client's name is 6 MB
/// of "e" + combining acute accent, which decoding must normalise (NFC) character by character, in both the
/// proposed state and the configuration.
fn slow_plan_request() -> plan_resource_change::Request {
    use terraform_provider_cognito::cognito::user_pool_client::schema::{TYPE_NAME, attr, schema};
    use terraform_provider_cognito::tf::{Value, msgpack};

    let schema = schema();
    let ty = schema.value_type();
    let Some(Value::Object(mut object)) = ty.null_object() else {
        unreachable!("a resource's type is an object type")
    };
    object.insert(attr::NAME.to_string(), Value::string("e\u{301}".repeat(2_000_000)));
    object.insert(attr::USER_POOL_ID.to_string(), Value::string("us-east-1_AbCdEfGhI"));
    let config = msgpack::encode(&Value::Object(object), ty).expect("a complete object encodes");
    let dynamic = |msgpack: Vec<u8>| {
        Some(DynamicValue {
            msgpack,
            json: Vec::new(),
        })
    };
    plan_resource_change::Request {
        type_name: TYPE_NAME.to_string(),
        prior_state: dynamic(vec![0xc0]),
        proposed_new_state: dynamic(config.clone()),
        config: dynamic(config),
        ..Default::default()
    }
}

/// StopProvider and Shutdown answer while a request that takes seconds of CPU is being worked on (issue: one heavy
/// request used to hold up everything on the provider's single thread). Nothing here measures time: the calls
/// must simply come back while the heavy one is still in flight (`scripts/bench` reports how fast they are).
#[tokio::test]
async fn stop_and_shutdown_answer_while_a_heavy_request_is_worked_on() {
    let mut process = start_like_terraform().await;
    let channel = process.connect().await.expect("connect");
    let mut provider = channel.provider();
    let plan = tokio::spawn(async move { provider.plan_resource_change(slow_plan_request()).await });
    // Long enough for a 12 MB request to arrive over the local socket, far shorter than its decoding.
    tokio::time::sleep(Duration::from_millis(300)).await;

    channel
        .provider()
        .stop_provider(stop_provider::Request {})
        .await
        .expect("StopProvider answers");
    assert!(
        !plan.is_finished(),
        "StopProvider only answered once the heavy request was done"
    );

    let outcome = process.shutdown().await.expect("exits after Shutdown");
    assert!(
        outcome.status.success(),
        "{:?}; stderr:\n{}",
        outcome.status,
        process.stderr()
    );
    // The process is gone, so the heavy request ends without an answer; had Shutdown waited behind it, the
    // answer would have come first.
    let answer = plan.await.expect("the plan task ends");
    assert!(
        answer.is_err(),
        "the heavy request was answered before Shutdown took effect: {answer:?}"
    );
}

#[tokio::test]
async fn fifty_concurrent_schema_requests_all_succeed() {
    let mut process = start_like_terraform().await;
    let channel = process.connect().await.expect("connect");
    let calls = (0..50).map(|_| {
        let mut provider = channel.provider();
        async move { provider.get_provider_schema(get_provider_schema::Request {}).await }
    });
    let responses = join_all(calls).await;

    let first = responses[0].as_ref().expect("GetProviderSchema").get_ref();
    for (index, response) in responses.iter().enumerate() {
        let response = response
            .as_ref()
            .unwrap_or_else(|status| panic!("call {index}: {status}"));
        assert_eq!(response.get_ref(), first, "call {index} returned a different schema");
    }
    process.shutdown().await.expect("shut down");
}

// ---------------------------------------------------------------------------------------------------------------
// Debug mode
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn debug_mode_prints_reattach_json_and_serves_plaintext_until_sigterm() {
    let mut process = PluginProcess::start_debug(PluginOptions::debug_mode(BINARY))
        .await
        .expect("start with --debug and no go-plugin environment");
    let Announcement::Reattach(reattach) = process.announcement().clone() else {
        panic!("expected a TF_REATTACH_PROVIDERS announcement");
    };
    assert!(
        reattach.line.starts_with("\tTF_REATTACH_PROVIDERS='"),
        "tab-indented, single-quoted: {:?}",
        reattach.line
    );
    assert!(
        !reattach.explanation.join("\n").trim().is_empty(),
        "a human explanation precedes the reattach line"
    );
    assert!(!reattach.provider_address.is_empty());
    let config = &reattach.config;
    assert_eq!(config.protocol, "grpc");
    assert_eq!(config.protocol_version, 6, "0 would be read as protocol 5");
    assert_eq!(config.pid, process.pid());
    assert!(config.test, "Test: true keeps Terraform from killing the process");
    assert_eq!(config.addr.network, "unix");
    assert!(
        std::fs::symlink_metadata(process.socket_path())
            .unwrap()
            .file_type()
            .is_socket()
    );

    let channel = process
        .connect()
        .await
        .expect("plaintext connection to the reattach address");
    let mut provider = channel.provider();
    provider
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema in debug mode");

    process.send_signal(libc::SIGTERM).expect("send SIGTERM");
    process
        .wait_for_exit(Duration::from_secs(5))
        .await
        .expect("exits after SIGTERM");
    assert!(!process.socket_path().exists(), "the socket is removed on exit");
}

#[tokio::test]
async fn debug_mode_stops_on_shutdown() {
    let mut process = PluginProcess::start_debug(PluginOptions::debug_mode(BINARY))
        .await
        .expect("start with --debug");
    let outcome = process.shutdown().await.expect("exits after Shutdown");
    assert!(outcome.status.success(), "exit status {:?}", outcome.status);
}

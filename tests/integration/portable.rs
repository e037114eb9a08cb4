//! The provider runs wherever Terraform runs.
//! - Loopback TCP, the transport go-plugin uses on Windows: the real `terraform` plans and applies over it against
//!   the local Cognito.
//! - The executable is position independent (full ASLR), with full RELRO, BIND_NOW and a non-executable stack.
//! - The static Linux build (what `scripts/test` builds and `scripts/release` packages) needs nothing from the
//!   system: no dynamic loader, no shared library. Started inside an empty root file system holding only the
//!   binary, `/etc/hosts`, `/etc/resolv.conf` and the socket directory, it completes a handshake and a
//!   `terraform plan` that calls Cognito, resolving the endpoint's host name through `/etc/hosts` and, with a
//!   hosts file that does not know the name, through DNS.
//!
//! - Proxies: with `HTTP_PROXY` set, the provider's requests to Cognito go through the proxy; a host listed in
//!   `NO_PROXY` is reached directly (the AWS SDK's own client does this; the test guards that it stays in use).
//!
//! A plain `cargo test` builds the dynamic executable; the static checks then say so and pass without checking.
//! Where the machine forbids the namespaces or `chroot` the empty root needs, they say that and pass as well.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::support::plugin_client::{PluginOptions, PluginProcess};
use crate::support::{LocalCognito, PROVIDER_PREAMBLE, Terraform, elf};
use terraform_provider_cognito::proto::tfplugin6::get_provider_schema;

const BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-cognito");

/// Whether this test build, and so the provider binary built with it, links the C runtime statically.
const STATIC_BUILD: bool = cfg!(all(target_os = "linux", target_feature = "crt-static"));

// ---------------------------------------------------------------------------------------------------------------
// Loopback TCP
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terraform_plans_and_applies_over_loopback_tcp() {
    let Some(stack) = LocalCognito::start_unless_acceptance("it needs an endpoint it controls, the local stack") else {
        return;
    };
    let pool_id = stack.create_user_pool("tcp-pool").await;
    let mut tf = Terraform::new(&stack);
    tf.env("COGNITO_PROVIDER_TRANSPORT", "tcp").env("TF_LOG", "debug");
    tf.write_config(&format!(
        "{PROVIDER_PREAMBLE}\nresource \"cognito_user_pool_client\" \"app\" {{\n  user_pool_id = \"{pool_id}\"\n  \
         name         = \"over-tcp\"\n}}\n"
    ));

    let apply = tf.apply();
    // go-plugin's client logs the address it dials; Terraform starts the provider once per phase.
    assert!(
        apply.stderr.contains("network=tcp"),
        "the provider was not reached over TCP:\n{}",
        apply.stderr
    );
    assert!(
        !apply.stderr.contains("network=unix"),
        "a provider was reached over a Unix socket:\n{}",
        apply.stderr
    );
    let state = tf.state();
    let client_id = state["resources"][0]["instances"][0]["attributes"]["id"]
        .as_str()
        .expect("the client's id in state")
        .to_string();
    let described = stack
        .sdk()
        .describe_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .send()
        .await
        .expect("the client exists in Cognito");
    assert_eq!(
        described.user_pool_client().and_then(|c| c.client_name()),
        Some("over-tcp")
    );

    assert_eq!(tf.plan_exit_code(), 0, "a second plan over TCP shows no changes");
}

// ---------------------------------------------------------------------------------------------------------------
// How the executable is linked
// ---------------------------------------------------------------------------------------------------------------

#[cfg(target_os = "linux")]
#[test]
fn the_executable_is_position_independent_with_full_relro_bind_now_and_a_non_executable_stack() {
    let executable = elf::read(Path::new(BINARY)).unwrap();
    assert!(
        executable.is_position_independent(),
        "not a position-independent executable (ELF type {}): its code would sit at a fixed address",
        executable.file_type
    );
    assert!(executable.relro, "no PT_GNU_RELRO: {executable:?}");
    assert!(executable.bind_now, "not linked with BIND_NOW: {executable:?}");
    assert!(
        executable.non_executable_stack,
        "the stack is executable: {executable:?}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn the_static_build_needs_no_loader_and_no_shared_library() {
    let executable = elf::read(Path::new(BINARY)).unwrap();
    if !STATIC_BUILD {
        eprintln!("skipped: this is the dynamic build (scripts/test builds and checks the static one)");
        assert!(
            executable.interpreter.is_some(),
            "a dynamic build names its loader: {executable:?}"
        );
        return;
    }
    assert!(
        executable.is_static(),
        "the static build needs something at start: {executable:?}"
    );
    // `ldd` agrees where it is installed: "not a dynamic executable" or, for a static PIE, "statically linked".
    if let Ok(output) = Command::new("ldd").arg(BINARY).output() {
        let said = String::from_utf8_lossy(&output.stdout) + String::from_utf8_lossy(&output.stderr);
        assert!(
            said.contains("not a dynamic executable") || said.contains("statically linked"),
            "ldd lists dependencies:\n{said}"
        );
    }
}

// ---------------------------------------------------------------------------------------------------------------
// An empty root file system
// ---------------------------------------------------------------------------------------------------------------

/// A directory tree to serve as `/` for the provider, and a launcher script Terraform (or a test) starts instead
/// of the binary. The launcher enters a new mount namespace (and a user namespace where we are not root), mounts
/// the socket directory at the same path inside the root, so the address the provider announces is valid outside
/// too, and runs the binary with `chroot`.
struct ProviderRoot {
    _dir: tempfile::TempDir,
    root: PathBuf,
    launcher_dir: PathBuf,
    /// What this value added to a root it did not create, removed on drop.
    added_to_existing_root: Vec<PathBuf>,
}

impl ProviderRoot {
    /// A root holding nothing but the binary, `/etc/hosts`, `/etc/resolv.conf` and the socket directory.
    fn empty(hosts: &str, resolv_conf: &str) -> ProviderRoot {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir_all(root.join("etc")).unwrap();
        std::fs::write(root.join("etc/hosts"), hosts).unwrap();
        std::fs::write(root.join("etc/resolv.conf"), resolv_conf).unwrap();
        Self::with_binary(dir, root, "/terraform-provider-cognito")
    }

    /// Another system's root file system (for example one made by debootstrap), which keeps its own files.
    fn existing(root: &Path) -> ProviderRoot {
        let dir = tempfile::tempdir().unwrap();
        // The socket directory's mount point inside the root: the first directory of its path the root lacks goes
        // again on drop.
        let inside = root.join(dir.path().join("sockets").strip_prefix("/").unwrap());
        let first_missing = inside
            .ancestors()
            .take_while(|path| !path.exists())
            .last()
            .map(Path::to_path_buf);
        let binary = format!("/terraform-provider-cognito-test-{}", fastrand::u64(..));
        let mut provider_root = Self::with_binary(dir, root.to_path_buf(), &binary);
        provider_root.added_to_existing_root.push(root.join(&binary[1..]));
        provider_root.added_to_existing_root.extend(first_missing);
        provider_root
    }

    fn with_binary(dir: tempfile::TempDir, root: PathBuf, binary_in_root: &str) -> ProviderRoot {
        let sockets = dir.path().join("sockets");
        std::fs::create_dir_all(&sockets).unwrap();
        std::fs::create_dir_all(root.join(sockets.strip_prefix("/").unwrap())).unwrap();
        let binary = root.join(&binary_in_root[1..]);
        if std::fs::hard_link(BINARY, &binary).is_err() {
            std::fs::copy(BINARY, &binary).unwrap();
        }

        let launcher_dir = dir.path().join("launcher");
        std::fs::create_dir_all(&launcher_dir).unwrap();
        let launcher = launcher_dir.join("terraform-provider-cognito");
        // SAFETY: geteuid has no preconditions.
        let namespaces = if unsafe { libc::geteuid() } == 0 {
            "--mount"
        } else {
            "--user --map-root-user --mount"
        };
        std::fs::write(
            &launcher,
            format!(
                "#!/bin/sh\n\
                 PLUGIN_UNIX_SOCKET_DIR='{sockets}'\nexport PLUGIN_UNIX_SOCKET_DIR\n\
                 exec unshare {namespaces} /bin/sh -c \
                 'root=\"$1\"; shift; mount --bind \"$PLUGIN_UNIX_SOCKET_DIR\" \"$root$PLUGIN_UNIX_SOCKET_DIR\" \
                 && exec chroot \"$root\" {binary_in_root} \"$@\"' launcher '{root}' \"$@\"\n",
                sockets = sockets.display(),
                root = root.display(),
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&launcher, std::fs::Permissions::from_mode(0o755)).unwrap();
        ProviderRoot {
            _dir: dir,
            root,
            launcher_dir,
            added_to_existing_root: Vec::new(),
        }
    }

    fn launcher(&self) -> PathBuf {
        self.launcher_dir.join("terraform-provider-cognito")
    }

    /// Runs `--version` in the root. `Err` carries why the machine does not allow the root at all.
    fn probe(&self) -> Result<(), String> {
        for tool in ["unshare", "mount", "chroot"] {
            let on_path = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .any(|directory| directory.join(tool).is_file());
            if !on_path {
                return Err(format!("{tool} is not installed"));
            }
        }
        let output = Command::new(self.launcher()).arg("--version").output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if output.status.success() {
            assert_eq!(
                String::from_utf8_lossy(&output.stdout).trim(),
                format!("terraform-provider-cognito {}", env!("CARGO_PKG_VERSION")),
                "stderr: {stderr}"
            );
            return Ok(());
        }
        let forbidden = ["Operation not permitted", "Permission denied", "permission denied"];
        assert!(
            forbidden.iter().any(|reason| stderr.contains(reason)),
            "the static binary does not run in the empty root {}: {}\n{stderr}",
            self.root.display(),
            output.status
        );
        Err(stderr.trim().to_string())
    }
}

impl Drop for ProviderRoot {
    fn drop(&mut self) {
        for path in &self.added_to_existing_root {
            let _ = std::fs::remove_dir_all(path).or_else(|_| std::fs::remove_file(path));
        }
    }
}

/// A DNS server for one name on a loopback address of its own at port 53 (resolv.conf names no port), answering
/// `name` with 127.0.0.1 and nothing else. Binding port 53 needs root; `None` otherwise.
struct OneNameDns {
    address: Ipv4Addr,
    queries: Arc<AtomicUsize>,
}

impl OneNameDns {
    fn start(name: &str) -> Option<OneNameDns> {
        let socket = (0..20).find_map(|_| {
            let address = Ipv4Addr::new(127, 53, fastrand::u8(1..255), fastrand::u8(1..255));
            UdpSocket::bind(SocketAddrV4::new(address, 53)).ok()
        })?;
        let address = match socket.local_addr() {
            Ok(std::net::SocketAddr::V4(local)) => *local.ip(),
            _ => return None,
        };
        let queries = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&queries);
        let wanted = name.to_ascii_lowercase();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 512];
            while let Ok((length, peer)) = socket.recv_from(&mut buffer) {
                if let Some(answer) = dns_answer(&buffer[..length], &wanted) {
                    counted.fetch_add(1, Ordering::SeqCst);
                    let _ = socket.send_to(&answer, peer);
                }
            }
        });
        Some(OneNameDns { address, queries })
    }
}

/// The response to one DNS query: an A record 127.0.0.1 when it asks for `wanted`'s A record, an empty NOERROR
/// answer for its other types, NXDOMAIN for any other name.
fn dns_answer(query: &[u8], wanted: &str) -> Option<Vec<u8>> {
    let mut labels = Vec::new();
    let mut position = 12;
    loop {
        let length = *query.get(position)? as usize;
        position += 1;
        if length == 0 {
            break;
        }
        labels.push(String::from_utf8_lossy(query.get(position..position + length)?).to_ascii_lowercase());
        position += length;
    }
    let question_end = position + 4;
    let question_type = u16::from_be_bytes([*query.get(position)?, *query.get(position + 1)?]);
    let known = labels.join(".") == wanted;
    let answer_a = known && question_type == 1;
    let mut response = query.get(..question_end)?.to_vec();
    // Flags: a response to a recursive query, recursion available; NXDOMAIN for names we do not know.
    response[2] = 0x81;
    response[3] = if known { 0x80 } else { 0x83 };
    response[4..12].copy_from_slice(&[0, 1, 0, u8::from(answer_a), 0, 0, 0, 0]);
    if answer_a {
        // The name as a pointer to the question, type A, class IN, TTL 60, four bytes of address.
        response.extend_from_slice(&[0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1]);
    }
    Some(response)
}

/// The local Cognito's endpoint with its host written as `localhost`, a name the provider has to look up.
fn endpoint_by_name(stack: &LocalCognito) -> String {
    stack.endpoint().replace("127.0.0.1", "localhost")
}

/// A client made outside Terraform, and a configuration whose plan reads it through the data source.
async fn client_read_at_plan(stack: &LocalCognito, name: &str) -> String {
    let pool_id = stack.create_user_pool(name).await;
    let client = stack
        .sdk()
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name(name)
        .send()
        .await
        .expect("create a client")
        .user_pool_client
        .expect("the created client");
    let client_id = client.client_id().expect("client id");
    format!(
        "{PROVIDER_PREAMBLE}\ndata \"cognito_user_pool_client\" \"read\" {{\n  user_pool_id = \"{pool_id}\"\n  \
         client_id    = \"{client_id}\"\n}}\n\noutput \"name\" {{\n  value = data.cognito_user_pool_client.read.name\n}}\n"
    )
}

fn assert_plan_read(root: &ProviderRoot, endpoint: &str, config: &str, name: &str) {
    let tf = Terraform::with_provider_dir(endpoint, &root.launcher_dir);
    tf.write_config(config);
    let plan = tf.run(&["plan"]);
    assert!(
        plan.success(),
        "terraform plan with the provider in the empty root failed: {plan}"
    );
    assert!(
        plan.stdout.contains(&format!("+ name = \"{name}\"")),
        "the plan did not read the client through the provider: {plan}"
    );
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_static_binary_serves_terraform_from_an_empty_root() {
    if !STATIC_BUILD {
        eprintln!(
            "skipped: this is the dynamic build, which needs the system's libc (scripts/test builds the static one)"
        );
        return;
    }
    // The hosts file is the only way to find `localhost`: the name server listed does not exist.
    let root = ProviderRoot::empty(
        "127.0.0.1 localhost\n",
        "nameserver 127.0.0.9\noptions timeout:1 attempts:1\n",
    );
    if let Err(reason) = root.probe() {
        eprintln!("skipped: this machine does not allow an empty root (mount namespace and chroot): {reason}");
        return;
    }

    // The handshake, as Terraform does it, with the binary inside the root.
    let options = PluginOptions::like_terraform(root.launcher()).unwrap();
    let mut process = PluginProcess::start(options)
        .await
        .expect("handshake from the empty root");
    let channel = process
        .connect()
        .await
        .expect("mutual TLS to the provider in the empty root");
    let schema = channel
        .provider()
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema")
        .into_inner();
    assert!(schema.resource_schemas.contains_key("cognito_user_pool_client"));
    process.shutdown().await.expect("shut down");

    // A plan that calls Cognito at an endpoint named through /etc/hosts.
    let Some(stack) = LocalCognito::start_unless_acceptance("it needs an endpoint it controls, the local stack") else {
        return;
    };
    let config = client_read_at_plan(&stack, "from-the-empty-root").await;
    assert_plan_read(&root, &endpoint_by_name(&stack), &config, "from-the-empty-root");
}

/// Where a test may find another system's root file system (for example `debootstrap --variant=minbase bullseye
/// DIR`): the static binary must serve Terraform there too, whatever that system's libc.
const OTHER_USERLAND_VARIABLE: &str = "COGNITO_TEST_OTHER_USERLAND";

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_static_binary_serves_terraform_from_another_userland() {
    let Some(userland) = std::env::var_os(OTHER_USERLAND_VARIABLE) else {
        eprintln!("skipped: {OTHER_USERLAND_VARIABLE} names no other system's root file system");
        return;
    };
    if !STATIC_BUILD {
        eprintln!("skipped: this is the dynamic build, which needs this system's libc");
        return;
    }
    let root = ProviderRoot::existing(Path::new(&userland));
    if let Err(reason) = root.probe() {
        eprintln!("skipped: this machine does not allow the other root (mount namespace and chroot): {reason}");
        return;
    }
    let stack = LocalCognito::start();
    let config = client_read_at_plan(&stack, "from-another-userland").await;
    assert_plan_read(&root, stack.endpoint(), &config, "from-another-userland");
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_static_binary_in_an_empty_root_resolves_through_dns() {
    if !STATIC_BUILD {
        eprintln!(
            "skipped: this is the dynamic build, which needs the system's libc (scripts/test builds the static one)"
        );
        return;
    }
    let Some(dns) = OneNameDns::start("localhost") else {
        eprintln!("skipped: a DNS server for the test needs port 53 on a loopback address, which needs root");
        return;
    };
    // Nothing in the hosts file: the name server is the only way to find `localhost`.
    let root = ProviderRoot::empty(
        "",
        &format!("nameserver {}\noptions timeout:2 attempts:2\n", dns.address),
    );
    if let Err(reason) = root.probe() {
        eprintln!("skipped: this machine does not allow an empty root (mount namespace and chroot): {reason}");
        return;
    }
    let Some(stack) = LocalCognito::start_unless_acceptance("it needs an endpoint it controls, the local stack") else {
        return;
    };
    let config = client_read_at_plan(&stack, "found-through-dns").await;
    assert_plan_read(&root, &endpoint_by_name(&stack), &config, "found-through-dns");
    assert!(
        dns.queries.load(Ordering::SeqCst) > 0,
        "the provider never asked the name server"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Proxies
// ---------------------------------------------------------------------------------------------------------------

/// A forwarding HTTP proxy on loopback for `http://` requests in absolute form: it records each request line and
/// passes the request on, one request per connection.
struct ForwardingProxy {
    port: u16,
    request_lines: Arc<Mutex<Vec<String>>>,
}

impl ForwardingProxy {
    fn start() -> ForwardingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let request_lines = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&request_lines);
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let recorded = Arc::clone(&recorded);
                std::thread::spawn(move || {
                    let _ = forward_one(client, &recorded);
                });
            }
        });
        ForwardingProxy { port, request_lines }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn request_lines(&self) -> Vec<String> {
        self.request_lines.lock().unwrap().clone()
    }
}

/// Reads one request (`METHOD http://host:port/path HTTP/1.1`, headers, a Content-Length body), sends it to
/// host:port in origin form with `Connection: close`, and copies the answer back.
fn forward_one(client: TcpStream, recorded: &Mutex<Vec<String>>) -> std::io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let request_line = request_line.trim_end().to_string();
    recorded.lock().unwrap().push(request_line.clone());
    let mut parts = request_line.splitn(3, ' ');
    let (method, target, version) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    let Some(rest) = target.strip_prefix("http://") else {
        return Err(std::io::Error::other(format!("not an absolute http URI: {target}")));
    };
    let (authority, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(a, p)| (a, format!("/{p}")));
    let mut headers = Vec::new();
    let mut content_length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end().to_string();
        if line.is_empty() {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            content_length = value.trim().parse().unwrap_or(0);
        }
        if !lower.starts_with("connection:") && !lower.starts_with("proxy-") {
            headers.push(line);
        }
    }
    let mut body = vec![0; content_length];
    reader.read_exact(&mut body)?;
    let mut upstream = TcpStream::connect(authority)?;
    let mut head = format!("{method} {path} {version}\r\n");
    for header in headers {
        head.push_str(&header);
        head.push_str("\r\n");
    }
    head.push_str("Connection: close\r\n\r\n");
    upstream.write_all(head.as_bytes())?;
    upstream.write_all(&body)?;
    let mut answer = Vec::new();
    upstream.read_to_end(&mut answer)?;
    let mut client = client;
    client.write_all(&answer)?;
    client.shutdown(std::net::Shutdown::Both)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_go_through_http_proxy_unless_no_proxy_names_the_host() {
    let Some(stack) = LocalCognito::start_unless_acceptance("it needs an endpoint it controls, the local stack") else {
        return;
    };
    let config = client_read_at_plan(&stack, "behind-a-proxy").await;
    let proxy = ForwardingProxy::start();
    let mut tf = Terraform::new(&stack);
    tf.write_config(&config);

    tf.env("HTTP_PROXY", &proxy.url()).env("NO_PROXY", "");
    let plan = tf.run(&["plan"]);
    assert!(plan.success(), "plan through the proxy: {plan}");
    assert!(plan.stdout.contains("+ name = \"behind-a-proxy\""), "{plan}");
    let through_proxy = proxy.request_lines();
    let endpoint = stack.endpoint().to_string();
    assert!(
        through_proxy
            .iter()
            .any(|line| line.starts_with(&format!("POST {endpoint}/"))),
        "the provider's requests did not go through HTTP_PROXY: {through_proxy:?}"
    );

    tf.env("NO_PROXY", "127.0.0.1");
    let plan = tf.run(&["plan"]);
    assert!(plan.success(), "plan with NO_PROXY: {plan}");
    assert_eq!(
        proxy.request_lines().len(),
        through_proxy.len(),
        "a host named in NO_PROXY was still reached through the proxy"
    );
}

//! go-plugin's start-up contract: the magic cookie, the protocol version negotiation, the listener in a private
//! directory, and the one handshake line on stdout that tells Terraform where and how to connect.

use std::io::Write;
#[cfg(unix)]
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;

use crate::plugin::listener::Address;

pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
pub const PROTOCOL_VERSION: u32 = 6;

/// What go-plugin prints when a plugin is run by hand; Terraform users recognise it.
pub const NOT_A_COMMAND: &str = "This binary is a plugin. These are not meant to be executed directly.\n\
Please execute the program that consumes these plugins, which will\n\
load any plugins automatically\n";

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum StartError {
    #[error("{NOT_A_COMMAND}(To debug the provider, run it with --debug instead.)")]
    MissingCookie,
    #[error(
        "Terraform offered plugin protocol versions {offered:?}, but this provider speaks only version 6 \
         (Terraform 1.0 or later, or OpenTofu)."
    )]
    UnsupportedProtocol { offered: String },
}

/// Checks that Terraform (or OpenTofu) started us, and that it speaks protocol 6.
pub fn check_launch(cookie: Option<&str>, protocol_versions: Option<&str>) -> Result<(), StartError> {
    if cookie != Some(MAGIC_COOKIE_VALUE) {
        return Err(StartError::MissingCookie);
    }
    match protocol_versions {
        // go-plugin falls back to the plugin's own version when the variable is absent.
        None | Some("") => Ok(()),
        Some(list) if list.split(',').any(|v| v.trim() == "6") => Ok(()),
        Some(list) => Err(StartError::UnsupportedProtocol {
            offered: list.to_string(),
        }),
    }
}

/// A directory only this user can enter, holding the socket; removed (with the socket) when dropped.
#[cfg(unix)]
pub struct SocketDir {
    dir: tempfile::TempDir,
    socket: PathBuf,
}

#[cfg(unix)]
impl SocketDir {
    /// Under `PLUGIN_UNIX_SOCKET_DIR` when set, else the system temp dir. The directory is made with mode 0700
    /// by the `mkdir` itself: created with the umask's mode and restricted afterwards, it would be open to
    /// everyone for a moment.
    pub fn create(parent: Option<&Path>) -> std::io::Result<SocketDir> {
        use std::os::unix::fs::PermissionsExt;

        let mut builder = tempfile::Builder::new();
        builder
            .prefix("plugin")
            .permissions(std::fs::Permissions::from_mode(0o700));
        let dir = match parent {
            Some(parent) => builder.tempdir_in(parent)?,
            None => builder.tempdir()?,
        };
        let socket = dir.path().join("provider.sock");
        Ok(SocketDir { dir, socket })
    }

    pub fn socket_path(&self) -> &Path {
        &self.socket
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// An address the handshake line cannot carry.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the plugin address {address:?} contains '|' or a line break, which the go-plugin handshake line cannot carry \
     (it has no escapes: Terraform splits the line at '|' and reads up to the first line break); choose a socket \
     directory without them (PLUGIN_UNIX_SOCKET_DIR or TMPDIR)"
)]
pub struct UnrepresentableAddress {
    pub address: String,
}

/// `1|6|<network>|<address>|grpc|<cert>`: the certificate is unpadded standard base64 of its DER, empty for
/// plaintext. go-plugin's client splits the line at every `|` and reads it up to the first line break, without any
/// escaping, so an address containing either would reach Terraform as a different, wrong address: refused here.
pub fn handshake_line(
    address: &Address,
    server_certificate_der: Option<&[u8]>,
) -> Result<String, UnrepresentableAddress> {
    let address_text = address.to_string();
    if address_text.contains(['|', '\n', '\r']) {
        return Err(UnrepresentableAddress { address: address_text });
    }
    let certificate = server_certificate_der
        .map(|der| STANDARD_NO_PAD.encode(der))
        .unwrap_or_default();
    Ok(format!(
        "1|{PROTOCOL_VERSION}|{}|{address_text}|grpc|{certificate}\n",
        address.network()
    ))
}

/// Writes the handshake line and flushes: Terraform dials as soon as it reads it.
pub fn announce(line: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(line.as_bytes())?;
    stdout.flush()
}

/// The text `--debug` prints for the user, with `TF_REATTACH_PROVIDERS` in the shape Terraform parses.
pub fn reattach_instructions(provider_address: &str, pid: u32, address: &Address) -> String {
    let config = serde_json::json!({
        provider_address: {
            "Protocol": "grpc",
            "ProtocolVersion": PROTOCOL_VERSION,
            "Pid": pid,
            "Test": true,
            "Addr": { "Network": address.network(), "String": address.to_string() }
        }
    });
    let quoted = config.to_string().replace('\'', "'\"'\"'");
    format!(
        "Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the \
         following:\n\n\tTF_REATTACH_PROVIDERS='{quoted}'\n\n"
    )
}

// The tests use Unix sockets' paths and inotify.
#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn cookie_and_versions_are_checked() {
        assert_eq!(check_launch(None, Some("5,6")), Err(StartError::MissingCookie));
        assert_eq!(check_launch(Some("wrong"), Some("6")), Err(StartError::MissingCookie));
        assert!(check_launch(Some(MAGIC_COOKIE_VALUE), Some("5,6")).is_ok());
        assert!(check_launch(Some(MAGIC_COOKIE_VALUE), Some("6,5")).is_ok());
        assert!(check_launch(Some(MAGIC_COOKIE_VALUE), None).is_ok());
        assert!(matches!(
            check_launch(Some(MAGIC_COOKIE_VALUE), Some("4,5")),
            Err(StartError::UnsupportedProtocol { .. })
        ));
        assert!(
            StartError::MissingCookie
                .to_string()
                .starts_with("This binary is a plugin.")
        );
    }

    #[test]
    fn handshake_line_uses_unpadded_base64() {
        let socket = Address::Unix(PathBuf::from("/tmp/x/provider.sock"));
        let line = handshake_line(&socket, Some(&[1, 2, 3, 4])).unwrap();
        assert_eq!(line, "1|6|unix|/tmp/x/provider.sock|grpc|AQIDBA\n");
        let tcp = Address::Tcp(std::net::SocketAddr::from(([127, 0, 0, 1], 10000)));
        assert_eq!(handshake_line(&tcp, None).unwrap(), "1|6|tcp|127.0.0.1:10000|grpc|\n");
    }

    #[test]
    fn addresses_the_line_cannot_carry_are_refused() {
        for path in [
            "/tmp/a|b/provider.sock",
            "/tmp/a\nb/provider.sock",
            "/tmp/a\rb/provider.sock",
        ] {
            let error = handshake_line(&Address::Unix(PathBuf::from(path)), None).unwrap_err();
            assert_eq!(error.address, path);
        }
    }

    /// Watches `parent` for metadata changes of its entries while `create` runs: a `chmod` after the `mkdir`
    /// shows as an `IN_ATTRIB` event, a directory made private by `mkdir` alone shows only `IN_CREATE`.
    fn attribute_changes_while(parent: &Path, create: impl FnOnce()) -> Vec<String> {
        use std::os::unix::ffi::OsStrExt;

        let parent_c = std::ffi::CString::new(parent.as_os_str().as_bytes()).unwrap();
        // SAFETY: plain system calls on a descriptor owned by this function and closed before it returns.
        unsafe {
            let fd = libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC);
            assert!(fd >= 0, "inotify_init1: {}", std::io::Error::last_os_error());
            let watch = libc::inotify_add_watch(fd, parent_c.as_ptr(), libc::IN_CREATE | libc::IN_ATTRIB);
            assert!(watch >= 0, "inotify_add_watch: {}", std::io::Error::last_os_error());
            create();
            let mut buffer = [0u8; 4096];
            let read = libc::read(fd, buffer.as_mut_ptr().cast(), buffer.len());
            libc::close(fd);
            let mut changed = Vec::new();
            let mut offset = 0;
            let header = std::mem::size_of::<libc::inotify_event>();
            while read > 0 && offset + header <= read as usize {
                let event: libc::inotify_event = std::ptr::read_unaligned(buffer.as_ptr().add(offset).cast());
                let name = &buffer[offset + header..offset + header + event.len as usize];
                let name = String::from_utf8_lossy(name).trim_end_matches('\0').to_string();
                if event.mask & libc::IN_ATTRIB != 0 {
                    changed.push(name);
                }
                offset += header + event.len as usize;
            }
            changed
        }
    }

    #[test]
    fn socket_dir_is_private_from_its_creation_and_removed() {
        use std::os::unix::fs::PermissionsExt;

        let parent = tempfile::tempdir().unwrap();
        let mut created = None;
        let changed = attribute_changes_while(parent.path(), || {
            created = Some(SocketDir::create(Some(parent.path())).unwrap());
        });
        let dir = created.unwrap();
        assert!(
            changed.is_empty(),
            "the socket directory's mode was changed after it was created: {changed:?}"
        );
        let path = dir.path().to_path_buf();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        drop(dir);
        assert!(!path.exists());
    }

    #[test]
    fn reattach_json_is_quoted_for_the_shell() {
        let socket = Address::Unix(PathBuf::from("/tmp/it's/provider.sock"));
        let text = reattach_instructions("example.com/acme/cognito", 42, &socket);
        let line = text
            .lines()
            .find(|l| l.starts_with("\tTF_REATTACH_PROVIDERS="))
            .unwrap();
        assert!(line.contains(r#""ProtocolVersion":6"#));
        assert!(line.contains(r#""Network":"unix""#));
        assert!(line.contains(r#"it'"'"'s"#));
    }
}

//! go-plugin's start-up contract: the magic cookie, the protocol version negotiation, the listener in a private
//! directory, and the one handshake line on stdout that tells Terraform where and how to connect.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;

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
pub struct SocketDir {
    dir: tempfile::TempDir,
    socket: PathBuf,
}

impl SocketDir {
    /// Under `PLUGIN_UNIX_SOCKET_DIR` when set, else the system temp dir.
    pub fn create(parent: Option<&Path>) -> std::io::Result<SocketDir> {
        let mut builder = tempfile::Builder::new();
        builder.prefix("plugin");
        let dir = match parent {
            Some(parent) => builder.tempdir_in(parent)?,
            None => builder.tempdir()?,
        };
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))?;
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

/// `1|6|unix|<path>|grpc|<cert>`: the certificate is unpadded standard base64 of its DER, empty for plaintext.
pub fn handshake_line(socket: &Path, server_certificate_der: Option<&[u8]>) -> String {
    let certificate = server_certificate_der
        .map(|der| STANDARD_NO_PAD.encode(der))
        .unwrap_or_default();
    format!("1|{PROTOCOL_VERSION}|unix|{}|grpc|{certificate}\n", socket.display())
}

/// Writes the handshake line and flushes: Terraform dials as soon as it reads it.
pub fn announce(line: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(line.as_bytes())?;
    stdout.flush()
}

/// The text `--debug` prints for the user, with `TF_REATTACH_PROVIDERS` in the shape Terraform parses.
pub fn reattach_instructions(provider_address: &str, pid: u32, socket: &Path) -> String {
    let config = serde_json::json!({
        provider_address: {
            "Protocol": "grpc",
            "ProtocolVersion": PROTOCOL_VERSION,
            "Pid": pid,
            "Test": true,
            "Addr": { "Network": "unix", "String": socket.display().to_string() }
        }
    });
    let quoted = config.to_string().replace('\'', "'\"'\"'");
    format!(
        "Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the \
         following:\n\n\tTF_REATTACH_PROVIDERS='{quoted}'\n\n"
    )
}

#[cfg(test)]
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
        let line = handshake_line(Path::new("/tmp/x/provider.sock"), Some(&[1, 2, 3, 4]));
        assert_eq!(line, "1|6|unix|/tmp/x/provider.sock|grpc|AQIDBA\n");
        assert_eq!(handshake_line(Path::new("/s"), None), "1|6|unix|/s|grpc|\n");
    }

    #[test]
    fn socket_dir_is_private_and_removed() {
        let dir = SocketDir::create(None).unwrap();
        let path = dir.path().to_path_buf();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        drop(dir);
        assert!(!path.exists());
    }

    #[test]
    fn reattach_json_is_quoted_for_the_shell() {
        let text = reattach_instructions("example.com/acme/cognito", 42, Path::new("/tmp/it's/provider.sock"));
        let line = text
            .lines()
            .find(|l| l.starts_with("\tTF_REATTACH_PROVIDERS="))
            .unwrap();
        assert!(line.contains(r#""ProtocolVersion":6"#));
        assert!(line.contains(r#"it'"'"'s"#));
    }
}

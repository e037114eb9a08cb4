//! Where the provider listens for Terraform. go-plugin serves on a Unix socket in a private directory on Unix
//! systems, and on TCP at `127.0.0.1` on Windows, where it picks the first free port of the range Terraform passes
//! in `PLUGIN_MIN_PORT` / `PLUGIN_MAX_PORT`. Both are here; on Unix the TCP listener is chosen with
//! [`TRANSPORT_VARIABLE`], so that the transport Windows users get is exercised by the real `terraform` on every
//! platform. The same AutoMTLS protects both: on loopback TCP any local user can connect, and only the client
//! certificate Terraform announced gets past the TLS handshake.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
#[cfg(unix)]
use std::path::{Path, PathBuf};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
#[cfg(unix)]
use tokio::net::UnixListener;

#[cfg(unix)]
use crate::plugin::handshake::SocketDir;

/// Selects the transport: `unix` (the default on Unix) or `tcp` (the only one on Windows).
pub const TRANSPORT_VARIABLE: &str = "COGNITO_PROVIDER_TRANSPORT";

/// How Terraform reaches this process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    #[cfg(unix)]
    Unix,
    Tcp,
}

impl Transport {
    /// The transport named by [`TRANSPORT_VARIABLE`]; unset or empty means the platform's go-plugin default.
    pub fn from_setting(value: Option<&str>) -> Result<Transport, ListenError> {
        match value.map(str::trim) {
            None | Some("") => Ok(Self::platform_default()),
            Some(name) if name.eq_ignore_ascii_case("tcp") => Ok(Transport::Tcp),
            #[cfg(unix)]
            Some(name) if name.eq_ignore_ascii_case("unix") => Ok(Transport::Unix),
            Some(other) => Err(ListenError::UnknownTransport(other.to_string())),
        }
    }

    #[cfg(unix)]
    fn platform_default() -> Transport {
        Transport::Unix
    }

    #[cfg(not(unix))]
    fn platform_default() -> Transport {
        Transport::Tcp
    }
}

/// What the process environment says about listening, read once at start-up.
#[derive(Debug, Clone, Default)]
pub struct ListenSettings {
    /// [`TRANSPORT_VARIABLE`].
    pub transport: Option<String>,
    /// `PLUGIN_MIN_PORT` and `PLUGIN_MAX_PORT`.
    pub min_port: Option<String>,
    pub max_port: Option<String>,
    /// `PLUGIN_UNIX_SOCKET_DIR`: where the private socket directory goes (the system temp dir when unset).
    pub socket_parent: Option<std::ffi::OsString>,
}

impl ListenSettings {
    pub fn from_environment() -> ListenSettings {
        let text = |name: &str| std::env::var(name).ok();
        ListenSettings {
            transport: text(TRANSPORT_VARIABLE),
            min_port: text("PLUGIN_MIN_PORT"),
            max_port: text("PLUGIN_MAX_PORT"),
            socket_parent: std::env::var_os("PLUGIN_UNIX_SOCKET_DIR").filter(|value| !value.is_empty()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    #[error("{TRANSPORT_VARIABLE}={0:?} names no transport this build has (tcp, or unix on Unix systems)")]
    UnknownTransport(String),
    #[error("{name}={value:?} is not a port number")]
    InvalidPort { name: &'static str, value: String },
    #[error("PLUGIN_MIN_PORT ({min}) is greater than PLUGIN_MAX_PORT ({max})")]
    EmptyPortRange { min: u16, max: u16 },
    #[error("no free TCP port on 127.0.0.1 between {min} and {max}: {last_error}")]
    NoFreePort { min: u16, max: u16, last_error: io::Error },
    #[error("could not create the plugin socket: {0}")]
    Socket(io::Error),
}

/// The ports go-plugin may listen on: `PLUGIN_MIN_PORT..=PLUGIN_MAX_PORT`, each bound 0 when unset (so with
/// neither set, the system picks a free port).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortRange {
    pub min: u16,
    pub max: u16,
}

impl PortRange {
    pub fn from_settings(min: Option<&str>, max: Option<&str>) -> Result<PortRange, ListenError> {
        let port = |name: &'static str, value: Option<&str>| match value.map(str::trim) {
            None | Some("") => Ok(0),
            Some(text) => text.parse::<u16>().map_err(|_| ListenError::InvalidPort {
                name,
                value: text.to_string(),
            }),
        };
        let range = PortRange {
            min: port("PLUGIN_MIN_PORT", min)?,
            max: port("PLUGIN_MAX_PORT", max)?,
        };
        if range.min > range.max {
            return Err(ListenError::EmptyPortRange {
                min: range.min,
                max: range.max,
            });
        }
        Ok(range)
    }
}

/// The address announced to Terraform, in go-plugin's terms: a network name and an address string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    #[cfg(unix)]
    Unix(PathBuf),
    Tcp(SocketAddr),
}

impl Address {
    /// Go's name for the network, as the handshake line and `TF_REATTACH_PROVIDERS` carry it.
    pub fn network(&self) -> &'static str {
        match self {
            #[cfg(unix)]
            Address::Unix(_) => "unix",
            Address::Tcp(_) => "tcp",
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            #[cfg(unix)]
            Address::Unix(path) => write!(formatter, "{}", path.display()),
            Address::Tcp(address) => write!(formatter, "{address}"),
        }
    }
}

/// A bound listener and what it holds on to (the socket's private directory, removed with it).
pub struct Listener {
    kind: ListenerKind,
    address: Address,
}

enum ListenerKind {
    #[cfg(unix)]
    Unix {
        listener: UnixListener,
        _directory: SocketDir,
    },
    Tcp(TcpListener),
}

impl Listener {
    /// Binds the listener `settings` ask for.
    pub async fn bind(settings: &ListenSettings) -> Result<Listener, ListenError> {
        match Transport::from_setting(settings.transport.as_deref())? {
            #[cfg(unix)]
            Transport::Unix => Self::bind_unix(settings.socket_parent.as_deref().map(Path::new)),
            Transport::Tcp => {
                let range = PortRange::from_settings(settings.min_port.as_deref(), settings.max_port.as_deref())?;
                Self::bind_tcp(range).await
            }
        }
    }

    #[cfg(unix)]
    fn bind_unix(parent: Option<&Path>) -> Result<Listener, ListenError> {
        let directory = SocketDir::create(parent).map_err(ListenError::Socket)?;
        let listener = UnixListener::bind(directory.socket_path()).map_err(ListenError::Socket)?;
        Ok(Listener {
            address: Address::Unix(directory.socket_path().to_path_buf()),
            kind: ListenerKind::Unix {
                listener,
                _directory: directory,
            },
        })
    }

    /// The first port of `range` that is free on 127.0.0.1, as go-plugin does. Never any other interface: a
    /// provider is reached by the Terraform process on the same machine only.
    async fn bind_tcp(range: PortRange) -> Result<Listener, ListenError> {
        let mut last_error = io::Error::new(io::ErrorKind::AddrNotAvailable, "empty range");
        for port in range.min..=range.max {
            match TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
                Ok(listener) => {
                    let address = listener.local_addr().map_err(ListenError::Socket)?;
                    return Ok(Listener {
                        kind: ListenerKind::Tcp(listener),
                        address: Address::Tcp(address),
                    });
                }
                Err(error) => last_error = error,
            }
        }
        Err(ListenError::NoFreePort {
            min: range.min,
            max: range.max,
            last_error,
        })
    }

    pub fn address(&self) -> &Address {
        &self.address
    }

    /// The next connection. TCP connections get `TCP_NODELAY`: gRPC writes small frames and waits for answers,
    /// which Nagle's algorithm would hold back until the peer's delayed acknowledgement.
    pub async fn accept(&self) -> io::Result<Connection> {
        match &self.kind {
            #[cfg(unix)]
            ListenerKind::Unix { listener, .. } => {
                let (stream, _) = listener.accept().await?;
                Ok(Box::new(stream))
            }
            ListenerKind::Tcp(listener) => {
                let (stream, _) = listener.accept().await?;
                stream.set_nodelay(true)?;
                Ok(Box::new(stream))
            }
        }
    }
}

/// Anything a connection can be carried over.
pub trait Io: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Io for T {}

/// An accepted connection, whatever the transport.
pub type Connection = Box<dyn Io>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_names() {
        assert_eq!(Transport::from_setting(Some("tcp")).unwrap(), Transport::Tcp);
        assert_eq!(Transport::from_setting(Some(" TCP ")).unwrap(), Transport::Tcp);
        #[cfg(unix)]
        {
            assert_eq!(Transport::from_setting(None).unwrap(), Transport::Unix);
            assert_eq!(Transport::from_setting(Some("")).unwrap(), Transport::Unix);
            assert_eq!(Transport::from_setting(Some("unix")).unwrap(), Transport::Unix);
        }
        assert!(matches!(
            Transport::from_setting(Some("udp")),
            Err(ListenError::UnknownTransport(name)) if name == "udp"
        ));
    }

    #[test]
    fn port_ranges_as_go_plugin_reads_them() {
        assert_eq!(
            PortRange::from_settings(Some("10000"), Some("25000")).unwrap(),
            PortRange { min: 10000, max: 25000 }
        );
        assert_eq!(
            PortRange::from_settings(None, None).unwrap(),
            PortRange { min: 0, max: 0 }
        );
        assert!(matches!(
            PortRange::from_settings(Some("2"), Some("1")),
            Err(ListenError::EmptyPortRange { min: 2, max: 1 })
        ));
        assert!(matches!(
            PortRange::from_settings(Some("x"), Some("1")),
            Err(ListenError::InvalidPort {
                name: "PLUGIN_MIN_PORT",
                ..
            })
        ));
        assert!(matches!(
            PortRange::from_settings(Some("1"), Some("70000")),
            Err(ListenError::InvalidPort {
                name: "PLUGIN_MAX_PORT",
                ..
            })
        ));
    }

    #[tokio::test]
    async fn tcp_binds_the_first_free_port_of_the_range_on_loopback_only() {
        let taken = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = taken.local_addr().unwrap().port();
        let Some(next) = port.checked_add(1) else {
            return;
        };
        let range = PortRange { min: port, max: next };
        match Listener::bind_tcp(range).await {
            Ok(listener) => {
                assert_eq!(
                    listener.address(),
                    &Address::Tcp(SocketAddr::from((Ipv4Addr::LOCALHOST, next)))
                );
                assert_eq!(listener.address().network(), "tcp");
            }
            // Someone else holds the next port too: then the error names the range.
            Err(ListenError::NoFreePort { min, max, .. }) => assert_eq!((min, max), (port, next)),
            Err(other) => panic!("{other}"),
        }
        let only_taken = PortRange { min: port, max: port };
        assert!(matches!(
            Listener::bind_tcp(only_taken).await,
            Err(ListenError::NoFreePort { .. })
        ));
    }
}

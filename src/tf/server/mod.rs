//! The `tfplugin6.Provider` gRPC service, in two layers.
//!
//! - [`ProviderServer`] is the wire: it turns each protobuf request into the framework's terms and the
//!   framework's answer back into a protobuf response, and decides nothing.
//! - [`Framework`] is the behaviour every provider built on `tf` shares: it finds the type asked for, decodes
//!   values against its schema, calls the provider, resource, data source or ephemeral resource, applies the
//!   protocol's rules around it (destroys plan null, a failed delete keeps the object, a failed read or apply
//!   answers with the state Terraform sent, an ephemeral resource with unknown arguments is not opened) and
//!   encodes the answer. Every handler answers one [`Outcome`].
//!
//! Every failure, including a panic in a handler and malformed bytes from the wire, becomes an error diagnostic:
//! Terraform renders gRPC error statuses as "Plugin did not respond" or "Plugin error" with no context, so this
//! service never returns one.

mod encoded;
mod ephemeral;
mod framework;
mod grpc;
mod managed;
mod outcome;
mod registry;

pub use encoded::Encoded;
pub use ephemeral::pending_ephemeral_result;
pub use framework::{ConfigOf, Framework};
pub use grpc::ProviderServer;
pub use outcome::Outcome;

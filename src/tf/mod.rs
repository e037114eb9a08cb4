//! A small framework over the plugin protocol: values and their codecs, schemas, diagnostics, and the traits a
//! resource or data source implements. It knows nothing of Cognito.

pub mod codec_error;
mod codec_number;
pub mod codec_type;
pub mod diagnostics;
pub mod docs;
pub mod json;
pub mod msgpack;
pub mod resource;
pub mod schema;
pub mod server;
pub mod value;

pub use codec_error::CodecError;
pub use value::{Number, Refinements, Type, Value};

//! A small framework over the plugin protocol: values and their codecs, schemas, diagnostics, and the traits a
//! resource or data source implements. It knows nothing of Cognito.

pub mod value;

pub use value::{Number, Refinements, Type, Value};

//! Values as they travel: bytes of an object of some schema's type, decoded and encoded here against that type.

use crate::tf::diagnostics::{Diagnostic, Diagnostics};
use crate::tf::value::{Type, Value};
use crate::tf::{json, msgpack};

/// A value in its wire encoding. Terraform sends msgpack, JSON on a few older paths, or nothing at all, which is
/// how it says "no object"; the provider always answers in msgpack, the only encoding that carries unknowns.
///
/// No `Debug`: the bytes can hold secrets (a client secret in state, an ephemeral result).
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Encoded {
    /// No value: null.
    #[default]
    Absent,
    Msgpack(Vec<u8>),
    Json(Vec<u8>),
}

impl Encoded {
    /// The value these bytes hold as `ty`. `what` names it in the diagnostic ("prior state", "configuration").
    pub fn decode(&self, ty: &Type, what: &str) -> Result<Value, Diagnostics> {
        let decoded = match self {
            Encoded::Absent => return Ok(Value::Null),
            Encoded::Msgpack(bytes) => msgpack::decode(bytes, ty),
            Encoded::Json(bytes) => json::decode(bytes, ty),
        };
        decoded.map_err(|error| {
            Diagnostic::error(
                "Invalid value from Terraform",
                format!("The {what} could not be decoded: {error}. This is a bug in Terraform or in the provider."),
            )
            .into()
        })
    }

    /// `value` as msgpack of `ty`; a value that does not fit its own schema is a bug in the provider.
    pub fn encode(value: &Value, ty: &Type, what: &str) -> Result<Encoded, Diagnostics> {
        msgpack::encode(value, ty).map(Encoded::Msgpack).map_err(|error| {
            Diagnostic::error(
                "Provider produced an invalid value",
                format!("The {what} could not be encoded: {error}. This is a bug in the provider."),
            )
            .into()
        })
    }
}

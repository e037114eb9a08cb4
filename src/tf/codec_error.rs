//! The one error type of the value codecs (msgpack, JSON, type JSON). Every error says *where* in the value the
//! problem is, because Terraform shows codec errors to users with no other context: "expected string, got bool" is
//! useless in a 40-attribute object, `at .token_validity_units[0].id_token: expected string, got bool` is not.

use std::fmt;

use super::value::{Type, Value};

/// One step from a value into a part of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathStep {
    /// An attribute of an object.
    Attribute(String),
    /// A key of a map.
    Key(String),
    /// A position in a list, set or tuple (for sets: the position in the encoding, as sets have no order).
    Index(usize),
}

/// What went wrong, independent of where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The encoding holds a different kind of thing than the type asks for.
    Expected {
        expected: &'static str,
        found: &'static str,
    },
    /// An object lacks an attribute of its type.
    MissingAttribute(String),
    /// An object has an attribute its type does not have.
    UnsupportedAttribute(String),
    /// An attribute or map key appears twice.
    DuplicateKey(String),
    /// A tuple has the wrong number of elements.
    TupleLength { expected: usize, found: usize },
    /// A number that is not a number (NaN, or text that does not parse).
    InvalidNumber(String),
    /// A number whose decimal exponent is beyond what the codecs accept (see `value::MAX_DECIMAL_EXPONENT`), or with more significant digits than
    /// `value::MAX_SIGNIFICANT_DIGITS`.
    NumberOutOfRange(String),
    /// A string (or object key) whose bytes are not UTF-8.
    InvalidUtf8,
    /// The input ends in the middle of a value.
    Truncated,
    /// Bytes remain after the value.
    TrailingBytes(usize),
    /// The value nests deeper than the codecs allow.
    TooDeep(usize),
    /// A length that cannot be right: larger than the remaining input, or larger than msgpack can express.
    ImplausibleLength(u64),
    /// A msgpack marker that no encoder may produce (`0xc1`).
    ReservedMarker,
    /// A msgpack extension that is neither a plain unknown nor a refinement map.
    UnsupportedExtension { ext_type: i8, length: u32 },
    /// A refinement map larger than Terraform allows (1024 bytes).
    OversizeRefinements(u32),
    /// A refinement that is malformed or does not fit the type.
    InvalidRefinement(&'static str),
    /// JSON cannot carry unknown values.
    UnknownInJson,
    /// JSON cannot carry infinities.
    InfinityInJson,
    /// JSON that does not parse.
    InvalidJson(String),
    /// A type description (type JSON) that is not valid.
    InvalidType(String),
    /// A dynamic value in JSON that is not `{"value": ..., "type": ...}`.
    InvalidDynamic(String),
    /// A value handed to an encoder does not conform to the type it is encoded as.
    ValueDoesNotConform { expected: String, found: &'static str },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Expected { expected, found } => write!(f, "expected {expected}, got {found}"),
            Problem::MissingAttribute(name) => write!(
                f,
                "attribute {name:?} is missing; an object must contain every attribute of its type"
            ),
            Problem::UnsupportedAttribute(name) => write!(f, "unsupported attribute {name:?}"),
            Problem::DuplicateKey(key) => write!(f, "key {key:?} appears more than once"),
            Problem::TupleLength { expected, found } => {
                write!(f, "a tuple of {expected} elements is required ({found} given)")
            }
            Problem::InvalidNumber(text) => write!(f, "{text} is not a valid number"),
            Problem::NumberOutOfRange(text) => write!(f, "number {text} is too large or too small to be supported"),
            Problem::InvalidUtf8 => f.write_str("string is not valid UTF-8"),
            Problem::Truncated => f.write_str("unexpected end of input"),
            Problem::TrailingBytes(count) => write!(f, "{count} unexpected bytes after the value"),
            Problem::TooDeep(limit) => write!(f, "value is nested more than {limit} levels deep"),
            Problem::ImplausibleLength(length) => write!(f, "implausible length {length}"),
            Problem::ReservedMarker => f.write_str("reserved msgpack marker 0xc1"),
            Problem::UnsupportedExtension { ext_type, length } => {
                write!(
                    f,
                    "unsupported extension type 0x{:02x} with len {length}",
                    *ext_type as u8
                )
            }
            Problem::OversizeRefinements(length) => {
                write!(
                    f,
                    "oversize unknown value refinement ({length} bytes, at most 1024 allowed)"
                )
            }
            Problem::InvalidRefinement(reason) => write!(f, "invalid unknown value refinement: {reason}"),
            Problem::UnknownInJson => f.write_str("value is not known, and JSON cannot represent unknown values"),
            Problem::InfinityInJson => f.write_str("JSON cannot represent an infinite number"),
            Problem::InvalidJson(reason) => write!(f, "invalid JSON: {reason}"),
            Problem::InvalidType(reason) => write!(f, "invalid type description: {reason}"),
            Problem::InvalidDynamic(reason) => write!(f, "invalid dynamically-typed value: {reason}"),
            Problem::ValueDoesNotConform { expected, found } => {
                write!(
                    f,
                    "value does not conform to its type: expected {expected}, got {found}"
                )
            }
        }
    }
}

/// A codec failure: the problem and the path of the value part where it happened (outermost step first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodecError {
    path: Vec<PathStep>,
    problem: Problem,
}

impl CodecError {
    /// A problem at the value being worked on; the callers up the recursion add the path with [`CodecError::within`].
    pub fn new(problem: Problem) -> CodecError {
        CodecError {
            path: Vec::new(),
            problem,
        }
    }

    /// The same error, seen from the value that contains the failing one at `step`. Only called while an error
    /// travels outwards, so prepending (cheap for the shallow paths of real values) costs nothing on success.
    pub fn within(mut self, step: PathStep) -> CodecError {
        self.path.insert(0, step);
        self
    }

    /// Steps from the top-level value to the failing part; empty when the top-level value itself failed.
    pub fn path(&self) -> &[PathStep] {
        &self.path
    }

    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    /// A problem at a known path (for walkers that track their position as they go).
    pub fn at(path: &[PathStep], problem: Problem) -> CodecError {
        CodecError {
            path: path.to_vec(),
            problem,
        }
    }

    /// The path as text, e.g. `.token_validity_units[0].id_token` (empty for the top-level value).
    pub fn path_text(&self) -> String {
        path_text(&self.path)
    }
}

/// A path as text, e.g. `.token_validity_units[0].id_token` (empty for the top-level value).
pub fn path_text(path: &[PathStep]) -> String {
    let mut text = String::new();
    for step in path {
        match step {
            PathStep::Attribute(name) => {
                text.push('.');
                text.push_str(name);
            }
            PathStep::Key(key) => text.push_str(&format!("[{key:?}]")),
            PathStep::Index(index) => text.push_str(&format!("[{index}]")),
        }
    }
    text
}

/// A type as error messages name it, following go-cty's friendly names (`list of string`, `object`).
pub(crate) fn describe_type(ty: &Type) -> String {
    match ty {
        Type::String => "string".to_string(),
        Type::Number => "number".to_string(),
        Type::Bool => "bool".to_string(),
        Type::List(element) => format!("list of {}", describe_type(element)),
        Type::Set(element) => format!("set of {}", describe_type(element)),
        Type::Map(element) => format!("map of {}", describe_type(element)),
        Type::Object { .. } => "object".to_string(),
        Type::Tuple(_) => "tuple".to_string(),
        Type::Dynamic => "dynamic value (Value::Dynamic with its type)".to_string(),
    }
}

/// What kind of value a `Value` is, for error messages.
pub(crate) fn describe_value(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Unknown(_) => "unknown",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::List(_) => "list",
        Value::Set(_) => "set",
        Value::Map(_) => "map",
        Value::Object(_) => "object",
        Value::Tuple(_) => "tuple",
        Value::Dynamic { .. } => "dynamic value",
    }
}

impl std::error::Error for CodecError {}

impl From<Problem> for CodecError {
    fn from(problem: Problem) -> CodecError {
        CodecError::new(problem)
    }
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "at {}: {}", self.path_text(), self.problem)
        }
    }
}

/// Attaches a path step to the error of a nested encode or decode.
pub(crate) trait WithinStep<T> {
    fn within(self, step: impl FnOnce() -> PathStep) -> Result<T, CodecError>;
}

impl<T> WithinStep<T> for Result<T, CodecError> {
    fn within(self, step: impl FnOnce() -> PathStep) -> Result<T, CodecError> {
        self.map_err(|error| error.within(step()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_the_path_outermost_first() {
        let error = CodecError::new(Problem::Expected {
            expected: "string",
            found: "bool",
        })
        .within(PathStep::Attribute("id_token".to_string()))
        .within(PathStep::Index(0))
        .within(PathStep::Attribute("token_validity_units".to_string()));
        assert_eq!(
            error.to_string(),
            "at .token_validity_units[0].id_token: expected string, got bool"
        );
        assert_eq!(error.path().len(), 3);
    }

    #[test]
    fn map_keys_are_quoted_and_the_root_has_no_prefix() {
        let error = CodecError::new(Problem::Truncated).within(PathStep::Key("a b".to_string()));
        assert_eq!(error.to_string(), "at [\"a b\"]: unexpected end of input");
        assert_eq!(
            CodecError::new(Problem::TrailingBytes(2)).to_string(),
            "2 unexpected bytes after the value"
        );
    }
}

//! Terraform's value model (go-cty's, in Rust): a [`Type`] says what shape a value may take, a [`Value`] is one
//! value of that shape. Values do not carry their type, except at `dynamic` positions, where the concrete type
//! travels with the value ([`Value::Dynamic`]), exactly as it does on the wire.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use bigdecimal::num_bigint::BigInt;

/// A type constraint, as Terraform writes it in schemas (`"string"`, `["set","string"]`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    /// Attribute types by name, and the names of optional attributes (only meaningful in type constraints).
    Object {
        attributes: BTreeMap<String, Type>,
        optional: BTreeSet<String>,
    },
    Tuple(Vec<Type>),
    /// "Any type": the value carries its concrete type with it.
    Dynamic,
}

impl Type {
    pub fn list(element: Type) -> Type {
        Type::List(Box::new(element))
    }

    pub fn set(element: Type) -> Type {
        Type::Set(Box::new(element))
    }

    pub fn map(element: Type) -> Type {
        Type::Map(Box::new(element))
    }

    /// An object type whose attributes are all required (the usual case for schemas).
    pub fn object<I, S>(attributes: I) -> Type
    where
        I: IntoIterator<Item = (S, Type)>,
        S: Into<String>,
    {
        Type::Object {
            attributes: attributes.into_iter().map(|(name, ty)| (name.into(), ty)).collect(),
            optional: BTreeSet::new(),
        }
    }

    /// The element type of a list, set or map.
    pub fn element_type(&self) -> Option<&Type> {
        match self {
            Type::List(element) | Type::Set(element) | Type::Map(element) => Some(element),
            _ => None,
        }
    }
}

/// An arbitrary-precision number. Terraform numbers are big floats; infinities exist but are rare.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Number {
    Finite(BigDecimal),
    PositiveInfinity,
    NegativeInfinity,
}

impl Number {
    /// The number as an `i64`, if it is an integer in range.
    pub fn to_i64(&self) -> Option<i64> {
        match self {
            Number::Finite(decimal) if decimal.is_integer() => {
                let (digits, _) = decimal.with_scale(0).into_bigint_and_exponent();
                i64::try_from(digits).ok()
            }
            _ => None,
        }
    }

    /// The nearest `f64` (lossy for numbers that need more precision).
    pub fn to_f64(&self) -> f64 {
        match self {
            Number::Finite(decimal) => decimal.to_string().parse().unwrap_or(f64::NAN),
            Number::PositiveInfinity => f64::INFINITY,
            Number::NegativeInfinity => f64::NEG_INFINITY,
        }
    }

    /// `None` for NaN, which Terraform has no way to represent.
    pub fn from_f64(value: f64) -> Option<Number> {
        if value.is_nan() {
            None
        } else if value == f64::INFINITY {
            Some(Number::PositiveInfinity)
        } else if value == f64::NEG_INFINITY {
            Some(Number::NegativeInfinity)
        } else {
            // Rust's shortest round-trip formatting, then exact decimal parsing.
            BigDecimal::from_str(&format!("{value:e}"))
                .ok()
                .map(|d| Number::Finite(d.normalized()))
        }
    }

    pub fn is_integer(&self) -> bool {
        matches!(self, Number::Finite(decimal) if decimal.is_integer())
    }
}

impl From<i64> for Number {
    fn from(value: i64) -> Number {
        Number::Finite(BigDecimal::from(BigInt::from(value)))
    }
}

impl FromStr for Number {
    type Err = String;

    /// Accepts decimal notation with an optional exponent, and `+Inf` / `-Inf` / `Inf`.
    fn from_str(text: &str) -> Result<Number, String> {
        match text {
            "Inf" | "+Inf" | "inf" | "+inf" => Ok(Number::PositiveInfinity),
            "-Inf" | "-inf" => Ok(Number::NegativeInfinity),
            _ => {
                let valid_chars = !text.is_empty()
                    && text
                        .bytes()
                        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
                if !valid_chars || text.len() > 4096 {
                    return Err(format!("{text:?} is not a number"));
                }
                BigDecimal::from_str(text)
                    .map(|d| Number::Finite(d.normalized()))
                    .map_err(|_| format!("{text:?} is not a number"))
            }
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Finite(decimal) => {
                let normalized = decimal.normalized();
                if normalized.is_integer() {
                    write!(f, "{}", normalized.with_scale(0))
                } else {
                    write!(f, "{}", normalized.to_plain_string())
                }
            }
            Number::PositiveInfinity => f.write_str("+Inf"),
            Number::NegativeInfinity => f.write_str("-Inf"),
        }
    }
}

/// What Terraform knows about a value it does not know yet (msgpack ext 12). All fields are optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Refinements {
    /// `Some(true)` = definitely not null.
    pub not_null: Option<bool>,
    /// Strings: a known prefix.
    pub string_prefix: Option<String>,
    /// Numbers: `(bound, inclusive)`.
    pub number_lower: Option<(Number, bool)>,
    pub number_upper: Option<(Number, bool)>,
    /// Collections: length bounds.
    pub length_lower: Option<i64>,
    pub length_upper: Option<i64>,
}

impl Refinements {
    pub fn is_empty(&self) -> bool {
        *self == Refinements::default()
    }
}

/// One value. Collections and objects hold their elements as values of the element / attribute types.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    Null,
    Unknown(Refinements),
    String(String),
    Number(Number),
    Bool(bool),
    List(Vec<Value>),
    /// Set elements in no particular order; equality of sets as sets is [`Value::semantically_equal`].
    Set(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Object(BTreeMap<String, Value>),
    Tuple(Vec<Value>),
    /// A known, non-null value at a `dynamic` position, with its concrete type.
    Dynamic {
        ty: Type,
        value: Box<Value>,
    },
}

impl Value {
    pub fn unknown() -> Value {
        Value::Unknown(Refinements::default())
    }

    pub fn string(text: impl Into<String>) -> Value {
        Value::String(text.into())
    }

    pub fn int(value: i64) -> Value {
        Value::Number(Number::from(value))
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    /// Known all the way down (no unknown anywhere inside).
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown(_) => false,
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => items.iter().all(Value::is_wholly_known),
            Value::Map(items) | Value::Object(items) => items.values().all(Value::is_wholly_known),
            Value::Dynamic { value, .. } => value.is_wholly_known(),
            _ => true,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(flag) => Some(*flag),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(number) => number.to_i64(),
            _ => None,
        }
    }

    /// Elements of a list, set or tuple.
    pub fn as_elements(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => Some(items),
            _ => None,
        }
    }

    /// Attributes of an object, entries of a map.
    pub fn as_attributes(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Object(items) | Value::Map(items) => Some(items),
            _ => None,
        }
    }

    /// One attribute of an object; `None` when this is not an object or has no such attribute.
    pub fn attribute(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Object(attributes) => attributes.get(name),
            _ => None,
        }
    }

    /// Equality that treats sets as unordered (recursively). Use it, not `==`, to compare plans and states.
    pub fn semantically_equal(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Set(a), Value::Set(b)) => {
                a.len() == b.len()
                    && a.iter().all(|x| b.iter().any(|y| x.semantically_equal(y)))
                    && b.iter().all(|y| a.iter().any(|x| x.semantically_equal(y)))
            }
            (Value::List(a), Value::List(b)) | (Value::Tuple(a), Value::Tuple(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.semantically_equal(y))
            }
            (Value::Map(a), Value::Map(b)) | (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|((ka, va), (kb, vb))| ka == kb && va.semantically_equal(vb))
            }
            (Value::Dynamic { ty: ta, value: va }, Value::Dynamic { ty: tb, value: vb }) => {
                ta == tb && va.semantically_equal(vb)
            }
            _ => self == other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_parse_and_print_without_losing_precision() {
        let big: Number = "123456789012345678901234567890.5".parse().unwrap();
        assert_eq!(big.to_string(), "123456789012345678901234567890.5");
        assert_eq!(Number::from(42).to_i64(), Some(42));
        assert_eq!("42.0".parse::<Number>().unwrap(), Number::from(42));
        assert_eq!("1e3".parse::<Number>().unwrap().to_i64(), Some(1000));
        assert_eq!(Number::from_f64(0.1).unwrap().to_string(), "0.1");
        assert!("12abc".parse::<Number>().is_err());
        assert!(Number::from_f64(f64::NAN).is_none());
    }

    #[test]
    fn sets_compare_without_order() {
        let a = Value::Set(vec![Value::string("x"), Value::string("y")]);
        let b = Value::Set(vec![Value::string("y"), Value::string("x")]);
        assert!(a.semantically_equal(&b));
        assert!(!a.semantically_equal(&Value::Set(vec![Value::string("x")])));
    }
}

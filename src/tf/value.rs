//! Terraform's value model (go-cty's, in Rust): a [`Type`] says what shape a value may take, a [`Value`] is one
//! value of that shape. Values do not carry their type, except at `dynamic` positions, where the concrete type
//! travels with the value ([`Value::Dynamic`]), exactly as it does on the wire.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use bigdecimal::num_bigint::{BigInt, Sign};
use bigdecimal::num_traits::Zero;
use unicode_normalization::{IsNormalized, UnicodeNormalization};

/// A type constraint, as Terraform writes it in schemas (`"string"`, `["set","string"]`, ...). The order of types
/// is arbitrary but fixed; it only serves to order `dynamic` values of different types in a set.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

    /// A value of this object type with every attribute null (say, a configuration that sets nothing); `None` when
    /// this is not an object type.
    pub fn null_object(&self) -> Option<Value> {
        match self {
            Type::Object { attributes, .. } => Some(Value::Object(
                attributes.keys().map(|name| (name.clone(), Value::Null)).collect(),
            )),
            _ => None,
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
///
/// A finite number is a [`Decimal`], which is always kept normalised, so that equality, hashing and ordering work on
/// the digits and the exponent as they are and never expand a number to all its digits: `1e600000000` is as cheap
/// to compare, hash and print as `1`.
#[derive(Debug, Clone)]
pub enum Number {
    Finite(Decimal),
    PositiveInfinity,
    NegativeInfinity,
}

/// A finite decimal number `digits × 10^exponent`, normalised: the digits have no trailing zero (zero is `0 × 10^0`),
/// so every number has exactly one representation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal {
    digits: BigInt,
    exponent: i64,
}

/// The largest decimal exponent (either sign) of a number. go-cty holds numbers as `big.Float`s, whose binary
/// exponent is an `int32`: nothing beyond about 10^±646456992 exists in Terraform, so nothing beyond it can
/// arrive. Numbers up to this limit are held and compared without ever being expanded.
pub const MAX_DECIMAL_EXPONENT: i64 = 646_456_992;

/// The most significant digits a number may have. Terraform's numbers carry at most 512 bits of mantissa (about
/// 155 significant digits when printed as go-cty prints them), and the exact value of a float64 has at most 767;
/// this leaves room for both, while keeping the conversion of hostile digit strings (quadratic in their length)
/// cheap.
pub const MAX_SIGNIFICANT_DIGITS: usize = 4096;

/// Why text is not a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberTextError {
    /// Not decimal notation (or `Inf`).
    Invalid,
    /// Decimal notation, but beyond [`MAX_DECIMAL_EXPONENT`] or [`MAX_SIGNIFICANT_DIGITS`].
    OutOfRange,
}

impl Decimal {
    /// `digits × 10^exponent`, normalised.
    pub fn new(digits: BigInt, exponent: i64) -> Decimal {
        if digits.sign() == Sign::NoSign {
            return Decimal { digits, exponent: 0 };
        }
        let text = digits.magnitude().to_str_radix(10);
        let trailing = text.len() - text.trim_end_matches('0').len();
        if trailing == 0 {
            return Decimal { digits, exponent };
        }
        let divisor = BigInt::from(10u8).pow(trailing as u32);
        Decimal {
            digits: digits / divisor,
            exponent: exponent + trailing as i64,
        }
    }

    /// The significant digits (no trailing zero) and the exponent `e` such that the number is `digits × 10^e`.
    pub fn digits_and_exponent(&self) -> (&BigInt, i64) {
        (&self.digits, self.exponent)
    }

    fn is_zero(&self) -> bool {
        self.digits.sign() == Sign::NoSign
    }

    fn is_negative(&self) -> bool {
        self.digits.sign() == Sign::Minus
    }

    /// The decimal digits of the magnitude, without sign.
    fn magnitude_text(&self) -> String {
        self.digits.magnitude().to_str_radix(10)
    }

    /// The exact value of a finite float64: `mantissa × 2^power`, which is `mantissa × 5^-power × 10^power`.
    fn from_finite_f64(value: f64) -> Decimal {
        let bits = value.to_bits();
        let biased = ((bits >> 52) & 0x7ff) as i64;
        let fraction = bits & ((1u64 << 52) - 1);
        let (mantissa, power) = if biased == 0 {
            (fraction, -1074)
        } else {
            (fraction | (1u64 << 52), biased - 1075)
        };
        let mut digits = BigInt::from(mantissa);
        if value.is_sign_negative() {
            digits = -digits;
        }
        if power >= 0 {
            Decimal::new(digits << power as usize, 0)
        } else {
            Decimal::new(digits * BigInt::from(5u8).pow((-power) as u32), power)
        }
    }

    /// Decimal text: plain notation (`123`, `-0.5`) when that takes at most `plain_limit` characters, else
    /// exponent notation (`1.5e-9000`). Both are valid JSON numbers and both parse in Terraform.
    pub fn text(&self, plain_limit: usize) -> String {
        if self.is_zero() {
            return "0".to_string();
        }
        let significant = self.magnitude_text();
        let exponent = self.exponent;
        let count = significant.len() as i64;
        let mut text = String::new();
        if self.is_negative() {
            text.push('-');
        }
        let plain_length = if exponent >= 0 {
            count + exponent
        } else if -exponent < count {
            count + 1
        } else {
            -exponent + 2
        };
        if plain_length > plain_limit as i64 {
            let (first, rest) = significant.split_at(1);
            text.push_str(first);
            if !rest.is_empty() {
                text.push('.');
                text.push_str(rest);
            }
            text.push('e');
            text.push_str(&(count - 1 + exponent).to_string());
        } else if exponent >= 0 {
            text.push_str(&significant);
            text.extend(std::iter::repeat_n('0', exponent as usize));
        } else if -exponent < count {
            let (whole, fraction) = significant.split_at((count + exponent) as usize);
            text.push_str(whole);
            text.push('.');
            text.push_str(fraction);
        } else {
            text.push_str("0.");
            text.extend(std::iter::repeat_n('0', (-exponent - count) as usize));
            text.push_str(&significant);
        }
        text
    }

    /// Numeric order, without expanding either number: first the sign, then the position of the leading digit,
    /// then the digits themselves.
    fn numeric_cmp(&self, other: &Decimal) -> Ordering {
        let (sign, other_sign) = (self.digits.sign(), other.digits.sign());
        let sign_order = |s: Sign| match s {
            Sign::Minus => 0,
            Sign::NoSign => 1,
            Sign::Plus => 2,
        };
        match sign_order(sign).cmp(&sign_order(other_sign)) {
            Ordering::Equal if sign == Sign::NoSign => return Ordering::Equal,
            Ordering::Equal => {}
            unequal => return unequal,
        }
        let (digits, other_digits) = (self.magnitude_text(), other.magnitude_text());
        let leading = digits.len() as i64 + self.exponent;
        let other_leading = other_digits.len() as i64 + other.exponent;
        // Same leading position and no trailing zeros: the digit strings compare as the magnitudes do.
        let magnitude = leading.cmp(&other_leading).then_with(|| digits.cmp(&other_digits));
        if sign == Sign::Minus {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

impl Number {
    /// The number as an `i64`, if it is an integer in range.
    pub fn to_i64(&self) -> Option<i64> {
        let Number::Finite(decimal) = self else { return None };
        let (digits, exponent) = decimal.digits_and_exponent();
        match exponent {
            0 => i64::try_from(digits).ok(),
            // 10^19 exceeds i64::MAX: a larger exponent of non-zero digits cannot fit.
            1..=18 => i64::try_from(digits * BigInt::from(10u8).pow(exponent as u32)).ok(),
            _ => None,
        }
    }

    /// The nearest `f64` (lossy for numbers that need more precision; infinite beyond the range of `f64`).
    pub fn to_f64(&self) -> f64 {
        match self {
            // Exponent notation keeps the text short whatever the exponent; Rust's parser rounds correctly.
            Number::Finite(decimal) => decimal.text(0).parse().unwrap_or(f64::NAN),
            Number::PositiveInfinity => f64::INFINITY,
            Number::NegativeInfinity => f64::NEG_INFINITY,
        }
    }

    /// The exact value of a float64, as go-cty's `NumberFloatVal` takes it (0.1 is
    /// 0.1000000000000000055511151231257827021181583404541015625, not 0.1). `None` for NaN, which Terraform has no
    /// way to represent.
    pub fn from_f64(value: f64) -> Option<Number> {
        if value.is_nan() {
            None
        } else if value == f64::INFINITY {
            Some(Number::PositiveInfinity)
        } else if value == f64::NEG_INFINITY {
            Some(Number::NegativeInfinity)
        } else {
            Some(Number::Finite(Decimal::from_finite_f64(value)))
        }
    }

    pub fn is_integer(&self) -> bool {
        matches!(self, Number::Finite(decimal) if decimal.digits_and_exponent().1 >= 0)
    }

    /// Parses decimal notation (optional sign, digits with an optional fraction, optional exponent) of any length,
    /// and `+Inf` / `-Inf` / `Inf`. Leading and trailing zeros cost nothing: `1` followed by 4,096 zeros, as
    /// Terraform writes `1e4096`, is read as one digit and an exponent.
    pub fn parse(text: &str) -> Result<Number, NumberTextError> {
        match text {
            "Inf" | "+Inf" | "inf" | "+inf" => return Ok(Number::PositiveInfinity),
            "-Inf" | "-inf" => return Ok(Number::NegativeInfinity),
            _ => {}
        }
        let (negative, unsigned) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        let (mantissa, exponent_text) = match unsigned.find(['e', 'E']) {
            Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
            None => (unsigned, None),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
            return Err(NumberTextError::Invalid);
        }
        let written_exponent = match exponent_text {
            None => 0i64,
            Some(exponent) => {
                let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
                if digits.is_empty() || !all_digits(digits) {
                    return Err(NumberTextError::Invalid);
                }
                // Saturates: anything this large is out of range anyway.
                exponent.parse::<i64>().unwrap_or(if exponent.starts_with('-') {
                    i64::MIN / 2
                } else {
                    i64::MAX / 2
                })
            }
        };
        // The significant digits, without leading and trailing zeros, and the exponent of the last one.
        let digits = format!("{whole}{fraction}");
        let significant = digits.trim_start_matches('0');
        let trimmed = significant.trim_end_matches('0');
        if trimmed.is_empty() {
            return Ok(Number::Finite(Decimal::new(BigInt::zero(), 0)));
        }
        let trailing_zeros = (significant.len() - trimmed.len()) as i64;
        let exponent = written_exponent
            .saturating_sub(fraction.len() as i64)
            .saturating_add(trailing_zeros);
        let leading = exponent.saturating_add(trimmed.len() as i64 - 1);
        if trimmed.len() > MAX_SIGNIFICANT_DIGITS
            || !(-MAX_DECIMAL_EXPONENT..=MAX_DECIMAL_EXPONENT).contains(&leading)
            || !(-MAX_DECIMAL_EXPONENT - MAX_SIGNIFICANT_DIGITS as i64..=MAX_DECIMAL_EXPONENT).contains(&exponent)
        {
            return Err(NumberTextError::OutOfRange);
        }
        let magnitude = BigInt::from_str(trimmed).map_err(|_| NumberTextError::Invalid)?;
        let signed = if negative { -magnitude } else { magnitude };
        Ok(Number::Finite(Decimal {
            digits: signed,
            exponent,
        }))
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        match (self, other) {
            // Normalised: equal numbers have equal digits and exponents.
            (Number::Finite(a), Number::Finite(b)) => a == b,
            (Number::PositiveInfinity, Number::PositiveInfinity)
            | (Number::NegativeInfinity, Number::NegativeInfinity) => true,
            _ => false,
        }
    }
}

impl Eq for Number {}

impl Hash for Number {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        if let Number::Finite(decimal) = self {
            let (digits, exponent) = decimal.digits_and_exponent();
            digits.hash(state);
            exponent.hash(state);
        }
    }
}

impl Ord for Number {
    /// Numeric order, −∞ first and +∞ last.
    fn cmp(&self, other: &Number) -> Ordering {
        match (self, other) {
            (Number::Finite(a), Number::Finite(b)) => a.numeric_cmp(b),
            (Number::NegativeInfinity, Number::NegativeInfinity)
            | (Number::PositiveInfinity, Number::PositiveInfinity) => Ordering::Equal,
            (Number::NegativeInfinity, _) | (_, Number::PositiveInfinity) => Ordering::Less,
            (Number::PositiveInfinity, _) | (_, Number::NegativeInfinity) => Ordering::Greater,
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl From<i64> for Number {
    fn from(value: i64) -> Number {
        Number::Finite(Decimal::new(BigInt::from(value), 0))
    }
}

impl FromStr for Number {
    type Err = String;

    /// [`Number::parse`], with the error as text.
    fn from_str(text: &str) -> Result<Number, String> {
        Number::parse(text).map_err(|error| match error {
            NumberTextError::Invalid => "is not a number".to_string(),
            NumberTextError::OutOfRange => "is too large or too small to be supported".to_string(),
        })
    }
}

/// Numbers longer than this print in exponent notation, so that a message quoting `1e4096` stays readable.
const DISPLAY_PLAIN_LIMIT: usize = 100;

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Finite(decimal) => f.write_str(&decimal.text(DISPLAY_PLAIN_LIMIT)),
            Number::PositiveInfinity => f.write_str("+Inf"),
            Number::NegativeInfinity => f.write_str("-Inf"),
        }
    }
}

/// A string as go-cty holds it: in Unicode normalisation form C (go-cty's `NormalizeString`, applied to every string
/// value it makes). Text that is already NFC, which includes all ASCII, is returned as it is, without copying.
pub fn normalize_string(text: &str) -> Cow<'_, str> {
    if unicode_normalization::is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// What Terraform knows about a value it does not know yet (msgpack ext 12). All fields are optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    /// Attribute `name` of an object; `None` where it is absent or this is no object. [`get`] answers null there.
    pub fn attribute(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Object(attributes) => attributes.get(name),
            _ => None,
        }
    }

    /// Equality that treats sets as sets (recursively): unordered, and without regard to repeated elements. Use
    /// it, not `==`, to compare plans and states. Unknowns equal unknowns with the same refinements. Takes
    /// O(n log n) for a set of n elements (a set decoded from Terraform is already in order: O(n)).
    pub fn semantically_equal(&self, other: &Value) -> bool {
        self.canonical_cmp(other) == Ordering::Equal
    }

    /// A total order of values that is consistent with [`Value::semantically_equal`], used to put sets in
    /// canonical order. For sets of primitives it is go-cty's order of set elements: strings by their bytes,
    /// numbers numerically, `false` before `true`, then unknowns, then null. Other orders are arbitrary but fixed.
    pub fn canonical_cmp(&self, other: &Value) -> Ordering {
        match (self, other) {
            (Value::String(a), Value::String(b)) => a.cmp(b),
            (Value::Number(a), Value::Number(b)) => a.cmp(b),
            (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
            (Value::List(a), Value::List(b)) | (Value::Tuple(a), Value::Tuple(b)) => elements_cmp(a, b),
            (Value::Set(a), Value::Set(b)) => elements_cmp(&canonical_elements(a), &canonical_elements(b)),
            (Value::Map(a), Value::Map(b)) | (Value::Object(a), Value::Object(b)) => {
                let mut pairs = a.iter().zip(b);
                pairs
                    .find_map(|((ka, va), (kb, vb))| {
                        let order = ka.cmp(kb).then_with(|| va.canonical_cmp(vb));
                        (order != Ordering::Equal).then_some(order)
                    })
                    .unwrap_or_else(|| a.len().cmp(&b.len()))
            }
            (Value::Dynamic { ty: ta, value: va }, Value::Dynamic { ty: tb, value: vb }) => {
                ta.cmp(tb).then_with(|| va.canonical_cmp(vb))
            }
            (Value::Unknown(a), Value::Unknown(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }

    /// Where each kind of value sorts against the others: known values first, then unknowns, then null (go-cty).
    fn rank(&self) -> u8 {
        match self {
            Value::String(_) => 0,
            Value::Number(_) => 1,
            Value::Bool(_) => 2,
            Value::List(_) => 3,
            Value::Set(_) => 4,
            Value::Map(_) => 5,
            Value::Object(_) => 6,
            Value::Tuple(_) => 7,
            Value::Dynamic { .. } => 8,
            Value::Unknown(_) => 9,
            Value::Null => 10,
        }
    }

    /// A set value as go-cty holds one: elements in canonical order, and each known element once. Unknown
    /// elements (and elements with unknowns inside) are all kept, since go-cty cannot tell whether they are equal.
    pub fn set_of(mut elements: Vec<Value>) -> Value {
        canonicalize_set(&mut elements);
        Value::Set(elements)
    }
}

/// A value for debug output with nothing of its content: its shape, object attribute names, and how many elements
/// collections hold. Values carry secrets (a client secret in state, an external ID in configuration), so debug
/// output of types that hold values goes through this (see [`Value::redacted`]).
pub struct Redacted<'a>(&'a Value);

impl Value {
    /// This value for debug output, with every string, number and bool left out (see [`Redacted`]).
    pub fn redacted(&self) -> Redacted<'_> {
        Redacted(self)
    }
}

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Value::Null => f.write_str("null"),
            Value::Unknown(_) => f.write_str("unknown"),
            Value::String(_) => f.write_str("<string>"),
            Value::Number(_) => f.write_str("<number>"),
            Value::Bool(_) => f.write_str("<bool>"),
            Value::List(items) => write!(f, "list of {}", items.len()),
            Value::Set(items) => write!(f, "set of {}", items.len()),
            Value::Tuple(items) => write!(f, "tuple of {}", items.len()),
            Value::Map(entries) => write!(f, "map of {}", entries.len()),
            Value::Object(attributes) => f
                .debug_map()
                .entries(attributes.iter().map(|(name, value)| (name, value.redacted())))
                .finish(),
            Value::Dynamic { value, .. } => value.redacted().fmt(f),
        }
    }
}

fn elements_cmp<V: std::borrow::Borrow<Value>>(a: &[V], b: &[V]) -> Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.borrow().canonical_cmp(y.borrow()))
        .find(|order| *order != Ordering::Equal)
        .unwrap_or_else(|| a.len().cmp(&b.len()))
}

/// Two elements that one set holds only once: equal, and known all the way down.
fn same_set_element(a: &Value, b: &Value) -> bool {
    a.canonical_cmp(b) == Ordering::Equal && a.is_wholly_known()
}

/// The elements of a set in canonical order, each known element once; no sorting when they are in order already.
pub(crate) fn canonical_elements(items: &[Value]) -> Vec<&Value> {
    let mut elements: Vec<&Value> = items.iter().collect();
    if !items.is_sorted_by(|a, b| a.canonical_cmp(b) != Ordering::Greater) {
        elements.sort_unstable_by(|a, b| a.canonical_cmp(b));
    }
    elements.dedup_by(|later, earlier| same_set_element(earlier, later));
    elements
}

/// Sorts set elements in place into canonical order and drops repeated known elements (see [`Value::set_of`]).
pub(crate) fn canonicalize_set(elements: &mut Vec<Value>) {
    if !elements.is_sorted_by(|a, b| a.canonical_cmp(b) != Ordering::Greater) {
        elements.sort_unstable_by(|a, b| a.canonical_cmp(b));
    }
    elements.dedup_by(|later, earlier| same_set_element(earlier, later));
}

/// Attribute `name` of `object`, null where it is absent or `object` is no object (a null or unknown block, say).
pub fn get<'a>(object: &'a Value, name: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    object.attribute(name).unwrap_or(&NULL)
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
        assert!("12abc".parse::<Number>().is_err());
        assert!(Number::from_f64(f64::NAN).is_none());
    }

    #[test]
    fn floats_are_taken_at_their_exact_value() {
        let tenth = Number::from_f64(0.1).unwrap();
        assert_eq!(
            tenth.to_string(),
            "0.1000000000000000055511151231257827021181583404541015625"
        );
        assert_ne!(tenth, "0.1".parse().unwrap());
        assert_eq!(tenth.to_f64(), 0.1);
        assert_eq!(Number::from_f64(-2.5).unwrap(), "-2.5".parse().unwrap());
        assert_eq!(Number::from_f64(1e22).unwrap(), "1e22".parse().unwrap());
        let smallest = Number::from_f64(f64::from_bits(1)).unwrap();
        assert_eq!(smallest.to_f64(), f64::from_bits(1));
        assert_eq!(Number::from_f64(-0.0).unwrap(), Number::from(0));
    }

    #[test]
    fn numbers_of_any_length_parse_as_terraform_writes_them() {
        // `1e4096` as Terraform sends it: plain notation, 4,097 characters.
        let plain = format!("1{}", "0".repeat(4096));
        let number: Number = plain.parse().unwrap();
        assert_eq!(number, "1e4096".parse().unwrap());
        assert_eq!(number.to_string(), "1e4096");
        assert_eq!(number.to_i64(), None);
        assert!(number.is_integer());
        assert_eq!(number.to_f64(), f64::INFINITY);
        let tiny: Number = format!("-0.{}25", "0".repeat(100_000)).parse().unwrap();
        assert_eq!(tiny, "-25e-100002".parse().unwrap());
        assert!(!tiny.is_integer());
        assert_eq!(tiny.to_f64(), -0.0);
        for invalid in ["", "-", ".", "1e", "1e+", "1.2.3", "0x10", "1_000", " 1", "e5", "NaN"] {
            assert_eq!(
                Number::parse(invalid).unwrap_err(),
                NumberTextError::Invalid,
                "{invalid:?}"
            );
        }
        for huge in ["1e646456993", "1e-646456993", "1e99999999999999999999999"] {
            assert_eq!(Number::parse(huge).unwrap_err(), NumberTextError::OutOfRange, "{huge}");
        }
        let many_digits = "7".repeat(MAX_SIGNIFICANT_DIGITS + 1);
        assert_eq!(Number::parse(&many_digits).unwrap_err(), NumberTextError::OutOfRange);
        assert!(Number::parse(&format!("{many_digits}e-1")[1..]).is_ok());
    }

    #[test]
    fn huge_exponents_compare_hash_and_print_without_expanding() {
        use std::collections::HashSet;
        let largest: Number = "9e646456992".parse().unwrap();
        let smallest: Number = "-1e-646456992".parse().unwrap();
        assert!(largest > Number::from(i64::MAX));
        assert!(smallest < Number::from(0) && smallest > Number::from(-1));
        assert!(Number::PositiveInfinity > largest && Number::NegativeInfinity < smallest);
        assert_eq!(largest.to_string(), "9e646456992");
        let set: HashSet<Number> = [largest.clone(), largest.clone(), smallest].into_iter().collect();
        assert_eq!(set.len(), 2);
    }

    #[test]
    fn numbers_order_numerically() {
        let sorted = [
            "-Inf", "-100", "-99.5", "-1", "0", "0.001", "0.01", "1", "1.5", "10", "1e30", "+Inf",
        ];
        let numbers: Vec<Number> = sorted.iter().map(|text| text.parse().unwrap()).collect();
        for pair in numbers.windows(2) {
            assert!(pair[0] < pair[1], "{} < {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn sets_compare_without_order() {
        let a = Value::Set(vec![Value::string("x"), Value::string("y")]);
        let b = Value::Set(vec![Value::string("y"), Value::string("x")]);
        assert!(a.semantically_equal(&b));
        assert!(!a.semantically_equal(&Value::Set(vec![Value::string("x")])));
    }

    #[test]
    fn sets_compare_as_sets_in_n_log_n() {
        let count = 30_000;
        let forward: Vec<Value> = (0..count).map(|i| Value::string(format!("custom:a{i}"))).collect();
        let backward: Vec<Value> = forward.iter().rev().cloned().collect();
        // Quadratic comparison takes 900 million string comparisons here; sorting takes under a million.
        assert!(Value::Set(forward.clone()).semantically_equal(&Value::Set(backward.clone())));
        let mut differing = backward;
        differing[0] = Value::string("custom:other");
        assert!(!Value::Set(forward).semantically_equal(&Value::Set(differing)));
        // Repeated elements are one element.
        let twice = Value::Set(vec![Value::string("x"), Value::string("x"), Value::string("y")]);
        assert!(twice.semantically_equal(&Value::Set(vec![Value::string("y"), Value::string("x")])));
        // Sets of sets.
        let nested = |sets: &[&[&str]]| {
            Value::Set(
                sets.iter()
                    .map(|set| Value::Set(set.iter().map(|s| Value::string(*s)).collect()))
                    .collect(),
            )
        };
        assert!(nested(&[&["a", "b"], &["c"]]).semantically_equal(&nested(&[&["c"], &["b", "a"]])));
        assert!(!nested(&[&["a", "b"], &["c"]]).semantically_equal(&nested(&[&["c"], &["b"]])));
    }

    #[test]
    fn sets_take_go_cty_order_and_keep_unknown_elements_apart() {
        let set = Value::set_of(vec![
            Value::Null,
            Value::unknown(),
            Value::string("b"),
            Value::unknown(),
            Value::string("a"),
            Value::string("b"),
            Value::Null,
        ]);
        let expected = Value::Set(vec![
            Value::string("a"),
            Value::string("b"),
            Value::unknown(),
            Value::unknown(),
            Value::Null,
        ]);
        assert_eq!(set, expected);
        let numbers = Value::set_of(
            ["10", "9", "-1", "1e3", "9.0"]
                .map(|n| Value::Number(n.parse().unwrap()))
                .to_vec(),
        );
        assert_eq!(
            numbers,
            Value::Set(
                ["-1", "9", "10", "1000"]
                    .map(|n| Value::Number(n.parse().unwrap()))
                    .to_vec()
            )
        );
        // An object with an unknown attribute may or may not equal its twin: both stay, as in go-cty.
        let partly_known = Value::Object(BTreeMap::from([("a".to_string(), Value::unknown())]));
        let set = Value::set_of(vec![partly_known.clone(), partly_known]);
        assert_eq!(set.as_elements().map(<[Value]>::len), Some(2));
    }

    #[test]
    fn redacted_debug_output_shows_the_shape_and_no_content() {
        let value = Value::Object(BTreeMap::from([
            ("client_secret".to_string(), Value::string("s3cr3t-value")),
            ("validity".to_string(), Value::int(987_654)),
            (
                "urls".to_string(),
                Value::Set(vec![Value::string("https://s3cr3t.example")]),
            ),
            (
                "tags".to_string(),
                Value::Map(BTreeMap::from([("s3cr3t-key".to_string(), Value::Null)])),
            ),
        ]));
        let printed = format!("{:?}", value.redacted());
        assert!(!printed.contains("s3cr3t") && !printed.contains("987654"), "{printed}");
        assert!(
            printed.contains("client_secret") && printed.contains("set of 1"),
            "{printed}"
        );
    }
}

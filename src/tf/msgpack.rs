//! msgpack `DynamicValue`s, both ways, in go-cty's format (`zclconf/go-cty:cty/msgpack`): every value is encoded
//! against a type, nulls are `nil` at any type, unknowns are msgpack extensions (ext 12 carrying refinements),
//! objects are maps holding every attribute of their type, and `dynamic` values travel as `[type JSON, value]`.
//!
//! The decoder reads input that arrives over the wire, so it is written to fail cleanly on anything: it never
//! panics, never recurses deeper than [`MAX_DEPTH`], and never reserves memory for a length the input cannot back.
//! Which of go-cty's rules it follows (NFC strings, deduplicated sets in go-cty's order, exact numbers) is in
//! `docs/dev/values-and-codecs.md`.

use std::collections::BTreeMap;
use std::convert::Infallible;

use rmp::Marker;
use rmp::encode::{ByteBuf, ValueWriteError};

use super::codec_error::{CodecError, PathStep, Problem, WithinStep, describe_type, describe_value};
use super::codec_number::{WireNumber, number_from_float, number_from_unsigned, parse_number, wire_form};
pub use super::codec_type::MAX_DEPTH;
use super::codec_type::{check_attributes_match, type_from_json, type_to_json};
use super::value::{Number, Refinements, Type, Value, canonical_elements, canonicalize_set, normalize_string};

/// Extension type of an unknown value that carries refinements.
const REFINED_UNKNOWN_EXT: i8 = 0x0c;

/// Terraform rejects refinement payloads larger than this (`oversize unknown value refinement`).
const MAX_REFINEMENTS_LEN: u32 = 1024;

/// go-cty truncates string-prefix refinements longer than this, so that the payload stays under the limit.
const MAX_PREFIX_LEN: usize = 256;

/// Keys of the refinement map (go-cty `cty/msgpack/unknown.go`).
const REFINE_NULLNESS: i64 = 1;
const REFINE_STRING_PREFIX: i64 = 2;
const REFINE_NUMBER_LOWER: i64 = 3;
const REFINE_NUMBER_UPPER: i64 = 4;
const REFINE_LENGTH_LOWER: i64 = 5;
const REFINE_LENGTH_UPPER: i64 = 6;

/// Decodes one value of type `ty`. The whole input must be that one value.
///
/// An empty `DynamicValue` field means null to Terraform; that is the caller's case to handle; empty input here
/// is an error.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, CodecError> {
    let mut reader = Reader::new(bytes);
    let value = decode_value(&mut reader, ty, 0)?;
    if !reader.rest.is_empty() {
        return Err(Problem::TrailingBytes(reader.rest.len()).into());
    }
    Ok(value)
}

/// Encodes `value` as type `ty`. The value must conform to the type: objects carry every attribute of their type
/// (a missing one is an error, never a silently incomplete object), and known values at `dynamic` positions are
/// [`Value::Dynamic`].
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, CodecError> {
    let mut out = ByteBuf::with_capacity(1024);
    encode_value(&mut out, value, ty, 0)?;
    Ok(out.into_vec())
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

/// A cursor over the input. Every read checks the remaining length first.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { rest: bytes }
    }

    fn take(&mut self, count: usize) -> Result<&'a [u8], CodecError> {
        if count > self.rest.len() {
            return Err(Problem::Truncated.into());
        }
        let (taken, rest) = self.rest.split_at(count);
        self.rest = rest;
        Ok(taken)
    }

    fn peek_marker(&self) -> Result<Marker, CodecError> {
        self.rest
            .first()
            .map(|byte| Marker::from_u8(*byte))
            .ok_or_else(|| Problem::Truncated.into())
    }

    fn marker(&mut self) -> Result<Marker, CodecError> {
        let marker = self.peek_marker()?;
        self.rest = &self.rest[1..];
        Ok(marker)
    }

    fn bytes<const N: usize>(&mut self) -> Result<[u8; N], CodecError> {
        let mut array = [0u8; N];
        array.copy_from_slice(self.take(N)?);
        Ok(array)
    }

    fn u8(&mut self) -> Result<u8, CodecError> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, CodecError> {
        self.bytes().map(u16::from_be_bytes)
    }

    fn u32(&mut self) -> Result<u32, CodecError> {
        self.bytes().map(u32::from_be_bytes)
    }

    /// A collection length, checked against what the rest of the input could possibly hold, given that every
    /// element takes at least `bytes_per_element` bytes. This is what keeps a forged length from reserving memory.
    fn plausible_length(&self, length: u32, bytes_per_element: usize) -> Result<usize, CodecError> {
        let length = length as usize;
        match length.checked_mul(bytes_per_element) {
            Some(needed) if needed <= self.rest.len() => Ok(length),
            _ => Err(Problem::ImplausibleLength(length as u64).into()),
        }
    }

    /// The payload of a str or bin (go-cty's decoder accepts either wherever it reads a string).
    fn string_payload(&mut self, marker: Marker) -> Result<Option<&'a [u8]>, CodecError> {
        let length = match marker {
            Marker::FixStr(length) => length as usize,
            Marker::Str8 | Marker::Bin8 => self.u8()? as usize,
            Marker::Str16 | Marker::Bin16 => self.u16()? as usize,
            Marker::Str32 | Marker::Bin32 => self.u32()? as usize,
            _ => return Ok(None),
        };
        self.take(length).map(Some)
    }

    fn text(&mut self, marker: Marker) -> Result<Option<&'a str>, CodecError> {
        match self.string_payload(marker)? {
            Some(payload) => std::str::from_utf8(payload)
                .map(Some)
                .map_err(|_| Problem::InvalidUtf8.into()),
            None => Ok(None),
        }
    }

    fn array_length(&mut self, marker: Marker) -> Result<Option<usize>, CodecError> {
        let length = match marker {
            Marker::FixArray(length) => length as u32,
            Marker::Array16 => self.u16()? as u32,
            Marker::Array32 => self.u32()?,
            _ => return Ok(None),
        };
        self.plausible_length(length, 1).map(Some)
    }

    fn map_length(&mut self, marker: Marker) -> Result<Option<usize>, CodecError> {
        let length = match marker {
            Marker::FixMap(length) => length as u32,
            Marker::Map16 => self.u16()? as u32,
            Marker::Map32 => self.u32()?,
            _ => return Ok(None),
        };
        self.plausible_length(length, 2).map(Some)
    }

    /// An integer of any msgpack width (`i128` holds both `i64` and `u64`), or `None` (nothing consumed) when the
    /// marker is not an integer.
    fn integer(&mut self, marker: Marker) -> Result<Option<i128>, CodecError> {
        let integer = match marker {
            Marker::FixPos(value) => value as i128,
            Marker::FixNeg(value) => value as i128,
            Marker::U8 => self.u8()? as i128,
            Marker::U16 => self.u16()? as i128,
            Marker::U32 => self.u32()? as i128,
            Marker::U64 => u64::from_be_bytes(self.bytes()?) as i128,
            Marker::I8 => self.u8()? as i8 as i128,
            Marker::I16 => i16::from_be_bytes(self.bytes()?) as i128,
            Marker::I32 => i32::from_be_bytes(self.bytes()?) as i128,
            Marker::I64 => i64::from_be_bytes(self.bytes()?) as i128,
            _ => return Ok(None),
        };
        Ok(Some(integer))
    }

    /// The header of an extension: its type and payload length.
    fn extension_header(&mut self, marker: Marker) -> Result<Option<(i8, u32)>, CodecError> {
        let length = match marker {
            Marker::FixExt1 => 1,
            Marker::FixExt2 => 2,
            Marker::FixExt4 => 4,
            Marker::FixExt8 => 8,
            Marker::FixExt16 => 16,
            Marker::Ext8 => self.u8()? as u32,
            Marker::Ext16 => self.u16()? as u32,
            Marker::Ext32 => self.u32()?,
            _ => return Ok(None),
        };
        let ext_type = self.u8()? as i8;
        Ok(Some((ext_type, length)))
    }
}

/// What a marker introduces, for "expected X, got Y" messages.
fn describe_marker(marker: Marker) -> &'static str {
    match marker {
        Marker::FixPos(_)
        | Marker::FixNeg(_)
        | Marker::U8
        | Marker::U16
        | Marker::U32
        | Marker::U64
        | Marker::I8
        | Marker::I16
        | Marker::I32
        | Marker::I64 => "integer",
        Marker::F32 | Marker::F64 => "float",
        Marker::FixStr(_) | Marker::Str8 | Marker::Str16 | Marker::Str32 => "string",
        Marker::Bin8 | Marker::Bin16 | Marker::Bin32 => "binary",
        Marker::FixArray(_) | Marker::Array16 | Marker::Array32 => "array",
        Marker::FixMap(_) | Marker::Map16 | Marker::Map32 => "map",
        Marker::True | Marker::False => "bool",
        Marker::Null => "nil",
        Marker::Reserved => "reserved marker 0xc1",
        Marker::FixExt1
        | Marker::FixExt2
        | Marker::FixExt4
        | Marker::FixExt8
        | Marker::FixExt16
        | Marker::Ext8
        | Marker::Ext16
        | Marker::Ext32 => "extension",
    }
}

fn expected(expected: &'static str, marker: Marker) -> CodecError {
    if marker == Marker::Reserved {
        return Problem::ReservedMarker.into();
    }
    Problem::Expected {
        expected,
        found: describe_marker(marker),
    }
    .into()
}

fn decode_value(reader: &mut Reader, ty: &Type, depth: usize) -> Result<Value, CodecError> {
    if depth > MAX_DEPTH {
        return Err(Problem::TooDeep(MAX_DEPTH).into());
    }
    let marker = reader.marker()?;
    // Unknowns first: any extension is an unknown, at any type (dynamic included).
    if let Some((ext_type, length)) = reader.extension_header(marker)? {
        return decode_unknown(reader, ty, ext_type, length);
    }
    if marker == Marker::Null {
        return Ok(Value::Null);
    }
    match ty {
        Type::Dynamic => decode_dynamic(reader, marker, depth),
        Type::String => match reader.text(marker)? {
            Some(text) => Ok(Value::String(normalize_string(text).into_owned())),
            None => Err(expected("string", marker)),
        },
        Type::Number => decode_number(reader, marker).map(Value::Number),
        Type::Bool => match marker {
            Marker::True => Ok(Value::Bool(true)),
            Marker::False => Ok(Value::Bool(false)),
            _ => Err(expected("bool", marker)),
        },
        Type::List(element) => decode_elements(reader, marker, element, depth, "list").map(Value::List),
        Type::Set(element) => decode_set(reader, marker, element, depth),
        Type::Map(element) => decode_map(reader, marker, element, depth),
        Type::Object { attributes, .. } => decode_object(reader, marker, attributes, depth),
        Type::Tuple(elements) => decode_tuple(reader, marker, elements, depth),
    }
}

fn decode_number(reader: &mut Reader, marker: Marker) -> Result<Number, CodecError> {
    if let Some(integer) = reader.integer(marker)? {
        return Ok(match i64::try_from(integer) {
            Ok(signed) => Number::from(signed),
            // Only a uint64 above i64::MAX gets here.
            Err(_) => number_from_unsigned(integer as u64),
        });
    }
    match marker {
        Marker::F32 => number_from_float(f32::from_be_bytes(reader.bytes()?) as f64).map_err(Into::into),
        Marker::F64 => number_from_float(f64::from_be_bytes(reader.bytes()?)).map_err(Into::into),
        _ => match reader.text(marker)? {
            Some(text) => parse_number(text).map_err(Into::into),
            None => Err(expected("number", marker)),
        },
    }
}

/// The most elements a collection reserves room for before they are decoded: a length from the wire is only a
/// claim, so anything beyond this grows as elements actually arrive. (A forged length of two million elements once
/// reserved 320 MB up front.)
const MAX_RESERVED_ELEMENTS: usize = 64 * 1024 / std::mem::size_of::<Value>();

fn decode_elements(
    reader: &mut Reader,
    marker: Marker,
    element: &Type,
    depth: usize,
    kind: &'static str,
) -> Result<Vec<Value>, CodecError> {
    let Some(length) = reader.array_length(marker)? else {
        return Err(expected(kind, marker));
    };
    let mut items = Vec::with_capacity(length.min(MAX_RESERVED_ELEMENTS));
    for index in 0..length {
        items.push(decode_value(reader, element, depth + 1).within(|| PathStep::Index(index))?);
    }
    Ok(items)
}

/// A set, as go-cty makes one: its elements in canonical order and each known element once. Repeated elements are
/// dropped as they arrive (whenever the buffer is full), so a set of a million copies of one value takes the
/// memory of one.
fn decode_set(reader: &mut Reader, marker: Marker, element: &Type, depth: usize) -> Result<Value, CodecError> {
    let Some(length) = reader.array_length(marker)? else {
        return Err(expected("set", marker));
    };
    let mut items = Vec::with_capacity(length.min(MAX_RESERVED_ELEMENTS));
    for index in 0..length {
        if items.len() == items.capacity() && items.len() >= MAX_RESERVED_ELEMENTS {
            // Compacting before each doubling keeps the total work at O(n log n).
            canonicalize_set(&mut items);
        }
        items.push(decode_value(reader, element, depth + 1).within(|| PathStep::Index(index))?);
    }
    canonicalize_set(&mut items);
    Ok(Value::Set(items))
}

fn decode_tuple(reader: &mut Reader, marker: Marker, elements: &[Type], depth: usize) -> Result<Value, CodecError> {
    let Some(length) = reader.array_length(marker)? else {
        return Err(expected("tuple", marker));
    };
    if length != elements.len() {
        return Err(Problem::TupleLength {
            expected: elements.len(),
            found: length,
        }
        .into());
    }
    let mut items = Vec::with_capacity(length);
    for (index, element) in elements.iter().enumerate() {
        items.push(decode_value(reader, element, depth + 1).within(|| PathStep::Index(index))?);
    }
    Ok(Value::Tuple(items))
}

fn read_key<'a>(reader: &mut Reader<'a>) -> Result<&'a str, CodecError> {
    let marker = reader.marker()?;
    reader.text(marker)?.ok_or_else(|| expected("string key", marker))
}

fn decode_map(reader: &mut Reader, marker: Marker, element: &Type, depth: usize) -> Result<Value, CodecError> {
    let Some(length) = reader.map_length(marker)? else {
        return Err(expected("map", marker));
    };
    let mut entries = BTreeMap::new();
    for _ in 0..length {
        // Map keys are strings, NFC-normalised as go-cty's `MapVal` does; two keys that normalise alike collide.
        let key = normalize_string(read_key(reader)?).into_owned();
        if entries.contains_key(&key) {
            return Err(Problem::DuplicateKey(key).into());
        }
        let value = decode_value(reader, element, depth + 1).within(|| PathStep::Key(key.clone()))?;
        entries.insert(key, value);
    }
    Ok(Value::Map(entries))
}

fn decode_object(
    reader: &mut Reader,
    marker: Marker,
    attribute_types: &BTreeMap<String, Type>,
    depth: usize,
) -> Result<Value, CodecError> {
    let Some(length) = reader.map_length(marker)? else {
        return Err(expected("object", marker));
    };
    // Terraform writes attributes sorted, the order of the type's map: walk both in step and look a name up only
    // when the input strays from that order.
    let mut next_in_order = attribute_types.iter().peekable();
    let mut in_order = true;
    let mut attributes = Vec::with_capacity(length.min(attribute_types.len()));
    for _ in 0..length {
        let name = read_key(reader)?;
        let attribute_type = match next_in_order.peek() {
            Some((expected_name, attribute_type)) if expected_name.as_str() == name => {
                let attribute_type = *attribute_type;
                next_in_order.next();
                attribute_type
            }
            _ => {
                in_order = false;
                attribute_types
                    .get(name)
                    .ok_or_else(|| Problem::UnsupportedAttribute(name.to_owned()))?
            }
        };
        let value = decode_value(reader, attribute_type, depth + 1).within(|| PathStep::Attribute(name.to_owned()))?;
        attributes.push((name.to_owned(), value));
    }
    if in_order && attributes.len() == attribute_types.len() {
        // Every attribute exactly once, already sorted.
        return Ok(Value::Object(attributes.into_iter().collect()));
    }
    let mut by_name = BTreeMap::new();
    for (name, value) in attributes {
        if by_name.contains_key(&name) {
            return Err(Problem::DuplicateKey(name).into());
        }
        by_name.insert(name, value);
    }
    if let Some(missing) = attribute_types.keys().find(|name| !by_name.contains_key(*name)) {
        return Err(Problem::MissingAttribute(missing.clone()).into());
    }
    Ok(Value::Object(by_name))
}

/// `[bin(type JSON), value]`: the concrete type travels with the value.
fn decode_dynamic(reader: &mut Reader, marker: Marker, depth: usize) -> Result<Value, CodecError> {
    match reader.array_length(marker)? {
        Some(2) => {}
        Some(_) => return Err(Problem::InvalidDynamic("the array must have exactly two elements".to_string()).into()),
        None => return Err(expected("dynamic value array [type, value]", marker)),
    }
    let type_marker = reader.marker()?;
    let Some(type_json) = reader.string_payload(type_marker)? else {
        return Err(expected("type JSON (bin)", type_marker));
    };
    let ty = type_from_json(type_json)?;
    let value = decode_value(reader, &ty, depth + 1)?;
    Ok(Value::Dynamic {
        ty,
        value: Box::new(value),
    })
}

/// Any extension is an unknown. A payload of at most one byte means no refinements; a longer one must be ext 12
/// holding a refinement map (go-cty `unmarshalUnknownValue`).
fn decode_unknown(reader: &mut Reader, ty: &Type, ext_type: i8, length: u32) -> Result<Value, CodecError> {
    if length <= 1 {
        reader.take(length as usize)?;
        return Ok(Value::unknown());
    }
    if ext_type != REFINED_UNKNOWN_EXT {
        return Err(Problem::UnsupportedExtension { ext_type, length }.into());
    }
    if length > MAX_REFINEMENTS_LEN {
        return Err(Problem::OversizeRefinements(length).into());
    }
    let payload = reader.take(length as usize)?;
    decode_refinements(payload, ty)
}

fn invalid_refinement(reason: &'static str) -> CodecError {
    Problem::InvalidRefinement(reason).into()
}

/// The refinement map of an ext 12 payload. Unknown keys are skipped (room for future refinements) and bytes
/// after the map are ignored, both as go-cty does. A refinement that says "definitely null" makes the value a
/// known null, again as go-cty does.
fn decode_refinements(payload: &[u8], ty: &Type) -> Result<Value, CodecError> {
    let mut reader = Reader::new(payload);
    let marker = reader.marker()?;
    if marker == Marker::Null {
        return Ok(Value::unknown());
    }
    let Some(entries) = reader.map_length(marker)? else {
        return Err(invalid_refinement("the payload is not a map"));
    };
    if *ty == Type::Dynamic {
        // go-cty ignores refinements of unknowns of unknown type.
        return Ok(Value::unknown());
    }
    let mut refinements = Refinements::default();
    let mut definitely_null = false;
    for _ in 0..entries {
        let key_marker = reader.marker()?;
        let Some(key) = reader.integer(key_marker)? else {
            return Err(invalid_refinement("a key is not an integer"));
        };
        let key = i64::try_from(key).unwrap_or(i64::MAX);
        let value_marker = reader.marker()?;
        match key {
            REFINE_NULLNESS => match value_marker {
                Marker::True => definitely_null = true,
                Marker::False => refinements.not_null = Some(true),
                _ => return Err(invalid_refinement("the null refinement is not a bool")),
            },
            REFINE_STRING_PREFIX => {
                if *ty != Type::String {
                    return Err(invalid_refinement("string prefix refinement for a non-string type"));
                }
                let Some(prefix) = reader.text(value_marker)? else {
                    return Err(invalid_refinement("the string prefix refinement is not a string"));
                };
                // An empty prefix says nothing; go-cty never sends one.
                refinements.string_prefix = (!prefix.is_empty()).then(|| normalize_string(prefix).into_owned());
            }
            REFINE_NUMBER_LOWER | REFINE_NUMBER_UPPER => {
                if *ty != Type::Number {
                    return Err(invalid_refinement("number bound refinement for a non-number type"));
                }
                let (bound, inclusive) = decode_number_bound(&mut reader, value_marker)?;
                if key == REFINE_NUMBER_LOWER {
                    refinements.number_lower = (bound != Number::NegativeInfinity).then_some((bound, inclusive));
                } else {
                    refinements.number_upper = (bound != Number::PositiveInfinity).then_some((bound, inclusive));
                }
            }
            REFINE_LENGTH_LOWER | REFINE_LENGTH_UPPER => {
                if !matches!(ty, Type::List(_) | Type::Set(_) | Type::Map(_)) {
                    return Err(invalid_refinement("length bound refinement for a non-collection type"));
                }
                let bound = match reader.integer(value_marker)?.map(i64::try_from) {
                    Some(Ok(bound)) if bound >= 0 => bound,
                    _ => return Err(invalid_refinement("a length bound is not a non-negative integer")),
                };
                if key == REFINE_LENGTH_LOWER {
                    refinements.length_lower = (bound != 0).then_some(bound);
                } else {
                    refinements.length_upper = (bound != i64::MAX).then_some(bound);
                }
            }
            _ => skip_value(&mut reader, value_marker, 0)?,
        }
    }
    if definitely_null {
        return Ok(Value::Null);
    }
    check_satisfiable(&refinements)?;
    Ok(Value::Unknown(refinements))
}

/// Bounds that no value can meet: go-cty refuses to build such a refinement (its builder panics), so Terraform
/// never sends one, and neither do we.
fn check_satisfiable(refinements: &Refinements) -> Result<(), CodecError> {
    if let (Some((lower, lower_inclusive)), Some((upper, upper_inclusive))) =
        (&refinements.number_lower, &refinements.number_upper)
        && (lower > upper || (lower == upper && !(*lower_inclusive && *upper_inclusive)))
    {
        return Err(invalid_refinement("the number bounds admit no number"));
    }
    if let (Some(lower), Some(upper)) = (refinements.length_lower, refinements.length_upper)
        && lower > upper
    {
        return Err(invalid_refinement("the length bounds admit no length"));
    }
    Ok(())
}

/// `[number, inclusive]`.
fn decode_number_bound(reader: &mut Reader, marker: Marker) -> Result<(Number, bool), CodecError> {
    if reader.array_length(marker)? != Some(2) {
        return Err(invalid_refinement("a number bound is not a [number, bool] array"));
    }
    let number_marker = reader.marker()?;
    let bound = decode_number(reader, number_marker)?;
    let inclusive = match reader.marker()? {
        Marker::True => true,
        Marker::False => false,
        _ => return Err(invalid_refinement("a number bound is not a [number, bool] array")),
    };
    Ok((bound, inclusive))
}

/// Steps over one value of any shape (for refinement keys this version does not know).
fn skip_value(reader: &mut Reader, marker: Marker, depth: usize) -> Result<(), CodecError> {
    if depth > MAX_DEPTH {
        return Err(Problem::TooDeep(MAX_DEPTH).into());
    }
    if reader.integer(marker)?.is_some() || reader.string_payload(marker)?.is_some() {
        return Ok(());
    }
    if let Some((_, length)) = reader.extension_header(marker)? {
        reader.take(length as usize)?;
        return Ok(());
    }
    if let Some(length) = reader.array_length(marker)? {
        for _ in 0..length {
            let element = reader.marker()?;
            skip_value(reader, element, depth + 1)?;
        }
        return Ok(());
    }
    if let Some(length) = reader.map_length(marker)? {
        for _ in 0..2 * length {
            let element = reader.marker()?;
            skip_value(reader, element, depth + 1)?;
        }
        return Ok(());
    }
    match marker {
        Marker::Null | Marker::True | Marker::False => Ok(()),
        Marker::F32 => reader.take(4).map(|_| ()),
        Marker::F64 => reader.take(8).map(|_| ()),
        _ => Err(Problem::ReservedMarker.into()),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding

/// Writes into a `ByteBuf` cannot fail; this says so to the compiler.
fn written<T>(result: Result<T, ValueWriteError<Infallible>>) -> T {
    match result {
        Ok(value) => value,
        Err(ValueWriteError::InvalidMarkerWrite(never) | ValueWriteError::InvalidDataWrite(never)) => match never {},
    }
}

fn wire_length(length: usize) -> Result<u32, CodecError> {
    u32::try_from(length).map_err(|_| Problem::ImplausibleLength(length as u64).into())
}

fn write_nil(out: &mut ByteBuf) {
    rmp::encode::write_nil(out).unwrap_or_else(|never| match never {});
}

fn write_str(out: &mut ByteBuf, text: &str) -> Result<(), CodecError> {
    wire_length(text.len())?;
    written(rmp::encode::write_str(out, text));
    Ok(())
}

fn write_array_len(out: &mut ByteBuf, length: usize) -> Result<(), CodecError> {
    written(rmp::encode::write_array_len(out, wire_length(length)?));
    Ok(())
}

fn write_map_len(out: &mut ByteBuf, length: usize) -> Result<(), CodecError> {
    written(rmp::encode::write_map_len(out, wire_length(length)?));
    Ok(())
}

/// A plain unknown: fixext1 `d4 00 00`, exactly what go-cty writes.
fn write_plain_unknown(out: &mut ByteBuf) {
    out.as_mut_vec().extend_from_slice(&[0xd4, 0x00, 0x00]);
}

fn not_conforming(value: &Value, ty: &Type) -> CodecError {
    Problem::ValueDoesNotConform {
        expected: describe_type(ty),
        found: describe_value(value),
    }
    .into()
}

fn encode_value(out: &mut ByteBuf, value: &Value, ty: &Type, depth: usize) -> Result<(), CodecError> {
    if depth > MAX_DEPTH {
        return Err(Problem::TooDeep(MAX_DEPTH).into());
    }
    match (value, ty) {
        (Value::Null, _) => write_nil(out),
        // go-cty never refines an unknown of unknown type; refining one is a no-op in cty.
        (Value::Unknown(_), Type::Dynamic) => write_plain_unknown(out),
        (Value::Unknown(refinements), _) => encode_unknown(out, refinements, ty)?,
        (
            Value::Dynamic {
                ty: inner_type,
                value: inner,
            },
            Type::Dynamic,
        ) => {
            write_array_len(out, 2)?;
            let type_json = type_to_json(inner_type);
            written(rmp::encode::write_bin(out, &type_json));
            encode_value(out, inner, inner_type, depth + 1)?;
        }
        (Value::String(text), Type::String) => write_str(out, text)?,
        (Value::Number(number), Type::Number) => encode_number(out, number)?,
        (Value::Bool(flag), Type::Bool) => rmp::encode::write_bool(out, *flag).unwrap_or_else(|never| match never {}),
        (Value::List(items), Type::List(element)) => {
            write_array_len(out, items.len())?;
            for (index, item) in items.iter().enumerate() {
                encode_value(out, item, element, depth + 1).within(|| PathStep::Index(index))?;
            }
        }
        // go-cty writes a set's elements in its order (strings sorted, numbers ascending, ...), each once.
        (Value::Set(items), Type::Set(element)) => {
            let elements = canonical_elements(items);
            write_array_len(out, elements.len())?;
            for (index, item) in elements.into_iter().enumerate() {
                encode_value(out, item, element, depth + 1).within(|| PathStep::Index(index))?;
            }
        }
        (Value::Tuple(items), Type::Tuple(elements)) => {
            if items.len() != elements.len() {
                return Err(Problem::TupleLength {
                    expected: elements.len(),
                    found: items.len(),
                }
                .into());
            }
            write_array_len(out, items.len())?;
            for (index, (item, element)) in items.iter().zip(elements).enumerate() {
                encode_value(out, item, element, depth + 1).within(|| PathStep::Index(index))?;
            }
        }
        (Value::Map(entries), Type::Map(element)) => {
            write_map_len(out, entries.len())?;
            for (key, item) in entries {
                write_str(out, key)?;
                encode_value(out, item, element, depth + 1).within(|| PathStep::Key(key.clone()))?;
            }
        }
        (
            Value::Object(attributes),
            Type::Object {
                attributes: attribute_types,
                ..
            },
        ) => {
            check_attributes_match(attributes, attribute_types)?;
            write_map_len(out, attribute_types.len())?;
            // Both maps are sorted by name and hold the same names, so they walk in step (sorted keys, as go-cty).
            for ((name, attribute), attribute_type) in attributes.iter().zip(attribute_types.values()) {
                write_str(out, name)?;
                encode_value(out, attribute, attribute_type, depth + 1).within(|| PathStep::Attribute(name.clone()))?;
            }
        }
        _ => return Err(not_conforming(value, ty)),
    }
    Ok(())
}

fn encode_number(out: &mut ByteBuf, number: &Number) -> Result<(), CodecError> {
    match wire_form(number) {
        WireNumber::Signed(integer) => {
            written(rmp::encode::write_sint(out, integer));
        }
        WireNumber::Float(float) => written(rmp::encode::write_f64(out, float)),
        WireNumber::Text(text) => write_str(out, &text)?,
    }
    Ok(())
}

/// An unknown: `d4 00 00` when nothing is known about it, else ext 12 with the refinement map (never an empty map).
/// Refinements that cannot apply to the type are an error, as cty refuses to make such values; refinements that
/// say nothing (lower bound −∞, length at least 0, empty prefix) are left out as go-cty does.
fn encode_unknown(out: &mut ByteBuf, refinements: &Refinements, ty: &Type) -> Result<(), CodecError> {
    check_satisfiable(refinements)?;
    let mut map = ByteBuf::new();
    let mut entries = 0usize;
    let mut entry = |map: &mut ByteBuf, key: i64| {
        written(rmp::encode::write_sint(map, key));
        entries += 1;
    };
    match refinements.not_null {
        Some(true) => {
            entry(&mut map, REFINE_NULLNESS);
            rmp::encode::write_bool(&mut map, false).unwrap_or_else(|never| match never {});
        }
        Some(false) => {
            return Err(invalid_refinement(
                "an unknown cannot be definitely null; that is Value::Null",
            ));
        }
        None => {}
    }
    if let Some(prefix) = &refinements.string_prefix {
        if *ty != Type::String {
            return Err(invalid_refinement("string prefix refinement for a non-string type"));
        }
        let prefix = truncated_prefix(prefix);
        if !prefix.is_empty() {
            entry(&mut map, REFINE_STRING_PREFIX);
            write_str(&mut map, prefix)?;
        }
    }
    for (key, bound, no_bound) in [
        (REFINE_NUMBER_LOWER, &refinements.number_lower, Number::NegativeInfinity),
        (REFINE_NUMBER_UPPER, &refinements.number_upper, Number::PositiveInfinity),
    ] {
        if let Some((number, inclusive)) = bound {
            if *ty != Type::Number {
                return Err(invalid_refinement("number bound refinement for a non-number type"));
            }
            if *number != no_bound {
                entry(&mut map, key);
                write_array_len(&mut map, 2)?;
                encode_number(&mut map, number)?;
                rmp::encode::write_bool(&mut map, *inclusive).unwrap_or_else(|never| match never {});
            }
        }
    }
    for (key, bound, no_bound) in [
        (REFINE_LENGTH_LOWER, refinements.length_lower, 0),
        (REFINE_LENGTH_UPPER, refinements.length_upper, i64::MAX),
    ] {
        if let Some(length) = bound {
            if !matches!(ty, Type::List(_) | Type::Set(_) | Type::Map(_)) {
                return Err(invalid_refinement("length bound refinement for a non-collection type"));
            }
            if length < 0 {
                return Err(invalid_refinement("a length bound is negative"));
            }
            if length != no_bound {
                entry(&mut map, key);
                written(rmp::encode::write_sint(&mut map, length));
            }
        }
    }
    if entries == 0 {
        write_plain_unknown(out);
        return Ok(());
    }
    let mut header = ByteBuf::new();
    write_map_len(&mut header, entries)?;
    let payload_length = wire_length(header.as_slice().len() + map.as_slice().len())?;
    if payload_length > MAX_REFINEMENTS_LEN {
        return Err(Problem::OversizeRefinements(payload_length).into());
    }
    written(rmp::encode::write_ext_meta(out, payload_length, REFINED_UNKNOWN_EXT));
    out.as_mut_vec().extend_from_slice(header.as_slice());
    out.as_mut_vec().extend_from_slice(map.as_slice());
    Ok(())
}

/// go-cty cuts prefixes longer than 256 bytes to 255 and then drops the last character, which a combining mark in
/// the unknown rest of the string could still change. A shorter prefix is a weaker but still true refinement.
fn truncated_prefix(prefix: &str) -> &str {
    if prefix.len() <= MAX_PREFIX_LEN {
        return prefix;
    }
    let mut end = MAX_PREFIX_LEN - 1;
    while !prefix.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &prefix[..end];
    match cut.char_indices().next_back() {
        Some((last, _)) => &cut[..last],
        None => cut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        (0..digits.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).unwrap())
            .collect()
    }

    fn config_type() -> Type {
        Type::object([
            ("id", Type::String),
            ("mode", Type::String),
            ("name", Type::String),
            ("size", Type::Number),
            ("tags", Type::map(Type::String)),
        ])
    }

    #[test]
    fn decodes_a_config_captured_from_terraform() {
        let bytes = hex("85 a2 6964 c0 a4 6d6f6465 c0 a4 6e616d65 a1 61 a4 73697a65 c0 a4 74616773 81 a1 6b a1 76");
        let value = decode(&bytes, &config_type()).unwrap();
        assert_eq!(value.attribute("id"), Some(&Value::Null));
        assert_eq!(value.attribute("mode"), Some(&Value::Null));
        assert_eq!(value.attribute("name"), Some(&Value::string("a")));
        assert_eq!(value.attribute("size"), Some(&Value::Null));
        let tags = BTreeMap::from([("k".to_string(), Value::string("v"))]);
        assert_eq!(value.attribute("tags"), Some(&Value::Map(tags)));
        // Go writes keys sorted, and so do we: the bytes come back identical.
        assert_eq!(encode(&value, &config_type()).unwrap(), bytes);
    }

    #[test]
    fn decodes_a_refined_unknown_captured_from_terraform() {
        let value = decode(&hex("c7 09 0c 82 01 c2 02 a4 70 66 78 2d"), &Type::String).unwrap();
        let expected = Refinements {
            not_null: Some(true),
            string_prefix: Some("pfx-".to_string()),
            ..Default::default()
        };
        assert_eq!(value, Value::Unknown(expected.clone()));
        assert_eq!(
            encode(&Value::Unknown(expected), &Type::String).unwrap(),
            hex("c7 09 0c 82 01 c2 02 a4 70 66 78 2d")
        );
    }

    #[test]
    fn plain_unknowns_are_any_short_extension() {
        assert_eq!(decode(&hex("d4 00 00"), &Type::String).unwrap(), Value::unknown());
        assert_eq!(decode(&hex("c7 00 05"), &Type::Number).unwrap(), Value::unknown());
        assert_eq!(decode(&hex("d4 2a ff"), &Type::Dynamic).unwrap(), Value::unknown());
        assert_eq!(
            encode(&Value::unknown(), &Type::list(Type::String)).unwrap(),
            hex("d4 00 00")
        );
        assert_eq!(encode(&Value::unknown(), &Type::Dynamic).unwrap(), hex("d4 00 00"));
    }

    #[test]
    fn long_extensions_other_than_refinements_are_rejected() {
        let error = decode(&hex("d5 05 00 00"), &Type::String).unwrap_err();
        assert_eq!(
            error.problem(),
            &Problem::UnsupportedExtension { ext_type: 5, length: 2 }
        );
        let mut oversize = hex("c8 04 01 0c");
        oversize.extend(std::iter::repeat_n(0u8, 1025));
        assert_eq!(
            decode(&oversize, &Type::String).unwrap_err().problem(),
            &Problem::OversizeRefinements(1025)
        );
    }

    #[test]
    fn refinements_of_every_kind_round_trip() {
        let number = Refinements {
            not_null: Some(true),
            number_lower: Some((Number::from(1), true)),
            number_upper: Some(("123456789012345678901234567890.5".parse().unwrap(), false)),
            ..Default::default()
        };
        let bytes = encode(&Value::Unknown(number.clone()), &Type::Number).unwrap();
        assert_eq!(decode(&bytes, &Type::Number).unwrap(), Value::Unknown(number));

        let collection = Refinements {
            length_lower: Some(1),
            length_upper: Some(3),
            ..Default::default()
        };
        let ty = Type::set(Type::String);
        let bytes = encode(&Value::Unknown(collection.clone()), &ty).unwrap();
        assert_eq!(bytes, hex("c7 05 0c 82 05 01 06 03"));
        assert_eq!(decode(&bytes, &ty).unwrap(), Value::Unknown(collection));
    }

    #[test]
    fn refinements_that_say_nothing_are_not_sent() {
        let vacuous = Refinements {
            string_prefix: Some(String::new()),
            ..Default::default()
        };
        assert_eq!(
            encode(&Value::Unknown(vacuous), &Type::String).unwrap(),
            hex("d4 00 00")
        );
        let unbounded = Refinements {
            length_lower: Some(0),
            length_upper: Some(i64::MAX),
            ..Default::default()
        };
        assert_eq!(
            encode(&Value::Unknown(unbounded), &Type::list(Type::Bool)).unwrap(),
            hex("d4 00 00")
        );
    }

    #[test]
    fn refinements_must_fit_the_type() {
        let prefix = Refinements {
            string_prefix: Some("a".to_string()),
            ..Default::default()
        };
        assert!(matches!(
            encode(&Value::Unknown(prefix), &Type::Number).unwrap_err().problem(),
            Problem::InvalidRefinement(_)
        ));
        // {2: "a"} at a number type.
        assert!(matches!(
            decode(&hex("c7 04 0c 81 02 a1 61"), &Type::Number)
                .unwrap_err()
                .problem(),
            Problem::InvalidRefinement(_)
        ));
        let definitely_null = Refinements {
            not_null: Some(false),
            ..Default::default()
        };
        assert!(encode(&Value::Unknown(definitely_null), &Type::String).is_err());
    }

    #[test]
    fn refinements_no_value_can_meet_are_refused() {
        // {5: 3, 6: 2}: at least 3 and at most 2 elements.
        let bytes = hex("c7 05 0c 82 05 03 06 02");
        assert!(matches!(
            decode(&bytes, &Type::list(Type::Bool)).unwrap_err().problem(),
            Problem::InvalidRefinement(_)
        ));
        let empty_range = Refinements {
            number_lower: Some((Number::from(1), true)),
            number_upper: Some((Number::from(1), false)),
            ..Default::default()
        };
        assert!(encode(&Value::Unknown(empty_range), &Type::Number).is_err());
        let one_number = Refinements {
            number_lower: Some((Number::from(1), true)),
            number_upper: Some((Number::from(1), true)),
            ..Default::default()
        };
        let bytes = encode(&Value::Unknown(one_number.clone()), &Type::Number).unwrap();
        assert_eq!(decode(&bytes, &Type::Number).unwrap(), Value::Unknown(one_number));
    }

    #[test]
    fn unknown_refinement_keys_are_skipped_and_definitely_null_is_null() {
        // {9: [1, {"x": nil}], 1: false}
        let bytes = hex("c7 0a 0c 82 09 92 01 81 a1 78 c0 01 c2");
        let expected = Refinements {
            not_null: Some(true),
            ..Default::default()
        };
        assert_eq!(decode(&bytes, &Type::Bool).unwrap(), Value::Unknown(expected));
        // {1: true}
        assert_eq!(decode(&hex("c7 03 0c 81 01 c3"), &Type::Bool).unwrap(), Value::Null);
        // Refinements of a dynamic unknown are ignored.
        assert_eq!(
            decode(&hex("c7 03 0c 81 01 c2"), &Type::Dynamic).unwrap(),
            Value::unknown()
        );
    }

    #[test]
    fn long_prefixes_are_cut_at_a_character_boundary() {
        let long = "é".repeat(200);
        let refined = Refinements {
            string_prefix: Some(long.clone()),
            ..Default::default()
        };
        let bytes = encode(&Value::Unknown(refined), &Type::String).unwrap();
        let Value::Unknown(decoded) = decode(&bytes, &Type::String).unwrap() else {
            panic!("not unknown")
        };
        let prefix = decoded.string_prefix.unwrap();
        assert!(prefix.len() < 256 && long.starts_with(&prefix) && !prefix.is_empty());
    }

    #[test]
    fn numbers_decode_from_every_form() {
        let cases: [(&str, &str); 10] = [
            ("2a", "42"),
            ("e0", "-32"),
            ("cc ff", "255"),
            ("d1 ff 00", "-256"),
            ("cf ff ff ff ff ff ff ff ff", "18446744073709551615"),
            ("d3 80 00 00 00 00 00 00 00", "-9223372036854775808"),
            ("ca 3f 00 00 00", "0.5"),
            // A float64 stands for its exact value, not its shortest decimal (go-cty's `NumberFloatVal`).
            (
                "cb 3f b9 99 99 99 99 99 9a",
                "0.1000000000000000055511151231257827021181583404541015625",
            ),
            ("a4 2b 49 6e 66", "+Inf"),
            ("a6 31 2e 30 65 2d 32", "0.01"),
        ];
        for (bytes, expected) in cases {
            let decoded = decode(&hex(bytes), &Type::Number).unwrap();
            assert_eq!(decoded, Value::Number(expected.parse().unwrap()), "{bytes}");
        }
        let infinity = decode(&hex("cb 7f f0 00 00 00 00 00 00"), &Type::Number).unwrap();
        assert_eq!(infinity, Value::Number(Number::PositiveInfinity));
        assert!(decode(&hex("cb 7f f8 00 00 00 00 00 00"), &Type::Number).is_err());
        assert!(decode(&hex("a3 61 62 63"), &Type::Number).is_err());
    }

    #[test]
    fn numbers_encode_in_the_narrowest_lossless_form() {
        let encoded = |text: &str| encode(&Value::Number(text.parse().unwrap()), &Type::Number).unwrap();
        assert_eq!(encoded("42"), hex("2a"));
        assert_eq!(encoded("-1"), hex("ff"));
        assert_eq!(encoded("3600"), hex("cd 0e 10"));
        assert_eq!(encoded("0.5"), hex("cb 3f e0 00 00 00 00 00 00"));
        assert_eq!(encoded("0.1"), hex("a3 30 2e 31"));
        assert_eq!(encoded("-Inf"), hex("cb ff f0 00 00 00 00 00 00"));
    }

    #[test]
    fn dynamic_values_carry_their_type() {
        let ty = Type::list(Type::Number);
        let value = Value::Dynamic {
            ty: ty.clone(),
            value: Box::new(Value::List(vec![Value::int(1), Value::Number("2.5".parse().unwrap())])),
        };
        let bytes = encode(&value, &Type::Dynamic).unwrap();
        let mut expected = hex("92 c4 11");
        expected.extend_from_slice(br#"["list","number"]"#);
        expected.extend(hex("92 01 cb 40 04 00 00 00 00 00 00"));
        assert_eq!(bytes, expected);
        assert_eq!(decode(&bytes, &Type::Dynamic).unwrap(), value);
        assert_eq!(decode(&hex("c0"), &Type::Dynamic).unwrap(), Value::Null);
        let bare = encode(&Value::string("x"), &Type::Dynamic).unwrap_err();
        assert!(matches!(bare.problem(), Problem::ValueDoesNotConform { .. }));
    }

    #[test]
    fn objects_must_be_complete_both_ways() {
        // {"id": nil} against the five-attribute config type.
        let error = decode(&hex("81 a2 69 64 c0"), &config_type()).unwrap_err();
        assert_eq!(error.problem(), &Problem::MissingAttribute("mode".to_string()));
        let error = decode(&hex("81 a5 65 78 74 72 61 c0"), &config_type()).unwrap_err();
        assert_eq!(error.to_string(), "unsupported attribute \"extra\"");

        // Keys in any order decode, but each only once.
        let ty = Type::object([("a", Type::Bool), ("b", Type::Bool)]);
        let expected = Value::Object(BTreeMap::from([
            ("a".to_string(), Value::Bool(true)),
            ("b".to_string(), Value::Bool(false)),
        ]));
        assert_eq!(decode(&hex("82 a1 62 c2 a1 61 c3"), &ty).unwrap(), expected);
        let error = decode(&hex("82 a1 62 c2 a1 62 c3"), &ty).unwrap_err();
        assert_eq!(error.problem(), &Problem::DuplicateKey("b".to_string()));

        let incomplete = Value::Object(BTreeMap::from([("id".to_string(), Value::Null)]));
        let error = encode(&incomplete, &config_type()).unwrap_err();
        assert_eq!(error.problem(), &Problem::MissingAttribute("mode".to_string()));
    }

    #[test]
    fn errors_name_the_path() {
        let ty = Type::object([(
            "token_validity_units",
            Type::list(Type::object([("id_token", Type::String)])),
        )]);
        // {"token_validity_units": [{"id_token": true}]}
        let mut bytes = hex("81 b4");
        bytes.extend_from_slice(b"token_validity_units");
        bytes.extend(hex("91 81 a8"));
        bytes.extend_from_slice(b"id_token");
        bytes.push(0xc3);
        let error = decode(&bytes, &ty).unwrap_err();
        assert_eq!(
            error.to_string(),
            "at .token_validity_units[0].id_token: expected string, got bool"
        );
    }

    #[test]
    fn strings_and_prefixes_are_nfc_normalised_like_go_cty() {
        // "e" followed by a combining acute accent: NFC makes it one character, "é".
        let decomposed = hex("a3 65 cc 81");
        assert_eq!(decode(&decomposed, &Type::String).unwrap(), Value::string("\u{e9}"));
        // {1: false, 2: "e\u{301}"}
        let refined = hex("c7 08 0c 82 01 c2 02 a3 65 cc 81");
        let Value::Unknown(refinements) = decode(&refined, &Type::String).unwrap() else {
            panic!("not unknown")
        };
        assert_eq!(refinements.string_prefix.as_deref(), Some("\u{e9}"));
    }

    #[test]
    fn sets_are_deduplicated_and_written_in_go_cty_order() {
        let ty = Type::set(Type::String);
        // ["b", "a", "b", nil, "a"]
        let decoded = decode(&hex("95 a1 62 a1 61 a1 62 c0 a1 61"), &ty).unwrap();
        let expected = Value::Set(vec![Value::string("a"), Value::string("b"), Value::Null]);
        assert_eq!(decoded, expected);
        // A set built in any order, with repeats, is written sorted and once each, as go-cty writes it.
        let built = Value::Set(vec![
            Value::string("b"),
            Value::Null,
            Value::string("a"),
            Value::string("b"),
        ]);
        assert_eq!(encode(&built, &ty).unwrap(), hex("93 a1 61 a1 62 c0"));
        // Two unknown elements may differ: both stay.
        let unknowns = decode(&hex("92 d4 00 00 d4 00 00"), &ty).unwrap();
        assert_eq!(unknowns.as_elements().map(<[Value]>::len), Some(2));
    }

    #[test]
    fn a_huge_set_of_one_repeated_value_takes_the_memory_of_one() {
        // Two million nils in a set: 2 MB on the wire, one element once decoded. Before, the decoder reserved
        // room for all two million (about 320 MB) before reading the first.
        let count = 2_000_000u32;
        let mut bytes = vec![0xdd];
        bytes.extend_from_slice(&count.to_be_bytes());
        bytes.extend(std::iter::repeat_n(0xc0, count as usize));
        let decoded = decode(&bytes, &Type::set(Type::String)).unwrap();
        assert_eq!(decoded, Value::Set(vec![Value::Null]));
    }

    #[test]
    fn hostile_input_fails_cleanly() {
        let list = Type::list(Type::String);
        // An array claiming 4 billion elements, backed by nothing.
        assert_eq!(
            decode(&hex("dd ff ff ff ff"), &list).unwrap_err().problem(),
            &Problem::ImplausibleLength(u32::MAX as u64)
        );
        assert_eq!(
            decode(&hex("db ff ff ff ff 61"), &Type::String).unwrap_err().problem(),
            &Problem::Truncated
        );
        assert_eq!(
            decode(&hex("c0 c0"), &Type::String).unwrap_err().problem(),
            &Problem::TrailingBytes(1)
        );
        assert_eq!(decode(&[], &Type::String).unwrap_err().problem(), &Problem::Truncated);
        assert_eq!(
            decode(&hex("c1"), &Type::String).unwrap_err().problem(),
            &Problem::ReservedMarker
        );
        assert_eq!(
            decode(&hex("a2 ff fe"), &Type::String).unwrap_err().problem(),
            &Problem::InvalidUtf8
        );

        // A dynamic value whose type is "dynamic", nested far too deep.
        let mut deep = Vec::new();
        for _ in 0..100 {
            deep.extend(hex("92 c4 09"));
            deep.extend_from_slice(br#""dynamic""#);
        }
        deep.push(0xc0);
        assert_eq!(
            decode(&deep, &Type::Dynamic).unwrap_err().problem(),
            &Problem::TooDeep(MAX_DEPTH)
        );
    }
}

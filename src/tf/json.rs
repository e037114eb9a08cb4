//! JSON, in go-cty's formats (`zclconf/go-cty:cty/json`, `cty/json.go`): values as Terraform stores them in state
//! (`RawState` for UpgradeResourceState), and types as schemas and `dynamic` values describe them.
//!
//! Value JSON: null is `null`, objects and maps are JSON objects, lists, sets and tuples are arrays, numbers are
//! exact decimals (parsed from their text, never through `f64`), and a `dynamic` value is
//! `{"value": v, "type": <type JSON>}`. JSON has no way to say "unknown", so unknowns cannot be encoded.

use std::collections::BTreeMap;
use std::str::FromStr;

use serde_json::Value as Json;

use super::codec_error::{CodecError, PathStep, Problem, WithinStep, describe_type, describe_value, path_text};
use super::codec_number::{decimal_text, parse_number};
use super::codec_type::{MAX_DEPTH, check_attributes_match, type_from_json_value, type_json_value};
pub use super::codec_type::{type_from_json, type_to_json};
use super::value::{Number, Type, Value, canonical_elements, normalize_string};

/// Decodes state JSON as type `ty`. Attributes of the type missing from an object become null (state written
/// before an attribute was added lacks it); attributes the type does not have are an error.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, CodecError> {
    let json = parse(bytes)?;
    ValueDecoder::new(None).decode(&json, ty)
}

/// Like [`decode`], but attributes the type does not have are dropped instead of rejected. Returns the paths of
/// the dropped attributes (e.g. `.old_setting`, `.blocks[0].gone`) so the caller can report them.
pub fn decode_lenient(bytes: &[u8], ty: &Type) -> Result<(Value, Vec<String>), CodecError> {
    let json = parse(bytes)?;
    let mut ignored = Vec::new();
    let value = ValueDecoder::new(Some(&mut ignored)).decode(&json, ty)?;
    Ok((value, ignored))
}

/// Encodes a wholly known value of type `ty` as JSON. Objects must carry every attribute of their type.
pub fn encode(value: &Value, ty: &Type) -> Result<Json, CodecError> {
    encode_value(value, ty, 0)
}

fn parse(bytes: &[u8]) -> Result<Json, CodecError> {
    // serde_json caps nesting at 128 levels, so this cannot exhaust the stack.
    serde_json::from_slice(bytes).map_err(|error| Problem::InvalidJson(error.to_string()).into())
}

// ---------------------------------------------------------------------------------------------------------------
// Values: decoding

/// Walks JSON against a type. It tracks its path because lenient decoding reports where it dropped attributes.
struct ValueDecoder<'a> {
    /// `Some` in lenient mode: where dropped attribute paths go.
    ignored: Option<&'a mut Vec<String>>,
    path: Vec<PathStep>,
    /// Nesting of containers and of `dynamic` values (which add no path step).
    depth: usize,
}

impl<'a> ValueDecoder<'a> {
    fn new(ignored: Option<&'a mut Vec<String>>) -> ValueDecoder<'a> {
        ValueDecoder {
            ignored,
            path: Vec::new(),
            depth: 0,
        }
    }
}

/// What a JSON value is, for "expected X, got Y" messages.
fn describe_json(json: &Json) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "bool",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

impl ValueDecoder<'_> {
    fn fail(&self, problem: Problem) -> CodecError {
        CodecError::at(&self.path, problem)
    }

    fn expected(&self, expected: &'static str, json: &Json) -> CodecError {
        self.fail(Problem::Expected {
            expected,
            found: describe_json(json),
        })
    }

    /// Decodes `json` at the path extended by `step`.
    fn decode_at(&mut self, step: PathStep, json: &Json, ty: &Type) -> Result<Value, CodecError> {
        self.path.push(step);
        self.depth += 1;
        let result = self.decode(json, ty);
        self.depth -= 1;
        self.path.pop();
        result
    }

    fn decode(&mut self, json: &Json, ty: &Type) -> Result<Value, CodecError> {
        if self.depth > MAX_DEPTH {
            return Err(self.fail(Problem::TooDeep(MAX_DEPTH)));
        }
        if json.is_null() {
            return Ok(Value::Null);
        }
        match ty {
            Type::String => self.decode_string(json),
            Type::Number => self.decode_number(json),
            Type::Bool => self.decode_bool(json),
            Type::List(element) => self.decode_elements(json, element, "list").map(Value::List),
            Type::Set(element) => self.decode_elements(json, element, "set").map(Value::set_of),
            Type::Map(element) => self.decode_map(json, element),
            Type::Tuple(elements) => self.decode_tuple(json, elements),
            Type::Object { attributes, .. } => self.decode_object(json, attributes),
            Type::Dynamic => self.decode_dynamic(json),
        }
    }

    /// Like go-cty, a number or bool where a string belongs is taken as its text.
    fn decode_string(&self, json: &Json) -> Result<Value, CodecError> {
        match json {
            Json::String(text) => Ok(Value::String(normalize_string(text).into_owned())),
            Json::Number(number) => Ok(Value::String(number.as_str().to_string())),
            Json::Bool(flag) => Ok(Value::String(flag.to_string())),
            _ => Err(self.expected("string", json)),
        }
    }

    /// Numbers from their exact text; like go-cty, a string holding a number is accepted too.
    fn decode_number(&self, json: &Json) -> Result<Value, CodecError> {
        let text = match json {
            Json::Number(number) => number.as_str(),
            Json::String(text) => text.as_str(),
            _ => return Err(self.expected("number", json)),
        };
        parse_number(text)
            .map(Value::Number)
            .map_err(|problem| self.fail(problem))
    }

    /// Like go-cty's string-to-bool conversion, `"true"`/`"1"` and `"false"`/`"0"` are accepted too.
    fn decode_bool(&self, json: &Json) -> Result<Value, CodecError> {
        match json {
            Json::Bool(flag) => Ok(Value::Bool(*flag)),
            Json::String(text) if text == "true" || text == "1" => Ok(Value::Bool(true)),
            Json::String(text) if text == "false" || text == "0" => Ok(Value::Bool(false)),
            _ => Err(self.expected("bool", json)),
        }
    }

    fn decode_elements(&mut self, json: &Json, element: &Type, kind: &'static str) -> Result<Vec<Value>, CodecError> {
        let Json::Array(items) = json else {
            return Err(self.expected(kind, json));
        };
        let mut values = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            values.push(self.decode_at(PathStep::Index(index), item, element)?);
        }
        Ok(values)
    }

    fn decode_tuple(&mut self, json: &Json, elements: &[Type]) -> Result<Value, CodecError> {
        let Json::Array(items) = json else {
            return Err(self.expected("tuple", json));
        };
        if items.len() != elements.len() {
            return Err(self.fail(Problem::TupleLength {
                expected: elements.len(),
                found: items.len(),
            }));
        }
        let mut values = Vec::with_capacity(items.len());
        for (index, (item, element)) in items.iter().zip(elements).enumerate() {
            values.push(self.decode_at(PathStep::Index(index), item, element)?);
        }
        Ok(Value::Tuple(values))
    }

    fn decode_map(&mut self, json: &Json, element: &Type) -> Result<Value, CodecError> {
        let Json::Object(entries) = json else {
            return Err(self.expected("map", json));
        };
        let mut values = BTreeMap::new();
        for (key, item) in entries {
            // NFC-normalised as go-cty's `MapVal` does; two keys that normalise alike collide.
            let key = normalize_string(key).into_owned();
            if values.contains_key(&key) {
                return Err(self.fail(Problem::DuplicateKey(key)));
            }
            let value = self.decode_at(PathStep::Key(key.clone()), item, element)?;
            values.insert(key, value);
        }
        Ok(Value::Map(values))
    }

    fn decode_object(&mut self, json: &Json, attribute_types: &BTreeMap<String, Type>) -> Result<Value, CodecError> {
        let Json::Object(entries) = json else {
            return Err(self.expected("object", json));
        };
        let mut attributes = BTreeMap::new();
        for (name, item) in entries {
            let Some(attribute_type) = attribute_types.get(name) else {
                match self.ignored.as_deref_mut() {
                    Some(ignored) => {
                        self.path.push(PathStep::Attribute(name.clone()));
                        ignored.push(path_text(&self.path));
                        self.path.pop();
                        continue;
                    }
                    None => return Err(self.fail(Problem::UnsupportedAttribute(name.clone()))),
                }
            };
            let value = self.decode_at(PathStep::Attribute(name.clone()), item, attribute_type)?;
            attributes.insert(name.clone(), value);
        }
        // State written before an attribute existed lacks it: the attribute is null.
        for name in attribute_types.keys() {
            if !attributes.contains_key(name) {
                attributes.insert(name.clone(), Value::Null);
            }
        }
        Ok(Value::Object(attributes))
    }

    /// `{"value": v, "type": T}`, keys in either order.
    fn decode_dynamic(&mut self, json: &Json) -> Result<Value, CodecError> {
        let Json::Object(entries) = json else {
            return Err(self.expected("dynamic value {\"value\": ..., \"type\": ...}", json));
        };
        if let Some(key) = entries.keys().find(|key| *key != "value" && *key != "type") {
            return Err(self.fail(Problem::InvalidDynamic(format!("unexpected key {key:?}"))));
        }
        let Some(type_json) = entries.get("type") else {
            return Err(self.fail(Problem::InvalidDynamic("the type is missing".to_string())));
        };
        let Some(value_json) = entries.get("value") else {
            return Err(self.fail(Problem::InvalidDynamic("the value is missing".to_string())));
        };
        let ty = type_from_json_value(type_json, 0).map_err(|reason| self.fail(Problem::InvalidType(reason)))?;
        self.depth += 1;
        let value = self.decode(value_json, &ty);
        self.depth -= 1;
        Ok(Value::Dynamic {
            ty,
            value: Box::new(value?),
        })
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Values: encoding

fn encode_value(value: &Value, ty: &Type, depth: usize) -> Result<Json, CodecError> {
    if depth > MAX_DEPTH {
        return Err(Problem::TooDeep(MAX_DEPTH).into());
    }
    Ok(match (value, ty) {
        (Value::Null, _) => Json::Null,
        (Value::Unknown(_), _) => return Err(Problem::UnknownInJson.into()),
        (
            Value::Dynamic {
                ty: inner_type,
                value: inner,
            },
            Type::Dynamic,
        ) => {
            let mut object = serde_json::Map::new();
            object.insert("value".to_string(), encode_value(inner, inner_type, depth + 1)?);
            object.insert("type".to_string(), type_json_value(inner_type));
            Json::Object(object)
        }
        (Value::String(text), Type::String) => Json::String(text.clone()),
        (Value::Number(number), Type::Number) => encode_number(number)?,
        (Value::Bool(flag), Type::Bool) => Json::Bool(*flag),
        (Value::List(items), Type::List(element)) => encode_elements(items.iter(), element, depth)?,
        // Sets in go-cty's order, each element once, as go-cty writes them.
        (Value::Set(items), Type::Set(element)) => {
            encode_elements(canonical_elements(items).into_iter(), element, depth)?
        }
        (Value::Tuple(items), Type::Tuple(elements)) => {
            if items.len() != elements.len() {
                return Err(Problem::TupleLength {
                    expected: elements.len(),
                    found: items.len(),
                }
                .into());
            }
            let mut array = Vec::with_capacity(items.len());
            for (index, (item, element)) in items.iter().zip(elements).enumerate() {
                array.push(encode_value(item, element, depth + 1).within(|| PathStep::Index(index))?);
            }
            Json::Array(array)
        }
        (Value::Map(entries), Type::Map(element)) => {
            let mut object = serde_json::Map::new();
            for (key, item) in entries {
                let json = encode_value(item, element, depth + 1).within(|| PathStep::Key(key.clone()))?;
                object.insert(key.clone(), json);
            }
            Json::Object(object)
        }
        (
            Value::Object(attributes),
            Type::Object {
                attributes: attribute_types,
                ..
            },
        ) => {
            check_attributes_match(attributes, attribute_types)?;
            let mut object = serde_json::Map::new();
            for ((name, attribute), attribute_type) in attributes.iter().zip(attribute_types.values()) {
                let json =
                    encode_value(attribute, attribute_type, depth + 1).within(|| PathStep::Attribute(name.clone()))?;
                object.insert(name.clone(), json);
            }
            Json::Object(object)
        }
        _ => {
            return Err(Problem::ValueDoesNotConform {
                expected: describe_type(ty),
                found: describe_value(value),
            }
            .into());
        }
    })
}

fn encode_elements<'a>(
    items: impl ExactSizeIterator<Item = &'a Value>,
    element: &Type,
    depth: usize,
) -> Result<Json, CodecError> {
    let mut array = Vec::with_capacity(items.len());
    for (index, item) in items.enumerate() {
        array.push(encode_value(item, element, depth + 1).within(|| PathStep::Index(index))?);
    }
    Ok(Json::Array(array))
}

fn encode_number(number: &Number) -> Result<Json, CodecError> {
    let Number::Finite(decimal) = number else {
        return Err(Problem::InfinityInJson.into());
    };
    let text = decimal_text(decimal);
    serde_json::Number::from_str(&text)
        .map(Json::Number)
        .map_err(|_| Problem::InvalidNumber(text).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client_type() -> Type {
        Type::object([
            ("name", Type::String),
            ("refresh_token_validity", Type::Number),
            ("scopes", Type::set(Type::String)),
        ])
    }

    #[test]
    fn state_json_decodes_with_exact_numbers_pretty_or_compact() {
        let pretty = br#"{
            "name": "app",
            "refresh_token_validity": 123456789012345678901234567890.5,
            "scopes": ["openid", "email"]
        }"#;
        let value = decode(pretty, &client_type()).unwrap();
        let expected: Number = "123456789012345678901234567890.5".parse().unwrap();
        assert_eq!(
            value.attribute("refresh_token_validity"),
            Some(&Value::Number(expected))
        );
        let compact =
            br#"{"name":"app","refresh_token_validity":123456789012345678901234567890.5,"scopes":["openid","email"]}"#;
        assert_eq!(decode(compact, &client_type()).unwrap(), value);
    }

    #[test]
    fn missing_attributes_become_null_and_unknown_ones_are_rejected_or_dropped() {
        let value = decode(br#"{"name": "app"}"#, &client_type()).unwrap();
        assert_eq!(value.attribute("scopes"), Some(&Value::Null));
        assert_eq!(value.attribute("refresh_token_validity"), Some(&Value::Null));

        let stale = br#"{"name": "app", "retired": 1, "scopes": null}"#;
        let error = decode(stale, &client_type()).unwrap_err();
        assert_eq!(error.problem(), &Problem::UnsupportedAttribute("retired".to_string()));

        let (value, ignored) = decode_lenient(stale, &client_type()).unwrap();
        assert_eq!(ignored, vec![".retired".to_string()]);
        assert_eq!(value.attribute("name"), Some(&Value::string("app")));
    }

    #[test]
    fn lenient_decoding_reports_nested_paths() {
        let ty = Type::object([("blocks", Type::list(Type::object([("kept", Type::Bool)])))]);
        let (_, ignored) = decode_lenient(br#"{"blocks": [{"kept": true}, {"kept": false, "gone": 1}]}"#, &ty).unwrap();
        assert_eq!(ignored, vec![".blocks[1].gone".to_string()]);
    }

    #[test]
    fn dynamic_values_carry_their_type() {
        let ty = Type::object([("dyn", Type::Dynamic)]);
        let value = decode(br#"{"dyn": {"value": [1, 2.5], "type": ["list","number"]}}"#, &ty).unwrap();
        let expected = Value::Dynamic {
            ty: Type::list(Type::Number),
            value: Box::new(Value::List(vec![Value::int(1), Value::Number("2.5".parse().unwrap())])),
        };
        assert_eq!(value.attribute("dyn"), Some(&expected));
        let json = encode(&value, &ty).unwrap();
        assert_eq!(
            json.to_string(),
            r#"{"dyn":{"value":[1,2.5],"type":["list","number"]}}"#
        );
        // Keys in the other order decode too.
        let swapped = decode(br#"{"dyn": {"type": ["list","number"], "value": [1, 2.5]}}"#, &ty).unwrap();
        assert_eq!(swapped, value);
        assert!(decode(br#"{"dyn": {"value": 1}}"#, &ty).is_err());
    }

    #[test]
    fn go_cty_primitive_conversions_are_accepted() {
        assert_eq!(
            decode(br#""12.5""#, &Type::Number).unwrap(),
            Value::Number("12.5".parse().unwrap())
        );
        assert_eq!(decode(b"12", &Type::String).unwrap(), Value::string("12"));
        assert_eq!(decode(br#""true""#, &Type::Bool).unwrap(), Value::Bool(true));
        let error = decode(b"[1]", &Type::Bool).unwrap_err();
        assert_eq!(error.to_string(), "expected bool, got array");
    }

    #[test]
    fn encoding_refuses_unknowns_infinities_and_incomplete_objects() {
        assert_eq!(
            encode(&Value::unknown(), &Type::String).unwrap_err().problem(),
            &Problem::UnknownInJson
        );
        let infinite = Value::Number(Number::PositiveInfinity);
        assert_eq!(
            encode(&infinite, &Type::Number).unwrap_err().problem(),
            &Problem::InfinityInJson
        );
        let incomplete = Value::Object(BTreeMap::from([("name".to_string(), Value::string("app"))]));
        let error = encode(&incomplete, &client_type()).unwrap_err();
        assert_eq!(
            error.problem(),
            &Problem::MissingAttribute("refresh_token_validity".to_string())
        );
        let nested_unknown = Value::List(vec![Value::string("a"), Value::unknown()]);
        let error = encode(&nested_unknown, &Type::list(Type::String)).unwrap_err();
        assert_eq!(error.path_text(), "[1]");
    }

    #[test]
    fn numbers_encode_as_exact_text() {
        let number = Value::Number("123456789012345678901234567890.5".parse().unwrap());
        assert_eq!(
            encode(&number, &Type::Number).unwrap().to_string(),
            "123456789012345678901234567890.5"
        );
        assert_eq!(encode(&Value::int(-3), &Type::Number).unwrap().to_string(), "-3");
    }
}

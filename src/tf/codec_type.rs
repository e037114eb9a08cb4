//! Type JSON, go-cty's `Type.MarshalJSON` format (`zclconf/go-cty:cty/json/type.go`): how schemas describe the
//! types of their attributes, and how `dynamic` values carry their concrete type in both value codecs. Also the
//! limits and shape rules that both value codecs share, so that neither codec depends on the other.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use super::codec_error::{CodecError, Problem};
use super::value::{Type, Value};

/// How deeply values (and `dynamic` values inside `dynamic` values) may nest. Real schemas nest a handful of levels.
pub const MAX_DEPTH: usize = 64;

/// go-cty's `Type.MarshalJSON`: `"string"`, `["set","string"]`, `["object",{"a":"bool"}]`, with optional attributes
/// `["object",{...},["a","b"]]`, `["tuple",["string"]]`, `"dynamic"`.
pub fn type_to_json(ty: &Type) -> Vec<u8> {
    type_json_value(ty).to_string().into_bytes()
}

/// Parses type JSON as [`type_to_json`] writes it.
pub fn type_from_json(bytes: &[u8]) -> Result<Type, CodecError> {
    let json: Json = serde_json::from_slice(bytes).map_err(|error| Problem::InvalidType(error.to_string()))?;
    type_from_json_value(&json, 0).map_err(|reason| Problem::InvalidType(reason).into())
}

pub(crate) fn type_json_value(ty: &Type) -> Json {
    let tagged = |tag: &str, inner: Json| Json::Array(vec![Json::String(tag.to_string()), inner]);
    match ty {
        Type::String => Json::String("string".to_string()),
        Type::Number => Json::String("number".to_string()),
        Type::Bool => Json::String("bool".to_string()),
        Type::Dynamic => Json::String("dynamic".to_string()),
        Type::List(element) => tagged("list", type_json_value(element)),
        Type::Set(element) => tagged("set", type_json_value(element)),
        Type::Map(element) => tagged("map", type_json_value(element)),
        Type::Tuple(elements) => tagged("tuple", Json::Array(elements.iter().map(type_json_value).collect())),
        Type::Object { attributes, optional } => {
            let attribute_types = attributes
                .iter()
                .map(|(name, ty)| (name.clone(), type_json_value(ty)))
                .collect();
            let mut parts = vec![Json::String("object".to_string()), Json::Object(attribute_types)];
            // Optional names that are not attributes mean nothing (go-cty refuses them), so they are left out.
            let optional: Vec<Json> = optional
                .iter()
                .filter(|name| attributes.contains_key(*name))
                .map(|name| Json::String(name.clone()))
                .collect();
            if !optional.is_empty() {
                parts.push(Json::Array(optional));
            }
            Json::Array(parts)
        }
    }
}

pub(crate) fn type_from_json_value(json: &Json, depth: usize) -> Result<Type, String> {
    if depth > MAX_DEPTH {
        return Err(format!("nested more than {MAX_DEPTH} levels deep"));
    }
    let parts = match json {
        Json::String(name) => {
            return match name.as_str() {
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "dynamic" => Ok(Type::Dynamic),
                _ => Err(format!("invalid primitive type name {name:?}")),
            };
        }
        Json::Array(parts) => parts,
        _ => return Err("a type is a string or an array".to_string()),
    };
    let Some(Json::String(kind)) = parts.first() else {
        return Err("a complex type array must start with its kind name".to_string());
    };
    let expected_parts = match kind.as_str() {
        "object" if parts.len() == 3 => 3,
        _ => 2,
    };
    if parts.len() != expected_parts {
        return Err(format!(
            "a {kind:?} type has {} elements, expected {expected_parts}",
            parts.len()
        ));
    }
    let inner = &parts[1];
    match kind.as_str() {
        "list" => Ok(Type::list(type_from_json_value(inner, depth + 1)?)),
        "set" => Ok(Type::set(type_from_json_value(inner, depth + 1)?)),
        "map" => Ok(Type::map(type_from_json_value(inner, depth + 1)?)),
        "tuple" => {
            let Json::Array(elements) = inner else {
                return Err("tuple element types must be an array".to_string());
            };
            let elements = elements.iter().map(|element| type_from_json_value(element, depth + 1));
            Ok(Type::Tuple(elements.collect::<Result<_, _>>()?))
        }
        "object" => {
            let Json::Object(attribute_json) = inner else {
                return Err("object attribute types must be a JSON object".to_string());
            };
            let mut attributes = BTreeMap::new();
            for (name, attribute_type) in attribute_json {
                attributes.insert(name.clone(), type_from_json_value(attribute_type, depth + 1)?);
            }
            let mut optional = BTreeSet::new();
            if let Some(names) = parts.get(2) {
                let Json::Array(names) = names else {
                    return Err("optional attribute names must be an array".to_string());
                };
                for name in names {
                    match name {
                        Json::String(name) if attributes.contains_key(name) => optional.insert(name.clone()),
                        Json::String(name) => return Err(format!("optional attribute {name:?} is not an attribute")),
                        _ => return Err("optional attribute names must be strings".to_string()),
                    };
                }
            }
            Ok(Type::Object { attributes, optional })
        }
        _ => Err(format!("invalid complex type kind name {kind:?}")),
    }
}

/// An object value must hold exactly the attributes of its type: never send Terraform an incomplete object.
pub(crate) fn check_attributes_match(
    attributes: &BTreeMap<String, Value>,
    attribute_types: &BTreeMap<String, Type>,
) -> Result<(), CodecError> {
    if attributes.len() == attribute_types.len() && attributes.keys().eq(attribute_types.keys()) {
        return Ok(());
    }
    if let Some(missing) = attribute_types.keys().find(|name| !attributes.contains_key(*name)) {
        return Err(Problem::MissingAttribute(missing.clone()).into());
    }
    match attributes.keys().find(|name| !attribute_types.contains_key(*name)) {
        Some(extra) => Err(Problem::UnsupportedAttribute(extra.clone()).into()),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_json_matches_go_cty() {
        let cases: Vec<(Type, &str)> = vec![
            (Type::String, r#""string""#),
            (Type::Dynamic, r#""dynamic""#),
            (Type::set(Type::String), r#"["set","string"]"#),
            (Type::map(Type::list(Type::Bool)), r#"["map",["list","bool"]]"#),
            (
                Type::Tuple(vec![Type::String, Type::Number]),
                r#"["tuple",["string","number"]]"#,
            ),
            (
                Type::object([("b", Type::Bool), ("a", Type::String)]),
                r#"["object",{"a":"string","b":"bool"}]"#,
            ),
            (
                Type::Object {
                    attributes: BTreeMap::from([("a".to_string(), Type::String), ("b".to_string(), Type::Bool)]),
                    optional: BTreeSet::from(["b".to_string(), "a".to_string()]),
                },
                r#"["object",{"a":"string","b":"bool"},["a","b"]]"#,
            ),
        ];
        for (ty, json) in cases {
            assert_eq!(String::from_utf8(type_to_json(&ty)).unwrap(), json);
            assert_eq!(type_from_json(json.as_bytes()).unwrap(), ty, "{json}");
        }
    }

    #[test]
    fn invalid_type_json_is_rejected() {
        for json in [
            r#""strin""#,
            r#"["list"]"#,
            r#"["list","string","x"]"#,
            r#"["object",{"a":"string"},["b"]]"#,
            r#"["tuple","string"]"#,
            r#"{"list":"string"}"#,
            r#"["list","string"] x"#,
        ] {
            assert!(
                matches!(
                    type_from_json(json.as_bytes()).unwrap_err().problem(),
                    Problem::InvalidType(_)
                ),
                "{json}"
            );
        }
    }
}

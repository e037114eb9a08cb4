//! A read-only view of a configuration value for the rules: every accessor says whether the value is unknown
//! (skip the rule: Terraform validates again once it is known), null (the argument is left out, so Cognito's
//! default applies) or a known value. Nulls are resolved through [`planned`] to the defaults the schema declares,
//! the ones `user_pool_client::plan` writes into the plan, so a rule always judges the configuration that will
//! exist.

use std::collections::BTreeSet;

use crate::cognito::user_pool_client::model::TimeUnit;
use crate::cognito::user_pool_client::schema::{attr, schema};
use crate::tf::diagnostics::AttributePath;
use crate::tf::schema::DefaultValue;
use crate::tf::value::{Number, Value};

/// What the configuration says about one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known<T> {
    /// Not known until apply (or until an upstream resource exists): rules skip it.
    Unknown,
    /// Left out of the configuration.
    Null,
    Value(T),
}

impl<T> Known<T> {
    /// The known, non-null value.
    pub fn value(self) -> Option<T> {
        match self {
            Known::Value(value) => Some(value),
            Known::Unknown | Known::Null => None,
        }
    }
}

static NULL: Value = Value::Null;
static UNKNOWN: Value = Value::Unknown(crate::tf::value::Refinements {
    not_null: None,
    string_prefix: None,
    number_lower: None,
    number_upper: None,
    length_lower: None,
    length_upper: None,
});

/// One attribute of an object value; unknown inside an unknown object, null when absent.
pub fn field<'a>(object: &'a Value, name: &str) -> &'a Value {
    match object {
        Value::Unknown(_) => &UNKNOWN,
        _ => object.attribute(name).unwrap_or(&NULL),
    }
}

/// A top-level argument as the plan will hold it: the configured value, or the default the schema declares for it
/// when left out (still null where it declares no fixed one).
pub fn planned<'a>(config: &'a Value, name: &str) -> &'a Value {
    match field(config, name) {
        Value::Null => schema()
            .block
            .default_of(name)
            .and_then(DefaultValue::fixed)
            .unwrap_or(&NULL),
        value => value,
    }
}

pub fn string(value: &Value) -> Known<&str> {
    match value {
        Value::Null => Known::Null,
        Value::String(text) => Known::Value(text),
        _ => Known::Unknown,
    }
}

pub fn boolean(value: &Value) -> Known<bool> {
    match value {
        Value::Null => Known::Null,
        Value::Bool(flag) => Known::Value(*flag),
        _ => Known::Unknown,
    }
}

pub fn number(value: &Value) -> Known<&Number> {
    match value {
        Value::Null => Known::Null,
        Value::Number(number) => Known::Value(number),
        _ => Known::Unknown,
    }
}

/// A set of strings, only when the set and every element are known (a rule about the whole set, such as "must
/// contain X", cannot be judged while any element is unknown).
pub fn strings(value: &Value) -> Known<BTreeSet<&str>> {
    match value {
        Value::Null => Known::Null,
        Value::Set(items) | Value::List(items) => items
            .iter()
            .map(Value::as_str)
            .collect::<Option<BTreeSet<&str>>>()
            .map_or(Known::Unknown, Known::Value),
        _ => Known::Unknown,
    }
}

/// The known elements of a set of strings, for rules about each element; unknown elements are left out.
pub fn known_elements(value: &Value) -> Vec<&str> {
    value
        .as_elements()
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Whether a set has at least one element, known or not (an unknown element still exists).
pub fn has_elements(value: &Value) -> Known<bool> {
    match value {
        Value::Null => Known::Null,
        Value::Set(items) | Value::List(items) => Known::Value(!items.is_empty()),
        _ => Known::Unknown,
    }
}

/// The single element of a `list_max_one` block: `Value(None)` when the block is left out.
pub fn block<'a>(config: &'a Value, name: &str) -> Known<Option<&'a Value>> {
    match field(config, name) {
        Value::Null => Known::Value(None),
        Value::List(items) | Value::Set(items) => match items.first() {
            Some(Value::Unknown(_)) => Known::Unknown,
            first => Known::Value(first),
        },
        _ => Known::Unknown,
    }
}

/// The path of a top-level attribute.
pub fn at(name: &str) -> AttributePath {
    AttributePath::attribute(name)
}

/// The path of an attribute inside the single element of a block.
pub fn in_block(block: &str, name: &str) -> AttributePath {
    AttributePath::attribute(block).then_index(0).then_attribute(name)
}

/// The explicit auth flows that will be in force: the configured set, or Cognito's default trio when left out.
pub fn effective_auth_flows(config: &Value) -> Option<BTreeSet<&str>> {
    strings(planned(config, attr::EXPLICIT_AUTH_FLOWS)).value()
}

/// Whether the client will have a secret (`generate_secret` left out means no secret).
pub fn has_secret(config: &Value) -> Option<bool> {
    boolean(planned(config, attr::GENERATE_SECRET)).value()
}

/// Whether refresh-token rotation will be enabled (no block means Cognito's default, disabled).
pub fn rotation_enabled(config: &Value) -> Option<bool> {
    match block(config, attr::REFRESH_TOKEN_ROTATION) {
        Known::Unknown => None,
        Known::Null | Known::Value(None) => Some(false),
        Known::Value(Some(rotation)) => string(field(rotation, attr::FEATURE))
            .value()
            .map(|feature| feature == "ENABLED"),
    }
}

/// The unit of one token validity: from the units block, or Cognito's default unit when left out. `None` while
/// unknown, and for a misspelt unit (reported by the enum rule; the duration cannot be judged).
pub fn token_unit(config: &Value, unit_field: &str, default: TimeUnit) -> Option<TimeUnit> {
    match block(config, attr::TOKEN_VALIDITY_UNITS) {
        Known::Unknown => None,
        Known::Null | Known::Value(None) => Some(default),
        Known::Value(Some(units)) => match string(field(units, unit_field)) {
            Known::Unknown => None,
            Known::Null => Some(default),
            Known::Value(text) => TimeUnit::parse(text),
        },
    }
}

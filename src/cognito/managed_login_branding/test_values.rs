//! Values of the resource for unit tests.

use std::collections::BTreeMap;

use super::assets;
use super::schema::attr;
use crate::tf::value::Value;

/// An `asset` element for tests: a PNG of `category` and `color_mode` with `fields` set, the rest null.
pub fn test_element(category: &str, color_mode: &str, fields: &[(&str, Value)]) -> Value {
    let mut all = [
        (attr::CATEGORY, Value::string(category)),
        (attr::COLOR_MODE, Value::string(color_mode)),
        (attr::EXTENSION, Value::string("PNG")),
        (attr::BYTES, Value::Null),
        (attr::FILE, Value::Null),
        (attr::FILE_SHA256, Value::Null),
        (attr::RESOURCE_ID, Value::Null),
    ];
    for (name, value) in fields {
        if let Some(field) = all.iter_mut().find(|field| field.0 == *name) {
            field.1 = value.clone();
        }
    }
    assets::element(all)
}

/// A configuration (or state) of the resource with the given style and the other attributes null.
pub fn test_style(use_cognito_provided_values: Value, settings: Value, assets: Vec<Value>) -> Value {
    let fields: BTreeMap<String, Value> = [
        (attr::USER_POOL_ID, Value::string("us-east-1_abc")),
        (attr::CLIENT_ID, Value::string("client1")),
        (attr::MANAGED_LOGIN_BRANDING_ID, Value::Null),
        (attr::USE_COGNITO_PROVIDED_VALUES, use_cognito_provided_values),
        (attr::SETTINGS, settings),
        (attr::CREATION_DATE, Value::Null),
        (attr::LAST_MODIFIED_DATE, Value::Null),
        (attr::ASSET, Value::Set(assets)),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_string(), value))
    .collect();
    Value::Object(fields)
}

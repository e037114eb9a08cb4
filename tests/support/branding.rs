//! Managed login branding as the tests see it in the local Cognito: settings between JSON and the SDK's
//! `Document`, and a style reduced to what a configuration says ([`HeldStyle`]).

use std::collections::BTreeMap;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::primitives::Blob;
use aws_sdk_cognitoidentityprovider::types::{
    AssetCategoryType, AssetExtensionType, AssetType, ColorSchemeModeType, ManagedLoginBrandingType,
};
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::{Document, Number};
use serde_json::{Value, json};

pub fn document(value: &Value) -> Document {
    match value {
        Value::Null => Document::Null,
        Value::Bool(flag) => Document::Bool(*flag),
        Value::Number(number) => match (number.as_u64(), number.as_i64()) {
            (Some(unsigned), _) => Document::Number(Number::PosInt(unsigned)),
            (None, Some(signed)) => Document::Number(Number::NegInt(signed)),
            _ => Document::Number(Number::Float(number.as_f64().expect("a JSON number"))),
        },
        Value::String(text) => Document::String(text.clone()),
        Value::Array(items) => Document::Array(items.iter().map(document).collect()),
        Value::Object(members) => Document::Object(
            members
                .iter()
                .map(|(key, member)| (key.clone(), document(member)))
                .collect(),
        ),
    }
}

pub fn json_value(document: &Document) -> Value {
    match document {
        Document::Null => Value::Null,
        Document::Bool(flag) => Value::Bool(*flag),
        Document::Number(Number::PosInt(unsigned)) => json!(unsigned),
        Document::Number(Number::NegInt(signed)) => json!(signed),
        Document::Number(Number::Float(float)) => json!(float),
        Document::String(text) => Value::String(text.clone()),
        Document::Array(items) => Value::Array(items.iter().map(json_value).collect()),
        Document::Object(members) => Value::Object(
            members
                .iter()
                .map(|(key, member)| (key.clone(), json_value(member)))
                .collect(),
        ),
    }
}

/// An asset with its required members.
pub fn asset(category: &str, color_mode: &str, extension: &str, bytes: &[u8]) -> AssetType {
    AssetType::builder()
        .category(AssetCategoryType::from(category))
        .color_mode(ColorSchemeModeType::from(color_mode))
        .extension(AssetExtensionType::from(extension))
        .bytes(Blob::new(bytes))
        .build()
        .expect("an asset with its required members")
}

/// (category, color mode) → (extension, image).
pub type HeldAssets = BTreeMap<(String, String), (String, Vec<u8>)>;

/// A style as Cognito holds it, in the terms of a configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldStyle {
    pub id: String,
    pub use_cognito_provided_values: bool,
    /// The customized settings; `None` when there are none.
    pub settings: Option<Value>,
    pub assets: HeldAssets,
}

impl HeldStyle {
    pub fn from_sdk(style: &ManagedLoginBrandingType) -> HeldStyle {
        HeldStyle {
            id: style.managed_login_branding_id().expect("a style ID").to_owned(),
            use_cognito_provided_values: style.use_cognito_provided_values(),
            settings: style.settings().map(json_value),
            assets: style
                .assets()
                .iter()
                .map(|asset| {
                    (
                        (
                            asset.category().as_str().to_owned(),
                            asset.color_mode().as_str().to_owned(),
                        ),
                        (
                            asset.extension().as_str().to_owned(),
                            asset.bytes().map(|bytes| bytes.as_ref().to_vec()).unwrap_or_default(),
                        ),
                    )
                })
                .collect(),
        }
    }
}

/// The style of an app client (DescribeManagedLoginBrandingByClient); `None` when it has none.
pub async fn held_style(sdk: &Client, pool_id: &str, client_id: &str) -> Option<HeldStyle> {
    let answer = sdk
        .describe_managed_login_branding_by_client()
        .user_pool_id(pool_id)
        .client_id(client_id)
        .send()
        .await;
    match answer {
        Ok(output) => output.managed_login_branding().map(HeldStyle::from_sdk),
        Err(error) if error.code() == Some("ResourceNotFoundException") => None,
        Err(error) => panic!("DescribeManagedLoginBrandingByClient: {}", DisplayErrorContext(&error)),
    }
}

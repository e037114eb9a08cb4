//! Between the branding model ([`StyleRequest`], [`RemoteStyle`], JSON settings) and the AWS SDK's types
//! (`ManagedLoginBrandingType`, `AssetType`, `Document`).

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::primitives::Blob;
use aws_sdk_cognitoidentityprovider::types::{
    AssetCategoryType, AssetExtensionType, AssetType, ColorSchemeModeType, ManagedLoginBrandingType,
};
use aws_smithy_types::{Document, Number};
use serde_json::Value as Json;

use super::super::user_pool_client::mapping::format_timestamp;
use crate::cognito::managed_login_branding::model::{AssetContent, RemoteStyle};

/// A JSON value as the SDK's `Document`. Integers stay integers; other numbers become floats.
pub fn document(value: &Json) -> Document {
    match value {
        Json::Null => Document::Null,
        Json::Bool(flag) => Document::Bool(*flag),
        Json::Number(number) => Document::Number(match (number.as_u64(), number.as_i64()) {
            (Some(unsigned), _) => Number::PosInt(unsigned),
            (None, Some(signed)) => Number::NegInt(signed),
            _ => Number::Float(number.as_f64().unwrap_or(f64::NAN)),
        }),
        Json::String(text) => Document::String(text.clone()),
        Json::Array(items) => Document::Array(items.iter().map(document).collect()),
        Json::Object(members) => Document::Object(
            members
                .iter()
                .map(|(key, member)| (key.clone(), document(member)))
                .collect::<HashMap<_, _>>(),
        ),
    }
}

/// The SDK's `Document` as a JSON value. A float JSON cannot hold (NaN, infinity) becomes null. Members come in the
/// order of their names, as a `Document` object has none of its own.
pub fn json(document: &Document) -> Json {
    match document {
        Document::Null => Json::Null,
        Document::Bool(flag) => Json::Bool(*flag),
        Document::Number(Number::PosInt(unsigned)) => Json::from(*unsigned),
        Document::Number(Number::NegInt(signed)) => Json::from(*signed),
        Document::Number(Number::Float(float)) => serde_json::Number::from_f64(*float).map_or(Json::Null, Json::Number),
        Document::String(text) => Json::String(text.clone()),
        Document::Array(items) => Json::Array(items.iter().map(json).collect()),
        Document::Object(members) => {
            let mut names: Vec<&String> = members.keys().collect();
            names.sort();
            Json::Object(
                names
                    .into_iter()
                    .map(|name| (name.clone(), json(&members[name])))
                    .collect(),
            )
        }
    }
}

/// An asset as the SDK sends it. Category, color mode and extension were checked at plan time; a value the SDK
/// does not know is sent as it is.
pub fn asset_to_sdk(asset: &AssetContent) -> AssetType {
    AssetType::builder()
        .category(AssetCategoryType::from(asset.category.as_str()))
        .color_mode(ColorSchemeModeType::from(asset.color_mode.as_str()))
        .extension(AssetExtensionType::from(asset.extension.as_str()))
        .bytes(Blob::new(asset.bytes.clone()))
        .set_resource_id(asset.resource_id.clone())
        .build()
        .expect("category, color mode and extension are always set")
}

fn asset_from_sdk(asset: &AssetType) -> AssetContent {
    AssetContent {
        category: asset.category().as_str().to_string(),
        color_mode: asset.color_mode().as_str().to_string(),
        extension: asset.extension().as_str().to_string(),
        bytes: asset.bytes().map(|bytes| bytes.as_ref().to_vec()).unwrap_or_default(),
        resource_id: asset.resource_id().map(str::to_string),
    }
}

/// The style a response reports; `None` when it has no ID (then nothing can be said about it).
pub fn remote_style_from_sdk(style: &ManagedLoginBrandingType, user_pool_id: &str) -> Option<RemoteStyle> {
    Some(RemoteStyle {
        managed_login_branding_id: style.managed_login_branding_id()?.to_string(),
        user_pool_id: style.user_pool_id().unwrap_or(user_pool_id).to_string(),
        use_cognito_provided_values: style.use_cognito_provided_values(),
        settings: style.settings().map(json),
        assets: style.assets().iter().map(asset_from_sdk).collect(),
        creation_date: style.creation_date().and_then(format_timestamp),
        last_modified_date: style.last_modified_date().and_then(format_timestamp),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn settings_survive_the_trip_through_a_document() {
        let settings = json!({
            "b": [1, -2, 2.5, "text", null, true],
            "a": {"nested": {"deep": false}, "big": 18446744073709551615u64},
        });
        assert_eq!(json(&document(&settings)), settings);
    }

    #[test]
    fn assets_map_both_ways() {
        let asset = AssetContent {
            category: "FORM_LOGO".into(),
            color_mode: "DARK".into(),
            extension: "SVG".into(),
            bytes: b"<svg/>".to_vec(),
            resource_id: Some("logo".into()),
        };
        assert_eq!(asset_from_sdk(&asset_to_sdk(&asset)), asset);
    }

    #[test]
    fn a_reported_style_needs_an_id() {
        let style = ManagedLoginBrandingType::builder()
            .managed_login_branding_id("6f1c2a9e-0d4b-4c1e-9a7f-3b2d1e0f4a5c")
            .use_cognito_provided_values(true)
            .creation_date(aws_smithy_types::DateTime::from_secs(1_767_225_600))
            .build();
        let remote = remote_style_from_sdk(&style, "us-east-1_abc").unwrap();
        assert_eq!(remote.user_pool_id, "us-east-1_abc");
        assert!(remote.use_cognito_provided_values);
        assert_eq!(remote.settings, None);
        assert_eq!(remote.creation_date.as_deref(), Some("2026-01-01T00:00:00Z"));
        assert_eq!(
            remote_style_from_sdk(&ManagedLoginBrandingType::builder().build(), "p"),
            None
        );
    }
}

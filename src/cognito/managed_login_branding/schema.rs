//! The `cognito_managed_login_branding` schema. Attribute names follow HashiCorp's
//! `aws_cognito_managed_login_branding`, so a configuration ports by renaming the resource type; `file` and
//! `file_sha256` are this provider's addition, for images that should not sit in the state.

use super::model::{ASSET_CATEGORIES, ASSET_EXTENSIONS, COLOR_MODES, MAX_ASSETS};
use crate::tf::schema::{Attribute, Block, NestedBlock, Nesting, Schema};
use crate::tf::value::Type;

pub const TYPE_NAME: &str = "cognito_managed_login_branding";
pub const SCHEMA_VERSION: i64 = 0;

pub mod attr {
    pub const USER_POOL_ID: &str = "user_pool_id";
    pub const CLIENT_ID: &str = "client_id";
    pub const MANAGED_LOGIN_BRANDING_ID: &str = "managed_login_branding_id";
    pub const USE_COGNITO_PROVIDED_VALUES: &str = "use_cognito_provided_values";
    pub const SETTINGS: &str = "settings";
    pub const ASSET: &str = "asset";
    pub const CREATION_DATE: &str = "creation_date";
    pub const LAST_MODIFIED_DATE: &str = "last_modified_date";

    pub const CATEGORY: &str = "category";
    pub const COLOR_MODE: &str = "color_mode";
    pub const EXTENSION: &str = "extension";
    pub const BYTES: &str = "bytes";
    pub const FILE: &str = "file";
    pub const FILE_SHA256: &str = "file_sha256";
    pub const RESOURCE_ID: &str = "resource_id";
}

/// `A`, `B` or `C` in Markdown, for descriptions listing an enum.
pub fn listing(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|value| format!("`{value}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The `asset` block: one image of the style.
pub fn asset_block() -> Block {
    use attr::*;
    Block::new("An image of the style: a logo, background or icon for one display mode.")
        .attribute(Attribute::required(
            CATEGORY,
            Type::String,
            format!("Where the image is used: {}.", listing(&ASSET_CATEGORIES)),
        ))
        .attribute(Attribute::required(
            COLOR_MODE,
            Type::String,
            format!(
                "The display mode the image is for: {} (browser-adaptive). A style holds one image per category \
                 and color mode.",
                listing(&COLOR_MODES)
            ),
        ))
        .attribute(Attribute::required(
            EXTENSION,
            Type::String,
            format!("The image's file type: {}.", listing(&ASSET_EXTENSIONS)),
        ))
        .attribute(Attribute::optional(
            BYTES,
            Type::String,
            "The image, Base64-encoded (e.g. `filebase64(\"logo.png\")`), at most 1,000,000 bytes before encoding. \
             Kept in the state. Give either this or `file`.",
        ))
        .attribute(Attribute::optional(
            FILE,
            Type::String,
            "Path of the image file, read by the provider when it sends the image; only the path and \
             `file_sha256` are kept in the state. Needs `file_sha256`. Give either this or `bytes`.",
        ))
        .attribute(Attribute::optional(
            FILE_SHA256,
            Type::String,
            "`filebase64sha256(file)`: how a change of the file's content shows in the plan, and how a change \
             made in Cognito is recognised.",
        ))
        .attribute(Attribute::optional(
            RESOURCE_ID,
            Type::String,
            "An ID for the asset, 1–40 characters of letters, digits, `_`, `-` and spaces.",
        ))
}

pub fn schema() -> Schema {
    use attr::*;
    let block = Block::new(
        "The managed login branding style of an app client: the look of the sign-in pages Cognito serves for it. \
         An app client made through the API has no style, and managed login serves no pages for it until it has \
         one; `use_cognito_provided_values = true` gives it Cognito's default look. One style per app client.",
    )
    .attribute(
        Attribute::required(
            USER_POOL_ID,
            Type::String,
            "ID of the user pool. Changing it creates a new style.",
        )
        .requires_replace(),
    )
    .attribute(
        Attribute::required(
            CLIENT_ID,
            Type::String,
            "ID of the app client the style is for. Changing it creates a new style.",
        )
        .requires_replace(),
    )
    .attribute(Attribute::computed(
        MANAGED_LOGIN_BRANDING_ID,
        Type::String,
        "The style's ID (a UUID).",
    ))
    .attribute(Attribute::optional_computed(
        USE_COGNITO_PROVIDED_VALUES,
        Type::Bool,
        "`true`: Cognito's default style, with no `settings` (`asset` blocks may still add images). Default: \
         `true` when neither `settings` nor `asset` is given, `false` otherwise.",
    ))
    .attribute(Attribute::optional(
        SETTINGS,
        Type::String,
        "The style's settings, a JSON object as the branding editor writes it (e.g. `jsonencode({...})`). \
         Compared as JSON: formatting and key order never show as a change, and members Cognito adds on its side \
         are left out of the plan. Removing a member resets the style and applies the rest again.",
    ))
    .attribute(Attribute::computed(
        CREATION_DATE,
        Type::String,
        "When the style was created (RFC 3339).",
    ))
    .attribute(Attribute::computed(
        LAST_MODIFIED_DATE,
        Type::String,
        "When the style was last changed (RFC 3339).",
    ))
    .block(NestedBlock {
        type_name: ASSET,
        block: asset_block(),
        nesting: Nesting::Set,
        min_items: 0,
        max_items: MAX_ASSETS as i64,
    });
    Schema::new(SCHEMA_VERSION, block)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_has_no_problems_and_every_attribute_is_described() {
        let schema = schema();
        assert_eq!(schema.problems(), Vec::<String>::new());
        assert_eq!(schema.block.attributes.len(), 7);
        let asset = schema.block.find_block(attr::ASSET).unwrap();
        assert_eq!((asset.nesting, asset.max_items), (Nesting::Set, 40));
        assert_eq!(asset.block.attributes.len(), 7);
    }

    #[test]
    fn enum_listings_read_as_prose() {
        assert_eq!(listing(&["A"]), "`A`");
        assert_eq!(listing(&["A", "B", "C"]), "`A`, `B` or `C`");
    }
}

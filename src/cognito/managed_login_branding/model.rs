//! The managed-login-branding model in the provider's own types: what Cognito's enums and limits are, what one
//! Create or Update carries ([`StyleRequest`]) and what Describe reports ([`RemoteStyle`]). No SDK types appear
//! here; the mapping to and from the SDK lives with the API.

use serde_json::Value as Json;

/// AssetCategoryType of the Cognito API Reference.
pub const ASSET_CATEGORIES: [&str; 15] = [
    "FAVICON_ICO",
    "FAVICON_SVG",
    "EMAIL_GRAPHIC",
    "SMS_GRAPHIC",
    "AUTH_APP_GRAPHIC",
    "PASSWORD_GRAPHIC",
    "PASSKEY_GRAPHIC",
    "PAGE_HEADER_LOGO",
    "PAGE_HEADER_BACKGROUND",
    "PAGE_FOOTER_LOGO",
    "PAGE_FOOTER_BACKGROUND",
    "PAGE_BACKGROUND",
    "FORM_BACKGROUND",
    "FORM_LOGO",
    "IDP_BUTTON_ICON",
];

/// ColorSchemeModeType: the display mode an asset is for.
pub const COLOR_MODES: [&str; 3] = ["LIGHT", "DARK", "DYNAMIC"];

/// AssetExtensionType: the file type of an asset.
pub const ASSET_EXTENSIONS: [&str; 5] = ["ICO", "JPEG", "PNG", "SVG", "WEBP"];

/// AssetListType holds at most this many assets.
pub const MAX_ASSETS: usize = 40;

/// AssetBytesType: one asset's image holds at most this many bytes (before Base64).
pub const MAX_ASSET_BYTES: usize = 1_000_000;

/// Create and Update have a "2-megabyte request-size limit", settings and assets included. Taken as 2 MiB: of the
/// two readings it is the one that never refuses a request Cognito would accept.
pub const MAX_REQUEST_BYTES: usize = 2 * 1024 * 1024;

/// ResourceIdType: 1 to 40 of `[\w\- ]`.
pub fn is_valid_resource_id(id: &str) -> bool {
    (1..=40).contains(&id.chars().count())
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == ' ')
}

/// One image of a style, as sent to and reported by Cognito. Cognito keeps one asset per category and color mode
/// (an Update replaces the asset of the same pair), which is why that pair is an asset's [`AssetContent::key`].
#[derive(Clone, PartialEq, Eq)]
pub struct AssetContent {
    pub category: String,
    pub color_mode: String,
    pub extension: String,
    pub bytes: Vec<u8>,
    pub resource_id: Option<String>,
}

impl AssetContent {
    pub fn key(&self) -> (&str, &str) {
        (&self.category, &self.color_mode)
    }
}

impl std::fmt::Debug for AssetContent {
    /// Images can be large: only their size is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssetContent")
            .field("category", &self.category)
            .field("color_mode", &self.color_mode)
            .field("extension", &self.extension)
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .field("resource_id", &self.resource_id)
            .finish()
    }
}

/// The members of one CreateManagedLoginBranding or UpdateManagedLoginBranding request besides the IDs. Cognito
/// keeps whatever an Update leaves out (`None` or no assets).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StyleRequest {
    pub use_cognito_provided_values: Option<bool>,
    pub settings: Option<Json>,
    pub assets: Vec<AssetContent>,
}

/// A style as DescribeManagedLoginBranding(ByClient) reports it (ManagedLoginBrandingType).
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteStyle {
    pub managed_login_branding_id: String,
    pub user_pool_id: String,
    pub use_cognito_provided_values: bool,
    /// The customized settings (or, when asked with ReturnMergedResources, everything); `None` when there are none.
    pub settings: Option<Json>,
    pub assets: Vec<AssetContent>,
    /// RFC 3339, when Cognito reports it.
    pub creation_date: Option<String>,
    pub last_modified_date: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_ids_follow_the_model_pattern() {
        for good in ["a", "logo-1", "my logo_2", &"x".repeat(40)] {
            assert!(is_valid_resource_id(good), "{good}");
        }
        for bad in ["", "a/b", "dot.png", &"x".repeat(41)] {
            assert!(!is_valid_resource_id(bad), "{bad}");
        }
    }

    #[test]
    fn asset_debug_hides_the_image() {
        let asset = AssetContent {
            category: "FORM_LOGO".into(),
            color_mode: "LIGHT".into(),
            extension: "PNG".into(),
            bytes: vec![0xAB; 300],
            resource_id: None,
        };
        let shown = format!("{asset:?}");
        assert!(shown.contains("<300 bytes>") && !shown.contains("171"), "{shown}");
    }
}

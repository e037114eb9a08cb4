//! The `asset` blocks: where an image comes from (`bytes` or `file`), the image Cognito is sent, and how what
//! Cognito reports becomes set elements again.
//!
//! Assets compare as a set, and an asset is identified by its category and color mode, as Cognito keeps one image
//! per pair. On read, an asset that still has the configured extension, image and ID comes back as the very
//! element of the prior state (so its `bytes` text or `file` path is kept and nothing shows); any difference
//! comes back as what Cognito holds, in the form the configuration used (`bytes`, or `file` with the image's
//! hash), so the plan shows exactly what will be sent again.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use super::model::AssetContent;
use super::schema::attr;
use crate::tf::value::Value;

/// Why an asset's image cannot be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssetError {
    #[error("`bytes` is not Base64 text: {0}")]
    NotBase64(String),
    #[error("cannot read the file {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("the file {path} has changed since `file_sha256` was computed (it is now {actual}); run the plan again")]
    Changed { path: String, actual: String },
    #[error("the asset has neither `bytes` nor `file`")]
    NoImage,
    #[error("the asset's {0} is not known")]
    Unknown(&'static str),
}

pub fn decode(text: &str) -> Result<Vec<u8>, AssetError> {
    STANDARD
        .decode(text)
        .map_err(|error| AssetError::NotBase64(error.to_string()))
}

pub fn encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// How many characters the Base64 text of `length` bytes has.
pub fn encoded_len(length: usize) -> usize {
    length.div_ceil(3) * 4
}

/// What Terraform's `filebase64sha256` gives for these bytes.
pub fn base64_sha256(bytes: &[u8]) -> String {
    STANDARD.encode(Sha256::digest(bytes))
}

pub fn read_file(path: &str) -> Result<Vec<u8>, AssetError> {
    std::fs::read(Path::new(path)).map_err(|error| AssetError::Unreadable {
        path: path.to_string(),
        reason: error.to_string(),
    })
}

fn text<'a>(element: &'a Value, name: &str) -> Option<&'a str> {
    element.attribute(name).and_then(Value::as_str)
}

/// The (category, color mode) of an asset element, when both are known.
pub fn key(element: &Value) -> Option<(String, String)> {
    Some((
        text(element, attr::CATEGORY)?.to_string(),
        text(element, attr::COLOR_MODE)?.to_string(),
    ))
}

/// The image an asset element stands for, read from `bytes` or from `file` (whose content must still have the
/// planned `file_sha256`, so the image sent is the image reviewed).
pub fn content(element: &Value) -> Result<AssetContent, AssetError> {
    let required = |name: &'static str| text(element, name).map(str::to_string).ok_or(AssetError::Unknown(name));
    let bytes = if let Some(encoded) = text(element, attr::BYTES) {
        decode(encoded)?
    } else if let Some(path) = text(element, attr::FILE) {
        let bytes = read_file(path)?;
        let actual = base64_sha256(&bytes);
        if text(element, attr::FILE_SHA256).is_some_and(|planned| planned != actual) {
            return Err(AssetError::Changed {
                path: path.to_string(),
                actual,
            });
        }
        bytes
    } else {
        return Err(AssetError::NoImage);
    };
    Ok(AssetContent {
        category: required(attr::CATEGORY)?,
        color_mode: required(attr::COLOR_MODE)?,
        extension: required(attr::EXTENSION)?,
        bytes,
        resource_id: text(element, attr::RESOURCE_ID).map(str::to_string),
    })
}

/// Whether a prior element still describes `remote`: same extension, same image, and the same ID where the
/// configuration gave one (an ID Cognito assigns by itself is not the configuration's business).
fn describes(element: &Value, remote: &AssetContent) -> bool {
    let same_image = match (text(element, attr::BYTES), text(element, attr::FILE_SHA256)) {
        (Some(encoded), _) => decode(encoded).is_ok_and(|bytes| bytes == remote.bytes),
        (None, Some(hash)) => hash == base64_sha256(&remote.bytes),
        (None, None) => false,
    };
    let same_id = match text(element, attr::RESOURCE_ID) {
        None => true,
        Some(id) => remote.resource_id.as_deref() == Some(id),
    };
    same_image && same_id && text(element, attr::EXTENSION) == Some(remote.extension.as_str())
}

pub(crate) fn element(fields: [(&str, Value); 7]) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect::<BTreeMap<_, _>>(),
    )
}

fn optional(value: Option<&str>) -> Value {
    value.map_or(Value::Null, Value::string)
}

/// The element for what Cognito holds, in the form of `prior` (the element of the same category and color mode,
/// if any): a `file` stays a file whose hash is now the remote image's, anything else becomes `bytes`.
fn element_for(remote: &AssetContent, prior: Option<&Value>) -> Value {
    let file = prior.and_then(|element| text(element, attr::FILE));
    let configured_id = prior.and_then(|element| text(element, attr::RESOURCE_ID));
    let resource_id = match (configured_id, prior) {
        (None, Some(_)) => None,
        _ => remote.resource_id.as_deref(),
    };
    let (bytes, file_sha256) = match file {
        Some(_) => (Value::Null, Value::string(base64_sha256(&remote.bytes))),
        None => (Value::string(encode(&remote.bytes)), Value::Null),
    };
    element([
        (attr::CATEGORY, Value::string(remote.category.clone())),
        (attr::COLOR_MODE, Value::string(remote.color_mode.clone())),
        (attr::EXTENSION, Value::string(remote.extension.clone())),
        (attr::BYTES, bytes),
        (attr::FILE, optional(file)),
        (attr::FILE_SHA256, file_sha256),
        (attr::RESOURCE_ID, optional(resource_id)),
    ])
}

/// The `asset` set for what Cognito holds, keeping every prior element that still describes its remote asset.
pub fn state_elements(remote: &[AssetContent], prior: &[Value]) -> Value {
    let prior_by_key: BTreeMap<(String, String), &Value> = prior
        .iter()
        .filter_map(|element| key(element).map(|key| (key, element)))
        .collect();
    let elements = remote
        .iter()
        .map(|asset| {
            let prior = prior_by_key
                .get(&(asset.category.clone(), asset.color_mode.clone()))
                .copied();
            match prior {
                Some(element) if describes(element, asset) => element.clone(),
                _ => element_for(asset, prior),
            }
        })
        .collect();
    Value::Set(elements)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remote(category: &str, mode: &str, bytes: &[u8]) -> AssetContent {
        AssetContent {
            category: category.into(),
            color_mode: mode.into(),
            extension: "PNG".into(),
            bytes: bytes.to_vec(),
            resource_id: None,
        }
    }

    use crate::cognito::managed_login_branding::test_values::test_element;

    fn configured(category: &str, mode: &str, source: (&str, Value)) -> Value {
        test_element(category, mode, &[source])
    }

    #[test]
    fn hashes_and_lengths_match_terraform_functions() {
        // filebase64sha256 of a file holding "hello".
        assert_eq!(base64_sha256(b"hello"), "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=");
        for length in [0, 1, 2, 3, 4, 1000] {
            assert_eq!(encoded_len(length), encode(&vec![0; length]).len());
        }
        assert!(matches!(decode("not base64!"), Err(AssetError::NotBase64(_))));
    }

    #[test]
    fn unchanged_assets_come_back_as_the_prior_elements_in_any_order() {
        let logo = configured("FORM_LOGO", "LIGHT", (attr::BYTES, Value::string(encode(b"logo"))));
        let background = configured("PAGE_BACKGROUND", "DARK", (attr::BYTES, Value::string(encode(b"bg"))));
        let state = state_elements(
            &[
                remote("PAGE_BACKGROUND", "DARK", b"bg"),
                remote("FORM_LOGO", "LIGHT", b"logo"),
            ],
            &[logo.clone(), background.clone()],
        );
        assert!(state.semantically_equal(&Value::Set(vec![logo, background])));
    }

    #[test]
    fn a_changed_image_shows_in_the_form_the_configuration_used() {
        let hash = base64_sha256(b"old");
        let file = configured("FORM_LOGO", "LIGHT", (attr::FILE, Value::string("logo.png")));
        let Value::Object(mut file) = file else { unreachable!() };
        file.insert(attr::FILE_SHA256.into(), Value::string(hash));
        let file = Value::Object(file);
        let bytes = configured("PAGE_BACKGROUND", "DARK", (attr::BYTES, Value::string(encode(b"old"))));
        let state = state_elements(
            &[
                remote("FORM_LOGO", "LIGHT", b"new"),
                remote("PAGE_BACKGROUND", "DARK", b"new"),
            ],
            &[file, bytes],
        );
        let elements = state.as_elements().unwrap();
        let by_key = |category: &str| {
            elements
                .iter()
                .find(|e| text(e, attr::CATEGORY) == Some(category))
                .unwrap()
        };
        let logo = by_key("FORM_LOGO");
        assert_eq!(text(logo, attr::FILE), Some("logo.png"));
        assert_eq!(text(logo, attr::FILE_SHA256), Some(base64_sha256(b"new").as_str()));
        assert_eq!(text(logo, attr::BYTES), None);
        let background = by_key("PAGE_BACKGROUND");
        assert_eq!(text(background, attr::BYTES), Some(encode(b"new").as_str()));
    }

    #[test]
    fn assets_only_cognito_holds_appear_and_removed_ones_disappear() {
        let gone = configured("FORM_LOGO", "LIGHT", (attr::BYTES, Value::string(encode(b"x"))));
        let mut extra = remote("FAVICON_ICO", "DYNAMIC", b"icon");
        extra.resource_id = Some("console".into());
        let state = state_elements(&[extra], &[gone]);
        let elements = state.as_elements().unwrap();
        assert_eq!(elements.len(), 1);
        assert_eq!(text(&elements[0], attr::CATEGORY), Some("FAVICON_ICO"));
        assert_eq!(text(&elements[0], attr::BYTES), Some(encode(b"icon").as_str()));
        assert_eq!(text(&elements[0], attr::RESOURCE_ID), Some("console"));
    }

    #[test]
    fn an_id_cognito_assigns_is_not_a_change_a_different_configured_one_is() {
        let mut assigned = remote("FORM_LOGO", "LIGHT", b"x");
        assigned.resource_id = Some("generated".into());
        let without_id = configured("FORM_LOGO", "LIGHT", (attr::BYTES, Value::string(encode(b"x"))));
        assert!(
            state_elements(std::slice::from_ref(&assigned), std::slice::from_ref(&without_id))
                .semantically_equal(&Value::Set(vec![without_id.clone()]))
        );
        let Value::Object(mut with_id) = without_id else {
            unreachable!()
        };
        with_id.insert(attr::RESOURCE_ID.into(), Value::string("mine"));
        let state = state_elements(&[assigned], &[Value::Object(with_id)]);
        assert_eq!(
            text(&state.as_elements().unwrap()[0], attr::RESOURCE_ID),
            Some("generated")
        );
    }

    #[test]
    fn content_reads_bytes_or_the_file_it_was_planned_with() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("logo.png");
        std::fs::write(&path, b"image").unwrap();
        let path_text = path.to_str().unwrap();
        let from_bytes = configured("FORM_LOGO", "LIGHT", (attr::BYTES, Value::string(encode(b"image"))));
        assert_eq!(content(&from_bytes).unwrap().bytes, b"image");

        let Value::Object(mut from_file) = configured("FORM_LOGO", "LIGHT", (attr::FILE, Value::string(path_text)))
        else {
            unreachable!()
        };
        from_file.insert(attr::FILE_SHA256.into(), Value::string(base64_sha256(b"image")));
        let from_file = Value::Object(from_file);
        assert_eq!(content(&from_file).unwrap().bytes, b"image");
        std::fs::write(&path, b"edited after the plan").unwrap();
        assert!(matches!(content(&from_file), Err(AssetError::Changed { .. })));
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(content(&from_file), Err(AssetError::Unreadable { .. })));
    }
}

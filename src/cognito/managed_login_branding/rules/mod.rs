//! Plan-time validation of a `cognito_managed_login_branding` configuration: what Cognito would refuse (or could
//! not hold as configured) becomes an error on the attribute, before anything is sent.
//!
//! Pure over the configuration value, apart from reading the size (and hash) of `file` assets. Unknown values are
//! skipped; Terraform validates again once they are known.
//!
//! Terraform finds the line of an error inside a block of a set by the block's position in the configuration,
//! while the provider sees the set's elements in another order. So a problem of the only `asset` block is reported
//! on its attribute (`asset[0].category`), and problems among several blocks on `asset`, naming the asset in their
//! text.

use std::collections::BTreeSet;

use serde_json::{Value as Json, json};

use crate::cognito::managed_login_branding::assets;
use crate::cognito::managed_login_branding::model::{
    ASSET_CATEGORIES, ASSET_EXTENSIONS, COLOR_MODES, MAX_ASSET_BYTES, MAX_REQUEST_BYTES, is_valid_resource_id,
};
use crate::cognito::managed_login_branding::schema::{attr, listing};
use crate::cognito::managed_login_branding::settings;
use crate::tf::diagnostics::{AttributePath, Diagnostic, Diagnostics};
use crate::tf::value::Value;

/// The longest IDs the model allows, standing in for IDs not known yet when sizing a request.
const MAX_USER_POOL_ID_CHARACTERS: usize = 55;
const MAX_CLIENT_ID_CHARACTERS: usize = 128;

/// What the configuration says about one value.
enum Known<'a> {
    Unknown,
    Null,
    Value(&'a Value),
}

fn known<'a>(object: &'a Value, name: &str) -> Known<'a> {
    match object.attribute(name) {
        _ if object.is_unknown() => Known::Unknown,
        None | Some(Value::Null) => Known::Null,
        Some(value) if value.is_unknown() => Known::Unknown,
        Some(value) => Known::Value(value),
    }
}

fn known_str<'a>(object: &'a Value, name: &str) -> Option<&'a str> {
    match known(object, name) {
        Known::Value(value) => value.as_str(),
        Known::Unknown | Known::Null => None,
    }
}

fn error_at(diagnostics: &mut Diagnostics, name: &str, summary: &str, detail: String) {
    diagnostics.push(Diagnostic::error(summary, detail).at(AttributePath::attribute(name)));
}

/// Every problem of one configuration; empty when it is valid.
pub fn validate(config: &Value) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    if !matches!(config, Value::Object(_)) {
        return diagnostics;
    }
    let settings = check_settings(config, &mut diagnostics);
    let images = check_assets(config, &mut diagnostics);
    if let (Some(settings), Some(images)) = (settings, images) {
        check_request_size(config, settings.as_ref(), &images, &mut diagnostics);
    }
    diagnostics
}

/// The settings document: `Some(None)` when left out, `None` when unknown or invalid.
fn check_settings(config: &Value, diagnostics: &mut Diagnostics) -> Option<Option<Json>> {
    let settings = known(config, attr::SETTINGS);
    let defaults_wanted = matches!(
        known(config, attr::USE_COGNITO_PROVIDED_VALUES),
        Known::Value(Value::Bool(true))
    );
    if defaults_wanted && matches!(settings, Known::Value(_)) {
        error_at(
            diagnostics,
            attr::USE_COGNITO_PROVIDED_VALUES,
            "Conflicting arguments",
            "`use_cognito_provided_values = true` gives the style Cognito's default settings, so it cannot be \
             combined with `settings`. Remove `settings`, or set `use_cognito_provided_values = false` (or leave it \
             out)."
                .to_string(),
        );
    }
    match settings {
        Known::Unknown => None,
        Known::Null => Some(None),
        Known::Value(value) => match settings::parse(value.as_str().unwrap_or_default()) {
            Ok(document) => Some(Some(document)),
            Err(problem) => {
                error_at(
                    diagnostics,
                    attr::SETTINGS,
                    "Invalid settings",
                    format!(
                        "`settings` must be a JSON object, as the branding editor writes it; {problem}. Writing it \
                         with `jsonencode({{...}})` avoids such mistakes."
                    ),
                );
                None
            }
        },
    }
}

/// One asset as the request will carry it: its key and the size of its image.
struct Image {
    category: String,
    color_mode: String,
    extension: String,
    resource_id: Option<String>,
    size: usize,
}

fn describe_asset(element: &Value) -> String {
    match (known_str(element, attr::CATEGORY), known_str(element, attr::COLOR_MODE)) {
        (Some(category), Some(mode)) => format!("The asset {category}/{mode}"),
        _ => "An asset".to_string(),
    }
}

/// Checks every `asset` block; the images when all of them are known and valid.
fn check_assets(config: &Value, diagnostics: &mut Diagnostics) -> Option<Vec<Image>> {
    let elements = match known(config, attr::ASSET) {
        Known::Unknown => return None,
        Known::Null => return Some(Vec::new()),
        Known::Value(value) => value.as_elements().unwrap_or_default(),
    };
    let mut problems = Vec::new();
    let mut images = Some(Vec::new());
    let mut seen = BTreeSet::new();
    for element in elements {
        if element.is_unknown() {
            images = None;
            continue;
        }
        let name = describe_asset(element);
        for (member, allowed) in [
            (attr::CATEGORY, &ASSET_CATEGORIES[..]),
            (attr::COLOR_MODE, &COLOR_MODES[..]),
            (attr::EXTENSION, &ASSET_EXTENSIONS[..]),
        ] {
            if let Some(value) = known_str(element, member)
                && !allowed.contains(&value)
            {
                problems.push((
                    Some(member),
                    format!(
                        "{name}: `{member}` is \"{value}\", which is not one of {}.",
                        listing(allowed)
                    ),
                ));
            }
        }
        if let Some(key) = assets::key(element)
            && !seen.insert(key.clone())
        {
            problems.push((
                None,
                format!("{name} is given more than once: Cognito holds one image per category and color mode."),
            ));
        }
        if let Some(id) = known_str(element, attr::RESOURCE_ID)
            && !is_valid_resource_id(id)
        {
            problems.push((
                Some(attr::RESOURCE_ID),
                format!(
                    "{name}: `resource_id` \"{id}\" must be 1–40 characters of letters, digits, `_`, `-` and spaces."
                ),
            ));
        }
        match image_size(element) {
            Ok(Some(size)) if size > MAX_ASSET_BYTES => problems.push((
                image_member(element),
                format!("{name}: the image is {size} bytes; Cognito takes at most {MAX_ASSET_BYTES} bytes per image."),
            )),
            Ok(Some(size)) => {
                if let (Some(images), Some(category), Some(color_mode), Some(extension)) = (
                    images.as_mut(),
                    known_str(element, attr::CATEGORY),
                    known_str(element, attr::COLOR_MODE),
                    known_str(element, attr::EXTENSION),
                ) {
                    images.push(Image {
                        category: category.to_string(),
                        color_mode: color_mode.to_string(),
                        extension: extension.to_string(),
                        resource_id: known_str(element, attr::RESOURCE_ID).map(str::to_string),
                        size,
                    });
                } else {
                    images = None;
                }
            }
            Ok(None) => images = None,
            Err((member, problem)) => problems.push((member, format!("{name}: {problem}"))),
        }
    }
    if problems.is_empty() {
        return images;
    }
    if let [_only] = elements {
        let block = AttributePath::attribute(attr::ASSET).then_index(0);
        for (member, problem) in problems {
            let path = member.map_or_else(|| block.clone(), |member| block.then_attribute(member));
            diagnostics.push(Diagnostic::error("Invalid asset", problem).at(path));
        }
    } else {
        let text: Vec<String> = problems.into_iter().map(|(_, problem)| problem).collect();
        error_at(diagnostics, attr::ASSET, "Invalid asset", text.join("\n"));
    }
    None
}

/// The attribute that holds an asset's image.
fn image_member(element: &Value) -> Option<&'static str> {
    match known(element, attr::BYTES) {
        Known::Value(_) => Some(attr::BYTES),
        _ => Some(attr::FILE),
    }
}

/// A problem of an asset, with the attribute it is about (`None`: the block as a whole).
type AssetProblem = (Option<&'static str>, String);

/// The size of an asset's image: `Ok(None)` while unknown, `Err` for a problem worth an error.
fn image_size(element: &Value) -> Result<Option<usize>, AssetProblem> {
    let bytes = known(element, attr::BYTES);
    let file = known(element, attr::FILE);
    let hash = known(element, attr::FILE_SHA256);
    if matches!(hash, Known::Value(_)) && matches!(file, Known::Null) {
        return Err((
            Some(attr::FILE_SHA256),
            "`file_sha256` belongs with `file`.".to_string(),
        ));
    }
    match (bytes, file) {
        (Known::Value(_), Known::Value(_)) => Err((None, "give either `bytes` or `file`, not both.".to_string())),
        (Known::Null, Known::Null) => Err((None, "give the image as `bytes` or as `file`.".to_string())),
        (Known::Value(encoded), _) => match encoded.as_str().map(assets::decode) {
            Some(Ok(decoded)) => Ok(Some(decoded.len())),
            Some(Err(problem)) => Err((Some(attr::BYTES), format!("{problem}."))),
            None => Ok(None),
        },
        (_, Known::Value(path)) => {
            let Some(path) = path.as_str() else { return Ok(None) };
            let expected = match hash {
                Known::Null => {
                    return Err((
                        Some(attr::FILE),
                        format!(
                            "`file` needs `file_sha256 = filebase64sha256(\"{path}\")`, so that a new image shows \
                             in the plan."
                        ),
                    ));
                }
                Known::Unknown => None,
                Known::Value(hash) => hash.as_str(),
            };
            let image = assets::read_file(path).map_err(|problem| (Some(attr::FILE), format!("{problem}.")))?;
            let actual = assets::base64_sha256(&image);
            match expected {
                Some(expected) if expected != actual => Err((
                    Some(attr::FILE_SHA256),
                    format!("`file_sha256` is \"{expected}\", but the file's filebase64sha256 is \"{actual}\"."),
                )),
                _ => Ok(Some(image.len())),
            }
        }
        _ => Ok(None),
    }
}

/// The size of the CreateManagedLoginBranding request for this configuration, as the AWS SDK serializes it (JSON,
/// images in Base64). IDs not known yet count at their maximum length.
fn request_size(config: &Value, settings: Option<&Json>, images: &[Image]) -> usize {
    let id = |name: &str, longest: usize| known_str(config, name).map_or_else(|| "x".repeat(longest), str::to_string);
    let assets: Vec<Json> = images
        .iter()
        .map(|image| {
            let mut asset = json!({
                "Category": image.category,
                "ColorMode": image.color_mode,
                "Extension": image.extension,
                "Bytes": "",
            });
            if let Some(resource_id) = &image.resource_id {
                asset["ResourceId"] = json!(resource_id);
            }
            asset
        })
        .collect();
    let mut body = json!({
        "UserPoolId": id(attr::USER_POOL_ID, MAX_USER_POOL_ID_CHARACTERS),
        "ClientId": id(attr::CLIENT_ID, MAX_CLIENT_ID_CHARACTERS),
        "UseCognitoProvidedValues": false,
    });
    if let Some(settings) = settings {
        body["Settings"] = settings.clone();
    }
    if !assets.is_empty() {
        body["Assets"] = Json::Array(assets);
    }
    let encoded_images: usize = images.iter().map(|image| assets::encoded_len(image.size)).sum();
    settings::canonical(&body).len() + encoded_images
}

fn check_request_size(config: &Value, settings: Option<&Json>, images: &[Image], diagnostics: &mut Diagnostics) {
    let size = request_size(config, settings, images);
    if size <= MAX_REQUEST_BYTES {
        return;
    }
    let excess = size - MAX_REQUEST_BYTES;
    let attribute = if images.is_empty() { attr::SETTINGS } else { attr::ASSET };
    error_at(
        diagnostics,
        attribute,
        "Style too large",
        format!(
            "Sending this style takes a request of {size} bytes (settings, and images in Base64), {excess} bytes \
             over Cognito's limit of {MAX_REQUEST_BYTES} bytes (2 MB) for CreateManagedLoginBranding and \
             UpdateManagedLoginBranding. Use smaller images or fewer of them."
        ),
    );
}

#[cfg(test)]
mod tests;

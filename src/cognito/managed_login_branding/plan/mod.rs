//! Planning, and what an apply sends, as pure functions over values.
//!
//! - [`plan`]: the configuration, with the prior `settings` text kept when the configured JSON means the same (so
//!   reformatting never shows as a change), `use_cognito_provided_values` resolved, and the computed attributes.
//! - [`update_requests`]: the UpdateManagedLoginBranding requests that take a style from its prior state to the
//!   planned one. Cognito keeps whatever an Update leaves out, so only what changed is sent; and when the plan
//!   drops something (a settings member, an asset) the style is first reset to Cognito's defaults, after which the
//!   whole planned style is sent.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use super::assets::{self, AssetError};
use super::model::{AssetContent, StyleRequest};
use super::schema::attr;
use super::settings;
use crate::tf::value::{Value, get};

/// `use_cognito_provided_values` when the configuration leaves it out: the default style exactly when neither
/// settings nor assets are given; unknown while that is not known.
fn default_style_flag(config: &Value) -> Value {
    let settings = get(config, attr::SETTINGS);
    let assets = get(config, attr::ASSET);
    if settings.is_unknown() || assets.is_unknown() {
        return Value::unknown();
    }
    let no_assets = assets.as_elements().is_none_or(<[Value]>::is_empty);
    Value::Bool(settings.is_null() && no_assets)
}

/// The settings document of a known `settings` text (`None` when null, unknown or not JSON).
pub fn document(value: &Value) -> Option<Json> {
    value.as_str().and_then(|text| settings::parse(text).ok())
}

/// The planned state for `config` given the `prior` state (null on create).
pub fn plan(prior: &Value, config: &Value) -> Value {
    let Value::Object(config_attributes) = config else {
        return config.clone();
    };
    let mut planned = config_attributes.clone();
    if get(config, attr::USE_COGNITO_PROVIDED_VALUES).is_null() {
        planned.insert(attr::USE_COGNITO_PROVIDED_VALUES.into(), default_style_flag(config));
    }
    let prior_settings = get(prior, attr::SETTINGS);
    if let (Some(configured), Some(held)) = (document(get(config, attr::SETTINGS)), document(prior_settings))
        && settings::equal(&configured, &held)
    {
        planned.insert(attr::SETTINGS.into(), prior_settings.clone());
    }

    if prior.is_null() {
        for name in [
            attr::MANAGED_LOGIN_BRANDING_ID,
            attr::CREATION_DATE,
            attr::LAST_MODIFIED_DATE,
        ] {
            planned.insert(name.into(), Value::unknown());
        }
        return Value::Object(planned);
    }
    for name in [attr::MANAGED_LOGIN_BRANDING_ID, attr::CREATION_DATE] {
        planned.insert(name.into(), get(prior, name).clone());
    }
    let changed = [attr::USE_COGNITO_PROVIDED_VALUES, attr::SETTINGS, attr::ASSET]
        .iter()
        .any(|name| {
            !planned
                .get(*name)
                .unwrap_or(&Value::Null)
                .semantically_equal(get(prior, name))
        });
    let last_modified = if changed {
        Value::unknown()
    } else {
        get(prior, attr::LAST_MODIFIED_DATE).clone()
    };
    planned.insert(attr::LAST_MODIFIED_DATE.into(), last_modified);
    Value::Object(planned)
}

/// The asset elements of a state or plan, by category and color mode.
fn elements_by_key(value: &Value) -> BTreeMap<(String, String), &Value> {
    get(value, attr::ASSET)
        .as_elements()
        .unwrap_or_default()
        .iter()
        .filter_map(|element| assets::key(element).map(|key| (key, element)))
        .collect()
}

/// The images of `elements`, read through `content` (which reads `bytes` or `file`).
fn images<'a>(
    elements: impl Iterator<Item = &'a Value>,
    content: &impl Fn(&Value) -> Result<AssetContent, AssetError>,
) -> Result<Vec<AssetContent>, AssetError> {
    elements.map(content).collect()
}

/// The CreateManagedLoginBranding members of a planned style.
pub fn create_request(
    planned: &Value,
    content: &impl Fn(&Value) -> Result<AssetContent, AssetError>,
) -> Result<StyleRequest, AssetError> {
    Ok(StyleRequest {
        use_cognito_provided_values: Some(get(planned, attr::USE_COGNITO_PROVIDED_VALUES).as_bool() == Some(true)),
        settings: document(get(planned, attr::SETTINGS)),
        assets: images(elements_by_key(planned).into_values(), content)?,
    })
}

/// The Update requests, in order, that take the style from `prior` to `planned` (none when only the form of the
/// configuration changed, e.g. an image moved from `bytes` to an identical `file`).
pub fn update_requests(
    prior: &Value,
    planned: &Value,
    content: &impl Fn(&Value) -> Result<AssetContent, AssetError>,
) -> Result<Vec<StyleRequest>, AssetError> {
    let default_style = get(planned, attr::USE_COGNITO_PROVIDED_VALUES).as_bool() == Some(true);
    let was_default_style = get(prior, attr::USE_COGNITO_PROVIDED_VALUES).as_bool() == Some(true);
    let planned_settings = document(get(planned, attr::SETTINGS));
    let prior_settings = document(get(prior, attr::SETTINGS));
    let planned_assets = elements_by_key(planned);
    let prior_assets = elements_by_key(prior);
    let planned_keys: BTreeSet<_> = planned_assets.keys().collect();
    let asset_removed = prior_assets.keys().any(|key| !planned_keys.contains(key));
    let prior_customized = settings::non_empty(prior_settings.as_ref()).is_some();

    // Images that are new, or whose content may differ from what Cognito holds.
    let mut changed = Vec::new();
    for (key, element) in &planned_assets {
        let prior_element = prior_assets.get(key);
        if prior_element.is_some_and(|held| held.semantically_equal(element)) {
            continue;
        }
        let image = content(element)?;
        if !prior_element.is_some_and(|held| content(held).is_ok_and(|held| held == image)) {
            changed.push(image);
        }
    }
    let everything = || images(planned_assets.values().copied(), content);

    if default_style {
        if was_default_style && !prior_customized && !asset_removed {
            return Ok(only_if_any(StyleRequest {
                assets: changed,
                ..StyleRequest::default()
            }));
        }
        // Back to Cognito's defaults, with the planned images on top, in one request.
        return Ok(vec![StyleRequest {
            use_cognito_provided_values: Some(true),
            assets: everything()?,
            ..StyleRequest::default()
        }]);
    }

    let empty = Json::Object(Default::default());
    let drops = settings::drops_members(
        prior_settings.as_ref().unwrap_or(&empty),
        planned_settings.as_ref().unwrap_or(&empty),
    );
    if drops || asset_removed {
        let reset = StyleRequest {
            use_cognito_provided_values: Some(true),
            ..StyleRequest::default()
        };
        let whole = StyleRequest {
            use_cognito_provided_values: Some(false),
            settings: settings::non_empty(planned_settings.as_ref()).cloned(),
            assets: everything()?,
        };
        return Ok(vec![reset, whole]);
    }
    let settings_changed = !settings::equal_documents(prior_settings.as_ref(), planned_settings.as_ref());
    Ok(only_if_any(StyleRequest {
        use_cognito_provided_values: was_default_style.then_some(false),
        settings: if settings_changed { planned_settings } else { None },
        assets: changed,
    }))
}

fn only_if_any(request: StyleRequest) -> Vec<StyleRequest> {
    if request == StyleRequest::default() {
        Vec::new()
    } else {
        vec![request]
    }
}

#[cfg(test)]
mod tests;

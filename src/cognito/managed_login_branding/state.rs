//! The Terraform state for what Cognito reports, keeping the form of the prior state wherever Cognito's answer
//! means the same: the `settings` text as the configuration wrote it, the `asset` elements as configured. Any
//! real difference is reported as it is, so drift shows in the plan.
//!
//! Cognito's own additions to the settings (see [`super::settings`]) are remembered in the private state as
//! [`Private`] and taken out of every read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::assets;
use super::model::RemoteStyle;
use super::plan::document;
use super::schema::attr;
use super::settings;
use crate::tf::value::{Value, get};

/// What the resource keeps in Terraform's private state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Private {
    /// The settings members Cognito held beyond what was sent, as read right after the last write.
    #[serde(default)]
    pub settings_additions: Option<Json>,
}

impl Private {
    /// Unreadable or empty private bytes (an import, a state from another provider version) mean nothing known.
    pub fn from_bytes(bytes: &[u8]) -> Private {
        serde_json::from_slice(bytes).unwrap_or_default()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        if *self == Private::default() {
            return Vec::new();
        }
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// After a write of `sent` settings, what Cognito reports beyond them.
    pub fn after_write(sent: Option<&Json>, reported: Option<&Json>) -> Private {
        let empty = Json::Object(Default::default());
        Private {
            settings_additions: reported.and_then(|reported| settings::additions(reported, sent.unwrap_or(&empty))),
        }
    }
}

fn optional(value: &Option<String>) -> Value {
    value.as_ref().map_or(Value::Null, |text| Value::string(text.clone()))
}

/// The customized settings Cognito holds, without its own additions.
fn customized(remote: &RemoteStyle, private: &Private) -> Option<Json> {
    let held = settings::non_empty(remote.settings.as_ref())?;
    let own = match &private.settings_additions {
        Some(additions) => settings::without_additions(held, additions),
        None => held.clone(),
    };
    settings::non_empty(Some(&own)).cloned()
}

/// The state of the style `remote` of app client `client_id`, keeping `prior`'s form where it means the same.
pub fn state_from_remote(remote: &RemoteStyle, client_id: &str, prior: &Value, private: &Private) -> Value {
    let held = customized(remote, private);
    let prior_settings = get(prior, attr::SETTINGS);
    let settings = if prior_settings.as_str().is_some()
        && settings::equal_documents(document(prior_settings).as_ref(), held.as_ref())
    {
        prior_settings.clone()
    } else {
        held.as_ref()
            .map_or(Value::Null, |document| Value::string(settings::canonical(document)))
    };
    let prior_assets = get(prior, attr::ASSET).as_elements().unwrap_or_default();
    let state: BTreeMap<String, Value> = [
        (attr::USER_POOL_ID, Value::string(remote.user_pool_id.clone())),
        (attr::CLIENT_ID, Value::string(client_id)),
        (
            attr::MANAGED_LOGIN_BRANDING_ID,
            Value::string(remote.managed_login_branding_id.clone()),
        ),
        (
            attr::USE_COGNITO_PROVIDED_VALUES,
            Value::Bool(remote.use_cognito_provided_values),
        ),
        (attr::SETTINGS, settings),
        (attr::CREATION_DATE, optional(&remote.creation_date)),
        (attr::LAST_MODIFIED_DATE, optional(&remote.last_modified_date)),
        (attr::ASSET, assets::state_elements(&remote.assets, prior_assets)),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_string(), value))
    .collect();
    Value::Object(state)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::cognito::managed_login_branding::assets::encode;
    use crate::cognito::managed_login_branding::model::AssetContent;
    use crate::cognito::managed_login_branding::test_values::test_element;

    fn remote(settings: Option<Json>, assets: Vec<AssetContent>) -> RemoteStyle {
        RemoteStyle {
            managed_login_branding_id: "6f1c2a9e-0d4b-4c1e-9a7f-3b2d1e0f4a5c".into(),
            user_pool_id: "us-east-1_abc".into(),
            use_cognito_provided_values: settings.is_none() && assets.is_empty(),
            settings,
            assets,
            creation_date: Some("2026-01-02T03:04:05Z".into()),
            last_modified_date: Some("2026-01-02T03:04:06Z".into()),
        }
    }

    fn prior(settings: Value, assets: Vec<Value>) -> Value {
        let mut fields = BTreeMap::new();
        fields.insert(attr::SETTINGS.to_string(), settings);
        fields.insert(attr::ASSET.to_string(), Value::Set(assets));
        Value::Object(fields)
    }

    #[test]
    fn the_settings_text_as_written_is_kept_while_it_means_the_same() {
        let written = "{\n  \"b\": 2,\n  \"a\": {\"x\": 1.0}\n}";
        let state = state_from_remote(
            &remote(Some(json!({"a": {"x": 1}, "b": 2})), vec![]),
            "client1",
            &prior(Value::string(written), vec![]),
            &Private::default(),
        );
        assert_eq!(get(&state, attr::SETTINGS).as_str(), Some(written));
        assert_eq!(get(&state, attr::CLIENT_ID).as_str(), Some("client1"));
        assert_eq!(get(&state, attr::USE_COGNITO_PROVIDED_VALUES), &Value::Bool(false));
    }

    #[test]
    fn cognitos_additions_are_left_out_and_a_console_edit_shows() {
        let sent = json!({"a": {"x": 1}});
        let reported = json!({"a": {"x": 1, "y": "added"}, "z": true});
        let private = Private::after_write(Some(&sent), Some(&reported));
        assert_eq!(
            private.settings_additions,
            Some(json!({"a": {"y": "added"}, "z": true}))
        );
        let private = Private::from_bytes(&private.to_bytes());

        let written = Value::string(r#"{"a": {"x": 1}}"#);
        let unchanged = state_from_remote(
            &remote(Some(reported), vec![]),
            "c",
            &prior(written.clone(), vec![]),
            &private,
        );
        assert_eq!(get(&unchanged, attr::SETTINGS), &written);

        let edited = json!({"a": {"x": 2, "y": "added"}, "z": true});
        let drifted = state_from_remote(&remote(Some(edited), vec![]), "c", &prior(written, vec![]), &private);
        assert_eq!(get(&drifted, attr::SETTINGS).as_str(), Some(r#"{"a":{"x":2}}"#));
    }

    #[test]
    fn no_customized_settings_read_as_null_and_empty_objects_stay_as_written() {
        let default_style = state_from_remote(&remote(None, vec![]), "c", &Value::Null, &Private::default());
        assert_eq!(get(&default_style, attr::SETTINGS), &Value::Null);
        assert_eq!(
            get(&default_style, attr::USE_COGNITO_PROVIDED_VALUES),
            &Value::Bool(true)
        );
        assert_eq!(get(&default_style, attr::ASSET), &Value::Set(vec![]));
        let empty = state_from_remote(
            &remote(Some(json!({})), vec![]),
            "c",
            &prior(Value::string("{}"), vec![]),
            &Private::default(),
        );
        assert_eq!(get(&empty, attr::SETTINGS).as_str(), Some("{}"));
    }

    #[test]
    fn an_import_reads_everything_as_cognito_holds_it() {
        let logo = AssetContent {
            category: "FORM_LOGO".into(),
            color_mode: "LIGHT".into(),
            extension: "SVG".into(),
            bytes: b"<svg/>".to_vec(),
            resource_id: None,
        };
        let imported = state_from_remote(
            &remote(Some(json!({"k": [1, 2]})), vec![logo]),
            "client1",
            &Value::Null,
            &Private::from_bytes(b""),
        );
        assert_eq!(get(&imported, attr::SETTINGS).as_str(), Some(r#"{"k":[1,2]}"#));
        let mut expected = test_element("FORM_LOGO", "LIGHT", &[(attr::BYTES, Value::string(encode(b"<svg/>")))]);
        if let Value::Object(fields) = &mut expected {
            fields.insert(attr::EXTENSION.into(), Value::string("SVG"));
        }
        assert!(get(&imported, attr::ASSET).semantically_equal(&Value::Set(vec![expected])));
        assert_eq!(
            get(&imported, attr::CREATION_DATE).as_str(),
            Some("2026-01-02T03:04:05Z")
        );
    }

    #[test]
    fn private_bytes_round_trip_and_garbage_means_nothing_known() {
        assert_eq!(Private::default().to_bytes(), Vec::<u8>::new());
        assert_eq!(Private::from_bytes(b"not json"), Private::default());
        let private = Private {
            settings_additions: Some(json!({"a": 1})),
        };
        assert_eq!(Private::from_bytes(&private.to_bytes()), private);
    }
}

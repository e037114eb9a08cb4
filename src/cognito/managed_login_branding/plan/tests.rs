use serde_json::json;

use super::*;
use crate::cognito::managed_login_branding::assets::{base64_sha256, content, encode};
use crate::cognito::managed_login_branding::test_values::{test_element, test_style};

fn style(flag: Value, settings: Value, assets: Vec<Value>) -> Value {
    test_style(flag, settings, assets)
}

/// A state as the provider writes it: `config` planned on nothing, with the computed attributes known.
fn applied(config: &Value) -> Value {
    let Value::Object(mut fields) = plan(&Value::Null, config) else {
        unreachable!()
    };
    fields.insert(
        attr::MANAGED_LOGIN_BRANDING_ID.into(),
        Value::string("6f1c2a9e-0d4b-4c1e-9a7f-3b2d1e0f4a5c"),
    );
    fields.insert(attr::CREATION_DATE.into(), Value::string("2026-01-01T00:00:00Z"));
    fields.insert(attr::LAST_MODIFIED_DATE.into(), Value::string("2026-01-01T00:00:00Z"));
    Value::Object(fields)
}

fn image(category: &str, bytes: &[u8]) -> Value {
    test_element(category, "LIGHT", &[(attr::BYTES, Value::string(encode(bytes)))])
}

fn requests(prior: &Value, config: &Value) -> Vec<StyleRequest> {
    update_requests(prior, &plan(prior, config), &content).unwrap()
}

fn png(category: &str, bytes: &[u8]) -> AssetContent {
    AssetContent {
        category: category.into(),
        color_mode: "LIGHT".into(),
        extension: "PNG".into(),
        bytes: bytes.to_vec(),
        resource_id: None,
    }
}

#[test]
fn a_style_without_settings_or_assets_is_cognitos_default() {
    let planned = plan(&Value::Null, &style(Value::Null, Value::Null, vec![]));
    assert_eq!(get(&planned, attr::USE_COGNITO_PROVIDED_VALUES), &Value::Bool(true));
    for name in [
        attr::MANAGED_LOGIN_BRANDING_ID,
        attr::CREATION_DATE,
        attr::LAST_MODIFIED_DATE,
    ] {
        assert!(get(&planned, name).is_unknown(), "{name}");
    }
    let with_settings = plan(&Value::Null, &style(Value::Null, Value::string("{}"), vec![]));
    assert_eq!(
        get(&with_settings, attr::USE_COGNITO_PROVIDED_VALUES),
        &Value::Bool(false)
    );
    let with_asset = plan(
        &Value::Null,
        &style(Value::Null, Value::Null, vec![image("FORM_LOGO", b"x")]),
    );
    assert_eq!(get(&with_asset, attr::USE_COGNITO_PROVIDED_VALUES), &Value::Bool(false));
    let unknown_settings = plan(&Value::Null, &style(Value::Null, Value::unknown(), vec![]));
    assert!(get(&unknown_settings, attr::USE_COGNITO_PROVIDED_VALUES).is_unknown());
    let explicit = plan(&Value::Null, &style(Value::Bool(false), Value::Null, vec![]));
    assert_eq!(get(&explicit, attr::USE_COGNITO_PROVIDED_VALUES), &Value::Bool(false));
}

#[test]
fn reformatted_settings_plan_the_prior_text_and_no_change() {
    let prior = applied(&style(
        Value::Null,
        Value::string(r#"{"a":{"x":1,"y":[1,2]},"b":"s"}"#),
        vec![],
    ));
    let reformatted = style(
        Value::Null,
        Value::string("{\n  \"b\": \"s\",\n  \"a\": { \"y\": [1, 2.0], \"x\": 1 }\n}\n"),
        vec![],
    );
    let planned = plan(&prior, &reformatted);
    assert!(planned.semantically_equal(&prior), "{planned:?}");
    assert_eq!(requests(&prior, &reformatted), vec![]);
}

#[test]
fn a_changed_setting_is_sent_alone() {
    let prior = applied(&style(
        Value::Null,
        Value::string(r#"{"a":{"x":1},"b":"s"}"#),
        vec![image("FORM_LOGO", b"x")],
    ));
    let config = style(
        Value::Null,
        Value::string(r#"{"a":{"x":2},"b":"s"}"#),
        vec![image("FORM_LOGO", b"x")],
    );
    let planned = plan(&prior, &config);
    assert_eq!(get(&planned, attr::SETTINGS), get(&config, attr::SETTINGS));
    assert!(get(&planned, attr::LAST_MODIFIED_DATE).is_unknown());
    assert_eq!(
        get(&planned, attr::MANAGED_LOGIN_BRANDING_ID),
        get(&prior, attr::MANAGED_LOGIN_BRANDING_ID)
    );
    assert_eq!(
        requests(&prior, &config),
        vec![StyleRequest {
            use_cognito_provided_values: None,
            settings: Some(json!({"a": {"x": 2}, "b": "s"})),
            assets: vec![],
        }]
    );
}

#[test]
fn a_new_or_changed_image_is_sent_alone() {
    let prior = applied(&style(Value::Null, Value::string("{}"), vec![image("FORM_LOGO", b"x")]));
    let config = style(
        Value::Null,
        Value::string("{}"),
        vec![image("FORM_LOGO", b"changed"), image("PAGE_BACKGROUND", b"new")],
    );
    let sent = requests(&prior, &config);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].settings, None);
    assert_eq!(
        sent[0].assets,
        vec![png("FORM_LOGO", b"changed"), png("PAGE_BACKGROUND", b"new")]
    );
}

#[test]
fn dropping_a_setting_or_an_image_resets_then_sends_the_whole_style() {
    let prior = applied(&style(
        Value::Null,
        Value::string(r#"{"a":1,"b":2}"#),
        vec![image("FORM_LOGO", b"x"), image("PAGE_BACKGROUND", b"y")],
    ));
    let reset = StyleRequest {
        use_cognito_provided_values: Some(true),
        ..StyleRequest::default()
    };
    let fewer_settings = style(
        Value::Null,
        Value::string(r#"{"a":1}"#),
        vec![image("FORM_LOGO", b"x"), image("PAGE_BACKGROUND", b"y")],
    );
    assert_eq!(
        requests(&prior, &fewer_settings),
        vec![
            reset.clone(),
            StyleRequest {
                use_cognito_provided_values: Some(false),
                settings: Some(json!({"a": 1})),
                assets: vec![png("FORM_LOGO", b"x"), png("PAGE_BACKGROUND", b"y")],
            }
        ]
    );
    let fewer_images = style(
        Value::Null,
        Value::string(r#"{"a":1,"b":2}"#),
        vec![image("FORM_LOGO", b"x")],
    );
    assert_eq!(
        requests(&prior, &fewer_images),
        vec![
            reset,
            StyleRequest {
                use_cognito_provided_values: Some(false),
                settings: Some(json!({"a": 1, "b": 2})),
                assets: vec![png("FORM_LOGO", b"x")],
            }
        ]
    );
}

#[test]
fn switching_between_default_and_custom_styles() {
    let default_style = applied(&style(Value::Bool(true), Value::Null, vec![]));
    let custom = style(Value::Null, Value::string(r#"{"a":1}"#), vec![image("FORM_LOGO", b"x")]);
    assert_eq!(
        requests(&default_style, &custom),
        vec![StyleRequest {
            use_cognito_provided_values: Some(false),
            settings: Some(json!({"a": 1})),
            assets: vec![png("FORM_LOGO", b"x")],
        }]
    );
    let back = style(Value::Bool(true), Value::Null, vec![image("PAGE_BACKGROUND", b"y")]);
    assert_eq!(
        requests(&applied(&custom), &back),
        vec![StyleRequest {
            use_cognito_provided_values: Some(true),
            settings: None,
            assets: vec![png("PAGE_BACKGROUND", b"y")],
        }]
    );
    let default_plus_image = style(Value::Bool(true), Value::Null, vec![image("FORM_LOGO", b"x")]);
    assert_eq!(
        requests(&default_style, &default_plus_image),
        vec![StyleRequest {
            use_cognito_provided_values: None,
            settings: None,
            assets: vec![png("FORM_LOGO", b"x")],
        }],
        "images added to the default style need no reset"
    );
}

#[test]
fn moving_an_image_to_an_identical_file_sends_nothing() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("logo.png");
    std::fs::write(&path, b"logo").unwrap();
    let prior = applied(&style(Value::Null, Value::Null, vec![image("FORM_LOGO", b"logo")]));
    let from_file = test_element(
        "FORM_LOGO",
        "LIGHT",
        &[
            (attr::FILE, Value::string(path.to_str().unwrap())),
            (attr::FILE_SHA256, Value::string(base64_sha256(b"logo"))),
        ],
    );
    let config = style(Value::Null, Value::Null, vec![from_file]);
    assert!(get(&plan(&prior, &config), attr::LAST_MODIFIED_DATE).is_unknown());
    assert_eq!(requests(&prior, &config), vec![]);
}

#[test]
fn create_sends_the_whole_planned_style() {
    let config = style(Value::Bool(true), Value::Null, vec![image("FORM_LOGO", b"x")]);
    let request = create_request(&plan(&Value::Null, &config), &content).unwrap();
    assert_eq!(
        request,
        StyleRequest {
            use_cognito_provided_values: Some(true),
            settings: None,
            assets: vec![png("FORM_LOGO", b"x")],
        }
    );
}

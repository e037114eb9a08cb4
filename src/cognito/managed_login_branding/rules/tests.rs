use super::*;
use crate::cognito::managed_login_branding::assets::{base64_sha256, encode, encoded_len};
use crate::cognito::managed_login_branding::test_values::{test_element, test_style};
use crate::tf::value::Refinements;

fn asset(category: &str, color_mode: &str, extra: &[(&str, Value)]) -> Value {
    test_element(category, color_mode, extra)
}

fn image(category: &str, color_mode: &str, bytes: &[u8]) -> Value {
    asset(category, color_mode, &[(attr::BYTES, Value::string(encode(bytes)))])
}

fn config(use_defaults: Value, settings: Value, assets: Vec<Value>) -> Value {
    test_style(use_defaults, settings, assets)
}

/// (attribute, summary, detail) of every diagnostic.
fn problems(config: &Value) -> Vec<(String, String, String)> {
    validate(config)
        .iter()
        .map(|d| {
            (
                d.attribute.as_ref().map(ToString::to_string).unwrap_or_default(),
                d.summary.clone(),
                d.detail.clone(),
            )
        })
        .collect()
}

fn single_problem(config: &Value) -> (String, String) {
    let found = problems(config);
    assert_eq!(found.len(), 1, "{found:#?}");
    let (attribute, _, detail) = found.into_iter().next().unwrap();
    (attribute, detail)
}

/// The settings of HashiCorp's acceptance test (a shortened form of the API Reference's example).
const ACCEPTANCE_SETTINGS: &str = r#"{"categories":{"auth":{"authMethodOrder":[[{"display":"BUTTON","type":"FEDERATED"},
{"display":"INPUT","type":"USERNAME_PASSWORD"}]],"federation":{"interfaceStyle":"BUTTON_LIST","order":[]}},
"form":{"displayGraphics":true,"instructions":{"enabled":false},"languageSelector":{"enabled":false},
"location":{"horizontal":"CENTER","vertical":"CENTER"},"sessionTimerDisplay":"NONE"},
"global":{"colorSchemeMode":"LIGHT","pageFooter":{"enabled":false}}}}"#;

#[test]
fn configurations_of_hashicorps_acceptance_tests_are_valid() {
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'/>";
    let accepted = [
        config(Value::Bool(true), Value::Null, vec![]),
        config(
            Value::Bool(true),
            Value::Null,
            vec![image("PAGE_FOOTER_BACKGROUND", "DARK", svg)],
        ),
        config(
            Value::Bool(true),
            Value::Null,
            vec![
                image("PAGE_HEADER_BACKGROUND", "LIGHT", svg),
                image("PAGE_FOOTER_BACKGROUND", "LIGHT", svg),
            ],
        ),
        config(Value::Null, Value::string(ACCEPTANCE_SETTINGS), vec![]),
        // Left to this provider's default, and settings with explicit `false`.
        config(Value::Null, Value::Null, vec![]),
        config(
            Value::Bool(false),
            Value::string("{}"),
            vec![image("FORM_LOGO", "DYNAMIC", b"x")],
        ),
    ];
    for configuration in accepted {
        assert_eq!(problems(&configuration), vec![], "{configuration:?}");
    }
}

#[test]
fn settings_must_be_a_json_object() {
    let (attribute, detail) = single_problem(&config(Value::Null, Value::string("{\"a\": 1,\n}"), vec![]));
    assert_eq!(attribute, attr::SETTINGS);
    assert!(detail.contains("line 2, column 1"), "{detail}");
    let (attribute, detail) = single_problem(&config(Value::Null, Value::string("[1, 2]"), vec![]));
    assert_eq!(attribute, attr::SETTINGS);
    assert!(detail.contains("JSON array"), "{detail}");
}

#[test]
fn default_values_exclude_settings() {
    let (attribute, detail) = single_problem(&config(Value::Bool(true), Value::string("{}"), vec![]));
    assert_eq!(attribute, attr::USE_COGNITO_PROVIDED_VALUES);
    assert!(detail.contains("cannot be combined with `settings`"), "{detail}");
    let unknown_settings = config(Value::Bool(true), Value::unknown(), vec![]);
    assert_eq!(
        problems(&unknown_settings),
        vec![],
        "an unknown value may still turn out null"
    );
}

#[test]
fn asset_enums_are_cognitos() {
    let bad = [
        (attr::CATEGORY, "BANNER"),
        (attr::COLOR_MODE, "SEPIA"),
        (attr::EXTENSION, "GIF"),
    ];
    for (member, value) in bad {
        let mut element = image("FORM_LOGO", "LIGHT", b"x");
        if let Value::Object(fields) = &mut element {
            fields.insert(member.to_string(), Value::string(value));
        }
        let (attribute, detail) = single_problem(&config(Value::Null, Value::Null, vec![element.clone()]));
        assert_eq!(
            attribute,
            format!("asset[0].{member}"),
            "the only block: on its attribute"
        );
        // Among several blocks, on the set, naming the asset.
        let several = config(
            Value::Null,
            Value::Null,
            vec![element, image("PAGE_BACKGROUND", "DARK", b"y")],
        );
        let (attribute, several_detail) = single_problem(&several);
        assert_eq!(attribute, attr::ASSET);
        assert_eq!(several_detail, detail);
        assert!(
            detail.contains(&format!("`{member}` is \"{value}\", which is not one of")),
            "{detail}"
        );
    }
}

#[test]
fn one_image_per_category_and_color_mode() {
    let twice = config(
        Value::Null,
        Value::Null,
        vec![image("FORM_LOGO", "LIGHT", b"a"), image("FORM_LOGO", "LIGHT", b"b")],
    );
    let (attribute, detail) = single_problem(&twice);
    assert_eq!(attribute, attr::ASSET);
    assert!(detail.contains("FORM_LOGO/LIGHT is given more than once"), "{detail}");
    let both_modes = config(
        Value::Null,
        Value::Null,
        vec![image("FORM_LOGO", "LIGHT", b"a"), image("FORM_LOGO", "DARK", b"b")],
    );
    assert_eq!(problems(&both_modes), vec![]);
}

#[test]
fn each_asset_has_its_image_one_way() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("logo.png");
    std::fs::write(&path, b"logo").unwrap();
    let path = Value::string(path.to_str().unwrap());
    let hash = Value::string(base64_sha256(b"logo"));
    // (the block's attributes, what the error says, where it points)
    type Case<'a> = (Vec<(&'a str, Value)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (vec![], "give the image as `bytes` or as `file`", "asset[0]"),
        (
            vec![(attr::BYTES, Value::string("bG9nbw==")), (attr::FILE, path.clone())],
            "either `bytes` or `file`, not both",
            "asset[0]",
        ),
        (
            vec![(attr::BYTES, Value::string("not base64!"))],
            "is not Base64 text",
            "asset[0].bytes",
        ),
        (
            vec![(attr::FILE, path.clone())],
            "`file` needs `file_sha256 = filebase64sha256(",
            "asset[0].file",
        ),
        (
            vec![
                (attr::BYTES, Value::string("bG9nbw==")),
                (attr::FILE_SHA256, hash.clone()),
            ],
            "belongs with `file`",
            "asset[0].file_sha256",
        ),
        (
            vec![
                (attr::FILE, path.clone()),
                (attr::FILE_SHA256, Value::string("c3RhbGU=")),
            ],
            "but the file's filebase64sha256 is",
            "asset[0].file_sha256",
        ),
        (
            vec![
                (attr::FILE, Value::string("/nonexistent/logo.png")),
                (attr::FILE_SHA256, hash.clone()),
            ],
            "cannot read the file /nonexistent/logo.png",
            "asset[0].file",
        ),
        (
            vec![
                (attr::BYTES, Value::string("eA==")),
                (attr::RESOURCE_ID, Value::string("a/b")),
            ],
            "`resource_id` \"a/b\" must be",
            "asset[0].resource_id",
        ),
    ];
    for (fields, expected, expected_path) in cases {
        let (attribute, detail) = single_problem(&config(
            Value::Null,
            Value::Null,
            vec![asset("FORM_LOGO", "LIGHT", &fields)],
        ));
        assert_eq!(attribute, expected_path, "{expected}");
        assert!(detail.contains(expected), "{expected:?} in {detail}");
        assert!(detail.starts_with("The asset FORM_LOGO/LIGHT"), "{detail}");
    }
    let from_file = asset("FORM_LOGO", "LIGHT", &[(attr::FILE, path), (attr::FILE_SHA256, hash)]);
    assert_eq!(problems(&config(Value::Null, Value::Null, vec![from_file])), vec![]);
}

#[test]
fn an_image_holds_at_most_a_million_bytes() {
    let at_limit = image("FORM_LOGO", "LIGHT", &vec![0; MAX_ASSET_BYTES]);
    assert_eq!(problems(&config(Value::Null, Value::Null, vec![at_limit])), vec![]);
    let over = image("FORM_LOGO", "LIGHT", &vec![0; MAX_ASSET_BYTES + 1]);
    let (attribute, detail) = single_problem(&config(Value::Null, Value::Null, vec![over]));
    assert_eq!(attribute, "asset[0].bytes");
    assert!(detail.contains("the image is 1000001 bytes"), "{detail}");
}

#[test]
fn the_request_limit_error_says_by_how_much_it_is_exceeded() {
    let categories = ["FORM_LOGO", "PAGE_BACKGROUND", "FORM_BACKGROUND"];
    let sized = |size: usize| {
        config(
            Value::Null,
            Value::string(r#"{"a": 1}"#),
            categories.iter().map(|c| image(c, "LIGHT", &vec![1; size])).collect(),
        )
    };
    let empty_images: Vec<Image> = categories
        .iter()
        .map(|category| Image {
            category: category.to_string(),
            color_mode: "LIGHT".into(),
            extension: "PNG".into(),
            resource_id: None,
            size: 0,
        })
        .collect();
    let overhead = request_size(&sized(0), Some(&json!({"a": 1})), &empty_images);
    assert_eq!(
        problems(&sized(500_000)),
        vec![],
        "1.5 MB of images fit: 2 MB in Base64"
    );
    let size = 800_000;
    let expected_total = overhead + 3 * encoded_len(size);
    let (attribute, detail) = single_problem(&sized(size));
    assert_eq!(attribute, attr::ASSET);
    assert!(
        detail.contains(&format!(
            "a request of {expected_total} bytes (settings, and images in Base64), {} bytes over Cognito's limit of \
             2097152 bytes",
            expected_total - MAX_REQUEST_BYTES
        )),
        "{detail}"
    );
}

#[test]
fn the_request_size_matches_the_sdks_json_body() {
    let element = asset(
        "FORM_LOGO",
        "DARK",
        &[
            (attr::BYTES, Value::string(encode(b"hello"))),
            (attr::RESOURCE_ID, Value::string("logo 1")),
        ],
    );
    let configuration = config(Value::Null, Value::string("{\"x\": [1, 2]}"), vec![element]);
    let images = [Image {
        category: "FORM_LOGO".into(),
        color_mode: "DARK".into(),
        extension: "PNG".into(),
        resource_id: Some("logo 1".into()),
        size: 5,
    }];
    let body = r#"{"UserPoolId":"us-east-1_abc","ClientId":"client1","UseCognitoProvidedValues":false,"Settings":{"x":[1,2]},"Assets":[{"Category":"FORM_LOGO","ColorMode":"DARK","Extension":"PNG","Bytes":"aGVsbG8=","ResourceId":"logo 1"}]}"#;
    assert_eq!(
        request_size(&configuration, Some(&json!({"x": [1, 2]})), &images),
        body.len()
    );
}

#[test]
fn unknown_values_are_skipped() {
    let unknown_asset = Value::Unknown(Refinements::default());
    let partly_unknown = asset("FORM_LOGO", "LIGHT", &[(attr::BYTES, Value::unknown())]);
    for configuration in [
        config(Value::Null, Value::unknown(), vec![unknown_asset]),
        config(Value::unknown(), Value::Null, vec![partly_unknown]),
        Value::unknown(),
    ] {
        assert_eq!(problems(&configuration), vec![]);
    }
}

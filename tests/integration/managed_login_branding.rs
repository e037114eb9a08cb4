//! End to end with the real `terraform` and the local Cognito (whose proxy emulates the branding operations):
//! the `cognito_managed_login_branding` resource through its lifecycle, settings written differently, drift,
//! import by style ID and by app client, and configurations refused at plan time before any request.
//!
//! What is checked comes from three places: the style Cognito holds (DescribeManagedLoginBrandingByClient through
//! the SDK), the proxy's log of the requests the provider sent, and Terraform (plan exit codes, output, state).

use std::collections::BTreeMap;

use crate::support::branding::{HeldAssets, HeldStyle, asset, document, held_style};
use crate::support::local_cognito::create_app_client;
use crate::support::tf_diagnostics::{self, Severity};
use crate::support::{LocalCognito, PROVIDER_PREAMBLE, Terraform, TfOutput};
use aws_sdk_cognitoidentityprovider::Client;
use aws_smithy_types::error::display::DisplayErrorContext;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

const STYLE: &str = "cognito_managed_login_branding.web";

/// Two small images the tests upload (the local Cognito does not look inside them).
const LOGO: &[u8] = b"\x89PNG\r\n\x1a\n logo for the light header";
const BACKGROUND: &[u8] = b"\xff\xd8\xff\xe0 JPEG background for dark mode";

/// A configuration with an app client `web` in `pool_id` and its style, whose body is `style_body` (HCL lines).
fn config(pool_id: &str, style_body: &str) -> String {
    format!(
        "{PROVIDER_PREAMBLE}\nresource \"cognito_user_pool_client\" \"web\" {{\n  user_pool_id = \"{pool_id}\"\n  \
         name         = \"web\"\n}}\n\nresource \"cognito_managed_login_branding\" \"web\" {{\n  user_pool_id = \
         cognito_user_pool_client.web.user_pool_id\n  client_id    = cognito_user_pool_client.web.id\n{style_body}}}\n"
    )
}

/// A configuration of a style alone, for an app client that exists outside it.
fn style_config(pool_id: &str, client_id: &str, style_body: &str) -> String {
    format!(
        "{PROVIDER_PREAMBLE}\nresource \"cognito_managed_login_branding\" \"web\" {{\n  user_pool_id = \
         \"{pool_id}\"\n  client_id    = \"{client_id}\"\n{style_body}}}\n"
    )
}

/// `plan -detailed-exitcode` must find nothing to do.
fn assert_clean_plan(tf: &Terraform) {
    let output = tf.run(&["plan", "-detailed-exitcode"]);
    assert_eq!(output.code(), 0, "expected a plan without changes: {output}");
}

/// `plan -detailed-exitcode` must find changes; the output, for its text.
fn plan_with_changes(tf: &Terraform) -> TfOutput {
    let output = tf.run(&["plan", "-detailed-exitcode"]);
    assert_eq!(output.code(), 2, "expected a plan with changes: {output}");
    output
}

/// The attributes of the one instance of `type_name` in the state.
fn instance(tf: &Terraform, type_name: &str) -> Value {
    let state = tf.state();
    let instances: Vec<Value> = state["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|resource| resource["type"] == type_name && resource["mode"] == "managed")
        .flat_map(|resource| resource["instances"].as_array().cloned().unwrap_or_default())
        .map(|instance| instance["attributes"].clone())
        .collect();
    assert_eq!(instances.len(), 1, "expected one {type_name}: {state:#}");
    instances.into_iter().next().unwrap()
}

fn held_assets(entries: &[(&str, &str, &str, &[u8])]) -> HeldAssets {
    entries
        .iter()
        .map(|(category, mode, extension, bytes)| {
            (
                (category.to_string(), mode.to_string()),
                (extension.to_string(), bytes.to_vec()),
            )
        })
        .collect()
}

/// The bodies of the branding requests of `operation` the provider sent.
fn bodies(stack: &LocalCognito, operation: &str) -> Vec<Value> {
    stack
        .requests_for(operation)
        .into_iter()
        .map(|request| request.body)
        .collect()
}

/// The style the configuration's app client has in Cognito (it must have one).
async fn held(stack: &LocalCognito, tf: &Terraform, pool_id: &str) -> HeldStyle {
    let client_id = instance(tf, "cognito_user_pool_client")["id"]
        .as_str()
        .expect("client id")
        .to_owned();
    held_style(&stack.sdk(), pool_id, &client_id)
        .await
        .expect("the app client has a style")
}

const CUSTOM_SETTINGS: &str = r#"  settings = jsonencode({
    categories = {
      global = { colorSchemeMode = "DARK", pageHeader = { enabled = true } }
      form   = { displayGraphics = true }
    }
  })
"#;

const LOGO_ASSET: &str = r#"  asset {
    category   = "PAGE_HEADER_LOGO"
    color_mode = "LIGHT"
    extension  = "PNG"
    bytes      = filebase64("logo.png")
  }
"#;

const BACKGROUND_ASSET: &str = r#"  asset {
    category    = "PAGE_BACKGROUND"
    color_mode  = "DARK"
    extension   = "JPEG"
    file        = "background.jpg"
    file_sha256 = filebase64sha256("background.jpg")
  }
"#;

#[tokio::test]
async fn lifecycle_from_the_default_style_to_a_custom_one_and_away() {
    let stack = LocalCognito::start();
    let pool_id = stack.create_user_pool("branding-lifecycle").await;
    let tf = Terraform::new(&stack);
    std::fs::write(tf.dir().join("logo.png"), LOGO).unwrap();
    std::fs::write(tf.dir().join("background.jpg"), BACKGROUND).unwrap();

    // 1. Cognito's default style.
    tf.write_config(&config(&pool_id, "  use_cognito_provided_values = true\n"));
    tf.apply();
    assert_clean_plan(&tf);
    let default_style = held(&stack, &tf, &pool_id).await;
    assert!(default_style.use_cognito_provided_values);
    assert_eq!((default_style.settings.clone(), default_style.assets.len()), (None, 0));
    assert_eq!(
        bodies(&stack, "CreateManagedLoginBranding")[0]["UseCognitoProvidedValues"],
        json!(true)
    );
    let state = instance(&tf, "cognito_managed_login_branding");
    assert_eq!(state["managed_login_branding_id"], json!(default_style.id));

    // 2. Custom settings and two images, one inline and one from a file: an update in place.
    tf.write_config(&config(
        &pool_id,
        &format!("{CUSTOM_SETTINGS}{LOGO_ASSET}{BACKGROUND_ASSET}"),
    ));
    let output = plan_with_changes(&tf);
    assert!(output.stdout.contains("will be updated in-place"), "{output}");
    tf.apply();
    assert_clean_plan(&tf);
    let custom = held(&stack, &tf, &pool_id).await;
    assert_eq!(custom.id, default_style.id, "the same style, updated");
    assert!(!custom.use_cognito_provided_values);
    let settings = json!({"categories": {"global": {"colorSchemeMode": "DARK", "pageHeader": {"enabled": true}},
                                         "form": {"displayGraphics": true}}});
    assert_eq!(custom.settings, Some(settings.clone()));
    assert_eq!(
        custom.assets,
        held_assets(&[
            ("PAGE_HEADER_LOGO", "LIGHT", "PNG", LOGO),
            ("PAGE_BACKGROUND", "DARK", "JPEG", BACKGROUND),
        ])
    );
    let state = instance(&tf, "cognito_managed_login_branding");
    assert!(
        !state.to_string().contains(&STANDARD.encode(BACKGROUND)),
        "an image given as a file stays out of the state"
    );

    // 3. One setting changes: only the settings are sent.
    let before = stack.requests_for("UpdateManagedLoginBranding").len();
    tf.write_config(&config(
        &pool_id,
        &format!(
            "{}{LOGO_ASSET}{BACKGROUND_ASSET}",
            CUSTOM_SETTINGS.replace("\"DARK\"", "\"LIGHT\"")
        ),
    ));
    tf.apply();
    assert_clean_plan(&tf);
    let updates = bodies(&stack, "UpdateManagedLoginBranding")[before..].to_vec();
    assert_eq!(updates.len(), 1, "{updates:#?}");
    assert_eq!(
        updates[0]["Settings"]["categories"]["global"]["colorSchemeMode"],
        "LIGHT"
    );
    assert!(
        updates[0].get("Assets").is_none(),
        "unchanged images are not sent again: {:#}",
        updates[0]
    );
    let changed = held(&stack, &tf, &pool_id).await;
    assert_eq!(
        changed
            .settings
            .as_ref()
            .map(|s| s["categories"]["global"]["colorSchemeMode"].clone()),
        Some(json!("LIGHT"))
    );
    assert_eq!(changed.assets, custom.assets);

    // 4. An image is removed: Cognito keeps what an update leaves out, so the style is reset and sent whole.
    let before = stack.requests_for("UpdateManagedLoginBranding").len();
    tf.write_config(&config(
        &pool_id,
        &format!("{}{LOGO_ASSET}", CUSTOM_SETTINGS.replace("\"DARK\"", "\"LIGHT\"")),
    ));
    tf.apply();
    assert_clean_plan(&tf);
    let updates = bodies(&stack, "UpdateManagedLoginBranding")[before..].to_vec();
    assert_eq!(updates.len(), 2, "{updates:#?}");
    assert_eq!(updates[0]["UseCognitoProvidedValues"], json!(true));
    assert_eq!(updates[1]["UseCognitoProvidedValues"], json!(false));
    let reduced = held(&stack, &tf, &pool_id).await;
    assert_eq!(reduced.id, default_style.id);
    assert_eq!(reduced.settings, changed.settings);
    assert_eq!(
        reduced.assets,
        held_assets(&[("PAGE_HEADER_LOGO", "LIGHT", "PNG", LOGO)])
    );

    // 5. Destroy: the style goes, then the client.
    let client_id = instance(&tf, "cognito_user_pool_client")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    tf.destroy();
    assert_eq!(bodies(&stack, "DeleteManagedLoginBranding").len(), 1);
    assert_eq!(held_style(&stack.sdk(), &pool_id, &client_id).await, None);
}

#[tokio::test]
async fn settings_written_differently_plan_no_change() {
    let stack = LocalCognito::start();
    let pool_id = stack.create_user_pool("branding-format").await;
    let tf = Terraform::new(&stack);
    tf.write_config(&config(&pool_id, CUSTOM_SETTINGS));
    tf.apply();
    assert_clean_plan(&tf);
    let writes = stack.requests().len();

    // The same document as a heredoc: other whitespace, other key order, 1.0 for 1... and reformatted again.
    let reformatted = r#"  settings = <<-JSON
    {
      "categories": {
        "form":   { "displayGraphics": true },
        "global": { "pageHeader": { "enabled": true },
                    "colorSchemeMode": "DARK" }
      }
    }
  JSON
"#;
    tf.write_config(&config(&pool_id, reformatted));
    assert_clean_plan(&tf);
    tf.apply();
    let compact = r#"  settings = "{\"categories\":{\"global\":{\"colorSchemeMode\":\"DARK\",\"pageHeader\":{\"enabled\":true}},\"form\":{\"displayGraphics\":true}}}"
"#;
    tf.write_config(&config(&pool_id, compact));
    assert_clean_plan(&tf);
    let sent: Vec<String> = stack.requests()[writes..]
        .iter()
        .map(|request| request.operation.clone())
        .filter(|operation| !operation.starts_with("Describe"))
        .collect();
    assert_eq!(sent, Vec::<String>::new(), "nothing but reads was sent");
}

#[tokio::test]
async fn drift_shows_in_the_plan_and_apply_corrects_it() {
    let stack = LocalCognito::start();
    let pool_id = stack.create_user_pool("branding-drift").await;
    let tf = Terraform::new(&stack);
    std::fs::write(tf.dir().join("logo.png"), LOGO).unwrap();
    tf.write_config(&config(&pool_id, &format!("{CUSTOM_SETTINGS}{LOGO_ASSET}")));
    tf.apply();
    assert_clean_plan(&tf);
    let configured = held(&stack, &tf, &pool_id).await;

    // In the console: a setting changed, a new one added, the logo replaced and an image added.
    let sdk = stack.sdk();
    sdk.update_managed_login_branding()
        .user_pool_id(&pool_id)
        .managed_login_branding_id(&configured.id)
        .settings(document(&json!({
            "categories": {"global": {"colorSchemeMode": "LIGHT"}, "auth": {"federation": {"interfaceStyle": "BUTTON_LIST"}}}
        })))
        .assets(asset("PAGE_HEADER_LOGO", "LIGHT", "PNG", b"a logo from the console"))
        .assets(asset("FAVICON_ICO", "DYNAMIC", "ICO", b"an icon from the console"))
        .send()
        .await
        .unwrap_or_else(|error| panic!("UpdateManagedLoginBranding: {}", DisplayErrorContext(&error)));

    let output = plan_with_changes(&tf);
    for shown in [
        "colorSchemeMode",
        "interfaceStyle",
        "FAVICON_ICO",
        "will be updated in-place",
    ] {
        assert!(output.stdout.contains(shown), "{shown} in {output}");
    }
    tf.apply();
    assert_clean_plan(&tf);
    let corrected = held(&stack, &tf, &pool_id).await;
    assert_eq!(corrected.id, configured.id);
    assert_eq!(corrected.settings, configured.settings);
    assert_eq!(corrected.assets, configured.assets);

    // Deleted outside Terraform: the plan makes it again.
    sdk.delete_managed_login_branding()
        .user_pool_id(&pool_id)
        .managed_login_branding_id(&configured.id)
        .send()
        .await
        .unwrap_or_else(|error| panic!("DeleteManagedLoginBranding: {}", DisplayErrorContext(&error)));
    let output = plan_with_changes(&tf);
    assert!(output.stdout.contains("will be created"), "{output}");
    tf.apply();
    assert_clean_plan(&tf);
    let recreated = held(&stack, &tf, &pool_id).await;
    assert_ne!(recreated.id, configured.id);
    assert_eq!(recreated.settings, configured.settings);
}

#[tokio::test]
async fn import_by_style_id_and_by_client_plans_clean_and_the_data_source_reads_it() {
    let stack = LocalCognito::start();
    let pool_id = stack.create_user_pool("branding-import").await;
    let sdk = stack.sdk();
    let client_id = made_outside(&sdk, &pool_id).await;
    let style_id = held_style(&sdk, &pool_id, &client_id).await.unwrap().id;

    let tf = Terraform::new(&stack);
    let body = format!(
        "{CUSTOM_SETTINGS}  asset {{\n    category   = \"PAGE_HEADER_LOGO\"\n    color_mode = \"LIGHT\"\n    \
         extension  = \"PNG\"\n    bytes      = \"{}\"\n  }}\n",
        STANDARD.encode(LOGO)
    );
    tf.write_config(&style_config(&pool_id, &client_id, &body));
    for id in [format!("{pool_id}/{style_id}"), format!("{pool_id}/{client_id}")] {
        let output = tf.run(&["import", STYLE, &id]);
        assert!(output.success(), "import {id}: {output}");
        assert_clean_plan(&tf);
        let state = instance(&tf, "cognito_managed_login_branding");
        assert_eq!(state["managed_login_branding_id"], json!(style_id));
        assert_eq!(state["client_id"], json!(client_id));
        let output = tf.run(&["state", "rm", STYLE]);
        assert!(output.success(), "{output}");
    }
    assert_eq!(
        bodies(&stack, "UpdateManagedLoginBranding").len() + bodies(&stack, "CreateManagedLoginBranding").len(),
        1,
        "only the style made outside was ever written"
    );

    // The data source reads the same style, customized settings only or merged with Cognito's defaults.
    let data = format!(
        "{PROVIDER_PREAMBLE}\ndata \"cognito_managed_login_branding\" \"custom\" {{\n  user_pool_id = \"{pool_id}\"\n  \
         client_id    = \"{client_id}\"\n}}\n\ndata \"cognito_managed_login_branding\" \"merged\" {{\n  user_pool_id = \
         \"{pool_id}\"\n  client_id    = \"{client_id}\"\n  return_merged_resources = true\n}}\n\noutput \"custom\" {{\n  \
         value = data.cognito_managed_login_branding.custom\n}}\n\noutput \"merged_settings\" {{\n  value = \
         jsondecode(data.cognito_managed_login_branding.merged.settings)\n}}\n"
    );
    tf.write_config(&data);
    let output = tf.run(&["apply", "-auto-approve"]);
    assert!(output.success(), "{output}");
    let outputs = tf.run(&["output", "-json"]);
    let outputs: Value = serde_json::from_str(&outputs.stdout).expect("terraform output -json");
    let custom = &outputs["custom"]["value"];
    assert_eq!(custom["managed_login_branding_id"], json!(style_id));
    assert_eq!(custom["use_cognito_provided_values"], json!(false));
    let settings: Value = serde_json::from_str(custom["settings"].as_str().expect("settings")).unwrap();
    assert_eq!(settings["categories"]["global"]["colorSchemeMode"], "DARK");
    assert_eq!(custom["asset"][0]["category"], "PAGE_HEADER_LOGO");
    assert_eq!(custom["asset"][0]["bytes"], json!(STANDARD.encode(LOGO)));
    let merged = &outputs["merged_settings"]["value"];
    assert_eq!(
        merged["categories"]["global"]["colorSchemeMode"], "DARK",
        "customized values win"
    );
    assert!(
        merged
            .as_object()
            .is_some_and(|members| members.len() > settings.as_object().unwrap().len()),
        "Cognito's defaults are merged in: {merged:#}"
    );
}

/// An app client with a custom style, made outside Terraform; its ID.
async fn made_outside(sdk: &Client, pool_id: &str) -> String {
    let client_id = create_app_client(sdk, pool_id, "made-outside")
        .await
        .client_id
        .expect("client ID");
    sdk.create_managed_login_branding()
        .user_pool_id(pool_id)
        .client_id(&client_id)
        .settings(document(&json!({
            "categories": {"form": {"displayGraphics": true}, "global": {"pageHeader": {"enabled": true}, "colorSchemeMode": "DARK"}}
        })))
        .assets(asset("PAGE_HEADER_LOGO", "LIGHT", "PNG", LOGO))
        .send()
        .await
        .unwrap_or_else(|error| panic!("CreateManagedLoginBranding: {}", DisplayErrorContext(&error)));
    client_id
}

#[tokio::test]
async fn a_style_made_outside_is_not_taken_over() {
    let stack = LocalCognito::start();
    let pool_id = stack.create_user_pool("branding-exists").await;
    let client_id = made_outside(&stack.sdk(), &pool_id).await;
    let before = held_style(&stack.sdk(), &pool_id, &client_id).await;
    let tf = Terraform::new(&stack);
    tf.write_config(&style_config(
        &pool_id,
        &client_id,
        "  use_cognito_provided_values = true\n",
    ));
    let output = tf.run(&["apply", "-auto-approve"]);
    assert!(!output.success(), "{output}");
    let text = format!("{}{}", output.stdout, output.stderr);
    assert!(
        text.contains("already has a managed login") && text.contains("import"),
        "{output}"
    );
    assert_eq!(
        held_style(&stack.sdk(), &pool_id, &client_id).await,
        before,
        "the style is untouched"
    );
}

/// One configuration that must fail at plan: the summary, and a word of the line the error points at.
struct Refused {
    body: &'static str,
    summary: &'static str,
    line_holds: &'static str,
    detail_holds: &'static str,
}

#[test]
fn invalid_configurations_fail_at_plan_on_their_attribute_and_nothing_is_sent() {
    let stack = LocalCognito::start();
    let tf = Terraform::new(&stack);
    for (name, size) in [("a.png", 800_000), ("b.png", 800_000), ("c.png", 800_000)] {
        std::fs::write(tf.dir().join(name), vec![7u8; size]).unwrap();
    }
    let refused = [
        Refused {
            body: "  settings = \"{\\\"categories\\\": \"\n",
            summary: "Invalid settings",
            line_holds: "settings",
            detail_holds: "not valid JSON",
        },
        Refused {
            body: "  settings = jsonencode([1, 2])\n",
            summary: "Invalid settings",
            line_holds: "settings",
            detail_holds: "must be a JSON object",
        },
        Refused {
            body: "  use_cognito_provided_values = true\n  settings = jsonencode({ a = 1 })\n",
            summary: "Conflicting arguments",
            line_holds: "use_cognito_provided_values",
            detail_holds: "cannot be combined with `settings`",
        },
        Refused {
            body: "  asset {\n    category   = \"BANNER\"\n    color_mode = \"LIGHT\"\n    extension  = \"PNG\"\n    \
                   bytes      = \"eA==\"\n  }\n",
            summary: "Invalid asset",
            line_holds: "category",
            detail_holds: "`category` is \"BANNER\", which is not one of",
        },
        Refused {
            body: "  asset {\n    category   = \"FORM_LOGO\"\n    color_mode = \"SEPIA\"\n    extension  = \"PNG\"\n    \
                   bytes      = \"eA==\"\n  }\n",
            summary: "Invalid asset",
            line_holds: "color_mode",
            detail_holds: "`color_mode` is \"SEPIA\"",
        },
        Refused {
            body: "  asset {\n    category   = \"FORM_LOGO\"\n    color_mode = \"LIGHT\"\n    extension  = \"PNG\"\n    \
                   file       = \"a.png\"\n  }\n",
            summary: "Invalid asset",
            line_holds: "file",
            detail_holds: "needs `file_sha256",
        },
        Refused {
            body: r#"  asset {
    category    = "FORM_LOGO"
    color_mode  = "LIGHT"
    extension   = "PNG"
    file        = "a.png"
    file_sha256 = filebase64sha256("a.png")
  }
  asset {
    category    = "PAGE_BACKGROUND"
    color_mode  = "LIGHT"
    extension   = "PNG"
    file        = "b.png"
    file_sha256 = filebase64sha256("b.png")
  }
  asset {
    category    = "FORM_BACKGROUND"
    color_mode  = "LIGHT"
    extension   = "PNG"
    file        = "c.png"
    file_sha256 = filebase64sha256("c.png")
  }
"#,
            summary: "Style too large",
            // On the set of blocks: Terraform shows the resource.
            line_holds: "resource \"cognito_managed_login_branding\"",
            detail_holds: "bytes over Cognito's limit of 2097152 bytes",
        },
    ];
    for case in refused {
        let main_tf = style_config("us-east-1_abcdef", "1example23456789abcdefghij", case.body);
        tf.write_config(&main_tf);
        let output = tf.run(&["plan"]);
        assert!(!output.success(), "{main_tf}\n{output}");
        let diagnostics: Vec<_> = tf_diagnostics::parse(&format!("{}{}", output.stdout, output.stderr))
            .into_iter()
            .filter(|diagnostic| diagnostic.severity == Severity::Error)
            .collect();
        assert_eq!(diagnostics.len(), 1, "{main_tf}\n{output}");
        let diagnostic = &diagnostics[0];
        assert_eq!(diagnostic.summary, case.summary, "{output}");
        assert_eq!(diagnostic.address.as_deref(), Some(STYLE), "{output}");
        assert!(
            diagnostic
                .source
                .as_deref()
                .is_some_and(|line| line.starts_with(case.line_holds)),
            "the error points at `{}`: {output}",
            case.line_holds
        );
        assert!(
            diagnostic.detail.contains(case.detail_holds),
            "{}: {output}",
            case.detail_holds
        );
    }
    let sent: BTreeMap<String, usize> = stack
        .requests()
        .into_iter()
        .fold(BTreeMap::new(), |mut counts, request| {
            *counts.entry(request.operation).or_default() += 1;
            counts
        });
    assert_eq!(sent, BTreeMap::new(), "nothing was sent to Cognito");
}

//! The local Cognito's emulation of the five managed-login-branding operations (moto has none of them), through the
//! Rust SDK: one style per app client, UUID IDs, Update keeping what it is not given, UseCognitoProvidedValues
//! resetting, ReturnMergedResources, Delete then Describe being ResourceNotFoundException, and the model's limits.
//! The provider's end-to-end branding tests rely on exactly these behaviours.

use std::collections::BTreeMap;

use crate::support::LocalCognito;
use crate::support::branding::{document, json_value};
use crate::support::local_cognito::create_app_client;
use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cognitoidentityprovider::operation::create_managed_login_branding::builders::CreateManagedLoginBrandingFluentBuilder;
use aws_sdk_cognitoidentityprovider::operation::describe_managed_login_branding_by_client::builders::DescribeManagedLoginBrandingByClientFluentBuilder;
use aws_sdk_cognitoidentityprovider::operation::update_managed_login_branding::builders::UpdateManagedLoginBrandingFluentBuilder;
use aws_sdk_cognitoidentityprovider::types::{AssetType, ManagedLoginBrandingType};
use aws_smithy_types::error::display::DisplayErrorContext;
use serde_json::json;

/// A pool with one app client, and the SDK pointed at the stack.
async fn pool_and_client(stack: &LocalCognito, name: &str) -> (Client, String, String) {
    let sdk = stack.sdk_without_retries();
    let pool_id = stack.create_user_pool(name).await;
    let client_id = create_app_client(&sdk, &pool_id, name)
        .await
        .client_id
        .expect("client ID");
    (sdk, pool_id, client_id)
}

fn asset(category: &str, color_mode: &str, bytes: &[u8]) -> AssetType {
    crate::support::branding::asset(category, color_mode, "PNG", bytes)
}

/// Assets as (category, color mode) → bytes, so order never matters.
fn assets_by_key(branding: &ManagedLoginBrandingType) -> BTreeMap<(String, String), Vec<u8>> {
    branding
        .assets()
        .iter()
        .map(|asset| {
            (
                (
                    asset.category().as_str().to_owned(),
                    asset.color_mode().as_str().to_owned(),
                ),
                asset.bytes().map(|bytes| bytes.as_ref().to_vec()).unwrap_or_default(),
            )
        })
        .collect()
}

/// The error code of a failed call (the test fails if the call succeeded).
fn error_code<T, E: ProvideErrorMetadata, R>(result: Result<T, SdkError<E, R>>) -> String {
    match result {
        Ok(_) => panic!("the call succeeded"),
        Err(error) => error
            .code()
            .map(str::to_owned)
            .unwrap_or_else(|| "<no code>".to_owned()),
    }
}

fn create(sdk: &Client, pool_id: &str, client_id: &str) -> CreateManagedLoginBrandingFluentBuilder {
    sdk.create_managed_login_branding()
        .user_pool_id(pool_id)
        .client_id(client_id)
}

fn update(sdk: &Client, pool_id: &str, branding_id: &str) -> UpdateManagedLoginBrandingFluentBuilder {
    sdk.update_managed_login_branding()
        .user_pool_id(pool_id)
        .managed_login_branding_id(branding_id)
}

fn by_client(sdk: &Client, pool_id: &str, client_id: &str) -> DescribeManagedLoginBrandingByClientFluentBuilder {
    sdk.describe_managed_login_branding_by_client()
        .user_pool_id(pool_id)
        .client_id(client_id)
}

/// Sends a Create; returns the style and its ID.
async fn created(request: CreateManagedLoginBrandingFluentBuilder) -> (ManagedLoginBrandingType, String) {
    let branding = request
        .send()
        .await
        .unwrap_or_else(|error| panic!("CreateManagedLoginBranding: {}", DisplayErrorContext(&error)))
        .managed_login_branding
        .expect("a branding");
    let id = branding.managed_login_branding_id().expect("an ID").to_owned();
    (branding, id)
}

async fn updated(request: UpdateManagedLoginBrandingFluentBuilder) -> ManagedLoginBrandingType {
    request
        .send()
        .await
        .unwrap_or_else(|error| panic!("UpdateManagedLoginBranding: {}", DisplayErrorContext(&error)))
        .managed_login_branding
        .expect("a branding")
}

async fn describe(sdk: &Client, pool_id: &str, branding_id: &str, merged: bool) -> ManagedLoginBrandingType {
    sdk.describe_managed_login_branding()
        .user_pool_id(pool_id)
        .managed_login_branding_id(branding_id)
        .return_merged_resources(merged)
        .send()
        .await
        .unwrap_or_else(|error| panic!("DescribeManagedLoginBranding: {}", DisplayErrorContext(&error)))
        .managed_login_branding
        .expect("a branding")
}

fn is_uuid_v4(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|group| group.len()).collect();
    lengths == [8, 4, 4, 4, 12]
        && groups.iter().all(|group| group.chars().all(|c| c.is_ascii_hexdigit()))
        && groups[2].starts_with('4')
        && groups[3].starts_with(['8', '9', 'a', 'b', 'A', 'B'])
}

#[tokio::test]
async fn one_style_per_client_with_a_uuid_id() {
    let stack = LocalCognito::start();
    let (sdk, pool_id, client_id) = pool_and_client(&stack, "one-style").await;

    let (created, branding_id) = created(create(&sdk, &pool_id, &client_id).use_cognito_provided_values(true)).await;
    assert!(is_uuid_v4(&branding_id), "{branding_id}");
    assert!(created.use_cognito_provided_values());
    assert_eq!(created.settings(), None);
    assert!(created.assets.is_some(), "Assets are always returned");
    assert!(created.creation_date().is_some() && created.last_modified_date().is_some());

    let second = create(&sdk, &pool_id, &client_id)
        .use_cognito_provided_values(true)
        .send()
        .await;
    assert_eq!(error_code(second), "ManagedLoginBrandingExistsException");

    let found = by_client(&sdk, &pool_id, &client_id)
        .send()
        .await
        .unwrap_or_else(|error| panic!("DescribeManagedLoginBrandingByClient: {}", DisplayErrorContext(&error)));
    assert_eq!(
        found
            .managed_login_branding()
            .and_then(|branding| branding.managed_login_branding_id()),
        Some(branding_id.as_str())
    );

    let unknown_client = create(&sdk, &pool_id, "doesnotexist").send().await;
    assert_eq!(error_code(unknown_client), "ResourceNotFoundException");

    let operations: Vec<String> = stack
        .requests()
        .into_iter()
        .map(|request| request.operation)
        .filter(|operation| operation.contains("ManagedLoginBranding"))
        .collect();
    assert_eq!(
        operations,
        [
            "CreateManagedLoginBranding",
            "CreateManagedLoginBranding",
            "DescribeManagedLoginBrandingByClient",
            "CreateManagedLoginBranding"
        ],
        "branding requests are recorded like the others"
    );
}

#[tokio::test]
async fn update_keeps_what_it_is_not_given() {
    let stack = LocalCognito::start();
    let (sdk, pool_id, client_id) = pool_and_client(&stack, "partial-update").await;
    let (_, branding_id) = created(
        create(&sdk, &pool_id, &client_id)
            .settings(document(&json!({"a": {"b": 1, "c": 2}, "d": "kept"})))
            .assets(asset("FORM_LOGO", "LIGHT", b"first"))
            .assets(asset("PAGE_BACKGROUND", "DARK", b"background")),
    )
    .await;
    let before = describe(&sdk, &pool_id, &branding_id, false).await;
    assert!(!before.use_cognito_provided_values());

    let answer = updated(
        update(&sdk, &pool_id, &branding_id)
            .settings(document(&json!({"a": {"c": 3}})))
            .assets(asset("FORM_LOGO", "LIGHT", b"second")),
    )
    .await;
    let described = describe(&sdk, &pool_id, &branding_id, false).await;
    assert_eq!(
        described.settings().map(json_value),
        Some(json!({"a": {"b": 1, "c": 3}, "d": "kept"})),
        "settings are merged member by member"
    );
    assert_eq!(
        assets_by_key(&described),
        BTreeMap::from([
            (("FORM_LOGO".into(), "LIGHT".into()), b"second".to_vec()),
            (("PAGE_BACKGROUND".into(), "DARK".into()), b"background".to_vec()),
        ]),
        "an asset replaces the one of its category and color mode; the others stay"
    );
    assert_eq!(answer.settings(), described.settings());
    assert!(described.last_modified_date() > before.last_modified_date());

    // A request without settings or assets changes neither.
    updated(update(&sdk, &pool_id, &branding_id)).await;
    let unchanged = describe(&sdk, &pool_id, &branding_id, false).await;
    assert_eq!(unchanged.settings(), described.settings());
    assert_eq!(assets_by_key(&unchanged), assets_by_key(&described));
}

#[tokio::test]
async fn cognito_provided_values_reset_the_style_and_exclude_settings() {
    let stack = LocalCognito::start();
    let (sdk, pool_id, client_id) = pool_and_client(&stack, "reset").await;
    let with_settings = create(&sdk, &pool_id, &client_id)
        .use_cognito_provided_values(true)
        .settings(document(&json!({"a": 1})))
        .send()
        .await;
    assert_eq!(error_code(with_settings), "InvalidParameterException");

    // With assets it is accepted (as by Cognito in HashiCorp's acceptance test): the default style plus the assets.
    let (_, branding_id) = created(
        create(&sdk, &pool_id, &client_id)
            .use_cognito_provided_values(true)
            .assets(asset("FORM_LOGO", "DYNAMIC", b"logo")),
    )
    .await;
    assert_eq!(
        assets_by_key(&describe(&sdk, &pool_id, &branding_id, false).await).len(),
        1
    );

    let customized = updated(update(&sdk, &pool_id, &branding_id).settings(document(&json!({"a": 1})))).await;
    assert!(
        !customized.use_cognito_provided_values(),
        "custom settings end the default style"
    );

    updated(update(&sdk, &pool_id, &branding_id).use_cognito_provided_values(true)).await;
    let reset = describe(&sdk, &pool_id, &branding_id, false).await;
    assert!(reset.use_cognito_provided_values());
    assert_eq!(reset.settings(), None, "no customized settings are left");
    assert!(reset.assets().is_empty(), "no customized assets are left");
}

#[tokio::test]
async fn merged_resources_add_cognito_defaults_under_the_custom_values() {
    let stack = LocalCognito::start();
    let (sdk, pool_id, client_id) = pool_and_client(&stack, "merged").await;
    let custom = json!({"categories": {"global": {"colorSchemeMode": "DARK"}}});
    let (_, branding_id) = created(create(&sdk, &pool_id, &client_id).settings(document(&custom))).await;

    let only_custom = describe(&sdk, &pool_id, &branding_id, false).await;
    assert_eq!(only_custom.settings().map(json_value), Some(custom));

    let merged = describe(&sdk, &pool_id, &branding_id, true).await;
    let merged = merged.settings().map(json_value).expect("merged settings");
    assert_eq!(
        merged["categories"]["global"]["colorSchemeMode"], "DARK",
        "custom values win"
    );
    assert!(
        merged["categories"]["form"].is_object() && merged["componentClasses"].is_object(),
        "defaults fill the rest: {merged}"
    );
}

#[tokio::test]
async fn delete_then_describe_is_resource_not_found() {
    let stack = LocalCognito::start();
    let (sdk, pool_id, client_id) = pool_and_client(&stack, "delete").await;
    let (_, branding_id) = created(create(&sdk, &pool_id, &client_id).use_cognito_provided_values(true)).await;
    let delete = || {
        sdk.delete_managed_login_branding()
            .user_pool_id(&pool_id)
            .managed_login_branding_id(&branding_id)
            .send()
    };
    delete()
        .await
        .unwrap_or_else(|error| panic!("DeleteManagedLoginBranding: {}", DisplayErrorContext(&error)));

    let by_id = sdk
        .describe_managed_login_branding()
        .user_pool_id(&pool_id)
        .managed_login_branding_id(&branding_id)
        .send()
        .await;
    assert_eq!(error_code(by_id), "ResourceNotFoundException");
    assert_eq!(
        error_code(by_client(&sdk, &pool_id, &client_id).send().await),
        "ResourceNotFoundException"
    );
    assert_eq!(error_code(delete().await), "ResourceNotFoundException");

    // The client is free for a new style, under a new ID.
    let (_, again) = created(create(&sdk, &pool_id, &client_id).use_cognito_provided_values(true)).await;
    assert_ne!(again, branding_id);
}

#[tokio::test]
async fn requests_outside_the_model_are_refused_and_change_nothing() {
    let stack = LocalCognito::start();
    let (sdk, pool_id, client_id) = pool_and_client(&stack, "limits").await;
    let refused = [
        ("an unknown category", vec![asset("BANNER", "LIGHT", b"x")]),
        ("an unknown color mode", vec![asset("FORM_LOGO", "SEPIA", b"x")]),
        (
            "an asset over 1,000,000 bytes",
            vec![asset("FORM_LOGO", "LIGHT", &vec![7; 1_000_001])],
        ),
        (
            "41 assets",
            (0..41).map(|_| asset("FORM_LOGO", "LIGHT", b"x")).collect::<Vec<_>>(),
        ),
        (
            "a request over 2 MB",
            ["FORM_LOGO", "PAGE_BACKGROUND", "FORM_BACKGROUND"]
                .iter()
                .map(|category| asset(category, "LIGHT", &vec![1; 600_000]))
                .collect(),
        ),
    ];
    for (what, assets) in refused {
        let answer = create(&sdk, &pool_id, &client_id).set_assets(Some(assets)).send().await;
        assert_eq!(error_code(answer), "InvalidParameterException", "{what}");
    }
    assert_eq!(
        error_code(by_client(&sdk, &pool_id, &client_id).send().await),
        "ResourceNotFoundException",
        "nothing was created"
    );

    let malformed_id = sdk
        .describe_managed_login_branding()
        .user_pool_id(&pool_id)
        .managed_login_branding_id("not-a-uuid")
        .send()
        .await;
    assert_eq!(error_code(malformed_id), "InvalidParameterException");
}

//! Tests of the local Cognito's client-secret emulation (AddUserPoolClientSecret, ListUserPoolClientSecrets,
//! DeleteUserPoolClientSecret, CreateUserPoolClient with a custom ClientSecret), through the Rust SDK, so the
//! provider's end-to-end tests can rely on it following Cognito's documented rules.

use crate::support::LocalCognito;
use crate::support::client_secrets::DescribeAfterRotation;
use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::types::ClientSecretDescriptorType;

const CUSTOM_SECRET: &str = "custom+secret_0123456789abcdef";

/// Creates a pool and a client; `generate_secret` makes it confidential. Returns (pool, client, initial secret).
async fn pool_and_client(stack: &LocalCognito, generate_secret: bool) -> (String, String, Option<String>) {
    let pool = stack.create_user_pool("secrets").await;
    let created = stack
        .sdk()
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("app")
        .generate_secret(generate_secret)
        .send()
        .await
        .expect("CreateUserPoolClient");
    let client = created.user_pool_client().expect("a client");
    (
        pool,
        client.client_id().expect("an ID").to_owned(),
        client.client_secret().map(str::to_owned),
    )
}

async fn list(sdk: &Client, pool: &str, client: &str) -> Vec<ClientSecretDescriptorType> {
    sdk.list_user_pool_client_secrets()
        .user_pool_id(pool)
        .client_id(client)
        .send()
        .await
        .expect("ListUserPoolClientSecrets")
        .client_secrets
        .unwrap_or_default()
}

async fn add(
    sdk: &Client,
    pool: &str,
    client: &str,
    custom: Option<&str>,
) -> Result<ClientSecretDescriptorType, String> {
    sdk.add_user_pool_client_secret()
        .user_pool_id(pool)
        .client_id(client)
        .set_client_secret(custom.map(str::to_owned))
        .send()
        .await
        .map(|output| output.client_secret_descriptor.expect("a descriptor"))
        .map_err(|error| error.into_service_error().code().unwrap_or("no code").to_owned())
}

async fn delete(sdk: &Client, pool: &str, client: &str, secret_id: &str) -> Result<(), String> {
    sdk.delete_user_pool_client_secret()
        .user_pool_id(pool)
        .client_id(client)
        .client_secret_id(secret_id)
        .send()
        .await
        .map(|_| ())
        .map_err(|error| error.into_service_error().code().unwrap_or("no code").to_owned())
}

async fn described_secret(sdk: &Client, pool: &str, client: &str) -> Option<String> {
    sdk.describe_user_pool_client()
        .user_pool_id(pool)
        .client_id(client)
        .send()
        .await
        .expect("DescribeUserPoolClient")
        .user_pool_client()
        .and_then(|client| client.client_secret())
        .map(str::to_owned)
}

fn id_of(secret: &ClientSecretDescriptorType) -> &str {
    secret.client_secret_id().expect("a secret ID")
}

#[tokio::test]
async fn generated_rotation_follows_cognitos_rules() {
    let stack = LocalCognito::start();
    let sdk = stack.sdk_without_retries();
    let (pool, client, initial) = pool_and_client(&stack, true).await;
    let initial = initial.expect("a confidential client has a secret");

    // The initial secret is listed: an ID of the form <client-id>--<epoch>, a date, never a value.
    let listed = list(&sdk, &pool, &client).await;
    assert_eq!(listed.len(), 1);
    let (prefix, epoch) = id_of(&listed[0]).split_once("--").expect("<client-id>--<epoch>");
    assert_eq!(prefix, client);
    assert!(epoch.bytes().all(|b| b.is_ascii_digit()), "{epoch}");
    assert!(listed[0].client_secret_create_date().is_some());
    assert_eq!(listed[0].client_secret_value(), None);

    // A generated secret's value comes back once, from Add; Describe then reports the newest.
    let added = add(&sdk, &pool, &client, None).await.expect("a second secret");
    let value = added.client_secret_value().expect("a generated value").to_owned();
    assert_ne!(value, initial);
    assert!(id_of(&added).starts_with(&format!("{client}--")));
    assert_eq!(
        described_secret(&sdk, &pool, &client).await.as_deref(),
        Some(value.as_str())
    );
    assert!(stack.secret_is_active(&pool, &client, &initial));
    assert!(stack.secret_is_active(&pool, &client, &value));
    let listed = list(&sdk, &pool, &client).await;
    assert_eq!(
        listed.iter().map(id_of).collect::<Vec<_>>(),
        [id_of(&listed[0]), id_of(&added)]
    );
    assert!(listed.iter().all(|secret| secret.client_secret_value().is_none()));

    // A third is refused; the old one can go; the last one cannot.
    assert_eq!(
        add(&sdk, &pool, &client, None).await.unwrap_err(),
        "LimitExceededException"
    );
    delete(&sdk, &pool, &client, id_of(&listed[0]))
        .await
        .expect("the old secret is deleted");
    assert!(!stack.secret_is_active(&pool, &client, &initial));
    assert_eq!(
        delete(&sdk, &pool, &client, id_of(&listed[0])).await.unwrap_err(),
        "ResourceNotFoundException"
    );
    assert_eq!(
        delete(&sdk, &pool, &client, id_of(&added)).await.unwrap_err(),
        "InvalidParameterException"
    );
    assert_eq!(stack.stored_secrets(&pool, &client).len(), 1);

    // All three operations are recorded like any other request.
    let operations: Vec<String> = stack.requests().into_iter().map(|request| request.operation).collect();
    for operation in [
        "AddUserPoolClientSecret",
        "ListUserPoolClientSecrets",
        "DeleteUserPoolClientSecret",
    ] {
        assert!(operations.iter().any(|recorded| recorded == operation), "{operation}");
    }
}

#[tokio::test]
async fn custom_secrets_are_never_returned_and_describe_can_report_none() {
    let stack = LocalCognito::start();
    let sdk = stack.sdk_without_retries();
    stack.set_describe_after_rotation(DescribeAfterRotation::None);
    let (pool, client, initial) = pool_and_client(&stack, true).await;
    assert_eq!(
        described_secret(&sdk, &pool, &client).await,
        initial,
        "before a rotation: the one secret"
    );

    for bad in ["too_short", &"x".repeat(65), "has spaces in it, 24 chars long"] {
        assert_eq!(
            add(&sdk, &pool, &client, Some(bad)).await.unwrap_err(),
            "InvalidParameterException",
            "{bad}"
        );
    }
    let added = add(&sdk, &pool, &client, Some(CUSTOM_SECRET))
        .await
        .expect("a custom secret");
    assert_eq!(added.client_secret_value(), None, "a custom value is never returned");
    assert!(stack.secret_is_active(&pool, &client, CUSTOM_SECRET));
    assert_eq!(
        described_secret(&sdk, &pool, &client).await,
        None,
        "after a rotation: none"
    );

    stack.set_describe_after_rotation(DescribeAfterRotation::Newest);
    assert_eq!(
        described_secret(&sdk, &pool, &client).await.as_deref(),
        Some(CUSTOM_SECRET)
    );
}

#[tokio::test]
async fn create_takes_a_custom_secret_but_not_with_generate_secret() {
    let stack = LocalCognito::start();
    let sdk = stack.sdk_without_retries();
    let pool = stack.create_user_pool("custom").await;
    let create = |name: &'static str| {
        sdk.create_user_pool_client()
            .user_pool_id(&pool)
            .client_name(name)
            .client_secret(CUSTOM_SECRET)
    };

    let refused = create("both").generate_secret(true).send().await.unwrap_err();
    assert_eq!(refused.into_service_error().code(), Some("InvalidParameterException"));
    let created = create("custom").send().await.expect("a client with a custom secret");
    let client = created.user_pool_client().unwrap().client_id().unwrap().to_owned();
    assert!(stack.secret_is_active(&pool, &client, CUSTOM_SECRET));
    assert_eq!(list(&sdk, &pool, &client).await.len(), 1);
    assert_eq!(
        described_secret(&sdk, &pool, &client).await.as_deref(),
        Some(CUSTOM_SECRET)
    );
}

#[tokio::test]
async fn public_and_missing_clients() {
    let stack = LocalCognito::start();
    let sdk = stack.sdk_without_retries();
    let (pool, public, secret) = pool_and_client(&stack, false).await;
    assert_eq!(secret, None);

    assert!(
        list(&sdk, &pool, &public).await.is_empty(),
        "a public client lists no secrets"
    );
    assert_eq!(
        add(&sdk, &pool, &public, None).await.unwrap_err(),
        "InvalidParameterException"
    );
    assert_eq!(
        add(&sdk, &pool, "nosuchclient", None).await.unwrap_err(),
        "ResourceNotFoundException"
    );
    assert_eq!(
        delete(&sdk, &pool, "nosuchclient", "nosuchclient--1")
            .await
            .unwrap_err(),
        "ResourceNotFoundException"
    );

    // Faults apply to the emulated operations too.
    stack.set_faults(serde_json::json!({"throttle_rate": 1.0, "operations": ["AddUserPoolClientSecret"]}));
    let (other_pool, confidential, _) = pool_and_client(&stack, true).await;
    assert_eq!(
        add(&sdk, &other_pool, &confidential, None).await.unwrap_err(),
        "TooManyRequestsException"
    );
}

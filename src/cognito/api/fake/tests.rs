use std::collections::BTreeSet;

use super::*;
use crate::cognito::api::{ErrorKind, Stack, TestClients};
use crate::cognito::user_pool_client::model::{InitialSecret, TimeUnit};

const POOL: &str = "us-east-1_pool";

/// The first page of ListUserPoolClients: every client, at the default page size.
async fn list(fake: &FakeCognito, user_pool_id: &str) -> Result<Vec<ClientSummary>, ApiError> {
    fake.list_page(user_pool_id, None).await.map(|page| page.clients)
}

fn settings(name: &str) -> ClientSettings {
    ClientSettings::with_defaults(name)
}

#[tokio::test]
async fn create_generates_ids_and_secrets_and_describe_reports_the_client() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    let public = fake
        .create(POOL, &settings("public"), &InitialSecret::None)
        .await
        .unwrap();
    let confidential = fake
        .create(POOL, &settings("confidential"), &InitialSecret::Generated)
        .await
        .unwrap();

    assert_eq!(public.client_id.len(), 26);
    assert!(
        public
            .client_id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    );
    assert_ne!(public.client_id, confidential.client_id);
    assert_eq!(public.client_secret, None);
    assert_eq!(confidential.client_secret.as_ref().map(String::len), Some(51));
    assert_eq!(public.user_pool_id, POOL);
    assert!(public.creation_date.is_some());
    assert!(confidential.creation_date > public.creation_date, "the clock advances");

    let described = fake.describe(POOL, &confidential.client_id).await.unwrap();
    assert_eq!(described, Some(confidential));
}

#[tokio::test]
async fn update_replaces_the_whole_configuration() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    let mut rich = settings("rich");
    rich.callback_urls = BTreeSet::from(["https://example.com/cb".to_string()]);
    rich.allowed_oauth_flows = BTreeSet::from(["code".to_string()]);
    rich.allowed_oauth_flows_user_pool_client = true;
    rich.access_token_validity = Some(30);
    rich.token_validity_units.access_token = TimeUnit::Minutes;
    let created = fake.create(POOL, &rich, &InitialSecret::Generated).await.unwrap();

    let plain = settings("plain");
    let updated = fake.update(POOL, &created.client_id, &plain).await.unwrap();
    assert_eq!(
        updated.settings, plain,
        "nothing of the previous configuration survives"
    );
    assert_eq!(
        updated.client_secret, created.client_secret,
        "the secret is not part of the configuration"
    );
    assert_eq!(updated.creation_date, created.creation_date);
    assert!(updated.last_modified_date > created.last_modified_date);
    assert_eq!(fake.client(POOL, &created.client_id).unwrap(), updated);
}

#[tokio::test]
async fn the_client_reports_what_cognito_reports() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    let mut requested = settings("app");
    requested.refresh_token_validity = 0;
    requested.token_validity_units.refresh_token = TimeUnit::Hours;
    requested.explicit_auth_flows.clear();
    let created = fake.create(POOL, &requested, &InitialSecret::None).await.unwrap();
    assert_eq!(
        created.settings.refresh_token_validity, 720,
        "0 means 30 days, here in hours"
    );
    assert_eq!(
        created.settings.explicit_auth_flows,
        crate::cognito::user_pool_client::model::defaults::explicit_auth_flows()
    );
    // The request log keeps what was sent.
    let logged = fake.requests_of(Operation::CREATE_CLIENT).pop().unwrap();
    assert_eq!(logged.settings, Some(requested));
}

#[tokio::test]
async fn unknown_pools_and_clients_are_not_found() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    assert_eq!(fake.describe(POOL, "nope").await.unwrap(), None);
    assert_eq!(fake.describe("us-east-1_other", "nope").await.unwrap(), None);
    fake.delete(POOL, "nope").await.unwrap();
    fake.delete("us-east-1_other", "nope").await.unwrap();

    let update = fake.update(POOL, "nope", &settings("x")).await.unwrap_err();
    assert_eq!(update.kind, ErrorKind::NotFound);
    assert_eq!(update.code.as_deref(), Some("ResourceNotFoundException"));
    assert_eq!(update.scope.client_id(), Some("nope"));
    let create = fake
        .create("us-east-1_other", &settings("x"), &InitialSecret::None)
        .await
        .unwrap_err();
    assert_eq!(create.kind, ErrorKind::NotFound);
    assert_eq!(create.message, "User pool us-east-1_other does not exist.");
    assert_eq!(
        list(&fake, "us-east-1_other").await.unwrap_err().kind,
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn delete_removes_and_list_reports_in_creation_order() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    let first = fake
        .create(POOL, &settings("first"), &InitialSecret::None)
        .await
        .unwrap();
    let second = fake
        .create(POOL, &settings("second"), &InitialSecret::None)
        .await
        .unwrap();
    let third = fake
        .create(POOL, &settings("first"), &InitialSecret::None)
        .await
        .unwrap();
    let names: Vec<_> = list(&fake, POOL)
        .await
        .unwrap()
        .into_iter()
        .map(|summary| summary.name)
        .collect();
    assert_eq!(names, ["first", "second", "first"], "names need not be unique");

    fake.delete(POOL, &second.client_id).await.unwrap();
    let listed = list(&fake, POOL).await.unwrap();
    assert_eq!(
        listed,
        [
            ClientSummary {
                client_id: first.client_id.clone(),
                name: "first".into()
            },
            ClientSummary {
                client_id: third.client_id.clone(),
                name: "first".into()
            },
        ]
    );
    assert_eq!(fake.describe(POOL, &second.client_id).await.unwrap(), None);
}

#[tokio::test]
async fn create_respects_the_client_quota() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    fake.set_client_quota(1);
    fake.create(POOL, &settings("one"), &InitialSecret::None).await.unwrap();
    let error = fake
        .create(POOL, &settings("two"), &InitialSecret::None)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::LimitExceeded);
    assert_eq!(error.code.as_deref(), Some("LimitExceededException"));
    assert_eq!(fake.clients(POOL).len(), 1);
}

#[tokio::test]
async fn every_call_is_logged_with_what_it_carried() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    let created = fake
        .create(POOL, &settings("app"), &InitialSecret::Generated)
        .await
        .unwrap();
    let id = created.client_id.clone();
    fake.describe(POOL, &id).await.unwrap();
    fake.update(POOL, &id, &settings("renamed")).await.unwrap();
    list(&fake, POOL).await.unwrap();
    fake.delete(POOL, &id).await.unwrap();

    let requests = fake.requests();
    let operations: Vec<_> = requests.iter().map(|request| request.operation).collect();
    assert_eq!(
        operations,
        [
            Operation::CREATE_CLIENT,
            Operation::DESCRIBE_CLIENT,
            Operation::UPDATE_CLIENT,
            Operation::LIST_CLIENTS,
            Operation::DELETE_CLIENT
        ]
    );
    assert_eq!(requests[0].generate_secret, Some(true));
    assert_eq!(requests[0].client_id, None);
    assert_eq!(requests[0].settings.as_ref().map(|s| s.name.as_str()), Some("app"));
    assert_eq!(requests[1].client_id.as_deref(), Some(id.as_str()));
    assert_eq!(requests[1].settings, None);
    assert_eq!(requests[2].settings, Some(settings("renamed")));
    assert_eq!(requests[2].generate_secret, None);
    assert!(requests.iter().all(|request| request.user_pool_id == POOL));

    fake.clear_requests();
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn queued_errors_are_returned_in_order_for_their_operation_only() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    let throttled = ApiError::from_service(
        Operation::LIST_CLIENTS,
        Scope::pool(POOL),
        "TooManyRequestsException",
        "slow down",
        400,
    );
    let internal = ApiError::from_service(
        Operation::LIST_CLIENTS,
        Scope::pool(POOL),
        "InternalErrorException",
        "oops",
        500,
    );
    fake.fail_next(Operation::LIST_CLIENTS, throttled.clone());
    fake.fail_next(Operation::LIST_CLIENTS, internal.clone());

    // Other operations are not affected.
    let created = fake.create(POOL, &settings("app"), &InitialSecret::None).await.unwrap();
    assert_eq!(list(&fake, POOL).await.unwrap_err(), throttled);
    assert_eq!(list(&fake, POOL).await.unwrap_err(), internal);
    assert_eq!(list(&fake, POOL).await.unwrap().len(), 1);
    // Failed calls are logged too.
    assert_eq!(fake.requests_of(Operation::LIST_CLIENTS).len(), 3);
    assert!(fake.client(POOL, &created.client_id).is_some());
}

#[tokio::test]
async fn an_error_instead_of_the_call_has_no_effect() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    let created = fake.create(POOL, &settings("app"), &InitialSecret::None).await.unwrap();
    let conflict = ApiError::from_service(
        Operation::UPDATE_CLIENT,
        Scope::client(POOL, &created.client_id),
        "ConcurrentModificationException",
        "Only one request to update user pool client can be processed at a time.",
        400,
    );
    fake.fail_next(Operation::UPDATE_CLIENT, conflict.clone());
    assert_eq!(
        fake.update(POOL, &created.client_id, &settings("renamed"))
            .await
            .unwrap_err(),
        conflict
    );
    assert_eq!(fake.client(POOL, &created.client_id).unwrap().settings.name, "app");
}

#[tokio::test]
async fn an_error_after_effect_loses_only_the_answer() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    let lost = ApiError::new(
        Operation::CREATE_CLIENT,
        Scope::pool(POOL),
        ErrorKind::Ambiguous,
        "connection reset",
    );
    fake.fail_next_after_effect(Operation::CREATE_CLIENT, lost.clone());
    assert_eq!(
        fake.create(POOL, &settings("orphan"), &InitialSecret::None)
            .await
            .unwrap_err(),
        lost
    );
    let clients = list(&fake, POOL).await.unwrap();
    assert_eq!(clients.len(), 1);
    assert_eq!(clients[0].name, "orphan");
}

#[tokio::test]
async fn changes_outside_terraform_are_visible() {
    let fake = FakeCognito::new();
    let seeded = fake.insert_client(POOL, &settings("imported"), true);
    assert!(fake.requests().is_empty(), "seeding is not a request");
    assert!(seeded.client_secret.is_some());

    assert!(fake.edit_client(POOL, &seeded.client_id, |settings| {
        settings.logout_urls.insert("https://x".into());
    }));
    let drifted = fake.describe(POOL, &seeded.client_id).await.unwrap().unwrap();
    assert!(drifted.settings.logout_urls.contains("https://x"));
    assert!(drifted.last_modified_date > seeded.last_modified_date);
    assert!(!fake.edit_client(POOL, "nope", |_| {}));

    assert!(fake.remove_client(POOL, &seeded.client_id));
    assert!(!fake.remove_client(POOL, &seeded.client_id));
    assert_eq!(fake.describe(POOL, &seeded.client_id).await.unwrap(), None);

    fake.insert_client(POOL, &settings("again"), false);
    fake.remove_user_pool(POOL);
    assert!(fake.clients(POOL).is_empty());
    assert_eq!(list(&fake, POOL).await.unwrap_err().kind, ErrorKind::NotFound);
}

#[tokio::test]
async fn listings_come_in_pages_that_the_facade_follows() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    fake.set_page_size(2);
    let names = ["a", "b", "c", "d", "e"];
    for name in names {
        fake.insert_client(POOL, &settings(name), false);
    }
    let first = fake.list_page(POOL, None).await.unwrap();
    assert_eq!(first.clients.len(), 2);
    let token = first.next_token.expect("more pages");
    let second = fake.list_page(POOL, Some(&token)).await.unwrap();
    assert_eq!(second.clients[0].name, "c");
    assert_eq!(
        fake.list_page(POOL, Some("not a token")).await.unwrap_err().kind,
        ErrorKind::Invalid
    );

    let api = TestClients::new(fake, Stack::default());
    api.inner().clear_requests();
    let listed: Vec<String> = api
        .list(POOL)
        .await
        .unwrap()
        .into_iter()
        .map(|client| client.name)
        .collect();
    assert_eq!(listed, names);
    assert_eq!(
        api.inner().requests_of(Operation::LIST_CLIENTS).len(),
        3,
        "one request per page"
    );
}

#[tokio::test]
async fn works_behind_a_trait_object() {
    let api: std::sync::Arc<dyn UserPoolClientCalls> = std::sync::Arc::new(FakeCognito::new().with_user_pool(POOL));
    let created = api.create(POOL, &settings("app"), &InitialSecret::None).await.unwrap();
    assert_eq!(api.describe(POOL, &created.client_id).await.unwrap(), Some(created));
}

#[tokio::test]
async fn client_secrets_follow_cognitos_rules() {
    use crate::cognito::api::{ClientSecretCalls, Deleted, DescribeAfterRotation};
    use crate::cognito::user_pool_client_secret::model::SecretValue;

    let fake = FakeCognito::new().with_user_pool(POOL);
    let client = fake.insert_client(POOL, &settings("rotating"), true);
    let initial = client.client_secret.clone().unwrap();
    let id = client.client_id.as_str();
    let listed = fake.list_secrets_page(POOL, id, None).await.unwrap().unwrap();
    assert_eq!(listed.secrets.len(), 1);
    assert!(listed.secrets[0].secret_id.starts_with(&format!("{id}--")));

    let added = fake.add_secret(POOL, id, None).await.unwrap();
    let value = added.value.clone().expect("a generated value is returned once");
    assert_eq!(
        fake.client(POOL, id).unwrap().client_secret.as_deref(),
        Some(value.expose())
    );
    fake.set_describe_after_rotation(DescribeAfterRotation::None);
    assert_eq!(fake.client(POOL, id).unwrap().client_secret, None);

    let third = fake
        .add_secret(POOL, id, Some(&SecretValue::new("c".repeat(30))))
        .await
        .unwrap_err();
    assert_eq!(third.kind, ErrorKind::LimitExceeded);
    let first = listed.secrets[0].secret_id.clone();
    assert_eq!(fake.delete_secret(POOL, id, &first).await.unwrap(), Deleted::Deleted);
    assert!(!fake.secret_is_active(POOL, id, &initial));
    assert_eq!(
        fake.delete_secret(POOL, id, &first).await.unwrap(),
        Deleted::AlreadyGone
    );
    let last = fake
        .delete_secret(POOL, id, &added.descriptor.secret_id)
        .await
        .unwrap_err();
    assert_eq!(last.kind, ErrorKind::Invalid);

    let custom = fake
        .add_secret(POOL, id, Some(&SecretValue::new("c".repeat(30))))
        .await
        .unwrap();
    assert_eq!(custom.value, None, "a custom value is never returned");
    assert!(fake.secret_is_active(POOL, id, &"c".repeat(30)));

    let public = fake.insert_client(POOL, &settings("public"), false);
    assert!(
        fake.list_secrets_page(POOL, &public.client_id, None)
            .await
            .unwrap()
            .unwrap()
            .secrets
            .is_empty()
    );
    assert_eq!(
        fake.add_secret(POOL, &public.client_id, None).await.unwrap_err().kind,
        ErrorKind::Invalid
    );
    assert_eq!(fake.list_secrets_page(POOL, "gone", None).await.unwrap(), None);
}

#[tokio::test]
async fn a_client_created_with_a_custom_secret_reports_it_until_rotated() {
    use crate::cognito::user_pool_client_secret::model::SecretValue;

    let fake = FakeCognito::new().with_user_pool(POOL);
    let custom = InitialSecret::Custom(SecretValue::new("byo_secret_0123456789abcdef"));
    let created = fake.create(POOL, &settings("byo"), &custom).await.unwrap();
    assert_eq!(created.client_secret.as_deref(), Some("byo_secret_0123456789abcdef"));
    let request = &fake.requests_of(Operation::CREATE_CLIENT)[0];
    assert!(request.custom_secret && request.generate_secret == Some(false));
    assert_eq!(fake.secret_ids(POOL, &created.client_id).len(), 1);
}

//! The resource's handlers against the in-memory Cognito: what each call sends, and what state and diagnostics
//! come back.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::*;
use crate::cognito::FakeSource;
use crate::cognito::api::{ClientSecretCalls, FakeCognito, Operation};
use crate::cognito::user_pool_client::model::ClientSettings;
use crate::tf::diagnostics::Severity;
use crate::tf::msgpack;

const POOL: &str = "us-east-1_handlers";

fn resource(fake: &Arc<FakeCognito>) -> UserPoolClientSecretResource {
    UserPoolClientSecretResource::new(Arc::new(FakeSource(fake.clone())))
}

/// A configuration of a secret of `client_id`, with the given arguments set.
fn config(client_id: &str, pairs: &[(&str, Value)]) -> Value {
    let mut object: BTreeMap<String, Value> = schema::schema()
        .block
        .attributes
        .iter()
        .map(|a| (a.name.to_string(), Value::Null))
        .collect();
    object.insert(attr::USER_POOL_ID.into(), Value::string(POOL));
    object.insert(attr::CLIENT_ID.into(), Value::string(client_id));
    for (name, value) in pairs {
        object.insert(name.to_string(), value.clone());
    }
    Value::Object(object)
}

fn confidential_client(fake: &FakeCognito) -> String {
    fake.insert_client(POOL, &ClientSettings::with_defaults("app"), true)
        .client_id
}

async fn create(resource: &UserPoolClientSecretResource, config: Value) -> StateResponse {
    let planned = plan::plan(&Value::Null, &config);
    resource
        .apply(
            &Context::default(),
            ApplyRequest {
                prior: Value::Null,
                planned,
                config,
                planned_private: Vec::new(),
            },
        )
        .await
}

fn severities(diagnostics: &Diagnostics) -> Vec<(Severity, String)> {
    diagnostics.iter().map(|d| (d.severity, d.summary.clone())).collect()
}

#[tokio::test]
async fn create_adds_a_secret_and_retires_the_one_named() {
    let fake = Arc::new(FakeCognito::new().with_user_pool(POOL));
    let client = confidential_client(&fake);
    let initial = fake.secret_ids(POOL, &client).remove(0);
    let created = create(
        &resource(&fake),
        config(&client, &[(attr::RETIRE_SECRET_ID, Value::string(&initial))]),
    )
    .await;

    assert!(created.diagnostics.is_empty(), "{:?}", created.diagnostics);
    let id = created
        .new_state
        .attribute(attr::ID)
        .and_then(Value::as_str)
        .unwrap()
        .to_string();
    assert_eq!(fake.secret_ids(POOL, &client), [id]);
    let value = created
        .new_state
        .attribute(attr::CLIENT_SECRET)
        .and_then(Value::as_str)
        .unwrap();
    assert!(fake.secret_is_active(POOL, &client, value));
    msgpack::encode(&created.new_state, schema::schema().value_type()).expect("a value of the schema's type");
    assert!(!format!("{:?}", fake.requests()).contains(value));
}

#[tokio::test]
async fn a_custom_value_is_sent_and_never_kept() {
    let fake = Arc::new(FakeCognito::new().with_user_pool(POOL));
    let client = confidential_client(&fake);
    let custom = "custom_value_0123456789abcdef";
    let created = create(
        &resource(&fake),
        config(&client, &[(attr::CLIENT_SECRET_WO, Value::string(custom))]),
    )
    .await;

    assert!(created.diagnostics.is_empty(), "{:?}", created.diagnostics);
    assert_eq!(created.new_state.attribute(attr::CLIENT_SECRET), Some(&Value::Null));
    assert_eq!(created.new_state.attribute(attr::CLIENT_SECRET_WO), Some(&Value::Null));
    assert!(fake.secret_is_active(POOL, &client, custom));
    assert!(fake.requests_of(Operation::ADD_CLIENT_SECRET)[0].custom_secret);
}

#[tokio::test]
async fn a_third_secret_is_refused_once_naming_the_secrets_there_are() {
    let fake = Arc::new(FakeCognito::new().with_user_pool(POOL));
    let client = confidential_client(&fake);
    fake.add_secret(POOL, &client, None).await.unwrap();
    let existing = fake.secret_ids(POOL, &client);
    fake.clear_requests();

    let refused = create(&resource(&fake), config(&client, &[])).await;
    assert_eq!(refused.new_state, Value::Null);
    let detail = refused.diagnostics.iter().next().unwrap().detail.clone();
    for id in &existing {
        assert!(detail.contains(id.as_str()), "{detail}");
    }
    assert!(detail.contains("delete-user-pool-client-secret"), "{detail}");
    assert_eq!(fake.requests_of(Operation::ADD_CLIENT_SECRET).len(), 1, "never retried");
}

#[tokio::test]
async fn read_keeps_a_listed_secret_and_drops_one_deleted_outside() {
    let fake = Arc::new(FakeCognito::new().with_user_pool(POOL));
    let client = confidential_client(&fake);
    let resource = resource(&fake);
    let created = create(&resource, config(&client, &[])).await.new_state;
    let context = Context::default();
    let read = |state: Value| {
        resource.read(
            &context,
            ReadRequest {
                state,
                private: Vec::new(),
            },
        )
    };

    let kept = read(created.clone()).await;
    assert_eq!(kept.new_state, created);
    assert!(kept.diagnostics.is_empty());

    let id = created.attribute(attr::ID).and_then(Value::as_str).unwrap().to_string();
    fake.delete_secret(POOL, &client, &id).await.unwrap();
    let gone = read(created.clone()).await;
    assert_eq!(gone.new_state, Value::Null);
    assert_eq!(
        severities(&gone.diagnostics),
        [(Severity::Warning, "Client secret no longer exists".to_string())]
    );

    fake.remove_client(POOL, &client);
    let client_gone = read(created).await;
    assert_eq!(client_gone.new_state, Value::Null);
    assert_eq!(
        client_gone.diagnostics.iter().next().unwrap().severity,
        Severity::Warning
    );
}

#[tokio::test]
async fn delete_leaves_the_last_secret_with_a_warning() {
    let fake = Arc::new(FakeCognito::new().with_user_pool(POOL));
    let client = confidential_client(&fake);
    let initial = fake.secret_ids(POOL, &client).remove(0);
    let resource = resource(&fake);
    let created = create(
        &resource,
        config(&client, &[(attr::RETIRE_SECRET_ID, Value::string(&initial))]),
    )
    .await
    .new_state;
    fake.clear_requests();

    let diagnostics = resource.delete(&Context::default(), &created, &[]).await;
    assert_eq!(
        severities(&diagnostics),
        [(Severity::Warning, "Last client secret left in place".to_string())]
    );
    assert!(fake.requests_of(Operation::DELETE_CLIENT_SECRET).is_empty());

    // With a second secret there, it is deleted.
    fake.add_secret(POOL, &client, None).await.unwrap();
    let diagnostics = resource.delete(&Context::default(), &created, &[]).await;
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(fake.secret_ids(POOL, &client).len(), 1);
}

#[tokio::test]
async fn changing_retire_secret_id_retires_the_newly_named_secret() {
    let fake = Arc::new(FakeCognito::new().with_user_pool(POOL));
    let client = confidential_client(&fake);
    let initial = fake.secret_ids(POOL, &client).remove(0);
    let resource = resource(&fake);
    let prior = create(&resource, config(&client, &[])).await.new_state;
    assert_eq!(fake.secret_ids(POOL, &client).len(), 2);

    let config = config(&client, &[(attr::RETIRE_SECRET_ID, Value::string(&initial))]);
    let planned = plan::plan(&prior, &config);
    let updated = resource
        .apply(
            &Context::default(),
            ApplyRequest {
                prior: prior.clone(),
                planned: planned.clone(),
                config,
                planned_private: Vec::new(),
            },
        )
        .await;
    assert!(updated.diagnostics.is_empty(), "{:?}", updated.diagnostics);
    assert_eq!(updated.new_state, planned);
    assert_eq!(
        fake.secret_ids(POOL, &client),
        [prior.attribute(attr::ID).and_then(Value::as_str).unwrap().to_string()]
    );
}

#[tokio::test]
async fn import_by_secret_or_by_a_clients_only_secret() {
    let fake = Arc::new(FakeCognito::new().with_user_pool(POOL));
    let client = confidential_client(&fake);
    let initial = fake.secret_ids(POOL, &client).remove(0);
    let resource = resource(&fake);
    let ctx = Context::default();

    let only = resource.import(&ctx, &format!("{POOL}/{client}")).await.unwrap();
    assert_eq!(only[0].state.attribute(attr::ID), Some(&Value::string(&initial)));
    assert_eq!(only[0].state.attribute(attr::CLIENT_SECRET), Some(&Value::Null));

    fake.add_secret(POOL, &client, None).await.unwrap();
    let ambiguous = resource.import(&ctx, &format!("{POOL}/{client}")).await.unwrap_err();
    assert!(ambiguous.iter().next().unwrap().detail.contains(&initial));
    let named = resource
        .import(&ctx, &format!("{POOL}/{client}/{initial}"))
        .await
        .unwrap();
    assert_eq!(named[0].state.attribute(attr::ID), Some(&Value::string(&initial)));
    let missing = resource
        .import(&ctx, &format!("{POOL}/{client}/{client}--1"))
        .await
        .unwrap_err();
    assert_eq!(missing.iter().next().unwrap().summary, "Client secret not found");
}

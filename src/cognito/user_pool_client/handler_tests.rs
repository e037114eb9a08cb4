//! The resource's handlers against the in-memory Cognito: which requests are made, what state results.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::UserPoolClientResource;
use super::schema::{attr, schema};
use super::state::get;
use crate::cognito::FakeSource;
use crate::cognito::api::{ApiError, ErrorKind, FakeCognito, Operation, Scope};
use crate::cognito::handler_test_support::{assert_consistent, plan_and_apply, refresh};
use crate::tf::diagnostics::Severity;
use crate::tf::resource::{ApplyRequest, Context, PlanRequest, ReadRequest, Resource};
use crate::tf::value::{Type, Value};

const POOL: &str = "us-east-1_testpool";

fn resource() -> (UserPoolClientResource, Arc<FakeCognito>) {
    let fake = Arc::new(FakeCognito::new().with_user_pool(POOL));
    (UserPoolClientResource::new(Arc::new(FakeSource(fake.clone()))), fake)
}

/// A configuration with every attribute null (blocks empty) except `pairs`.
fn config(pairs: &[(&str, Value)]) -> Value {
    let Type::Object { attributes, .. } = schema().value_type().clone() else {
        unreachable!()
    };
    let mut object: BTreeMap<String, Value> = attributes.keys().map(|k| (k.clone(), Value::Null)).collect();
    for block in [
        attr::TOKEN_VALIDITY_UNITS,
        attr::ANALYTICS_CONFIGURATION,
        attr::REFRESH_TOKEN_ROTATION,
    ] {
        object.insert(block.to_string(), Value::List(vec![]));
    }
    object.insert(attr::USER_POOL_ID.to_string(), Value::string(POOL));
    object.insert(attr::NAME.to_string(), Value::string("app"));
    for (name, value) in pairs {
        object.insert(name.to_string(), value.clone());
    }
    Value::Object(object)
}

fn strings(items: &[&str]) -> Value {
    Value::Set(items.iter().map(|s| Value::string(*s)).collect())
}

#[tokio::test]
async fn create_read_and_no_op_plan() {
    let (resource, fake) = resource();
    let (state, diagnostics) = plan_and_apply(&resource, &Value::Null, &config(&[])).await;
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let client_id = get(&state, attr::ID).as_str().unwrap().to_string();
    assert!(fake.client(POOL, &client_id).is_some());

    let (refreshed, diagnostics) = refresh(&resource, &state).await;
    assert!(diagnostics.is_empty());
    assert!(
        refreshed.semantically_equal(&state),
        "read after create changes nothing"
    );

    fake.clear_requests();
    let (again, _) = plan_and_apply(&resource, &refreshed, &config(&[])).await;
    assert!(again.semantically_equal(&refreshed));
    assert!(
        fake.requests_of(Operation::UPDATE_CLIENT).is_empty(),
        "no write when nothing changed"
    );
}

#[tokio::test]
async fn update_sends_the_whole_configuration_and_removal_resets() {
    let (resource, fake) = resource();
    let configured = config(&[
        (attr::CALLBACK_URLS, strings(&["https://example.com/cb"])),
        (attr::ACCESS_TOKEN_VALIDITY, Value::int(2)),
        (attr::PREVENT_USER_EXISTENCE_ERRORS, Value::string("ENABLED")),
    ]);
    let (state, _) = plan_and_apply(&resource, &Value::Null, &configured).await;
    let client_id = get(&state, attr::ID).as_str().unwrap().to_string();

    let (state, diagnostics) = plan_and_apply(&resource, &state, &config(&[])).await;
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(
        get(&state, attr::ID).as_str(),
        Some(client_id.as_str()),
        "updated in place"
    );
    let remote = fake.client(POOL, &client_id).unwrap();
    assert!(remote.settings.callback_urls.is_empty());
    assert_eq!(remote.settings.access_token_validity, Some(1));
    assert_eq!(remote.settings.prevent_user_existence_errors, "LEGACY");
    let updates = fake.requests_of(Operation::UPDATE_CLIENT);
    assert_eq!(updates.len(), 1);
}

#[tokio::test]
async fn drift_is_read_and_a_deleted_client_leaves_the_state() {
    let (resource, fake) = resource();
    let (state, _) = plan_and_apply(&resource, &Value::Null, &config(&[])).await;
    let client_id = get(&state, attr::ID).as_str().unwrap().to_string();

    fake.edit_client(POOL, &client_id, |settings| settings.name = "renamed".into());
    let (drifted, _) = refresh(&resource, &state).await;
    assert_eq!(get(&drifted, attr::NAME), &Value::string("renamed"));

    fake.remove_client(POOL, &client_id);
    let (gone, diagnostics) = refresh(&resource, &drifted).await;
    assert!(gone.is_null());
    assert_eq!(diagnostics.iter().next().unwrap().severity, Severity::Warning);
}

#[tokio::test]
async fn failed_update_keeps_the_prior_state_and_names_the_error() {
    let (resource, fake) = resource();
    let (state, _) = plan_and_apply(&resource, &Value::Null, &config(&[])).await;
    let error = ApiError::new(
        Operation::UPDATE_CLIENT,
        Scope::client(POOL, "x"),
        ErrorKind::Invalid,
        "Invalid range for token validity",
    );
    fake.fail_next(Operation::UPDATE_CLIENT, error);
    let (after, diagnostics) =
        plan_and_apply(&resource, &state, &config(&[(attr::NAME, Value::string("new name"))])).await;
    assert!(diagnostics.has_errors());
    assert_eq!(after, state, "nothing changed remotely, so the state stays as it was");
    let detail = &diagnostics.iter().next().unwrap().detail;
    assert!(
        detail.contains("UpdateUserPoolClient") && detail.contains(POOL),
        "{detail}"
    );
}

#[tokio::test]
async fn failed_create_records_nothing() {
    let (resource, fake) = resource();
    fake.fail_next(
        Operation::CREATE_CLIENT,
        ApiError::new(
            Operation::CREATE_CLIENT,
            Scope::pool(POOL),
            ErrorKind::LimitExceeded,
            "too many clients",
        ),
    );
    let (state, diagnostics) = plan_and_apply(&resource, &Value::Null, &config(&[])).await;
    assert!(diagnostics.has_errors());
    assert!(state.is_null());
    assert!(fake.clients(POOL).is_empty());
}

#[tokio::test]
async fn secret_clients_import_with_generate_secret_and_no_secret_in_debug_output() {
    let (resource, fake) = resource();
    let (state, _) = plan_and_apply(
        &resource,
        &Value::Null,
        &config(&[(attr::GENERATE_SECRET, Value::Bool(true))]),
    )
    .await;
    let secret = get(&state, attr::CLIENT_SECRET).as_str().expect("a secret").to_string();
    let client_id = get(&state, attr::ID).as_str().unwrap();
    assert_eq!(
        fake.client(POOL, client_id).unwrap().client_secret.as_deref(),
        Some(secret.as_str())
    );

    let imported = resource
        .import(&Context::default(), &format!("{POOL}/{client_id}"))
        .await
        .unwrap();
    let imported_state = &imported[0].state;
    assert_eq!(get(imported_state, attr::GENERATE_SECRET), &Value::Bool(true));
    assert!(imported_state.semantically_equal(&state));

    let missing = resource
        .import(&Context::default(), &format!("{POOL}/nope"))
        .await
        .unwrap_err();
    let text = format!("{missing:?}");
    assert!(text.contains("not found") || text.contains("no app client"), "{text}");
    assert!(!text.contains(&secret));
}

#[tokio::test]
async fn delete_is_done_when_the_client_is_already_gone() {
    let (resource, fake) = resource();
    let (state, _) = plan_and_apply(&resource, &Value::Null, &config(&[])).await;
    let diagnostics = resource.delete(&Context::default(), &state, &[]).await;
    assert!(diagnostics.is_empty());
    assert!(fake.clients(POOL).is_empty());
    assert!(resource.delete(&Context::default(), &state, &[]).await.is_empty());
}

#[tokio::test]
async fn toggling_client_secret_in_state_writes_nothing_to_cognito() {
    let (resource, fake) = resource();
    let with_secret = |in_state: bool| {
        config(&[
            (attr::GENERATE_SECRET, Value::Bool(true)),
            (attr::CLIENT_SECRET_IN_STATE, Value::Bool(in_state)),
        ])
    };
    let (shown, _) = plan_and_apply(&resource, &Value::Null, &with_secret(true)).await;
    let secret = get(&shown, attr::CLIENT_SECRET).as_str().expect("a secret").to_string();
    fake.clear_requests();

    let (hidden, diagnostics) = plan_and_apply(&resource, &shown, &with_secret(false)).await;
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert!(get(&hidden, attr::CLIENT_SECRET).is_null());
    let (shown_again, diagnostics) = plan_and_apply(&resource, &hidden, &with_secret(true)).await;
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(get(&shown_again, attr::CLIENT_SECRET), &Value::string(secret));
    assert!(
        fake.requests_of(Operation::UPDATE_CLIENT).is_empty(),
        "no write for a provider-side option"
    );
}

#[tokio::test]
async fn a_rotated_client_stays_confidential_whatever_describe_reports() {
    use crate::cognito::api::{ClientSecretCalls, DescribeAfterRotation};

    let (resource, fake) = resource();
    let config = config(&[(attr::GENERATE_SECRET, Value::Bool(true))]);
    let (created, _) = plan_and_apply(&resource, &Value::Null, &config).await;
    let client_id = get(&created, attr::ID).as_str().unwrap().to_string();
    assert_eq!(
        get(&created, attr::INITIAL_SECRET_ID).as_str(),
        Some(fake.secret_ids(POOL, &client_id)[0].as_str())
    );

    fake.add_secret(POOL, &client_id, None).await.unwrap();
    fake.set_describe_after_rotation(DescribeAfterRotation::None);
    let (refreshed, diagnostics) = refresh(&resource, &created).await;
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(
        get(&refreshed, attr::GENERATE_SECRET),
        &Value::Bool(true),
        "never planned for replacement"
    );
    assert_eq!(
        get(&refreshed, attr::CLIENT_SECRET),
        &Value::Null,
        "Cognito reports none"
    );
    assert_eq!(
        get(&refreshed, attr::INITIAL_SECRET_ID),
        get(&created, attr::INITIAL_SECRET_ID)
    );
    // And the next plan changes nothing.
    let (again, _) = plan_and_apply(&resource, &refreshed, &config).await;
    assert_eq!(again, refreshed);
    assert!(fake.requests_of(Operation::UPDATE_CLIENT).is_empty());
}

#[tokio::test]
async fn a_custom_initial_secret_is_sent_once_and_never_kept() {
    let (resource, fake) = resource();
    let custom = "byo_initial_secret_0123456789";
    let config = config(&[(attr::CLIENT_SECRET_WO, Value::string(custom))]);
    assert!(!resource.validate(&config).has_errors());
    let ctx = Context::default();
    let plan = resource
        .plan(
            &ctx,
            PlanRequest {
                prior: Value::Null,
                proposed: config.clone(),
                config: config.clone(),
                prior_private: vec![],
            },
        )
        .await;
    assert_eq!(get(&plan.planned, attr::GENERATE_SECRET), &Value::Bool(true));
    assert_eq!(get(&plan.planned, attr::CLIENT_SECRET), &Value::Null);
    let applied = resource
        .apply(
            &ctx,
            ApplyRequest {
                prior: Value::Null,
                planned: plan.planned.clone(),
                config: config.clone(),
                planned_private: plan.planned_private.clone(),
            },
        )
        .await;
    assert!(applied.diagnostics.is_empty(), "{:?}", applied.diagnostics);
    assert_consistent(&plan.planned, &applied.new_state);
    let client_id = get(&applied.new_state, attr::ID).as_str().unwrap().to_string();
    assert!(fake.secret_is_active(POOL, &client_id, custom));
    assert!(!format!("{:?}", applied.new_state).contains(custom));

    // Describe reports the custom value; the state never takes it.
    let read = resource
        .read(
            &ctx,
            ReadRequest {
                state: applied.new_state.clone(),
                private: applied.private.clone(),
            },
        )
        .await;
    assert_eq!(get(&read.new_state, attr::CLIENT_SECRET), &Value::Null);
    assert_eq!(get(&read.new_state, attr::GENERATE_SECRET), &Value::Bool(true));

    // generate_secret = false contradicts a custom secret.
    let contradiction = config_with_false_generate_secret(custom);
    assert!(resource.validate(&contradiction).has_errors());
}

fn config_with_false_generate_secret(custom: &str) -> Value {
    config(&[
        (attr::CLIENT_SECRET_WO, Value::string(custom)),
        (attr::GENERATE_SECRET, Value::Bool(false)),
    ])
}

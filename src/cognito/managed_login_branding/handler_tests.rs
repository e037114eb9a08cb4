//! The resource's handlers against the in-memory Cognito: which requests are made, what state results, and that the
//! state always says what exists, also when an apply fails half-way.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use serde_json::json;

use super::ManagedLoginBrandingResource;
use super::assets::encode;
use super::model::{RemoteStyle, StyleRequest};
use super::schema::attr;
use super::test_values::{test_element, test_style};
use crate::cognito::api::{
    ApiError, BrandingCalls, ClientPage, ClientSecretCalls, Cognito, Deleted, FakeCognito, Operation, SecretPage,
    UserPoolClientCalls,
};
use crate::cognito::handler_test_support::{plan_and_apply, plan_and_apply_with_private, refresh_with_private};
use crate::cognito::user_pool_client::model::{ClientSettings, InitialSecret, RemoteClient};
use crate::cognito::user_pool_client_secret::model::{AddedSecret, SecretValue};
use crate::cognito::{ApiSource, FakeSource};
use crate::tf::diagnostics::{Diagnostics, Severity};
use crate::tf::resource::{Context, Resource};
use crate::tf::value::Value;

const POOL: &str = "us-east-1_testpool";

/// A fake Cognito with one app client; the resource over it; the client's ID.
fn resource() -> (ManagedLoginBrandingResource, Arc<FakeCognito>, String) {
    let fake = Arc::new(FakeCognito::new().with_user_pool(POOL));
    let client = fake.insert_client(POOL, &ClientSettings::with_defaults("web"), false);
    let resource = ManagedLoginBrandingResource::new(Arc::new(FakeSource(fake.clone())));
    (resource, fake, client.client_id)
}

/// A configuration for `client_id` with the given style.
fn config(client_id: &str, flag: Value, settings: Value, assets: Vec<Value>) -> Value {
    let Value::Object(mut fields) = test_style(flag, settings, assets) else {
        unreachable!()
    };
    fields.insert(attr::USER_POOL_ID.into(), Value::string(POOL));
    fields.insert(attr::CLIENT_ID.into(), Value::string(client_id));
    Value::Object(fields)
}

fn image(category: &str, bytes: &[u8]) -> Value {
    test_element(category, "LIGHT", &[(attr::BYTES, Value::string(encode(bytes)))])
}

fn errors(diagnostics: &Diagnostics) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .map(|diagnostic| format!("{}: {}", diagnostic.summary, diagnostic.detail))
        .collect()
}

fn branding_id(state: &Value) -> String {
    state
        .attribute(attr::MANAGED_LOGIN_BRANDING_ID)
        .and_then(Value::as_str)
        .expect("a style ID")
        .to_string()
}

#[tokio::test]
async fn create_read_and_a_plan_without_changes_send_only_what_is_needed() {
    let (resource, fake, client_id) = resource();
    let configured = config(
        &client_id,
        Value::Null,
        Value::string(r#"{"a": {"b": 1}}"#),
        vec![image("FORM_LOGO", b"x")],
    );
    let created = plan_and_apply_with_private(&resource, &Value::Null, &[], &configured).await;
    assert_eq!(errors(&created.diagnostics), Vec::<String>::new());
    let held = fake.style_of(POOL, &client_id).expect("a style");
    assert_eq!(held.managed_login_branding_id, branding_id(&created.state));
    assert_eq!(held.settings, Some(json!({"a": {"b": 1}})));
    assert!(!held.use_cognito_provided_values);

    let (refreshed, diagnostics) = refresh_with_private(&resource, &created.state, &created.private).await;
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert!(
        refreshed.semantically_equal(&created.state),
        "a read after create changes nothing"
    );

    fake.clear_requests();
    let again = plan_and_apply_with_private(&resource, &refreshed, &created.private, &configured).await;
    assert!(again.state.semantically_equal(&refreshed));
    assert!(
        fake.requests_of(Operation::UPDATE_BRANDING).is_empty(),
        "no write when nothing changed"
    );
}

#[tokio::test]
async fn settings_cognito_adds_never_show_but_a_console_edit_does() {
    let (resource, fake, client_id) = resource();
    let configured = config(&client_id, Value::Null, Value::string(r#"{"a": 1}"#), vec![]);
    let created = plan_and_apply_with_private(&resource, &Value::Null, &[], &configured).await;
    let id = branding_id(&created.state);
    // What Cognito adds on its side is only known once it is there: the next write records it.
    fake.edit_style(POOL, &id, |style| {
        style.settings = Some(json!({"a": 1, "added": {"by": "cognito"}}))
    });
    let changed = config(&client_id, Value::Null, Value::string(r#"{"a": 2}"#), vec![]);
    let updated = plan_and_apply_with_private(&resource, &created.state, &created.private, &changed).await;
    assert_eq!(errors(&updated.diagnostics), Vec::<String>::new());
    assert_eq!(
        fake.style_of(POOL, &client_id).unwrap().settings,
        Some(json!({"a": 2, "added": {"by": "cognito"}}))
    );

    let (refreshed, _) = refresh_with_private(&resource, &updated.state, &updated.private).await;
    assert!(
        refreshed.semantically_equal(&updated.state),
        "Cognito's addition is left out"
    );

    fake.edit_style(POOL, &id, |style| {
        style.settings = Some(json!({"a": 2, "added": {"by": "cognito"}, "console": true}));
    });
    let (drifted, _) = refresh_with_private(&resource, &updated.state, &updated.private).await;
    assert_eq!(
        drifted.attribute(attr::SETTINGS).and_then(Value::as_str),
        Some(r#"{"a":2,"console":true}"#),
        "a member added in the console shows"
    );
}

#[tokio::test]
async fn a_client_with_a_style_already_is_never_taken_over() {
    let (resource, fake, client_id) = resource();
    let (_, diagnostics) = plan_and_apply(
        &resource,
        &Value::Null,
        &config(&client_id, Value::Bool(true), Value::Null, vec![]),
    )
    .await;
    assert!(diagnostics.is_empty());
    let before = fake.style_of(POOL, &client_id);
    let (state, diagnostics) = plan_and_apply(
        &resource,
        &Value::Null,
        &config(&client_id, Value::Null, Value::string("{}"), vec![]),
    )
    .await;
    assert_eq!(state, Value::Null, "nothing was created");
    let found = errors(&diagnostics).join("\n");
    assert!(
        found.contains("already has a managed login") && found.contains("terraform import"),
        "{found}"
    );
    assert_eq!(fake.style_of(POOL, &client_id), before);
}

#[tokio::test]
async fn a_style_deleted_outside_leaves_the_state_with_a_warning() {
    let (resource, fake, client_id) = resource();
    let (state, _) = plan_and_apply(
        &resource,
        &Value::Null,
        &config(&client_id, Value::Bool(true), Value::Null, vec![]),
    )
    .await;
    let deleted = resource.delete(&Context::default(), &state, &[]).await;
    assert!(deleted.is_empty(), "{deleted:?}");
    assert_eq!(fake.style_of(POOL, &client_id), None);
    let (gone, diagnostics) = refresh_with_private(&resource, &state, &[]).await;
    assert_eq!(gone, Value::Null);
    assert_eq!(diagnostics.iter().next().map(|d| d.severity), Some(Severity::Warning));
    assert!(
        resource.delete(&Context::default(), &state, &[]).await.is_empty(),
        "deleting again is done"
    );
}

#[tokio::test]
async fn import_by_style_id_finds_the_client_among_several() {
    let (resource, fake, client_id) = resource();
    for name in ["other-1", "other-2"] {
        let other = fake.insert_client(POOL, &ClientSettings::with_defaults(name), false);
        plan_and_apply(
            &resource,
            &Value::Null,
            &config(&other.client_id, Value::Bool(true), Value::Null, vec![]),
        )
        .await;
    }
    let (state, _) = plan_and_apply(
        &resource,
        &Value::Null,
        &config(&client_id, Value::Null, Value::Null, vec![image("FORM_LOGO", b"x")]),
    )
    .await;
    let id = branding_id(&state);
    for import_id in [
        format!("{POOL}/{id}"),
        format!("{POOL},{id}"),
        format!("{POOL}/{client_id}"),
    ] {
        let imported = resource
            .import(&Context::default(), &import_id)
            .await
            .expect("imported");
        assert!(imported[0].state.semantically_equal(&state), "{import_id}");
    }
    let missing = resource
        .import(
            &Context::default(),
            &format!("{POOL}/6f1c2a9e-0d4b-4c1e-9a7f-3b2d1e0f4a5c"),
        )
        .await
        .unwrap_err();
    assert!(
        errors(&missing)[0].contains("There is no managed login branding style"),
        "{missing:?}"
    );
}

/// The in-memory Cognito, except that the second UpdateManagedLoginBranding of an apply fails (a reset went through,
/// the rest did not).
struct FailingSecondUpdate {
    fake: Arc<FakeCognito>,
    updates: AtomicUsize,
}

#[async_trait]
impl ClientSecretCalls for FailingSecondUpdate {
    async fn add_secret(
        &self,
        user_pool_id: &str,
        client_id: &str,
        custom: Option<&SecretValue>,
    ) -> Result<AddedSecret, ApiError> {
        self.fake.add_secret(user_pool_id, client_id, custom).await
    }

    async fn list_secrets_page(
        &self,
        user_pool_id: &str,
        client_id: &str,
        next_token: Option<&str>,
    ) -> Result<Option<SecretPage>, ApiError> {
        self.fake.list_secrets_page(user_pool_id, client_id, next_token).await
    }

    async fn delete_secret(&self, user_pool_id: &str, client_id: &str, secret_id: &str) -> Result<Deleted, ApiError> {
        self.fake.delete_secret(user_pool_id, client_id, secret_id).await
    }
}

#[async_trait]
impl UserPoolClientCalls for FailingSecondUpdate {
    async fn describe(&self, user_pool_id: &str, client_id: &str) -> Result<Option<RemoteClient>, ApiError> {
        self.fake.describe(user_pool_id, client_id).await
    }

    async fn create(
        &self,
        user_pool_id: &str,
        settings: &ClientSettings,
        secret: &InitialSecret,
    ) -> Result<RemoteClient, ApiError> {
        self.fake.create(user_pool_id, settings, secret).await
    }

    async fn update(
        &self,
        user_pool_id: &str,
        client_id: &str,
        settings: &ClientSettings,
    ) -> Result<RemoteClient, ApiError> {
        self.fake.update(user_pool_id, client_id, settings).await
    }

    async fn delete(&self, user_pool_id: &str, client_id: &str) -> Result<(), ApiError> {
        UserPoolClientCalls::delete(self.fake.as_ref(), user_pool_id, client_id).await
    }

    async fn list_page(&self, user_pool_id: &str, next_token: Option<&str>) -> Result<ClientPage, ApiError> {
        self.fake.list_page(user_pool_id, next_token).await
    }
}

#[async_trait]
impl BrandingCalls for FailingSecondUpdate {
    async fn create_branding(&self, pool: &str, client: &str, style: &StyleRequest) -> Result<RemoteStyle, ApiError> {
        self.fake.create_branding(pool, client, style).await
    }

    async fn describe_branding(&self, pool: &str, id: &str, merged: bool) -> Result<Option<RemoteStyle>, ApiError> {
        self.fake.describe_branding(pool, id, merged).await
    }

    async fn describe_branding_by_client(
        &self,
        pool: &str,
        client: &str,
        merged: bool,
    ) -> Result<Option<RemoteStyle>, ApiError> {
        self.fake.describe_branding_by_client(pool, client, merged).await
    }

    async fn update_branding(&self, pool: &str, id: &str, style: &StyleRequest) -> Result<RemoteStyle, ApiError> {
        if self.updates.fetch_add(1, Ordering::SeqCst) == 1 {
            let scope = crate::cognito::api::Scope::branding(pool, id);
            return Err(ApiError::from_service(
                Operation::UPDATE_BRANDING,
                scope,
                "InvalidParameterException",
                "the image was refused",
                400,
            ));
        }
        self.fake.update_branding(pool, id, style).await
    }

    async fn delete_branding(&self, pool: &str, id: &str) -> Result<(), ApiError> {
        self.fake.delete_branding(pool, id).await
    }
}

struct Failing(Arc<FailingSecondUpdate>);

#[async_trait]
impl ApiSource for Failing {
    async fn api(&self) -> Result<Arc<Cognito>, Diagnostics> {
        Ok(Arc::new(Cognito::direct(self.0.clone())))
    }
}

#[tokio::test]
async fn a_failure_after_the_reset_leaves_the_state_saying_what_exists() {
    let (resource, fake, client_id) = resource();
    let full = config(
        &client_id,
        Value::Null,
        Value::string(r#"{"a": 1, "b": 2}"#),
        vec![image("FORM_LOGO", b"x"), image("PAGE_BACKGROUND", b"y")],
    );
    let (state, _) = plan_and_apply(&resource, &Value::Null, &full).await;

    let failing = Arc::new(FailingSecondUpdate {
        fake: fake.clone(),
        updates: AtomicUsize::new(0),
    });
    let resource = ManagedLoginBrandingResource::new(Arc::new(Failing(failing)));
    let fewer = config(
        &client_id,
        Value::Null,
        Value::string(r#"{"a": 1}"#),
        vec![image("FORM_LOGO", b"x")],
    );
    let (after, diagnostics) = plan_and_apply(&resource, &state, &fewer).await;
    assert!(
        errors(&diagnostics)[0].contains("the image was refused"),
        "{diagnostics:?}"
    );

    let held = fake.style_of(POOL, &client_id).unwrap();
    assert!(held.use_cognito_provided_values && held.settings.is_none() && held.assets.is_empty());
    assert_eq!(
        after.attribute(attr::USE_COGNITO_PROVIDED_VALUES),
        Some(&Value::Bool(true))
    );
    assert_eq!(after.attribute(attr::SETTINGS), Some(&Value::Null));
    assert_eq!(after.attribute(attr::ASSET), Some(&Value::Set(vec![])));
    assert_eq!(
        branding_id(&after),
        held.managed_login_branding_id,
        "the style is still the resource's"
    );
}

#[tokio::test]
async fn a_denied_call_names_the_iam_action_it_needs() {
    let (resource, fake, client_id) = resource();
    fake.fail_next(
        Operation::CREATE_BRANDING,
        ApiError::from_service(
            Operation::CREATE_BRANDING,
            crate::cognito::api::Scope::client(POOL, &client_id),
            "AccessDeniedException",
            "not allowed",
            400,
        ),
    );
    let (state, diagnostics) = plan_and_apply(
        &resource,
        &Value::Null,
        &config(&client_id, Value::Bool(true), Value::Null, vec![]),
    )
    .await;
    assert_eq!(state, Value::Null);
    let found = errors(&diagnostics).join("\n");
    assert!(
        found.contains("This call needs cognito-idp:CreateManagedLoginBranding."),
        "{found}"
    );
}

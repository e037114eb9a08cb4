//! `ephemeral "cognito_user_pool_client_secret"`: a confidential app client's secret for the duration of one
//! Terraform run. Terraform never writes an ephemeral result to the plan or the state, so a configuration can hand
//! the secret to another provider (its provider block, a write-only argument) without the secret ever sitting in a
//! file. Needs `cognito-idp:DescribeUserPoolClient` and `cognito-idp:ListUserPoolClientSecrets`.
//!
//! A client has up to two secrets (`cognito_user_pool_client_secret`), and Cognito returns a value in one place
//! only: DescribeUserPoolClient's `ClientSecret`, taken to be the newest secret (ListUserPoolClientSecrets lists IDs
//! and dates, never values). So the result is the newest secret, or the one `secret_id` chooses when that is the
//! newest; an older one, or a Cognito that reports no value after a rotation, is an error that says so.
//!
//! Nothing is acquired, so there is nothing to renew or close: the framework's defaults apply.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;

use super::data_sources::argument;
use crate::cognito::ApiSource;
use crate::cognito::api::{Cognito, Operation};
use crate::cognito::unless_stopped;
use crate::cognito::user_pool_client_secret::model::SecretList;
use crate::tf::diagnostics::{AttributePath, Diagnostic, Diagnostics};
use crate::tf::resource::{Context, EphemeralOpened, EphemeralResource};
use crate::tf::schema::{Attribute, Block, Schema};
use crate::tf::value::{Type, Value};

pub const TYPE_NAME: &str = "cognito_user_pool_client_secret";

/// Attribute names of the ephemeral resource.
pub mod attr {
    pub const USER_POOL_ID: &str = "user_pool_id";
    pub const CLIENT_ID: &str = "client_id";
    pub const CLIENT_SECRET: &str = "client_secret";
    pub const SECRET_ID: &str = "secret_id";
}

pub fn schema() -> Schema {
    let block = Block::new(
        "The secret of a confidential app client of an Amazon Cognito user pool, for one Terraform run. The value \
         is ephemeral: Terraform never stores it in the plan or the state. Use it where Terraform accepts \
         ephemeral values, such as another provider's configuration or a write-only argument. Requires Terraform \
         1.10 or later, `cognito-idp:DescribeUserPoolClient` and `cognito-idp:ListUserPoolClientSecrets`.",
    )
    .attribute(Attribute::required(
        attr::USER_POOL_ID,
        Type::String,
        "ID of the user pool the client belongs to.",
    ))
    .attribute(Attribute::required(attr::CLIENT_ID, Type::String, "The client ID."))
    .attribute(Attribute::optional_computed(
        attr::SECRET_ID,
        Type::String,
        "The secret to read, e.g. `cognito_user_pool_client_secret.current.id`; the client's newest secret when \
         left out. Cognito reports the value of the newest secret only, so naming an older one is an error.",
    ))
    .attribute(
        Attribute::computed(
            attr::CLIENT_SECRET,
            Type::String,
            "The client secret. Unknown during plan while `user_pool_id` or `client_id` are unknown.",
        )
        .sensitive(),
    );
    Schema::new(0, block)
}

/// Why a client's secret cannot be handed out. Each becomes an error diagnostic at `client_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretError {
    ClientNotFound {
        user_pool_id: String,
        client_id: String,
    },
    NoSecret {
        user_pool_id: String,
        client_id: String,
    },
    /// `secret_id` names no secret of the client.
    UnknownSecret {
        secret_id: String,
        existing: String,
    },
    /// `secret_id` names a secret older than the newest, whose value Cognito no longer reports.
    NotNewest {
        secret_id: String,
        newest: String,
    },
    /// Cognito reported no value for the newest secret (after a rotation, Describe may report none).
    ValueNotReported {
        secret_id: String,
    },
}

impl SecretError {
    pub fn to_diagnostic(&self) -> Diagnostic {
        let (summary, detail) = match self {
            SecretError::ClientNotFound {
                user_pool_id,
                client_id,
            } => (
                "App client not found",
                format!("There is no app client {client_id} in user pool {user_pool_id} (or no such pool)."),
            ),
            SecretError::NoSecret {
                user_pool_id,
                client_id,
            } => (
                "App client has no secret",
                format!(
                    "The app client {client_id} of user pool {user_pool_id} is a public client: it was created \
                     without generate_secret, so there is no secret to read."
                ),
            ),
            SecretError::UnknownSecret { secret_id, existing } => (
                "Client secret not found",
                format!("The client has no secret {secret_id}. Its secrets: {existing}."),
            ),
            SecretError::NotNewest { secret_id, newest } => (
                "Client secret value not available",
                format!(
                    "Cognito reports the value of a client's newest secret only, and {secret_id} is older than \
                     {newest}. A secret's value is returned when it is created: keep it in the state \
                     (client_secret of cognito_user_pool_client_secret), or use a custom value you hold \
                     (client_secret_wo)."
                ),
            ),
            SecretError::ValueNotReported { secret_id } => (
                "Client secret value not available",
                format!(
                    "Cognito reported no value for the client's newest secret, {secret_id}: after secrets are \
                     added, DescribeUserPoolClient may leave the value out. A secret's value is returned when it \
                     is created: keep it in the state (client_secret of cognito_user_pool_client_secret), or use a \
                     custom value you hold (client_secret_wo)."
                ),
            ),
        };
        let at = match self {
            SecretError::UnknownSecret { .. } | SecretError::NotNewest { .. } => attr::SECRET_ID,
            _ => attr::CLIENT_ID,
        };
        Diagnostic::error(summary, detail).at(AttributePath::attribute(at))
    }
}

/// The ephemeral result for a client's secret: the configured arguments, the secret's ID and its value.
pub fn result_value(user_pool_id: &str, client_id: &str, secret_id: &str, secret: &str) -> Value {
    Value::Object(BTreeMap::from([
        (attr::USER_POOL_ID.to_string(), Value::string(user_pool_id)),
        (attr::CLIENT_ID.to_string(), Value::string(client_id)),
        (attr::SECRET_ID.to_string(), Value::string(secret_id)),
        (attr::CLIENT_SECRET.to_string(), Value::string(secret)),
    ]))
}

/// Which secret's value Describe's `value` is, given the client's secrets and the `chosen` one, if any.
pub fn choose(list: &SecretList, chosen: Option<&str>, value: Option<&str>) -> Result<(String, String), SecretError> {
    let Some(newest) = list.newest() else {
        return Err(SecretError::NoSecret {
            user_pool_id: String::new(),
            client_id: String::new(),
        });
    };
    if let Some(chosen) = chosen {
        if list.find(chosen).is_none() {
            return Err(SecretError::UnknownSecret {
                secret_id: chosen.to_string(),
                existing: list.describe(),
            });
        }
        if chosen != newest.secret_id {
            return Err(SecretError::NotNewest {
                secret_id: chosen.to_string(),
                newest: newest.secret_id.clone(),
            });
        }
    }
    match value {
        Some(value) if !value.is_empty() => Ok((newest.secret_id.clone(), value.to_string())),
        _ => Err(SecretError::ValueNotReported {
            secret_id: newest.secret_id.clone(),
        }),
    }
}

pub struct UserPoolClientSecret {
    schema: Schema,
    apis: Arc<dyn ApiSource>,
}

impl UserPoolClientSecret {
    pub fn new(apis: Arc<dyn ApiSource>) -> UserPoolClientSecret {
        UserPoolClientSecret { schema: schema(), apis }
    }

    async fn read_secret(&self, ctx: &Context, config: &Value) -> Result<Value, Diagnostics> {
        let user_pool_id = argument(config, attr::USER_POOL_ID)?;
        let client_id = argument(config, attr::CLIENT_ID)?;
        let chosen = config
            .attribute(attr::SECRET_ID)
            .and_then(Value::as_str)
            .map(str::to_string);
        let api: Arc<Cognito> = self.apis.api().await?;
        let not_found = || SecretError::ClientNotFound {
            user_pool_id: user_pool_id.clone(),
            client_id: client_id.clone(),
        };
        let remote = unless_stopped(
            ctx,
            Operation::DESCRIBE_CLIENT,
            api.clients().describe(&user_pool_id, &client_id),
        )
        .await?
        .ok_or_else(|| not_found().to_diagnostic())?;
        let list = unless_stopped(
            ctx,
            Operation::LIST_CLIENT_SECRETS,
            api.secrets().list(&user_pool_id, &client_id),
        )
        .await?
        .ok_or_else(|| not_found().to_diagnostic())?;
        let (secret_id, secret) =
            choose(&list, chosen.as_deref(), remote.client_secret.as_deref()).map_err(|error| {
                match error {
                    SecretError::NoSecret { .. } => SecretError::NoSecret {
                        user_pool_id: user_pool_id.clone(),
                        client_id: client_id.clone(),
                    },
                    other => other,
                }
                .to_diagnostic()
            })?;
        Ok(result_value(&user_pool_id, &client_id, &secret_id, &secret))
    }
}

#[async_trait]
impl EphemeralResource for UserPoolClientSecret {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn open(&self, ctx: &Context, config: Value) -> Result<(EphemeralOpened, Diagnostics), Diagnostics> {
        let result = self.read_secret(ctx, &config).await?;
        Ok((
            EphemeralOpened {
                result,
                renew_at: None,
                private: Vec::new(),
            },
            Diagnostics::new(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::FakeSource;
    use crate::cognito::api::{ApiError, ErrorKind, FakeCognito, Operation, Scope};
    use crate::cognito::user_pool_client::model::ClientSettings;
    use crate::tf::msgpack;
    use crate::tf::server::pending_ephemeral_result;

    const POOL: &str = "us-east-1_secretpool";

    fn config(user_pool_id: Value, client_id: Value) -> Value {
        Value::Object(BTreeMap::from([
            (attr::USER_POOL_ID.to_string(), user_pool_id),
            (attr::CLIENT_ID.to_string(), client_id),
            (attr::SECRET_ID.to_string(), Value::Null),
            (attr::CLIENT_SECRET.to_string(), Value::Null),
        ]))
    }

    fn choosing(secret_id: &str) -> Value {
        let Value::Object(mut object) = config(Value::string(POOL), Value::Null) else {
            unreachable!()
        };
        object.insert(attr::SECRET_ID.to_string(), Value::string(secret_id));
        Value::Object(object)
    }

    fn only_error(diagnostics: &Diagnostics) -> &Diagnostic {
        let all: Vec<&Diagnostic> = diagnostics.iter().collect();
        assert_eq!(all.len(), 1, "{diagnostics:?}");
        all[0]
    }

    #[test]
    fn schema_has_no_problems_and_the_secret_is_sensitive_and_computed() {
        let schema = schema();
        assert_eq!(schema.problems(), Vec::<String>::new());
        let secret = schema.block.find_attribute(attr::CLIENT_SECRET).unwrap();
        assert!(secret.sensitive && secret.is_computed());
        assert_eq!(schema.block.argument_names(), [attr::USER_POOL_ID, attr::CLIENT_ID]);
        assert!(schema.block.find_attribute(attr::SECRET_ID).unwrap().is_computed());
    }

    /// Opens the secret of `client_id` in [`POOL`], with `fake` as Cognito.
    async fn open(fake: Arc<FakeCognito>, client_id: &str) -> Result<(EphemeralOpened, Diagnostics), Diagnostics> {
        UserPoolClientSecret::new(Arc::new(FakeSource(fake)))
            .open(
                &Context::default(),
                config(Value::string(POOL), Value::string(client_id)),
            )
            .await
    }

    #[tokio::test]
    async fn opens_with_the_clients_secret() {
        let fake = Arc::new(FakeCognito::new().with_user_pool(POOL));
        let created = fake.insert_client(POOL, &ClientSettings::with_defaults("confidential"), true);
        let secret = created.client_secret.clone().expect("a confidential client");
        let (opened, diagnostics) = open(fake.clone(), &created.client_id).await.expect("opened");

        assert!(diagnostics.is_empty());
        let initial = fake.secret_ids(POOL, &created.client_id).remove(0);
        assert_eq!(opened.result, result_value(POOL, &created.client_id, &initial, &secret));
        assert_eq!(opened.renew_at, None);
        msgpack::encode(&opened.result, schema().value_type()).expect("a value of the schema's type");
        assert!(
            !format!("{opened:?}").contains(&secret),
            "Debug must not show the secret"
        );
        assert_eq!(fake.requests_of(Operation::DESCRIBE_CLIENT).len(), 1);
    }

    #[tokio::test]
    async fn a_public_client_is_an_error_at_client_id() {
        let fake = Arc::new(FakeCognito::new().with_user_pool(POOL));
        let created = fake.insert_client(POOL, &ClientSettings::with_defaults("public"), false);
        let diagnostics = open(fake, &created.client_id).await.expect_err("no secret to hand out");

        let diagnostic = only_error(&diagnostics);
        assert_eq!(diagnostic.summary, "App client has no secret");
        assert_eq!(diagnostic.attribute, Some(AttributePath::attribute(attr::CLIENT_ID)));
    }

    #[tokio::test]
    async fn a_missing_client_is_an_error_at_client_id() {
        let fake = Arc::new(FakeCognito::new().with_user_pool(POOL));
        let diagnostics = open(fake, "nosuchclient").await.expect_err("nothing to read");

        let diagnostic = only_error(&diagnostics);
        assert_eq!(diagnostic.summary, "App client not found");
        assert_eq!(diagnostic.attribute, Some(AttributePath::attribute(attr::CLIENT_ID)));
    }

    #[tokio::test]
    async fn api_errors_are_reported_without_a_result() {
        let fake = Arc::new(FakeCognito::new().with_user_pool(POOL));
        let created = fake.insert_client(POOL, &ClientSettings::with_defaults("denied"), true);
        fake.fail_next(
            Operation::DESCRIBE_CLIENT,
            ApiError::new(
                Operation::DESCRIBE_CLIENT,
                Scope::client(POOL, &created.client_id),
                ErrorKind::Unauthorized,
                "not allowed",
            ),
        );
        let diagnostics = open(fake, &created.client_id).await.expect_err("the API refused");

        assert!(diagnostics.has_errors());
        let rendered = format!("{diagnostics:?}");
        assert!(rendered.contains("DescribeUserPoolClient"), "{rendered}");
        assert!(!rendered.contains(created.client_secret.as_deref().unwrap()));
    }

    #[test]
    fn an_unknown_argument_leaves_the_secret_unknown() {
        let schema = schema();
        let pending = pending_ephemeral_result(&schema, &config(Value::string(POOL), Value::unknown()));
        assert_eq!(pending.attribute(attr::USER_POOL_ID), Some(&Value::string(POOL)));
        assert_eq!(pending.attribute(attr::CLIENT_ID), Some(&Value::unknown()));
        assert_eq!(pending.attribute(attr::CLIENT_SECRET), Some(&Value::unknown()));
        msgpack::encode(&pending, schema.value_type()).expect("a value of the schema's type");
    }

    /// Opens with `secret_id` chosen.
    async fn open_chosen(
        fake: Arc<FakeCognito>,
        client_id: &str,
        secret_id: &str,
    ) -> Result<(EphemeralOpened, Diagnostics), Diagnostics> {
        let Value::Object(mut object) = choosing(secret_id) else {
            unreachable!()
        };
        object.insert(attr::CLIENT_ID.to_string(), Value::string(client_id));
        UserPoolClientSecret::new(Arc::new(FakeSource(fake)))
            .open(&Context::default(), Value::Object(object))
            .await
    }

    #[tokio::test]
    async fn after_a_rotation_the_newest_or_the_chosen_newest_secret() {
        use crate::cognito::api::{ClientSecretCalls, DescribeAfterRotation};

        let fake = Arc::new(FakeCognito::new().with_user_pool(POOL));
        let created = fake.insert_client(POOL, &ClientSettings::with_defaults("rotated"), true);
        let client_id = created.client_id.as_str();
        let initial = fake.secret_ids(POOL, client_id).remove(0);
        let added = fake.add_secret(POOL, client_id, None).await.unwrap();
        let (new_id, new_value) = (added.descriptor.secret_id.clone(), added.value.unwrap());

        let (newest, _) = open(fake.clone(), client_id).await.expect("the newest");
        assert_eq!(
            newest.result,
            result_value(POOL, client_id, &new_id, new_value.expose())
        );
        let (chosen, _) = open_chosen(fake.clone(), client_id, &new_id).await.expect("chosen");
        assert_eq!(chosen.result.attribute(attr::SECRET_ID), Some(&Value::string(&new_id)));

        let older = open_chosen(fake.clone(), client_id, &initial).await.expect_err("older");
        assert_eq!(
            only_error(&older).attribute,
            Some(AttributePath::attribute(attr::SECRET_ID))
        );
        assert!(only_error(&older).detail.contains(&new_id));
        let unknown = open_chosen(fake.clone(), client_id, "nosuch--1")
            .await
            .expect_err("unknown");
        assert!(
            only_error(&unknown).detail.contains(&initial),
            "names the secrets there are"
        );

        fake.set_describe_after_rotation(DescribeAfterRotation::None);
        let unreported = open(fake.clone(), client_id).await.expect_err("no value reported");
        assert_eq!(only_error(&unreported).summary, "Client secret value not available");
        assert!(!format!("{unreported:?}").contains(new_value.expose()));
    }
}

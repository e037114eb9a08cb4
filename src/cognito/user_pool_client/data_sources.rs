//! The two data sources, named as HashiCorp's AWS provider names them so configurations port by renaming:
//!
//! - `cognito_user_pool_client`: one app client by `user_pool_id` and `client_id`, with every attribute of the
//!   resource (computed; `client_secret` sensitive). Built from DescribeUserPoolClient through the resource's own
//!   value conversion ([`state::state_from_remote`]), so the data source and the resource never disagree.
//! - `cognito_user_pool_clients`: the IDs and names of every client of a pool, all pages of ListUserPoolClients.
//!
//! The resource's nested blocks become computed attributes of type `list(object)` here: a data source's blocks
//! would be configuration, and these values are only ever read.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;

use super::model::{RemoteClient, defaults};
use super::schema::{self as resource_schema, attr};
use super::state::{self, get};
use crate::cognito::ApiSource;
use crate::cognito::api::{ClientSummary, Cognito, Operation};
use crate::cognito::{data_answer, unless_stopped};
use crate::tf::diagnostics::{AttributePath, Diagnostic, Diagnostics};
use crate::tf::resource::{Context, DataSource};
use crate::tf::schema::{Attribute, Block, Schema};
use crate::tf::value::{Type, Value};

pub const CLIENT_TYPE_NAME: &str = "cognito_user_pool_client";
pub const CLIENTS_TYPE_NAME: &str = "cognito_user_pool_clients";

/// Attribute names that exist only in the data sources.
pub mod ds_attr {
    pub const CLIENT_ID: &str = "client_id";
    pub const CLIENT_IDS: &str = "client_ids";
    pub const CLIENT_NAMES: &str = "client_names";
}

/// Data-source wording for the attributes whose resource description speaks of changing them.
fn client_description(name: &str) -> Option<&'static str> {
    Some(match name {
        attr::ID => "The client ID (the same as `client_id`).",
        attr::USER_POOL_ID => "ID of the user pool the client belongs to.",
        attr::GENERATE_SECRET => "Whether the client has a secret (a confidential client).",
        attr::CLIENT_SECRET => "The client secret of a confidential client; null otherwise.",
        attr::TOKEN_VALIDITY_UNITS => {
            "Units of the three token validity numbers: one object with `access_token`, `id_token` and \
             `refresh_token`, each `seconds`, `minutes`, `hours` or `days`."
        }
        attr::ANALYTICS_CONFIGURATION => {
            "Amazon Pinpoint analytics: one object with `application_arn`, `application_id`, `external_id`, \
             `role_arn` and `user_data_shared`, or an empty list when the client has none."
        }
        attr::REFRESH_TOKEN_ROTATION => {
            "Refresh-token rotation: one object with `feature` (`ENABLED` or `DISABLED`) and \
             `retry_grace_period_seconds`."
        }
        _ => return None,
    })
}

/// The schema of `data "cognito_user_pool_client"`: the resource's attributes, all computed, plus the two
/// arguments that select the client.
pub fn client_schema() -> Schema {
    let resource = resource_schema::schema();
    let mut block = Block::new(
        "Reads one app client of an Amazon Cognito user pool: every attribute of the `cognito_user_pool_client` \
         resource. The client secret is left out of the state unless `client_secret_in_state` is `true`. Needs \
         `cognito-idp:DescribeUserPoolClient`, and `cognito-idp:ListUserPoolClientSecrets` for a client whose \
         secret Cognito does not report (after a rotation).",
    )
    .attribute(Attribute::required(
        attr::USER_POOL_ID,
        Type::String,
        "ID of the user pool the client belongs to.",
    ))
    .attribute(Attribute::required(ds_attr::CLIENT_ID, Type::String, "The client ID."))
    .attribute(Attribute::optional(
        attr::CLIENT_SECRET_IN_STATE,
        Type::Bool,
        "Whether `client_secret` is read into the Terraform state. Default: `false`: `client_secret` is null and \
         the secret never reaches the plan or the state (read it with the ephemeral resource \
         `cognito_user_pool_client_secret` instead). Set `true` to have it here, as earlier versions always did.",
    ));
    for attribute in &resource.block.attributes {
        // The user pool and the secret option are arguments here; the write-only value and the initial secret
        // belong to the resource that created the client.
        if [
            attr::USER_POOL_ID,
            attr::CLIENT_SECRET_IN_STATE,
            attr::CLIENT_SECRET_WO,
            attr::INITIAL_SECRET_ID,
        ]
        .contains(&attribute.name)
        {
            continue;
        }
        let description = client_description(attribute.name).map_or(attribute.description.clone(), str::to_string);
        let mut computed = Attribute::computed(attribute.name, attribute.ty.clone(), description);
        computed.sensitive = attribute.sensitive;
        block = block.attribute(computed);
    }
    for nested in &resource.block.blocks {
        let description = client_description(nested.type_name).map_or(nested.block.description.clone(), str::to_string);
        block = block.attribute(Attribute::computed(
            nested.type_name,
            nested.implied_type(),
            description,
        ));
    }
    Schema::new(0, block)
}

/// The schema of `data "cognito_user_pool_clients"`.
pub fn clients_schema() -> Schema {
    let block = Block::new(
        "Lists the app clients of an Amazon Cognito user pool, every page of ListUserPoolClients. Needs \
         `cognito-idp:ListUserPoolClients`.",
    )
    .attribute(Attribute::required(
        attr::USER_POOL_ID,
        Type::String,
        "ID of the user pool.",
    ))
    .attribute(Attribute::computed(attr::ID, Type::String, "The user pool ID."))
    .attribute(Attribute::computed(
        ds_attr::CLIENT_IDS,
        Type::list(Type::String),
        "IDs of the pool's app clients, in the order Cognito lists them.",
    ))
    .attribute(Attribute::computed(
        ds_attr::CLIENT_NAMES,
        Type::list(Type::String),
        "Names of the pool's app clients, index for index with `client_ids` (names need not be unique).",
    ));
    Schema::new(0, block)
}

/// A prior value with every block present, so [`state::state_from_remote`] reports the units and rotation that
/// Cognito has even when they are its defaults: a data source shows what is, not what a configuration left out.
fn every_block_reported() -> Value {
    let rotation = Value::Object(BTreeMap::from([
        (attr::FEATURE.to_string(), Value::string(defaults::ROTATION_DISABLED)),
        (attr::RETRY_GRACE_PERIOD_SECONDS.to_string(), Value::int(0)),
    ]));
    Value::Object(BTreeMap::from([
        (
            attr::TOKEN_VALIDITY_UNITS.to_string(),
            Value::List(vec![state::units_value(defaults::UNITS)]),
        ),
        (attr::REFRESH_TOKEN_ROTATION.to_string(), Value::List(vec![rotation])),
    ]))
}

/// The value of `data "cognito_user_pool_client"` for what Cognito reports, `confidential` as the secret listing
/// says, the secret kept only when `secret_in_state` asks for it.
pub fn client_value(remote: &RemoteClient, confidential: bool, secret_in_state: Option<bool>) -> Value {
    let value = state::state_from_remote(remote, &every_block_reported());
    let mut value = super::secrets::finish_state(value, confidential, secret_in_state != Some(true));
    if let Value::Object(attributes) = &mut value {
        attributes.insert(ds_attr::CLIENT_ID.to_string(), Value::string(remote.client_id.clone()));
        attributes.insert(
            attr::CLIENT_SECRET_IN_STATE.to_string(),
            secret_in_state.map_or(Value::Null, Value::Bool),
        );
        attributes.remove(attr::CLIENT_SECRET_WO);
        attributes.remove(attr::INITIAL_SECRET_ID);
    }
    value
}

/// The value of `data "cognito_user_pool_clients"` for a pool's clients, in listing order.
pub fn clients_value(user_pool_id: &str, clients: &[ClientSummary]) -> Value {
    let column = |pick: fn(&ClientSummary) -> &str| {
        Value::List(clients.iter().map(|client| Value::string(pick(client))).collect())
    };
    Value::Object(BTreeMap::from([
        (attr::USER_POOL_ID.to_string(), Value::string(user_pool_id)),
        (attr::ID.to_string(), Value::string(user_pool_id)),
        (ds_attr::CLIENT_IDS.to_string(), column(|c| c.client_id.as_str())),
        (ds_attr::CLIENT_NAMES.to_string(), column(|c| c.name.as_str())),
    ]))
}

/// A configured string argument. Terraform reads data sources only once their configuration is known, so an
/// unknown or null here is a bug; empty strings are the user's and are reported at the argument.
pub(super) fn argument(config: &Value, name: &str) -> Result<String, Diagnostics> {
    match get(config, name).as_str() {
        Some(text) if !text.is_empty() => Ok(text.to_string()),
        Some(_) => Err(
            Diagnostic::error("Invalid argument", format!("{name} must not be empty."))
                .at(AttributePath::attribute(name))
                .into(),
        ),
        None => Err(Diagnostic::error(
            "Missing argument",
            format!("{name} is not a known string. This is a bug in Terraform or in the provider."),
        )
        .at(AttributePath::attribute(name))
        .into()),
    }
}

pub struct UserPoolClientDataSource {
    schema: Schema,
    apis: Arc<dyn ApiSource>,
}

impl UserPoolClientDataSource {
    pub fn new(apis: Arc<dyn ApiSource>) -> UserPoolClientDataSource {
        UserPoolClientDataSource {
            schema: client_schema(),
            apis,
        }
    }

    async fn read_client(&self, ctx: &Context, config: &Value) -> Result<Value, Diagnostics> {
        let user_pool_id = argument(config, attr::USER_POOL_ID)?;
        let client_id = argument(config, ds_attr::CLIENT_ID)?;
        let api: Arc<Cognito> = self.apis.api().await?;
        match unless_stopped(
            ctx,
            Operation::DESCRIBE_CLIENT,
            api.clients().describe(&user_pool_id, &client_id),
        )
        .await?
        {
            Some(remote) => {
                let confidential = super::secrets::is_confidential(ctx, &api, &remote, None).await?;
                let secret_in_state = get(config, attr::CLIENT_SECRET_IN_STATE).as_bool();
                Ok(client_value(&remote, confidential, secret_in_state))
            }
            None => Err(Diagnostic::error(
                "App client not found",
                format!("There is no app client {client_id} in user pool {user_pool_id} (or no such pool)."),
            )
            .at(AttributePath::attribute(ds_attr::CLIENT_ID))
            .into()),
        }
    }
}

#[async_trait]
impl DataSource for UserPoolClientDataSource {
    fn type_name(&self) -> &'static str {
        CLIENT_TYPE_NAME
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn read(&self, ctx: &Context, config: Value) -> (Value, Diagnostics) {
        data_answer(self.read_client(ctx, &config).await)
    }
}

pub struct UserPoolClientsDataSource {
    schema: Schema,
    apis: Arc<dyn ApiSource>,
}

impl UserPoolClientsDataSource {
    pub fn new(apis: Arc<dyn ApiSource>) -> UserPoolClientsDataSource {
        UserPoolClientsDataSource {
            schema: clients_schema(),
            apis,
        }
    }

    async fn read_clients(&self, ctx: &Context, config: &Value) -> Result<Value, Diagnostics> {
        let user_pool_id = argument(config, attr::USER_POOL_ID)?;
        let api: Arc<Cognito> = self.apis.api().await?;
        let clients = unless_stopped(ctx, Operation::LIST_CLIENTS, api.clients().list(&user_pool_id)).await?;
        Ok(clients_value(&user_pool_id, &clients))
    }
}

#[async_trait]
impl DataSource for UserPoolClientsDataSource {
    fn type_name(&self) -> &'static str {
        CLIENTS_TYPE_NAME
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn read(&self, ctx: &Context, config: Value) -> (Value, Diagnostics) {
        data_answer(self.read_clients(ctx, &config).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::FakeSource;
    use crate::cognito::api::{ApiError, ErrorKind, FakeCognito, Operation, Scope};
    use crate::cognito::user_pool_client::model::{ClientSettings, TimeUnit};
    use crate::tf::msgpack;

    const POOL: &str = "us-east-1_datapool";

    fn fake() -> Arc<FakeCognito> {
        Arc::new(FakeCognito::new().with_user_pool(POOL))
    }

    fn config(schema: &Schema, pairs: &[(&str, &str)]) -> Value {
        let Type::Object { attributes, .. } = schema.value_type() else {
            unreachable!("schemas are objects")
        };
        let mut object: BTreeMap<String, Value> = attributes.keys().map(|k| (k.clone(), Value::Null)).collect();
        for (name, value) in pairs {
            object.insert(name.to_string(), Value::string(*value));
        }
        Value::Object(object)
    }

    #[test]
    fn schemas_have_no_problems_and_mirror_the_resource() {
        let client = client_schema();
        assert_eq!(client.problems(), Vec::<String>::new());
        assert_eq!(clients_schema().problems(), Vec::<String>::new());
        let resource = resource_schema::schema();
        // Every resource attribute and block but client_secret_wo and initial_secret_id, plus client_id; no blocks
        // of its own.
        assert_eq!(
            client.block.attributes.len(),
            resource.block.attributes.len() + resource.block.blocks.len() - 1
        );
        assert!(client.block.blocks.is_empty());
        assert!(client.block.find_attribute(attr::CLIENT_SECRET).unwrap().sensitive);
        assert!(client.block.attributes.iter().all(|a| !a.write_only));
        assert_eq!(
            client.block.argument_names(),
            [attr::USER_POOL_ID, ds_attr::CLIENT_ID, attr::CLIENT_SECRET_IN_STATE]
        );
    }

    #[tokio::test]
    async fn reads_every_attribute_of_one_client() {
        let fake = fake();
        let mut settings = ClientSettings::with_defaults("reader");
        settings.token_validity_units.access_token = TimeUnit::Minutes;
        settings.access_token_validity = Some(30);
        settings.callback_urls = ["https://app.example.com/cb".to_string()].into();
        let created = fake.insert_client(POOL, &settings, true);
        let source = UserPoolClientDataSource::new(Arc::new(FakeSource(fake.clone())));

        let (value, diagnostics) = source
            .read(
                &Context::default(),
                config(
                    source.schema(),
                    &[(attr::USER_POOL_ID, POOL), (ds_attr::CLIENT_ID, &created.client_id)],
                ),
            )
            .await;

        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        msgpack::encode(&value, source.schema().value_type()).expect("a complete value of the schema's type");
        assert!(value.is_wholly_known());
        assert_eq!(get(&value, attr::ID).as_str(), Some(created.client_id.as_str()));
        assert_eq!(
            get(&value, ds_attr::CLIENT_ID).as_str(),
            Some(created.client_id.as_str())
        );
        assert_eq!(get(&value, attr::ACCESS_TOKEN_VALIDITY).as_i64(), Some(30));
        assert_eq!(get(&value, attr::GENERATE_SECRET).as_bool(), Some(true));
        assert_eq!(get(&value, attr::CLIENT_SECRET), &Value::Null, "kept out unless asked");
        // Units and rotation are reported even where they are Cognito's defaults.
        let units = state::block(&value, attr::TOKEN_VALIDITY_UNITS).expect("units reported");
        assert_eq!(get(units, attr::ACCESS_TOKEN).as_str(), Some("minutes"));
        let rotation = state::block(&value, attr::REFRESH_TOKEN_ROTATION).expect("rotation reported");
        assert_eq!(get(rotation, attr::FEATURE).as_str(), Some("DISABLED"));
        assert_eq!(fake.requests_of(Operation::DESCRIBE_CLIENT).len(), 1);
    }

    #[tokio::test]
    async fn a_missing_client_is_an_error_at_client_id() {
        let source = UserPoolClientDataSource::new(Arc::new(FakeSource(fake())));
        let (value, diagnostics) = source
            .read(
                &Context::default(),
                config(
                    source.schema(),
                    &[(attr::USER_POOL_ID, POOL), (ds_attr::CLIENT_ID, "nosuchclient")],
                ),
            )
            .await;
        assert!(value.is_null());
        let diagnostic = diagnostics.iter().next().expect("one diagnostic");
        assert_eq!(diagnostic.summary, "App client not found");
        assert_eq!(diagnostic.attribute, Some(AttributePath::attribute(ds_attr::CLIENT_ID)));
    }

    #[tokio::test]
    async fn lists_every_client_with_names_aligned() {
        let fake = fake();
        let mut expected = Vec::new();
        for index in 0..75 {
            let name = format!("client-{index:02}");
            let created = fake.insert_client(POOL, &ClientSettings::with_defaults(&name), false);
            expected.push((created.client_id, name));
        }
        let source = UserPoolClientsDataSource::new(Arc::new(FakeSource(fake)));

        let (value, diagnostics) = source
            .read(
                &Context::default(),
                config(source.schema(), &[(attr::USER_POOL_ID, POOL)]),
            )
            .await;

        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        msgpack::encode(&value, source.schema().value_type()).expect("a complete value of the schema's type");
        let column = |name: &str| -> Vec<String> {
            get(&value, name)
                .as_elements()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        };
        let mut pairs: Vec<(String, String)> = column(ds_attr::CLIENT_IDS)
            .into_iter()
            .zip(column(ds_attr::CLIENT_NAMES))
            .collect();
        pairs.sort();
        expected.sort();
        assert_eq!(pairs, expected);
    }

    #[tokio::test]
    async fn api_errors_and_empty_arguments_are_diagnostics() {
        let fake = fake();
        fake.fail_next(
            Operation::LIST_CLIENTS,
            ApiError::new(
                Operation::LIST_CLIENTS,
                Scope::pool(POOL),
                ErrorKind::Unauthorized,
                "not allowed",
            ),
        );
        let source = UserPoolClientsDataSource::new(Arc::new(FakeSource(fake)));
        let (_, diagnostics) = source
            .read(
                &Context::default(),
                config(source.schema(), &[(attr::USER_POOL_ID, POOL)]),
            )
            .await;
        assert!(
            diagnostics
                .iter()
                .next()
                .unwrap()
                .summary
                .contains("ListUserPoolClients")
        );

        let (_, diagnostics) = source
            .read(
                &Context::default(),
                config(source.schema(), &[(attr::USER_POOL_ID, "")]),
            )
            .await;
        assert_eq!(
            diagnostics.iter().next().unwrap().attribute,
            Some(AttributePath::attribute(attr::USER_POOL_ID))
        );
    }
}

#[cfg(test)]
mod secret_tests {
    use super::*;
    use crate::cognito::FakeSource;
    use crate::cognito::api::{ClientSecretCalls, DescribeAfterRotation, FakeCognito};
    use crate::cognito::user_pool_client::model::ClientSettings;

    const POOL: &str = "us-east-1_secrets";

    fn config(client_id: &str, in_state: Option<bool>) -> Value {
        let mut object: BTreeMap<String, Value> = client_schema()
            .block
            .attributes
            .iter()
            .map(|a| (a.name.to_string(), Value::Null))
            .collect();
        object.insert(attr::USER_POOL_ID.into(), Value::string(POOL));
        object.insert(ds_attr::CLIENT_ID.into(), Value::string(client_id));
        object.insert(
            attr::CLIENT_SECRET_IN_STATE.into(),
            in_state.map_or(Value::Null, Value::Bool),
        );
        Value::Object(object)
    }

    #[tokio::test]
    async fn the_secret_only_when_asked_and_confidentiality_from_the_listing() {
        let fake = Arc::new(FakeCognito::new().with_user_pool(POOL));
        let created = fake.insert_client(POOL, &ClientSettings::with_defaults("rotated"), true);
        let source = UserPoolClientDataSource::new(Arc::new(FakeSource(fake.clone())));
        let context = Context::default();
        let read = |in_state| source.read(&context, config(&created.client_id, in_state));

        let (asked, _) = read(Some(true)).await;
        assert_eq!(
            get(&asked, attr::CLIENT_SECRET).as_str(),
            created.client_secret.as_deref()
        );

        // Rotated, and Describe reporting no secret: still confidential, as ListUserPoolClientSecrets says.
        fake.add_secret(POOL, &created.client_id, None).await.unwrap();
        fake.set_describe_after_rotation(DescribeAfterRotation::None);
        let (rotated, diagnostics) = read(None).await;
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(get(&rotated, attr::GENERATE_SECRET).as_bool(), Some(true));
        assert_eq!(get(&rotated, attr::CLIENT_SECRET), &Value::Null);
        assert_eq!(
            fake.requests_of(crate::cognito::api::Operation::LIST_CLIENT_SECRETS)
                .len(),
            1
        );
    }
}

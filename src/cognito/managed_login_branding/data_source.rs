//! `data "cognito_managed_login_branding"`: the style of one app client, read with
//! DescribeManagedLoginBrandingByClient; named as HashiCorp's provider would name it.
//!
//! `settings` is the JSON text of what Cognito reports: the customized settings, or with
//! `return_merged_resources = true` every setting, Cognito's defaults included. The images come as a computed
//! `list(object)`, in Base64.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;

use super::assets;
use super::import;
use super::model::RemoteStyle;
use super::schema::{attr, schema as resource_schema};
use super::settings;
use crate::cognito::api::Operation;
use crate::cognito::{ApiSource, data_answer, unless_stopped};
use crate::tf::diagnostics::{AttributePath, Diagnostic, Diagnostics};
use crate::tf::resource::{Context, DataSource};
use crate::tf::schema::{Attribute, Block, Schema};
use crate::tf::value::{Type, Value};

pub const TYPE_NAME: &str = "cognito_managed_login_branding";
pub const RETURN_MERGED_RESOURCES: &str = "return_merged_resources";

/// The asset attributes a read reports (`file` and `file_sha256` are the resource's own arguments).
const ASSET_ATTRIBUTES: [&str; 5] = [
    attr::CATEGORY,
    attr::COLOR_MODE,
    attr::EXTENSION,
    attr::BYTES,
    attr::RESOURCE_ID,
];

fn asset_type() -> Type {
    Type::list(Type::object(ASSET_ATTRIBUTES.map(|name| (name, Type::String))))
}

pub fn schema() -> Schema {
    let resource = resource_schema();
    let described = |name: &str| {
        resource
            .block
            .find_attribute(name)
            .map(|attribute| attribute.description.clone())
            .unwrap_or_default()
    };
    let block = Block::new(
        "Reads the managed login branding style of one app client. Needs \
         `cognito-idp:DescribeManagedLoginBrandingByClient`.",
    )
    .attribute(Attribute::required(
        attr::USER_POOL_ID,
        Type::String,
        "ID of the user pool.",
    ))
    .attribute(Attribute::required(
        attr::CLIENT_ID,
        Type::String,
        "ID of the app client.",
    ))
    .attribute(Attribute::optional(
        RETURN_MERGED_RESOURCES,
        Type::Bool,
        "`true`: `settings` holds every setting, those left at Cognito's defaults included. Default: `false`, \
         only the customized settings.",
    ))
    .attribute(Attribute::computed(
        attr::MANAGED_LOGIN_BRANDING_ID,
        Type::String,
        described(attr::MANAGED_LOGIN_BRANDING_ID),
    ))
    .attribute(Attribute::computed(
        attr::USE_COGNITO_PROVIDED_VALUES,
        Type::Bool,
        "Whether the style is Cognito's default style.",
    ))
    .attribute(Attribute::computed(
        attr::SETTINGS,
        Type::String,
        "The settings as JSON (see `return_merged_resources`); null when nothing is customized.",
    ))
    .attribute(Attribute::computed(
        attr::ASSET,
        asset_type(),
        "The style's images: objects with `category`, `color_mode`, `extension`, `bytes` (Base64) and \
         `resource_id`.",
    ))
    .attribute(Attribute::computed(
        attr::CREATION_DATE,
        Type::String,
        described(attr::CREATION_DATE),
    ))
    .attribute(Attribute::computed(
        attr::LAST_MODIFIED_DATE,
        Type::String,
        described(attr::LAST_MODIFIED_DATE),
    ));
    Schema::new(0, block)
}

fn argument(config: &Value, name: &str) -> Result<String, Diagnostics> {
    match config.attribute(name).and_then(Value::as_str) {
        Some(text) if !text.is_empty() => Ok(text.to_string()),
        _ => Err(
            Diagnostic::error("Invalid argument", format!("{name} must be a non-empty string."))
                .at(AttributePath::attribute(name))
                .into(),
        ),
    }
}

fn text(value: &Option<String>) -> Value {
    value.as_ref().map_or(Value::Null, |text| Value::string(text.clone()))
}

/// The data source's value for a style.
pub fn value(remote: &RemoteStyle, client_id: &str, merged: bool) -> Value {
    let assets = remote
        .assets
        .iter()
        .map(|asset| {
            let fields: BTreeMap<String, Value> = [
                (attr::CATEGORY, Value::string(asset.category.clone())),
                (attr::COLOR_MODE, Value::string(asset.color_mode.clone())),
                (attr::EXTENSION, Value::string(asset.extension.clone())),
                (attr::BYTES, Value::string(assets::encode(&asset.bytes))),
                (attr::RESOURCE_ID, text(&asset.resource_id)),
            ]
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect();
            Value::Object(fields)
        })
        .collect();
    let settings = settings::non_empty(remote.settings.as_ref())
        .map_or(Value::Null, |document| Value::string(settings::canonical(document)));
    let fields: BTreeMap<String, Value> = [
        (attr::USER_POOL_ID, Value::string(remote.user_pool_id.clone())),
        (attr::CLIENT_ID, Value::string(client_id)),
        (RETURN_MERGED_RESOURCES, Value::Bool(merged)),
        (
            attr::MANAGED_LOGIN_BRANDING_ID,
            Value::string(remote.managed_login_branding_id.clone()),
        ),
        (
            attr::USE_COGNITO_PROVIDED_VALUES,
            Value::Bool(remote.use_cognito_provided_values),
        ),
        (attr::SETTINGS, settings),
        (attr::ASSET, Value::List(assets)),
        (attr::CREATION_DATE, text(&remote.creation_date)),
        (attr::LAST_MODIFIED_DATE, text(&remote.last_modified_date)),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_string(), value))
    .collect();
    Value::Object(fields)
}

pub struct ManagedLoginBrandingDataSource {
    schema: Schema,
    apis: Arc<dyn ApiSource>,
}

impl ManagedLoginBrandingDataSource {
    pub fn new(apis: Arc<dyn ApiSource>) -> ManagedLoginBrandingDataSource {
        ManagedLoginBrandingDataSource { schema: schema(), apis }
    }

    async fn read_style(&self, ctx: &Context, config: &Value) -> Result<Value, Diagnostics> {
        let user_pool_id = argument(config, attr::USER_POOL_ID)?;
        let client_id = argument(config, attr::CLIENT_ID)?;
        let merged = config.attribute(RETURN_MERGED_RESOURCES).and_then(Value::as_bool) == Some(true);
        let api = self.apis.api().await?;
        let found = unless_stopped(
            ctx,
            Operation::DESCRIBE_BRANDING_BY_CLIENT,
            api.brandings().describe_by_client(&user_pool_id, &client_id, merged),
        )
        .await?;
        match found {
            Some(remote) => Ok(value(&remote, &client_id, merged)),
            None => Err(import::no_style(&user_pool_id, &client_id)),
        }
    }
}

#[async_trait]
impl DataSource for ManagedLoginBrandingDataSource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn read(&self, ctx: &Context, config: Value) -> (Value, Diagnostics) {
        data_answer(self.read_style(ctx, &config).await)
    }
}

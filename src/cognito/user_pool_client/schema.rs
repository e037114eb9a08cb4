//! The `cognito_user_pool_client` schema. Attribute names follow HashiCorp's `aws_cognito_user_pool_client`, so
//! a configuration ports by renaming the resource type.
//!
//! Each argument declares its behaviour here, once: its description, the default the plan shows when it is left
//! out (Cognito's, from [`defaults`]), and whether changing it replaces the client. Planning, the validation
//! rules and the framework read these declarations.

use std::sync::LazyLock;

use crate::cognito::user_pool_client::model::{TimeUnit, defaults};
use crate::tf::schema::{Attribute, Block, NestedBlock, Schema};
use crate::tf::value::{Type, Value};

pub const TYPE_NAME: &str = "cognito_user_pool_client";
pub const SCHEMA_VERSION: i64 = 0;

pub mod attr {
    pub const ID: &str = "id";
    pub const USER_POOL_ID: &str = "user_pool_id";
    pub const NAME: &str = "name";
    pub const GENERATE_SECRET: &str = "generate_secret";
    pub const CLIENT_SECRET: &str = "client_secret";
    pub const CLIENT_SECRET_IN_STATE: &str = "client_secret_in_state";
    pub const CLIENT_SECRET_WO: &str = "client_secret_wo";
    pub const INITIAL_SECRET_ID: &str = "initial_secret_id";
    pub const ACCESS_TOKEN_VALIDITY: &str = "access_token_validity";
    pub const ID_TOKEN_VALIDITY: &str = "id_token_validity";
    pub const REFRESH_TOKEN_VALIDITY: &str = "refresh_token_validity";
    pub const AUTH_SESSION_VALIDITY: &str = "auth_session_validity";
    pub const TOKEN_VALIDITY_UNITS: &str = "token_validity_units";
    pub const ALLOWED_OAUTH_FLOWS: &str = "allowed_oauth_flows";
    pub const ALLOWED_OAUTH_FLOWS_USER_POOL_CLIENT: &str = "allowed_oauth_flows_user_pool_client";
    pub const ALLOWED_OAUTH_SCOPES: &str = "allowed_oauth_scopes";
    pub const CALLBACK_URLS: &str = "callback_urls";
    pub const LOGOUT_URLS: &str = "logout_urls";
    pub const DEFAULT_REDIRECT_URI: &str = "default_redirect_uri";
    pub const ENABLE_TOKEN_REVOCATION: &str = "enable_token_revocation";
    pub const ENABLE_PROPAGATE_ADDITIONAL_USER_CONTEXT_DATA: &str = "enable_propagate_additional_user_context_data";
    pub const EXPLICIT_AUTH_FLOWS: &str = "explicit_auth_flows";
    pub const PREVENT_USER_EXISTENCE_ERRORS: &str = "prevent_user_existence_errors";
    pub const READ_ATTRIBUTES: &str = "read_attributes";
    pub const WRITE_ATTRIBUTES: &str = "write_attributes";
    pub const SUPPORTED_IDENTITY_PROVIDERS: &str = "supported_identity_providers";
    pub const ANALYTICS_CONFIGURATION: &str = "analytics_configuration";
    pub const REFRESH_TOKEN_ROTATION: &str = "refresh_token_rotation";
    pub const CREATION_DATE: &str = "creation_date";
    pub const LAST_MODIFIED_DATE: &str = "last_modified_date";

    pub const ACCESS_TOKEN: &str = "access_token";
    pub const ID_TOKEN: &str = "id_token";
    pub const REFRESH_TOKEN: &str = "refresh_token";

    pub const APPLICATION_ARN: &str = "application_arn";
    pub const APPLICATION_ID: &str = "application_id";
    pub const EXTERNAL_ID: &str = "external_id";
    pub const ROLE_ARN: &str = "role_arn";
    pub const USER_DATA_SHARED: &str = "user_data_shared";

    pub const FEATURE: &str = "feature";
    pub const RETRY_GRACE_PERIOD_SECONDS: &str = "retry_grace_period_seconds";

    /// The attributes that take a set of strings.
    pub const STRING_SETS: [&str; 8] = [
        ALLOWED_OAUTH_FLOWS,
        ALLOWED_OAUTH_SCOPES,
        CALLBACK_URLS,
        LOGOUT_URLS,
        EXPLICIT_AUTH_FLOWS,
        READ_ATTRIBUTES,
        WRITE_ATTRIBUTES,
        SUPPORTED_IDENTITY_PROVIDERS,
    ];
}

/// `client_secret_in_state` when left out: the secret is kept in state, as HashiCorp's provider does.
pub const CLIENT_SECRET_IN_STATE_DEFAULT: bool = true;

/// The resource's schema, built once.
pub fn schema() -> &'static Schema {
    static SCHEMA: LazyLock<Schema> = LazyLock::new(build);
    &SCHEMA
}

/// The default of a token validity: Cognito's default lifetime expressed in the unit the configuration gives
/// `unit_field` of `token_validity_units` (the default unit when left out); unknown while that unit is unknown
/// or misspelt, and where the lifetime is no whole number of the unit (one hour in days: Cognito's choice,
/// which [`super::plan`] carries over from the prior state).
fn validity_in_configured_unit(
    config: &Value,
    unit_field: &str,
    default_unit: TimeUnit,
    of_unit: fn(TimeUnit) -> Option<i64>,
) -> Value {
    let unit = match config.attribute(attr::TOKEN_VALIDITY_UNITS) {
        Some(Value::List(units)) => match units.first() {
            None => Some(default_unit),
            Some(Value::Object(fields)) => match fields.get(unit_field).unwrap_or(&Value::Null) {
                Value::Null => Some(default_unit),
                unit => unit.as_str().and_then(TimeUnit::parse),
            },
            Some(_) => None,
        },
        _ => None,
    };
    unit.and_then(of_unit).map_or_else(Value::unknown, Value::int)
}

fn access_token_validity_default(config: &Value) -> Value {
    let unit = defaults::UNITS.access_token;
    validity_in_configured_unit(config, attr::ACCESS_TOKEN, unit, defaults::access_token_validity)
}

fn id_token_validity_default(config: &Value) -> Value {
    let unit = defaults::UNITS.id_token;
    validity_in_configured_unit(config, attr::ID_TOKEN, unit, defaults::id_token_validity)
}

fn refresh_token_validity_default(config: &Value) -> Value {
    let unit = defaults::UNITS.refresh_token;
    validity_in_configured_unit(config, attr::REFRESH_TOKEN, unit, |unit| {
        Some(defaults::refresh_token_validity(unit))
    })
}

fn build() -> Schema {
    use attr::*;
    let strings = || Type::set(Type::String);
    let no_strings = || Value::Set(Vec::new());
    let unit = |unit: TimeUnit| Value::string(unit.as_str());
    let units = Block::new("Units of the three token validity numbers. Leave the block out for Cognito's units.")
        .attribute(
            Attribute::optional_computed(
                ACCESS_TOKEN,
                Type::String,
                "Unit of `access_token_validity`: `seconds`, `minutes`, `hours` or `days`. Default: `hours`.",
            )
            .default(unit(defaults::UNITS.access_token)),
        )
        .attribute(
            Attribute::optional_computed(
                ID_TOKEN,
                Type::String,
                "Unit of `id_token_validity`: `seconds`, `minutes`, `hours` or `days`. Default: `hours`.",
            )
            .default(unit(defaults::UNITS.id_token)),
        )
        .attribute(
            Attribute::optional_computed(
                REFRESH_TOKEN,
                Type::String,
                "Unit of `refresh_token_validity`: `seconds`, `minutes`, `hours` or `days`. Default: `days`.",
            )
            .default(unit(defaults::UNITS.refresh_token)),
        );
    let analytics = Block::new("Amazon Pinpoint analytics for this client. Leave the block out for none.")
        .attribute(Attribute::optional(
            APPLICATION_ARN,
            Type::String,
            "ARN of the Pinpoint project. Cognito then supplies the role; give either this or `application_id`.",
        ))
        .attribute(Attribute::optional(
            APPLICATION_ID,
            Type::String,
            "ID of the Pinpoint project; needs `role_arn` and `external_id`.",
        ))
        .attribute(Attribute::optional(
            EXTERNAL_ID,
            Type::String,
            "External ID of `role_arn`'s trust policy.",
        ))
        .attribute(Attribute::optional_computed(
            ROLE_ARN,
            Type::String,
            "ARN of the IAM role Cognito assumes to publish events. Set by Cognito when `application_arn` is used.",
        ))
        .attribute(
            Attribute::optional_computed(
                USER_DATA_SHARED,
                Type::Bool,
                "Whether user data is included in the events. Default: `false`.",
            )
            .default(Value::Bool(defaults::USER_DATA_SHARED)),
        );
    let rotation = Block::new("Refresh-token rotation. Leave the block out to keep rotation disabled.")
        .attribute(Attribute::required(
            FEATURE,
            Type::String,
            "`ENABLED` or `DISABLED`. With rotation enabled, refresh tokens are used through \
             GetTokensFromRefreshToken, which returns a new refresh token each time.",
        ))
        .attribute(Attribute::optional(
            RETRY_GRACE_PERIOD_SECONDS,
            Type::Number,
            "How long, 0–60 seconds, the previous refresh token stays valid after rotation. Default: 0.",
        ));

    let block = Block::new(
        "An app client of an Amazon Cognito user pool. Every argument left out takes Cognito's default, and \
         removing an argument resets it to that default in Cognito.",
    )
    .attribute(Attribute::computed(ID, Type::String, "The client ID."))
    .attribute(Attribute::required(
        USER_POOL_ID,
        Type::String,
        "ID of the user pool the client belongs to. Changing it creates a new client.",
    )
        .requires_replace())
    .attribute(Attribute::required(
        NAME,
        Type::String,
        "Name of the client, 1–128 characters of `[\\w\\s+=,.@-]`.",
    ))
    .attribute(Attribute::optional_computed(
        GENERATE_SECRET,
        Type::Bool,
        "Whether the client has a secret (a confidential client). Changing it creates a new client. Default: `false`.",
    )
        .default(Value::Bool(false))
        .requires_replace())
    .attribute(
        Attribute::computed(
            CLIENT_SECRET,
            Type::String,
            "The client secret as Cognito reports it, when `generate_secret` is `true` and \
             `client_secret_in_state` is `true`; null otherwise, and for a custom secret (`client_secret_wo`). Once \
             secrets are added with `cognito_user_pool_client_secret`, Cognito may report the newest one or none.",
        )
        .sensitive(),
    )
    .attribute(
        Attribute::optional(
            CLIENT_SECRET_WO,
            Type::String,
            "A custom secret for a confidential client, instead of one Cognito generates: 24–64 characters of \
             letters, digits, `_` and `+`. Write-only (Terraform 1.11 or later): sent to Cognito when the client is \
             created and never stored in the plan or the state, so `client_secret` stays null. Implies \
             `generate_secret = true` (which may be left out or set, never `false`). Later changes are not sent: \
             add secrets with `cognito_user_pool_client_secret` instead.",
        )
        .write_only(),
    )
    .attribute(Attribute::computed(
        INITIAL_SECRET_ID,
        Type::String,
        "The ID of the secret the client was created with (null for a public client, and for a client imported \
         after its secrets were rotated). It stays the same after that secret is deleted: pass it to \
         `retire_secret_id` of the first `cognito_user_pool_client_secret` so that a rotation never meets \
         Cognito's limit of two secrets.",
    ))
    .attribute(Attribute::optional_computed(
        CLIENT_SECRET_IN_STATE,
        Type::Bool,
        "Whether `client_secret` is kept in the Terraform state. Set `false` when the secret is only consumed \
         through the ephemeral resource `cognito_user_pool_client_secret`: `client_secret` is then null and the \
         secret never reaches the plan or the state. Changing it changes nothing in Cognito. Default: `true`.",
    )
        .default(Value::Bool(CLIENT_SECRET_IN_STATE_DEFAULT)))
    .attribute(Attribute::optional_computed(
        ACCESS_TOKEN_VALIDITY,
        Type::Number,
        "Lifetime of access tokens, in `token_validity_units.access_token` (5 minutes to 1 day). Default: 1 hour; \
         left out with a unit of `days`, it is left to Cognito and shows what Cognito reports.",
    )
        .default_from(access_token_validity_default))
    .attribute(Attribute::optional_computed(
        ID_TOKEN_VALIDITY,
        Type::Number,
        "Lifetime of ID tokens, in `token_validity_units.id_token` (5 minutes to 1 day). Default: 1 hour; left \
         out with a unit of `days`, it is left to Cognito and shows what Cognito reports.",
    )
        .default_from(id_token_validity_default))
    .attribute(Attribute::optional_computed(
        REFRESH_TOKEN_VALIDITY,
        Type::Number,
        "Lifetime of refresh tokens, in `token_validity_units.refresh_token` (60 minutes to 10 years). \
         Default: 30 days.",
    )
        .default_from(refresh_token_validity_default))
    .attribute(Attribute::optional_computed(
        AUTH_SESSION_VALIDITY,
        Type::Number,
        "Minutes (3–15) an authentication session token stays valid between challenges. Default: 3.",
    )
        .default(Value::int(defaults::AUTH_SESSION_VALIDITY)))
    .attribute(Attribute::optional_computed(
        ALLOWED_OAUTH_FLOWS,
        strings(),
        "OAuth grant types: `code`, `implicit`, `client_credentials`. Default: none.",
    )
        .default(no_strings()))
    .attribute(Attribute::optional_computed(
        ALLOWED_OAUTH_FLOWS_USER_POOL_CLIENT,
        Type::Bool,
        "Whether the client may use the OAuth settings (flows, scopes, URLs). Default: `false`.",
    )
        .default(Value::Bool(defaults::ALLOWED_OAUTH_FLOWS_USER_POOL_CLIENT)))
    .attribute(Attribute::optional_computed(
        ALLOWED_OAUTH_SCOPES,
        strings(),
        "OAuth scopes: `phone`, `email`, `openid`, `profile`, `aws.cognito.signin.user.admin`, or custom \
         `<resource-server>/<scope>` scopes. Default: none.",
    )
        .default(no_strings()))
    .attribute(Attribute::optional_computed(
        CALLBACK_URLS,
        strings(),
        "Allowed redirect (callback) URLs after sign-in, at most 100. Default: none.",
    )
        .default(no_strings()))
    .attribute(Attribute::optional_computed(
        LOGOUT_URLS,
        strings(),
        "Allowed sign-out URLs, at most 100. Default: none.",
    )
        .default(no_strings()))
    .attribute(Attribute::optional(
        DEFAULT_REDIRECT_URI,
        Type::String,
        "Default redirect URL; must be one of `callback_urls`. Default: none.",
    ))
    .attribute(Attribute::optional_computed(
        ENABLE_TOKEN_REVOCATION,
        Type::Bool,
        "Whether refresh tokens of this client can be revoked. Default: `true`.",
    )
        .default(Value::Bool(defaults::ENABLE_TOKEN_REVOCATION)))
    .attribute(Attribute::optional_computed(
        ENABLE_PROPAGATE_ADDITIONAL_USER_CONTEXT_DATA,
        Type::Bool,
        "Whether the client passes the user's IP address and device data to threat protection; needs a \
         client secret. Default: `false`.",
    )
        .default(Value::Bool(defaults::ENABLE_PROPAGATE_ADDITIONAL_USER_CONTEXT_DATA)))
    .attribute(Attribute::optional_computed(
        EXPLICIT_AUTH_FLOWS,
        strings(),
        "Authentication flows (`ALLOW_USER_SRP_AUTH`, `ALLOW_REFRESH_TOKEN_AUTH`, …). Default: \
         `ALLOW_CUSTOM_AUTH`, `ALLOW_REFRESH_TOKEN_AUTH`, `ALLOW_USER_SRP_AUTH`.",
    )
        .default(Value::Set(defaults::EXPLICIT_AUTH_FLOWS.into_iter().map(Value::string).collect())))
    .attribute(Attribute::optional_computed(
        PREVENT_USER_EXISTENCE_ERRORS,
        Type::String,
        "`ENABLED` hides whether a user exists in authentication errors; `LEGACY` reveals it. Default: `LEGACY`.",
    )
        .default(Value::string(defaults::PREVENT_USER_EXISTENCE_ERRORS)))
    .attribute(Attribute::optional_computed(
        READ_ATTRIBUTES,
        strings(),
        "User attributes the client can read: standard ones and at most 50 custom ones (a pool has no more). \
         Default (empty): all standard attributes.",
    )
        .default(no_strings()))
    .attribute(Attribute::optional_computed(
        WRITE_ATTRIBUTES,
        strings(),
        "User attributes the client can write: standard ones and at most 50 custom ones. Default (empty): all \
         writable standard attributes; an empty set cannot mean \"none\".",
    )
        .default(no_strings()))
    .attribute(Attribute::optional_computed(
        SUPPORTED_IDENTITY_PROVIDERS,
        strings(),
        "Identity providers the client may use, e.g. `COGNITO` or the name of a SAML/OIDC/social provider of the \
         pool. Default: none.",
    )
        .default(no_strings()))
    .attribute(Attribute::computed(
        CREATION_DATE,
        Type::String,
        "When the client was created (RFC 3339), where Cognito reports it.",
    ))
    .attribute(Attribute::computed(
        LAST_MODIFIED_DATE,
        Type::String,
        "When the client was last changed (RFC 3339), where Cognito reports it.",
    ))
    .block(NestedBlock::list_max_one(TOKEN_VALIDITY_UNITS, units))
    .block(NestedBlock::list_max_one(ANALYTICS_CONFIGURATION, analytics))
    .block(NestedBlock::list_max_one(REFRESH_TOKEN_ROTATION, rotation));
    Schema::new(SCHEMA_VERSION, block)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tf::diagnostics::AttributePath;
    use crate::tf::schema::Presence;

    #[test]
    fn schema_has_no_problems_and_every_attribute_is_described() {
        let schema = schema();
        assert_eq!(schema.problems(), Vec::<String>::new());
        // Every argument the provider may compute plans a known default, but the role Cognito picks for an
        // Amazon Pinpoint project.
        let blocks = std::iter::once(&schema.block).chain(schema.block.blocks.iter().map(|nested| &nested.block));
        for attribute in blocks.flat_map(|block| &block.attributes) {
            if attribute.presence == Presence::OptionalComputed && attribute.name != attr::ROLE_ARN {
                assert!(attribute.default.is_some(), "{} has no default", attribute.name);
            }
        }
        assert_eq!(
            schema.requires_replace(),
            [
                AttributePath::attribute(attr::USER_POOL_ID),
                AttributePath::attribute(attr::GENERATE_SECRET)
            ]
        );
        assert_eq!(schema.block.attributes.len(), 27);
        assert_eq!(schema.block.blocks.len(), 3);
        assert!(schema.block.find_attribute(attr::CLIENT_SECRET).unwrap().sensitive);
        let custom = schema.block.find_attribute(attr::CLIENT_SECRET_WO).unwrap();
        assert!(custom.write_only && custom.sensitive);
    }
}

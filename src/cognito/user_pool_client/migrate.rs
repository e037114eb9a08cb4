//! Moving an `aws_cognito_user_pool_client` of HashiCorp's AWS provider into `cognito_user_pool_client`
//! (MoveResourceState), so that
//!
//! ```hcl
//! moved {
//!   from = aws_cognito_user_pool_client.app
//!   to   = cognito_user_pool_client.app
//! }
//! ```
//!
//! takes over the existing client instead of destroying and recreating it (which would change its ID and secret).
//!
//! The attribute names are the same by design, so the AWS state decodes into this resource's type directly; what
//! the AWS provider has and this resource lacks (`region` of v6) is dropped, and what it lacks (`creation_date`,
//! `last_modified_date`) starts null. Every AWS provider version writes this resource with schema version 0
//! (SDKv2 before 4.60, Plugin Framework after, v6 included). The refresh that follows the move in the same plan
//! reads the client from Cognito and makes the state exact; the normalisation here only keeps the moved value
//! close enough that even a plan with `-refresh=false` shows the configuration's own changes and no replacement.

use std::collections::BTreeMap;

use super::schema::{attr, schema};
use super::state::{block, get};
use crate::cognito::user_pool_client::model::defaults;
use crate::tf::json;
use crate::tf::resource::MoveRequest;
use crate::tf::value::Value;

/// The AWS provider's registry addresses (Terraform's, and OpenTofu's, which names its own registry).
pub const AWS_PROVIDER_ADDRESSES: [&str; 2] = [
    "registry.terraform.io/hashicorp/aws",
    "registry.opentofu.org/hashicorp/aws",
];
pub const AWS_TYPE_NAME: &str = "aws_cognito_user_pool_client";
/// The schema versions the AWS provider has written for `aws_cognito_user_pool_client`.
pub const AWS_SCHEMA_VERSIONS: [i64; 1] = [0];

/// Why a move was refused. Never carries state values: the source state holds the client secret.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MoveError {
    #[error(
        "only aws_cognito_user_pool_client of hashicorp/aws can be moved into cognito_user_pool_client, not {type_name} of {provider}"
    )]
    UnsupportedSource { provider: String, type_name: String },
    #[error(
        "the state of aws_cognito_user_pool_client was written with schema version {0}, which this provider does not know; supported: 0"
    )]
    UnsupportedVersion(i64),
    #[error("the aws_cognito_user_pool_client state cannot be read: {0}")]
    InvalidState(String),
    #[error("the aws_cognito_user_pool_client state has no {0}")]
    MissingIdentity(&'static str),
    #[error(
        "the aws_cognito_user_pool_client state manages the client in the Region {state_region}, but its user pool \
         {user_pool_id} is in {pool_region}; move it with a cognito provider configured for {state_region}, or import \
         the client instead"
    )]
    RegionMismatch {
        state_region: String,
        user_pool_id: String,
        pool_region: String,
    },
}

/// The `cognito_user_pool_client` state for an `aws_cognito_user_pool_client` state.
pub fn state_from_aws(request: &MoveRequest) -> Result<Value, MoveError> {
    if request.source_type_name != AWS_TYPE_NAME
        || !AWS_PROVIDER_ADDRESSES.contains(&request.source_provider_address.as_str())
    {
        return Err(MoveError::UnsupportedSource {
            provider: request.source_provider_address.clone(),
            type_name: request.source_type_name.clone(),
        });
    }
    if !AWS_SCHEMA_VERSIONS.contains(&request.source_schema_version) {
        return Err(MoveError::UnsupportedVersion(request.source_schema_version));
    }
    let (value, dropped) = json::decode_lenient(&request.source_state_json, schema().value_type())
        .map_err(|error| MoveError::InvalidState(error.to_string()))?;
    if !dropped.is_empty() {
        tracing::debug!(
            ?dropped,
            "AWS provider attributes without a counterpart dropped in the move"
        );
    }
    let Value::Object(mut attributes) = value else {
        return Err(MoveError::InvalidState("the state is not an object".to_string()));
    };
    for name in [attr::ID, attr::USER_POOL_ID] {
        if attributes.get(name).and_then(Value::as_str).is_none_or(str::is_empty) {
            return Err(MoveError::MissingIdentity(name));
        }
    }
    check_region(&request.source_state_json, attributes.get(attr::USER_POOL_ID))?;
    normalise(&mut attributes);
    Ok(Value::Object(attributes))
}

/// hashicorp/aws v6 records the Region each resource is managed in (`region`), which this resource has no argument
/// for: it belongs to the provider. A state whose Region is not its user pool's stops the move, naming both;
/// otherwise the pool's Region is compared with the provider's at the refresh that follows (the API stack refuses a
/// pool of another Region with an error naming both, instead of reporting the client gone).
fn check_region(source_state_json: &[u8], user_pool_id: Option<&Value>) -> Result<(), MoveError> {
    let state_region = serde_json::from_slice::<serde_json::Value>(source_state_json)
        .ok()
        .and_then(|state| {
            state
                .get("region")
                .and_then(|region| region.as_str().map(str::to_string))
        })
        .filter(|region| !region.is_empty());
    let user_pool_id = user_pool_id.and_then(Value::as_str).unwrap_or_default();
    match (state_region, crate::cognito::user_pool_id::pool_region(user_pool_id)) {
        (Some(state_region), Some(pool_region)) if state_region != pool_region => Err(MoveError::RegionMismatch {
            state_region,
            user_pool_id: user_pool_id.to_string(),
            pool_region: pool_region.to_string(),
        }),
        _ => Ok(()),
    }
}

/// Brings the AWS provider's forms to this resource's.
fn normalise(attributes: &mut BTreeMap<String, Value>) {
    // Imports by the AWS provider leave generate_secret null (its issue #20298); whether there is a secret says it.
    if attributes.get(attr::GENERATE_SECRET).is_none_or(Value::is_null) {
        let has_secret = attributes
            .get(attr::CLIENT_SECRET)
            .is_some_and(|s| s.as_str().is_some());
        attributes.insert(attr::GENERATE_SECRET.to_string(), Value::Bool(has_secret));
    }
    // Its legacy flattening writes "" for "no default redirect URI", which Cognito cannot hold.
    if attributes.get(attr::DEFAULT_REDIRECT_URI).and_then(Value::as_str) == Some("") {
        attributes.insert(attr::DEFAULT_REDIRECT_URI.to_string(), Value::Null);
    }
    for name in [
        attr::TOKEN_VALIDITY_UNITS,
        attr::ANALYTICS_CONFIGURATION,
        attr::REFRESH_TOKEN_ROTATION,
    ] {
        let slot = attributes.entry(name.to_string()).or_insert(Value::Null);
        if slot.is_null() {
            *slot = Value::List(Vec::new());
        }
    }
    // The AWS provider records Cognito's default units after every create, whether configured or not; this
    // resource leaves a block that only repeats the defaults out, as a configuration without it plans.
    let object = Value::Object(attributes.clone());
    if block(&object, attr::TOKEN_VALIDITY_UNITS).is_some_and(is_default_units) {
        attributes.insert(attr::TOKEN_VALIDITY_UNITS.to_string(), Value::List(Vec::new()));
    }
    if block(&object, attr::REFRESH_TOKEN_ROTATION).is_some_and(is_default_rotation) {
        attributes.insert(attr::REFRESH_TOKEN_ROTATION.to_string(), Value::List(Vec::new()));
    }
}

fn is_default_units(units: &Value) -> bool {
    let is = |name: &str, default: &str| get(units, name).as_str().is_none_or(|unit| unit == default);
    is(attr::ACCESS_TOKEN, defaults::UNITS.access_token.as_str())
        && is(attr::ID_TOKEN, defaults::UNITS.id_token.as_str())
        && is(attr::REFRESH_TOKEN, defaults::UNITS.refresh_token.as_str())
}

fn is_default_rotation(rotation: &Value) -> bool {
    get(rotation, attr::FEATURE).as_str() == Some(defaults::ROTATION_DISABLED)
        && get(rotation, attr::RETRY_GRACE_PERIOD_SECONDS).as_i64().unwrap_or(0) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tf::msgpack;

    /// An AWS provider 5.x state as Terraform stores it after `terraform apply` of a confidential client with
    /// callback URLs (Plugin Framework era: every computed attribute known, units recorded after create).
    const AWS_STATE: &str = r#"{
        "access_token_validity": 60,
        "allowed_oauth_flows": ["code"],
        "allowed_oauth_flows_user_pool_client": true,
        "allowed_oauth_scopes": ["openid"],
        "analytics_configuration": [],
        "auth_session_validity": 3,
        "callback_urls": ["https://app.example.com/callback"],
        "client_secret": "s3cr3t-value-that-must-not-leak",
        "default_redirect_uri": "",
        "enable_propagate_additional_user_context_data": false,
        "enable_token_revocation": true,
        "explicit_auth_flows": ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
        "generate_secret": true,
        "id": "1example23456789abcdefghij",
        "id_token_validity": 60,
        "logout_urls": [],
        "name": "app",
        "prevent_user_existence_errors": "ENABLED",
        "read_attributes": [],
        "refresh_token_rotation": [],
        "refresh_token_validity": 30,
        "region": "us-east-1",
        "supported_identity_providers": ["COGNITO"],
        "token_validity_units": [{"access_token": "hours", "id_token": "hours", "refresh_token": "days"}],
        "user_pool_id": "us-east-1_AbCdEfGhI",
        "write_attributes": []
    }"#;

    fn request(provider: &str, type_name: &str, version: i64, json: &str) -> MoveRequest {
        MoveRequest {
            source_provider_address: provider.to_string(),
            source_type_name: type_name.to_string(),
            source_schema_version: version,
            source_state_json: json.as_bytes().to_vec(),
        }
    }

    fn aws(json: &str) -> MoveRequest {
        request(AWS_PROVIDER_ADDRESSES[0], AWS_TYPE_NAME, 0, json)
    }

    #[test]
    fn a_state_region_other_than_the_pools_stops_the_move_naming_both() {
        let elsewhere = AWS_STATE.replace(r#""region": "us-east-1""#, r#""region": "eu-west-1""#);
        let error = state_from_aws(&aws(&elsewhere)).unwrap_err();
        assert_eq!(
            error,
            MoveError::RegionMismatch {
                state_region: "eu-west-1".to_string(),
                user_pool_id: "us-east-1_AbCdEfGhI".to_string(),
                pool_region: "us-east-1".to_string(),
            }
        );
        assert!(!error.to_string().contains("s3cr3t"), "{error}");
        // Before v6 there is no region in the state: nothing to compare.
        let v5 = AWS_STATE.replace(r#""region": "us-east-1","#, "");
        assert!(state_from_aws(&aws(&v5)).is_ok());
    }

    #[test]
    fn aws_state_becomes_a_complete_value_of_this_schema() {
        let moved = state_from_aws(&aws(AWS_STATE)).unwrap();
        msgpack::encode(&moved, schema().value_type()).expect("a complete value");
        assert_eq!(get(&moved, attr::ID).as_str(), Some("1example23456789abcdefghij"));
        assert_eq!(
            get(&moved, attr::CLIENT_SECRET).as_str(),
            Some("s3cr3t-value-that-must-not-leak")
        );
        assert_eq!(get(&moved, attr::ACCESS_TOKEN_VALIDITY).as_i64(), Some(60));
        assert_eq!(get(&moved, attr::TOKEN_VALIDITY_UNITS), &Value::List(vec![]));
        assert!(moved.attribute("region").is_none());
        assert!(get(&moved, attr::CREATION_DATE).is_null());
        assert!(get(&moved, attr::DEFAULT_REDIRECT_URI).is_null());
    }

    #[test]
    fn configured_units_and_rotation_are_kept() {
        let json = AWS_STATE
            .replace(r#""access_token": "hours""#, r#""access_token": "minutes""#)
            .replace(
                r#""refresh_token_rotation": []"#,
                r#""refresh_token_rotation": [{"feature": "ENABLED", "retry_grace_period_seconds": 10}]"#,
            );
        let moved = state_from_aws(&aws(&json)).unwrap();
        assert!(block(&moved, attr::TOKEN_VALIDITY_UNITS).is_some());
        assert!(block(&moved, attr::REFRESH_TOKEN_ROTATION).is_some());
    }

    #[test]
    fn imported_state_without_generate_secret_derives_it() {
        let json = AWS_STATE.replace(r#""generate_secret": true"#, r#""generate_secret": null"#);
        let moved = state_from_aws(&aws(&json)).unwrap();
        assert_eq!(get(&moved, attr::GENERATE_SECRET), &Value::Bool(true));
        // An SDKv2-era state: no refresh_token_rotation, no auth_session_validity.
        let old = AWS_STATE
            .replace(r#""refresh_token_rotation": [],"#, "")
            .replace(r#""auth_session_validity": 3,"#, "");
        let moved = state_from_aws(&aws(&old)).unwrap();
        assert_eq!(get(&moved, attr::REFRESH_TOKEN_ROTATION), &Value::List(vec![]));
        assert!(get(&moved, attr::AUTH_SESSION_VALIDITY).is_null());
    }

    #[test]
    fn other_sources_versions_and_shapes_are_refused_without_echoing_values() {
        let other = request("registry.terraform.io/hashicorp/awscc", AWS_TYPE_NAME, 0, AWS_STATE);
        assert!(matches!(
            state_from_aws(&other),
            Err(MoveError::UnsupportedSource { .. })
        ));
        let managed = request(
            AWS_PROVIDER_ADDRESSES[0],
            "aws_cognito_managed_user_pool_client",
            0,
            AWS_STATE,
        );
        assert!(matches!(
            state_from_aws(&managed),
            Err(MoveError::UnsupportedSource { .. })
        ));
        assert_eq!(
            state_from_aws(&request(AWS_PROVIDER_ADDRESSES[1], AWS_TYPE_NAME, 1, AWS_STATE)),
            Err(MoveError::UnsupportedVersion(1))
        );
        let no_id = AWS_STATE.replace(r#""id": "1example23456789abcdefghij""#, r#""id": null"#);
        assert_eq!(state_from_aws(&aws(&no_id)), Err(MoveError::MissingIdentity("id")));
        let bad = AWS_STATE.replace(r#""generate_secret": true"#, r#""generate_secret": "yes""#);
        let error = state_from_aws(&aws(&bad)).unwrap_err().to_string();
        assert!(!error.contains("s3cr3t"), "{error}");
        assert!(!format!("{:?}", aws(AWS_STATE)).contains("s3cr3t"));
    }
}

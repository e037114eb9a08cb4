//! The resource's Terraform values for what Cognito reports, and the import ID.

use std::collections::BTreeMap;

use super::model::{AddedSecret, SecretDescriptor};
use super::schema::attr;
use crate::tf::diagnostics::{Diagnostic, Diagnostics};
use crate::tf::value::{Value, get};

fn optional_string(value: Option<String>) -> Value {
    value.map_or(Value::Null, Value::string)
}

/// The user pool, client and secret a state (or planned value) names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretAddress {
    pub user_pool_id: String,
    pub client_id: String,
    /// `None` before the secret exists (a planned create).
    pub secret_id: Option<String>,
}

impl SecretAddress {
    /// Reads the address; `None` when the pool or client is not a known string (a bug upstream).
    pub fn of(value: &Value) -> Option<SecretAddress> {
        Some(SecretAddress {
            user_pool_id: get(value, attr::USER_POOL_ID).as_str()?.to_string(),
            client_id: get(value, attr::CLIENT_ID).as_str()?.to_string(),
            secret_id: get(value, attr::ID).as_str().map(str::to_string),
        })
    }
}

/// Whether the state keeps the generated value (absent or unknown means the default, true).
pub fn value_in_state(value: &Value) -> bool {
    get(value, attr::CLIENT_SECRET_IN_STATE).as_bool().unwrap_or(true)
}

/// The state after AddUserPoolClientSecret: the planned value with what Cognito made.
pub fn created_state(planned: &Value, added: &AddedSecret) -> Value {
    let mut state = planned.as_attributes().cloned().unwrap_or_default();
    state.insert(attr::ID.to_string(), Value::string(added.descriptor.secret_id.clone()));
    state.insert(
        attr::CREATION_DATE.to_string(),
        optional_string(added.descriptor.creation_date()),
    );
    let value = match &added.value {
        Some(value) if value_in_state(planned) => Value::string(value.expose()),
        _ => Value::Null,
    };
    state.insert(attr::CLIENT_SECRET.to_string(), value);
    state.insert(
        attr::CLIENT_SECRET_IN_STATE.to_string(),
        Value::Bool(value_in_state(planned)),
    );
    state.insert(attr::CLIENT_SECRET_WO.to_string(), Value::Null);
    Value::Object(state)
}

/// The state after a read that found the secret: the creation date as Cognito reports it, the rest as it was.
pub fn refreshed_state(state: &Value, listed: &SecretDescriptor) -> Value {
    let mut refreshed = state.as_attributes().cloned().unwrap_or_default();
    if let Some(date) = listed.creation_date() {
        refreshed.insert(attr::CREATION_DATE.to_string(), Value::string(date));
    }
    Value::Object(refreshed)
}

/// The state of an imported secret. Its value cannot be read back: Cognito returns it only at creation.
pub fn imported_state(user_pool_id: &str, client_id: &str, listed: &SecretDescriptor) -> Value {
    let mut state: BTreeMap<String, Value> = super::schema::schema()
        .block
        .attributes
        .iter()
        .map(|attribute| (attribute.name.to_string(), Value::Null))
        .collect();
    state.insert(attr::ID.to_string(), Value::string(listed.secret_id.clone()));
    state.insert(attr::USER_POOL_ID.to_string(), Value::string(user_pool_id));
    state.insert(attr::CLIENT_ID.to_string(), Value::string(client_id));
    state.insert(attr::CREATION_DATE.to_string(), optional_string(listed.creation_date()));
    state.insert(attr::CLIENT_SECRET_IN_STATE.to_string(), Value::Bool(true));
    Value::Object(state)
}

/// An import ID: `POOL_ID/CLIENT_ID/SECRET_ID`, or `POOL_ID/CLIENT_ID` for a client's only secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportId {
    pub user_pool_id: String,
    pub client_id: String,
    pub secret_id: Option<String>,
}

impl ImportId {
    pub fn parse(id: &str) -> Result<ImportId, Diagnostics> {
        let parts: Vec<&str> = id.split('/').collect();
        let valid = |part: &&str| !part.is_empty();
        match parts.as_slice() {
            [pool, client, rest @ ..]
                if pool.contains('_') && valid(client) && rest.len() <= 1 && rest.iter().all(valid) =>
            {
                Ok(ImportId {
                    user_pool_id: pool.to_string(),
                    client_id: client.to_string(),
                    secret_id: rest.first().map(|secret| secret.to_string()),
                })
            }
            _ => Err(Diagnostic::error(
                "Invalid import ID",
                format!(
                    "{id:?} is not a valid import ID. Use USER_POOL_ID/CLIENT_ID/SECRET_ID, for example \
                     us-east-1_AbCdEfGhI/1example23456789abcdefghij/1example23456789abcdefghij--1767225600000, or \
                     USER_POOL_ID/CLIENT_ID for a client that has only one secret."
                ),
            )
            .into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;
    use crate::cognito::user_pool_client_secret::model::SecretValue;
    use crate::cognito::user_pool_client_secret::plan::plan;
    use crate::tf::msgpack;

    fn descriptor() -> SecretDescriptor {
        SecretDescriptor {
            secret_id: "client--1767225600000".into(),
            created: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600)),
        }
    }

    fn planned(in_state: bool) -> Value {
        let imported = imported_state("us-east-1_pool", "client", &descriptor());
        let Value::Object(mut config) = imported else {
            unreachable!()
        };
        for name in [attr::ID, attr::CREATION_DATE] {
            config.insert(name.into(), Value::Null);
        }
        config.insert(attr::CLIENT_SECRET_IN_STATE.into(), Value::Bool(in_state));
        plan(&Value::Null, &Value::Object(config))
    }

    #[test]
    fn created_state_keeps_the_generated_value_only_when_asked() {
        let added = AddedSecret {
            descriptor: descriptor(),
            value: Some(SecretValue::new("generated-value")),
        };
        let kept = created_state(&planned(true), &added);
        assert_eq!(get(&kept, attr::ID), &Value::string("client--1767225600000"));
        assert_eq!(get(&kept, attr::CREATION_DATE), &Value::string("2026-01-01T00:00:00Z"));
        assert_eq!(get(&kept, attr::CLIENT_SECRET), &Value::string("generated-value"));
        let schema = crate::cognito::user_pool_client_secret::schema::schema();
        msgpack::encode(&kept, schema.value_type()).expect("a value of the schema's type");

        let hidden = created_state(&planned(false), &added);
        assert_eq!(get(&hidden, attr::CLIENT_SECRET), &Value::Null);
        let custom = created_state(
            &planned(true),
            &AddedSecret {
                descriptor: descriptor(),
                value: None,
            },
        );
        assert_eq!(get(&custom, attr::CLIENT_SECRET), &Value::Null);
    }

    #[test]
    fn refresh_and_import_report_what_cognito_lists() {
        let imported = imported_state("us-east-1_pool", "client", &descriptor());
        assert_eq!(
            SecretAddress::of(&imported),
            Some(SecretAddress {
                user_pool_id: "us-east-1_pool".into(),
                client_id: "client".into(),
                secret_id: Some("client--1767225600000".into()),
            })
        );
        assert_eq!(get(&imported, attr::CLIENT_SECRET), &Value::Null);
        assert!(value_in_state(&imported));
        assert_eq!(refreshed_state(&imported, &descriptor()), imported);
    }

    #[test]
    fn import_ids() {
        assert_eq!(
            ImportId::parse("us-east-1_p/c/c--1").unwrap(),
            ImportId {
                user_pool_id: "us-east-1_p".into(),
                client_id: "c".into(),
                secret_id: Some("c--1".into())
            }
        );
        assert_eq!(ImportId::parse("us-east-1_p/c").unwrap().secret_id, None);
        for bad in [
            "",
            "us-east-1_p",
            "pool/c/s",
            "us-east-1_p//s",
            "us-east-1_p/c/",
            "us-east-1_p/c/s/x",
        ] {
            assert!(ImportId::parse(bad).is_err(), "{bad}");
        }
    }
}

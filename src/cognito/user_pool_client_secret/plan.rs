//! Planning and validation, as pure functions over values. A secret has nothing to update in Cognito: every
//! change that matters makes a new secret (a replacement), the rest only changes what the state keeps.

use std::collections::BTreeMap;

use super::model::check_custom_secret;
use super::schema::attr;
use crate::tf::diagnostics::{AttributePath, Diagnostic, Diagnostics};
use crate::tf::value::{Value, get};

/// The planned state for `config` given the `prior` state (null on create).
pub fn plan(prior: &Value, config: &Value) -> Value {
    let Value::Object(config_attributes) = config else {
        return config.clone();
    };
    let mut planned: BTreeMap<String, Value> = config_attributes.clone();
    planned.insert(attr::CLIENT_SECRET_WO.to_string(), Value::Null);
    let in_state = match get(config, attr::CLIENT_SECRET_IN_STATE) {
        Value::Null => Value::Bool(true),
        configured => configured.clone(),
    };
    planned.insert(attr::CLIENT_SECRET_IN_STATE.to_string(), in_state.clone());

    let secret = if prior.is_null() {
        planned.insert(attr::ID.to_string(), Value::unknown());
        planned.insert(attr::CREATION_DATE.to_string(), Value::unknown());
        let custom = get(config, attr::CLIENT_SECRET_WO);
        match in_state {
            // Nothing to keep; and a custom value is never returned, so there is nothing to store either.
            Value::Bool(false) => Value::Null,
            _ if !custom.is_unknown() && !custom.is_null() => Value::Null,
            _ => Value::unknown(),
        }
    } else {
        for name in [attr::ID, attr::CREATION_DATE] {
            planned.insert(name.to_string(), get(prior, name).clone());
        }
        match in_state {
            Value::Bool(false) => Value::Null,
            // A value Cognito returned once cannot be read again: keep what the state has (null stays null).
            Value::Bool(true) => get(prior, attr::CLIENT_SECRET).clone(),
            _ => Value::unknown(),
        }
    };
    planned.insert(attr::CLIENT_SECRET.to_string(), secret);
    Value::Object(planned)
}

/// Plan-time checks of a configuration that may hold unknowns. Never quotes the custom value.
pub fn validate(config: &Value) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    if let Some(custom) = get(config, attr::CLIENT_SECRET_WO).as_str()
        && let Err(problem) = check_custom_secret(custom)
    {
        diagnostics.push(
            Diagnostic::error(
                "Invalid custom client secret",
                format!("Cognito would refuse this client_secret_wo: {problem}."),
            )
            .at(AttributePath::attribute(attr::CLIENT_SECRET_WO)),
        );
    }
    for name in [attr::USER_POOL_ID, attr::CLIENT_ID, attr::RETIRE_SECRET_ID] {
        if get(config, name).as_str() == Some("") {
            diagnostics.push(
                Diagnostic::error("Empty identifier", format!("{name} must not be empty."))
                    .at(AttributePath::attribute(name)),
            );
        }
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, Value)]) -> Value {
        let mut attributes: BTreeMap<String, Value> = crate::cognito::user_pool_client_secret::schema::schema()
            .block
            .attributes
            .iter()
            .map(|a| (a.name.to_string(), Value::Null))
            .collect();
        attributes.insert(attr::USER_POOL_ID.into(), Value::string("us-east-1_pool"));
        attributes.insert(attr::CLIENT_ID.into(), Value::string("client"));
        for (name, value) in pairs {
            attributes.insert(name.to_string(), value.clone());
        }
        Value::Object(attributes)
    }

    #[test]
    fn create_plans_unknown_id_date_and_generated_value() {
        let planned = plan(&Value::Null, &config(&[]));
        assert!(get(&planned, attr::ID).is_unknown());
        assert!(get(&planned, attr::CREATION_DATE).is_unknown());
        assert!(get(&planned, attr::CLIENT_SECRET).is_unknown());
        assert_eq!(get(&planned, attr::CLIENT_SECRET_IN_STATE), &Value::Bool(true));
    }

    #[test]
    fn a_custom_value_is_never_planned_nor_kept() {
        let custom = Value::string("c".repeat(30));
        let planned = plan(&Value::Null, &config(&[(attr::CLIENT_SECRET_WO, custom.clone())]));
        assert_eq!(get(&planned, attr::CLIENT_SECRET_WO), &Value::Null);
        assert_eq!(get(&planned, attr::CLIENT_SECRET), &Value::Null);
        // Unknown at plan time (an ephemeral source not opened yet): it may turn out null, so the value may be
        // generated.
        let pending = plan(&Value::Null, &config(&[(attr::CLIENT_SECRET_WO, Value::unknown())]));
        assert!(get(&pending, attr::CLIENT_SECRET).is_unknown());
    }

    #[test]
    fn client_secret_in_state_false_keeps_the_value_out() {
        let hidden = config(&[(attr::CLIENT_SECRET_IN_STATE, Value::Bool(false))]);
        assert_eq!(get(&plan(&Value::Null, &hidden), attr::CLIENT_SECRET), &Value::Null);

        let mut prior = plan(&Value::Null, &config(&[]));
        if let Value::Object(attributes) = &mut prior {
            attributes.insert(attr::ID.into(), Value::string("client--1"));
            attributes.insert(attr::CREATION_DATE.into(), Value::string("2026-01-01T00:00:00Z"));
            attributes.insert(attr::CLIENT_SECRET.into(), Value::string("generated"));
        }
        // Unchanged: the plan equals the prior state.
        assert_eq!(plan(&prior, &config(&[])), prior);
        // Turned off: the value leaves the state, nothing else changes.
        let dropped = plan(&prior, &hidden);
        assert_eq!(get(&dropped, attr::CLIENT_SECRET), &Value::Null);
        assert_eq!(get(&dropped, attr::ID), &Value::string("client--1"));
        // Turned on again: a value returned once cannot come back.
        let mut without = prior.clone();
        if let Value::Object(attributes) = &mut without {
            attributes.insert(attr::CLIENT_SECRET.into(), Value::Null);
        }
        assert_eq!(get(&plan(&without, &config(&[])), attr::CLIENT_SECRET), &Value::Null);
    }

    #[test]
    fn the_version_and_the_client_make_a_new_secret() {
        let paths = super::super::schema::schema().requires_replace();
        for name in [attr::USER_POOL_ID, attr::CLIENT_ID, attr::CLIENT_SECRET_WO_VERSION] {
            assert!(paths.contains(&AttributePath::attribute(name)), "{name}");
        }
        assert!(!paths.contains(&AttributePath::attribute(attr::RETIRE_SECRET_ID)));
    }

    #[test]
    fn validation_names_the_argument_but_never_the_value() {
        let short = "tooshortvalue";
        let diagnostics = validate(&config(&[(attr::CLIENT_SECRET_WO, Value::string(short))]));
        let all: Vec<_> = diagnostics.iter().collect();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].attribute, Some(AttributePath::attribute(attr::CLIENT_SECRET_WO)));
        assert!(!format!("{diagnostics:?}").contains(short));
        assert!(validate(&config(&[(attr::CLIENT_SECRET_WO, Value::unknown())])).is_empty());
        assert!(validate(&config(&[(attr::CLIENT_SECRET_WO, Value::string("a".repeat(40)))])).is_empty());
        assert!(validate(&config(&[(attr::RETIRE_SECRET_ID, Value::string(""))])).has_errors());
    }
}

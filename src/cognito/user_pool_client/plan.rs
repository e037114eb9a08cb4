//! Planning, as pure functions over values: the plan is the configuration with Cognito's default written in for
//! every argument left out (so the plan shows the value that will exist, and removing an argument resets it),
//! plus the computed attributes. Nothing here is random or time-dependent, so the apply-time re-plan always
//! equals the reviewed plan.

use std::collections::BTreeMap;

use super::schema::attr;
use super::state::{block, get};
use crate::cognito::user_pool_client::model::{TimeUnit, defaults};
use crate::tf::diagnostics::AttributePath;
use crate::tf::value::Value;

/// Attributes only the provider sets; everything else is the client's configuration.
const COMPUTED_ONLY: [&str; 5] = [
    attr::ID,
    attr::CLIENT_SECRET,
    attr::INITIAL_SECRET_ID,
    attr::CREATION_DATE,
    attr::LAST_MODIFIED_DATE,
];

/// Changing these needs a new client.
pub fn requires_replace() -> Vec<AttributePath> {
    vec![
        AttributePath::attribute(attr::USER_POOL_ID),
        AttributePath::attribute(attr::GENERATE_SECRET),
    ]
}

/// The planned state for `config` (wholly or partly known) given the `prior` state (null on create).
pub fn plan(prior: &Value, config: &Value) -> Value {
    let Value::Object(config_attributes) = config else {
        return config.clone();
    };
    let mut planned = config_attributes.clone();

    let units_config = get(config, attr::TOKEN_VALIDITY_UNITS);
    let planned_units = plan_units(units_config);
    let unit_of = |name: &str, default: TimeUnit| -> Option<TimeUnit> {
        match &planned_units {
            Value::List(items) if items.is_empty() => Some(default),
            Value::List(items) => items[0]
                .attribute(name)
                .and_then(Value::as_str)
                .and_then(TimeUnit::parse),
            _ => None,
        }
    };
    let validity_default = |unit: Option<TimeUnit>, of_unit: fn(TimeUnit) -> i64| match unit {
        Some(unit) => Value::int(of_unit(unit)),
        None => Value::unknown(),
    };
    let access_default = validity_default(
        unit_of(attr::ACCESS_TOKEN, defaults::UNITS.access_token),
        defaults::access_token_validity,
    );
    let id_default = validity_default(
        unit_of(attr::ID_TOKEN, defaults::UNITS.id_token),
        defaults::id_token_validity,
    );
    let refresh_default = validity_default(
        unit_of(attr::REFRESH_TOKEN, defaults::UNITS.refresh_token),
        defaults::refresh_token_validity,
    );

    let mut default_if_null = |name: &str, default: Value| {
        let slot = planned.entry(name.to_string()).or_insert(Value::Null);
        if slot.is_null() {
            *slot = default;
        }
    };
    default_if_null(attr::GENERATE_SECRET, Value::Bool(false));
    default_if_null(attr::CLIENT_SECRET_IN_STATE, Value::Bool(true));
    default_if_null(attr::ACCESS_TOKEN_VALIDITY, access_default);
    default_if_null(attr::ID_TOKEN_VALIDITY, id_default);
    default_if_null(attr::REFRESH_TOKEN_VALIDITY, refresh_default);
    default_if_null(attr::AUTH_SESSION_VALIDITY, Value::int(defaults::AUTH_SESSION_VALIDITY));
    default_if_null(attr::ALLOWED_OAUTH_FLOWS_USER_POOL_CLIENT, Value::Bool(false));
    default_if_null(
        attr::ENABLE_TOKEN_REVOCATION,
        Value::Bool(defaults::ENABLE_TOKEN_REVOCATION),
    );
    default_if_null(attr::ENABLE_PROPAGATE_ADDITIONAL_USER_CONTEXT_DATA, Value::Bool(false));
    default_if_null(
        attr::PREVENT_USER_EXISTENCE_ERRORS,
        Value::string(defaults::PREVENT_USER_EXISTENCE_ERRORS),
    );
    for name in attr::STRING_SETS {
        let default = if name == attr::EXPLICIT_AUTH_FLOWS {
            super::state::string_set(&defaults::explicit_auth_flows())
        } else {
            Value::Set(Vec::new())
        };
        default_if_null(name, default);
    }
    planned.insert(attr::TOKEN_VALIDITY_UNITS.to_string(), planned_units);
    planned.insert(
        attr::ANALYTICS_CONFIGURATION.to_string(),
        plan_analytics(
            get(config, attr::ANALYTICS_CONFIGURATION),
            block(prior, attr::ANALYTICS_CONFIGURATION),
        ),
    );

    if prior.is_null() {
        let secret = match (
            planned.get(attr::GENERATE_SECRET),
            planned.get(attr::CLIENT_SECRET_IN_STATE),
        ) {
            (Some(Value::Bool(false)), _) | (_, Some(Value::Bool(false))) => Value::Null,
            _ => Value::unknown(),
        };
        planned.insert(attr::ID.to_string(), Value::unknown());
        planned.insert(attr::CLIENT_SECRET.to_string(), secret);
        planned.insert(attr::CREATION_DATE.to_string(), Value::unknown());
        planned.insert(attr::LAST_MODIFIED_DATE.to_string(), Value::unknown());
        let initial_secret = match planned.get(attr::GENERATE_SECRET) {
            Some(Value::Bool(false)) => Value::Null,
            _ => Value::unknown(),
        };
        planned.insert(attr::INITIAL_SECRET_ID.to_string(), initial_secret);
        return Value::Object(planned);
    }

    let changed = configuration_differs(&planned, prior);
    for name in COMPUTED_ONLY {
        planned.insert(name.to_string(), get(prior, name).clone());
    }
    if changed {
        planned.insert(attr::LAST_MODIFIED_DATE.to_string(), Value::unknown());
        // A new secret exists only after a replacement, which Terraform plans from a null prior.
    }
    planned.insert(attr::CLIENT_SECRET.to_string(), plan_secret(&planned, prior));
    Value::Object(planned)
}

/// The secret of an existing client as `client_secret_in_state` asks: dropped when false, the prior one when
/// true, and unknown (read back at apply) when the prior state did not hold it but a secret exists.
///
/// A prior state that kept the secret keeps what it holds, null included: after a rotation Cognito may report no
/// secret at all, and that must not plan a change on every run.
fn plan_secret(planned: &BTreeMap<String, Value>, prior: &Value) -> Value {
    let in_state = planned.get(attr::CLIENT_SECRET_IN_STATE).unwrap_or(&Value::Null);
    let has_secret = planned.get(attr::GENERATE_SECRET).unwrap_or(&Value::Null);
    let prior_secret = get(prior, attr::CLIENT_SECRET);
    match (in_state, has_secret) {
        (Value::Bool(false), _) | (_, Value::Bool(false)) => Value::Null,
        (Value::Bool(true), Value::Bool(true)) if !prior_secret.is_null() || super::state::secret_in_state(prior) => {
            prior_secret.clone()
        }
        _ => Value::unknown(),
    }
}

/// Whether applying `planned` would change anything compared with `prior` (sets compared as sets).
pub fn configuration_differs(planned: &BTreeMap<String, Value>, prior: &Value) -> bool {
    planned
        .iter()
        .filter(|(name, _)| !COMPUTED_ONLY.contains(&name.as_str()))
        .any(|(name, value)| !value.is_wholly_known() || !value.semantically_equal(get(prior, name)))
}

/// Units left out inside a configured block take Cognito's default units.
fn plan_units(config: &Value) -> Value {
    let Value::List(items) = config else {
        return config.clone();
    };
    let defaults = [
        (attr::ACCESS_TOKEN, defaults::UNITS.access_token),
        (attr::ID_TOKEN, defaults::UNITS.id_token),
        (attr::REFRESH_TOKEN, defaults::UNITS.refresh_token),
    ];
    Value::List(
        items
            .iter()
            .map(|item| {
                let Value::Object(fields) = item else {
                    return item.clone();
                };
                let mut fields = fields.clone();
                for (name, unit) in defaults {
                    let slot = fields.entry(name.to_string()).or_insert(Value::Null);
                    if slot.is_null() {
                        *slot = Value::string(unit.as_str());
                    }
                }
                Value::Object(fields)
            })
            .collect(),
    )
}

/// `user_data_shared` defaults to false; `role_arn`, when left out with `application_arn`, is Cognito's choice:
/// the prior one while the project stays the same, unknown otherwise.
fn plan_analytics(config: &Value, prior: Option<&Value>) -> Value {
    let Value::List(items) = config else {
        return config.clone();
    };
    Value::List(
        items
            .iter()
            .map(|item| {
                let Value::Object(fields) = item else {
                    return item.clone();
                };
                let mut fields = fields.clone();
                let shared = fields.entry(attr::USER_DATA_SHARED.to_string()).or_insert(Value::Null);
                if shared.is_null() {
                    *shared = Value::Bool(false);
                }
                let application_arn = fields.get(attr::APPLICATION_ARN).cloned().unwrap_or(Value::Null);
                let role = fields.entry(attr::ROLE_ARN.to_string()).or_insert(Value::Null);
                if role.is_null() && !application_arn.is_null() {
                    let same_project = prior.is_some_and(|p| get(p, attr::APPLICATION_ARN) == &application_arn);
                    *role = match prior.map(|p| get(p, attr::ROLE_ARN)) {
                        Some(prior_role) if same_project && !prior_role.is_null() => prior_role.clone(),
                        _ => Value::unknown(),
                    };
                }
                Value::Object(fields)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::user_pool_client::model::{ClientSettings, RemoteClient};
    use crate::cognito::user_pool_client::schema::schema;
    use crate::cognito::user_pool_client::state::{settings_from_value, state_from_remote, units_value};
    use crate::tf::msgpack;

    /// A configuration value with every attribute null but the given ones.
    fn config(pairs: &[(&str, Value)]) -> Value {
        let crate::tf::value::Type::Object { attributes, .. } = schema().value_type().clone() else {
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
        for (name, value) in pairs {
            object.insert(name.to_string(), value.clone());
        }
        Value::Object(object)
    }

    fn minimal() -> Value {
        config(&[
            (attr::USER_POOL_ID, Value::string("us-east-1_pool")),
            (attr::NAME, Value::string("app")),
        ])
    }

    #[test]
    fn create_plan_shows_defaults_as_known_values() {
        let planned = plan(&Value::Null, &minimal());
        assert_eq!(get(&planned, attr::ACCESS_TOKEN_VALIDITY), &Value::int(1));
        assert_eq!(get(&planned, attr::REFRESH_TOKEN_VALIDITY), &Value::int(30));
        assert_eq!(get(&planned, attr::AUTH_SESSION_VALIDITY), &Value::int(3));
        assert_eq!(
            get(&planned, attr::PREVENT_USER_EXISTENCE_ERRORS),
            &Value::string("LEGACY")
        );
        assert_eq!(get(&planned, attr::CALLBACK_URLS), &Value::Set(vec![]));
        assert_eq!(get(&planned, attr::EXPLICIT_AUTH_FLOWS).as_elements().unwrap().len(), 3);
        assert!(get(&planned, attr::ID).is_unknown());
        assert!(
            get(&planned, attr::CLIENT_SECRET).is_null(),
            "no secret without generate_secret"
        );
        assert!(get(&planned, attr::DEFAULT_REDIRECT_URI).is_null());
        msgpack::encode(&planned, schema().value_type()).expect("plan conforms to the schema");
        // The planned configuration is exactly Cognito's defaults.
        let mut known = planned.clone();
        if let Value::Object(attributes) = &mut known {
            attributes.insert(attr::LAST_MODIFIED_DATE.into(), Value::Null);
        }
        assert_eq!(
            settings_from_value(&known).unwrap(),
            ClientSettings::with_defaults("app")
        );
    }

    #[test]
    fn defaults_follow_configured_units() {
        let units = Value::List(vec![Value::Object(BTreeMap::from([
            (attr::ACCESS_TOKEN.to_string(), Value::string("minutes")),
            (attr::ID_TOKEN.to_string(), Value::Null),
            (attr::REFRESH_TOKEN.to_string(), Value::string("hours")),
        ]))]);
        let mut with_units = minimal();
        if let Value::Object(attributes) = &mut with_units {
            attributes.insert(attr::TOKEN_VALIDITY_UNITS.into(), units);
        }
        let planned = plan(&Value::Null, &with_units);
        assert_eq!(get(&planned, attr::ACCESS_TOKEN_VALIDITY), &Value::int(60));
        assert_eq!(get(&planned, attr::ID_TOKEN_VALIDITY), &Value::int(1));
        assert_eq!(get(&planned, attr::REFRESH_TOKEN_VALIDITY), &Value::int(720));
        let planned_units = block(&planned, attr::TOKEN_VALIDITY_UNITS).unwrap();
        assert_eq!(get(planned_units, attr::ID_TOKEN), &Value::string("hours"));
    }

    #[test]
    fn unknown_units_make_dependent_defaults_unknown() {
        let units = Value::List(vec![Value::Object(BTreeMap::from([
            (attr::ACCESS_TOKEN.to_string(), Value::unknown()),
            (attr::ID_TOKEN.to_string(), Value::Null),
            (attr::REFRESH_TOKEN.to_string(), Value::Null),
        ]))]);
        let mut with_units = minimal();
        if let Value::Object(attributes) = &mut with_units {
            attributes.insert(attr::TOKEN_VALIDITY_UNITS.into(), units);
        }
        let planned = plan(&Value::Null, &with_units);
        assert!(get(&planned, attr::ACCESS_TOKEN_VALIDITY).is_unknown());
        assert_eq!(get(&planned, attr::ID_TOKEN_VALIDITY), &Value::int(1));
    }

    fn existing(settings: ClientSettings) -> Value {
        state_from_remote(
            &RemoteClient {
                user_pool_id: "us-east-1_pool".into(),
                client_id: "abc".into(),
                client_secret: None,
                settings,
                creation_date: Some("2026-01-01T00:00:00Z".into()),
                last_modified_date: Some("2026-01-01T00:00:00Z".into()),
            },
            &Value::Null,
        )
    }

    #[test]
    fn unchanged_configuration_plans_the_prior_state() {
        let prior = existing(ClientSettings::with_defaults("app"));
        let planned = plan(&prior, &minimal());
        assert!(planned.semantically_equal(&prior), "{planned:?}");
    }

    #[test]
    fn removed_arguments_plan_their_defaults_and_a_new_modification_date() {
        let mut settings = ClientSettings::with_defaults("app");
        settings.callback_urls = ["https://example.com".to_string()].into();
        settings.access_token_validity = 5;
        let prior = existing(settings);
        let planned = plan(&prior, &minimal());
        assert_eq!(get(&planned, attr::CALLBACK_URLS), &Value::Set(vec![]));
        assert_eq!(get(&planned, attr::ACCESS_TOKEN_VALIDITY), &Value::int(1));
        assert_eq!(get(&planned, attr::ID), &Value::string("abc"));
        assert!(get(&planned, attr::LAST_MODIFIED_DATE).is_unknown());
        assert_eq!(get(&planned, attr::CREATION_DATE), get(&prior, attr::CREATION_DATE));
    }

    #[test]
    fn secret_is_unknown_on_create_with_generate_secret() {
        let mut with_secret = minimal();
        if let Value::Object(attributes) = &mut with_secret {
            attributes.insert(attr::GENERATE_SECRET.into(), Value::Bool(true));
        }
        assert!(get(&plan(&Value::Null, &with_secret), attr::CLIENT_SECRET).is_unknown());
    }

    #[test]
    fn client_secret_in_state_false_keeps_the_secret_out_of_plan_and_state() {
        let with = |in_state: Value| {
            let mut config = minimal();
            if let Value::Object(attributes) = &mut config {
                attributes.insert(attr::GENERATE_SECRET.into(), Value::Bool(true));
                attributes.insert(attr::CLIENT_SECRET_IN_STATE.into(), in_state);
            }
            config
        };
        let remote = |secret_in_state: bool| {
            let prior_form = with(Value::Bool(secret_in_state));
            state_from_remote(
                &RemoteClient {
                    user_pool_id: "us-east-1_pool".into(),
                    client_id: "abc".into(),
                    client_secret: Some("the-secret".into()),
                    settings: ClientSettings::with_defaults("app"),
                    creation_date: Some("2026-01-01T00:00:00Z".into()),
                    last_modified_date: Some("2026-01-01T00:00:00Z".into()),
                },
                &prior_form,
            )
        };

        // Default: true, and the secret is planned unknown on create.
        let created = plan(&Value::Null, &with(Value::Null));
        assert_eq!(get(&created, attr::CLIENT_SECRET_IN_STATE), &Value::Bool(true));
        assert!(get(&created, attr::CLIENT_SECRET).is_unknown());
        // Off: null on create, and the state built from Cognito's answer holds no secret.
        let created = plan(&Value::Null, &with(Value::Bool(false)));
        assert_eq!(get(&created, attr::CLIENT_SECRET), &Value::Null);
        let hidden = remote(false);
        assert_eq!(get(&hidden, attr::CLIENT_SECRET), &Value::Null);
        assert_eq!(get(&hidden, attr::GENERATE_SECRET), &Value::Bool(true));
        // Unchanged configurations plan the prior state, in either mode.
        assert!(plan(&hidden, &with(Value::Bool(false))).semantically_equal(&hidden));
        let shown = remote(true);
        assert_eq!(get(&shown, attr::CLIENT_SECRET), &Value::string("the-secret"));
        assert!(plan(&shown, &with(Value::Null)).semantically_equal(&shown));
        // Turning it off drops the secret; turning it on reads it back at apply.
        assert_eq!(
            get(&plan(&shown, &with(Value::Bool(false))), attr::CLIENT_SECRET),
            &Value::Null
        );
        assert!(get(&plan(&hidden, &with(Value::Bool(true))), attr::CLIENT_SECRET).is_unknown());
        // A state written before the option existed reads as the default.
        assert!(crate::cognito::user_pool_client::state::secret_in_state(&Value::Null));
    }

    #[test]
    fn planning_is_deterministic() {
        let prior = existing(ClientSettings::with_defaults("app"));
        let mut config = minimal();
        if let Value::Object(attributes) = &mut config {
            attributes.insert(
                attr::TOKEN_VALIDITY_UNITS.into(),
                Value::List(vec![units_value(defaults::UNITS)]),
            );
        }
        assert_eq!(plan(&prior, &config), plan(&prior, &config));
    }
}

//! Planning, as pure functions over values: the plan is the configuration with the default the schema declares
//! written in for every argument left out (Cognito's, so the plan shows the value that will exist, and removing an
//! argument resets it), plus the computed attributes. Nothing here is random or time-dependent, so the apply-time
//! re-plan always equals the reviewed plan.

use std::collections::BTreeMap;

use super::schema::{attr, schema};
use super::state::{block, get};
use crate::tf::value::Value;

/// The planned state for `config` (wholly or partly known) given the `prior` state (null on create).
pub fn plan(prior: &Value, config: &Value) -> Value {
    let Value::Object(mut planned) = schema().block.with_defaults(config) else {
        return config.clone();
    };
    if let Some(Value::List(analytics)) = planned.get_mut(attr::ANALYTICS_CONFIGURATION) {
        plan_role_arns(analytics, block(prior, attr::ANALYTICS_CONFIGURATION));
    }
    plan_validities_left_to_cognito(&mut planned, config, prior);

    // What only Cognito sets: unknown until the client exists; then the prior value, but for the modification
    // date of a client that changes. A new secret exists only after a replacement, which Terraform plans from a
    // null prior.
    let changed = !prior.is_null() && configuration_differs(&planned, prior);
    for name in schema().block.computed_only() {
        let value = if prior.is_null() || (changed && name == attr::LAST_MODIFIED_DATE) {
            Value::unknown()
        } else {
            get(prior, name).clone()
        };
        planned.insert(name.to_string(), value);
    }
    planned.insert(attr::CLIENT_SECRET.to_string(), plan_secret(&planned, prior));
    Value::Object(planned)
}

/// The secret as `client_secret_in_state` asks: null when false or without a secret, the prior one when true,
/// and unknown (read back at apply) when the prior state did not hold it (or there is none yet) but a secret
/// exists or may.
///
/// A prior state that kept the secret keeps what it holds, null included: after a rotation Cognito may report no
/// secret at all, and that must not plan a change on every run.
fn plan_secret(planned: &BTreeMap<String, Value>, prior: &Value) -> Value {
    let in_state = planned.get(attr::CLIENT_SECRET_IN_STATE).unwrap_or(&Value::Null);
    let has_secret = planned.get(attr::GENERATE_SECRET).unwrap_or(&Value::Null);
    let prior_secret = get(prior, attr::CLIENT_SECRET);
    let kept_before = !prior.is_null() && super::state::secret_in_state(prior);
    match (in_state, has_secret) {
        (Value::Bool(false), _) | (_, Value::Bool(false)) => Value::Null,
        (Value::Bool(true), Value::Bool(true)) if !prior_secret.is_null() || kept_before => prior_secret.clone(),
        _ => Value::unknown(),
    }
}

/// Whether applying `planned` would change anything compared with `prior` (sets compared as sets).
pub fn configuration_differs(planned: &BTreeMap<String, Value>, prior: &Value) -> bool {
    let computed_only = |name: &str| schema().block.computed_only().any(|computed| computed == name);
    planned
        .iter()
        .filter(|(name, _)| !computed_only(name))
        .any(|(name, value)| !value.is_wholly_known() || !value.semantically_equal(get(prior, name)))
}

/// An access or ID token validity left out with a unit of days has no default this provider can write (one hour
/// is no whole number of days), so the schema's default is unknown: Cognito decides at apply, and the state records
/// what it reports. While Cognito reports nothing (the prior state holds null) and the unit is known, the plan
/// keeps that null, so an unchanged configuration plans no change.
fn plan_validities_left_to_cognito(planned: &mut BTreeMap<String, Value>, config: &Value, prior: &Value) {
    let units_known = planned
        .get(attr::TOKEN_VALIDITY_UNITS)
        .is_some_and(Value::is_wholly_known);
    for name in [attr::ACCESS_TOKEN_VALIDITY, attr::ID_TOKEN_VALIDITY] {
        let left_to_cognito = get(config, name).is_null() && planned.get(name).is_some_and(Value::is_unknown);
        if left_to_cognito && units_known && !prior.is_null() && get(prior, name).is_null() {
            planned.insert(name.to_string(), Value::Null);
        }
    }
}

/// `role_arn`, when left out with `application_arn`, is Cognito's choice: the prior one while the project stays
/// the same, unknown otherwise.
fn plan_role_arns(analytics: &mut [Value], prior: Option<&Value>) {
    for instance in analytics {
        let Value::Object(fields) = instance else {
            continue;
        };
        let application_arn = fields.get(attr::APPLICATION_ARN).cloned().unwrap_or(Value::Null);
        let role = fields.entry(attr::ROLE_ARN.to_string()).or_insert(Value::Null);
        if role.is_null() && !application_arn.is_null() {
            let same_project = prior.is_some_and(|p| get(p, attr::APPLICATION_ARN) == &application_arn);
            *role = match prior.map(|p| get(p, attr::ROLE_ARN)) {
                Some(prior_role) if same_project && !prior_role.is_null() => prior_role.clone(),
                _ => Value::unknown(),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::user_pool_client::model::{ClientSettings, RemoteClient, TimeUnit, defaults};
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

    /// `minimal()` with a `token_validity_units` block of these access, ID and refresh token units.
    fn minimal_with_units([access, id, refresh]: [Value; 3]) -> Value {
        let units = Value::List(vec![Value::Object(BTreeMap::from([
            (attr::ACCESS_TOKEN.to_string(), access),
            (attr::ID_TOKEN.to_string(), id),
            (attr::REFRESH_TOKEN.to_string(), refresh),
        ]))]);
        let mut with_units = minimal();
        if let Value::Object(attributes) = &mut with_units {
            attributes.insert(attr::TOKEN_VALIDITY_UNITS.into(), units);
        }
        with_units
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
        let with_units = minimal_with_units([Value::string("minutes"), Value::Null, Value::string("hours")]);
        let planned = plan(&Value::Null, &with_units);
        assert_eq!(get(&planned, attr::ACCESS_TOKEN_VALIDITY), &Value::int(60));
        assert_eq!(get(&planned, attr::ID_TOKEN_VALIDITY), &Value::int(1));
        assert_eq!(get(&planned, attr::REFRESH_TOKEN_VALIDITY), &Value::int(720));
        let planned_units = block(&planned, attr::TOKEN_VALIDITY_UNITS).unwrap();
        assert_eq!(get(planned_units, attr::ID_TOKEN), &Value::string("hours"));
    }

    #[test]
    fn unknown_units_make_dependent_defaults_unknown() {
        let with_units = minimal_with_units([Value::unknown(), Value::Null, Value::Null]);
        let planned = plan(&Value::Null, &with_units);
        assert!(get(&planned, attr::ACCESS_TOKEN_VALIDITY).is_unknown());
        assert_eq!(get(&planned, attr::ID_TOKEN_VALIDITY), &Value::int(1));
    }

    #[test]
    fn validities_left_out_in_days_are_left_to_cognito() {
        let config = minimal_with_units([Value::string("days"), Value::string("days"), Value::Null]);
        let planned = plan(&Value::Null, &config);
        assert!(get(&planned, attr::ACCESS_TOKEN_VALIDITY).is_unknown());
        assert!(get(&planned, attr::ID_TOKEN_VALIDITY).is_unknown());
        assert_eq!(get(&planned, attr::REFRESH_TOKEN_VALIDITY), &Value::int(30));
        // Apply sends neither validity: the request leaves them to Cognito.
        let settings = settings_from_value(&planned).expect("the plan is applicable");
        assert_eq!(settings.access_token_validity, None);
        assert_eq!(settings.id_token_validity, None);

        // Cognito reported nothing: the next plan keeps that, and plans no change.
        let mut reported = settings;
        reported.token_validity_units.access_token = TimeUnit::Days;
        reported.token_validity_units.id_token = TimeUnit::Days;
        let prior = existing(reported.clone());
        assert!(get(&prior, attr::ACCESS_TOKEN_VALIDITY).is_null());
        let replanned = plan(&prior, &config);
        assert!(replanned.semantically_equal(&prior), "{replanned:?}");

        // A validity Cognito did report, now left out, is reset: Cognito decides again.
        reported.access_token_validity = Some(2);
        let replanned = plan(&existing(reported), &config);
        assert!(get(&replanned, attr::ACCESS_TOKEN_VALIDITY).is_unknown());
        assert!(get(&replanned, attr::ID_TOKEN_VALIDITY).is_null());
    }

    #[test]
    fn role_arn_left_to_cognito_with_an_application_arn_is_applicable() {
        let analytics = Value::List(vec![Value::Object(BTreeMap::from([
            (
                attr::APPLICATION_ARN.to_string(),
                Value::string("arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef"),
            ),
            (attr::APPLICATION_ID.to_string(), Value::Null),
            (attr::EXTERNAL_ID.to_string(), Value::Null),
            (attr::ROLE_ARN.to_string(), Value::Null),
            (attr::USER_DATA_SHARED.to_string(), Value::Null),
        ]))]);
        let mut config = minimal();
        if let Value::Object(attributes) = &mut config {
            attributes.insert(attr::ANALYTICS_CONFIGURATION.into(), analytics);
        }
        let planned = plan(&Value::Null, &config);
        let planned_analytics = block(&planned, attr::ANALYTICS_CONFIGURATION).unwrap();
        assert!(get(planned_analytics, attr::ROLE_ARN).is_unknown());
        let settings = settings_from_value(&planned).expect("the plan is applicable");
        let sent = settings.analytics_configuration.expect("analytics");
        assert_eq!(sent.role_arn, None, "the role is Cognito's to choose");
        assert!(sent.application_arn.is_some());
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
        settings.access_token_validity = Some(5);
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

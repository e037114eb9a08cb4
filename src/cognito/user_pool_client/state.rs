//! Conversions between the resource's Terraform values and the typed model.
//!
//! Reading keeps the *form* the user chose wherever Cognito's answer means the same thing: a units block left out
//! stays out while Cognito reports its default units, rotation left out stays out while Cognito reports it
//! disabled. Any real difference is reported as it is, so drift shows in the plan.

use std::collections::{BTreeMap, BTreeSet};

use super::schema::{CLIENT_SECRET_IN_STATE_DEFAULT, attr};
use crate::cognito::user_pool_client::model::{
    AnalyticsConfiguration, ClientSettings, RefreshTokenRotation, RemoteClient, TimeUnit, TokenValidityUnits, defaults,
};
use crate::tf::value::Value;
pub(crate) use crate::tf::value::get;

/// The single element of a `list_max_one` block, if present.
pub(crate) fn block<'a>(object: &'a Value, name: &str) -> Option<&'a Value> {
    get(object, name).as_elements().and_then(<[Value]>::first)
}

pub(crate) fn string_set(values: &BTreeSet<String>) -> Value {
    Value::Set(values.iter().map(|v| Value::string(v.clone())).collect())
}

fn optional_string(value: &Option<String>) -> Value {
    value.as_ref().map_or(Value::Null, |v| Value::string(v.clone()))
}

/// Whether `value` (a planned value or a prior state) keeps the secret in state. Absent or null (state written
/// before the option existed, imports, moves) means the default.
pub fn secret_in_state(value: &Value) -> bool {
    get(value, attr::CLIENT_SECRET_IN_STATE)
        .as_bool()
        .unwrap_or(CLIENT_SECRET_IN_STATE_DEFAULT)
}

/// How a member of [`ClientSettings`] appears as an attribute value, both ways.
trait MemberValue: Sized {
    fn to_value(&self) -> Value;

    /// The member from a known value; `name` is the attribute's, for the error.
    fn from_value(name: &str, value: &Value) -> Result<Self, IncompleteValue>;
}

impl MemberValue for String {
    fn to_value(&self) -> Value {
        Value::string(self.clone())
    }

    fn from_value(name: &str, value: &Value) -> Result<String, IncompleteValue> {
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| missing(name, "expected a known string"))
    }
}

impl MemberValue for Option<String> {
    fn to_value(&self) -> Value {
        optional_string(self)
    }

    fn from_value(name: &str, value: &Value) -> Result<Option<String>, IncompleteValue> {
        match value {
            Value::Null => Ok(None),
            Value::String(text) => Ok(Some(text.clone())),
            _ => Err(missing(name, "expected a known string or null")),
        }
    }
}

impl MemberValue for i64 {
    fn to_value(&self) -> Value {
        Value::int(*self)
    }

    fn from_value(name: &str, value: &Value) -> Result<i64, IncompleteValue> {
        value
            .as_i64()
            .ok_or_else(|| missing(name, "expected a known whole number"))
    }
}

/// A number Cognito may choose (see [`ClientSettings::access_token_validity`]): null, or unknown in a plan, leaves
/// it to Cognito and sends nothing.
impl MemberValue for Option<i64> {
    fn to_value(&self) -> Value {
        self.map_or(Value::Null, Value::int)
    }

    fn from_value(name: &str, value: &Value) -> Result<Option<i64>, IncompleteValue> {
        match value {
            Value::Null => Ok(None),
            value if value.is_unknown() => Ok(None),
            value => value
                .as_i64()
                .map(Some)
                .ok_or_else(|| missing(name, "expected a whole number, null or unknown")),
        }
    }
}

impl MemberValue for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }

    fn from_value(name: &str, value: &Value) -> Result<bool, IncompleteValue> {
        value.as_bool().ok_or_else(|| missing(name, "expected a known bool"))
    }
}

impl MemberValue for BTreeSet<String> {
    fn to_value(&self) -> Value {
        string_set(self)
    }

    /// Null reads as the empty set.
    fn from_value(name: &str, value: &Value) -> Result<BTreeSet<String>, IncompleteValue> {
        match value {
            Value::Null => Ok(BTreeSet::new()),
            Value::Set(items) | Value::List(items) => items
                .iter()
                .map(|item| {
                    item.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| missing(name, "expected known strings"))
                })
                .collect(),
            _ => Err(missing(name, "expected a known set of strings")),
        }
    }
}

/// One top-level argument that is a member of [`ClientSettings`]: written into state and read back through the
/// same line of [`MEMBERS`].
struct Member {
    name: &'static str,
    write: fn(&ClientSettings) -> Value,
    read: fn(&Value, &mut ClientSettings) -> Result<(), IncompleteValue>,
}

/// `ATTRIBUTE => member` for each top-level argument held in [`ClientSettings`], in schema order.
macro_rules! members {
    ($($name:ident => $member:ident),* $(,)?) => {
        const MEMBERS: &[Member] = &[$(
            Member {
                name: attr::$name,
                write: |settings| settings.$member.to_value(),
                read: |object, settings| {
                    settings.$member = known(object, attr::$name)?;
                    Ok(())
                },
            },
        )*];
    };
}

members! {
    NAME => name,
    ACCESS_TOKEN_VALIDITY => access_token_validity,
    ID_TOKEN_VALIDITY => id_token_validity,
    REFRESH_TOKEN_VALIDITY => refresh_token_validity,
    AUTH_SESSION_VALIDITY => auth_session_validity,
    ALLOWED_OAUTH_FLOWS => allowed_oauth_flows,
    ALLOWED_OAUTH_FLOWS_USER_POOL_CLIENT => allowed_oauth_flows_user_pool_client,
    ALLOWED_OAUTH_SCOPES => allowed_oauth_scopes,
    CALLBACK_URLS => callback_urls,
    LOGOUT_URLS => logout_urls,
    DEFAULT_REDIRECT_URI => default_redirect_uri,
    ENABLE_TOKEN_REVOCATION => enable_token_revocation,
    ENABLE_PROPAGATE_ADDITIONAL_USER_CONTEXT_DATA => enable_propagate_additional_user_context_data,
    EXPLICIT_AUTH_FLOWS => explicit_auth_flows,
    PREVENT_USER_EXISTENCE_ERRORS => prevent_user_existence_errors,
    READ_ATTRIBUTES => read_attributes,
    WRITE_ATTRIBUTES => write_attributes,
    SUPPORTED_IDENTITY_PROVIDERS => supported_identity_providers,
}

/// The Terraform state for what Cognito reports, keeping `prior`'s form where it means the same.
pub fn state_from_remote(remote: &RemoteClient, prior: &Value) -> Value {
    let settings = &remote.settings;
    let mut state = BTreeMap::new();
    let mut put = |name: &str, value: Value| {
        state.insert(name.to_string(), value);
    };
    put(attr::ID, Value::string(remote.client_id.clone()));
    put(attr::USER_POOL_ID, Value::string(remote.user_pool_id.clone()));
    put(attr::GENERATE_SECRET, Value::Bool(remote.client_secret.is_some()));
    let keep_secret = secret_in_state(prior);
    put(attr::CLIENT_SECRET_IN_STATE, Value::Bool(keep_secret));
    let secret = if keep_secret {
        optional_string(&remote.client_secret)
    } else {
        Value::Null
    };
    put(attr::CLIENT_SECRET, secret);
    for member in MEMBERS {
        put(member.name, (member.write)(settings));
    }
    put(attr::INITIAL_SECRET_ID, get(prior, attr::INITIAL_SECRET_ID).clone());
    put(attr::CLIENT_SECRET_WO, Value::Null);
    put(attr::CREATION_DATE, optional_string(&remote.creation_date));
    put(attr::LAST_MODIFIED_DATE, optional_string(&remote.last_modified_date));

    let units = settings.token_validity_units;
    let units_block = if block(prior, attr::TOKEN_VALIDITY_UNITS).is_none() && units == defaults::UNITS {
        Vec::new()
    } else {
        vec![units_value(units)]
    };
    put(attr::TOKEN_VALIDITY_UNITS, Value::List(units_block));

    let analytics = settings.analytics_configuration.as_ref().map(analytics_value);
    put(
        attr::ANALYTICS_CONFIGURATION,
        Value::List(analytics.into_iter().collect()),
    );

    let prior_rotation = block(prior, attr::REFRESH_TOKEN_ROTATION);
    let rotation = &settings.refresh_token_rotation;
    let rotation_block = if prior_rotation.is_none() && rotation.is_default() {
        Vec::new()
    } else {
        // A grace period of 0 reads back the same as one never set; keep the prior's form.
        let prior_grace_unset = prior_rotation.is_some_and(|b| get(b, attr::RETRY_GRACE_PERIOD_SECONDS).is_null());
        let grace = match rotation.retry_grace_period_seconds {
            Some(0) if prior_grace_unset => Value::Null,
            Some(seconds) => Value::int(seconds),
            None => Value::Null,
        };
        vec![Value::Object(BTreeMap::from([
            (attr::FEATURE.to_string(), Value::string(rotation.feature.clone())),
            (attr::RETRY_GRACE_PERIOD_SECONDS.to_string(), grace),
        ]))]
    };
    put(attr::REFRESH_TOKEN_ROTATION, Value::List(rotation_block));
    Value::Object(state)
}

pub(crate) fn units_value(units: TokenValidityUnits) -> Value {
    Value::Object(BTreeMap::from([
        (
            attr::ACCESS_TOKEN.to_string(),
            Value::string(units.access_token.as_str()),
        ),
        (attr::ID_TOKEN.to_string(), Value::string(units.id_token.as_str())),
        (
            attr::REFRESH_TOKEN.to_string(),
            Value::string(units.refresh_token.as_str()),
        ),
    ]))
}

fn analytics_value(analytics: &AnalyticsConfiguration) -> Value {
    Value::Object(BTreeMap::from([
        (
            attr::APPLICATION_ARN.to_string(),
            optional_string(&analytics.application_arn),
        ),
        (
            attr::APPLICATION_ID.to_string(),
            optional_string(&analytics.application_id),
        ),
        (attr::EXTERNAL_ID.to_string(), optional_string(&analytics.external_id)),
        (attr::ROLE_ARN.to_string(), optional_string(&analytics.role_arn)),
        (
            attr::USER_DATA_SHARED.to_string(),
            Value::Bool(analytics.user_data_shared),
        ),
    ]))
}

/// Why a planned or stored value cannot become settings. Only a provider bug (or a hand-edited state) gets here:
/// plans are complete and known by construction when apply runs.
#[derive(Debug, thiserror::Error)]
#[error("{attribute}: {problem}")]
pub struct IncompleteValue {
    pub attribute: String,
    pub problem: &'static str,
}

fn missing(attribute: &str, problem: &'static str) -> IncompleteValue {
    IncompleteValue {
        attribute: attribute.to_string(),
        problem,
    }
}

/// Attribute `name` of `object`, known.
fn known<T: MemberValue>(object: &Value, name: &str) -> Result<T, IncompleteValue> {
    T::from_value(name, get(object, name))
}

fn known_unit(object: &Value, name: &str) -> Result<TimeUnit, IncompleteValue> {
    let text: String = known(object, name)?;
    TimeUnit::parse(&text).ok_or_else(|| missing(name, "expected seconds, minutes, hours or days"))
}

/// The settings a planned (or stored) value describes. Every attribute must be known.
pub fn settings_from_value(value: &Value) -> Result<ClientSettings, IncompleteValue> {
    let token_validity_units = match block(value, attr::TOKEN_VALIDITY_UNITS) {
        None => defaults::UNITS,
        Some(units) => TokenValidityUnits {
            access_token: known_unit(units, attr::ACCESS_TOKEN)?,
            id_token: known_unit(units, attr::ID_TOKEN)?,
            refresh_token: known_unit(units, attr::REFRESH_TOKEN)?,
        },
    };
    let analytics_configuration = match block(value, attr::ANALYTICS_CONFIGURATION) {
        None => None,
        Some(analytics) => Some(AnalyticsConfiguration {
            application_arn: known(analytics, attr::APPLICATION_ARN)?,
            application_id: known(analytics, attr::APPLICATION_ID)?,
            external_id: known(analytics, attr::EXTERNAL_ID)?,
            // Left out with application_arn, the role is Cognito's choice (its service-linked role): planned
            // unknown, sent as absent, and read back from Cognito's answer.
            role_arn: match get(analytics, attr::ROLE_ARN) {
                role if role.is_unknown() && get(analytics, attr::APPLICATION_ARN).as_str().is_some() => None,
                _ => known(analytics, attr::ROLE_ARN)?,
            },
            user_data_shared: get(analytics, attr::USER_DATA_SHARED)
                .as_bool()
                .unwrap_or(defaults::USER_DATA_SHARED),
        }),
    };
    let refresh_token_rotation = match block(value, attr::REFRESH_TOKEN_ROTATION) {
        None => RefreshTokenRotation {
            feature: defaults::ROTATION_DISABLED.to_string(),
            retry_grace_period_seconds: None,
        },
        Some(rotation) => RefreshTokenRotation {
            feature: known(rotation, attr::FEATURE)?,
            retry_grace_period_seconds: match get(rotation, attr::RETRY_GRACE_PERIOD_SECONDS) {
                Value::Null => None,
                other => Some(
                    other
                        .as_i64()
                        .ok_or_else(|| missing(attr::RETRY_GRACE_PERIOD_SECONDS, "expected a whole number"))?,
                ),
            },
        },
    };
    // Every member is overwritten: by the blocks above and by the arguments below.
    let mut settings = ClientSettings {
        token_validity_units,
        analytics_configuration,
        refresh_token_rotation,
        ..ClientSettings::with_defaults(String::new())
    };
    for member in MEMBERS {
        (member.read)(value, &mut settings)?;
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::user_pool_client::schema::schema;
    use crate::tf::msgpack;

    fn remote(settings: ClientSettings) -> RemoteClient {
        RemoteClient {
            user_pool_id: "us-east-1_pool".into(),
            client_id: "client1".into(),
            client_secret: None,
            settings,
            creation_date: None,
            last_modified_date: None,
        }
    }

    #[test]
    fn default_forms_read_back_as_absent_blocks() {
        let state = state_from_remote(&remote(ClientSettings::with_defaults("app")), &Value::Null);
        assert_eq!(get(&state, attr::TOKEN_VALIDITY_UNITS), &Value::List(vec![]));
        assert_eq!(get(&state, attr::REFRESH_TOKEN_ROTATION), &Value::List(vec![]));
        assert_eq!(get(&state, attr::GENERATE_SECRET), &Value::Bool(false));
        // The state is a complete value of the schema's type.
        msgpack::encode(&state, schema().value_type()).expect("complete state");
    }

    #[test]
    fn configured_default_units_stay_configured() {
        let prior = state_from_remote(&remote(ClientSettings::with_defaults("app")), &Value::Null);
        let mut with_block = prior.clone();
        if let Value::Object(attributes) = &mut with_block {
            attributes.insert(
                attr::TOKEN_VALIDITY_UNITS.into(),
                Value::List(vec![units_value(defaults::UNITS)]),
            );
        }
        let state = state_from_remote(&remote(ClientSettings::with_defaults("app")), &with_block);
        assert_eq!(
            block(&state, attr::TOKEN_VALIDITY_UNITS),
            Some(&units_value(defaults::UNITS))
        );
    }

    #[test]
    fn non_default_remote_values_show_as_drift() {
        let mut settings = ClientSettings::with_defaults("app");
        settings.token_validity_units.access_token = TimeUnit::Minutes;
        settings.refresh_token_rotation.feature = "ENABLED".into();
        let state = state_from_remote(&remote(settings), &Value::Null);
        assert!(block(&state, attr::TOKEN_VALIDITY_UNITS).is_some());
        assert!(block(&state, attr::REFRESH_TOKEN_ROTATION).is_some());
    }

    #[test]
    fn settings_round_trip_through_state() {
        let mut settings = ClientSettings::with_defaults("app");
        settings.callback_urls = ["https://example.com/cb".to_string()].into();
        settings.analytics_configuration = Some(AnalyticsConfiguration {
            application_arn: None,
            application_id: Some("abc123".into()),
            external_id: Some("ext".into()),
            role_arn: Some("arn:aws:iam::123456789012:role/pinpoint".into()),
            user_data_shared: true,
        });
        settings.refresh_token_rotation = RefreshTokenRotation {
            feature: "ENABLED".into(),
            retry_grace_period_seconds: Some(30),
        };
        let state = state_from_remote(&remote(settings.clone()), &Value::Null);
        assert_eq!(settings_from_value(&state).unwrap(), settings);
    }

    #[test]
    fn every_argument_kept_in_the_settings_has_a_member_line() {
        use crate::tf::schema::Presence;
        // The custom secret is sent once, at create, and never kept (see the secrets module).
        let not_settings = [
            attr::USER_POOL_ID,
            attr::GENERATE_SECRET,
            attr::CLIENT_SECRET_IN_STATE,
            attr::CLIENT_SECRET_WO,
        ];
        let arguments: Vec<&str> = schema()
            .block
            .attributes
            .iter()
            .filter(|a| a.presence != Presence::Computed && !not_settings.contains(&a.name))
            .map(|a| a.name)
            .collect();
        let members: Vec<&str> = MEMBERS.iter().map(|member| member.name).collect();
        assert_eq!(members, arguments);
    }

    #[test]
    fn unknown_values_are_reported() {
        let mut state = state_from_remote(&remote(ClientSettings::with_defaults("app")), &Value::Null);
        if let Value::Object(attributes) = &mut state {
            attributes.insert(attr::NAME.into(), Value::unknown());
        }
        assert_eq!(settings_from_value(&state).unwrap_err().attribute, "name");
    }
}

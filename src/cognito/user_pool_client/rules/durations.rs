//! Token lifetimes. A validity number means nothing without its unit, so each is judged as value × unit (the unit
//! from `token_validity_units`, or Cognito's default unit when left out), the way Cognito judges it
//! (hashicorp/terraform-provider-aws#30433, #17514).

use super::view::{Known, at, field, in_block, number, token_unit};
use crate::cognito::user_pool_client::model::{TimeUnit, defaults};
use crate::cognito::user_pool_client::schema::attr;
use crate::tf::diagnostics::{AttributePath, Diagnostic, Diagnostics};
use crate::tf::value::{Number, Value};

const MINUTE: i64 = 60;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// One token validity and the durations Cognito accepts for it.
struct TokenLifetime {
    attribute: &'static str,
    unit_field: &'static str,
    default_unit: TimeUnit,
    min_seconds: i64,
    max_seconds: i64,
    /// The range in words, for the error detail.
    range: &'static str,
}

const TOKEN_LIFETIMES: [TokenLifetime; 3] = [
    TokenLifetime {
        attribute: attr::ACCESS_TOKEN_VALIDITY,
        unit_field: attr::ACCESS_TOKEN,
        default_unit: defaults::UNITS.access_token,
        min_seconds: 5 * MINUTE,
        max_seconds: DAY,
        range: "5 minutes to 1 day",
    },
    TokenLifetime {
        attribute: attr::ID_TOKEN_VALIDITY,
        unit_field: attr::ID_TOKEN,
        default_unit: defaults::UNITS.id_token,
        min_seconds: 5 * MINUTE,
        max_seconds: DAY,
        range: "5 minutes to 1 day",
    },
    TokenLifetime {
        attribute: attr::REFRESH_TOKEN_VALIDITY,
        unit_field: attr::REFRESH_TOKEN,
        default_unit: defaults::UNITS.refresh_token,
        min_seconds: HOUR,
        max_seconds: 3_650 * DAY,
        range: "60 minutes to 10 years (3650 days)",
    },
];

pub const AUTH_SESSION_MINUTES: (i64, i64) = (3, 15);
pub const RETRY_GRACE_PERIOD_SECONDS: (i64, i64) = (0, 60);

pub fn check(config: &Value, diagnostics: &mut Diagnostics) {
    for lifetime in &TOKEN_LIFETIMES {
        check_token_lifetime(config, lifetime, diagnostics);
    }
    if let Known::Value(minutes) = number(field(config, attr::AUTH_SESSION_VALIDITY)) {
        check_plain_range(
            minutes,
            AUTH_SESSION_MINUTES,
            "minutes",
            at(attr::AUTH_SESSION_VALIDITY),
            diagnostics,
        );
    }
    if let Some(rotation) = field(config, attr::REFRESH_TOKEN_ROTATION)
        .as_elements()
        .and_then(<[Value]>::first)
        && let Known::Value(seconds) = number(field(rotation, attr::RETRY_GRACE_PERIOD_SECONDS))
    {
        check_plain_range(
            seconds,
            RETRY_GRACE_PERIOD_SECONDS,
            "seconds",
            in_block(attr::REFRESH_TOKEN_ROTATION, attr::RETRY_GRACE_PERIOD_SECONDS),
            diagnostics,
        );
    }
}

fn not_whole(path: AttributePath, value: &Number) -> Diagnostic {
    Diagnostic::error(
        format!("Invalid {path}"),
        format!("{value} is not a whole number; Cognito takes whole numbers here."),
    )
    .at(path)
}

fn check_token_lifetime(config: &Value, lifetime: &TokenLifetime, diagnostics: &mut Diagnostics) {
    let path = at(lifetime.attribute);
    let Known::Value(value) = number(field(config, lifetime.attribute)) else {
        return;
    };
    if !value.is_integer() {
        diagnostics.push(not_whole(path, value));
        return;
    }
    if lifetime.attribute == attr::REFRESH_TOKEN_VALIDITY && value.to_i64() == Some(0) {
        diagnostics.push(
            Diagnostic::error(
                "Refresh token validity of 0",
                format!(
                    "Cognito does not keep 0: it silently stores its default of 30 days instead, so the client \
                     would never match this configuration. Leave refresh_token_validity out for the default, or \
                     give a duration of {}.",
                    lifetime.range
                ),
            )
            .at(path),
        );
        return;
    }
    let Some(unit) = token_unit(config, lifetime.unit_field, lifetime.default_unit) else {
        return;
    };
    let seconds = value.to_i64().and_then(|count| count.checked_mul(unit.seconds()));
    let in_range = seconds.is_some_and(|seconds| (lifetime.min_seconds..=lifetime.max_seconds).contains(&seconds));
    if in_range {
        return;
    }
    let smallest = (lifetime.min_seconds + unit.seconds() - 1) / unit.seconds();
    let largest = lifetime.max_seconds / unit.seconds();
    let allowed = if smallest <= largest {
        format!("in {unit}, that is {smallest} to {largest}")
    } else {
        format!("no whole number of {unit} is in that range")
    };
    diagnostics.push(
        Diagnostic::error(
            format!("{} out of range", lifetime.attribute),
            format!(
                "{value} {unit} is outside the allowed {} ({allowed}). The unit comes from \
                 token_validity_units.{} (default: {}).",
                lifetime.range, lifetime.unit_field, lifetime.default_unit
            ),
        )
        .at(path),
    );
}

fn check_plain_range(
    value: &Number,
    (min, max): (i64, i64),
    unit: &str,
    path: AttributePath,
    diagnostics: &mut Diagnostics,
) {
    if !value.is_integer() {
        diagnostics.push(not_whole(path, value));
        return;
    }
    if !value.to_i64().is_some_and(|value| (min..=max).contains(&value)) {
        diagnostics.push(
            Diagnostic::error(
                format!("{path} out of range"),
                format!("{value} {unit} is not allowed; give {min} to {max} {unit}."),
            )
            .at(path),
        );
    }
}

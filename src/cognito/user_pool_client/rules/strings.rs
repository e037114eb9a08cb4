//! Names and enumerations. Cognito's API patterns are unanchored (`[\w\s+=,.@-]+` accepts any string holding
//! one allowed character), so the checks here are anchored: every character must be allowed.

use std::collections::BTreeSet;

use super::view::{Known, at, field, in_block, known_elements, string};
use crate::cognito::user_pool_client::schema::attr;
use crate::tf::diagnostics::{Diagnostic, Diagnostics};
use crate::tf::value::Value;

/// The explicit auth flows Cognito accepts (API version 2016-04-18).
pub const AUTH_FLOWS: [&str; 11] = [
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
    "ALLOW_TOKEN_EXCHANGE_DELEGATION",
    "ALLOW_TOKEN_EXCHANGE_IMPERSONATION",
];
pub const OAUTH_FLOWS: [&str; 3] = ["code", "implicit", "client_credentials"];
pub const PREVENT_USER_EXISTENCE_ERRORS: [&str; 2] = ["LEGACY", "ENABLED"];
pub const TIME_UNITS: [&str; 4] = ["seconds", "minutes", "hours", "days"];
pub const ROTATION_FEATURES: [&str; 2] = ["ENABLED", "DISABLED"];

const NAME_MAX_CHARACTERS: usize = 128;
const IDENTITY_PROVIDER_MAX_CHARACTERS: usize = 32;
const USER_ATTRIBUTE_MAX_CHARACTERS: usize = 2048;
/// A user pool has at most 50 custom attributes, a quota Cognito does not raise, so a client can read or write at
/// most 50 attributes besides the standard ones.
pub const MAX_CUSTOM_ATTRIBUTES: usize = 50;
/// The standard attributes of every user pool (OpenID Connect's claims, plus `sub` and `identities`). Names not
/// listed here can only be custom attributes (`custom:...`, or `dev:custom:...` for developer-only ones).
const STANDARD_ATTRIBUTES: [&str; 21] = [
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "identities",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "sub",
    "updated_at",
    "website",
    "zoneinfo",
];

pub fn check(config: &Value, diagnostics: &mut Diagnostics) {
    check_user_pool_id(config, diagnostics);
    check_name(config, diagnostics);
    check_enum_set(config, attr::EXPLICIT_AUTH_FLOWS, &AUTH_FLOWS, diagnostics);
    check_enum_set(config, attr::ALLOWED_OAUTH_FLOWS, &OAUTH_FLOWS, diagnostics);
    if let Known::Value(text) = string(field(config, attr::PREVENT_USER_EXISTENCE_ERRORS)) {
        check_enum(
            text,
            &PREVENT_USER_EXISTENCE_ERRORS,
            at(attr::PREVENT_USER_EXISTENCE_ERRORS),
            diagnostics,
        );
    }
    if let Some(units) = field(config, attr::TOKEN_VALIDITY_UNITS)
        .as_elements()
        .and_then(<[Value]>::first)
    {
        for unit in [attr::ACCESS_TOKEN, attr::ID_TOKEN, attr::REFRESH_TOKEN] {
            if let Known::Value(text) = string(field(units, unit)) {
                check_enum(
                    text,
                    &TIME_UNITS,
                    in_block(attr::TOKEN_VALIDITY_UNITS, unit),
                    diagnostics,
                );
            }
        }
    }
    if let Some(rotation) = field(config, attr::REFRESH_TOKEN_ROTATION)
        .as_elements()
        .and_then(<[Value]>::first)
        && let Known::Value(text) = string(field(rotation, attr::FEATURE))
    {
        check_enum(
            text,
            &ROTATION_FEATURES,
            in_block(attr::REFRESH_TOKEN_ROTATION, attr::FEATURE),
            diagnostics,
        );
    }
    check_lengths(
        config,
        attr::SUPPORTED_IDENTITY_PROVIDERS,
        IDENTITY_PROVIDER_MAX_CHARACTERS,
        diagnostics,
    );
    check_lengths(
        config,
        attr::READ_ATTRIBUTES,
        USER_ATTRIBUTE_MAX_CHARACTERS,
        diagnostics,
    );
    check_lengths(
        config,
        attr::WRITE_ATTRIBUTES,
        USER_ATTRIBUTE_MAX_CHARACTERS,
        diagnostics,
    );
    for name in [attr::READ_ATTRIBUTES, attr::WRITE_ATTRIBUTES] {
        check_custom_attribute_count(config, name, diagnostics);
    }
}

/// More attributes than a user pool can have cannot all exist: Cognito would refuse the client at apply.
fn check_custom_attribute_count(config: &Value, name: &str, diagnostics: &mut Diagnostics) {
    let custom: BTreeSet<&str> = known_elements(field(config, name))
        .into_iter()
        .filter(|attribute| !STANDARD_ATTRIBUTES.contains(attribute))
        .collect();
    if custom.len() > MAX_CUSTOM_ATTRIBUTES {
        diagnostics.push(
            Diagnostic::error(
                format!("Too many {name}"),
                format!(
                    "{} custom attributes are configured; a user pool has at most {MAX_CUSTOM_ATTRIBUTES}, so a \
                     client can be given at most {MAX_CUSTOM_ATTRIBUTES} besides the standard attributes.",
                    custom.len()
                ),
            )
            .at(at(name)),
        );
    }
}

/// A character of Cognito's client-name set `[\w\s+=,.@-]` (Java regex classes, so ASCII only).
fn is_name_character(character: char) -> bool {
    character.is_ascii_alphanumeric() || character.is_ascii_whitespace() || "_+=,.@-".contains(character)
}

fn check_user_pool_id(config: &Value, diagnostics: &mut Diagnostics) {
    if let Known::Value(id) = string(field(config, attr::USER_POOL_ID))
        && let Err(detail) = crate::cognito::user_pool_id::check_syntax(id)
    {
        diagnostics.push(Diagnostic::error("Invalid user pool ID", detail).at(at(attr::USER_POOL_ID)));
    }
}

fn check_name(config: &Value, diagnostics: &mut Diagnostics) {
    let Known::Value(name) = string(field(config, attr::NAME)) else {
        return;
    };
    let length = name.chars().count();
    let detail = if length == 0 {
        Some("The name is empty.".to_string())
    } else if length > NAME_MAX_CHARACTERS {
        Some(format!("The name has {length} characters."))
    } else {
        name.chars()
            .find(|character| !is_name_character(*character))
            .map(|bad| format!("The name contains {bad:?}."))
    };
    if let Some(detail) = detail {
        diagnostics.push(
            Diagnostic::error(
                "Invalid app client name",
                format!(
                    "{detail} A name is 1 to {NAME_MAX_CHARACTERS} characters, each a letter, digit, space or one \
                     of _ + = , . @ -"
                ),
            )
            .at(at(attr::NAME)),
        );
    }
}

fn check_enum(
    text: &str,
    allowed: &[&str],
    path: crate::tf::diagnostics::AttributePath,
    diagnostics: &mut Diagnostics,
) {
    if !allowed.contains(&text) {
        diagnostics.push(
            Diagnostic::error(
                format!("Invalid value for {path}"),
                format!("{text:?} is not allowed here. Allowed values: {}.", allowed.join(", ")),
            )
            .at(path),
        );
    }
}

fn check_enum_set(config: &Value, name: &str, allowed: &[&str], diagnostics: &mut Diagnostics) {
    for element in known_elements(field(config, name)) {
        check_enum(element, allowed, at(name), diagnostics);
    }
}

fn check_lengths(config: &Value, name: &str, max: usize, diagnostics: &mut Diagnostics) {
    for element in known_elements(field(config, name)) {
        let length = element.chars().count();
        if length == 0 || length > max {
            diagnostics.push(
                Diagnostic::error(
                    format!("Invalid element of {name}"),
                    format!("{element:?} has {length} characters; each element has 1 to {max}."),
                )
                .at(at(name)),
            );
        }
    }
}

//! The provider's own types for app-client secrets, as the three Cognito operations speak of them:
//! AddUserPoolClientSecret answers an [`AddedSecret`], ListUserPoolClientSecrets a [`SecretList`] of
//! [`SecretDescriptor`]s (never values), DeleteUserPoolClientSecret nothing.

use std::time::SystemTime;

/// A secret's value. Never shown by `Debug`, so it cannot leak through logs or error reports.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretValue(String);

impl SecretValue {
    pub fn new(value: impl Into<String>) -> SecretValue {
        SecretValue(value.into())
    }

    /// The value itself, for the one place that must hand it on (the state, an ephemeral result, a request).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// One active secret of an app client: its ID (`<client-id>--<epoch>`, treated as opaque) and when it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretDescriptor {
    pub secret_id: String,
    pub created: Option<SystemTime>,
}

impl SecretDescriptor {
    /// The creation date as the state shows it (RFC 3339, whole seconds), when Cognito reported one.
    pub fn creation_date(&self) -> Option<String> {
        let created = aws_smithy_types::DateTime::from(self.created?);
        aws_smithy_types::DateTime::from_secs(created.secs())
            .fmt(aws_smithy_types::date_time::Format::DateTime)
            .ok()
    }
}

/// What AddUserPoolClientSecret made: the value only when Cognito generated it (a custom value is never returned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedSecret {
    pub descriptor: SecretDescriptor,
    pub value: Option<SecretValue>,
}

/// The active secrets of one app client, oldest first (Cognito keeps at most [`SecretList::MAX_ACTIVE`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecretList(Vec<SecretDescriptor>);

impl SecretList {
    /// How many secrets Cognito keeps active per app client.
    pub const MAX_ACTIVE: usize = 2;

    /// Sorts by creation date (undated last), then by ID, so "the newest" is well defined.
    pub fn new(mut secrets: Vec<SecretDescriptor>) -> SecretList {
        secrets.sort_by(|a, b| {
            let undated_last = |s: &SecretDescriptor| (s.created.is_none(), s.created);
            undated_last(a)
                .cmp(&undated_last(b))
                .then_with(|| a.secret_id.cmp(&b.secret_id))
        });
        SecretList(secrets)
    }

    pub fn secrets(&self) -> &[SecretDescriptor] {
        &self.0
    }

    pub fn find(&self, secret_id: &str) -> Option<&SecretDescriptor> {
        self.0.iter().find(|secret| secret.secret_id == secret_id)
    }

    /// The most recently created secret: the one DescribeUserPoolClient is taken to report.
    pub fn newest(&self) -> Option<&SecretDescriptor> {
        self.0
            .iter()
            .rev()
            .find(|secret| secret.created.is_some())
            .or(self.0.last())
    }

    /// A confidential client has at least one secret; a public client has none.
    pub fn is_confidential(&self) -> bool {
        !self.0.is_empty()
    }

    pub fn is_full(&self) -> bool {
        self.0.len() >= Self::MAX_ACTIVE
    }

    /// The IDs with their creation dates, for messages: `A (created 2026-01-01T00:00:00Z), B`.
    pub fn describe(&self) -> String {
        if self.0.is_empty() {
            return "none".to_string();
        }
        self.0
            .iter()
            .map(|secret| match secret.creation_date() {
                Some(date) => format!("{} (created {date})", secret.secret_id),
                None => secret.secret_id.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Why Cognito would refuse a custom secret (AddUserPoolClientSecret and CreateUserPoolClient take 24 to 64
/// characters of `[\w+]`, where `\w` is an ASCII letter, digit or underscore).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CustomSecretProblem {
    #[error("it has {0} characters; Cognito takes 24 to 64")]
    Length(usize),
    #[error("it may contain only ASCII letters, digits, `_` and `+`")]
    Characters,
}

/// Checks a custom secret against Cognito's rules. The problem never quotes the value.
pub fn check_custom_secret(value: &str) -> Result<(), CustomSecretProblem> {
    let length = value.chars().count();
    if !(24..=64).contains(&length) {
        return Err(CustomSecretProblem::Length(length));
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'+')
    {
        return Err(CustomSecretProblem::Characters);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn at(secret_id: &str, secs: Option<u64>) -> SecretDescriptor {
        SecretDescriptor {
            secret_id: secret_id.to_string(),
            created: secs.map(|secs| SystemTime::UNIX_EPOCH + Duration::from_secs(secs)),
        }
    }

    #[test]
    fn values_never_show_in_debug() {
        let added = AddedSecret {
            descriptor: at("c--1", Some(1)),
            value: Some(SecretValue::new("do-not-print-this-secret-value")),
        };
        assert!(!format!("{added:?}").contains("do-not-print"));
        assert_eq!(added.value.unwrap().expose(), "do-not-print-this-secret-value");
    }

    #[test]
    fn the_list_is_oldest_first_and_knows_the_newest() {
        let list = SecretList::new(vec![at("c--3", Some(3)), at("c--x", None), at("c--1", Some(1))]);
        let ids: Vec<&str> = list.secrets().iter().map(|s| s.secret_id.as_str()).collect();
        assert_eq!(ids, ["c--1", "c--3", "c--x"]);
        assert_eq!(list.newest().unwrap().secret_id, "c--3");
        assert!(list.is_confidential() && list.is_full());
        assert_eq!(list.find("c--1"), Some(&at("c--1", Some(1))));
        assert!(!SecretList::default().is_confidential());
        assert_eq!(SecretList::default().newest(), None);
        assert_eq!(
            SecretList::new(vec![at("c--1767225600", Some(1_767_225_600))]).describe(),
            "c--1767225600 (created 2026-01-01T00:00:00Z)"
        );
    }

    #[test]
    fn custom_secrets_follow_cognitos_rules() {
        assert_eq!(check_custom_secret(&"a".repeat(24)), Ok(()));
        assert_eq!(check_custom_secret(&"Z9_+".repeat(16)), Ok(()));
        assert_eq!(
            check_custom_secret(&"a".repeat(23)),
            Err(CustomSecretProblem::Length(23))
        );
        assert_eq!(
            check_custom_secret(&"a".repeat(65)),
            Err(CustomSecretProblem::Length(65))
        );
        for bad in [
            "with space in it for sure ok",
            "dash-is-not-allowed-here-x",
            "ünïcödé_letters_are_not_ok",
        ] {
            assert_eq!(check_custom_secret(bad), Err(CustomSecretProblem::Characters), "{bad}");
        }
    }
}

//! Typed app-client settings, and Cognito's defaults in one place.
//!
//! [`ClientSettings`] is the complete desired configuration of one app client: every member that Create and
//! Update accept. Because UpdateUserPoolClient resets whatever a request leaves out, the API layer always sends
//! all of it. [`RemoteClient`] is what DescribeUserPoolClient (or Create/Update) says exists, with the server's
//! defaults filled in where the response leaves members out, so that "left out" and "default" compare equal.

use std::collections::BTreeSet;
use std::fmt;

/// `seconds | minutes | hours | days`: the unit of a token validity number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimeUnit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

impl TimeUnit {
    pub const ALL: [TimeUnit; 4] = [TimeUnit::Seconds, TimeUnit::Minutes, TimeUnit::Hours, TimeUnit::Days];

    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Seconds => "seconds",
            TimeUnit::Minutes => "minutes",
            TimeUnit::Hours => "hours",
            TimeUnit::Days => "days",
        }
    }

    pub fn parse(text: &str) -> Option<TimeUnit> {
        TimeUnit::ALL.into_iter().find(|unit| unit.as_str() == text)
    }

    pub fn seconds(self) -> i64 {
        match self {
            TimeUnit::Seconds => 1,
            TimeUnit::Minutes => 60,
            TimeUnit::Hours => 3_600,
            TimeUnit::Days => 86_400,
        }
    }

    /// `duration_seconds` expressed in this unit, when it divides evenly.
    pub fn express(self, duration_seconds: i64) -> Option<i64> {
        (duration_seconds % self.seconds() == 0).then(|| duration_seconds / self.seconds())
    }
}

impl fmt::Display for TimeUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenValidityUnits {
    pub access_token: TimeUnit,
    pub id_token: TimeUnit,
    pub refresh_token: TimeUnit,
}

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AnalyticsConfiguration {
    pub application_arn: Option<String>,
    pub application_id: Option<String>,
    pub external_id: Option<String>,
    pub role_arn: Option<String>,
    pub user_data_shared: bool,
}

impl fmt::Debug for AnalyticsConfiguration {
    /// External IDs are shared secrets between accounts: keep them out of debug output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AnalyticsConfiguration")
            .field("application_arn", &self.application_arn)
            .field("application_id", &self.application_id)
            .field("external_id", &self.external_id.as_ref().map(|_| "<redacted>"))
            .field("role_arn", &self.role_arn)
            .field("user_data_shared", &self.user_data_shared)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RefreshTokenRotation {
    /// `ENABLED` or `DISABLED`.
    pub feature: String,
    pub retry_grace_period_seconds: Option<i64>,
}

impl RefreshTokenRotation {
    /// What Cognito reports for a client that never enabled rotation; means the same as no block at all.
    pub fn is_default(&self) -> bool {
        self.feature == defaults::ROTATION_DISABLED && self.retry_grace_period_seconds.unwrap_or(0) == 0
    }
}

/// Every setting of an app client that Create / Update accept. Sets are sorted, so requests are deterministic.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSettings {
    pub name: String,
    /// `None` leaves the access and ID token validity to Cognito: nothing is sent, and what Cognito then reports
    /// (nothing, while never set) is recorded. Its default of one hour has no whole number of days, so a validity
    /// left out with a unit of days is Cognito's choice, never one this provider invents.
    pub access_token_validity: Option<i64>,
    pub id_token_validity: Option<i64>,
    pub refresh_token_validity: i64,
    pub auth_session_validity: i64,
    pub token_validity_units: TokenValidityUnits,
    pub allowed_oauth_flows: BTreeSet<String>,
    pub allowed_oauth_flows_user_pool_client: bool,
    pub allowed_oauth_scopes: BTreeSet<String>,
    pub callback_urls: BTreeSet<String>,
    pub logout_urls: BTreeSet<String>,
    pub default_redirect_uri: Option<String>,
    pub enable_token_revocation: bool,
    pub enable_propagate_additional_user_context_data: bool,
    pub explicit_auth_flows: BTreeSet<String>,
    pub prevent_user_existence_errors: String,
    pub read_attributes: BTreeSet<String>,
    pub write_attributes: BTreeSet<String>,
    pub supported_identity_providers: BTreeSet<String>,
    pub analytics_configuration: Option<AnalyticsConfiguration>,
    pub refresh_token_rotation: RefreshTokenRotation,
}

impl fmt::Debug for ClientSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientSettings")
            .field("name", &self.name)
            .field("access_token_validity", &self.access_token_validity)
            .field("id_token_validity", &self.id_token_validity)
            .field("refresh_token_validity", &self.refresh_token_validity)
            .field("auth_session_validity", &self.auth_session_validity)
            .field("token_validity_units", &self.token_validity_units)
            .field("allowed_oauth_flows", &self.allowed_oauth_flows)
            .field(
                "allowed_oauth_flows_user_pool_client",
                &self.allowed_oauth_flows_user_pool_client,
            )
            .field("allowed_oauth_scopes", &self.allowed_oauth_scopes)
            .field("callback_urls", &self.callback_urls)
            .field("logout_urls", &self.logout_urls)
            .field("default_redirect_uri", &self.default_redirect_uri)
            .field("enable_token_revocation", &self.enable_token_revocation)
            .field(
                "enable_propagate_additional_user_context_data",
                &self.enable_propagate_additional_user_context_data,
            )
            .field("explicit_auth_flows", &self.explicit_auth_flows)
            .field("prevent_user_existence_errors", &self.prevent_user_existence_errors)
            .field("read_attributes", &self.read_attributes)
            .field("write_attributes", &self.write_attributes)
            .field("supported_identity_providers", &self.supported_identity_providers)
            .field("analytics_configuration", &self.analytics_configuration)
            .field("refresh_token_rotation", &self.refresh_token_rotation)
            .finish()
    }
}

impl ClientSettings {
    /// A client with only a name: what Cognito creates when every other member is left out.
    pub fn with_defaults(name: impl Into<String>) -> ClientSettings {
        let units = defaults::UNITS;
        ClientSettings {
            name: name.into(),
            access_token_validity: defaults::access_token_validity(units.access_token),
            id_token_validity: defaults::id_token_validity(units.id_token),
            refresh_token_validity: defaults::refresh_token_validity(units.refresh_token),
            auth_session_validity: defaults::AUTH_SESSION_VALIDITY,
            token_validity_units: units,
            allowed_oauth_flows: BTreeSet::new(),
            allowed_oauth_flows_user_pool_client: defaults::ALLOWED_OAUTH_FLOWS_USER_POOL_CLIENT,
            allowed_oauth_scopes: BTreeSet::new(),
            callback_urls: BTreeSet::new(),
            logout_urls: BTreeSet::new(),
            default_redirect_uri: None,
            enable_token_revocation: defaults::ENABLE_TOKEN_REVOCATION,
            enable_propagate_additional_user_context_data: defaults::ENABLE_PROPAGATE_ADDITIONAL_USER_CONTEXT_DATA,
            explicit_auth_flows: defaults::explicit_auth_flows(),
            prevent_user_existence_errors: defaults::PREVENT_USER_EXISTENCE_ERRORS.to_string(),
            read_attributes: BTreeSet::new(),
            write_attributes: BTreeSet::new(),
            supported_identity_providers: BTreeSet::new(),
            analytics_configuration: None,
            refresh_token_rotation: RefreshTokenRotation {
                feature: defaults::ROTATION_DISABLED.to_string(),
                retry_grace_period_seconds: None,
            },
        }
    }
}

/// The secret CreateUserPoolClient gives a new client: none (a public client), one Cognito generates, or a custom
/// one (`client_secret_wo`). Confidentiality is fixed at creation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum InitialSecret {
    #[default]
    None,
    Generated,
    Custom(crate::cognito::user_pool_client_secret::model::SecretValue),
}

impl InitialSecret {
    pub fn is_confidential(&self) -> bool {
        !matches!(self, InitialSecret::None)
    }
}

/// `generate_secret`: true for a generated secret, false for none.
impl From<bool> for InitialSecret {
    fn from(generate_secret: bool) -> InitialSecret {
        if generate_secret {
            InitialSecret::Generated
        } else {
            InitialSecret::None
        }
    }
}

impl From<&InitialSecret> for InitialSecret {
    fn from(secret: &InitialSecret) -> InitialSecret {
        secret.clone()
    }
}

/// A client as Cognito reports it, defaults filled in.
#[derive(Clone, PartialEq, Eq)]
pub struct RemoteClient {
    pub user_pool_id: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub settings: ClientSettings,
    /// RFC 3339, UTC; `None` where the API gives none.
    pub creation_date: Option<String>,
    pub last_modified_date: Option<String>,
}

impl fmt::Debug for RemoteClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteClient")
            .field("user_pool_id", &self.user_pool_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "<redacted>"))
            .field("settings", &self.settings)
            .field("creation_date", &self.creation_date)
            .field("last_modified_date", &self.last_modified_date)
            .finish()
    }
}

/// Cognito's documented defaults (docs/dev/cognito-app-clients.md#defaults): what a member left out of Create or
/// Update becomes, and what a response that leaves it out means. Durations are expressed in whatever unit applies.
/// The schema declares each argument's default from these, and the API mapping fills absent response members with
/// them.
pub mod defaults {
    use super::{TimeUnit, TokenValidityUnits};
    use std::collections::BTreeSet;

    pub const UNITS: TokenValidityUnits = TokenValidityUnits {
        access_token: TimeUnit::Hours,
        id_token: TimeUnit::Hours,
        refresh_token: TimeUnit::Days,
    };
    pub const ACCESS_TOKEN_SECONDS: i64 = 3_600;
    pub const ID_TOKEN_SECONDS: i64 = 3_600;
    pub const REFRESH_TOKEN_SECONDS: i64 = 30 * 86_400;
    pub const AUTH_SESSION_VALIDITY: i64 = 3;
    pub const ALLOWED_OAUTH_FLOWS_USER_POOL_CLIENT: bool = false;
    pub const ENABLE_TOKEN_REVOCATION: bool = true;
    pub const ENABLE_PROPAGATE_ADDITIONAL_USER_CONTEXT_DATA: bool = false;
    pub const USER_DATA_SHARED: bool = false;
    pub const PREVENT_USER_EXISTENCE_ERRORS: &str = "LEGACY";
    pub const ROTATION_DISABLED: &str = "DISABLED";
    pub const EXPLICIT_AUTH_FLOWS: [&str; 3] = ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"];

    pub fn explicit_auth_flows() -> BTreeSet<String> {
        EXPLICIT_AUTH_FLOWS.iter().map(|s| s.to_string()).collect()
    }

    /// Cognito's one hour in `unit`; `None` in days, where an hour is no whole number (left to Cognito, see
    /// [`ClientSettings::access_token_validity`](super::ClientSettings::access_token_validity)).
    pub fn access_token_validity(unit: TimeUnit) -> Option<i64> {
        unit.express(ACCESS_TOKEN_SECONDS)
    }

    pub fn id_token_validity(unit: TimeUnit) -> Option<i64> {
        unit.express(ID_TOKEN_SECONDS)
    }

    pub fn refresh_token_validity(unit: TimeUnit) -> i64 {
        unit.express(REFRESH_TOKEN_SECONDS).unwrap_or(30)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_unit() {
        assert_eq!(defaults::access_token_validity(TimeUnit::Hours), Some(1));
        assert_eq!(defaults::access_token_validity(TimeUnit::Minutes), Some(60));
        assert_eq!(defaults::access_token_validity(TimeUnit::Seconds), Some(3600));
        assert_eq!(defaults::access_token_validity(TimeUnit::Days), None);
        assert_eq!(defaults::id_token_validity(TimeUnit::Days), None);
        assert_eq!(defaults::refresh_token_validity(TimeUnit::Days), 30);
        assert_eq!(defaults::refresh_token_validity(TimeUnit::Hours), 720);
        assert_eq!(TimeUnit::parse("minutes"), Some(TimeUnit::Minutes));
        assert_eq!(TimeUnit::parse("weeks"), None);
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let client = RemoteClient {
            user_pool_id: "us-east-1_abc".into(),
            client_id: "id".into(),
            client_secret: Some("super-secret-value".into()),
            settings: ClientSettings::with_defaults("app"),
            creation_date: None,
            last_modified_date: None,
        };
        let text = format!("{client:?}");
        assert!(!text.contains("super-secret-value"));
        assert!(text.contains("<redacted>"));
    }

    #[test]
    fn debug_output_hides_the_analytics_external_id() {
        let analytics = AnalyticsConfiguration {
            application_arn: None,
            application_id: Some("0123456789abcdef".into()),
            external_id: Some("shared-s3cr3t-id".into()),
            role_arn: Some("arn:aws:iam::123456789012:role/pinpoint".into()),
            user_data_shared: false,
        };
        let mut settings = ClientSettings::with_defaults("app");
        settings.analytics_configuration = Some(analytics.clone());
        for text in [
            format!("{analytics:?}"),
            format!("{settings:?}"),
            format!("{settings:#?}"),
        ] {
            assert!(!text.contains("shared-s3cr3t-id"), "{text}");
            assert!(text.contains("0123456789abcdef"), "{text}");
        }
    }
}

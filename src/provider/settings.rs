//! The provider block's settings, read and checked. Unknown values (configuration that depends on other
//! resources) are skipped: Terraform validates and configures again once they are known.

use std::ops::RangeInclusive;
use std::time::Duration;

use crate::cognito::api::{PacingPolicy, RetryPolicy};
use crate::tf::diagnostics::{AttributePath, Diagnostic, Diagnostics};
use crate::tf::value::Value;

use super::schema::{DEFAULT_MAX_RETRIES, attr};

/// The highest rate the pacing attributes accept: far above any Cognito quota, low enough to catch a typo.
const MAX_REQUESTS_PER_SECOND: f64 = 1_000.0;

/// Settings from the provider block; `None` means "from the standard AWS environment".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProviderSettings {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    pub max_retries: Option<u32>,
    pub assume_role: Option<AssumeRole>,
    /// `max_retry_seconds`: the longest one call may take with its retries.
    pub max_retry_seconds: Option<u32>,
    /// `requests_per_second_per_pool`, `mutating_requests_per_second`, `read_requests_per_second`.
    pub pacing: PacingPolicy,
    /// `shared_rate_limiter` turned off: pace this process on its own.
    pub pace_alone: bool,
}

#[derive(Clone, PartialEq, Eq)]
pub struct AssumeRole {
    pub role_arn: String,
    pub session_name: Option<String>,
    pub external_id: Option<String>,
    /// Where AssumeRole goes; `None`: AWS's STS endpoint (or the standard AWS environment's). Never `endpoint_url`,
    /// which names the Cognito endpoint only: a signed AssumeRole carries the role and the external ID.
    pub sts_endpoint_url: Option<String>,
}

impl std::fmt::Debug for AssumeRole {
    /// The external ID is a shared secret between accounts (it guards against the confused deputy): never shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssumeRole")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("external_id", &self.external_id.as_ref().map(|_| "<redacted>"))
            .field("sts_endpoint_url", &self.sts_endpoint_url)
            .finish()
    }
}

/// What is wrong with one setting; shown as an error diagnostic on its attribute.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettingError {
    #[error("{0:?} is not an AWS region name like `us-east-1`.")]
    Region(String),
    #[error("The profile name must not be empty.")]
    Profile,
    #[error("{0:?} is not an absolute http:// or https:// URL with a host.")]
    EndpointUrl(String),
    #[error(
        "{0:?} would send signed requests, session tokens and client secrets in clear text. `http://` is accepted \
         only for a loopback host (`localhost`, `127.0.0.1`, `[::1]`), such as a local emulator; use `https://`."
    )]
    InsecureEndpointUrl(String),
    #[error("{} must be a whole number from 0 to 25.", attr::MAX_RETRIES)]
    MaxRetries,
    #[error("{} must be a whole number of seconds from 1 to 3600.", attr::MAX_RETRY_SECONDS)]
    MaxRetrySeconds,
    #[error("{0} must be a number of requests per second above 0 and at most 1000.")]
    Rate(&'static str),
    #[error("{0:?} is not an IAM role ARN like `arn:aws:iam::123456789012:role/name`.")]
    RoleArn(String),
    #[error("{} must be 2–64 characters of letters, digits and `_+=,.@-`.", attr::SESSION_NAME)]
    SessionName,
    #[error("{} must be 2–1224 characters long.", attr::EXTERNAL_ID)]
    ExternalId,
}

impl SettingError {
    fn summary(&self) -> String {
        match self {
            SettingError::Region(_) => "Invalid region".to_string(),
            SettingError::Profile => "Invalid profile".to_string(),
            SettingError::EndpointUrl(_) => "Invalid endpoint URL".to_string(),
            SettingError::InsecureEndpointUrl(_) => "Endpoint URL without TLS".to_string(),
            SettingError::MaxRetries => format!("Invalid {}", attr::MAX_RETRIES),
            SettingError::MaxRetrySeconds => format!("Invalid {}", attr::MAX_RETRY_SECONDS),
            SettingError::Rate(name) => format!("Invalid {name}"),
            SettingError::RoleArn(_) => "Invalid role ARN".to_string(),
            SettingError::SessionName => "Invalid session name".to_string(),
            SettingError::ExternalId => "Invalid external ID".to_string(),
        }
    }
}

impl ProviderSettings {
    /// Reads and checks the provider block: the settings, and a diagnostic on each attribute that is wrong.
    pub fn parse(config: &Value) -> (ProviderSettings, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let mut block = Reader {
            object: config,
            path: AttributePath::root(),
            diagnostics: &mut diagnostics,
        };
        let region = block.text(attr::REGION, check_region);
        let profile = block.text(attr::PROFILE, check_profile);
        let endpoint_url = block.text(attr::ENDPOINT_URL, check_endpoint_url);
        let max_retries = block.whole(attr::MAX_RETRIES, 0..=25, SettingError::MaxRetries);
        let max_retry_seconds = block.whole(attr::MAX_RETRY_SECONDS, 1..=3600, SettingError::MaxRetrySeconds);
        let defaults = PacingPolicy::COGNITO_DEFAULTS;
        let pacing = PacingPolicy {
            per_pool_operation: block.rate(attr::REQUESTS_PER_SECOND_PER_POOL, defaults.per_pool_operation),
            mutating: block.rate(attr::MUTATING_REQUESTS_PER_SECOND, defaults.mutating),
            read: block.rate(attr::READ_REQUESTS_PER_SECOND, defaults.read),
        };
        let pace_alone = block.known(attr::SHARED_RATE_LIMITER).and_then(Value::as_bool) == Some(false);
        let assume_role = block.block(attr::ASSUME_ROLE, AssumeRole::read);
        let settings = ProviderSettings {
            region,
            profile,
            endpoint_url,
            max_retries,
            assume_role,
            max_retry_seconds,
            pacing,
            pace_alone,
        };
        (settings, diagnostics)
    }

    /// The retry policy these settings ask for: the default one, with `max_retries` and `max_retry_seconds`.
    pub fn retry_policy(&self) -> RetryPolicy {
        let mut policy = RetryPolicy::with_max_retries(self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES));
        if let Some(seconds) = self.max_retry_seconds {
            policy.max_total = Duration::from_secs(u64::from(seconds));
        }
        policy
    }
}

impl AssumeRole {
    /// The `assume_role` block; none without a known `role_arn`.
    fn read(block: &mut Reader<'_, '_>) -> Option<AssumeRole> {
        let role_arn = block.text(attr::ROLE_ARN, check_role_arn);
        let session_name = block.text(attr::SESSION_NAME, check_session_name);
        let external_id = block.text(attr::EXTERNAL_ID, check_external_id);
        let sts_endpoint_url = block.text(attr::STS_ENDPOINT_URL, check_endpoint_url);
        Some(AssumeRole {
            role_arn: role_arn?,
            session_name,
            external_id,
            sts_endpoint_url,
        })
    }
}

/// Reads the known attributes of one block, reporting each problem on its attribute's path.
struct Reader<'v, 'd> {
    object: &'v Value,
    path: AttributePath,
    diagnostics: &'d mut Diagnostics,
}

impl<'v> Reader<'v, '_> {
    /// An attribute's value unless it is null or not known yet.
    fn known(&self, name: &str) -> Option<&'v Value> {
        self.object
            .attribute(name)
            .filter(|value| !value.is_null() && !value.is_unknown())
    }

    fn report(&mut self, name: &str, error: SettingError) {
        let diagnostic = Diagnostic::error(error.summary(), error.to_string()).at(self.path.then_attribute(name));
        self.diagnostics.push(diagnostic);
    }

    /// A string; kept even when `check` finds it wrong (the error stops configuration anyway).
    fn text(&mut self, name: &str, check: fn(&str) -> Result<(), SettingError>) -> Option<String> {
        let text = self.known(name)?.as_str()?.to_string();
        if let Err(error) = check(&text) {
            self.report(name, error);
        }
        Some(text)
    }

    /// A whole number in `range`.
    fn whole(&mut self, name: &str, range: RangeInclusive<i64>, error: SettingError) -> Option<u32> {
        let number = self.known(name)?.as_i64().filter(|n| range.contains(n));
        match number.and_then(|n| u32::try_from(n).ok()) {
            Some(number) => Some(number),
            None => {
                self.report(name, error);
                None
            }
        }
    }

    /// A rate in requests per second, `default` when left out or wrong.
    fn rate(&mut self, name: &'static str, default: f64) -> f64 {
        let Some(value) = self.known(name) else {
            return default;
        };
        match value {
            Value::Number(number) if number.to_f64() > 0.0 && number.to_f64() <= MAX_REQUESTS_PER_SECOND => {
                number.to_f64()
            }
            _ => {
                self.report(name, SettingError::Rate(name));
                default
            }
        }
    }

    /// The single element of a `list_max_one` block, read by `read`.
    fn block<T>(&mut self, name: &str, read: impl FnOnce(&mut Reader<'v, '_>) -> Option<T>) -> Option<T> {
        let element = self.object.attribute(name)?.as_elements()?.first()?;
        let mut nested = Reader {
            object: element,
            path: AttributePath::attribute(name).then_index(0),
            diagnostics: self.diagnostics,
        };
        read(&mut nested)
    }
}

fn check_region(name: &str) -> Result<(), SettingError> {
    let parts: Vec<&str> = name.split('-').collect();
    let valid = parts.len() >= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
        && parts.last().is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
    valid
        .then_some(())
        .ok_or_else(|| SettingError::Region(name.to_string()))
}

fn check_profile(name: &str) -> Result<(), SettingError> {
    (!name.trim().is_empty()).then_some(()).ok_or(SettingError::Profile)
}

/// An absolute `https://` URL, or an `http://` one whose host is a loopback address: anything else would carry
/// signed requests and secrets in clear text over a network.
pub(super) fn check_endpoint_url(text: &str) -> Result<(), SettingError> {
    let (rest, tls) = match (text.strip_prefix("https://"), text.strip_prefix("http://")) {
        (Some(rest), _) => (rest, true),
        (None, Some(rest)) => (rest, false),
        (None, None) => return Err(SettingError::EndpointUrl(text.to_string())),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host_of(authority);
    if host.is_empty() || authority.contains(char::is_whitespace) {
        return Err(SettingError::EndpointUrl(text.to_string()));
    }
    if !tls && !is_loopback_host(host) {
        return Err(SettingError::InsecureEndpointUrl(text.to_string()));
    }
    Ok(())
}

/// The host of a URL's authority (`user@host:port`, `[v6]:port`), without brackets.
fn host_of(authority: &str) -> &str {
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, host_port)| host_port);
    match host_port.strip_prefix('[') {
        Some(bracketed) => bracketed.split_once(']').map_or("", |(host, _)| host),
        None => host_port.split(':').next().unwrap_or(""),
    }
}

/// `localhost` (and names under it, which resolvers keep on the machine) or a loopback IP address.
fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn check_role_arn(arn: &str) -> Result<(), SettingError> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let valid = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
        && parts[5].strip_prefix("role/").is_some_and(|name| !name.is_empty());
    valid
        .then_some(())
        .ok_or_else(|| SettingError::RoleArn(arn.to_string()))
}

fn check_session_name(name: &str) -> Result<(), SettingError> {
    let valid =
        (2..=64).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
    valid.then_some(()).ok_or(SettingError::SessionName)
}

fn check_external_id(id: &str) -> Result<(), SettingError> {
    (2..=1224)
        .contains(&id.len())
        .then_some(())
        .ok_or(SettingError::ExternalId)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn debug_output_hides_the_assume_role_external_id() {
        let assume = AssumeRole {
            role_arn: "arn:aws:iam::123456789012:role/deploy".to_string(),
            session_name: Some("terraform".to_string()),
            external_id: Some("shared-s3cr3t-id".to_string()),
            sts_endpoint_url: None,
        };
        for text in [format!("{assume:?}"), format!("{assume:#?}")] {
            assert!(!text.contains("shared-s3cr3t-id"), "{text}");
            assert!(text.contains("role/deploy") && text.contains("<redacted>"), "{text}");
        }
    }

    /// A provider block with every attribute null but the given ones.
    fn config(pairs: &[(&str, Value)]) -> Value {
        let crate::tf::value::Type::Object { attributes, .. } = super::super::schema::schema().value_type().clone()
        else {
            unreachable!("a block's type is an object")
        };
        let mut object: BTreeMap<String, Value> = attributes.into_keys().map(|name| (name, Value::Null)).collect();
        for (name, value) in pairs {
            object.insert(name.to_string(), value.clone());
        }
        Value::Object(object)
    }

    fn paths(diagnostics: &Diagnostics) -> Vec<String> {
        diagnostics
            .iter()
            .map(|d| d.attribute.clone().unwrap().to_string())
            .collect()
    }

    #[test]
    fn empty_block_is_valid() {
        let (settings, diagnostics) = ProviderSettings::parse(&config(&[]));
        assert!(diagnostics.is_empty());
        assert_eq!(settings, ProviderSettings::default());
    }

    #[test]
    fn bad_values_point_at_their_attribute() {
        let (_, diagnostics) = ProviderSettings::parse(&config(&[
            (attr::REGION, Value::string("Europe")),
            (attr::ENDPOINT_URL, Value::string("localhost:5000")),
            (attr::MAX_RETRIES, Value::int(99)),
        ]));
        assert_eq!(
            paths(&diagnostics),
            [attr::REGION, attr::ENDPOINT_URL, attr::MAX_RETRIES]
        );
        let summaries: Vec<&str> = diagnostics.iter().map(|d| d.summary.as_str()).collect();
        assert_eq!(
            summaries,
            ["Invalid region", "Invalid endpoint URL", "Invalid max_retries"]
        );
    }

    #[test]
    fn the_rate_limiter_is_shared_unless_turned_off() {
        assert!(!ProviderSettings::parse(&config(&[])).0.pace_alone);
        let on = ProviderSettings::parse(&config(&[(attr::SHARED_RATE_LIMITER, Value::Bool(true))])).0;
        assert!(!on.pace_alone);
        let off = ProviderSettings::parse(&config(&[(attr::SHARED_RATE_LIMITER, Value::Bool(false))])).0;
        assert!(off.pace_alone);
    }

    #[test]
    fn retry_time_and_pacing_rates_are_read_and_checked() {
        let (settings, diagnostics) = ProviderSettings::parse(&config(&[
            (attr::MAX_RETRY_SECONDS, Value::int(30)),
            (
                attr::REQUESTS_PER_SECOND_PER_POOL,
                Value::Number(crate::tf::value::Number::from_f64(2.5).unwrap()),
            ),
            (attr::MUTATING_REQUESTS_PER_SECOND, Value::int(10)),
        ]));
        assert!(diagnostics.is_empty());
        assert_eq!(settings.retry_policy().max_total, Duration::from_secs(30));
        assert_eq!(
            settings.pacing,
            PacingPolicy {
                per_pool_operation: 2.5,
                mutating: 10.0,
                read: 15.0
            }
        );
        let (_, diagnostics) = ProviderSettings::parse(&config(&[
            (attr::MAX_RETRY_SECONDS, Value::int(0)),
            (attr::REQUESTS_PER_SECOND_PER_POOL, Value::int(0)),
            (attr::MUTATING_REQUESTS_PER_SECOND, Value::int(-3)),
            (attr::READ_REQUESTS_PER_SECOND, Value::int(5000)),
        ]));
        assert_eq!(
            paths(&diagnostics),
            [
                attr::MAX_RETRY_SECONDS,
                attr::REQUESTS_PER_SECOND_PER_POOL,
                attr::MUTATING_REQUESTS_PER_SECOND,
                attr::READ_REQUESTS_PER_SECOND
            ]
        );
        assert_eq!(ProviderSettings::default().retry_policy(), RetryPolicy::default());
    }

    #[test]
    fn unknown_values_are_skipped() {
        let (settings, diagnostics) = ProviderSettings::parse(&config(&[(attr::REGION, Value::unknown())]));
        assert!(diagnostics.is_empty());
        assert_eq!(settings.region, None);
    }

    #[test]
    fn assume_role_is_read_and_checked() {
        let role = |arn: &str| {
            Value::List(vec![Value::Object(BTreeMap::from([
                (attr::ROLE_ARN.to_string(), Value::string(arn)),
                (attr::SESSION_NAME.to_string(), Value::Null),
                (attr::EXTERNAL_ID.to_string(), Value::string("x")),
            ]))])
        };
        let (settings, diagnostics) = ProviderSettings::parse(&config(&[(
            attr::ASSUME_ROLE,
            role("arn:aws:iam::123456789012:role/deploy"),
        )]));
        assert_eq!(
            settings.assume_role.unwrap().role_arn,
            "arn:aws:iam::123456789012:role/deploy"
        );
        assert_eq!(
            paths(&diagnostics),
            ["assume_role[0].external_id"],
            "external_id too short"
        );
        let (_, diagnostics) = ProviderSettings::parse(&config(&[(attr::ASSUME_ROLE, role("arn:aws:s3:::bucket"))]));
        assert!(diagnostics.has_errors());
    }

    #[test]
    fn region_and_url_shapes() {
        for (region, valid) in [
            ("us-east-1", true),
            ("us-gov-west-1", true),
            ("us-east", false),
            ("US-1-1", false),
        ] {
            assert_eq!(check_region(region).is_ok(), valid, "{region}");
        }
        for (url, valid) in [
            ("http://127.0.0.1:5000", true),
            ("http://127.3.2.1", true),
            ("http://localhost:4566/", true),
            ("http://LOCALHOST.", true),
            ("http://[::1]:5000", true),
            ("http://user@127.0.0.1:5000/path", true),
            ("https://cognito-idp.eu-west-1.amazonaws.com/", true),
            ("https://[2001:db8::1]:443", true),
            ("ftp://x", false),
            ("https://", false),
            ("http://[::1", false),
        ] {
            assert_eq!(check_endpoint_url(url).is_ok(), valid, "{url}");
        }
        for url in [
            "http://cognito.example.com",
            "http://10.0.0.5:4566",
            "http://[2001:db8::1]/",
            "http://127.0.0.1.example.com/",
            "http://localhost@evil.example.com/",
            "http://localhostx/",
        ] {
            assert_eq!(
                check_endpoint_url(url),
                Err(SettingError::InsecureEndpointUrl(url.to_string())),
                "{url}"
            );
        }
    }
}

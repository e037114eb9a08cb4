//! Table-driven tests: every rule with configurations it accepts and configurations it rejects, each rejection
//! checked for its severity and attribute path.

use std::collections::BTreeMap;

use super::urls::{UrlProblem, check_url};
use super::validate;
use crate::cognito::user_pool_client::schema::{attr, schema};
use crate::tf::diagnostics::{Diagnostics, Severity};
use crate::tf::value::{Number, Type, Value};

fn s(text: &str) -> Value {
    Value::string(text)
}

fn n(number: i64) -> Value {
    Value::int(number)
}

fn set(items: &[&str]) -> Value {
    Value::Set(items.iter().map(|item| s(item)).collect())
}

fn unknown() -> Value {
    Value::unknown()
}

/// A configuration as Terraform sends it: every attribute present (null unless set), blocks as lists.
#[derive(Clone)]
struct Config(BTreeMap<String, Value>);

impl Config {
    /// `user_pool_id` and `name` only: Cognito's defaults for everything else.
    fn minimal() -> Config {
        let Type::Object { attributes, .. } = schema().value_type().clone() else {
            unreachable!("a resource schema is an object type")
        };
        let mut object: BTreeMap<String, Value> = attributes.keys().map(|k| (k.clone(), Value::Null)).collect();
        for block in [
            attr::TOKEN_VALIDITY_UNITS,
            attr::ANALYTICS_CONFIGURATION,
            attr::REFRESH_TOKEN_ROTATION,
        ] {
            object.insert(block.to_string(), Value::List(vec![]));
        }
        object.insert(attr::USER_POOL_ID.into(), s("us-east-1_pool"));
        object.insert(attr::NAME.into(), s("app"));
        Config(object)
    }

    fn with(mut self, name: &str, value: Value) -> Config {
        self.0.insert(name.to_string(), value);
        self
    }

    fn with_block(self, name: &str, fields: &[(&str, Value)]) -> Config {
        let object = fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        self.with(name, Value::List(vec![Value::Object(object)]))
    }

    /// A units block; `None` leaves that unit out (null).
    fn units(self, access: Option<&str>, id: Option<&str>, refresh: Option<&str>) -> Config {
        let unit = |u: Option<&str>| u.map_or(Value::Null, s);
        self.with_block(
            attr::TOKEN_VALIDITY_UNITS,
            &[
                (attr::ACCESS_TOKEN, unit(access)),
                (attr::ID_TOKEN, unit(id)),
                (attr::REFRESH_TOKEN, unit(refresh)),
            ],
        )
    }

    fn rotation(self, feature: Value, grace: Value) -> Config {
        self.with_block(
            attr::REFRESH_TOKEN_ROTATION,
            &[(attr::FEATURE, feature), (attr::RETRY_GRACE_PERIOD_SECONDS, grace)],
        )
    }

    /// An analytics block from (arn, id, role, external id); `None` is null.
    fn analytics(self, arn: Option<&str>, id: Option<&str>, role: Option<&str>, external: Option<&str>) -> Config {
        let v = |x: Option<&str>| x.map_or(Value::Null, s);
        self.with_block(
            attr::ANALYTICS_CONFIGURATION,
            &[
                (attr::APPLICATION_ARN, v(arn)),
                (attr::APPLICATION_ID, v(id)),
                (attr::ROLE_ARN, v(role)),
                (attr::EXTERNAL_ID, v(external)),
                (attr::USER_DATA_SHARED, Value::Null),
            ],
        )
    }

    /// OAuth switched on with the code flow and one callback.
    fn oauth_code(self) -> Config {
        self.with(attr::ALLOWED_OAUTH_FLOWS_USER_POOL_CLIENT, Value::Bool(true))
            .with(attr::ALLOWED_OAUTH_FLOWS, set(&["code"]))
            .with(attr::ALLOWED_OAUTH_SCOPES, set(&["openid"]))
            .with(attr::CALLBACK_URLS, set(&["https://app.example.com/cb"]))
    }

    /// A machine-to-machine client: client_credentials with a secret and a custom scope.
    fn machine(self) -> Config {
        self.with(attr::ALLOWED_OAUTH_FLOWS_USER_POOL_CLIENT, Value::Bool(true))
            .with(attr::ALLOWED_OAUTH_FLOWS, set(&["client_credentials"]))
            .with(attr::ALLOWED_OAUTH_SCOPES, set(&["api/read"]))
            .with(attr::GENERATE_SECRET, Value::Bool(true))
    }

    fn value(&self) -> Value {
        Value::Object(self.0.clone())
    }
}

/// What validating a configuration must give.
#[derive(Debug)]
enum Expect {
    /// No diagnostics at all.
    Valid,
    /// Errors, every one of them at this path.
    ErrorAt(&'static str),
    /// No errors; a warning at this path.
    WarningAt(&'static str),
}

fn check_case(case: &str, config: &Config, expect: &Expect) -> Result<(), String> {
    let diagnostics: Diagnostics = validate(&config.value());
    let describe = || format!("{case}: expected {expect:?}, got {diagnostics:#?}");
    for diagnostic in diagnostics.iter() {
        if diagnostic.summary.is_empty() || diagnostic.detail.is_empty() {
            return Err(format!(
                "{case}: a diagnostic without summary or detail: {diagnostic:?}"
            ));
        }
        if diagnostic.attribute.is_none() {
            return Err(format!(
                "{case}: a diagnostic without an attribute path: {diagnostic:?}"
            ));
        }
    }
    let paths = |severity: Severity| -> Vec<String> {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .map(|d| d.attribute.as_ref().map(ToString::to_string).unwrap_or_default())
            .collect()
    };
    let ok = match expect {
        Expect::Valid => diagnostics.is_empty(),
        Expect::ErrorAt(path) => {
            let errors = paths(Severity::Error);
            !errors.is_empty() && errors.iter().all(|p| p == path)
        }
        Expect::WarningAt(path) => {
            paths(Severity::Error).is_empty() && paths(Severity::Warning).contains(&path.to_string())
        }
    };
    if ok { Ok(()) } else { Err(describe()) }
}

fn run_table(cases: Vec<(&str, Config, Expect)>) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(case, config, expect)| check_case(case, config, expect).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

use Expect::{ErrorAt, Valid, WarningAt};

#[test]
fn names() {
    let c = Config::minimal;
    run_table(vec![
        ("plain name", c(), Valid),
        (
            "all allowed characters",
            c().with(attr::NAME, s("My app_1 +=,.@-")),
            Valid,
        ),
        ("128 characters", c().with(attr::NAME, s(&"a".repeat(128))), Valid),
        ("empty", c().with(attr::NAME, s("")), ErrorAt("name")),
        (
            "129 characters",
            c().with(attr::NAME, s(&"a".repeat(129))),
            ErrorAt("name"),
        ),
        // The API's unanchored pattern would accept this: it contains allowed characters.
        (
            "a slash among allowed characters",
            c().with(attr::NAME, s("my/app")),
            ErrorAt("name"),
        ),
        ("non-ASCII letter", c().with(attr::NAME, s("appé")), ErrorAt("name")),
        ("unknown name", c().with(attr::NAME, unknown()), Valid),
    ]);
}

#[test]
fn enumerations() {
    let c = Config::minimal;
    run_table(vec![
        (
            "known auth flows",
            c().with(
                attr::EXPLICIT_AUTH_FLOWS,
                set(&["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]),
            ),
            Valid,
        ),
        (
            "misspelt auth flow",
            c().with(
                attr::EXPLICIT_AUTH_FLOWS,
                set(&["ALLOW_USER_SRP", "ALLOW_REFRESH_TOKEN_AUTH"]),
            ),
            ErrorAt("explicit_auth_flows"),
        ),
        (
            "implicit flow",
            c().oauth_code().with(attr::ALLOWED_OAUTH_FLOWS, set(&["implicit"])),
            Valid,
        ),
        (
            "unknown OAuth flow",
            c().oauth_code().with(attr::ALLOWED_OAUTH_FLOWS, set(&["password"])),
            ErrorAt("allowed_oauth_flows"),
        ),
        (
            "ENABLED",
            c().with(attr::PREVENT_USER_EXISTENCE_ERRORS, s("ENABLED")),
            Valid,
        ),
        (
            "lower-case enabled",
            c().with(attr::PREVENT_USER_EXISTENCE_ERRORS, s("enabled")),
            ErrorAt("prevent_user_existence_errors"),
        ),
        (
            "units",
            c().units(Some("minutes"), Some("seconds"), Some("days")),
            Valid,
        ),
        (
            "unit weeks",
            c().units(None, Some("weeks"), None),
            ErrorAt("token_validity_units[0].id_token"),
        ),
        ("rotation DISABLED", c().rotation(s("DISABLED"), Value::Null), Valid),
        (
            "rotation on",
            c().rotation(s("ON"), Value::Null),
            ErrorAt("refresh_token_rotation[0].feature"),
        ),
        ("unknown rotation feature", c().rotation(unknown(), Value::Null), Valid),
        (
            "identity provider of 33 characters",
            c().with(attr::SUPPORTED_IDENTITY_PROVIDERS, set(&["COGNITO", &"p".repeat(33)])),
            ErrorAt("supported_identity_providers"),
        ),
        (
            "empty read attribute",
            c().with(attr::READ_ATTRIBUTES, set(&[""])),
            ErrorAt("read_attributes"),
        ),
    ]);
}

#[test]
fn token_durations_are_value_times_unit() {
    let c = Config::minimal;
    run_table(vec![
        (
            "access 1 hour (default unit)",
            c().with(attr::ACCESS_TOKEN_VALIDITY, n(1)),
            Valid,
        ),
        ("access 24 hours", c().with(attr::ACCESS_TOKEN_VALIDITY, n(24)), Valid),
        (
            "access 25 hours",
            c().with(attr::ACCESS_TOKEN_VALIDITY, n(25)),
            ErrorAt("access_token_validity"),
        ),
        (
            "access 0 hours",
            c().with(attr::ACCESS_TOKEN_VALIDITY, n(0)),
            ErrorAt("access_token_validity"),
        ),
        (
            "access 5 minutes",
            c().with(attr::ACCESS_TOKEN_VALIDITY, n(5))
                .units(Some("minutes"), None, None),
            Valid,
        ),
        (
            "access 4 minutes",
            c().with(attr::ACCESS_TOKEN_VALIDITY, n(4))
                .units(Some("minutes"), None, None),
            ErrorAt("access_token_validity"),
        ),
        (
            "access 300 seconds",
            c().with(attr::ACCESS_TOKEN_VALIDITY, n(300))
                .units(Some("seconds"), None, None),
            Valid,
        ),
        (
            "access 2 days",
            c().with(attr::ACCESS_TOKEN_VALIDITY, n(2))
                .units(Some("days"), None, None),
            ErrorAt("access_token_validity"),
        ),
        (
            "id 1440 minutes",
            c().with(attr::ID_TOKEN_VALIDITY, n(1440))
                .units(None, Some("minutes"), None),
            Valid,
        ),
        (
            "id 1441 minutes",
            c().with(attr::ID_TOKEN_VALIDITY, n(1441))
                .units(None, Some("minutes"), None),
            ErrorAt("id_token_validity"),
        ),
        // 48 is fine in hours (the default unit for ID tokens is hours, but here the block says minutes): judged in the configured unit.
        (
            "id 48 minutes",
            c().with(attr::ID_TOKEN_VALIDITY, n(48))
                .units(None, Some("minutes"), None),
            Valid,
        ),
        (
            "id 1.5 hours",
            c().with(attr::ID_TOKEN_VALIDITY, Value::Number("1.5".parse::<Number>().unwrap())),
            ErrorAt("id_token_validity"),
        ),
        ("refresh 30 days", c().with(attr::REFRESH_TOKEN_VALIDITY, n(30)), Valid),
        (
            "refresh 3650 days",
            c().with(attr::REFRESH_TOKEN_VALIDITY, n(3650)),
            Valid,
        ),
        (
            "refresh 3651 days",
            c().with(attr::REFRESH_TOKEN_VALIDITY, n(3651)),
            ErrorAt("refresh_token_validity"),
        ),
        (
            "refresh 60 minutes",
            c().with(attr::REFRESH_TOKEN_VALIDITY, n(60))
                .units(None, None, Some("minutes")),
            Valid,
        ),
        (
            "refresh 59 minutes",
            c().with(attr::REFRESH_TOKEN_VALIDITY, n(59))
                .units(None, None, Some("minutes")),
            ErrorAt("refresh_token_validity"),
        ),
        (
            "refresh 315360000 seconds",
            c().with(attr::REFRESH_TOKEN_VALIDITY, n(315_360_000))
                .units(None, None, Some("seconds")),
            Valid,
        ),
        (
            "refresh 0",
            c().with(attr::REFRESH_TOKEN_VALIDITY, n(0)),
            ErrorAt("refresh_token_validity"),
        ),
        (
            "refresh huge",
            c().with(attr::REFRESH_TOKEN_VALIDITY, n(i64::MAX)),
            ErrorAt("refresh_token_validity"),
        ),
        (
            "unknown unit skips the duration",
            c().with(attr::ACCESS_TOKEN_VALIDITY, n(100_000))
                .units(Some("x"), None, None)
                .with(
                    attr::TOKEN_VALIDITY_UNITS,
                    Value::List(vec![Value::Object(BTreeMap::from([
                        (attr::ACCESS_TOKEN.to_string(), unknown()),
                        (attr::ID_TOKEN.to_string(), Value::Null),
                        (attr::REFRESH_TOKEN.to_string(), Value::Null),
                    ]))]),
                ),
            Valid,
        ),
        (
            "unknown units block",
            c().with(attr::ACCESS_TOKEN_VALIDITY, n(100_000))
                .with(attr::TOKEN_VALIDITY_UNITS, unknown()),
            Valid,
        ),
        (
            "unknown value",
            c().with(attr::REFRESH_TOKEN_VALIDITY, unknown()),
            Valid,
        ),
    ]);
}

#[test]
fn refresh_zero_is_explained() {
    let diagnostics = validate(&Config::minimal().with(attr::REFRESH_TOKEN_VALIDITY, n(0)).value());
    let detail = &diagnostics.iter().next().expect("an error").detail;
    assert!(
        detail.contains("30 days") && detail.contains("60 minutes to 10 years"),
        "{detail}"
    );
}

#[test]
fn out_of_range_durations_say_what_the_unit_allows() {
    let config = Config::minimal()
        .with(attr::ACCESS_TOKEN_VALIDITY, n(2))
        .units(Some("minutes"), None, None);
    let diagnostics = validate(&config.value());
    let detail = &diagnostics.iter().next().expect("an error").detail;
    assert!(
        detail.contains("5 minutes to 1 day") && detail.contains("5 to 1440"),
        "{detail}"
    );
}

#[test]
fn session_and_grace_periods() {
    let c = Config::minimal;
    run_table(vec![
        ("auth session 3", c().with(attr::AUTH_SESSION_VALIDITY, n(3)), Valid),
        ("auth session 15", c().with(attr::AUTH_SESSION_VALIDITY, n(15)), Valid),
        (
            "auth session 2",
            c().with(attr::AUTH_SESSION_VALIDITY, n(2)),
            ErrorAt("auth_session_validity"),
        ),
        (
            "auth session 16",
            c().with(attr::AUTH_SESSION_VALIDITY, n(16)),
            ErrorAt("auth_session_validity"),
        ),
        (
            "grace 0",
            c().rotation(s("ENABLED"), n(0))
                .with(attr::EXPLICIT_AUTH_FLOWS, set(&["ALLOW_USER_SRP_AUTH"])),
            Valid,
        ),
        (
            "grace 60",
            c().rotation(s("ENABLED"), n(60))
                .with(attr::EXPLICIT_AUTH_FLOWS, set(&["ALLOW_USER_SRP_AUTH"])),
            Valid,
        ),
        (
            "grace 61",
            c().rotation(s("ENABLED"), n(61))
                .with(attr::EXPLICIT_AUTH_FLOWS, set(&["ALLOW_USER_SRP_AUTH"])),
            ErrorAt("refresh_token_rotation[0].retry_grace_period_seconds"),
        ),
        (
            "grace -1",
            c().rotation(s("DISABLED"), n(-1)),
            ErrorAt("refresh_token_rotation[0].retry_grace_period_seconds"),
        ),
    ]);
}

#[test]
fn list_limits() {
    let c = Config::minimal;
    let urls = |count: usize| {
        Value::Set(
            (0..count)
                .map(|i| s(&format!("https://app.example.com/cb/{i}")))
                .collect(),
        )
    };
    let scopes = |count: usize| Value::Set((0..count).map(|i| s(&format!("api/scope{i}"))).collect());
    run_table(vec![
        (
            "100 callback URLs",
            c().oauth_code().with(attr::CALLBACK_URLS, urls(100)),
            Valid,
        ),
        (
            "101 callback URLs",
            c().oauth_code().with(attr::CALLBACK_URLS, urls(101)),
            ErrorAt("callback_urls"),
        ),
        (
            "100 logout URLs",
            c().oauth_code().with(attr::LOGOUT_URLS, urls(100)),
            Valid,
        ),
        (
            "101 logout URLs",
            c().oauth_code().with(attr::LOGOUT_URLS, urls(101)),
            ErrorAt("logout_urls"),
        ),
        (
            "50 scopes",
            c().oauth_code().with(attr::ALLOWED_OAUTH_SCOPES, scopes(50)),
            Valid,
        ),
        (
            "51 scopes",
            c().oauth_code().with(attr::ALLOWED_OAUTH_SCOPES, scopes(51)),
            ErrorAt("allowed_oauth_scopes"),
        ),
        (
            "3 flows",
            c().oauth_code()
                .with(attr::ALLOWED_OAUTH_FLOWS, set(&["code", "implicit"])),
            Valid,
        ),
        // Four values: one is necessarily not a flow, which the enum rule reports at the same attribute.
        (
            "4 flows",
            c().oauth_code().with(
                attr::ALLOWED_OAUTH_FLOWS,
                set(&["code", "implicit", "token", "password"]),
            ),
            ErrorAt("allowed_oauth_flows"),
        ),
        (
            "scope with a space",
            c().oauth_code()
                .with(attr::ALLOWED_OAUTH_SCOPES, set(&["api/read write"])),
            ErrorAt("allowed_oauth_scopes"),
        ),
        (
            "every standard attribute and 50 custom ones",
            c().with(attr::READ_ATTRIBUTES, user_attributes(50))
                .with(attr::WRITE_ATTRIBUTES, user_attributes(50)),
            Valid,
        ),
        (
            "51 custom read attributes",
            c().with(attr::READ_ATTRIBUTES, user_attributes(51)),
            ErrorAt("read_attributes"),
        ),
        (
            "51 custom write attributes",
            c().with(attr::WRITE_ATTRIBUTES, user_attributes(51)),
            ErrorAt("write_attributes"),
        ),
        (
            "30,000 read attributes",
            c().with(attr::READ_ATTRIBUTES, user_attributes(30_000)),
            ErrorAt("read_attributes"),
        ),
    ]);
}

/// The standard attributes of a user pool and `custom` attributes of its own.
fn user_attributes(custom: usize) -> Value {
    let standard = [
        "address",
        "birthdate",
        "email",
        "email_verified",
        "family_name",
        "gender",
        "given_name",
        "locale",
        "middle_name",
        "name",
        "nickname",
        "phone_number",
        "phone_number_verified",
        "picture",
        "preferred_username",
        "profile",
        "updated_at",
        "website",
        "zoneinfo",
    ];
    let names = standard
        .iter()
        .map(|name| name.to_string())
        .chain((0..custom).map(|i| format!("custom:attribute{i}")));
    Value::Set(names.map(Value::String).collect())
}

#[test]
fn urls() {
    let c = || Config::minimal().oauth_code();
    let callback = |url: &str| c().with(attr::CALLBACK_URLS, set(&[url]));
    run_table(vec![
        ("https", callback("https://app.example.com/cb?x=1"), Valid),
        ("http localhost with port", callback("http://localhost:3000/cb"), Valid),
        ("http 127.0.0.1", callback("http://127.0.0.1/cb"), Valid),
        ("http [::1]", callback("http://[::1]:8080/cb"), Valid),
        ("app scheme", callback("myapp://callback"), Valid),
        (
            "http elsewhere",
            callback("http://app.example.com/cb"),
            ErrorAt("callback_urls"),
        ),
        (
            "http localhost look-alike",
            callback("http://localhost.example.com/cb"),
            ErrorAt("callback_urls"),
        ),
        ("relative", callback("/callback"), ErrorAt("callback_urls")),
        (
            "fragment",
            callback("https://app.example.com/cb#top"),
            ErrorAt("callback_urls"),
        ),
        ("https without host", callback("https:///cb"), ErrorAt("callback_urls")),
        (
            "space",
            callback("https://app.example.com/a b"),
            ErrorAt("callback_urls"),
        ),
        (
            "logout fragment",
            c().with(attr::LOGOUT_URLS, set(&["https://app.example.com/#out"])),
            ErrorAt("logout_urls"),
        ),
        (
            "default redirect among callbacks",
            c().with(attr::DEFAULT_REDIRECT_URI, s("https://app.example.com/cb")),
            Valid,
        ),
        (
            "default redirect not a callback",
            c().with(attr::DEFAULT_REDIRECT_URI, s("https://app.example.com/other")),
            ErrorAt("default_redirect_uri"),
        ),
        (
            "default redirect without callbacks",
            Config::minimal().with(attr::DEFAULT_REDIRECT_URI, s("https://app.example.com/cb")),
            ErrorAt("default_redirect_uri"),
        ),
        (
            "default redirect with unknown callbacks",
            c().with(attr::CALLBACK_URLS, unknown())
                .with(attr::DEFAULT_REDIRECT_URI, s("https://x.example.com/")),
            Valid,
        ),
        (
            "unknown callback element",
            c().with(attr::CALLBACK_URLS, Value::Set(vec![unknown()])),
            Valid,
        ),
    ]);
}

#[test]
fn url_problems_are_typed() {
    assert_eq!(check_url("https://a.example/"), Ok(()));
    assert_eq!(check_url(""), Err(UrlProblem::Empty));
    assert_eq!(check_url("example.com/cb"), Err(UrlProblem::NotAbsolute));
    assert_eq!(check_url("HTTP://LOCALHOST/cb"), Ok(()));
    assert_eq!(check_url("http://user@localhost/cb"), Ok(()));
    assert_eq!(check_url("http://app.example/"), Err(UrlProblem::PlainHttp));
    assert_eq!(
        check_url(&format!("https://a.example/{}", "x".repeat(1024))),
        Err(UrlProblem::TooLong)
    );
}

#[test]
fn oauth_rules() {
    let c = Config::minimal;
    run_table(vec![
        ("code flow with a callback", c().oauth_code(), Valid),
        (
            "code flow without a callback",
            c().oauth_code().with(attr::CALLBACK_URLS, Value::Null),
            ErrorAt("allowed_oauth_flows"),
        ),
        (
            "implicit with an empty callback set",
            c().oauth_code()
                .with(attr::ALLOWED_OAUTH_FLOWS, set(&["implicit"]))
                .with(attr::CALLBACK_URLS, set(&[])),
            ErrorAt("allowed_oauth_flows"),
        ),
        ("machine client", c().machine(), Valid),
        (
            "client_credentials with code",
            c().machine()
                .with(attr::ALLOWED_OAUTH_FLOWS, set(&["client_credentials", "code"]))
                .with(attr::CALLBACK_URLS, set(&["https://a.example.com/"])),
            ErrorAt("allowed_oauth_flows"),
        ),
        (
            "client_credentials without secret",
            c().machine().with(attr::GENERATE_SECRET, Value::Null),
            ErrorAt("allowed_oauth_flows"),
        ),
        (
            "client_credentials with secret false",
            c().machine().with(attr::GENERATE_SECRET, Value::Bool(false)),
            ErrorAt("allowed_oauth_flows"),
        ),
        (
            "client_credentials with unknown secret",
            c().machine().with(attr::GENERATE_SECRET, unknown()),
            Valid,
        ),
        (
            "client_credentials with openid",
            c().machine()
                .with(attr::ALLOWED_OAUTH_SCOPES, set(&["api/read", "openid"])),
            ErrorAt("allowed_oauth_scopes"),
        ),
        (
            "client_credentials with the admin scope",
            c().machine()
                .with(attr::ALLOWED_OAUTH_SCOPES, set(&["aws.cognito.signin.user.admin"])),
            ErrorAt("allowed_oauth_scopes"),
        ),
        (
            "OAuth settings with switch left out",
            c().oauth_code()
                .with(attr::ALLOWED_OAUTH_FLOWS_USER_POOL_CLIENT, Value::Null),
            ErrorAt("allowed_oauth_flows"),
        ),
        (
            "OAuth settings with switch false",
            c().oauth_code()
                .with(attr::ALLOWED_OAUTH_FLOWS_USER_POOL_CLIENT, Value::Bool(false)),
            ErrorAt("allowed_oauth_flows_user_pool_client"),
        ),
        (
            "only logout URLs without switch",
            c().with(attr::LOGOUT_URLS, set(&["https://a.example.com/out"])),
            ErrorAt("logout_urls"),
        ),
        (
            "empty OAuth sets without switch",
            c().with(attr::ALLOWED_OAUTH_FLOWS, set(&[]))
                .with(attr::CALLBACK_URLS, set(&[])),
            Valid,
        ),
        (
            "OAuth settings with unknown switch",
            c().oauth_code()
                .with(attr::ALLOWED_OAUTH_FLOWS_USER_POOL_CLIENT, unknown()),
            Valid,
        ),
    ]);
}

#[test]
fn auth_flow_rules() {
    let c = Config::minimal;
    let flows = |items: &[&str]| c().with(attr::EXPLICIT_AUTH_FLOWS, set(items));
    run_table(vec![
        ("default flows", c(), Valid),
        (
            "legacy only",
            flows(&["USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"]),
            Valid,
        ),
        (
            "legacy mixed with ALLOW_",
            flows(&["USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]),
            ErrorAt("explicit_auth_flows"),
        ),
        (
            "ALLOW_ with refresh",
            flows(&["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]),
            Valid,
        ),
        (
            "ALLOW_ without refresh",
            flows(&["ALLOW_USER_SRP_AUTH"]),
            ErrorAt("explicit_auth_flows"),
        ),
        (
            "ALLOW_ without refresh, rotation DISABLED",
            flows(&["ALLOW_USER_SRP_AUTH"]).rotation(s("DISABLED"), Value::Null),
            ErrorAt("explicit_auth_flows"),
        ),
        (
            "ALLOW_ without refresh, rotation enabled",
            flows(&["ALLOW_USER_SRP_AUTH"]).rotation(s("ENABLED"), n(10)),
            Valid,
        ),
        (
            "ALLOW_ without refresh, rotation unknown",
            flows(&["ALLOW_USER_SRP_AUTH"]).rotation(unknown(), Value::Null),
            Valid,
        ),
        (
            "rotation with refresh flow",
            flows(&["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]).rotation(s("ENABLED"), Value::Null),
            WarningAt("explicit_auth_flows"),
        ),
        // Left out, the flows are Cognito's default trio, which includes ALLOW_REFRESH_TOKEN_AUTH.
        (
            "rotation with default flows",
            c().rotation(s("ENABLED"), Value::Null),
            WarningAt("refresh_token_rotation[0].feature"),
        ),
        ("empty flows", flows(&[]), ErrorAt("explicit_auth_flows")),
        ("unknown flows", c().with(attr::EXPLICIT_AUTH_FLOWS, unknown()), Valid),
        (
            "partly unknown flows",
            c().with(
                attr::EXPLICIT_AUTH_FLOWS,
                Value::Set(vec![s("ALLOW_USER_SRP_AUTH"), unknown()]),
            ),
            Valid,
        ),
    ]);
}

#[test]
fn context_data_needs_a_secret() {
    let c = || Config::minimal().with(attr::ENABLE_PROPAGATE_ADDITIONAL_USER_CONTEXT_DATA, Value::Bool(true));
    run_table(vec![
        ("with secret", c().with(attr::GENERATE_SECRET, Value::Bool(true)), Valid),
        (
            "secret left out",
            c(),
            ErrorAt("enable_propagate_additional_user_context_data"),
        ),
        (
            "secret false",
            c().with(attr::GENERATE_SECRET, Value::Bool(false)),
            ErrorAt("enable_propagate_additional_user_context_data"),
        ),
        ("secret unknown", c().with(attr::GENERATE_SECRET, unknown()), Valid),
        (
            "propagation off without secret",
            Config::minimal().with(attr::ENABLE_PROPAGATE_ADDITIONAL_USER_CONTEXT_DATA, Value::Bool(false)),
            Valid,
        ),
    ]);
}

#[test]
fn analytics_rules() {
    let c = Config::minimal;
    let role = Some("arn:aws:iam::123456789012:role/pinpoint");
    let project = Some("arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123abcd");
    run_table(vec![
        ("by ARN", c().analytics(project, None, None, None), Valid),
        ("by ARN with role", c().analytics(project, None, role, None), Valid),
        ("by ID", c().analytics(None, Some("0123abcd"), role, Some("ext")), Valid),
        (
            "neither",
            c().analytics(None, None, role, Some("ext")),
            ErrorAt("analytics_configuration[0].application_id"),
        ),
        (
            "both",
            c().analytics(project, Some("0123abcd"), role, None),
            ErrorAt("analytics_configuration[0].application_id"),
        ),
        (
            "ID without role",
            c().analytics(None, Some("0123abcd"), None, Some("ext")),
            ErrorAt("analytics_configuration[0].application_id"),
        ),
        (
            "ID without external ID",
            c().analytics(None, Some("0123abcd"), role, None),
            ErrorAt("analytics_configuration[0].application_id"),
        ),
        (
            "ID not hexadecimal",
            c().analytics(None, Some("my-project"), role, Some("ext")),
            ErrorAt("analytics_configuration[0].application_id"),
        ),
        (
            "ARN with external ID",
            c().analytics(project, None, None, Some("ext")),
            ErrorAt("analytics_configuration[0].external_id"),
        ),
        (
            "role not an ARN",
            c().analytics(None, Some("0123abcd"), Some("pinpoint-role"), Some("ext")),
            ErrorAt("analytics_configuration[0].role_arn"),
        ),
        (
            "unknown ID",
            c().analytics(None, None, role, Some("ext")).with_block(
                attr::ANALYTICS_CONFIGURATION,
                &[
                    (attr::APPLICATION_ID, unknown()),
                    (attr::ROLE_ARN, s("arn:aws:iam::123456789012:role/pinpoint")),
                    (attr::EXTERNAL_ID, s("ext")),
                ],
            ),
            Valid,
        ),
        (
            "unknown block",
            c().with(attr::ANALYTICS_CONFIGURATION, unknown()),
            Valid,
        ),
    ]);
}

#[test]
fn surprising_configurations_warn() {
    let c = Config::minimal;
    run_table(vec![
        (
            "write attributes listed",
            c().with(attr::WRITE_ATTRIBUTES, set(&["name"])),
            Valid,
        ),
        (
            "empty write attributes",
            c().with(attr::WRITE_ATTRIBUTES, set(&[])),
            WarningAt("write_attributes"),
        ),
        (
            "COGNITO kept",
            c().with(attr::SUPPORTED_IDENTITY_PROVIDERS, set(&["COGNITO", "Google"])),
            Valid,
        ),
        (
            "COGNITO dropped",
            c().with(attr::SUPPORTED_IDENTITY_PROVIDERS, set(&["Google"])),
            WarningAt("supported_identity_providers"),
        ),
        (
            "no providers at all",
            c().with(attr::SUPPORTED_IDENTITY_PROVIDERS, set(&[])),
            Valid,
        ),
    ]);
}

#[test]
fn one_configuration_can_break_several_rules() {
    let config = Config::minimal()
        .with(attr::NAME, s("bad/name"))
        .with(attr::REFRESH_TOKEN_VALIDITY, n(0))
        .with(attr::CALLBACK_URLS, set(&["http://app.example.com/"]))
        .with(attr::ENABLE_PROPAGATE_ADDITIONAL_USER_CONTEXT_DATA, Value::Bool(true));
    let paths: Vec<String> = validate(&config.value())
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .filter_map(|d| d.attribute.as_ref().map(ToString::to_string))
        .collect();
    for expected in [
        "name",
        "refresh_token_validity",
        "callback_urls",
        "enable_propagate_additional_user_context_data",
    ] {
        assert!(
            paths.contains(&expected.to_string()),
            "{expected} missing from {paths:?}"
        );
    }
}

#[test]
fn wholly_unknown_or_null_configurations_are_not_judged() {
    assert!(validate(&Value::unknown()).is_empty());
    assert!(validate(&Value::Null).is_empty());
    let every_unknown = Config(Config::minimal().0.into_keys().map(|k| (k, unknown())).collect());
    assert!(validate(&every_unknown.value()).is_empty());
}

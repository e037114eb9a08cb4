//! The exactness matrix: hundreds of generated client configurations, applied in chains against the local Cognito
//! (proxy in Cognito mode), proving that what the provider plans is what exists.
//!
//! - Valid configurations are applied in chains: two user pools (with the resource servers and identity providers
//!   the clients name) and one working directory per chain, several differently generated clients per step, and
//!   each step changes, removes and adds arguments of the previous one, including `generate_secret` and
//!   `user_pool_id`, which replace the client. After every apply: the apply reported no inconsistent result, the
//!   re-plan is clean (`plan -detailed-exitcode` = 0), DescribeUserPoolClient shows every argument as configured and
//!   every argument left out (or removed) at Cognito's default, the state holds the secret exactly when
//!   `client_secret_in_state` allows it, and a client was replaced exactly when a replacing argument changed (the
//!   old one gone from Cognito).
//! - The run counts what it really checked: distinct configurations applied, and removals of each argument.
//! - Invalid configurations (a valid one with one rule broken) are planned in batches against a stack that has
//!   received no request: each must fail at plan time on the broken attribute, and the proxy must stay silent.
//!
//! The generator is seeded (`EXACTNESS_SEED` overrides the default), so a failure names a reproducible case. In
//! acceptance mode (`COGNITO_ACC=1`) the chains run against AWS and the request-log check is skipped, saying so.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::Instant;

use crate::support::tf_diagnostics::{self, Severity};
use crate::support::{PROVIDER_PREAMBLE, Terraform, TestCognito};
use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::types::UserPoolClientType;
use aws_smithy_types::error::display::DisplayErrorContext;
use fastrand::Rng;

const DEFAULT_SEED: u64 = 0x5eed_c0de;
const CHAINS: usize = 4;
const STEPS_PER_CHAIN: usize = 8;
const CLIENTS_PER_STEP: usize = 8;
/// Chains run all at once: a step waits mostly on Terraform and the emulator, not on the CPU.
const PARALLEL_CHAINS: usize = 4;
const INVALID_BATCHES: usize = 4;
const INVALID_PER_BATCH: usize = 10;
/// The chance that one facet of a client is regenerated (changed, removed or added) between two steps.
const CHANGE_CHANCE: f64 = 0.3;
/// The same for the facets that replace the client (its secret, its pool): lower, as each replacement is a create
/// and a delete.
const REPLACE_CHANCE: f64 = 0.08;

const SECONDS_PER: [(&str, i64); 4] = [("seconds", 1), ("minutes", 60), ("hours", 3_600), ("days", 86_400)];
const DEFAULT_AUTH_FLOWS: [&str; 3] = ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"];
const ALLOW_FLOWS_BUT_REFRESH: [&str; 7] = [
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_AUTH",
    "ALLOW_TOKEN_EXCHANGE_DELEGATION",
    "ALLOW_TOKEN_EXCHANGE_IMPERSONATION",
];
const LEGACY_FLOWS: [&str; 3] = ["ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"];
const USER_SCOPES: [&str; 5] = ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"];
const CUSTOM_SCOPES: [&str; 3] = ["api/read", "api/write", "orders/admin"];
const URLS: [&str; 6] = [
    "https://app.example.com/callback",
    "https://app.example.com/other",
    "https://admin.example.org/cb?tenant=1",
    "http://localhost:3000/callback",
    "http://127.0.0.1:8080/cb",
    "myapp://callback",
];
/// COGNITO, and the identity providers each chain creates in its pools.
const PROVIDERS: [&str; 3] = ["COGNITO", "corp", "partner"];
/// User pools per chain; a client moves between them (a replacement).
const POOLS_PER_CHAIN: usize = 2;
/// The role Cognito reports for an analytics configuration given by ApplicationArn alone: its service-linked role,
/// in the account of the Amazon Pinpoint project (the account of the generated ARNs).
const SERVICE_LINKED_ROLE: &str =
    "arn:aws:iam::123456789012:role/aws-service-role/cognito-idp.amazonaws.com/AWSServiceRoleForAmazonCognitoIdp";
/// Distinct configurations the matrix must apply, of CHAINS × STEPS_PER_CHAIN × CLIENTS_PER_STEP.
const MIN_DISTINCT_CONFIGURATIONS: usize = 200;
const READ_ATTRIBUTES: [&str; 5] = ["email", "email_verified", "name", "phone_number", "custom:tier"];
const WRITE_ATTRIBUTES: [&str; 3] = ["email", "name", "phone_number"];

fn unit_seconds(unit: &str) -> i64 {
    SECONDS_PER
        .iter()
        .find(|(name, _)| *name == unit)
        .map(|(_, seconds)| *seconds)
        .unwrap_or_else(|| panic!("unit {unit}"))
}

// ---------------------------------------------------------------------------------------------------------------
// The generated configuration of one client
// ---------------------------------------------------------------------------------------------------------------

/// Token lifetimes and their units; `None` = left out.
#[derive(Debug, Clone, Default, PartialEq)]
struct Tokens {
    units: Option<[Option<&'static str>; 3]>,
    /// Access, ID and refresh validity.
    values: [Option<i64>; 3],
}

impl Tokens {
    const DEFAULT_UNITS: [&'static str; 3] = ["hours", "hours", "days"];
    /// Cognito's durations in seconds: (min, max, default) of access, ID and refresh tokens.
    const RANGES: [(i64, i64, i64); 3] = [
        (300, 86_400, 3_600),
        (300, 86_400, 3_600),
        (3_600, 315_360_000, 30 * 86_400),
    ];

    fn unit(&self, index: usize) -> &'static str {
        self.units
            .and_then(|units| units[index])
            .unwrap_or(Self::DEFAULT_UNITS[index])
    }

    /// The number Cognito reports: the configured one, or the default duration in the unit; nothing when the unit
    /// is too coarse to express it (one hour in days), where the provider leaves the validity to Cognito and the
    /// local Cognito, like Cognito in HashiCorp's acceptance tests, reports no validity that was never set.
    fn effective(&self, index: usize) -> Option<i64> {
        self.values[index].or_else(|| {
            let seconds = unit_seconds(self.unit(index));
            let default = Self::RANGES[index].2;
            (default % seconds == 0).then_some(default / seconds)
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
struct OAuth {
    flows: Vec<&'static str>,
    scopes: Option<Vec<&'static str>>,
    callbacks: Option<Vec<String>>,
    logouts: Option<Vec<String>>,
    default_redirect: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct Analytics {
    application_arn: Option<String>,
    application_id: Option<String>,
    role_arn: Option<String>,
    external_id: Option<String>,
    user_data_shared: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
struct Rotation {
    feature: &'static str,
    grace: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
struct ClientSpec {
    name: String,
    /// Which of the chain's pools; a change replaces the client.
    pool: usize,
    /// A change replaces the client; `secret_written` says whether `generate_secret` appears in the configuration
    /// when it is false.
    secret: bool,
    secret_written: bool,
    /// `client_secret_in_state` as written.
    secret_in_state: Option<bool>,
    tokens: Tokens,
    auth_session: Option<i64>,
    auth_flows: Option<Vec<&'static str>>,
    rotation: Option<Rotation>,
    /// `switch` is `allowed_oauth_flows_user_pool_client` as written; `oauth` its settings.
    switch: Option<bool>,
    oauth: Option<OAuth>,
    revocation: Option<bool>,
    propagate: Option<bool>,
    prevent: Option<&'static str>,
    read: Option<Vec<&'static str>>,
    write: Option<Vec<&'static str>>,
    providers: Option<Vec<&'static str>>,
    analytics: Option<Analytics>,
}

// ---------------------------------------------------------------------------------------------------------------
// Generators: every facet is valid on its own and with the facets it depends on
// ---------------------------------------------------------------------------------------------------------------

fn chance(rng: &mut Rng, probability: f64) -> bool {
    rng.f64() < probability
}

fn pick<T: Copy>(rng: &mut Rng, items: &[T]) -> T {
    items[rng.usize(..items.len())]
}

/// A random subset of `items` with at least `min` elements, in the items' order.
fn subset<T: Copy>(rng: &mut Rng, items: &[T], min: usize) -> Vec<T> {
    loop {
        let chosen: Vec<T> = items.iter().copied().filter(|_| rng.bool()).collect();
        if chosen.len() >= min {
            return chosen;
        }
    }
}

fn maybe<T>(rng: &mut Rng, probability: f64, make: impl FnOnce(&mut Rng) -> T) -> Option<T> {
    if chance(rng, probability) {
        Some(make(rng))
    } else {
        None
    }
}

fn gen_tokens(rng: &mut Rng) -> Tokens {
    let units = maybe(rng, 0.5, |rng| {
        [0, 1, 2].map(|_| maybe(rng, 0.7, |rng| pick(rng, &SECONDS_PER).0))
    });
    let mut tokens = Tokens {
        units,
        values: [None; 3],
    };
    for index in 0..3 {
        if chance(rng, 0.6) {
            let seconds = unit_seconds(tokens.unit(index));
            let (min, max, _) = Tokens::RANGES[index];
            let (low, high) = ((min + seconds - 1) / seconds, max / seconds);
            // Mostly near the bottom of the range, where the numbers are readable, sometimes anywhere.
            let top = if chance(rng, 0.7) { high.min(low + 100) } else { high };
            tokens.values[index] = Some(rng.i64(low..=top));
        }
    }
    tokens
}

/// Auth flows and rotation together: with rotation off, ALLOW_* flows need ALLOW_REFRESH_TOKEN_AUTH.
fn gen_sign_in(rng: &mut Rng) -> (Option<Vec<&'static str>>, Option<Rotation>) {
    let rotation = maybe(rng, 0.5, |rng| {
        if chance(rng, 0.6) {
            Rotation {
                feature: "ENABLED",
                grace: maybe(rng, 0.6, |rng| rng.i64(0..=60)),
            }
        } else {
            Rotation {
                feature: "DISABLED",
                grace: None,
            }
        }
    });
    let enabled = rotation.as_ref().is_some_and(|r| r.feature == "ENABLED");
    let flows = maybe(rng, 0.7, |rng| {
        if enabled {
            subset(rng, &ALLOW_FLOWS_BUT_REFRESH, 1)
        } else if chance(rng, 0.85) {
            let mut flows = subset(rng, &ALLOW_FLOWS_BUT_REFRESH, 0);
            flows.push("ALLOW_REFRESH_TOKEN_AUTH");
            flows
        } else {
            subset(rng, &LEGACY_FLOWS, 1)
        }
    });
    (flows, rotation)
}

fn gen_urls(rng: &mut Rng, min: usize) -> Vec<String> {
    subset(rng, &URLS, min).into_iter().map(str::to_owned).collect()
}

fn gen_oauth(rng: &mut Rng, secret: bool) -> (Option<bool>, Option<OAuth>) {
    if chance(rng, 0.35) {
        // No OAuth: the switch left out or written as false.
        return (maybe(rng, 0.5, |_| false), None);
    }
    let oauth = if secret && chance(rng, 0.3) {
        OAuth {
            flows: vec!["client_credentials"],
            scopes: Some(subset(rng, &CUSTOM_SCOPES, 1)),
            callbacks: None,
            logouts: None,
            default_redirect: None,
        }
    } else {
        let callbacks = gen_urls(rng, 1);
        let default_redirect = maybe(rng, 0.5, |rng| callbacks[rng.usize(..callbacks.len())].clone());
        let scope_pool: Vec<&str> = USER_SCOPES.iter().chain(&CUSTOM_SCOPES[..1]).copied().collect();
        OAuth {
            flows: subset(rng, &["code", "implicit"], 1),
            scopes: maybe(rng, 0.8, |rng| subset(rng, &scope_pool, 0)),
            callbacks: Some(callbacks),
            logouts: maybe(rng, 0.5, |rng| gen_urls(rng, 0)),
            default_redirect,
        }
    };
    (Some(true), Some(oauth))
}

/// Either form Cognito takes: a Pinpoint project by ID with a role and external ID, or by ARN alone (Cognito then
/// uses its service-linked role).
fn gen_analytics(rng: &mut Rng) -> Analytics {
    let user_data_shared = maybe(rng, 0.7, |rng| rng.bool());
    if chance(rng, 0.4) {
        return Analytics {
            application_arn: Some(format!(
                "arn:aws:mobiletargeting:us-east-1:123456789012:apps/{:032x}",
                rng.u128(..)
            )),
            application_id: None,
            role_arn: None,
            external_id: None,
            user_data_shared,
        };
    }
    Analytics {
        application_arn: None,
        application_id: Some(format!("{:032x}", rng.u128(..))),
        role_arn: Some(format!("arn:aws:iam::123456789012:role/pinpoint-{}", rng.u8(..))),
        external_id: Some(format!("external-{}", rng.u16(..))),
        user_data_shared,
    }
}

/// The facets of a client that can change independently between steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facet {
    Name,
    Tokens,
    AuthSession,
    SignIn,
    OAuth,
    Revocation,
    Propagate,
    Prevent,
    Read,
    Write,
    Providers,
    Analytics,
    SecretWritten,
    SecretInState,
    /// Replacing: `generate_secret` and `user_pool_id`.
    Secret,
    Pool,
}

/// The facets a new client is generated with; its secret and pool are given.
const FACETS: [Facet; 14] = [
    Facet::Name,
    Facet::Tokens,
    Facet::AuthSession,
    Facet::SignIn,
    Facet::OAuth,
    Facet::Revocation,
    Facet::Propagate,
    Facet::Prevent,
    Facet::Read,
    Facet::Write,
    Facet::Providers,
    Facet::Analytics,
    Facet::SecretWritten,
    Facet::SecretInState,
];
/// The facets that replace the client when they change; they evolve too, less often.
const REPLACING_FACETS: [Facet; 2] = [Facet::Secret, Facet::Pool];

fn regenerate(spec: &mut ClientSpec, facet: Facet, rng: &mut Rng) {
    match facet {
        Facet::Name => {
            spec.name = format!(
                "client {}-{}",
                rng.u16(..),
                pick(rng, &["web", "mobile", "svc.x", "a_b@c"])
            )
        }
        Facet::Tokens => spec.tokens = gen_tokens(rng),
        Facet::AuthSession => spec.auth_session = maybe(rng, 0.5, |rng| rng.i64(3..=15)),
        Facet::SignIn => (spec.auth_flows, spec.rotation) = gen_sign_in(rng),
        Facet::OAuth => (spec.switch, spec.oauth) = gen_oauth(rng, spec.secret),
        Facet::Revocation => spec.revocation = maybe(rng, 0.5, |rng| rng.bool()),
        Facet::Propagate => spec.propagate = maybe(rng, 0.5, |rng| spec.secret && rng.bool()),
        Facet::Prevent => spec.prevent = maybe(rng, 0.5, |rng| pick(rng, &["LEGACY", "ENABLED"])),
        Facet::Read => spec.read = maybe(rng, 0.5, |rng| subset(rng, &READ_ATTRIBUTES, 0)),
        Facet::Write => spec.write = maybe(rng, 0.5, |rng| subset(rng, &WRITE_ATTRIBUTES, 0)),
        Facet::Providers => spec.providers = maybe(rng, 0.5, |rng| subset(rng, &PROVIDERS, 0)),
        Facet::Analytics => spec.analytics = maybe(rng, 0.3, gen_analytics),
        Facet::SecretWritten => spec.secret_written = rng.bool(),
        Facet::SecretInState => spec.secret_in_state = maybe(rng, 0.6, |rng| rng.bool()),
        Facet::Secret => {
            spec.secret = !spec.secret;
            if !spec.secret {
                // What needs a secret goes with it.
                spec.propagate = spec.propagate.filter(|propagate| !propagate);
                if spec
                    .oauth
                    .as_ref()
                    .is_some_and(|oauth| oauth.flows.contains(&"client_credentials"))
                {
                    (spec.switch, spec.oauth) = gen_oauth(rng, false);
                }
            }
        }
        Facet::Pool => spec.pool = (spec.pool + 1) % POOLS_PER_CHAIN,
    }
}

fn gen_client(rng: &mut Rng, secret: bool, pool: usize) -> ClientSpec {
    let mut spec = ClientSpec {
        name: String::new(),
        pool,
        secret,
        secret_written: true,
        secret_in_state: None,
        tokens: Tokens::default(),
        auth_session: None,
        auth_flows: None,
        rotation: None,
        switch: None,
        oauth: None,
        revocation: None,
        propagate: None,
        prevent: None,
        read: None,
        write: None,
        providers: None,
        analytics: None,
    };
    for facet in FACETS {
        regenerate(&mut spec, facet, rng);
    }
    spec
}

/// The next step of a client: each facet regenerated with [`CHANGE_CHANCE`] ([`REPLACE_CHANCE`] for those that
/// replace it).
fn evolve(spec: &ClientSpec, rng: &mut Rng) -> ClientSpec {
    let mut next = spec.clone();
    let evolving = FACETS
        .into_iter()
        .map(|facet| (facet, CHANGE_CHANCE))
        .chain(REPLACING_FACETS.map(|facet| (facet, REPLACE_CHANCE)));
    for (facet, probability) in evolving {
        if chance(rng, probability) {
            regenerate(&mut next, facet, rng);
        }
    }
    next
}

// ---------------------------------------------------------------------------------------------------------------
// HCL
// ---------------------------------------------------------------------------------------------------------------

fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

fn list<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| quoted(item.as_ref())).collect();
    format!("[{}]", quoted.join(", "))
}

fn render(resource: &str, pools: &[String], spec: &ClientSpec) -> String {
    let mut hcl = format!("resource \"cognito_user_pool_client\" \"{resource}\" {{\n");
    let mut line = |name: &str, value: String| {
        writeln!(hcl, "  {name} = {value}").expect("write to a string");
    };
    line("user_pool_id", quoted(&pools[spec.pool]));
    line("name", quoted(&spec.name));
    if spec.secret || spec.secret_written {
        line("generate_secret", spec.secret.to_string());
    }
    if let Some(in_state) = spec.secret_in_state {
        line("client_secret_in_state", in_state.to_string());
    }
    let token_names = ["access_token_validity", "id_token_validity", "refresh_token_validity"];
    for (name, value) in token_names.iter().zip(spec.tokens.values) {
        if let Some(value) = value {
            line(name, value.to_string());
        }
    }
    if let Some(minutes) = spec.auth_session {
        line("auth_session_validity", minutes.to_string());
    }
    if let Some(flows) = &spec.auth_flows {
        line("explicit_auth_flows", list(flows));
    }
    if let Some(switch) = spec.switch {
        line("allowed_oauth_flows_user_pool_client", switch.to_string());
    }
    if let Some(oauth) = &spec.oauth {
        line("allowed_oauth_flows", list(&oauth.flows));
        if let Some(scopes) = &oauth.scopes {
            line("allowed_oauth_scopes", list(scopes));
        }
        if let Some(callbacks) = &oauth.callbacks {
            line("callback_urls", list(callbacks));
        }
        if let Some(logouts) = &oauth.logouts {
            line("logout_urls", list(logouts));
        }
        if let Some(redirect) = &oauth.default_redirect {
            line("default_redirect_uri", quoted(redirect));
        }
    }
    if let Some(flag) = spec.revocation {
        line("enable_token_revocation", flag.to_string());
    }
    if let Some(flag) = spec.propagate {
        line("enable_propagate_additional_user_context_data", flag.to_string());
    }
    if let Some(value) = spec.prevent {
        line("prevent_user_existence_errors", quoted(value));
    }
    if let Some(items) = &spec.read {
        line("read_attributes", list(items));
    }
    if let Some(items) = &spec.write {
        line("write_attributes", list(items));
    }
    if let Some(items) = &spec.providers {
        line("supported_identity_providers", list(items));
    }
    if let Some(units) = spec.tokens.units {
        hcl.push_str("  token_validity_units {\n");
        for (name, unit) in ["access_token", "id_token", "refresh_token"].iter().zip(units) {
            if let Some(unit) = unit {
                writeln!(hcl, "    {name} = {}", quoted(unit)).expect("write to a string");
            }
        }
        hcl.push_str("  }\n");
    }
    if let Some(rotation) = &spec.rotation {
        hcl.push_str("  refresh_token_rotation {\n");
        writeln!(hcl, "    feature = {}", quoted(rotation.feature)).expect("write to a string");
        if let Some(grace) = rotation.grace {
            writeln!(hcl, "    retry_grace_period_seconds = {grace}").expect("write to a string");
        }
        hcl.push_str("  }\n");
    }
    if let Some(analytics) = &spec.analytics {
        hcl.push_str("  analytics_configuration {\n");
        let fields = [
            ("application_arn", &analytics.application_arn),
            ("application_id", &analytics.application_id),
            ("role_arn", &analytics.role_arn),
            ("external_id", &analytics.external_id),
        ];
        for (name, value) in fields {
            if let Some(value) = value {
                writeln!(hcl, "    {name} = {}", quoted(value)).expect("write to a string");
            }
        }
        if let Some(shared) = analytics.user_data_shared {
            writeln!(hcl, "    user_data_shared = {shared}").expect("write to a string");
        }
        hcl.push_str("  }\n");
    }
    hcl.push_str("}\n");
    hcl
}

fn render_all(pools: &[String], specs: &[ClientSpec], prefix: &str) -> String {
    let mut main_tf = PROVIDER_PREAMBLE.to_owned();
    for (index, spec) in specs.iter().enumerate() {
        main_tf.push('\n');
        main_tf.push_str(&render(&format!("{prefix}{index}"), pools, spec));
    }
    main_tf
}

// ---------------------------------------------------------------------------------------------------------------
// What Cognito must hold
// ---------------------------------------------------------------------------------------------------------------

fn set<S: AsRef<str>>(items: &[S]) -> BTreeSet<String> {
    items.iter().map(|item| item.as_ref().to_owned()).collect()
}

fn set_or_empty<S: AsRef<str>>(items: Option<&Vec<S>>) -> BTreeSet<String> {
    items.map(|items| set(items)).unwrap_or_default()
}

/// Every difference between what Describe reports and what the configuration (with Cognito's defaults for
/// everything left out) says.
fn remote_differences(spec: &ClientSpec, remote: &UserPoolClientType) -> Vec<String> {
    let mut problems = Vec::new();
    let mut expect = |what: &str, expected: String, actual: String| {
        if expected != actual {
            problems.push(format!("{what}: expected {expected}, Cognito has {actual}"));
        }
    };
    expect(
        "name",
        spec.name.clone(),
        remote.client_name().unwrap_or_default().to_owned(),
    );
    expect(
        "secret",
        spec.secret.to_string(),
        remote.client_secret().is_some().to_string(),
    );
    let units = remote.token_validity_units();
    let remote_units = [
        units.and_then(|u| u.access_token()).map(|u| u.as_str().to_owned()),
        units.and_then(|u| u.id_token()).map(|u| u.as_str().to_owned()),
        units.and_then(|u| u.refresh_token()).map(|u| u.as_str().to_owned()),
    ];
    let remote_values = [
        remote.access_token_validity(),
        remote.id_token_validity(),
        Some(remote.refresh_token_validity()),
    ];
    for index in 0..3 {
        expect(
            &format!("unit {index}"),
            format!("{:?}", Some(spec.tokens.unit(index))),
            format!("{:?}", remote_units[index].as_deref()),
        );
        expect(
            &format!("validity {index}"),
            format!("{:?}", spec.tokens.effective(index)),
            format!("{:?}", remote_values[index].map(i64::from)),
        );
    }
    expect(
        "auth_session_validity",
        format!("{:?}", Some(spec.auth_session.unwrap_or(3))),
        format!("{:?}", remote.auth_session_validity()),
    );
    let flows: Vec<&str> = remote.explicit_auth_flows().iter().map(|f| f.as_str()).collect();
    expect(
        "explicit_auth_flows",
        format!(
            "{:?}",
            spec.auth_flows
                .as_ref()
                .map_or_else(|| set(&DEFAULT_AUTH_FLOWS), |f| set(f))
        ),
        format!("{:?}", set(&flows)),
    );
    expect(
        "allowed_oauth_flows_user_pool_client",
        format!("{:?}", Some(spec.switch.unwrap_or(false))),
        format!("{:?}", remote.allowed_o_auth_flows_user_pool_client()),
    );
    let oauth = spec.oauth.as_ref();
    let oauth_flows: Vec<&str> = remote.allowed_o_auth_flows().iter().map(|f| f.as_str()).collect();
    expect(
        "allowed_oauth_flows",
        format!("{:?}", set_or_empty(oauth.map(|o| &o.flows))),
        format!("{:?}", set(&oauth_flows)),
    );
    expect(
        "allowed_oauth_scopes",
        format!("{:?}", set_or_empty(oauth.and_then(|o| o.scopes.as_ref()))),
        format!("{:?}", set(remote.allowed_o_auth_scopes())),
    );
    expect(
        "callback_urls",
        format!("{:?}", set_or_empty(oauth.and_then(|o| o.callbacks.as_ref()))),
        format!("{:?}", set(remote.callback_urls())),
    );
    expect(
        "logout_urls",
        format!("{:?}", set_or_empty(oauth.and_then(|o| o.logouts.as_ref()))),
        format!("{:?}", set(remote.logout_urls())),
    );
    expect(
        "default_redirect_uri",
        format!("{:?}", oauth.and_then(|o| o.default_redirect.as_deref())),
        format!("{:?}", remote.default_redirect_uri()),
    );
    expect(
        "enable_token_revocation",
        format!("{:?}", Some(spec.revocation.unwrap_or(true))),
        format!("{:?}", remote.enable_token_revocation()),
    );
    expect(
        "enable_propagate_additional_user_context_data",
        format!("{:?}", Some(spec.propagate.unwrap_or(false))),
        format!("{:?}", remote.enable_propagate_additional_user_context_data()),
    );
    expect(
        "prevent_user_existence_errors",
        format!("{:?}", Some(spec.prevent.unwrap_or("LEGACY"))),
        format!("{:?}", remote.prevent_user_existence_errors().map(|p| p.as_str())),
    );
    expect(
        "read_attributes",
        format!("{:?}", set_or_empty(spec.read.as_ref())),
        format!("{:?}", set(remote.read_attributes())),
    );
    expect(
        "write_attributes",
        format!("{:?}", set_or_empty(spec.write.as_ref())),
        format!("{:?}", set(remote.write_attributes())),
    );
    expect(
        "supported_identity_providers",
        format!("{:?}", set_or_empty(spec.providers.as_ref())),
        format!("{:?}", set(remote.supported_identity_providers())),
    );
    let remote_analytics = remote.analytics_configuration().map(|a| {
        (
            a.application_arn().map(str::to_owned),
            a.application_id().map(str::to_owned),
            a.role_arn().map(str::to_owned),
            a.external_id().map(str::to_owned),
            a.user_data_shared(),
        )
    });
    let expected_analytics = spec.analytics.as_ref().map(|a| {
        let role = match (&a.application_arn, &a.role_arn) {
            (Some(_), None) => Some(SERVICE_LINKED_ROLE.to_owned()),
            (_, role) => role.clone(),
        };
        (
            a.application_arn.clone(),
            a.application_id.clone(),
            role,
            a.external_id.clone(),
            a.user_data_shared.unwrap_or(false),
        )
    });
    expect(
        "analytics_configuration",
        format!("{expected_analytics:?}"),
        format!("{remote_analytics:?}"),
    );
    let rotation = remote.refresh_token_rotation();
    expect(
        "refresh_token_rotation",
        format!(
            "{:?}",
            spec.rotation
                .as_ref()
                .map_or(Some(("DISABLED", 0)), |r| Some((r.feature, r.grace.unwrap_or(0))))
        ),
        format!(
            "{:?}",
            rotation.map(|r| (r.feature().as_str(), r.retry_grace_period_seconds().unwrap_or(0)))
        ),
    );
    problems
}

/// The client as Cognito describes it; `None` once it is gone.
async fn describe(sdk: &Client, pool_id: &str, client_id: &str) -> Option<UserPoolClientType> {
    match sdk
        .describe_user_pool_client()
        .user_pool_id(pool_id)
        .client_id(client_id)
        .send()
        .await
    {
        Ok(output) => Some(output.user_pool_client.expect("Describe returns the client")),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|error| error.is_resource_not_found_exception()) =>
        {
            None
        }
        Err(error) => panic!("DescribeUserPoolClient {client_id}: {}", DisplayErrorContext(&error)),
    }
}

/// The attributes of every `cognito_user_pool_client` in a state, by resource name.
fn state_clients(state: &serde_json::Value) -> BTreeMap<String, serde_json::Value> {
    state["resources"]
        .as_array()
        .expect("state resources")
        .iter()
        .filter(|r| r["type"] == "cognito_user_pool_client")
        .map(|r| {
            let name = r["name"].as_str().expect("resource name").to_owned();
            (name, r["instances"][0]["attributes"].clone())
        })
        .collect()
}

/// Every difference between the state of a client and its configuration: its pool, and its secret, which the
/// state holds exactly when the client has one and `client_secret_in_state` is not false, and then as Cognito has it.
fn state_differences(
    spec: &ClientSpec,
    pools: &[String],
    state: &serde_json::Value,
    remote: &UserPoolClientType,
) -> Vec<String> {
    let mut problems = Vec::new();
    if state["user_pool_id"] != pools[spec.pool].as_str() {
        problems.push(format!(
            "user_pool_id: expected {}, state has {}",
            pools[spec.pool], state["user_pool_id"]
        ));
    }
    let kept = spec.secret && spec.secret_in_state != Some(false);
    let expected = if kept { remote.client_secret() } else { None };
    if state["client_secret"].as_str() != expected {
        problems.push(format!(
            "client_secret: expected {} in state (secret {}, client_secret_in_state {:?}), state has {}",
            if expected.is_some() { "Cognito's secret" } else { "null" },
            spec.secret,
            spec.secret_in_state,
            if state["client_secret"].is_null() {
                "null"
            } else {
                "a different value"
            }
        ));
    }
    problems
}

// ---------------------------------------------------------------------------------------------------------------
// Chains of valid configurations
// ---------------------------------------------------------------------------------------------------------------

/// What the chains applied and checked, for the summary and the final assertions.
#[derive(Debug, Default)]
struct ChainStats {
    applies: usize,
    /// Every configuration applied (its generated form), to count the distinct ones.
    configurations: Vec<String>,
    /// Per argument: how often it was changed, removed (written → left out) or added between two steps, counted once
    /// the step's checks passed.
    changed: BTreeMap<&'static str, usize>,
    removed: BTreeMap<&'static str, usize>,
    added: BTreeMap<&'static str, usize>,
    /// Clients replaced (a new ID, the old client gone) because `generate_secret` or `user_pool_id` changed.
    replaced: usize,
}

impl ChainStats {
    fn absorb(&mut self, other: ChainStats) {
        self.applies += other.applies;
        self.configurations.extend(other.configurations);
        for (mine, theirs) in [
            (&mut self.changed, other.changed),
            (&mut self.removed, other.removed),
            (&mut self.added, other.added),
        ] {
            for (argument, count) in theirs {
                *mine.entry(argument).or_default() += count;
            }
        }
        self.replaced += other.replaced;
    }
}

/// Each argument a configuration may leave out, with its value as written (`None`: left out).
fn written_arguments(spec: &ClientSpec) -> [(&'static str, Option<String>); 22] {
    fn shown<T: std::fmt::Debug>(value: Option<T>) -> Option<String> {
        value.map(|value| format!("{value:?}"))
    }
    let oauth = spec.oauth.as_ref();
    [
        (
            "generate_secret",
            shown((spec.secret || spec.secret_written).then_some(spec.secret)),
        ),
        ("client_secret_in_state", shown(spec.secret_in_state)),
        ("access_token_validity", shown(spec.tokens.values[0])),
        ("id_token_validity", shown(spec.tokens.values[1])),
        ("refresh_token_validity", shown(spec.tokens.values[2])),
        ("token_validity_units", shown(spec.tokens.units)),
        ("auth_session_validity", shown(spec.auth_session)),
        ("explicit_auth_flows", shown(spec.auth_flows.as_ref())),
        ("refresh_token_rotation", shown(spec.rotation.as_ref())),
        ("allowed_oauth_flows_user_pool_client", shown(spec.switch)),
        ("allowed_oauth_flows", shown(oauth.map(|o| &o.flows))),
        ("allowed_oauth_scopes", shown(oauth.and_then(|o| o.scopes.as_ref()))),
        ("callback_urls", shown(oauth.and_then(|o| o.callbacks.as_ref()))),
        ("logout_urls", shown(oauth.and_then(|o| o.logouts.as_ref()))),
        (
            "default_redirect_uri",
            shown(oauth.and_then(|o| o.default_redirect.as_ref())),
        ),
        ("enable_token_revocation", shown(spec.revocation)),
        ("enable_propagate_additional_user_context_data", shown(spec.propagate)),
        ("prevent_user_existence_errors", shown(spec.prevent)),
        ("read_attributes", shown(spec.read.as_ref())),
        ("write_attributes", shown(spec.write.as_ref())),
        ("supported_identity_providers", shown(spec.providers.as_ref())),
        ("analytics_configuration", shown(spec.analytics.as_ref())),
    ]
}

/// Counts how each argument went between two steps of a client: changed, removed, added.
fn count_transitions(before: &ClientSpec, after: &ClientSpec, stats: &mut ChainStats) {
    for ((argument, was), (_, is)) in written_arguments(before).into_iter().zip(written_arguments(after)) {
        let counter = match (&was, &is) {
            (Some(_), None) => &mut stats.removed,
            (None, Some(_)) => &mut stats.added,
            (Some(was), Some(is)) if was != is => &mut stats.changed,
            _ => continue,
        };
        *counter.entry(argument).or_default() += 1;
    }
}

/// Creates one of a chain's pools, with what its clients may name: the resource servers of CUSTOM_SCOPES and the
/// identity providers of PROVIDERS.
async fn create_pool(stack: &TestCognito, name: &str) -> String {
    let pool_id = stack.create_user_pool(name).await;
    stack.create_resource_server(&pool_id, "api", &["read", "write"]).await;
    stack.create_resource_server(&pool_id, "orders", &["admin"]).await;
    for provider in PROVIDERS.iter().filter(|provider| **provider != "COGNITO") {
        stack.create_identity_provider(&pool_id, provider).await;
    }
    pool_id
}

fn run_chain(stack: &TestCognito, runtime: &tokio::runtime::Runtime, chain: usize, seed: u64) -> ChainStats {
    let mut rng = Rng::with_seed(seed ^ (chain as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let sdk = stack.sdk();
    let pools: Vec<String> = (0..POOLS_PER_CHAIN)
        .map(|pool| runtime.block_on(create_pool(stack, &format!("exactness-{chain}-{pool}"))))
        .collect();
    let tf = Terraform::new(stack);
    let mut stats = ChainStats::default();
    let mut specs: Vec<ClientSpec> = (0..CLIENTS_PER_STEP)
        .map(|slot| gen_client(&mut rng, slot % 3 == 0, slot % POOLS_PER_CHAIN))
        .collect();
    let mut previous: Option<(Vec<ClientSpec>, BTreeMap<String, String>)> = None;
    for step in 0..STEPS_PER_CHAIN {
        let mut transitions = ChainStats::default();
        if step > 0 {
            let next: Vec<ClientSpec> = specs.iter().map(|spec| evolve(spec, &mut rng)).collect();
            for (before, after) in specs.iter().zip(&next) {
                count_transitions(before, after, &mut transitions);
            }
            specs = next;
        }
        let main_tf = render_all(&pools, &specs, "c");
        let case = || format!("seed {seed:#x}, chain {chain}, step {step}:\n{main_tf}");
        tf.write_config(&main_tf);

        let applied = tf.run(&["apply", "-auto-approve"]);
        assert!(applied.success(), "apply failed ({}): {applied}", case());
        let all_output = format!("{}{}", applied.stdout, applied.stderr);
        assert!(
            !all_output.contains("inconsistent"),
            "apply reported an inconsistent result ({}): {applied}",
            case()
        );

        let replan = tf.run(&["plan", "-detailed-exitcode"]);
        assert_eq!(
            replan.code(),
            0,
            "the re-plan after apply is not clean ({}): {replan}",
            case()
        );

        let in_state = state_clients(&tf.state());
        let mut ids = BTreeMap::new();
        let mut problems = Vec::new();
        for (index, spec) in specs.iter().enumerate() {
            let name = format!("c{index}");
            let state = in_state
                .get(&name)
                .unwrap_or_else(|| panic!("{name} is not in the state ({})", case()));
            let client_id = state["id"].as_str().expect("client id").to_owned();
            let Some(remote) = runtime.block_on(describe(&sdk, &pools[spec.pool], &client_id)) else {
                problems.push(format!("{name}: {client_id} is in the state but not in its pool"));
                continue;
            };
            let differences = remote_differences(spec, &remote)
                .into_iter()
                .chain(state_differences(spec, &pools, state, &remote));
            problems.extend(differences.map(|p| format!("{name}: {p}")));
            if let Some((before_specs, before_ids)) = &previous {
                let before = &before_specs[index];
                let before_id = &before_ids[&name];
                let replacing = before.secret != spec.secret || before.pool != spec.pool;
                if replacing != (*before_id != client_id) {
                    problems.push(format!(
                        "{name}: {} replaced (secret {} → {}, pool {} → {}), yet its ID went {before_id} → {client_id}",
                        if replacing {
                            "should have been"
                        } else {
                            "should not have been"
                        },
                        before.secret,
                        spec.secret,
                        before.pool,
                        spec.pool
                    ));
                } else if replacing {
                    if runtime
                        .block_on(describe(&sdk, &pools[before.pool], before_id))
                        .is_some()
                    {
                        problems.push(format!("{name}: the client {before_id} it replaced still exists"));
                    }
                    transitions.replaced += 1;
                }
            }
            ids.insert(name, client_id);
        }
        assert!(
            problems.is_empty(),
            "Cognito or the state does not hold the configuration ({}):\n{}",
            case(),
            problems.join("\n")
        );
        // Counted only now that the step's checks passed.
        transitions.applies = 1;
        transitions.configurations = specs.iter().map(|spec| format!("{spec:?}")).collect();
        stats.absorb(transitions);
        previous = Some((specs.clone(), ids));
    }
    stats
}

// ---------------------------------------------------------------------------------------------------------------
// Invalid configurations
// ---------------------------------------------------------------------------------------------------------------

/// One way to break a valid configuration, and a fragment of the configuration line the error must point at.
struct Breakage {
    label: &'static str,
    apply: fn(&mut ClientSpec),
    line_fragment: &'static str,
}

fn code_flow(callbacks: &[&str]) -> OAuth {
    OAuth {
        flows: vec!["code"],
        scopes: Some(vec!["openid"]),
        callbacks: Some(callbacks.iter().map(|c| c.to_string()).collect()),
        logouts: None,
        default_redirect: None,
    }
}

fn machine_flow(flows: Vec<&'static str>, scopes: Vec<&'static str>) -> OAuth {
    OAuth {
        flows,
        scopes: Some(scopes),
        callbacks: Some(vec!["https://app.example.com/callback".into()]),
        logouts: None,
        default_redirect: None,
    }
}

const BREAKAGES: [Breakage; 22] = [
    Breakage {
        label: "name outside the character set",
        apply: |s| s.name = "app/one".into(),
        line_fragment: "name =",
    },
    Breakage {
        label: "refresh 0",
        apply: |s| s.tokens.values[2] = Some(0),
        line_fragment: "refresh_token_validity",
    },
    Breakage {
        label: "access 25 hours",
        apply: |s| {
            s.tokens.units = Some([Some("hours"), None, None]);
            s.tokens.values = [Some(25), None, None];
        },
        line_fragment: "access_token_validity",
    },
    Breakage {
        label: "refresh 59 minutes",
        apply: |s| {
            s.tokens.units = Some([None, None, Some("minutes")]);
            s.tokens.values = [None, None, Some(59)];
        },
        line_fragment: "refresh_token_validity",
    },
    Breakage {
        label: "auth session 16",
        apply: |s| s.auth_session = Some(16),
        line_fragment: "auth_session_validity",
    },
    Breakage {
        label: "grace 61",
        apply: |s| {
            s.rotation = Some(Rotation {
                feature: "ENABLED",
                grace: Some(61),
            })
        },
        line_fragment: "retry_grace_period_seconds",
    },
    Breakage {
        label: "unit weeks",
        apply: |s| {
            s.tokens = Tokens {
                units: Some([None, Some("weeks"), None]),
                values: [None; 3],
            }
        },
        line_fragment: "id_token",
    },
    Breakage {
        label: "plain http callback",
        apply: |s| {
            s.switch = Some(true);
            s.oauth = Some(code_flow(&["http://app.example.com/callback"]));
        },
        line_fragment: "callback_urls",
    },
    Breakage {
        label: "fragment in a logout URL",
        apply: |s| {
            s.switch = Some(true);
            let mut oauth = code_flow(&["https://app.example.com/callback"]);
            oauth.logouts = Some(vec!["https://app.example.com/#bye".into()]);
            s.oauth = Some(oauth);
        },
        line_fragment: "logout_urls",
    },
    Breakage {
        label: "default redirect not a callback",
        apply: |s| {
            s.switch = Some(true);
            let mut oauth = code_flow(&["https://app.example.com/callback"]);
            oauth.default_redirect = Some("https://app.example.com/other".into());
            s.oauth = Some(oauth);
        },
        line_fragment: "default_redirect_uri",
    },
    Breakage {
        label: "101 callback URLs",
        apply: |s| {
            s.switch = Some(true);
            let urls: Vec<String> = (0..101).map(|i| format!("https://app.example.com/cb/{i}")).collect();
            let mut oauth = code_flow(&[]);
            oauth.callbacks = Some(urls);
            s.oauth = Some(oauth);
        },
        line_fragment: "callback_urls",
    },
    Breakage {
        label: "client_credentials with code",
        apply: |s| {
            s.secret = true;
            s.switch = Some(true);
            s.oauth = Some(machine_flow(vec!["client_credentials", "code"], vec!["api/read"]));
        },
        line_fragment: "allowed_oauth_flows",
    },
    Breakage {
        label: "client_credentials without a secret",
        apply: |s| {
            s.secret = false;
            s.propagate = None;
            s.switch = Some(true);
            s.oauth = Some(machine_flow(vec!["client_credentials"], vec!["api/read"]));
        },
        line_fragment: "allowed_oauth_flows",
    },
    Breakage {
        label: "client_credentials with openid",
        apply: |s| {
            s.secret = true;
            s.switch = Some(true);
            s.oauth = Some(machine_flow(vec!["client_credentials"], vec!["openid", "api/read"]));
        },
        line_fragment: "allowed_oauth_scopes",
    },
    Breakage {
        label: "51 scopes",
        apply: |s| {
            s.switch = Some(true);
            let scopes: Vec<&'static str> = (0..51)
                .map(|i| &*Box::leak(format!("api/s{i}").into_boxed_str()))
                .collect();
            let mut oauth = code_flow(&["https://app.example.com/callback"]);
            oauth.scopes = Some(scopes);
            s.oauth = Some(oauth);
        },
        line_fragment: "allowed_oauth_scopes",
    },
    Breakage {
        label: "OAuth settings without the switch",
        apply: |s| {
            s.switch = None;
            s.oauth = Some(code_flow(&["https://app.example.com/callback"]));
        },
        line_fragment: "allowed_oauth_flows",
    },
    Breakage {
        label: "legacy mixed with ALLOW_",
        apply: |s| {
            s.auth_flows = Some(vec![
                "USER_PASSWORD_AUTH",
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH",
            ])
        },
        line_fragment: "explicit_auth_flows",
    },
    Breakage {
        label: "ALLOW_ without refresh, rotation off",
        apply: |s| {
            s.rotation = None;
            s.auth_flows = Some(vec!["ALLOW_USER_SRP_AUTH"]);
        },
        line_fragment: "explicit_auth_flows",
    },
    Breakage {
        label: "empty auth flows",
        apply: |s| s.auth_flows = Some(vec![]),
        line_fragment: "explicit_auth_flows",
    },
    Breakage {
        label: "context data without a secret",
        apply: |s| {
            s.secret = false;
            s.propagate = Some(true);
        },
        line_fragment: "enable_propagate_additional_user_context_data",
    },
    Breakage {
        label: "analytics ID without role",
        apply: |s| {
            s.analytics = Some(Analytics {
                application_arn: None,
                application_id: Some("0123abcd".into()),
                role_arn: None,
                external_id: Some("ext".into()),
                user_data_shared: None,
            });
        },
        line_fragment: "application_id",
    },
    Breakage {
        label: "analytics ARN with external ID",
        apply: |s| {
            s.analytics = Some(Analytics {
                application_arn: Some("arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123abcd".into()),
                application_id: None,
                role_arn: None,
                external_id: Some("ext".into()),
                user_data_shared: None,
            });
        },
        line_fragment: "external_id",
    },
];

/// Plans batches of invalid clients on a stack that has had no request; returns how many were planned.
fn plan_invalid_batches(stack: &TestCognito, seed: u64) -> usize {
    let mut rng = Rng::with_seed(seed ^ 0xbad);
    let tf = Terraform::new(stack);
    let mut planned = 0;
    for batch in 0..INVALID_BATCHES {
        let mut specs = Vec::new();
        let mut breakages = Vec::new();
        for index in 0..INVALID_PER_BATCH {
            let secret = rng.bool();
            let mut spec = gen_client(&mut rng, secret, 0);
            let breakage = &BREAKAGES[(batch * INVALID_PER_BATCH + index) % BREAKAGES.len()];
            (breakage.apply)(&mut spec);
            if !spec.secret {
                // Keep the one broken rule the only one about the secret.
                if breakage.label != "context data without a secret" {
                    spec.propagate = spec.propagate.filter(|p| !p);
                }
                if let Some(oauth) = &spec.oauth
                    && oauth.flows.contains(&"client_credentials")
                    && breakage.label != "client_credentials without a secret"
                {
                    spec.secret = true;
                }
            }
            specs.push(spec);
            breakages.push(breakage);
        }
        let main_tf = render_all(&["us-east-1_doesNotExist".to_owned()], &specs, "bad");
        tf.write_config(&main_tf);
        let output = tf.run(&["plan"]);
        assert_eq!(
            output.code(),
            1,
            "batch {batch} must fail at plan time: {output}\n{main_tf}"
        );
        let diagnostics = tf_diagnostics::parse(&format!("{}\n{}", output.stdout, output.stderr));
        for (index, breakage) in breakages.iter().enumerate() {
            let address = format!("cognito_user_pool_client.bad{index}");
            let found = diagnostics.iter().any(|d| {
                d.severity == Severity::Error
                    && d.address.as_deref() == Some(&address)
                    && d.source
                        .as_deref()
                        .is_some_and(|source| source.contains(breakage.line_fragment))
            });
            assert!(
                found,
                "{address} ({}) has no error at a line with {:?}: {diagnostics:#?}\n{main_tf}",
                breakage.label, breakage.line_fragment
            );
        }
        planned += specs.len();
    }
    if let Some(local) = stack.local("no request in the request log after the invalid plans") {
        assert_eq!(
            local.requests(),
            Vec::new(),
            "plan-time errors must fire before any request reaches Cognito"
        );
    }
    planned
}

// ---------------------------------------------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn what_is_planned_is_what_exists() {
    let seed = std::env::var("EXACTNESS_SEED")
        .ok()
        .and_then(|text| u64::from_str_radix(text.trim_start_matches("0x"), 16).ok())
        .unwrap_or(DEFAULT_SEED);
    let started = Instant::now();
    let stack = TestCognito::start();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");

    // First, while the proxy has seen nothing at all.
    let invalid = plan_invalid_batches(&stack, seed);
    let invalid_time = started.elapsed();

    let mut totals = ChainStats::default();
    for first in (0..CHAINS).step_by(PARALLEL_CHAINS) {
        let results: Vec<ChainStats> = std::thread::scope(|scope| {
            let handles: Vec<_> = (first..(first + PARALLEL_CHAINS).min(CHAINS))
                .map(|chain| {
                    let (stack, runtime) = (&stack, &runtime);
                    scope.spawn(move || run_chain(stack, runtime, chain, seed))
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
                .collect()
        });
        for stats in results {
            totals.absorb(stats);
        }
    }
    let distinct: BTreeSet<&String> = totals.configurations.iter().collect();
    let total = |counts: &BTreeMap<&str, usize>| counts.values().sum::<usize>();
    eprintln!(
        "exactness (seed {seed:#x}): {} distinct configurations of {} applied in {} applies; arguments changed {}, \
         removed {}, added {}; {} clients replaced; {invalid} invalid configurations refused at plan time \
         ({invalid_time:.1?}); total {:.1?}\nremovals checked per argument: {:?}",
        distinct.len(),
        totals.configurations.len(),
        totals.applies,
        total(&totals.changed),
        total(&totals.removed),
        total(&totals.added),
        totals.replaced,
        started.elapsed(),
        totals.removed
    );
    assert!(
        distinct.len() >= MIN_DISTINCT_CONFIGURATIONS,
        "only {} distinct configurations were applied",
        distinct.len()
    );
    let arguments = written_arguments(&gen_client(&mut Rng::with_seed(seed), false, 0)).map(|(argument, _)| argument);
    let never_removed: Vec<&str> = arguments
        .into_iter()
        .filter(|argument| !totals.removed.contains_key(argument))
        .collect();
    assert!(
        never_removed.is_empty(),
        "arguments never removed and checked at their default: {never_removed:?}"
    );
    assert!(
        total(&totals.changed) > 0 && total(&totals.added) > 0 && totals.replaced > 0,
        "changes {:?}, additions {:?}, {} replacements",
        totals.changed,
        totals.added,
        totals.replaced
    );
}

//! Pure conversions between the provider's types and the SDK's: full requests out, defaults-filled clients in.
//!
//! Requests: UpdateUserPoolClient resets every member a request leaves out to Cognito's default, so both Create
//! and Update carry every member of [`ClientSettings`]: lists even when empty (the SDK serialises `Some(vec![])`
//! as `[]`), units and refresh-token rotation always; only `DefaultRedirectURI` and `AnalyticsConfiguration` are
//! left out when unset, because leaving them out is how a request says "none".
//!
//! Responses: Cognito (and emulators even more) leave members out when they hold the default. The mapping fills
//! in those defaults ([`crate::cognito::user_pool_client::model::defaults`]) so that "left out" and "default" compare equal.

use std::collections::BTreeSet;

use aws_sdk_cognitoidentityprovider::error::BuildError;
use aws_sdk_cognitoidentityprovider::operation::create_user_pool_client::CreateUserPoolClientInput;
use aws_sdk_cognitoidentityprovider::operation::create_user_pool_client::builders::CreateUserPoolClientInputBuilder;
use aws_sdk_cognitoidentityprovider::operation::update_user_pool_client::UpdateUserPoolClientInput;
use aws_sdk_cognitoidentityprovider::operation::update_user_pool_client::builders::UpdateUserPoolClientInputBuilder;
use aws_sdk_cognitoidentityprovider::types::{
    AnalyticsConfigurationType, ExplicitAuthFlowsType, FeatureType, OAuthFlowType, PreventUserExistenceErrorTypes,
    RefreshTokenRotationType, TimeUnitsType, TokenValidityUnitsType, UserPoolClientType,
};
use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;

use crate::cognito::user_pool_client::model::{
    AnalyticsConfiguration, ClientSettings, InitialSecret, RefreshTokenRotation, RemoteClient, TimeUnit,
    TokenValidityUnits, defaults,
};

/// What Cognito stores and reports for a requested configuration.
pub fn as_cognito_reports(settings: &ClientSettings) -> ClientSettings {
    let mut reported = settings.clone();
    if reported.refresh_token_validity == 0 {
        reported.refresh_token_validity = defaults::refresh_token_validity(reported.token_validity_units.refresh_token);
    }
    if reported.explicit_auth_flows.is_empty() {
        reported.explicit_auth_flows = defaults::explicit_auth_flows();
    }
    reported
}

/// Settings that cannot be put into a request. Plan-time validation should make these unreachable.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("{member} = {value} is outside the range Cognito accepts")]
    OutOfRange { member: &'static str, value: i64 },
    #[error("the request could not be built: {0}")]
    Build(#[from] BuildError),
}

/// Every member of a Create or Update request, converted once; [`create_request`] and [`update_request`] copy
/// all of it into their builders.
struct Members {
    client_name: String,
    refresh_token_validity: i32,
    access_token_validity: Option<i32>,
    id_token_validity: Option<i32>,
    auth_session_validity: i32,
    token_validity_units: TokenValidityUnitsType,
    read_attributes: Vec<String>,
    write_attributes: Vec<String>,
    explicit_auth_flows: Vec<ExplicitAuthFlowsType>,
    supported_identity_providers: Vec<String>,
    callback_urls: Vec<String>,
    logout_urls: Vec<String>,
    default_redirect_uri: Option<String>,
    allowed_oauth_flows: Vec<OAuthFlowType>,
    allowed_oauth_scopes: Vec<String>,
    allowed_oauth_flows_user_pool_client: bool,
    analytics_configuration: Option<AnalyticsConfigurationType>,
    prevent_user_existence_errors: PreventUserExistenceErrorTypes,
    enable_token_revocation: bool,
    enable_propagate_additional_user_context_data: bool,
    refresh_token_rotation: RefreshTokenRotationType,
}

fn int32(member: &'static str, value: i64) -> Result<i32, RequestError> {
    i32::try_from(value).map_err(|_| RequestError::OutOfRange { member, value })
}

fn strings(set: &BTreeSet<String>) -> Vec<String> {
    set.iter().cloned().collect()
}

fn time_unit(unit: TimeUnit) -> TimeUnitsType {
    TimeUnitsType::from(unit.as_str())
}

fn members(settings: &ClientSettings) -> Result<Members, RequestError> {
    let units = settings.token_validity_units;
    let rotation = &settings.refresh_token_rotation;
    let grace_period = rotation
        .retry_grace_period_seconds
        .map(|seconds| int32("refresh_token_rotation.retry_grace_period_seconds", seconds))
        .transpose()?;
    Ok(Members {
        client_name: settings.name.clone(),
        refresh_token_validity: int32("refresh_token_validity", settings.refresh_token_validity)?,
        access_token_validity: settings
            .access_token_validity
            .map(|validity| int32("access_token_validity", validity))
            .transpose()?,
        id_token_validity: settings
            .id_token_validity
            .map(|validity| int32("id_token_validity", validity))
            .transpose()?,
        auth_session_validity: int32("auth_session_validity", settings.auth_session_validity)?,
        token_validity_units: TokenValidityUnitsType::builder()
            .access_token(time_unit(units.access_token))
            .id_token(time_unit(units.id_token))
            .refresh_token(time_unit(units.refresh_token))
            .build(),
        read_attributes: strings(&settings.read_attributes),
        write_attributes: strings(&settings.write_attributes),
        explicit_auth_flows: settings
            .explicit_auth_flows
            .iter()
            .map(|flow| ExplicitAuthFlowsType::from(flow.as_str()))
            .collect(),
        supported_identity_providers: strings(&settings.supported_identity_providers),
        callback_urls: strings(&settings.callback_urls),
        logout_urls: strings(&settings.logout_urls),
        default_redirect_uri: settings.default_redirect_uri.clone(),
        allowed_oauth_flows: settings
            .allowed_oauth_flows
            .iter()
            .map(|flow| OAuthFlowType::from(flow.as_str()))
            .collect(),
        allowed_oauth_scopes: strings(&settings.allowed_oauth_scopes),
        allowed_oauth_flows_user_pool_client: settings.allowed_oauth_flows_user_pool_client,
        analytics_configuration: settings.analytics_configuration.as_ref().map(|analytics| {
            AnalyticsConfigurationType::builder()
                .set_application_id(analytics.application_id.clone())
                .set_application_arn(analytics.application_arn.clone())
                .set_role_arn(analytics.role_arn.clone())
                .set_external_id(analytics.external_id.clone())
                .user_data_shared(analytics.user_data_shared)
                .build()
        }),
        prevent_user_existence_errors: PreventUserExistenceErrorTypes::from(
            settings.prevent_user_existence_errors.as_str(),
        ),
        enable_token_revocation: settings.enable_token_revocation,
        enable_propagate_additional_user_context_data: settings.enable_propagate_additional_user_context_data,
        refresh_token_rotation: RefreshTokenRotationType::builder()
            .feature(FeatureType::from(rotation.feature.as_str()))
            .set_retry_grace_period_seconds(grace_period)
            .build()?,
    })
}

/// The complete CreateUserPoolClient request (send it with `send_with(&client)`).
pub fn create_request(
    user_pool_id: &str,
    settings: &ClientSettings,
    secret: &InitialSecret,
) -> Result<CreateUserPoolClientInputBuilder, RequestError> {
    let m = members(settings)?;
    // GenerateSecret and a custom ClientSecret exclude each other: a custom secret is sent alone.
    let (generate_secret, custom_secret) = match secret {
        InitialSecret::None => (false, None),
        InitialSecret::Generated => (true, None),
        InitialSecret::Custom(value) => (false, Some(value.expose().to_string())),
    };
    Ok(CreateUserPoolClientInput::builder()
        .user_pool_id(user_pool_id)
        .client_name(m.client_name)
        .generate_secret(generate_secret)
        .set_client_secret(custom_secret)
        .refresh_token_validity(m.refresh_token_validity)
        .set_access_token_validity(m.access_token_validity)
        .set_id_token_validity(m.id_token_validity)
        .auth_session_validity(m.auth_session_validity)
        .token_validity_units(m.token_validity_units)
        .set_read_attributes(Some(m.read_attributes))
        .set_write_attributes(Some(m.write_attributes))
        .set_explicit_auth_flows(Some(m.explicit_auth_flows))
        .set_supported_identity_providers(Some(m.supported_identity_providers))
        .set_callback_urls(Some(m.callback_urls))
        .set_logout_urls(Some(m.logout_urls))
        .set_default_redirect_uri(m.default_redirect_uri)
        .set_allowed_o_auth_flows(Some(m.allowed_oauth_flows))
        .set_allowed_o_auth_scopes(Some(m.allowed_oauth_scopes))
        .allowed_o_auth_flows_user_pool_client(m.allowed_oauth_flows_user_pool_client)
        .set_analytics_configuration(m.analytics_configuration)
        .prevent_user_existence_errors(m.prevent_user_existence_errors)
        .enable_token_revocation(m.enable_token_revocation)
        .enable_propagate_additional_user_context_data(m.enable_propagate_additional_user_context_data)
        .refresh_token_rotation(m.refresh_token_rotation))
}

/// The complete UpdateUserPoolClient request (send it with `send_with(&client)`): a full replace.
pub fn update_request(
    user_pool_id: &str,
    client_id: &str,
    settings: &ClientSettings,
) -> Result<UpdateUserPoolClientInputBuilder, RequestError> {
    let m = members(settings)?;
    Ok(UpdateUserPoolClientInput::builder()
        .user_pool_id(user_pool_id)
        .client_id(client_id)
        .client_name(m.client_name)
        .refresh_token_validity(m.refresh_token_validity)
        .set_access_token_validity(m.access_token_validity)
        .set_id_token_validity(m.id_token_validity)
        .auth_session_validity(m.auth_session_validity)
        .token_validity_units(m.token_validity_units)
        .set_read_attributes(Some(m.read_attributes))
        .set_write_attributes(Some(m.write_attributes))
        .set_explicit_auth_flows(Some(m.explicit_auth_flows))
        .set_supported_identity_providers(Some(m.supported_identity_providers))
        .set_callback_urls(Some(m.callback_urls))
        .set_logout_urls(Some(m.logout_urls))
        .set_default_redirect_uri(m.default_redirect_uri)
        .set_allowed_o_auth_flows(Some(m.allowed_oauth_flows))
        .set_allowed_o_auth_scopes(Some(m.allowed_oauth_scopes))
        .allowed_o_auth_flows_user_pool_client(m.allowed_oauth_flows_user_pool_client)
        .set_analytics_configuration(m.analytics_configuration)
        .prevent_user_existence_errors(m.prevent_user_existence_errors)
        .enable_token_revocation(m.enable_token_revocation)
        .enable_propagate_additional_user_context_data(m.enable_propagate_additional_user_context_data)
        .refresh_token_rotation(m.refresh_token_rotation))
}

/// RFC 3339 in UTC to the second (`2026-11-22T03:04:05Z`). Cognito sends epoch seconds, sometimes with a
/// fraction; whole seconds keep the value stable across reads.
pub fn format_timestamp(timestamp: &DateTime) -> Option<String> {
    DateTime::from_secs(timestamp.secs()).fmt(Format::DateTime).ok()
}

fn reported_unit(reported: Option<&TimeUnitsType>, default: TimeUnit) -> TimeUnit {
    match reported {
        None => default,
        Some(unit) => TimeUnit::parse(unit.as_str()).unwrap_or_else(|| {
            tracing::warn!(unit = unit.as_str(), default = %default, "Cognito reported an unknown token validity unit");
            default
        }),
    }
}

fn string_set(values: &[String]) -> BTreeSet<String> {
    values.iter().cloned().collect()
}

/// A client as Cognito reports it, defaults in where members are absent (docs/dev/cognito-app-clients.md#defaults):
/// units hours/hours/days; validities one hour / one hour / 30 days in the reported unit (a refresh validity of 0
/// also means 30 days); ExplicitAuthFlows absent or empty → the default trio; PreventUserExistenceErrors LEGACY;
/// EnableTokenRevocation true; AuthSessionValidity 3; rotation DISABLED; lists empty; other booleans false.
///
/// `user_pool_id` and `client_id` are the ones asked for, used when the response leaves them out; `None` when
/// no client id is known at all (a Create response without one).
pub fn remote_client_from_sdk(
    client: &UserPoolClientType,
    user_pool_id: &str,
    client_id: Option<&str>,
) -> Option<RemoteClient> {
    let client_id = client.client_id().or(client_id)?.to_string();
    let reported_units = client.token_validity_units();
    let units = TokenValidityUnits {
        access_token: reported_unit(
            reported_units.and_then(|units| units.access_token()),
            defaults::UNITS.access_token,
        ),
        id_token: reported_unit(
            reported_units.and_then(|units| units.id_token()),
            defaults::UNITS.id_token,
        ),
        refresh_token: reported_unit(
            reported_units.and_then(|units| units.refresh_token()),
            defaults::UNITS.refresh_token,
        ),
    };
    let refresh_token_validity = match client.refresh_token_validity() {
        0 => defaults::refresh_token_validity(units.refresh_token),
        validity => i64::from(validity),
    };
    let explicit_auth_flows: BTreeSet<String> = client
        .explicit_auth_flows()
        .iter()
        .map(|flow| flow.as_str().to_string())
        .collect();
    let settings = ClientSettings {
        name: client.client_name().unwrap_or_default().to_string(),
        // Unset, Cognito reports nothing and means one hour: that hour in the reported unit, or nothing in days.
        access_token_validity: client
            .access_token_validity()
            .map(i64::from)
            .or_else(|| defaults::access_token_validity(units.access_token)),
        id_token_validity: client
            .id_token_validity()
            .map(i64::from)
            .or_else(|| defaults::id_token_validity(units.id_token)),
        refresh_token_validity,
        auth_session_validity: client
            .auth_session_validity()
            .map_or(defaults::AUTH_SESSION_VALIDITY, i64::from),
        token_validity_units: units,
        allowed_oauth_flows: client
            .allowed_o_auth_flows()
            .iter()
            .map(|flow| flow.as_str().to_string())
            .collect(),
        allowed_oauth_flows_user_pool_client: client.allowed_o_auth_flows_user_pool_client().unwrap_or(false),
        allowed_oauth_scopes: string_set(client.allowed_o_auth_scopes()),
        callback_urls: string_set(client.callback_urls()),
        logout_urls: string_set(client.logout_urls()),
        default_redirect_uri: client.default_redirect_uri().map(str::to_string),
        enable_token_revocation: client
            .enable_token_revocation()
            .unwrap_or(defaults::ENABLE_TOKEN_REVOCATION),
        enable_propagate_additional_user_context_data: client
            .enable_propagate_additional_user_context_data()
            .unwrap_or(false),
        explicit_auth_flows: if explicit_auth_flows.is_empty() {
            defaults::explicit_auth_flows()
        } else {
            explicit_auth_flows
        },
        prevent_user_existence_errors: client
            .prevent_user_existence_errors()
            .map_or(defaults::PREVENT_USER_EXISTENCE_ERRORS, |value| value.as_str())
            .to_string(),
        read_attributes: string_set(client.read_attributes()),
        write_attributes: string_set(client.write_attributes()),
        supported_identity_providers: string_set(client.supported_identity_providers()),
        analytics_configuration: client
            .analytics_configuration()
            .map(|analytics| AnalyticsConfiguration {
                application_arn: analytics.application_arn().map(str::to_string),
                application_id: analytics.application_id().map(str::to_string),
                external_id: analytics.external_id().map(str::to_string),
                role_arn: analytics.role_arn().map(str::to_string),
                user_data_shared: analytics.user_data_shared(),
            }),
        refresh_token_rotation: match client.refresh_token_rotation() {
            Some(rotation) => RefreshTokenRotation {
                feature: rotation.feature().as_str().to_string(),
                retry_grace_period_seconds: rotation.retry_grace_period_seconds().map(i64::from),
            },
            None => RefreshTokenRotation {
                feature: defaults::ROTATION_DISABLED.to_string(),
                retry_grace_period_seconds: None,
            },
        },
    };
    Some(RemoteClient {
        user_pool_id: client.user_pool_id().unwrap_or(user_pool_id).to_string(),
        client_id,
        client_secret: client.client_secret().map(str::to_string),
        settings,
        creation_date: client.creation_date().and_then(format_timestamp),
        last_modified_date: client.last_modified_date().and_then(format_timestamp),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::cognito::user_pool_client_secret::model::SecretValue;

    /// A configuration with every member set to a non-default value.
    pub(crate) fn full_settings() -> ClientSettings {
        let set = |values: &[&str]| values.iter().map(|value| value.to_string()).collect::<BTreeSet<_>>();
        ClientSettings {
            name: "web app".into(),
            access_token_validity: Some(30),
            id_token_validity: Some(45),
            refresh_token_validity: 120,
            auth_session_validity: 10,
            token_validity_units: TokenValidityUnits {
                access_token: TimeUnit::Minutes,
                id_token: TimeUnit::Minutes,
                refresh_token: TimeUnit::Hours,
            },
            allowed_oauth_flows: set(&["code"]),
            allowed_oauth_flows_user_pool_client: true,
            allowed_oauth_scopes: set(&["email", "openid"]),
            callback_urls: set(&["https://example.com/callback", "https://example.com/other"]),
            logout_urls: set(&["https://example.com/logout"]),
            default_redirect_uri: Some("https://example.com/callback".into()),
            enable_token_revocation: false,
            enable_propagate_additional_user_context_data: true,
            explicit_auth_flows: set(&["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"]),
            prevent_user_existence_errors: "ENABLED".into(),
            read_attributes: set(&["email", "name"]),
            write_attributes: set(&["name"]),
            supported_identity_providers: set(&["COGNITO", "Google"]),
            analytics_configuration: Some(AnalyticsConfiguration {
                application_arn: None,
                application_id: Some("0123abcd".into()),
                external_id: Some("shared-external-id".into()),
                role_arn: Some("arn:aws:iam::123456789012:role/pinpoint".into()),
                user_data_shared: true,
            }),
            refresh_token_rotation: RefreshTokenRotation {
                feature: "ENABLED".into(),
                retry_grace_period_seconds: Some(20),
            },
        }
    }

    fn strs<T: AsRef<str>>(values: &[T]) -> Vec<&str> {
        values.iter().map(AsRef::as_ref).collect()
    }

    #[test]
    fn update_request_carries_every_member() {
        let input = update_request("us-east-1_pool", "client1", &full_settings())
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(input.user_pool_id(), Some("us-east-1_pool"));
        assert_eq!(input.client_id(), Some("client1"));
        assert_eq!(input.client_name(), Some("web app"));
        assert_eq!(input.access_token_validity(), Some(30));
        assert_eq!(input.id_token_validity(), Some(45));
        assert_eq!(input.refresh_token_validity(), Some(120));
        assert_eq!(input.auth_session_validity(), Some(10));
        let units = input.token_validity_units().unwrap();
        assert_eq!(units.access_token(), Some(&TimeUnitsType::Minutes));
        assert_eq!(units.id_token(), Some(&TimeUnitsType::Minutes));
        assert_eq!(units.refresh_token(), Some(&TimeUnitsType::Hours));
        assert_eq!(input.allowed_o_auth_flows(), &[OAuthFlowType::Code]);
        assert_eq!(input.allowed_o_auth_flows_user_pool_client(), Some(true));
        assert_eq!(strs(input.allowed_o_auth_scopes()), ["email", "openid"]);
        assert_eq!(
            strs(input.callback_urls()),
            ["https://example.com/callback", "https://example.com/other"]
        );
        assert_eq!(strs(input.logout_urls()), ["https://example.com/logout"]);
        assert_eq!(input.default_redirect_uri(), Some("https://example.com/callback"));
        assert_eq!(input.enable_token_revocation(), Some(false));
        assert_eq!(input.enable_propagate_additional_user_context_data(), Some(true));
        assert_eq!(
            input.explicit_auth_flows(),
            &[
                ExplicitAuthFlowsType::AllowRefreshTokenAuth,
                ExplicitAuthFlowsType::AllowUserPasswordAuth
            ]
        );
        assert_eq!(
            input.prevent_user_existence_errors(),
            Some(&PreventUserExistenceErrorTypes::Enabled)
        );
        assert_eq!(strs(input.read_attributes()), ["email", "name"]);
        assert_eq!(strs(input.write_attributes()), ["name"]);
        assert_eq!(strs(input.supported_identity_providers()), ["COGNITO", "Google"]);
        let analytics = input.analytics_configuration().unwrap();
        assert_eq!(analytics.application_id(), Some("0123abcd"));
        assert_eq!(analytics.application_arn(), None);
        assert_eq!(analytics.role_arn(), Some("arn:aws:iam::123456789012:role/pinpoint"));
        assert_eq!(analytics.external_id(), Some("shared-external-id"));
        assert!(analytics.user_data_shared());
        let rotation = input.refresh_token_rotation().unwrap();
        assert_eq!(rotation.feature(), &FeatureType::Enabled);
        assert_eq!(rotation.retry_grace_period_seconds(), Some(20));
    }

    #[test]
    fn defaults_are_sent_explicitly_and_empty_lists_as_empty_lists() {
        let input = update_request("us-east-1_pool", "client1", &ClientSettings::with_defaults("plain"))
            .unwrap()
            .build()
            .unwrap();
        // `Some(vec![])`, not `None`: omitted members would be reset, an empty list is sent as `[]`.
        assert_eq!(input.read_attributes.as_deref(), Some(&[][..]));
        assert_eq!(input.write_attributes.as_deref(), Some(&[][..]));
        assert_eq!(input.callback_urls.as_deref(), Some(&[][..]));
        assert_eq!(input.logout_urls.as_deref(), Some(&[][..]));
        assert_eq!(input.allowed_o_auth_flows.as_deref(), Some(&[][..]));
        assert_eq!(input.allowed_o_auth_scopes.as_deref(), Some(&[][..]));
        assert_eq!(input.supported_identity_providers.as_deref(), Some(&[][..]));
        assert_eq!(input.explicit_auth_flows().len(), 3);
        let units = input.token_validity_units().unwrap();
        assert_eq!(
            (units.access_token(), units.id_token(), units.refresh_token()),
            (
                Some(&TimeUnitsType::Hours),
                Some(&TimeUnitsType::Hours),
                Some(&TimeUnitsType::Days)
            )
        );
        assert_eq!(input.access_token_validity(), Some(1));
        assert_eq!(input.refresh_token_validity(), Some(30));
        assert_eq!(input.auth_session_validity(), Some(3));
        assert_eq!(input.allowed_o_auth_flows_user_pool_client(), Some(false));
        assert_eq!(input.enable_token_revocation(), Some(true));
        assert_eq!(input.enable_propagate_additional_user_context_data(), Some(false));
        assert_eq!(
            input.prevent_user_existence_errors(),
            Some(&PreventUserExistenceErrorTypes::Legacy)
        );
        let rotation = input.refresh_token_rotation().unwrap();
        assert_eq!(rotation.feature(), &FeatureType::Disabled);
        assert_eq!(rotation.retry_grace_period_seconds(), None);
        // "None" is said by leaving these two out.
        assert_eq!(input.default_redirect_uri(), None);
        assert!(input.analytics_configuration().is_none());
    }

    #[test]
    fn create_request_carries_every_member_and_generate_secret() {
        let input = create_request("us-east-1_pool", &full_settings(), &InitialSecret::Generated)
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(input.user_pool_id(), Some("us-east-1_pool"));
        assert_eq!(input.client_name(), Some("web app"));
        assert_eq!(input.generate_secret(), Some(true));
        assert_eq!(input.client_secret(), None);
        // Same members as Update; compare the two field by field through an Update built from the same settings.
        let update = update_request("us-east-1_pool", "x", &full_settings())
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(input.access_token_validity(), update.access_token_validity());
        assert_eq!(input.id_token_validity(), update.id_token_validity());
        assert_eq!(input.refresh_token_validity(), update.refresh_token_validity());
        assert_eq!(input.auth_session_validity(), update.auth_session_validity());
        assert_eq!(input.token_validity_units(), update.token_validity_units());
        assert_eq!(input.read_attributes, update.read_attributes);
        assert_eq!(input.write_attributes, update.write_attributes);
        assert_eq!(input.explicit_auth_flows, update.explicit_auth_flows);
        assert_eq!(input.supported_identity_providers, update.supported_identity_providers);
        assert_eq!(input.callback_urls, update.callback_urls);
        assert_eq!(input.logout_urls, update.logout_urls);
        assert_eq!(input.default_redirect_uri, update.default_redirect_uri);
        assert_eq!(input.allowed_o_auth_flows, update.allowed_o_auth_flows);
        assert_eq!(input.allowed_o_auth_scopes, update.allowed_o_auth_scopes);
        assert_eq!(
            input.allowed_o_auth_flows_user_pool_client,
            update.allowed_o_auth_flows_user_pool_client
        );
        assert_eq!(input.analytics_configuration, update.analytics_configuration);
        assert_eq!(
            input.prevent_user_existence_errors,
            update.prevent_user_existence_errors
        );
        assert_eq!(input.enable_token_revocation, update.enable_token_revocation);
        assert_eq!(
            input.enable_propagate_additional_user_context_data,
            update.enable_propagate_additional_user_context_data
        );
        assert_eq!(input.refresh_token_rotation, update.refresh_token_rotation);
        assert!(input.refresh_token_rotation.is_some() && input.analytics_configuration.is_some());

        let public = create_request("us-east-1_pool", &full_settings(), &InitialSecret::None)
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(public.generate_secret(), Some(false));
        assert_eq!(public.client_secret(), None);
    }

    #[test]
    fn a_custom_initial_secret_is_sent_without_generate_secret() {
        let custom = SecretValue::new("custom_secret_0123456789abcdef");
        let input = create_request("us-east-1_pool", &full_settings(), &InitialSecret::Custom(custom))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(input.generate_secret(), Some(false));
        assert_eq!(input.client_secret(), Some("custom_secret_0123456789abcdef"));
        assert!(!format!("{input:?}").contains("custom_secret_0123456789abcdef"));
    }

    #[test]
    fn out_of_range_numbers_are_refused_before_sending() {
        let mut settings = ClientSettings::with_defaults("app");
        settings.refresh_token_validity = i64::from(i32::MAX) + 1;
        let error = update_request("p", "c", &settings).unwrap_err();
        assert!(
            matches!(
                error,
                RequestError::OutOfRange {
                    member: "refresh_token_validity",
                    ..
                }
            ),
            "{error}"
        );
    }

    /// What moto returns for a client created with only a name (docs/dev/local-test-stack.md#motos-defaults).
    fn moto_like_response() -> UserPoolClientType {
        UserPoolClientType::builder()
            .user_pool_id("us-east-1_pool")
            .client_id("client1")
            .client_name("plain")
            .allowed_o_auth_flows_user_pool_client(false)
            .auth_session_validity(3)
            .enable_propagate_additional_user_context_data(false)
            .enable_token_revocation(true)
            .refresh_token_validity(30)
            .build()
    }

    #[test]
    fn absent_members_map_to_cognito_defaults() {
        let remote = remote_client_from_sdk(&moto_like_response(), "us-east-1_pool", Some("client1")).unwrap();
        assert_eq!(remote.user_pool_id, "us-east-1_pool");
        assert_eq!(remote.client_id, "client1");
        assert_eq!(remote.client_secret, None);
        assert_eq!(remote.creation_date, None);
        assert_eq!(remote.last_modified_date, None);
        assert_eq!(remote.settings, ClientSettings::with_defaults("plain"));
    }

    #[test]
    fn a_bare_response_still_maps_to_defaults() {
        // Nothing but the id: every default, including a refresh validity of 0 meaning 30 days.
        let bare = UserPoolClientType::builder().client_id("client1").build();
        let remote = remote_client_from_sdk(&bare, "us-east-1_pool", None).unwrap();
        assert_eq!(remote.user_pool_id, "us-east-1_pool");
        assert_eq!(remote.settings, ClientSettings::with_defaults(""));
        // Without any client id there is nothing to map to.
        let anonymous = UserPoolClientType::builder().client_name("x").build();
        assert_eq!(remote_client_from_sdk(&anonymous, "us-east-1_pool", None), None);
        // The id asked for fills in when the response leaves it out.
        let remote = remote_client_from_sdk(&anonymous, "us-east-1_pool", Some("asked")).unwrap();
        assert_eq!(remote.client_id, "asked");
    }

    #[test]
    fn defaults_follow_the_reported_units() {
        let response = UserPoolClientType::builder()
            .client_id("client1")
            .token_validity_units(
                TokenValidityUnitsType::builder()
                    .access_token(TimeUnitsType::Minutes)
                    .refresh_token(TimeUnitsType::Hours)
                    .build(),
            )
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
            .build();
        let remote = remote_client_from_sdk(&response, "p", None).unwrap();
        let settings = remote.settings;
        assert_eq!(settings.token_validity_units.access_token, TimeUnit::Minutes);
        assert_eq!(settings.token_validity_units.id_token, TimeUnit::Hours);
        assert_eq!(settings.token_validity_units.refresh_token, TimeUnit::Hours);
        assert_eq!(settings.access_token_validity, Some(60));
        assert_eq!(settings.id_token_validity, Some(1));
        assert_eq!(settings.refresh_token_validity, 720);
        // A reported list replaces the default trio.
        assert_eq!(
            settings.explicit_auth_flows,
            BTreeSet::from(["ALLOW_USER_SRP_AUTH".to_string()])
        );
    }

    #[test]
    fn validities_left_to_cognito_are_not_sent_and_read_back_as_reported() {
        let mut settings = ClientSettings::with_defaults("days");
        settings.token_validity_units.access_token = TimeUnit::Days;
        settings.token_validity_units.id_token = TimeUnit::Days;
        settings.access_token_validity = None;
        settings.id_token_validity = None;
        let update = update_request("us-east-1_pool", "client1", &settings)
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(update.access_token_validity(), None);
        assert_eq!(update.id_token_validity(), None);
        let create = create_request("us-east-1_pool", &settings, &InitialSecret::None)
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(create.access_token_validity(), None);
        assert_eq!(create.refresh_token_validity(), Some(30));

        // Nothing reported in days stays nothing: no hour rounded up to a day.
        let units = TokenValidityUnitsType::builder()
            .access_token(TimeUnitsType::Days)
            .id_token(TimeUnitsType::Days)
            .build();
        let silent = UserPoolClientType::builder()
            .client_id("client1")
            .token_validity_units(units.clone())
            .build();
        let read = remote_client_from_sdk(&silent, "p", None).unwrap().settings;
        assert_eq!((read.access_token_validity, read.id_token_validity), (None, None));
        let reported = UserPoolClientType::builder()
            .client_id("client1")
            .token_validity_units(units)
            .access_token_validity(1)
            .build();
        let read = remote_client_from_sdk(&reported, "p", None).unwrap().settings;
        assert_eq!(read.access_token_validity, Some(1));
    }

    #[test]
    fn every_member_set_round_trips() {
        let settings = full_settings();
        let analytics = settings.analytics_configuration.clone().unwrap();
        let mut response = UserPoolClientType::builder()
            .user_pool_id("us-east-1_pool")
            .client_id("client1")
            .client_secret("the-secret-value")
            .client_name(&settings.name)
            .access_token_validity(30)
            .id_token_validity(45)
            .refresh_token_validity(120)
            .auth_session_validity(10)
            .token_validity_units(
                TokenValidityUnitsType::builder()
                    .access_token(TimeUnitsType::Minutes)
                    .id_token(TimeUnitsType::Minutes)
                    .refresh_token(TimeUnitsType::Hours)
                    .build(),
            )
            .allowed_o_auth_flows(OAuthFlowType::Code)
            .allowed_o_auth_flows_user_pool_client(true)
            .default_redirect_uri("https://example.com/callback")
            .enable_token_revocation(false)
            .enable_propagate_additional_user_context_data(true)
            .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
            .analytics_configuration(
                AnalyticsConfigurationType::builder()
                    .set_application_id(analytics.application_id.clone())
                    .set_role_arn(analytics.role_arn.clone())
                    .set_external_id(analytics.external_id.clone())
                    .user_data_shared(true)
                    .build(),
            )
            .refresh_token_rotation(
                RefreshTokenRotationType::builder()
                    .feature(FeatureType::Enabled)
                    .retry_grace_period_seconds(20)
                    .build()
                    .unwrap(),
            )
            .creation_date(DateTime::from_secs(1_795_312_967))
            .last_modified_date(DateTime::from_fractional_secs(1_795_312_968, 0.711));
        // Lists in a different order than the set's: Cognito's order carries no meaning.
        for scope in ["openid", "email"] {
            response = response.allowed_o_auth_scopes(scope);
        }
        for url in ["https://example.com/other", "https://example.com/callback"] {
            response = response.callback_urls(url);
        }
        response = response.logout_urls("https://example.com/logout");
        for flow in [
            ExplicitAuthFlowsType::AllowUserPasswordAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ] {
            response = response.explicit_auth_flows(flow);
        }
        for attribute in ["name", "email"] {
            response = response.read_attributes(attribute);
        }
        response = response.write_attributes("name");
        for provider in ["Google", "COGNITO"] {
            response = response.supported_identity_providers(provider);
        }

        let remote = remote_client_from_sdk(&response.build(), "ignored", None).unwrap();
        assert_eq!(remote.settings, settings);
        assert_eq!(remote.user_pool_id, "us-east-1_pool");
        assert_eq!(remote.client_secret.as_deref(), Some("the-secret-value"));
        assert_eq!(remote.creation_date.as_deref(), Some("2026-11-22T02:02:47Z"));
        assert_eq!(remote.last_modified_date.as_deref(), Some("2026-11-22T02:02:48Z"));
    }

    #[test]
    fn timestamps_are_rfc3339_utc_whole_seconds() {
        assert_eq!(
            format_timestamp(&DateTime::from_secs(0)).as_deref(),
            Some("1970-01-01T00:00:00Z")
        );
        assert_eq!(
            format_timestamp(&DateTime::from_fractional_secs(1_795_316_645, 0.25)).as_deref(),
            Some("2026-11-22T03:04:05Z")
        );
    }
}

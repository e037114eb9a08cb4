//! One realistic, fully populated app client, as the micro-benchmarks see it: every argument set, both optional
//! blocks present, a secret. Built through the resource's own conversion (`state_from_remote`), so the value has
//! exactly the shape the provider writes to Terraform's state.

// Each benchmark uses part of the fixtures.
#![allow(dead_code)]

use std::collections::BTreeSet;

use terraform_provider_cognito::cognito::user_pool_client::model::{
    AnalyticsConfiguration, ClientSettings, RefreshTokenRotation, RemoteClient, TimeUnit, TokenValidityUnits,
};
use terraform_provider_cognito::cognito::user_pool_client::schema::attr;
use terraform_provider_cognito::cognito::user_pool_client::state::state_from_remote;
use terraform_provider_cognito::tf::Value;

fn strings(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|item| item.to_string()).collect()
}

/// The client as Cognito reports it: a confidential web client with OAuth, analytics and refresh-token rotation.
pub fn full_remote_client() -> RemoteClient {
    let mut settings = ClientSettings::with_defaults("benchmark-web-client");
    settings.access_token_validity = Some(60);
    settings.id_token_validity = Some(60);
    settings.refresh_token_validity = 30;
    settings.auth_session_validity = 5;
    settings.token_validity_units = TokenValidityUnits {
        access_token: TimeUnit::Minutes,
        id_token: TimeUnit::Minutes,
        refresh_token: TimeUnit::Days,
    };
    settings.allowed_oauth_flows = strings(&["code"]);
    settings.allowed_oauth_flows_user_pool_client = true;
    settings.allowed_oauth_scopes = strings(&["email", "openid", "profile", "aws.cognito.signin.user.admin"]);
    settings.callback_urls = strings(&[
        "https://app.example.com/callback",
        "https://staging.app.example.com/callback",
        "http://localhost:3000/callback",
    ]);
    settings.logout_urls = strings(&["https://app.example.com/logout", "http://localhost:3000/logout"]);
    settings.default_redirect_uri = Some("https://app.example.com/callback".to_string());
    settings.enable_propagate_additional_user_context_data = true;
    settings.explicit_auth_flows = strings(&["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]);
    settings.prevent_user_existence_errors = "ENABLED".to_string();
    settings.read_attributes = strings(&["email", "email_verified", "name", "locale", "custom:tenant"]);
    settings.write_attributes = strings(&["email", "name", "locale"]);
    settings.supported_identity_providers = strings(&["COGNITO", "Google"]);
    settings.analytics_configuration = Some(AnalyticsConfiguration {
        application_arn: None,
        application_id: Some("0123456789abcdef0123456789abcdef".to_string()),
        external_id: Some("benchmark-external-id".to_string()),
        role_arn: Some("arn:aws:iam::123456789012:role/cognito-pinpoint".to_string()),
        user_data_shared: true,
    });
    settings.refresh_token_rotation = RefreshTokenRotation {
        feature: "ENABLED".to_string(),
        retry_grace_period_seconds: Some(30),
    };
    RemoteClient {
        user_pool_id: "eu-west-1_AbCdEfGhI".to_string(),
        client_id: "4f2k1c8b7e0q9r3s6t5u1v2w3x".to_string(),
        client_secret: Some("benchmark-secret-0123456789abcdefghijklmnopqrstuvw".to_string()),
        settings,
        creation_date: Some("2025-01-02T03:04:05Z".to_string()),
        last_modified_date: Some("2025-01-02T03:04:05Z".to_string()),
    }
}

/// The full state Terraform stores for [`full_remote_client`].
pub fn full_state() -> Value {
    state_from_remote(&full_remote_client(), &Value::Null)
}

/// The configuration that produced [`full_state`]: the same object with the provider-only attributes null, as
/// Terraform sends a configuration.
pub fn full_config() -> Value {
    let Value::Object(mut attributes) = full_state() else {
        unreachable!("state_from_remote always builds an object");
    };
    for name in [
        attr::ID,
        attr::CLIENT_SECRET,
        attr::CREATION_DATE,
        attr::LAST_MODIFIED_DATE,
    ] {
        attributes.insert(name.to_string(), Value::Null);
    }
    Value::Object(attributes)
}

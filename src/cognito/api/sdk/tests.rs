//! SdkCognito against a scripted HTTP layer (requests as sent on the wire, canned responses and connector
//! failures) and against real loopback sockets for the failures that only a real connection shows.

use std::collections::{BTreeSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, future};
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
use aws_smithy_runtime_api::client::http::{HttpConnector, HttpConnectorFuture, SharedHttpConnector, http_client_fn};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::timeout::TimeoutConfig;
use serde_json::{Value as Json, json};
use tokio::io::AsyncReadExt;

use super::*;
use crate::cognito::api::user_pool_client::mapping::tests::full_settings;
use crate::cognito::api::{Cognito, UserPoolClientCalls};
use crate::cognito::user_pool_client::model::{ClientSettings, InitialSecret, TimeUnit, defaults};

const POOL: &str = "us-east-1_pool";
const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

enum Reply {
    Respond {
        status: u16,
        body: String,
        headers: Vec<(&'static str, &'static str)>,
    },
    Fail(fn() -> ConnectorError),
}

fn respond(status: u16, body: Json) -> Reply {
    Reply::Respond {
        status,
        body: body.to_string(),
        headers: Vec::new(),
    }
}

fn error_reply(status: u16, code: &str, message: &str) -> Reply {
    respond(status, json!({"__type": code, "message": message}))
}

struct SentRequest {
    operation: String,
    body: Json,
}

#[derive(Default)]
struct Script {
    replies: VecDeque<Reply>,
    sent: Vec<SentRequest>,
}

/// An HTTP layer that records each request and answers from a script.
#[derive(Clone, Default)]
struct ScriptedHttp {
    script: Arc<Mutex<Script>>,
}

impl std::fmt::Debug for ScriptedHttp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ScriptedHttp")
    }
}

impl ScriptedHttp {
    fn with(replies: impl IntoIterator<Item = Reply>) -> ScriptedHttp {
        let http = ScriptedHttp::default();
        http.script.lock().unwrap().replies.extend(replies);
        http
    }

    fn sent(&self) -> Vec<(String, Json)> {
        self.script
            .lock()
            .unwrap()
            .sent
            .iter()
            .map(|sent| (sent.operation.clone(), sent.body.clone()))
            .collect()
    }

    fn api(&self) -> SdkCognito {
        let connector = self.clone();
        let config = aws_sdk_cognitoidentityprovider::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKIDTEST", "not-a-real-secret", None, None, "test"))
            .http_client(http_client_fn(move |_, _| SharedHttpConnector::new(connector.clone())))
            // What the provider configured so far: SdkCognito must switch it off.
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(5)
                    .with_initial_backoff(Duration::from_millis(1)),
            )
            .build();
        SdkCognito::new(&Client::from_conf(config))
    }
}

impl HttpConnector for ScriptedHttp {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let mut script = self.script.lock().unwrap();
        let target = request.headers().get("x-amz-target").unwrap_or_default();
        let body = request
            .body()
            .bytes()
            .map(|bytes| serde_json::from_slice(bytes).unwrap())
            .unwrap_or(Json::Null);
        script.sent.push(SentRequest {
            operation: target.trim_start_matches(TARGET_PREFIX).to_string(),
            body,
        });
        let reply = script.replies.pop_front().expect("a scripted reply for every request");
        HttpConnectorFuture::ready(match reply {
            Reply::Respond { status, body, headers } => {
                let mut response = HttpResponse::new(StatusCode::try_from(status).unwrap(), SdkBody::from(body));
                response
                    .headers_mut()
                    .insert("content-type", "application/x-amz-json-1.1");
                for (name, value) in headers {
                    response.headers_mut().insert(name, value);
                }
                Ok(response)
            }
            Reply::Fail(make_error) => Err(make_error()),
        })
    }
}

/// A client as real Cognito reports it: defaults spelt out, dates as epoch seconds.
fn aws_client_json(client_id: &str, name: &str) -> Json {
    json!({
        "UserPoolId": POOL,
        "ClientId": client_id,
        "ClientName": name,
        "RefreshTokenValidity": 30,
        "AccessTokenValidity": 60,
        "IdTokenValidity": 60,
        "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"},
        "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
        "AllowedOAuthFlowsUserPoolClient": false,
        "PreventUserExistenceErrors": "ENABLED",
        "EnableTokenRevocation": true,
        "EnablePropagateAdditionalUserContextData": false,
        "AuthSessionValidity": 3,
        "RefreshTokenRotation": {"Feature": "DISABLED"},
        "CreationDate": 1_795_316_645.123,
        "LastModifiedDate": 1_795_316_700,
    })
}

fn keys(body: &Json) -> BTreeSet<&str> {
    body.as_object().unwrap().keys().map(String::as_str).collect()
}

/// Every member an Update request can carry except the two whose absence means "none".
const ALWAYS_SENT: [&str; 19] = [
    "ClientName",
    "RefreshTokenValidity",
    "AccessTokenValidity",
    "IdTokenValidity",
    "TokenValidityUnits",
    "ReadAttributes",
    "WriteAttributes",
    "ExplicitAuthFlows",
    "SupportedIdentityProviders",
    "CallbackURLs",
    "LogoutURLs",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "AllowedOAuthFlowsUserPoolClient",
    "PreventUserExistenceErrors",
    "EnableTokenRevocation",
    "EnablePropagateAdditionalUserContextData",
    "AuthSessionValidity",
    "RefreshTokenRotation",
];

#[tokio::test]
async fn update_sends_the_whole_configuration_with_empty_lists_as_empty_arrays() {
    let http = ScriptedHttp::with([respond(
        200,
        json!({"UserPoolClient": aws_client_json("client1", "plain")}),
    )]);
    http.api()
        .update(POOL, "client1", &ClientSettings::with_defaults("plain"))
        .await
        .unwrap();

    let sent = http.sent();
    assert_eq!(sent.len(), 1);
    let (operation, body) = &sent[0];
    assert_eq!(operation, "UpdateUserPoolClient");
    let mut expected: BTreeSet<&str> = ALWAYS_SENT.into_iter().collect();
    expected.extend(["UserPoolId", "ClientId"]);
    assert_eq!(keys(body), expected);
    for list in [
        "ReadAttributes",
        "WriteAttributes",
        "SupportedIdentityProviders",
        "CallbackURLs",
        "LogoutURLs",
    ] {
        assert_eq!(body[list], json!([]), "{list}");
    }
    assert_eq!(body["AllowedOAuthFlows"], json!([]));
    assert_eq!(body["AllowedOAuthScopes"], json!([]));
    assert_eq!(
        body["ExplicitAuthFlows"],
        json!(["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"])
    );
    assert_eq!(
        body["TokenValidityUnits"],
        json!({"AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days"})
    );
    assert_eq!(body["RefreshTokenRotation"], json!({"Feature": "DISABLED"}));
    assert_eq!(body["RefreshTokenValidity"], json!(30));
    assert_eq!(body["EnableTokenRevocation"], json!(true));
    assert_eq!(body["PreventUserExistenceErrors"], json!("LEGACY"));
}

/// Every flow the rules accept goes out as written and comes back as Cognito reports it, including the two token
/// exchange flows (GetDerivedToken), which this SDK version carries as unrecognised enum values, verbatim.
#[tokio::test]
async fn every_accepted_auth_flow_is_sent_and_read_back_verbatim() {
    use crate::cognito::user_pool_client::rules::AUTH_FLOWS;
    let current: BTreeSet<String> = AUTH_FLOWS
        .iter()
        .filter(|flow| flow.starts_with("ALLOW_"))
        .map(|flow| flow.to_string())
        .collect();
    assert!(
        current.contains("ALLOW_TOKEN_EXCHANGE_DELEGATION") && current.contains("ALLOW_TOKEN_EXCHANGE_IMPERSONATION")
    );
    let mut answer = aws_client_json("client1", "exchange");
    answer["ExplicitAuthFlows"] = json!(current);
    let http = ScriptedHttp::with([respond(200, json!({"UserPoolClient": answer}))]);
    let mut settings = ClientSettings::with_defaults("exchange");
    settings.explicit_auth_flows = current.clone();
    let updated = http.api().update(POOL, "client1", &settings).await.unwrap();

    let (_, body) = http.sent().remove(0);
    let sent: BTreeSet<String> = serde_json::from_value(body["ExplicitAuthFlows"].clone()).unwrap();
    assert_eq!(sent, current);
    assert_eq!(updated.settings.explicit_auth_flows, current);
}

#[tokio::test]
async fn create_sends_every_member_and_generate_secret() {
    let mut response = aws_client_json("client1", "web app");
    response["ClientSecret"] = json!("s3cr3t-value-from-cognito");
    let http = ScriptedHttp::with([respond(200, json!({"UserPoolClient": response}))]);
    let created = http
        .api()
        .create(POOL, &full_settings(), &InitialSecret::Generated)
        .await
        .unwrap();
    assert_eq!(created.client_id, "client1");
    assert_eq!(created.client_secret.as_deref(), Some("s3cr3t-value-from-cognito"));

    let (operation, body) = http.sent().remove(0);
    assert_eq!(operation, "CreateUserPoolClient");
    let mut expected: BTreeSet<&str> = ALWAYS_SENT.into_iter().collect();
    expected.extend([
        "UserPoolId",
        "GenerateSecret",
        "DefaultRedirectURI",
        "AnalyticsConfiguration",
    ]);
    assert_eq!(keys(&body), expected);
    assert_eq!(body["GenerateSecret"], json!(true));
    assert_eq!(
        body["RefreshTokenRotation"],
        json!({"Feature": "ENABLED", "RetryGracePeriodSeconds": 20})
    );
    assert_eq!(
        body["AnalyticsConfiguration"],
        json!({
            "ApplicationId": "0123abcd",
            "RoleArn": "arn:aws:iam::123456789012:role/pinpoint",
            "ExternalId": "shared-external-id",
            "UserDataShared": true
        })
    );
    assert_eq!(
        body["CallbackURLs"],
        json!(["https://example.com/callback", "https://example.com/other"])
    );
}

#[tokio::test]
async fn describe_maps_the_response() {
    let http = ScriptedHttp::with([respond(
        200,
        json!({"UserPoolClient": aws_client_json("client1", "app")}),
    )]);
    let remote = http.api().describe(POOL, "client1").await.unwrap().unwrap();
    let (operation, body) = http.sent().remove(0);
    assert_eq!(operation, "DescribeUserPoolClient");
    assert_eq!(body, json!({"UserPoolId": POOL, "ClientId": "client1"}));

    assert_eq!(remote.client_id, "client1");
    assert_eq!(remote.client_secret, None);
    assert_eq!(remote.creation_date.as_deref(), Some("2026-11-22T03:04:05Z"));
    assert_eq!(remote.last_modified_date.as_deref(), Some("2026-11-22T03:05:00Z"));
    let settings = &remote.settings;
    assert_eq!(settings.token_validity_units.access_token, TimeUnit::Minutes);
    assert_eq!(settings.access_token_validity, Some(60));
    assert_eq!(settings.prevent_user_existence_errors, "ENABLED");
    assert_eq!(settings.explicit_auth_flows.len(), 2);
    assert!(settings.refresh_token_rotation.is_default());
    assert!(settings.callback_urls.is_empty());
}

#[tokio::test]
async fn a_moto_style_response_gets_cognito_defaults() {
    let moto = json!({
        "AllowedOAuthFlowsUserPoolClient": false, "AuthSessionValidity": 3, "ClientId": "client1",
        "ClientName": "plain", "EnablePropagateAdditionalUserContextData": false, "EnableTokenRevocation": true,
        "RefreshTokenValidity": 30, "UserPoolId": POOL
    });
    let http = ScriptedHttp::with([respond(200, json!({"UserPoolClient": moto}))]);
    let remote = http.api().describe(POOL, "client1").await.unwrap().unwrap();
    assert_eq!(remote.settings, ClientSettings::with_defaults("plain"));
    assert_eq!(remote.settings.token_validity_units, defaults::UNITS);
}

#[tokio::test]
async fn not_found_means_gone_for_describe_and_done_for_delete() {
    let http = ScriptedHttp::with([
        error_reply(
            400,
            "ResourceNotFoundException",
            "User pool client client1 does not exist.",
        ),
        error_reply(
            400,
            "ResourceNotFoundException",
            "User pool us-east-1_pool does not exist.",
        ),
        respond(200, json!({})),
    ]);
    let api = http.api();
    assert_eq!(api.describe(POOL, "client1").await.unwrap(), None);
    api.delete(POOL, "client1").await.unwrap();
    api.delete(POOL, "client2").await.unwrap();
    let operations: Vec<_> = http.sent().into_iter().map(|(operation, _)| operation).collect();
    assert_eq!(
        operations,
        ["DescribeUserPoolClient", "DeleteUserPoolClient", "DeleteUserPoolClient"]
    );
}

#[tokio::test]
async fn not_found_on_update_is_an_error() {
    let http = ScriptedHttp::with([error_reply(400, "ResourceNotFoundException", "gone")]);
    let error = http
        .api()
        .update(POOL, "client1", &ClientSettings::with_defaults("x"))
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::NotFound);
}

#[tokio::test]
async fn list_follows_next_token_through_empty_pages() {
    let page = |ids: &[&str], token: Option<&str>| {
        let clients: Vec<Json> = ids
            .iter()
            .map(|id| json!({"ClientId": id, "ClientName": format!("name-{id}"), "UserPoolId": POOL}))
            .collect();
        let mut body = json!({"UserPoolClients": clients});
        if let Some(token) = token {
            body["NextToken"] = json!(token);
        }
        respond(200, body)
    };
    let http = ScriptedHttp::with([page(&["a", "b"], Some("t1")), page(&[], Some("t2")), page(&["c"], None)]);
    let listed = Cognito::direct(Arc::new(http.api()))
        .clients()
        .list(POOL)
        .await
        .unwrap();
    let ids: Vec<_> = listed.iter().map(|summary| summary.client_id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(listed[0].name, "name-a");

    let bodies: Vec<Json> = http.sent().into_iter().map(|(_, body)| body).collect();
    assert_eq!(bodies[0], json!({"UserPoolId": POOL, "MaxResults": 60}));
    assert_eq!(bodies[1]["NextToken"], json!("t1"));
    assert_eq!(bodies[2]["NextToken"], json!("t2"));
}

#[tokio::test]
async fn list_stops_when_the_token_does_not_advance() {
    let page = respond(200, json!({"UserPoolClients": [], "NextToken": "same"}));
    let again = respond(200, json!({"UserPoolClients": [], "NextToken": "same"}));
    let http = ScriptedHttp::with([page, again]);
    let error = Cognito::direct(Arc::new(http.api()))
        .clients()
        .list(POOL)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Other);
    assert_eq!(http.sent().len(), 2);
}

#[tokio::test]
async fn service_errors_are_classified_by_code_and_never_retried_by_the_sdk() {
    let cases = [
        (
            400,
            "ConcurrentModificationException",
            ErrorKind::ConcurrentModification,
        ),
        (400, "TooManyRequestsException", ErrorKind::Throttled),
        (400, "LimitExceededException", ErrorKind::LimitExceeded),
        (400, "InvalidParameterException", ErrorKind::Invalid),
        (400, "InvalidOAuthFlowException", ErrorKind::Invalid),
        (400, "ScopeDoesNotExistException", ErrorKind::Invalid),
        (400, "NotAuthorizedException", ErrorKind::Unauthorized),
        (400, "FeatureUnavailableInTierException", ErrorKind::Unavailable),
        (500, "InternalErrorException", ErrorKind::Transient),
        (400, "SomeFutureException", ErrorKind::Other),
    ];
    for (status, code, kind) in cases {
        let http = ScriptedHttp::with([error_reply(status, code, "the message")]);
        let error = http
            .api()
            .update(POOL, "client1", &ClientSettings::with_defaults("x"))
            .await
            .unwrap_err();
        assert_eq!(error.kind, kind, "{code}");
        assert_eq!(error.code.as_deref(), Some(code));
        assert_eq!(error.message, "the message");
        assert_eq!(error.operation, Operation::UPDATE_CLIENT);
        assert_eq!(*error.scope, Scope::client(POOL, "client1"));
        assert_eq!(error.http_status, Some(status));
        assert!(error.request_sent);
        assert_eq!(
            error.to_string(),
            format!("UpdateUserPoolClient failed for client client1 in user pool {POOL}: {code}: the message")
        );
        // One attempt only, although the client was configured with five.
        assert_eq!(http.sent().len(), 1, "{code}");
    }
}

#[tokio::test]
async fn limit_exceeded_on_create_is_not_retried() {
    let http = ScriptedHttp::with([error_reply(400, "LimitExceededException", "too many clients")]);
    let error = http
        .api()
        .create(POOL, &ClientSettings::with_defaults("x"), &InitialSecret::None)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::LimitExceeded);
    assert!(!error.is_retryable());
    assert_eq!(http.sent().len(), 1);
}

#[tokio::test]
async fn responses_without_a_code_are_classified_by_status() {
    let html = |status| Reply::Respond {
        status,
        body: "<html><body>Internal Server Error</body></html>".into(),
        headers: vec![("content-type", "text/html")],
    };
    for (status, kind) in [
        (500, ErrorKind::Transient),
        (503, ErrorKind::Transient),
        (429, ErrorKind::Throttled),
    ] {
        let http = ScriptedHttp::with([html(status)]);
        let error = http.api().describe(POOL, "client1").await.unwrap_err();
        assert_eq!(error.kind, kind, "{status}");
        assert_eq!(error.http_status, Some(status));
        assert!(error.request_sent);
        assert_eq!(http.sent().len(), 1);
    }
}

#[tokio::test]
async fn the_request_id_is_kept() {
    let http = ScriptedHttp::with([Reply::Respond {
        status: 400,
        body: json!({"__type": "InvalidParameterException", "message": "bad"}).to_string(),
        headers: vec![("x-amzn-requestid", "4b1f0c2e-request-id")],
    }]);
    let error = http.api().describe(POOL, "client1").await.unwrap_err();
    assert_eq!(error.request_id.as_deref(), Some("4b1f0c2e-request-id"));
}

#[tokio::test]
async fn an_unreadable_success_is_ambiguous_and_does_not_reveal_the_secret() {
    let body =
        r#"{"UserPoolClient": {"ClientId": "client1", "ClientSecret": "TOPSECRETVALUE", "RefreshTokenValidity": "#;
    let http = ScriptedHttp::with([Reply::Respond {
        status: 200,
        body: body.into(),
        headers: Vec::new(),
    }]);
    let error = http
        .api()
        .create(POOL, &ClientSettings::with_defaults("x"), &InitialSecret::Generated)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Ambiguous);
    assert!(!error.is_retryable());
    assert!(!error.to_string().contains("TOPSECRETVALUE"), "{error}");
    assert!(!format!("{error:?}").contains("TOPSECRETVALUE"));
}

#[tokio::test]
async fn a_success_without_a_client_is_ambiguous() {
    let http = ScriptedHttp::with([respond(200, json!({}))]);
    let error = http
        .api()
        .create(POOL, &ClientSettings::with_defaults("x"), &InitialSecret::None)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Ambiguous);
    assert_eq!(error.operation, Operation::CREATE_CLIENT);
}

fn refused() -> ConnectorError {
    ConnectorError::io(Box::new(std::io::Error::from(std::io::ErrorKind::ConnectionRefused)))
}

fn reset() -> ConnectorError {
    ConnectorError::io(Box::new(std::io::Error::from(std::io::ErrorKind::ConnectionReset)))
}

fn read_timeout() -> ConnectorError {
    ConnectorError::timeout("HTTP read timeout occurred after 5s".into())
}

fn invalid_request() -> ConnectorError {
    ConnectorError::user("invalid header value".into())
}

#[tokio::test]
async fn connector_failures_are_classified_by_how_far_the_request_got() {
    /// The failure, the kind it must get, and whether the request may have been sent.
    type Case = (fn() -> ConnectorError, ErrorKind, bool);
    // Only the HTTP client's own "could not connect" proves a request never left; an I/O error of the same
    // kind from a connector that does not say so proves nothing.
    let cases: [Case; 4] = [
        (refused, ErrorKind::Ambiguous, true),
        (reset, ErrorKind::Ambiguous, true),
        (read_timeout, ErrorKind::Ambiguous, true),
        (invalid_request, ErrorKind::Other, false),
    ];
    for (failure, kind, sent) in cases {
        let http = ScriptedHttp::with([Reply::Fail(failure)]);
        let error = http
            .api()
            .create(POOL, &ClientSettings::with_defaults("x"), &InitialSecret::None)
            .await
            .unwrap_err();
        assert_eq!((error.kind, error.request_sent), (kind, sent), "{error}");
        assert_eq!(error.code, None);
        assert_eq!(error.http_status, None);
        assert_eq!(http.sent().len(), 1);
    }
    assert!(!classify_after(refused).await.is_retryable_for(Operation::CREATE_CLIENT));
    assert!(!classify_after(reset).await.is_retryable_for(Operation::CREATE_CLIENT));
    assert!(classify_after(reset).await.is_retryable_for(Operation::UPDATE_CLIENT));
}

async fn classify_after(failure: fn() -> ConnectorError) -> ApiError {
    let http = ScriptedHttp::with([Reply::Fail(failure)]);
    http.api()
        .create(POOL, &ClientSettings::with_defaults("x"), &InitialSecret::None)
        .await
        .unwrap_err()
}

#[derive(Debug)]
struct NoCredentials;

impl ProvideCredentials for NoCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(Err(CredentialsError::not_loaded("no credentials in the environment")))
    }
}

#[tokio::test]
async fn missing_credentials_are_unauthorized_and_nothing_is_sent() {
    let http = ScriptedHttp::default();
    let connector = http.clone();
    let config = aws_sdk_cognitoidentityprovider::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(NoCredentials)
        .http_client(http_client_fn(move |_, _| SharedHttpConnector::new(connector.clone())))
        .build();
    let api = SdkCognito::new(&Client::from_conf(config));
    let error = api.describe(POOL, "client1").await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unauthorized, "{error}");
    assert!(!error.request_sent);
    assert!(error.hint().unwrap().contains("cognito-idp:DescribeUserPoolClient"));
    assert!(http.sent().is_empty());
}

/// An SDK client with the real HTTP stack, pointed at a loopback port.
fn loopback_api(port: u16, attempt_timeout: Duration) -> SdkCognito {
    let config = aws_sdk_cognitoidentityprovider::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "not-a-real-secret", None, None, "test"))
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(2))
                .operation_attempt_timeout(attempt_timeout)
                .build(),
        )
        .build();
    SdkCognito::new(&Client::from_conf(config))
}

#[tokio::test]
async fn a_refused_connection_never_reached_cognito() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let error = loopback_api(port, Duration::from_secs(5))
        .create(POOL, &ClientSettings::with_defaults("x"), &InitialSecret::None)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Transient, "{error}");
    assert!(!error.request_sent, "{error}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_connection_closed_after_the_request_is_ambiguous() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buffer = vec![0u8; 64 * 1024];
        // Read the request, then hang up without answering.
        let read = socket.read(&mut buffer).await.unwrap();
        assert!(read > 0);
    });
    let error = loopback_api(port, Duration::from_secs(5))
        .create(POOL, &ClientSettings::with_defaults("x"), &InitialSecret::None)
        .await
        .unwrap_err();
    server.await.unwrap();
    assert_eq!(error.kind, ErrorKind::Ambiguous, "{error}");
    assert!(error.request_sent);
    assert!(!error.is_retryable(), "a Create that may have happened is not repeated");
    assert!(error.is_retryable_for(Operation::UPDATE_CLIENT));
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_ambiguously() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        tokio::time::sleep(Duration::from_secs(3)).await;
        drop(socket);
    });
    let started = std::time::Instant::now();
    let error = loopback_api(port, Duration::from_millis(300))
        .describe(POOL, "client1")
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(error.kind, ErrorKind::Ambiguous, "{error}");
    assert!(error.message.contains("timed out"), "{}", error.message);
    server.abort();
}

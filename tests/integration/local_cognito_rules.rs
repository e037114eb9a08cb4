//! The local Cognito is at least as strict as Cognito, and no stricter than what Cognito is seen to accept.
//!
//! - Every rule of its Cognito mode (`GET /_proxy/rules`) is broken by requests sent straight to the proxy, past
//!   the SDK (which would refuse some of them itself): each must be refused by that very rule, with the error code
//!   Cognito answers, and never reach moto. A rule without a violation here fails the test.
//! - What HashiCorp's acceptance tests for `aws_cognito_user_pool_client` apply against AWS
//!   (terraform-provider-aws, internal/service/cognitoidp/user_pool_client_test.go), and what the API reference
//!   explicitly allows, must be accepted, with Cognito's documented rewrites.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::support::LocalCognito;

const INVALID_PARAMETER: &str = "InvalidParameterException";
const INVALID_OAUTH_FLOW: &str = "InvalidOAuthFlowException";
const SCOPE_DOES_NOT_EXIST: &str = "ScopeDoesNotExistException";
const SERIALIZATION: &str = "SerializationException";

/// The pool the requests go to, with what they may refer to.
struct Pool {
    id: String,
    /// A client without a secret, and one with.
    public_client: String,
    confidential_client: String,
}

/// `members` added to a CreateUserPoolClient request for the pool.
fn create(pool: &Pool, members: Value) -> (&'static str, Value) {
    let mut body = json!({ "UserPoolId": pool.id, "ClientName": "rules" });
    merge(&mut body, members);
    ("CreateUserPoolClient", body)
}

/// `members` added to an UpdateUserPoolClient request for `client_id`.
fn update(pool: &Pool, client_id: &str, members: Value) -> (&'static str, Value) {
    let mut body = json!({ "UserPoolId": pool.id, "ClientId": client_id });
    merge(&mut body, members);
    ("UpdateUserPoolClient", body)
}

fn merge(body: &mut Value, members: Value) {
    let (Value::Object(body), Value::Object(members)) = (body, members) else {
        panic!("request members are a JSON object");
    };
    body.extend(members);
}

/// OAuth settings that are valid on their own: the code flow to one HTTPS callback.
fn code_flow(members: Value) -> Value {
    let mut body = json!({
        "AllowedOAuthFlowsUserPoolClient": true,
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid"],
        "CallbackURLs": ["https://app.example.com/cb"],
    });
    merge(&mut body, members);
    body
}

/// An operation and its JSON body.
type Request = (&'static str, Value);

/// One rule, the error code Cognito answers when it is broken, and requests that break it (what each does).
struct Broken {
    rule: &'static str,
    code: &'static str,
    requests: Vec<(&'static str, Request)>,
}

fn broken(rule: &'static str, code: &'static str, requests: Vec<(&'static str, Request)>) -> Broken {
    Broken { rule, code, requests }
}

fn violations(pool: &Pool) -> Vec<Broken> {
    let long = |length: usize| "a".repeat(length);
    let public = pool.public_client.as_str();
    let urls = |count: usize| {
        (0..count)
            .map(|i| format!("https://a.example.com/{i}"))
            .collect::<Vec<_>>()
    };
    let analytics = |id: &str, role: &str| json!({ "ApplicationId": id, "RoleArn": role, "ExternalId": "e" });
    let machine = |flows: Value, scopes: Value| {
        code_flow(json!({ "GenerateSecret": true, "AllowedOAuthFlows": flows, "AllowedOAuthScopes": scopes }))
    };
    vec![
        broken(
            "member_types",
            SERIALIZATION,
            vec![
                ("a number for ClientName", create(pool, json!({ "ClientName": 5 }))),
                (
                    "a string for a list",
                    create(pool, json!({ "CallbackURLs": "https://a.example.com" })),
                ),
            ],
        ),
        broken(
            "constraints",
            INVALID_PARAMETER,
            vec![
                (
                    "no ClientName",
                    ("CreateUserPoolClient", json!({ "UserPoolId": pool.id })),
                ),
                (
                    "no ClientId",
                    ("UpdateUserPoolClient", json!({ "UserPoolId": pool.id })),
                ),
                (
                    "a malformed UserPoolId",
                    (
                        "CreateUserPoolClient",
                        json!({ "UserPoolId": "pool", "ClientName": "x" }),
                    ),
                ),
                (
                    "a slash in ClientName",
                    create(pool, json!({ "ClientName": "app/one" })),
                ),
                (
                    "a 129-character ClientName",
                    create(pool, json!({ "ClientName": long(129) })),
                ),
                (
                    "AccessTokenValidity 0",
                    create(pool, json!({ "AccessTokenValidity": 0 })),
                ),
                (
                    "AccessTokenValidity 86401",
                    create(pool, json!({ "AccessTokenValidity": 86401 })),
                ),
                ("IdTokenValidity 0", create(pool, json!({ "IdTokenValidity": 0 }))),
                (
                    "RefreshTokenValidity 315360001",
                    create(pool, json!({ "RefreshTokenValidity": 315_360_001 })),
                ),
                (
                    "AuthSessionValidity 2",
                    create(pool, json!({ "AuthSessionValidity": 2 })),
                ),
                (
                    "AuthSessionValidity 16",
                    create(pool, json!({ "AuthSessionValidity": 16 })),
                ),
                (
                    "the unit weeks",
                    create(pool, json!({ "TokenValidityUnits": { "IdToken": "weeks" } })),
                ),
                (
                    "an unknown auth flow",
                    create(pool, json!({ "ExplicitAuthFlows": ["ALLOW_EVERYTHING"] })),
                ),
                (
                    "the OAuth flow token",
                    create(pool, code_flow(json!({ "AllowedOAuthFlows": ["token"] }))),
                ),
                (
                    "four OAuth flows",
                    create(pool, code_flow(json!({ "AllowedOAuthFlows": vec!["code"; 4] }))),
                ),
                (
                    "51 scopes",
                    create(pool, code_flow(json!({ "AllowedOAuthScopes": vec!["openid"; 51] }))),
                ),
                (
                    "a scope with a space",
                    create(pool, code_flow(json!({ "AllowedOAuthScopes": ["open id"] }))),
                ),
                (
                    "101 callback URLs",
                    create(pool, code_flow(json!({ "CallbackURLs": urls(101) }))),
                ),
                (
                    "a space in a logout URL",
                    create(pool, json!({ "LogoutURLs": ["https://a.example.com/a b"] })),
                ),
                (
                    "a 1025-character callback URL",
                    create(
                        pool,
                        code_flow(json!({ "CallbackURLs": [format!("https://a.example.com/{}", long(1003))] })),
                    ),
                ),
                (
                    "an empty read attribute",
                    create(pool, json!({ "ReadAttributes": [""] })),
                ),
                (
                    "a 33-character identity provider",
                    create(pool, json!({ "SupportedIdentityProviders": [long(33)] })),
                ),
                (
                    "PreventUserExistenceErrors SOMETIMES",
                    create(pool, json!({ "PreventUserExistenceErrors": "SOMETIMES" })),
                ),
                (
                    "rotation without Feature",
                    create(
                        pool,
                        json!({ "RefreshTokenRotation": { "RetryGracePeriodSeconds": 5 } }),
                    ),
                ),
                (
                    "a grace period of 61 s",
                    create(
                        pool,
                        json!({ "RefreshTokenRotation": { "Feature": "ENABLED", "RetryGracePeriodSeconds": 61 } }),
                    ),
                ),
                (
                    "a non-hex ApplicationId",
                    create(
                        pool,
                        json!({ "AnalyticsConfiguration": analytics("xyz", "arn:aws:iam::123456789012:role/r") }),
                    ),
                ),
                (
                    "a RoleArn that is no ARN",
                    create(
                        pool,
                        json!({ "AnalyticsConfiguration": analytics("abc", "role/pinpoint-analytics") }),
                    ),
                ),
                (
                    "a 23-character ClientSecret",
                    create(pool, json!({ "ClientSecret": long(23) })),
                ),
            ],
        ),
        broken(
            "token_validity_duration",
            INVALID_PARAMETER,
            vec![
                (
                    "an access token of 4 minutes",
                    create(
                        pool,
                        json!({ "AccessTokenValidity": 4, "TokenValidityUnits": { "AccessToken": "minutes" } }),
                    ),
                ),
                (
                    "an ID token of 25 hours",
                    create(pool, json!({ "IdTokenValidity": 25 })),
                ),
                (
                    "an access token of 2 days",
                    update(
                        pool,
                        public,
                        json!({ "AccessTokenValidity": 2, "TokenValidityUnits": { "AccessToken": "days" } }),
                    ),
                ),
                (
                    "a refresh token of 59 minutes",
                    create(
                        pool,
                        json!({ "RefreshTokenValidity": 59, "TokenValidityUnits": { "RefreshToken": "minutes" } }),
                    ),
                ),
                (
                    "a refresh token of 3651 days",
                    create(pool, json!({ "RefreshTokenValidity": 3651 })),
                ),
            ],
        ),
        broken(
            "legacy_and_allow_flows",
            INVALID_PARAMETER,
            vec![(
                "legacy mixed with ALLOW_",
                create(
                    pool,
                    json!({ "ExplicitAuthFlows": ["USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }),
                ),
            )],
        ),
        broken(
            "refresh_token_auth_required",
            INVALID_PARAMETER,
            vec![
                (
                    "ALLOW_ without refresh",
                    create(pool, json!({ "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"] })),
                ),
                (
                    "ALLOW_ without refresh, rotation DISABLED",
                    update(
                        pool,
                        public,
                        json!({ "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"], "RefreshTokenRotation": { "Feature": "DISABLED" } }),
                    ),
                ),
            ],
        ),
        broken(
            "redirect_url_absolute",
            INVALID_PARAMETER,
            vec![
                (
                    "a relative callback",
                    create(pool, code_flow(json!({ "CallbackURLs": ["/callback"] }))),
                ),
                (
                    "an https callback without a host",
                    create(pool, code_flow(json!({ "CallbackURLs": ["https:///cb"] }))),
                ),
            ],
        ),
        broken(
            "redirect_url_fragment",
            INVALID_PARAMETER,
            vec![
                (
                    "a fragment in a callback",
                    create(
                        pool,
                        code_flow(json!({ "CallbackURLs": ["https://a.example.com/cb#x"] })),
                    ),
                ),
                (
                    "a fragment in the default redirect",
                    create(
                        pool,
                        code_flow(json!({ "DefaultRedirectURI": "https://app.example.com/cb#x" })),
                    ),
                ),
            ],
        ),
        broken(
            "redirect_url_https",
            INVALID_PARAMETER,
            vec![
                (
                    "plain http to a public host",
                    create(pool, code_flow(json!({ "CallbackURLs": ["http://a.example.com/cb"] }))),
                ),
                (
                    "plain http to a host that starts with localhost",
                    create(
                        pool,
                        code_flow(json!({ "CallbackURLs": ["http://localhost.example.com/cb"] })),
                    ),
                ),
                (
                    "plain http with localhost as the user",
                    create(
                        pool,
                        code_flow(json!({ "CallbackURLs": ["http://localhost@example.com/cb"] })),
                    ),
                ),
            ],
        ),
        broken(
            "default_redirect_in_callbacks",
            INVALID_PARAMETER,
            vec![(
                "a default redirect that is no callback",
                create(
                    pool,
                    code_flow(json!({ "DefaultRedirectURI": "https://app.example.com/other" })),
                ),
            )],
        ),
        broken(
            "oauth_needs_user_pool_client_flag",
            INVALID_OAUTH_FLOW,
            vec![
                (
                    "flows without the flag",
                    create(pool, code_flow(json!({ "AllowedOAuthFlowsUserPoolClient": false }))),
                ),
                (
                    "scopes without the flag",
                    create(pool, json!({ "AllowedOAuthScopes": ["openid"] })),
                ),
            ],
        ),
        broken(
            "client_credentials_alone",
            INVALID_OAUTH_FLOW,
            vec![(
                "client_credentials with code",
                create(
                    pool,
                    machine(json!(["client_credentials", "code"]), json!(["api/read"])),
                ),
            )],
        ),
        broken(
            "client_credentials_needs_secret",
            INVALID_OAUTH_FLOW,
            vec![
                (
                    "client_credentials on a new public client",
                    create(
                        pool,
                        code_flow(
                            json!({ "AllowedOAuthFlows": ["client_credentials"], "AllowedOAuthScopes": ["api/read"] }),
                        ),
                    ),
                ),
                (
                    "client_credentials on an existing public client",
                    update(
                        pool,
                        public,
                        code_flow(
                            json!({ "AllowedOAuthFlows": ["client_credentials"], "AllowedOAuthScopes": ["api/read"] }),
                        ),
                    ),
                ),
            ],
        ),
        broken(
            "client_credentials_without_openid",
            INVALID_OAUTH_FLOW,
            vec![(
                "client_credentials with openid",
                create(
                    pool,
                    machine(json!(["client_credentials"]), json!(["openid", "api/read"])),
                ),
            )],
        ),
        broken(
            "code_or_implicit_needs_callbacks",
            INVALID_OAUTH_FLOW,
            vec![(
                "implicit without callbacks",
                create(
                    pool,
                    json!({ "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["implicit"] }),
                ),
            )],
        ),
        broken(
            "custom_scope_exists",
            SCOPE_DOES_NOT_EXIST,
            vec![
                (
                    "a scope the resource server lacks",
                    create(pool, code_flow(json!({ "AllowedOAuthScopes": ["api/write"] }))),
                ),
                (
                    "a resource server not in the pool",
                    create(pool, code_flow(json!({ "AllowedOAuthScopes": ["billing/read"] }))),
                ),
                (
                    "a bare word that is no built-in scope",
                    create(pool, code_flow(json!({ "AllowedOAuthScopes": ["Cognito"] }))),
                ),
            ],
        ),
        broken(
            "identity_provider_exists",
            INVALID_PARAMETER,
            vec![
                (
                    "an identity provider not in the pool",
                    create(pool, json!({ "SupportedIdentityProviders": ["COGNITO", "Google"] })),
                ),
                (
                    "a provider named in another case",
                    update(pool, public, json!({ "SupportedIdentityProviders": ["CORP"] })),
                ),
            ],
        ),
        broken(
            "context_data_needs_secret",
            INVALID_PARAMETER,
            vec![
                (
                    "context data on a new public client",
                    create(pool, json!({ "EnablePropagateAdditionalUserContextData": true })),
                ),
                (
                    "context data on an existing public client",
                    update(
                        pool,
                        public,
                        json!({ "EnablePropagateAdditionalUserContextData": true }),
                    ),
                ),
            ],
        ),
        broken(
            "secret_generated_or_given",
            INVALID_PARAMETER,
            vec![(
                "GenerateSecret and a ClientSecret",
                create(pool, json!({ "GenerateSecret": true, "ClientSecret": long(32) })),
            )],
        ),
    ]
}

/// (what HashiCorp's acceptance test or the API reference applies, operation, body, JSON pointers into the answer
/// with the value Cognito reports there)
type Accepted = (&'static str, (&'static str, Value), Vec<(&'static str, Value)>);

fn accepted(pool: &Pool) -> Vec<Accepted> {
    let utf8 = |prefix: &str, count: usize| format!("{prefix}{}", "あ".repeat(count));
    let callback = utf8("https://www.example.com/redirect/", 991);
    let logout = utf8("https://www.example.com/logout/", 993);
    vec![
        (
            "basic",
            create(pool, json!({ "ExplicitAuthFlows": ["ADMIN_NO_SRP_AUTH"] })),
            vec![],
        ),
        (
            "enableRevocation",
            create(
                pool,
                json!({ "ExplicitAuthFlows": ["ADMIN_NO_SRP_AUTH"], "EnableTokenRevocation": false }),
            ),
            vec![],
        ),
        (
            "accessTokenValidity 5 hours",
            create(pool, json!({ "AccessTokenValidity": 5 })),
            vec![],
        ),
        (
            "idTokenValidity 1 hour",
            create(pool, json!({ "IdTokenValidity": 1 })),
            vec![],
        ),
        (
            "refreshTokenValidity 120 days",
            create(pool, json!({ "RefreshTokenValidity": 120 })),
            vec![],
        ),
        (
            "tokenValidityUnitsWTokenValidity, days",
            create(
                pool,
                json!({ "IdTokenValidity": 1, "TokenValidityUnits": { "AccessToken": "days", "IdToken": "days", "RefreshToken": "days" } }),
            ),
            vec![],
        ),
        (
            "tokenValidityUnits, hours",
            create(
                pool,
                json!({ "TokenValidityUnits": { "AccessToken": "hours", "IdToken": "hours", "RefreshToken": "hours" } }),
            ),
            vec![("/UserPoolClient/RefreshTokenValidity", json!(720))],
        ),
        (
            "authSessionValidity 15",
            create(
                pool,
                json!({ "AuthSessionValidity": 15, "ExplicitAuthFlows": ["ADMIN_NO_SRP_AUTH"] }),
            ),
            vec![],
        ),
        (
            "allFields",
            create(
                pool,
                json!({
                    "ExplicitAuthFlows": ["ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"],
                    "GenerateSecret": true,
                    "ReadAttributes": ["email"],
                    "WriteAttributes": ["email"],
                    "RefreshTokenValidity": 300,
                    "PreventUserExistenceErrors": "LEGACY",
                    "AllowedOAuthFlows": ["code", "implicit"],
                    "AllowedOAuthFlowsUserPoolClient": true,
                    "AllowedOAuthScopes": ["phone", "email", "openid", "profile", "aws.cognito.signin.user.admin"],
                    "CallbackURLs": ["https://www.example.com/redirect", "https://www.example.com/callback"],
                    "DefaultRedirectURI": "https://www.example.com/redirect",
                    "LogoutURLs": ["https://www.example.com/login"],
                }),
            ),
            vec![],
        ),
        (
            "urls_utf8: 1024-character URLs, without the OAuth flag",
            create(
                pool,
                json!({ "CallbackURLs": [callback], "DefaultRedirectURI": callback, "LogoutURLs": [logout] }),
            ),
            vec![],
        ),
        (
            "supportedIdentityProviders_utf8",
            create(pool, json!({ "SupportedIdentityProviders": [utf8("", 32)] })),
            vec![],
        ),
        (
            "refreshTokenRotation",
            create(
                pool,
                json!({ "ExplicitAuthFlows": ["ADMIN_NO_SRP_AUTH"], "RefreshTokenRotation": { "Feature": "ENABLED", "RetryGracePeriodSeconds": 10 } }),
            ),
            vec![],
        ),
        (
            "emptySets",
            create(
                pool,
                json!({
                    "AllowedOAuthFlows": [], "AllowedOAuthScopes": [], "CallbackURLs": [], "ExplicitAuthFlows": [],
                    "LogoutURLs": [], "ReadAttributes": [], "SupportedIdentityProviders": [], "WriteAttributes": [],
                }),
            ),
            vec![("/UserPoolClient/ExplicitAuthFlows", Value::Null)],
        ),
        (
            "analyticsApplicationID",
            create(
                pool,
                json!({ "AnalyticsConfiguration": { "ApplicationId": "0123456789abcdef", "ExternalId": "rules", "RoleArn": "arn:aws:iam::123456789012:role/analytics", "UserDataShared": true } }),
            ),
            vec![],
        ),
        (
            "analyticsWithARN: Cognito's service-linked role",
            create(
                pool,
                json!({ "AnalyticsConfiguration": { "ApplicationArn": "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef" } }),
            ),
            vec![(
                "/UserPoolClient/AnalyticsConfiguration/RoleArn",
                json!(
                    "arn:aws:iam::123456789012:role/aws-service-role/cognito-idp.amazonaws.com/AWSServiceRoleForAmazonCognitoIdp"
                ),
            )],
        ),
        // The API reference, CallbackURLs: http to localhost, 127.0.0.1 and [::1], custom ports, app schemes.
        (
            "http to the loopback hosts, and an app scheme",
            create(
                pool,
                code_flow(
                    json!({ "CallbackURLs": ["http://localhost:3000/cb", "http://127.0.0.1:8080/cb", "http://[::1]:8080/cb", "myapp://callback"] }),
                ),
            ),
            vec![],
        ),
        // RefreshTokenValidity: "If you do [set 0], Amazon Cognito overrides the value with the default value of 30 days."
        (
            "RefreshTokenValidity 0 becomes 30 days",
            create(
                pool,
                json!({ "RefreshTokenValidity": 0, "TokenValidityUnits": { "RefreshToken": "hours" } }),
            ),
            vec![("/UserPoolClient/RefreshTokenValidity", json!(720))],
        ),
        (
            "client_credentials with a secret and a custom scope",
            create(
                pool,
                json!({ "GenerateSecret": true, "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["client_credentials"], "AllowedOAuthScopes": ["api/read"] }),
            ),
            vec![],
        ),
        (
            "rotation ENABLED: refresh goes through GetTokensFromRefreshToken, no ALLOW_REFRESH_TOKEN_AUTH needed",
            update(
                pool,
                &pool.public_client,
                json!({ "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"], "RefreshTokenRotation": { "Feature": "ENABLED" } }),
            ),
            vec![],
        ),
        (
            "context data on a client with a secret, and an identity provider of the pool",
            update(
                pool,
                &pool.confidential_client,
                json!({ "EnablePropagateAdditionalUserContextData": true, "SupportedIdentityProviders": ["COGNITO", "corp"] }),
            ),
            vec![],
        ),
    ]
}

async fn pool_with_references(stack: &LocalCognito) -> Pool {
    let id = stack.create_user_pool("rules").await;
    stack.create_resource_server(&id, "api", &["read"]).await;
    stack.create_identity_provider(&id, "corp").await;
    stack.create_identity_provider(&id, &"あ".repeat(32)).await;
    let mut client_ids = Vec::new();
    for secret in [false, true] {
        let (status, answer) = stack.cognito_call(
            "CreateUserPoolClient",
            &json!({ "UserPoolId": id, "ClientName": "existing", "GenerateSecret": secret }),
        );
        assert_eq!(status, 200, "{answer}");
        client_ids.push(
            answer["UserPoolClient"]["ClientId"]
                .as_str()
                .expect("a client id")
                .to_owned(),
        );
    }
    let confidential_client = client_ids.pop().expect("two clients");
    let public_client = client_ids.pop().expect("two clients");
    Pool {
        id,
        public_client,
        confidential_client,
    }
}

#[tokio::test]
async fn each_rule_refuses_its_violations_with_cognitos_error_code() {
    let stack = LocalCognito::start();
    let pool = pool_with_references(&stack).await;
    let mut problems = Vec::new();
    let mut rules_broken = BTreeSet::new();
    for Broken { rule, code, requests } in violations(&pool) {
        rules_broken.insert(rule.to_owned());
        for (what, (operation, body)) in requests {
            let (status, answer) = stack.cognito_call(operation, &body);
            let logged = stack.requests().pop().expect("the request is logged");
            let refused_by = logged.rejected.as_ref().map(|rejected| rejected.rule.as_str());
            if status != 400 || answer["__type"] != code || refused_by != Some(rule) || logged.moto_status.is_some() {
                problems.push(format!(
                    "{what} ({operation}): expected {rule} / {code}, got HTTP {status}, refused by {refused_by:?}, \
                     reached moto: {}, answer {answer}",
                    logged.moto_status.is_some()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let enforced: BTreeSet<String> = stack.rules().into_keys().collect();
    assert_eq!(
        rules_broken, enforced,
        "every rule the proxy enforces is broken here, and no other"
    );
}

#[tokio::test]
async fn what_cognito_is_seen_to_accept_is_accepted() {
    let stack = LocalCognito::start();
    let pool = pool_with_references(&stack).await;
    let mut problems = Vec::new();
    for (what, (operation, body), reported) in accepted(&pool) {
        let (status, answer) = stack.cognito_call(operation, &body);
        if status != 200 {
            problems.push(format!("{what} ({operation}): HTTP {status}, {answer}"));
            continue;
        }
        for (pointer, expected) in reported {
            let actual = answer.pointer(pointer).cloned().unwrap_or(Value::Null);
            if actual != expected {
                problems.push(format!("{what}: {pointer} is {actual}, Cognito reports {expected}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

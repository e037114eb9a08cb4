//! Tests of the local Cognito test stack itself (moto behind the recording, Cognito-mode, fault-injecting proxy),
//! through the Rust SDK, so that the provider's end-to-end tests can rely on what it claims to do.

use std::time::{Duration, Instant};

use crate::support::LocalCognito;
use crate::support::control_http::{self, ControlError};
use crate::support::local_cognito::create_app_client;
use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::error::SdkError;
use aws_sdk_cognitoidentityprovider::operation::create_user_pool_client::CreateUserPoolClientError;
use aws_sdk_cognitoidentityprovider::types::{
    FeatureType, PreventUserExistenceErrorTypes, TimeUnitsType, TokenValidityUnitsType, UserPoolClientType,
};
use aws_smithy_types::error::display::DisplayErrorContext;
use serde_json::json;

async fn describe_client(sdk: &Client, pool_id: &str, client_id: &str) -> UserPoolClientType {
    sdk.describe_user_pool_client()
        .user_pool_id(pool_id)
        .client_id(client_id)
        .send()
        .await
        .unwrap_or_else(|error| panic!("DescribeUserPoolClient: {}", DisplayErrorContext(&error)))
        .user_pool_client
        .expect("DescribeUserPoolClient returns the client")
}

/// Creates a client with a callback URL and a 5-hour access token, then updates it with only a new name.
async fn create_then_rename(stack: &LocalCognito) -> (String, UserPoolClientType) {
    let sdk = stack.sdk();
    let pool_id = stack.create_user_pool("rename-pool").await;
    let created = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("before")
        .callback_urls("https://example.com/callback")
        .access_token_validity(5)
        .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
        .send()
        .await
        .unwrap_or_else(|error| panic!("CreateUserPoolClient: {}", DisplayErrorContext(&error)))
        .user_pool_client
        .expect("client");
    let client_id = created.client_id().expect("client id").to_owned();
    sdk.update_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .client_name("after")
        .send()
        .await
        .unwrap_or_else(|error| panic!("UpdateUserPoolClient: {}", DisplayErrorContext(&error)));
    let described = describe_client(&sdk, &pool_id, &client_id).await;
    (client_id, described)
}

#[tokio::test]
async fn requests_are_recorded_with_operation_body_and_status() {
    let stack = LocalCognito::start();
    eprintln!("local Cognito stack started in {:?}", stack.startup_time());
    let pool_id = stack.create_user_pool("recorded-pool").await;
    let client = create_app_client(&stack.sdk(), &pool_id, "recorded-client").await;

    let requests = stack.requests();
    let operations: Vec<&str> = requests.iter().map(|request| request.operation.as_str()).collect();
    assert_eq!(operations, ["CreateUserPool", "CreateUserPoolClient"]);
    assert_eq!(requests[0].body, json!({ "PoolName": "recorded-pool" }));
    assert_eq!(
        requests[1].body,
        json!({ "UserPoolId": pool_id, "ClientName": "recorded-client" })
    );
    assert!(
        requests
            .iter()
            .all(|request| request.status == 200 && request.fault.is_none())
    );
    assert!(requests[0].timestamp <= requests[1].timestamp);
    assert_eq!(client.client_name(), Some("recorded-client"));
    assert_eq!(client.user_pool_id(), Some(pool_id.as_str()));
}

#[tokio::test]
async fn reset_clears_the_log_moto_and_configuration() {
    let stack = LocalCognito::start();
    let pool_id = stack.create_user_pool("doomed-pool").await;
    stack.set_cognito_mode(false);
    stack.set_faults(json!({ "throttle_rate": 1.0, "operations": ["ListUserPoolClients"] }));

    stack.reset();

    assert!(stack.requests().is_empty());
    let config: serde_json::Value =
        serde_json::from_slice(&control_http::call(stack.endpoint(), "GET", "/_proxy/config", None).unwrap()).unwrap();
    assert_eq!(config["cognito_mode"], json!(true));
    assert_eq!(config["faults"]["throttle_rate"], json!(0.0));
    let error = stack
        .sdk_without_retries()
        .list_user_pool_clients()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap_err();
    let service_error = error.as_service_error().expect("a service error");
    assert!(
        service_error.is_resource_not_found_exception(),
        "{}",
        DisplayErrorContext(&error)
    );
    let recorded = stack.requests();
    assert_eq!(recorded.len(), 1);
    assert_eq!((recorded[0].status, recorded[0].fault.as_deref()), (400, None));
}

#[tokio::test]
async fn cognito_mode_update_resets_omitted_members() {
    let stack = LocalCognito::start();
    let (client_id, described) = create_then_rename(&stack).await;

    assert_eq!(described.client_name(), Some("after"));
    assert!(
        described.callback_urls.is_none(),
        "CallbackURLs kept: {:?}",
        described.callback_urls
    );
    // Reset: back to unset, which Cognito does not report for these members.
    assert_eq!(described.access_token_validity(), None, "reset, not kept at 5");
    assert_eq!(
        described.prevent_user_existence_errors(),
        None,
        "reset, not kept at ENABLED"
    );

    // The provider's request is recorded as sent, not as rewritten for moto.
    let updates = stack.requests_for("UpdateUserPoolClient");
    assert_eq!(updates.len(), 1);
    let pool_id = described.user_pool_id().expect("pool id");
    assert_eq!(
        updates[0].body,
        json!({ "UserPoolId": pool_id, "ClientId": client_id, "ClientName": "after" })
    );
}

#[tokio::test]
async fn plain_moto_update_keeps_omitted_members() {
    let stack = LocalCognito::start();
    stack.set_cognito_mode(false);
    let (_, described) = create_then_rename(&stack).await;

    assert_eq!(described.client_name(), Some("after"));
    assert_eq!(described.callback_urls(), ["https://example.com/callback"]);
    assert_eq!(described.access_token_validity(), Some(5));
    assert_eq!(
        described.prevent_user_existence_errors(),
        Some(&PreventUserExistenceErrorTypes::Enabled)
    );
    // Nor does plain moto fill in server defaults.
    assert!(described.token_validity_units().is_none());
    assert!(described.refresh_token_rotation().is_none());
    assert!(described.creation_date().is_none());
}

#[tokio::test]
async fn describe_carries_cognito_server_defaults() {
    let stack = LocalCognito::start();
    let sdk = stack.sdk();
    let pool_id = stack.create_user_pool("defaults-pool").await;
    let created = create_app_client(&sdk, &pool_id, "plain").await;
    let client_id = created.client_id().expect("client id");
    let described = describe_client(&sdk, &pool_id, client_id).await;

    let units = described
        .token_validity_units()
        .expect("TokenValidityUnits is filled in");
    assert_eq!(units.access_token(), Some(&TimeUnitsType::Hours));
    assert_eq!(units.id_token(), Some(&TimeUnitsType::Hours));
    assert_eq!(units.refresh_token(), Some(&TimeUnitsType::Days));
    assert_eq!(described.refresh_token_validity(), 30);
    assert_eq!(described.auth_session_validity(), Some(3));
    // Members with a documented default behaviour that Cognito does not report while unset.
    assert_eq!(described.access_token_validity(), None);
    assert_eq!(described.id_token_validity(), None);
    assert!(described.explicit_auth_flows.is_none());
    assert_eq!(described.prevent_user_existence_errors(), None);
    assert_eq!(
        described.refresh_token_rotation().map(|rotation| rotation.feature()),
        Some(&FeatureType::Disabled)
    );
    assert_eq!(described.enable_token_revocation(), Some(true));
    assert_eq!(described.enable_propagate_additional_user_context_data(), Some(false));
    assert_eq!(described.allowed_o_auth_flows_user_pool_client(), Some(false));
    // Empty lists are left out, as Cognito does.
    assert!(described.read_attributes.is_none() && described.callback_urls.is_none());

    // Create's answer carries the same defaults, and both dates, equal at creation.
    assert_eq!(created.token_validity_units(), described.token_validity_units());
    let creation_date = described.creation_date().expect("CreationDate");
    assert_eq!(described.last_modified_date(), Some(creation_date));

    // An update bumps LastModifiedDate and keeps CreationDate.
    sdk.update_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(client_id)
        .client_name("renamed")
        .send()
        .await
        .unwrap_or_else(|error| panic!("UpdateUserPoolClient: {}", DisplayErrorContext(&error)));
    let updated = describe_client(&sdk, &pool_id, client_id).await;
    assert_eq!(updated.creation_date(), Some(creation_date));
    assert!(updated.last_modified_date().expect("LastModifiedDate") > creation_date);
}

#[tokio::test]
async fn default_validities_follow_the_chosen_units() {
    let stack = LocalCognito::start();
    let sdk = stack.sdk();
    let pool_id = stack.create_user_pool("units-pool").await;
    let created = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("minutes")
        .token_validity_units(
            TokenValidityUnitsType::builder()
                .access_token(TimeUnitsType::Minutes)
                .refresh_token(TimeUnitsType::Hours)
                .build(),
        )
        .send()
        .await
        .unwrap_or_else(|error| panic!("CreateUserPoolClient: {}", DisplayErrorContext(&error)))
        .user_pool_client
        .expect("client");
    let described = describe_client(&sdk, &pool_id, created.client_id().expect("id")).await;

    assert_eq!(described.access_token_validity(), None, "unset, so not reported");
    assert_eq!(described.refresh_token_validity(), 720, "30 days in hours");
    assert_eq!(
        described.token_validity_units().and_then(|units| units.id_token()),
        Some(&TimeUnitsType::Hours)
    );
}

#[tokio::test]
async fn throttle_fault_is_a_too_many_requests_service_error() {
    let stack = LocalCognito::start();
    let pool_id = stack.create_user_pool("throttled-pool").await;
    stack.set_faults(json!({ "throttle_rate": 1.0, "operations": ["ListUserPoolClients"] }));
    let sdk = stack.sdk_without_retries();

    let error = sdk
        .list_user_pool_clients()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap_err();
    let service_error = error
        .as_service_error()
        .unwrap_or_else(|| panic!("{}", DisplayErrorContext(&error)));
    assert!(
        service_error.is_too_many_requests_exception(),
        "{}",
        DisplayErrorContext(&error)
    );
    // Operations outside the list are untouched.
    create_app_client(&sdk, &pool_id, "unaffected").await;

    let listed: Vec<_> = stack.requests_for("ListUserPoolClients");
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].status, listed[0].fault.as_deref()), (400, Some("throttle")));
    assert_eq!(stack.requests_for("CreateUserPoolClient")[0].fault, None);
}

#[tokio::test]
async fn error_fault_is_an_internal_error_service_error() {
    let stack = LocalCognito::start();
    let pool_id = stack.create_user_pool("failing-pool").await;
    stack.set_faults(json!({ "error_rate": 1.0 }));

    let error = stack
        .sdk_without_retries()
        .list_user_pool_clients()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap_err();
    let service_error = error
        .as_service_error()
        .unwrap_or_else(|| panic!("{}", DisplayErrorContext(&error)));
    assert!(
        service_error.is_internal_error_exception(),
        "{}",
        DisplayErrorContext(&error)
    );
    let last = stack.requests().pop().expect("recorded");
    assert_eq!((last.status, last.fault.as_deref()), (500, Some("error")));
}

/// Creates a client named `name` in a new pool while every create meets `fault` (a fault setting at rate 1.0):
/// the error the caller got, and the names of the pool's clients listed afterwards with the faults off.
async fn create_through(
    stack: &LocalCognito,
    fault: &str,
    name: &str,
) -> (SdkError<CreateUserPoolClientError>, Vec<String>) {
    let pool_id = stack.create_user_pool(&format!("{name}-pool")).await;
    stack.set_faults(json!({ fault: 1.0, "operations": ["CreateUserPoolClient"] }));
    let error = stack
        .sdk_without_retries()
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name(name)
        .send()
        .await
        .unwrap_err();
    stack.set_faults(json!({}));
    let listed = stack
        .sdk()
        .list_user_pool_clients()
        .user_pool_id(&pool_id)
        .send()
        .await
        .expect("list clients");
    let names = listed
        .user_pool_clients()
        .iter()
        .filter_map(|client| client.client_name().map(str::to_owned))
        .collect();
    (error, names)
}

#[tokio::test]
async fn dropped_response_fails_the_call_but_the_client_exists() {
    let stack = LocalCognito::start();
    let (error, names) = create_through(&stack, "drop_rate", "lost").await;
    assert!(
        matches!(error, SdkError::DispatchFailure(_) | SdkError::ResponseError(_)),
        "expected a dispatch or response error, got {}",
        DisplayErrorContext(&error)
    );
    assert_eq!(names, ["lost"], "moto applied the request whose response was lost");
    let creates = stack.requests_for("CreateUserPoolClient");
    assert_eq!(
        (creates.len(), creates[0].status, creates[0].fault.as_deref()),
        (1, 200, Some("drop"))
    );
}

#[tokio::test]
async fn error_after_effect_answers_500_but_the_client_exists() {
    let stack = LocalCognito::start();
    let (error, names) = create_through(&stack, "error_after_effect_rate", "applied").await;
    let service_error = error.as_service_error().expect("a service error");
    assert!(
        service_error.is_internal_error_exception(),
        "{}",
        DisplayErrorContext(&error)
    );
    assert_eq!(names, ["applied"], "moto applied the request answered with a 500");
    let creates = stack.requests_for("CreateUserPoolClient");
    assert_eq!(creates.len(), 1);
    assert_eq!(
        (creates[0].status, creates[0].moto_status, creates[0].fault.as_deref()),
        (500, Some(200), Some("error_after_effect"))
    );
    assert_eq!(creates[0].response["__type"], "InternalErrorException");
}

#[tokio::test]
async fn rate_limit_throttles_a_burst_beyond_the_quota() {
    let stack = LocalCognito::start();
    let pool_id = stack.create_user_pool("busy-pool").await;
    let other_pool_id = stack.create_user_pool("quiet-pool").await;
    stack.set_faults(json!({ "rate_limit_per_second": 5 }));
    let sdk = stack.sdk_without_retries();

    // Sent together, so the burst arrives well within one second however loaded the machine is.
    let burst = (0..6).map(|_| sdk.list_user_pool_clients().user_pool_id(&pool_id).send());
    let outcomes = futures::future::join_all(burst).await;
    let succeeded = outcomes.iter().filter(|outcome| outcome.is_ok()).count();
    let throttled = outcomes
        .iter()
        .filter(|outcome| {
            outcome
                .as_ref()
                .err()
                .and_then(|error| error.as_service_error())
                .is_some_and(|error| error.is_too_many_requests_exception())
        })
        .count();
    assert!(
        throttled >= 1,
        "6 rapid calls against a 5 per second quota: none throttled: {:?}",
        stack.requests()
    );
    assert_eq!(succeeded + throttled, 6, "every call either passed or was throttled");
    assert!(succeeded >= 5, "the quota admits a burst of 5: {succeeded} passed");
    // The bucket is per (operation, pool): another pool still has its quota.
    sdk.list_user_pool_clients()
        .user_pool_id(&other_pool_id)
        .send()
        .await
        .expect("other pool within quota");

    let limited = stack
        .requests()
        .iter()
        .filter(|request| request.fault.as_deref() == Some("rate_limit"))
        .count();
    assert_eq!(limited, throttled);
}

#[tokio::test]
async fn latency_delays_forwarded_requests() {
    let stack = LocalCognito::start();
    let pool_id = stack.create_user_pool("slow-pool").await;
    stack.set_faults(json!({ "latency_ms": 300 }));

    let started = Instant::now();
    stack
        .sdk_without_retries()
        .list_user_pool_clients()
        .user_pool_id(&pool_id)
        .send()
        .await
        .expect("list clients");
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "answered after {:?}",
        started.elapsed()
    );
    let last = stack.requests().pop().expect("recorded");
    assert_eq!((last.status, last.fault.as_deref()), (200, Some("latency")));
}

#[tokio::test]
async fn seeded_faults_repeat_exactly() {
    let stack = LocalCognito::start();
    let pool_id = stack.create_user_pool("seeded-pool").await;
    let sdk = stack.sdk_without_retries();

    let mut patterns = Vec::new();
    for _ in 0..2 {
        stack.set_faults(json!({ "seed": 7, "throttle_rate": 0.5 }));
        let mut pattern = Vec::new();
        for _ in 0..16 {
            pattern.push(sdk.list_user_pool_clients().user_pool_id(&pool_id).send().await.is_ok());
        }
        patterns.push(pattern);
    }
    assert_eq!(patterns[0], patterns[1]);
    assert!(
        patterns[0].contains(&true) && patterns[0].contains(&false),
        "rate 0.5 mixes outcomes: {:?}",
        patterns[0]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_on_kept_alive_connections() {
    let stack = LocalCognito::start();
    let pool_id = stack.create_user_pool("concurrent-pool").await;
    let sdk = stack.sdk_without_retries();
    let client_id = create_app_client(&sdk, &pool_id, "shared").await.client_id.expect("id");

    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..24 {
        let (sdk, pool_id, client_id) = (sdk.clone(), pool_id.clone(), client_id.clone());
        tasks.spawn(async move {
            sdk.describe_user_pool_client()
                .user_pool_id(pool_id)
                .client_id(client_id)
                .send()
                .await
        });
    }
    while let Some(joined) = tasks.join_next().await {
        let described = joined
            .expect("task")
            .unwrap_or_else(|error| panic!("{}", DisplayErrorContext(&error)));
        assert_eq!(
            described.user_pool_client().and_then(|client| client.client_name()),
            Some("shared")
        );
    }
    assert_eq!(stack.requests_for("DescribeUserPoolClient").len(), 24);
}

#[test]
fn invalid_fault_configuration_is_refused() {
    let stack = LocalCognito::start();
    for bad in [
        json!({ "faults": { "throttle_ratio": 1 } }),
        json!({ "faults": { "drop_rate": 2 } }),
        json!({ "cognito_mode": "yes" }),
    ] {
        match control_http::call(stack.endpoint(), "POST", "/_proxy/config", Some(&bad)) {
            Err(ControlError::Status { status: 400, .. }) => {}
            other => panic!("{bad} was not refused with 400: {other:?}"),
        }
    }
}

#[test]
fn dropping_the_stack_stops_proxy_and_moto() {
    let stack = LocalCognito::start();
    let pids = [stack.proxy_pid(), stack.moto_pid()];
    assert!(
        pids.iter()
            .all(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists())
    );
    drop(stack);
    // The proxy is reaped by Drop, moto by the proxy before it exits; allow moto a moment in case it was killed.
    let deadline = Instant::now() + Duration::from_secs(5);
    while pids
        .iter()
        .any(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists())
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    for pid in pids {
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "process {pid} still exists"
        );
    }
}

//! End to end with the real `terraform` and the local Cognito (moto behind the recording, Cognito-mode proxy): the
//! `cognito_user_pool_client` resource through create, every argument, in-place updates, resets on removal, drift,
//! deletion outside Terraform, replacement, both kinds of import, destroy, secret hygiene in trace logs, many
//! clients in parallel, and the shape of every UpdateUserPoolClient request.
//!
//! Each test owns its stack and working directory and reuses them across its steps, so the suite stays fast on two
//! cores. What is checked comes from three independent places: Cognito itself (DescribeUserPoolClient through the
//! SDK), the request log of the proxy, and Terraform (its state file, plan output and exit codes). In acceptance
//! mode (`COGNITO_ACC=1`) the same scenarios run against AWS, where there is no request log: those checks are
//! skipped, each with a message saying so.

use std::collections::BTreeSet;

use crate::support::{LocalCognito, PROVIDER_PREAMBLE, RecordedRequest, Terraform, TestCognito, TfOutput};
use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::operation::update_user_pool_client::builders::UpdateUserPoolClientFluentBuilder;
use aws_sdk_cognitoidentityprovider::types::{ExplicitAuthFlowsType, UserPoolClientType};
use aws_smithy_types::error::display::DisplayErrorContext;
use serde_json::Value;

/// The address of the single client most tests manage.
const APP: &str = "cognito_user_pool_client.app";

/// Cognito's default explicit auth flows, which a client created without any reports.
const DEFAULT_AUTH_FLOWS: [&str; 3] = ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"];

/// The members every UpdateUserPoolClient must carry: Cognito resets whatever an update leaves out, so a partial
/// request would silently undo settings (hashicorp/terraform-provider-aws PR #5478).
const ALWAYS_UPDATED_MEMBERS: [&str; 19] = [
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

/// Members that have no value unless configured; an update carries them exactly when the configuration has them.
const CONFIGURED_ONLY_MEMBERS: [&str; 2] = ["DefaultRedirectURI", "AnalyticsConfiguration"];

// ---------------------------------------------------------------------------------------------------------------
// Configurations
// ---------------------------------------------------------------------------------------------------------------

/// A configuration with the pool ID as a variable and one client `app` with `arguments` (HCL lines) in its body.
fn app_config(pool_id: &str, arguments: &str) -> String {
    format!(
        "{PROVIDER_PREAMBLE}\nvariable \"user_pool_id\" {{\n  type    = string\n  default = \"{pool_id}\"\n}}\n\n\
         resource \"cognito_user_pool_client\" \"app\" {{\n  user_pool_id = var.user_pool_id\n{arguments}}}\n"
    )
}

/// The configuration of scenario "every argument": each attribute and block set, most to non-default values.
const EVERY_ARGUMENT: &str = r#"  name                                          = "every-argument"
  generate_secret                               = true
  access_token_validity                         = 30
  id_token_validity                             = 45
  refresh_token_validity                        = 48
  auth_session_validity                         = 10
  allowed_oauth_flows                           = ["code", "implicit"]
  allowed_oauth_flows_user_pool_client          = true
  allowed_oauth_scopes                          = ["email", "openid", "profile"]
  callback_urls                                 = ["https://app.example.com/callback", "https://app.example.com/other"]
  logout_urls                                   = ["https://app.example.com/logout"]
  default_redirect_uri                          = "https://app.example.com/callback"
  enable_token_revocation                       = true
  enable_propagate_additional_user_context_data = true
  explicit_auth_flows                           = ["ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"]
  prevent_user_existence_errors                 = "ENABLED"
  read_attributes                               = ["email", "name", "phone_number"]
  write_attributes                              = ["name"]
  supported_identity_providers                  = ["COGNITO"]

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "hours"
  }

  analytics_configuration {
    application_id   = "0123456789abcdef0123456789abcdef"
    role_arn         = "arn:aws:iam::123456789012:role/pinpoint-events"
    external_id      = "external-id-for-pinpoint"
    user_data_shared = true
  }

  refresh_token_rotation {
    feature                    = "ENABLED"
    retry_grace_period_seconds = 30
  }
"#;

// ---------------------------------------------------------------------------------------------------------------
// Terraform helpers
// ---------------------------------------------------------------------------------------------------------------

/// `plan -detailed-exitcode` must find nothing to do; the full output is in the failure message otherwise.
fn assert_clean_plan(tf: &Terraform) {
    let output = tf.run(&["plan", "-detailed-exitcode"]);
    assert_eq!(output.code(), 0, "expected a plan without changes: {output}");
    assert!(output.stdout.contains("No changes."), "{output}");
}

/// `plan -detailed-exitcode` that must report changes (exit code 2); returns the output for its text.
fn plan_with_changes(tf: &Terraform) -> TfOutput {
    let output = tf.run(&["plan", "-detailed-exitcode"]);
    assert_eq!(output.code(), 2, "expected a plan with changes: {output}");
    output
}

/// The attributes of every instance of `cognito_user_pool_client` in a state, in state order.
fn client_instances(state: &Value) -> Vec<&Value> {
    state["resources"]
        .as_array()
        .unwrap_or_else(|| panic!("state without resources: {state:#}"))
        .iter()
        .filter(|resource| resource["type"] == "cognito_user_pool_client" && resource["mode"] == "managed")
        .flat_map(|resource| resource["instances"].as_array().into_iter().flatten())
        .map(|instance| &instance["attributes"])
        .collect()
}

/// The attributes of the one client in a state.
fn single_client(state: &Value) -> &Value {
    let instances = client_instances(state);
    assert_eq!(
        instances.len(),
        1,
        "expected exactly one client in the state: {state:#}"
    );
    instances[0]
}

fn text<'a>(attributes: &'a Value, name: &str) -> &'a str {
    attributes[name]
        .as_str()
        .unwrap_or_else(|| panic!("{name} is not a string: {attributes:#}"))
}

fn number(attributes: &Value, name: &str) -> i64 {
    attributes[name]
        .as_i64()
        .unwrap_or_else(|| panic!("{name} is not a whole number: {attributes:#}"))
}

fn flag(attributes: &Value, name: &str) -> bool {
    attributes[name]
        .as_bool()
        .unwrap_or_else(|| panic!("{name} is not a bool: {attributes:#}"))
}

fn string_set(attributes: &Value, name: &str) -> BTreeSet<String> {
    attributes[name]
        .as_array()
        .unwrap_or_else(|| panic!("{name} is not a set: {attributes:#}"))
        .iter()
        .map(|item| {
            item.as_str()
                .unwrap_or_else(|| panic!("{name} holds {item}"))
                .to_owned()
        })
        .collect()
}

/// The single element of a `list_max_one` block in the state; `None` when the block is absent.
fn state_block<'a>(attributes: &'a Value, name: &str) -> Option<&'a Value> {
    let items = attributes[name]
        .as_array()
        .unwrap_or_else(|| panic!("{name} is not a block list: {attributes:#}"));
    assert!(items.len() <= 1, "{name} has more than one block: {attributes:#}");
    items.first()
}

fn set_of(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|item| item.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Cognito helpers
// ---------------------------------------------------------------------------------------------------------------

/// DescribeUserPoolClient; `None` when Cognito says the client does not exist.
async fn try_describe(sdk: &Client, pool_id: &str, client_id: &str) -> Option<UserPoolClientType> {
    match sdk
        .describe_user_pool_client()
        .user_pool_id(pool_id)
        .client_id(client_id)
        .send()
        .await
    {
        Ok(output) => Some(
            output
                .user_pool_client
                .expect("DescribeUserPoolClient returns the client"),
        ),
        Err(error) => {
            let service_error = error.as_service_error();
            if service_error.is_some_and(|service_error| service_error.is_resource_not_found_exception()) {
                None
            } else {
                panic!("DescribeUserPoolClient {client_id}: {}", DisplayErrorContext(&error))
            }
        }
    }
}

async fn describe(sdk: &Client, pool_id: &str, client_id: &str) -> UserPoolClientType {
    try_describe(sdk, pool_id, client_id)
        .await
        .unwrap_or_else(|| panic!("app client {client_id} of {pool_id} does not exist"))
}

/// The IDs of every client of a pool, across pages.
async fn list_client_ids(sdk: &Client, pool_id: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut next_token: Option<String> = None;
    loop {
        let page = sdk
            .list_user_pool_clients()
            .user_pool_id(pool_id)
            .max_results(60)
            .set_next_token(next_token.take())
            .send()
            .await
            .unwrap_or_else(|error| panic!("ListUserPoolClients: {}", DisplayErrorContext(&error)));
        ids.extend(
            page.user_pool_clients()
                .iter()
                .filter_map(|client| client.client_id().map(str::to_owned)),
        );
        match page.next_token() {
            Some(token) if !token.is_empty() => next_token = Some(token.to_owned()),
            _ => return ids,
        }
    }
}

fn strings(items: &[String]) -> BTreeSet<String> {
    items.iter().cloned().collect()
}

fn auth_flows(items: &[ExplicitAuthFlowsType]) -> BTreeSet<String> {
    items.iter().map(|flow| flow.as_str().to_owned()).collect()
}

/// An UpdateUserPoolClient carrying every member of `current`: in Cognito (and the proxy's Cognito mode) an update
/// resets what it leaves out, so changing one thing from outside Terraform means re-sending everything else.
fn update_keeping_everything(sdk: &Client, current: &UserPoolClientType) -> UpdateUserPoolClientFluentBuilder {
    sdk.update_user_pool_client()
        .set_user_pool_id(current.user_pool_id().map(str::to_owned))
        .set_client_id(current.client_id().map(str::to_owned))
        .set_client_name(current.client_name().map(str::to_owned))
        .refresh_token_validity(current.refresh_token_validity())
        .set_access_token_validity(current.access_token_validity())
        .set_id_token_validity(current.id_token_validity())
        .set_token_validity_units(current.token_validity_units().cloned())
        .set_read_attributes(Some(current.read_attributes().to_vec()))
        .set_write_attributes(Some(current.write_attributes().to_vec()))
        .set_explicit_auth_flows(Some(current.explicit_auth_flows().to_vec()))
        .set_supported_identity_providers(Some(current.supported_identity_providers().to_vec()))
        .set_callback_urls(Some(current.callback_urls().to_vec()))
        .set_logout_urls(Some(current.logout_urls().to_vec()))
        .set_default_redirect_uri(current.default_redirect_uri().map(str::to_owned))
        .set_allowed_o_auth_flows(Some(current.allowed_o_auth_flows().to_vec()))
        .set_allowed_o_auth_scopes(Some(current.allowed_o_auth_scopes().to_vec()))
        .set_allowed_o_auth_flows_user_pool_client(current.allowed_o_auth_flows_user_pool_client())
        .set_analytics_configuration(current.analytics_configuration().cloned())
        .set_prevent_user_existence_errors(current.prevent_user_existence_errors().cloned())
        .set_enable_token_revocation(current.enable_token_revocation())
        .set_enable_propagate_additional_user_context_data(current.enable_propagate_additional_user_context_data())
        .set_auth_session_validity(current.auth_session_validity())
        .set_refresh_token_rotation(current.refresh_token_rotation().cloned())
}

/// Checks that one recorded UpdateUserPoolClient is a full update: both IDs, every member of
/// [`ALWAYS_UPDATED_MEMBERS`] with a value, and the members of [`CONFIGURED_ONLY_MEMBERS`] exactly when
/// `configured_only` names them (absent or null otherwise).
fn assert_full_update(request: &RecordedRequest, configured_only: &[&str]) {
    let body = &request.body;
    let mut problems = Vec::new();
    for member in ["UserPoolId", "ClientId"].into_iter().chain(ALWAYS_UPDATED_MEMBERS) {
        if body.get(member).is_none_or(Value::is_null) {
            problems.push(format!("{member} is missing"));
        }
    }
    for member in CONFIGURED_ONLY_MEMBERS {
        let present = body.get(member).is_some_and(|value| !value.is_null());
        match (configured_only.contains(&member), present) {
            (true, false) => problems.push(format!("{member} is configured but missing")),
            (false, true) => problems.push(format!("{member} is not configured but sent")),
            _ => {}
        }
    }
    assert!(
        problems.is_empty(),
        "UpdateUserPoolClient is not a full update ({}):\n{body:#}",
        problems.join("; ")
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------------------------

/// 1. Only `user_pool_id` and `name`: the client is created, and the state shows Cognito's defaults as values.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn minimal_client_is_created_with_cognito_defaults() {
    let stack = TestCognito::start();
    let sdk = stack.sdk();
    let pool_id = stack.create_user_pool("minimal").await;
    let tf = Terraform::new(&stack);
    tf.write_config(&app_config(&pool_id, "  name = \"minimal\"\n"));

    let output = tf.apply();
    assert!(output.stdout.contains("1 added, 0 changed, 0 destroyed"), "{output}");
    assert_clean_plan(&tf);

    let state = tf.state();
    let client = single_client(&state);
    let client_id = text(client, "id");
    assert_eq!(list_client_ids(&sdk, &pool_id).await, set_of(&[client_id]));
    assert_eq!(text(client, "user_pool_id"), pool_id);
    assert_eq!(text(client, "name"), "minimal");
    assert!(!flag(client, "generate_secret"));
    assert!(client["client_secret"].is_null(), "{client:#}");
    assert_eq!(number(client, "access_token_validity"), 1);
    assert_eq!(number(client, "id_token_validity"), 1);
    assert_eq!(number(client, "refresh_token_validity"), 30);
    assert_eq!(number(client, "auth_session_validity"), 3);
    assert_eq!(text(client, "prevent_user_existence_errors"), "LEGACY");
    assert!(flag(client, "enable_token_revocation"));
    assert!(!flag(client, "enable_propagate_additional_user_context_data"));
    assert!(!flag(client, "allowed_oauth_flows_user_pool_client"));
    assert_eq!(string_set(client, "explicit_auth_flows"), set_of(&DEFAULT_AUTH_FLOWS));
    for empty in [
        "allowed_oauth_flows",
        "allowed_oauth_scopes",
        "callback_urls",
        "logout_urls",
        "read_attributes",
        "write_attributes",
        "supported_identity_providers",
    ] {
        assert_eq!(string_set(client, empty), BTreeSet::new(), "{empty}");
    }
    assert!(client["default_redirect_uri"].is_null(), "{client:#}");
    for absent_block in [
        "token_validity_units",
        "analytics_configuration",
        "refresh_token_rotation",
    ] {
        assert_eq!(state_block(client, absent_block), None, "{absent_block}");
    }
    // Cognito reports a creation date (the proxy's Cognito mode sets it); the state carries it as RFC 3339.
    assert!(text(client, "creation_date").contains('T'), "{client:#}");

    let remote = describe(&sdk, &pool_id, client_id).await;
    assert_eq!(remote.client_name(), Some("minimal"));
    assert_eq!(remote.client_secret(), None);
    if let Some(local) = stack.local("one CreateUserPoolClient and no update in the request log") {
        let creates = local.requests_for("CreateUserPoolClient");
        assert_eq!(creates.len(), 1, "{creates:#?}");
        assert_eq!(
            local.requests_for("UpdateUserPoolClient"),
            Vec::new(),
            "a create needs no update"
        );
    }
}

/// What Cognito chooses is read back, never invented: an access or ID token validity left out with a unit of days
/// (one hour is no whole number of days), and the role of `analytics_configuration` given only `application_arn`
/// (HashiCorp's TestAccCognitoIDPUserPoolClient_analyticsWithARN: Cognito's service-linked role). Both plan as
/// known after apply, are left out of the request, and the state holds what Cognito reports; the re-plan is clean.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn choices_left_to_cognito_are_read_back_not_invented() {
    let stack = TestCognito::start();
    let sdk = stack.sdk();
    let pool_id = stack.create_user_pool("cognitos-choice").await;
    let tf = Terraform::new(&stack);
    let application_arn = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef0123456789abcdef";
    tf.write_config(&app_config(
        &pool_id,
        &format!(
            r#"  name = "cognitos-choice"

  token_validity_units {{
    access_token = "days"
    id_token     = "days"
  }}

  analytics_configuration {{
    application_arn = "{application_arn}"
  }}
"#
        ),
    ));

    let plan = tf.run(&["plan"]);
    assert!(plan.success(), "{plan}");
    for attribute in ["access_token_validity", "id_token_validity", "role_arn"] {
        assert!(
            plan.stdout
                .lines()
                .any(|line| line.contains(attribute) && line.contains("(known after apply)")),
            "{attribute} must be known after apply: {plan}"
        );
    }
    let output = tf.apply();
    assert!(output.stdout.contains("1 added, 0 changed, 0 destroyed"), "{output}");
    assert_clean_plan(&tf);

    let state = tf.state();
    let client = single_client(&state);
    let remote = describe(&sdk, &pool_id, text(client, "id")).await;
    let recorded = |reported: Option<i32>| reported.map_or(Value::Null, Value::from);
    assert_eq!(
        client["access_token_validity"],
        recorded(remote.access_token_validity())
    );
    assert_eq!(client["id_token_validity"], recorded(remote.id_token_validity()));
    assert_eq!(number(client, "refresh_token_validity"), 30);
    let analytics = remote.analytics_configuration().expect("analytics configured");
    let role = analytics.role_arn().expect("Cognito reports the role it uses");
    assert!(
        role.contains(":role/aws-service-role/cognito-idp.amazonaws.com/"),
        "{role}"
    );
    let state_analytics = state_block(client, "analytics_configuration").expect("analytics in state");
    assert_eq!(text(state_analytics, "role_arn"), role);
    assert_eq!(text(state_analytics, "application_arn"), application_arn);

    if let Some(local) = stack.local("the create request left both validities and the role to Cognito") {
        let creates = local.requests_for("CreateUserPoolClient");
        assert_eq!(creates.len(), 1, "{creates:#?}");
        let body = &creates[0].body;
        for member in ["AccessTokenValidity", "IdTokenValidity"] {
            assert!(body.get(member).is_none(), "{member} was sent: {body:#}");
        }
        assert_eq!(body["AnalyticsConfiguration"]["ApplicationArn"], application_arn);
        assert!(body["AnalyticsConfiguration"].get("RoleArn").is_none(), "{body:#}");
        // The local Cognito, like Cognito in HashiCorp's acceptance tests, reports no validity that was never set.
        assert!(client["access_token_validity"].is_null(), "{client:#}");
    }

    // A validity given in days is sent and kept; taking it out again leaves it to Cognito once more.
    tf.write_config(&app_config(
        &pool_id,
        &format!(
            r#"  name                  = "cognitos-choice"
  access_token_validity = 1

  token_validity_units {{
    access_token = "days"
    id_token     = "days"
  }}

  analytics_configuration {{
    application_arn = "{application_arn}"
  }}
"#
        ),
    ));
    tf.apply();
    assert_clean_plan(&tf);
    let remote = describe(&sdk, &pool_id, text(single_client(&tf.state()), "id")).await;
    assert_eq!(remote.access_token_validity(), Some(1));
}

/// 2. Every attribute and block: each member reaches Cognito as configured, and the state re-plans clean.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_argument_reaches_cognito() {
    let stack = TestCognito::start();
    let sdk = stack.sdk();
    let pool_id = stack.create_user_pool("every-argument").await;
    let tf = Terraform::new(&stack);
    tf.write_config(&app_config(&pool_id, EVERY_ARGUMENT));
    tf.apply();

    let state = tf.state();
    let client = single_client(&state);
    let remote = describe(&sdk, &pool_id, text(client, "id")).await;

    assert_eq!(remote.client_name(), Some("every-argument"));
    let secret = remote
        .client_secret()
        .expect("generate_secret = true gives the client a secret");
    assert_eq!(text(client, "client_secret"), secret);
    assert_eq!(remote.access_token_validity(), Some(30));
    assert_eq!(remote.id_token_validity(), Some(45));
    assert_eq!(remote.refresh_token_validity(), 48);
    assert_eq!(remote.auth_session_validity(), Some(10));
    let units = remote.token_validity_units().expect("token validity units");
    assert_eq!(units.access_token().map(|unit| unit.as_str()), Some("minutes"));
    assert_eq!(units.id_token().map(|unit| unit.as_str()), Some("minutes"));
    assert_eq!(units.refresh_token().map(|unit| unit.as_str()), Some("hours"));
    let oauth_flows: BTreeSet<String> = remote
        .allowed_o_auth_flows()
        .iter()
        .map(|flow| flow.as_str().to_owned())
        .collect();
    assert_eq!(oauth_flows, set_of(&["code", "implicit"]));
    assert_eq!(remote.allowed_o_auth_flows_user_pool_client(), Some(true));
    assert_eq!(
        strings(remote.allowed_o_auth_scopes()),
        set_of(&["email", "openid", "profile"])
    );
    assert_eq!(
        strings(remote.callback_urls()),
        set_of(&["https://app.example.com/callback", "https://app.example.com/other"])
    );
    assert_eq!(
        strings(remote.logout_urls()),
        set_of(&["https://app.example.com/logout"])
    );
    assert_eq!(remote.default_redirect_uri(), Some("https://app.example.com/callback"));
    assert_eq!(remote.enable_token_revocation(), Some(true));
    assert_eq!(remote.enable_propagate_additional_user_context_data(), Some(true));
    assert_eq!(
        auth_flows(remote.explicit_auth_flows()),
        set_of(&["ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"])
    );
    assert_eq!(
        remote.prevent_user_existence_errors().map(|value| value.as_str()),
        Some("ENABLED")
    );
    assert_eq!(
        strings(remote.read_attributes()),
        set_of(&["email", "name", "phone_number"])
    );
    assert_eq!(strings(remote.write_attributes()), set_of(&["name"]));
    assert_eq!(strings(remote.supported_identity_providers()), set_of(&["COGNITO"]));
    let analytics = remote.analytics_configuration().expect("analytics configuration");
    assert_eq!(analytics.application_id(), Some("0123456789abcdef0123456789abcdef"));
    assert_eq!(analytics.application_arn(), None);
    assert_eq!(
        analytics.role_arn(),
        Some("arn:aws:iam::123456789012:role/pinpoint-events")
    );
    assert_eq!(analytics.external_id(), Some("external-id-for-pinpoint"));
    assert!(analytics.user_data_shared());
    let rotation = remote.refresh_token_rotation().expect("refresh token rotation");
    assert_eq!(rotation.feature().as_str(), "ENABLED");
    assert_eq!(rotation.retry_grace_period_seconds(), Some(30));

    // The state says the same, blocks included.
    assert!(flag(client, "generate_secret"));
    let state_units = state_block(client, "token_validity_units").expect("units block in state");
    assert_eq!(state_units["access_token"], "minutes");
    assert_eq!(state_units["refresh_token"], "hours");
    let state_analytics = state_block(client, "analytics_configuration").expect("analytics block in state");
    assert_eq!(state_analytics["external_id"], "external-id-for-pinpoint");
    assert_eq!(state_analytics["user_data_shared"], true);
    let state_rotation = state_block(client, "refresh_token_rotation").expect("rotation block in state");
    assert_eq!(state_rotation["feature"], "ENABLED");
    assert_eq!(state_rotation["retry_grace_period_seconds"].as_i64(), Some(30));

    assert_clean_plan(&tf);
}

/// 3. Changing the name and the callback URLs updates the same client in place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_place_update_keeps_the_client_id() {
    let stack = TestCognito::start();
    let sdk = stack.sdk();
    let pool_id = stack.create_user_pool("in-place").await;
    let tf = Terraform::new(&stack);
    tf.write_config(&app_config(
        &pool_id,
        "  name          = \"before\"\n  callback_urls = [\"https://before.example.com/cb\"]\n  allowed_oauth_flows_user_pool_client = true\n",
    ));
    tf.apply();
    let original_id = text(single_client(&tf.state()), "id").to_owned();

    tf.write_config(&app_config(
        &pool_id,
        "  name          = \"after\"\n  callback_urls = [\"https://after.example.com/cb\", \"https://after.example.com/cb2\"]\n  allowed_oauth_flows_user_pool_client = true\n",
    ));
    let plan = plan_with_changes(&tf);
    assert!(
        plan.stdout.contains(&format!("# {APP} will be updated in-place")),
        "{plan}"
    );
    assert!(plan.stdout.contains("~ name"), "{plan}");
    assert!(plan.stdout.contains("\"before\" -> \"after\""), "{plan}");
    assert!(
        plan.stdout.contains("Plan: 0 to add, 1 to change, 0 to destroy."),
        "{plan}"
    );

    let output = tf.apply();
    assert!(output.stdout.contains("0 added, 1 changed, 0 destroyed"), "{output}");
    let state = tf.state();
    let client = single_client(&state);
    assert_eq!(text(client, "id"), original_id, "an in-place update keeps the client");
    assert_eq!(list_client_ids(&sdk, &pool_id).await, set_of(&[&original_id]));
    let remote = describe(&sdk, &pool_id, &original_id).await;
    assert_eq!(remote.client_name(), Some("after"));
    assert_eq!(
        strings(remote.callback_urls()),
        set_of(&["https://after.example.com/cb", "https://after.example.com/cb2"])
    );
    assert_clean_plan(&tf);

    if let Some(local) = stack.local("the one full UpdateUserPoolClient in the request log") {
        let updates = local.requests_for("UpdateUserPoolClient");
        assert_eq!(updates.len(), 1, "one change, one update: {updates:#?}");
        assert_full_update(&updates[0], &[]);
    }
}

/// 4. Removing arguments from the configuration resets them to Cognito's defaults remotely.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removing_arguments_resets_them_in_cognito() {
    let stack = TestCognito::start();
    let sdk = stack.sdk();
    let pool_id = stack.create_user_pool("removal").await;
    let tf = Terraform::new(&stack);
    tf.write_config(&app_config(
        &pool_id,
        r#"  name                          = "removal"
  callback_urls                 = ["https://removal.example.com/cb"]
  logout_urls                   = ["https://removal.example.com/logout"]
  allowed_oauth_flows_user_pool_client = true
  access_token_validity         = 30
  explicit_auth_flows           = ["ALLOW_USER_SRP_AUTH"]
  prevent_user_existence_errors = "ENABLED"

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "hours"
  }

  refresh_token_rotation {
    feature                    = "ENABLED"
    retry_grace_period_seconds = 10
  }

  analytics_configuration {
    application_id = "0123456789abcdef0123456789abcdef"
    role_arn       = "arn:aws:iam::123456789012:role/pinpoint-events"
    external_id    = "removal-external-id"
  }
"#,
    ));
    tf.apply();
    let client_id = text(single_client(&tf.state()), "id").to_owned();
    let configured = describe(&sdk, &pool_id, &client_id).await;
    assert_eq!(configured.access_token_validity(), Some(30));
    assert!(configured.analytics_configuration().is_some());

    tf.write_config(&app_config(&pool_id, "  name = \"removal\"\n"));
    let plan = plan_with_changes(&tf);
    assert!(
        plan.stdout.contains("Plan: 0 to add, 1 to change, 0 to destroy."),
        "{plan}"
    );
    tf.apply();

    let remote = describe(&sdk, &pool_id, &client_id).await;
    assert_eq!(remote.callback_urls(), &[] as &[String]);
    assert_eq!(remote.logout_urls(), &[] as &[String]);
    let units = remote.token_validity_units().expect("Cognito always reports units");
    assert_eq!(units.access_token().map(|unit| unit.as_str()), Some("hours"));
    assert_eq!(units.id_token().map(|unit| unit.as_str()), Some("hours"));
    assert_eq!(units.refresh_token().map(|unit| unit.as_str()), Some("days"));
    assert_eq!(remote.access_token_validity(), Some(1));
    assert_eq!(remote.id_token_validity(), Some(1));
    assert_eq!(remote.refresh_token_validity(), 30);
    let rotation = remote
        .refresh_token_rotation()
        .expect("Cognito always reports rotation");
    assert_eq!(rotation.feature().as_str(), "DISABLED");
    assert_eq!(rotation.retry_grace_period_seconds().unwrap_or(0), 0);
    assert!(remote.analytics_configuration().is_none(), "{remote:#?}");
    assert_eq!(
        remote.prevent_user_existence_errors().map(|value| value.as_str()),
        Some("LEGACY")
    );
    assert_eq!(auth_flows(remote.explicit_auth_flows()), set_of(&DEFAULT_AUTH_FLOWS));

    let state = tf.state();
    let client = single_client(&state);
    assert_eq!(text(client, "id"), client_id);
    for absent_block in [
        "token_validity_units",
        "analytics_configuration",
        "refresh_token_rotation",
    ] {
        assert_eq!(state_block(client, absent_block), None, "{absent_block}");
    }
    assert_clean_plan(&tf);

    if let Some(local) = stack.local("the one full UpdateUserPoolClient in the request log") {
        let updates = local.requests_for("UpdateUserPoolClient");
        assert_eq!(updates.len(), 1, "{updates:#?}");
        assert_full_update(&updates[0], &[]);
    }
}

/// 5. A change made outside Terraform shows in the plan and is undone by apply.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drift_is_detected_and_corrected() {
    let stack = TestCognito::start();
    let sdk = stack.sdk();
    let pool_id = stack.create_user_pool("drift").await;
    let tf = Terraform::new(&stack);
    tf.write_config(&app_config(
        &pool_id,
        "  name          = \"configured\"\n  callback_urls = [\"https://drift.example.com/cb\"]\n  allowed_oauth_flows_user_pool_client = true\n",
    ));
    tf.apply();
    let client_id = text(single_client(&tf.state()), "id").to_owned();

    let current = describe(&sdk, &pool_id, &client_id).await;
    update_keeping_everything(&sdk, &current)
        .client_name("drifted")
        .access_token_validity(5)
        .send()
        .await
        .unwrap_or_else(|error| panic!("UpdateUserPoolClient: {}", DisplayErrorContext(&error)));
    let drifted = describe(&sdk, &pool_id, &client_id).await;
    assert_eq!(drifted.client_name(), Some("drifted"));
    assert_eq!(
        strings(drifted.callback_urls()),
        set_of(&["https://drift.example.com/cb"])
    );
    let local = stack.local("the full UpdateUserPoolClient that corrects the drift, in the request log");
    let updates_before_apply = local.map(|local| local.requests_for("UpdateUserPoolClient").len());

    let plan = plan_with_changes(&tf);
    assert!(
        plan.stdout.contains("\"drifted\" -> \"configured\""),
        "the name drift is shown: {plan}"
    );
    assert!(
        plan.stdout.contains("~ access_token_validity"),
        "the validity drift is shown: {plan}"
    );
    assert!(plan.stdout.contains("5 -> 1"), "{plan}");
    assert!(
        plan.stdout.contains("Plan: 0 to add, 1 to change, 0 to destroy."),
        "{plan}"
    );

    tf.apply();
    let corrected = describe(&sdk, &pool_id, &client_id).await;
    assert_eq!(corrected.client_name(), Some("configured"));
    assert_eq!(corrected.access_token_validity(), Some(1));
    assert_eq!(
        strings(corrected.callback_urls()),
        set_of(&["https://drift.example.com/cb"])
    );
    assert_eq!(text(single_client(&tf.state()), "id"), client_id);
    assert_clean_plan(&tf);

    if let (Some(local), Some(updates_before_apply)) = (local, updates_before_apply) {
        let updates = local.requests_for("UpdateUserPoolClient");
        assert_eq!(updates.len(), updates_before_apply + 1, "{updates:#?}");
        assert_full_update(updates.last().expect("the correcting update"), &[]);
    }
}

/// 6. A client deleted outside Terraform is dropped from state with a warning and created again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_deleted_outside_terraform_is_recreated() {
    let stack = TestCognito::start();
    let sdk = stack.sdk();
    let pool_id = stack.create_user_pool("deleted").await;
    let tf = Terraform::new(&stack);
    tf.write_config(&app_config(&pool_id, "  name = \"deleted\"\n"));
    tf.apply();
    let original_id = text(single_client(&tf.state()), "id").to_owned();

    sdk.delete_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&original_id)
        .send()
        .await
        .unwrap_or_else(|error| panic!("DeleteUserPoolClient: {}", DisplayErrorContext(&error)));

    // A normal plan reports the deletion through the provider's warning: Terraform 1.11 lists only drift that
    // changed an attribute in its "Objects have changed outside of Terraform" note, not a vanished object.
    let plan = plan_with_changes(&tf);
    assert!(plan.stdout.contains("Warning: App client no longer exists"), "{plan}");
    assert!(
        plan.stdout.contains(&original_id),
        "the warning names the client: {plan}"
    );
    assert!(plan.stdout.contains(&format!("# {APP} will be created")), "{plan}");
    assert!(
        plan.stdout.contains("Plan: 1 to add, 0 to change, 0 to destroy."),
        "{plan}"
    );

    // A refresh-only plan names the deletion itself.
    let refresh_only = tf.run(&["plan", "-refresh-only"]);
    assert!(refresh_only.success(), "{refresh_only}");
    assert!(
        refresh_only.stdout.contains(&format!("# {APP} has been deleted")),
        "{refresh_only}"
    );

    tf.apply();
    let new_id = text(single_client(&tf.state()), "id").to_owned();
    assert_ne!(new_id, original_id, "a new client was created");
    assert_eq!(list_client_ids(&sdk, &pool_id).await, set_of(&[&new_id]));
    assert_eq!(describe(&sdk, &pool_id, &new_id).await.client_name(), Some("deleted"));
    assert_clean_plan(&tf);
}

/// 7. `generate_secret` false → true replaces the client: new ID, a secret, the old client gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generate_secret_change_replaces_the_client() {
    let stack = TestCognito::start();
    let sdk = stack.sdk();
    let pool_id = stack.create_user_pool("replace").await;
    let tf = Terraform::new(&stack);
    tf.write_config(&app_config(
        &pool_id,
        "  name            = \"replace\"\n  generate_secret = false\n",
    ));
    tf.apply();
    let original_id = text(single_client(&tf.state()), "id").to_owned();

    tf.write_config(&app_config(
        &pool_id,
        "  name            = \"replace\"\n  generate_secret = true\n",
    ));
    let plan = plan_with_changes(&tf);
    assert!(plan.stdout.contains(&format!("# {APP} must be replaced")), "{plan}");
    assert!(
        plan.stdout
            .contains("-/+ resource \"cognito_user_pool_client\" \"app\""),
        "{plan}"
    );
    assert!(plan.stdout.contains("# forces replacement"), "{plan}");
    assert!(
        plan.stdout.contains("Plan: 1 to add, 0 to change, 1 to destroy."),
        "{plan}"
    );

    tf.apply();
    let state = tf.state();
    let client = single_client(&state);
    let new_id = text(client, "id");
    assert_ne!(new_id, original_id);
    assert!(flag(client, "generate_secret"));
    let remote = describe(&sdk, &pool_id, new_id).await;
    let secret = remote.client_secret().expect("the new client has a secret");
    assert!(!secret.is_empty());
    assert_eq!(text(client, "client_secret"), secret);
    assert!(
        try_describe(&sdk, &pool_id, &original_id).await.is_none(),
        "the old client is gone"
    );
    assert_eq!(list_client_ids(&sdk, &pool_id).await, set_of(&[new_id]));
    assert_clean_plan(&tf);
}

/// 8. `terraform import` with `POOL/CLIENT`: the state matches Cognito, a matching configuration plans nothing (no
/// replacement for `generate_secret`), and a malformed ID is rejected with the expected format.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_import_matches_cognito_and_rejects_malformed_ids() {
    let stack = TestCognito::start();
    let sdk = stack.sdk();
    let pool_id = stack.create_user_pool("cli-import").await;
    let created = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("imported")
        .generate_secret(true)
        .callback_urls("https://imported.example.com/cb")
        .allowed_o_auth_flows_user_pool_client(true)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .access_token_validity(2)
        .send()
        .await
        .unwrap_or_else(|error| panic!("CreateUserPoolClient: {}", DisplayErrorContext(&error)))
        .user_pool_client
        .expect("created client");
    let client_id = created.client_id().expect("client id").to_owned();
    let secret = created.client_secret().expect("client secret").to_owned();

    let tf = Terraform::new(&stack);
    tf.write_config(&app_config(
        &pool_id,
        r#"  name                  = "imported"
  generate_secret       = true
  callback_urls         = ["https://imported.example.com/cb"]
  allowed_oauth_flows_user_pool_client = true
  explicit_auth_flows   = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  access_token_validity = 2
"#,
    ));
    let import_id = format!("{pool_id}/{client_id}");
    let output = tf.run(&["import", APP, &import_id]);
    assert!(output.success(), "terraform import failed: {output}");
    assert!(output.stdout.contains("Import successful!"), "{output}");

    let state = tf.state();
    let client = single_client(&state);
    assert_eq!(text(client, "id"), client_id);
    assert_eq!(text(client, "user_pool_id"), pool_id);
    assert_eq!(text(client, "name"), "imported");
    assert!(
        flag(client, "generate_secret"),
        "derived from the secret Cognito reports"
    );
    assert_eq!(text(client, "client_secret"), secret);
    assert_eq!(number(client, "access_token_validity"), 2);
    assert_eq!(
        string_set(client, "callback_urls"),
        set_of(&["https://imported.example.com/cb"])
    );
    assert_eq!(
        string_set(client, "explicit_auth_flows"),
        set_of(&["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    );

    let plan = tf.run(&["plan", "-detailed-exitcode"]);
    assert!(!plan.stdout.contains("forces replacement"), "{plan}");
    assert_eq!(
        plan.code(),
        0,
        "an imported client matching its configuration plans nothing: {plan}"
    );
    if let Some(local) = stack.local("no UpdateUserPoolClient after the import, in the request log") {
        assert_eq!(local.requests_for("UpdateUserPoolClient"), Vec::new());
    }

    // A malformed ID, in a directory of its own so that nothing is in state yet.
    let malformed = Terraform::new(&stack);
    malformed.write_config(&app_config(&pool_id, "  name = \"imported\"\n"));
    let output = malformed.run(&["import", APP, "nope"]);
    assert!(!output.success(), "a malformed import ID must fail: {output}");
    assert!(
        output.stderr.contains("USER_POOL_ID/CLIENT_ID"),
        "the error shows the format: {output}"
    );
    assert!(!malformed.dir().join("terraform.tfstate").exists() || client_instances(&malformed.state()).is_empty());
}

/// 9. An `import` block plans one import and nothing else, and apply takes the client over. Then
/// `-generate-config-out` writes a configuration from which a second plan only imports.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_block_and_generated_configuration() {
    let stack = TestCognito::start();
    let sdk = stack.sdk();
    let pool_id = stack.create_user_pool("import-block").await;
    let created = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("block-imported")
        .logout_urls("https://block.example.com/logout")
        .allowed_o_auth_flows_user_pool_client(true)
        .send()
        .await
        .unwrap_or_else(|error| panic!("CreateUserPoolClient: {}", DisplayErrorContext(&error)))
        .user_pool_client
        .expect("created client");
    let client_id = created.client_id().expect("client id").to_owned();
    let import_block = format!("\nimport {{\n  to = {APP}\n  id = \"{pool_id}/{client_id}\"\n}}\n");

    let tf = Terraform::new(&stack);
    let resource = app_config(
        &pool_id,
        "  name        = \"block-imported\"\n  logout_urls = [\"https://block.example.com/logout\"]\n  allowed_oauth_flows_user_pool_client = true\n",
    );
    tf.write_config(&format!("{resource}{import_block}"));
    let plan = tf.run(&["plan"]);
    assert!(plan.success(), "{plan}");
    assert!(plan.stdout.contains(&format!("# {APP} will be imported")), "{plan}");
    assert!(
        plan.stdout
            .contains("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy."),
        "{plan}"
    );

    let output = tf.apply();
    assert!(
        output
            .stdout
            .contains("Resources: 1 imported, 0 added, 0 changed, 0 destroyed."),
        "{output}"
    );
    let state = tf.state();
    let client = single_client(&state);
    assert_eq!(text(client, "id"), client_id);
    assert_eq!(text(client, "name"), "block-imported");
    assert_eq!(
        string_set(client, "logout_urls"),
        set_of(&["https://block.example.com/logout"])
    );
    assert!(!flag(client, "generate_secret"));
    assert_clean_plan(&tf);

    // Generated configuration: only the import block at first.
    let generating = Terraform::new(&stack);
    generating.write_config(&format!("{PROVIDER_PREAMBLE}{import_block}"));
    let output = generating.run(&["plan", "-generate-config-out=gen.tf"]);
    assert!(output.success(), "plan -generate-config-out failed: {output}");
    let generated = std::fs::read_to_string(generating.dir().join("gen.tf")).expect("gen.tf was written");
    assert!(
        generated.contains("resource \"cognito_user_pool_client\" \"app\""),
        "{generated}"
    );
    assert!(
        generated.lines().any(|line| {
            let line = line.trim_start();
            line.starts_with("name ") && line.contains("\"block-imported\"")
        }),
        "{generated}"
    );
    assert!(generated.contains(&pool_id), "{generated}");
    assert!(
        !generated
            .lines()
            .any(|line| line.trim_start().starts_with("client_secret ")),
        "computed-only attributes are not generated: {generated}"
    );
    // Observed: the configuration generated from the imported state plans exactly the import, nothing else.
    let plan = generating.run(&["plan"]);
    assert!(plan.success(), "{plan}");
    assert!(
        plan.stdout
            .contains("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy."),
        "{plan}\n{generated}"
    );
}

/// 10. Destroy removes the clients from Cognito and from the state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn destroy_leaves_nothing() {
    let stack = TestCognito::start();
    let sdk = stack.sdk();
    let pool_id = stack.create_user_pool("destroy").await;
    let tf = Terraform::new(&stack);
    tf.write_config(&app_config(
        &pool_id,
        "  name            = \"destroy\"\n  generate_secret = true\n",
    ));
    tf.apply();
    let client_id = text(single_client(&tf.state()), "id").to_owned();
    assert_eq!(list_client_ids(&sdk, &pool_id).await, set_of(&[&client_id]));

    let output = tf.destroy();
    assert!(output.stdout.contains("Resources: 1 destroyed."), "{output}");
    assert_eq!(list_client_ids(&sdk, &pool_id).await, BTreeSet::new());
    assert!(try_describe(&sdk, &pool_id, &client_id).await.is_none());
    let state = tf.state();
    assert_eq!(state["resources"], serde_json::json!([]), "{state:#}");
    if let Some(local) = stack.local("the one DeleteUserPoolClient in the request log") {
        let deletes = local.requests_for("DeleteUserPoolClient");
        assert_eq!(deletes.len(), 1, "{deletes:#?}");
        assert_eq!(deletes[0].body["ClientId"], client_id.as_str());
    }
}

/// 11. With `TF_LOG=TRACE` on stderr, the client secret appears in no output of apply or plan.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secret_never_appears_in_trace_logs() {
    let stack = TestCognito::start();
    let pool_id = stack.create_user_pool("trace").await;
    let mut tf = Terraform::new(&stack);
    tf.env("TF_LOG", "TRACE");
    tf.write_config(&app_config(
        &pool_id,
        "  name            = \"trace\"\n  generate_secret = true\n",
    ));

    let apply = tf.apply();
    let plan = tf.run(&["plan", "-detailed-exitcode"]);
    assert_eq!(plan.code(), 0, "{plan}");

    let state = tf.state();
    let client = single_client(&state);
    let secret = text(client, "client_secret").to_owned();
    assert!(secret.len() >= 16, "a real secret to look for: {secret:?}");
    let remote = describe(&stack.sdk(), &pool_id, text(client, "id")).await;
    assert_eq!(remote.client_secret(), Some(secret.as_str()));

    for (run, output) in [("apply", &apply), ("plan", &plan)] {
        // The log is really there and includes the provider's own lines, so the search below means something.
        assert!(output.stderr.contains("[TRACE]"), "{run}: no trace log on stderr");
        assert!(
            output.stderr.contains("provider.terraform-provider-cognito"),
            "{run}: no provider log lines on stderr"
        );
        assert!(!output.stdout.contains(&secret), "{run}: the secret is on stdout");
        assert!(
            !output.stderr.contains(&secret),
            "{run}: the secret is in the trace log"
        );
    }
}

/// 12. Fifty clients with `count` and `-parallelism=10`: all created, a clean re-plan, all destroyed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_clients_in_parallel() {
    const CLIENTS: usize = 50;
    let stack = TestCognito::start();
    let sdk = stack.sdk();
    let pool_id = stack.create_user_pool("many").await;
    let tf = Terraform::new(&stack);
    tf.write_config(&format!(
        "{PROVIDER_PREAMBLE}\nresource \"cognito_user_pool_client\" \"many\" {{\n  count        = {CLIENTS}\n  \
         user_pool_id = \"{pool_id}\"\n  name         = \"client-${{count.index}}\"\n  callback_urls = \
         [\"https://many.example.com/${{count.index}}\"]\n  allowed_oauth_flows_user_pool_client = true\n}}\n"
    ));

    let output = tf.run(&["apply", "-auto-approve", "-parallelism=10"]);
    assert!(output.success(), "{output}");
    assert!(
        output
            .stdout
            .contains(&format!("Resources: {CLIENTS} added, 0 changed, 0 destroyed.")),
        "{output}"
    );
    let state = tf.state();
    let state_ids: BTreeSet<String> = client_instances(&state)
        .iter()
        .map(|client| text(client, "id").to_owned())
        .collect();
    assert_eq!(state_ids.len(), CLIENTS, "every instance has its own client");
    assert_eq!(list_client_ids(&sdk, &pool_id).await, state_ids);

    let plan = tf.run(&["plan", "-detailed-exitcode", "-parallelism=10"]);
    assert_eq!(plan.code(), 0, "{plan}");
    if let Some(local) = stack.local("no UpdateUserPoolClient for fifty unchanged clients, in the request log") {
        assert_eq!(local.requests_for("UpdateUserPoolClient"), Vec::new());
    }

    let output = tf.run(&["destroy", "-auto-approve", "-parallelism=10"]);
    assert!(output.success(), "{output}");
    assert!(
        output.stdout.contains(&format!("Resources: {CLIENTS} destroyed.")),
        "{output}"
    );
    assert_eq!(list_client_ids(&sdk, &pool_id).await, BTreeSet::new());
    assert!(client_instances(&tf.state()).is_empty());
}

/// 13. Every UpdateUserPoolClient carries every mutable member (and the configured-only ones exactly when
/// configured), and an apply with nothing to change sends no update at all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_update_is_full_and_a_no_op_apply_sends_none() {
    let Some(stack) = LocalCognito::start_unless_acceptance("its subject is the request bodies in the proxy's log")
    else {
        return;
    };
    let sdk = stack.sdk();
    let pool_id = stack.create_user_pool("full-updates").await;
    let tf = Terraform::new(&stack);
    tf.write_config(&app_config(&pool_id, "  name = \"full-updates\"\n"));
    tf.apply();
    let client_id = text(single_client(&tf.state()), "id").to_owned();

    // A no-op apply: nothing planned, nothing sent.
    let output = tf.apply();
    assert!(output.stdout.contains("0 added, 0 changed, 0 destroyed"), "{output}");
    assert_eq!(
        stack.requests_for("UpdateUserPoolClient"),
        Vec::new(),
        "a no-op apply sends no update"
    );

    // Update 1: the configured-only members appear.
    tf.write_config(&app_config(
        &pool_id,
        r#"  name                 = "full-updates"
  callback_urls        = ["https://full.example.com/cb"]
  allowed_oauth_flows_user_pool_client = true
  default_redirect_uri = "https://full.example.com/cb"

  analytics_configuration {
    application_id = "0123456789abcdef0123456789abcdef"
    role_arn       = "arn:aws:iam::123456789012:role/pinpoint-events"
    external_id    = "full-updates-external-id"
  }
"#,
    ));
    tf.apply();
    // Update 2: a different change, the configured-only members kept.
    tf.write_config(&app_config(
        &pool_id,
        r#"  name                 = "full-updates-renamed"
  callback_urls        = ["https://full.example.com/cb"]
  allowed_oauth_flows_user_pool_client = true
  default_redirect_uri = "https://full.example.com/cb"
  auth_session_validity = 7

  analytics_configuration {
    application_id = "0123456789abcdef0123456789abcdef"
    role_arn       = "arn:aws:iam::123456789012:role/pinpoint-events"
    external_id    = "full-updates-external-id"
  }
"#,
    ));
    tf.apply();
    // Update 3: back to the name only; the configured-only members go.
    tf.write_config(&app_config(&pool_id, "  name = \"full-updates\"\n"));
    tf.apply();
    // And a last no-op.
    tf.apply();
    assert_clean_plan(&tf);

    let updates = stack.requests_for("UpdateUserPoolClient");
    assert_eq!(updates.len(), 3, "one update per change, none for no-ops: {updates:#?}");
    let configured_only = CONFIGURED_ONLY_MEMBERS.as_slice();
    for (update, expected_configured_only) in updates.iter().zip([configured_only, configured_only, &[]]) {
        assert_eq!(update.body["ClientId"], client_id.as_str());
        assert_eq!(update.status, 200, "{update:#?}");
        assert_full_update(update, expected_configured_only);
    }
    assert_eq!(updates[0].body["DefaultRedirectURI"], "https://full.example.com/cb");
    assert_eq!(
        updates[0].body["AnalyticsConfiguration"]["ExternalId"],
        "full-updates-external-id"
    );
    assert_eq!(updates[1].body["ClientName"], "full-updates-renamed");
    assert_eq!(updates[1].body["AuthSessionValidity"].as_i64(), Some(7));
    assert_eq!(
        updates[1].body["CallbackURLs"],
        serde_json::json!(["https://full.example.com/cb"])
    );
    assert_eq!(updates[2].body["CallbackURLs"], serde_json::json!([]));

    let remote = describe(&sdk, &pool_id, &client_id).await;
    assert_eq!(remote.client_name(), Some("full-updates"));
    assert_eq!(remote.auth_session_validity(), Some(3));
    assert!(remote.analytics_configuration().is_none());
    assert_eq!(remote.default_redirect_uri(), None);
}

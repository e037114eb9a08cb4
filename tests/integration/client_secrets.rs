//! End to end with the real `terraform` and the local Cognito: app-client secrets (`cognito_user_pool_client_secret`,
//! the client's `client_secret_wo` and `initial_secret_id`, the ephemeral secret and the data source).
//!
//! - The shipped rotation example rotates across calendar quarters: the new secret exists before what uses it is
//!   updated, the old one is deleted only after that, and one secret is left, the one in the state.
//! - Custom values (write-only) rotate the same way and never reach the saved plan file or the state.
//! - A client with two secrets re-plans clean, resource, import and data source alike, whatever Describe reports
//!   after a rotation (the local Cognito plays both answers).
//! - Import, a secret deleted outside Terraform, and the two-secret limit.

use serde_json::Value as Json;

use crate::support::client_secrets::{DescribeAfterRotation, contains_bytes, plan_file_contents};
use crate::support::local_cognito::repo_root;
use crate::support::{LocalCognito, PROVIDER_PREAMBLE, Terraform, TfOutput};

fn succeeded(what: &str, output: TfOutput) -> TfOutput {
    assert!(output.success(), "terraform {what} failed: {output}");
    output
}

/// The attributes of the managed resource `address` (`type.name`) in a state.
fn attributes<'a>(state: &'a Json, address: &str) -> &'a Json {
    let (kind, name) = address.split_once('.').expect("type.name");
    state["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["mode"] == "managed" && r["type"] == kind && r["name"] == name)
        .and_then(|r| r["instances"].as_array())
        .and_then(|instances| instances.first())
        .map(|instance| &instance["attributes"])
        .unwrap_or_else(|| panic!("{address} is not in the state: {state}"))
}

fn text(value: &Json) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"))
        .to_string()
}

/// The IDs of a client's active secrets, oldest first, as the local Cognito holds them.
fn active_secret_ids(stack: &LocalCognito, pool: &str, client: &str) -> Vec<String> {
    stack
        .stored_secrets(pool, client)
        .into_iter()
        .map(|secret| secret.client_secret_id)
        .collect()
}

/// The secret IDs the successful secret operations of the request log made or deleted, in order: `+ID` for an
/// add, `-ID` for a delete.
fn secret_changes(stack: &LocalCognito) -> Vec<String> {
    stack
        .requests()
        .into_iter()
        .filter(|request| request.status == 200)
        .filter_map(|request| match request.operation.as_str() {
            "AddUserPoolClientSecret" => Some(format!(
                "+{}",
                text(&request.response["ClientSecretDescriptor"]["ClientSecretId"])
            )),
            "DeleteUserPoolClientSecret" => Some(format!("-{}", text(&request.body["ClientSecretId"]))),
            _ => None,
        })
        .collect()
}

/// The `apply_start` / `apply_complete` events of `terraform apply -json`, as `(event, address, action)`.
fn apply_events(output: &TfOutput) -> Vec<(String, String, String)> {
    output
        .stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<Json>(line).ok())
        .filter(|event| matches!(event["type"].as_str(), Some("apply_start" | "apply_complete")))
        .map(|event| {
            (
                text(&event["type"]),
                text(&event["hook"]["resource"]["addr"]),
                text(&event["hook"]["action"]),
            )
        })
        .collect()
}

fn position(events: &[(String, String, String)], event: &str, address: &str, action: &str) -> usize {
    events
        .iter()
        .position(|(e, a, act)| e == event && a == address && act == action)
        .unwrap_or_else(|| panic!("no {event} of {action} {address} in {events:?}"))
}

const SECRET: &str = "cognito_user_pool_client_secret.current";

/// Why these tests run against the local Cognito only: they read its secret store (which secrets are active, which
/// value it would accept) and switch what its Describe reports after a rotation.
const LOCAL_ONLY: &str = "it reads the local Cognito's secret store and switches its Describe answer";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rotation_example_never_leaves_the_consumer_without_a_valid_secret() {
    let Some(stack) = LocalCognito::start_unless_acceptance(LOCAL_ONLY) else {
        return;
    };
    let pool = stack.create_user_pool("rotation").await;
    let example =
        std::fs::read_to_string(repo_root().join("examples/resources/cognito_user_pool_client_secret/resource.tf"))
            .expect("the example");
    let tf = Terraform::new(&stack);
    tf.write_config(&format!("{PROVIDER_PREAMBLE}\n{example}"));
    let pool_var = format!("user_pool_id={pool}");
    let at = |now: &str| format!("now={now}");

    // First quarter: the client, its managed secret, and the client's first secret retired.
    succeeded(
        "apply",
        tf.run(&[
            "apply",
            "-auto-approve",
            "-var",
            &pool_var,
            "-var",
            &at("2026-01-15T00:00:00Z"),
        ]),
    );
    let state = tf.state();
    let client = text(&attributes(&state, "cognito_user_pool_client.api")["id"]);
    let initial = text(&attributes(&state, "cognito_user_pool_client.api")["initial_secret_id"]);
    let first = text(&attributes(&state, SECRET)["id"]);
    assert_ne!(initial, first);
    assert_eq!(
        active_secret_ids(&stack, &pool, &client),
        std::slice::from_ref(&first),
        "the initial secret is retired"
    );
    assert_eq!(
        attributes(&state, "terraform_data.consumer")["input"]["value"],
        first.as_str()
    );
    assert_eq!(
        attributes(&state, SECRET)["client_secret"],
        Json::Null,
        "kept out of the state"
    );

    // Later in the same quarter nothing changes.
    let quiet = tf.run(&[
        "plan",
        "-detailed-exitcode",
        "-var",
        &pool_var,
        "-var",
        &at("2026-03-31T23:00:00Z"),
    ]);
    assert_eq!(quiet.code(), 0, "{quiet}");

    // Next quarter: rotation.
    let before = secret_changes(&stack).len();
    let rotation = succeeded(
        "apply",
        tf.run(&[
            "apply",
            "-auto-approve",
            "-json",
            "-var",
            &pool_var,
            "-var",
            &at("2026-04-01T08:00:00Z"),
        ]),
    );
    let state = tf.state();
    let second = text(&attributes(&state, SECRET)["id"]);
    assert_ne!(second, first);
    assert_eq!(
        active_secret_ids(&stack, &pool, &client),
        std::slice::from_ref(&second),
        "one secret left, the state's"
    );
    assert_eq!(
        attributes(&state, "terraform_data.consumer")["input"]["value"],
        second.as_str()
    );

    // The order: new secret added, then the consumer given it, then the old secret deleted.
    let events = apply_events(&rotation);
    let added = position(&events, "apply_complete", SECRET, "create");
    let consumer_updated = position(&events, "apply_complete", "terraform_data.consumer", "update");
    let old_deleted = position(&events, "apply_start", SECRET, "delete");
    assert!(added < consumer_updated && consumer_updated < old_deleted, "{events:?}");
    // In Cognito: at every moment the secret the consumer held was active.
    assert_eq!(
        secret_changes(&stack)[before..],
        [format!("+{second}"), format!("-{first}")],
        "the old secret is deleted only after the new one exists"
    );

    // Destroying everything: the last secret goes with its client.
    let destroyed = succeeded("destroy", tf.run(&["destroy", "-auto-approve", "-var", &pool_var]));
    assert!(
        destroyed.stdout.contains("Last client secret left in place"),
        "{destroyed}"
    );
    let remaining = stack
        .sdk()
        .list_user_pool_clients()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap();
    assert!(remaining.user_pool_clients().is_empty());
}

/// A client with a custom initial secret and a managed secret with custom values, rotated once; returns nothing,
/// asserts everything.
async fn custom_values_rotate_and_stay_out_of_plan_files_and_state(describe: DescribeAfterRotation) {
    const INITIAL: &str = "initial_custom_secret_value_0001";
    const FIRST: &str = "first_custom_secret_value_00000002";
    const SECOND: &str = "second_custom_secret_value_0000003";
    let Some(stack) = LocalCognito::start_unless_acceptance(LOCAL_ONLY) else {
        return;
    };
    stack.set_describe_after_rotation(describe);
    let pool = stack.create_user_pool("custom").await;
    let mut tf = Terraform::new(&stack);
    tf.write_config(&format!(
        r#"{PROVIDER_PREAMBLE}
variable "initial_secret" {{
  type      = string
  ephemeral = true
}}

variable "secret" {{
  type      = string
  ephemeral = true
}}

variable "secret_version" {{
  type = number
}}

resource "cognito_user_pool_client" "app" {{
  user_pool_id     = "{pool}"
  name             = "byo"
  generate_secret  = true
  client_secret_wo = var.initial_secret
}}

resource "cognito_user_pool_client_secret" "current" {{
  user_pool_id             = cognito_user_pool_client.app.user_pool_id
  client_id                = cognito_user_pool_client.app.id
  client_secret_wo         = var.secret
  client_secret_wo_version = var.secret_version
  retire_secret_id         = cognito_user_pool_client.app.initial_secret_id

  lifecycle {{
    create_before_destroy = true
  }}
}}
"#
    ));
    tf.env("TF_VAR_initial_secret", INITIAL);

    let mut held: Vec<&str> = Vec::new();
    for (version, value) in [("1", FIRST), ("2", SECOND)] {
        tf.env("TF_VAR_secret", value);
        let version = format!("secret_version={version}");
        let plan = succeeded("plan", tf.run(&["plan", "-out=tfplan", "-var", &version]));
        let plan_file = plan_file_contents(&tf.dir().join("tfplan"));
        let before = secret_changes(&stack).len();
        let apply = succeeded("apply", tf.run(&["apply", "tfplan"]));
        let state_file = std::fs::read(tf.dir().join("terraform.tfstate")).expect("the state file");
        for secret in [INITIAL, FIRST, SECOND] {
            assert!(
                !contains_bytes(&plan_file, secret),
                "a write-only value is in the saved plan"
            );
            assert!(
                !contains_bytes(&state_file, secret),
                "a write-only value is in the state"
            );
            assert!(!plan.stdout.contains(secret) && !apply.stdout.contains(secret));
        }

        let state = tf.state();
        let client = text(&attributes(&state, "cognito_user_pool_client.app")["id"]);
        assert_eq!(
            attributes(&state, "cognito_user_pool_client.app")["client_secret"],
            Json::Null
        );
        let current = text(&attributes(&state, SECRET)["id"]);
        assert_eq!(
            active_secret_ids(&stack, &pool, &client),
            std::slice::from_ref(&current)
        );
        assert!(
            stack.secret_is_active(&pool, &client, value),
            "the consumer's new value is accepted"
        );
        // The values the consumer held before: each stayed valid until the new one existed.
        let changes = secret_changes(&stack)[before..].to_vec();
        assert_eq!(changes.first(), Some(&format!("+{current}")), "{changes:?}");
        assert_eq!(
            changes.len(),
            2,
            "one add, then one retirement or deletion: {changes:?}"
        );
        for old in &held {
            assert!(!stack.secret_is_active(&pool, &client, old));
        }
        held = vec![value];

        let replan = tf.run(&["plan", "-detailed-exitcode", "-var", &version]);
        assert_eq!(replan.code(), 0, "re-plans clean with {describe:?}: {replan}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_values_rotate_out_of_plan_and_state_when_describe_reports_the_newest() {
    custom_values_rotate_and_stay_out_of_plan_files_and_state(DescribeAfterRotation::Newest).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_values_rotate_out_of_plan_and_state_when_describe_reports_none() {
    custom_values_rotate_and_stay_out_of_plan_files_and_state(DescribeAfterRotation::None).await;
}

/// Clients with two secrets (secret in state or not, managed or imported, and read by the data source) re-plan
/// clean: no replacement, no change.
async fn clients_with_two_secrets_replan_clean(describe: DescribeAfterRotation) {
    let Some(stack) = LocalCognito::start_unless_acceptance(LOCAL_ONLY) else {
        return;
    };
    stack.set_describe_after_rotation(describe);
    let pool = stack.create_user_pool("two-secrets").await;
    let sdk = stack.sdk();
    let outside = sdk
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("imported")
        .generate_secret(true)
        .send()
        .await
        .expect("create the client to import")
        .user_pool_client
        .expect("client");
    let outside_id = outside.client_id().expect("id").to_string();
    sdk.add_user_pool_client_secret()
        .user_pool_id(&pool)
        .client_id(&outside_id)
        .send()
        .await
        .expect("a second secret");

    let tf = Terraform::new(&stack);
    let mut config = PROVIDER_PREAMBLE.to_string();
    for (name, in_state) in [("kept", true), ("hidden", false)] {
        config.push_str(&format!(
            r#"
resource "cognito_user_pool_client" "{name}" {{
  user_pool_id           = "{pool}"
  name                   = "{name}"
  generate_secret        = true
  client_secret_in_state = {in_state}
}}

resource "cognito_user_pool_client_secret" "{name}" {{
  user_pool_id = cognito_user_pool_client.{name}.user_pool_id
  client_id    = cognito_user_pool_client.{name}.id
}}

data "cognito_user_pool_client" "{name}" {{
  user_pool_id = cognito_user_pool_client.{name}.user_pool_id
  client_id    = cognito_user_pool_client_secret.{name}.client_id
}}

output "{name}_confidential" {{
  value = data.cognito_user_pool_client.{name}.generate_secret
}}
"#
        ));
    }
    config.push_str(&format!(
        r#"
import {{
  to = cognito_user_pool_client.imported
  id = "{pool}/{outside_id}"
}}

resource "cognito_user_pool_client" "imported" {{
  user_pool_id    = "{pool}"
  name            = "imported"
  generate_secret = true
}}
"#
    ));
    tf.write_config(&config);
    succeeded("apply", tf.run(&["apply", "-auto-approve"]));
    let state = tf.state();
    for name in ["kept", "hidden"] {
        let client = text(&attributes(&state, &format!("cognito_user_pool_client.{name}"))["id"]);
        assert_eq!(
            active_secret_ids(&stack, &pool, &client).len(),
            2,
            "{name} has two secrets"
        );
        assert_eq!(state["outputs"][format!("{name}_confidential")]["value"], true);
    }
    assert_eq!(
        attributes(&state, "cognito_user_pool_client.imported")["generate_secret"],
        true
    );

    let replan = tf.run(&["plan", "-detailed-exitcode"]);
    assert_eq!(
        replan.code(),
        0,
        "clients with two secrets re-plan clean with {describe:?}: {replan}"
    );
    // Refreshed once more, the data source still calls them confidential.
    succeeded("refresh", tf.run(&["apply", "-refresh-only", "-auto-approve"]));
    assert_eq!(tf.state()["outputs"]["hidden_confidential"]["value"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_with_two_secrets_replan_clean_when_describe_reports_the_newest() {
    clients_with_two_secrets_replan_clean(DescribeAfterRotation::Newest).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_with_two_secrets_replan_clean_when_describe_reports_none() {
    clients_with_two_secrets_replan_clean(DescribeAfterRotation::None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_drift_and_the_two_secret_limit() {
    let Some(stack) = LocalCognito::start_unless_acceptance(LOCAL_ONLY) else {
        return;
    };
    let pool = stack.create_user_pool("limit").await;
    let client = stack
        .sdk()
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("existing")
        .generate_secret(true)
        .send()
        .await
        .expect("create the client")
        .user_pool_client
        .expect("client");
    let client_id = client.client_id().expect("id").to_string();
    let initial = active_secret_ids(&stack, &pool, &client_id).remove(0);
    let secret_block = |name: &str| {
        format!(
            r#"
resource "cognito_user_pool_client_secret" "{name}" {{
  user_pool_id = "{pool}"
  client_id    = "{client_id}"
}}
"#
        )
    };
    let tf = Terraform::new(&stack);
    let imported = format!(
        "{PROVIDER_PREAMBLE}\nimport {{\n  to = cognito_user_pool_client_secret.initial\n  id = \"{pool}/{client_id}\"\n}}\n{}{}",
        secret_block("initial"),
        secret_block("second")
    );

    // The client's only secret, imported by the client's ID, and a second one.
    tf.write_config(&imported);
    succeeded("apply", tf.run(&["apply", "-auto-approve"]));
    let state = tf.state();
    assert_eq!(
        text(&attributes(&state, "cognito_user_pool_client_secret.initial")["id"]),
        initial
    );
    assert_eq!(
        attributes(&state, "cognito_user_pool_client_secret.initial")["client_secret"],
        Json::Null
    );
    let second = text(&attributes(&state, "cognito_user_pool_client_secret.second")["id"]);
    assert_eq!(tf.plan_exit_code(), 0);

    // A third is refused once, with the secrets there are and how to retire one.
    tf.write_config(&format!("{imported}{}", secret_block("third")));
    let adds_before = stack.requests_for("AddUserPoolClientSecret").len();
    let refused = tf.run(&["apply", "-auto-approve"]);
    assert!(!refused.success(), "{refused}");
    let message = format!("{}{}", refused.stdout, refused.stderr);
    for expected in [
        "App client already has two secrets",
        &initial,
        &second,
        "delete-user-pool-client-secret",
    ] {
        assert!(message.contains(expected), "missing {expected:?} in {refused}");
    }
    let attempts = stack.requests_for("AddUserPoolClientSecret")[adds_before..].to_vec();
    assert_eq!(attempts.len(), 1, "LimitExceeded is never retried");
    assert_eq!(attempts[0].status, 400);

    // A secret deleted outside Terraform leaves the state with a warning, and the plan adds a new one.
    tf.write_config(&imported);
    stack
        .sdk()
        .delete_user_pool_client_secret()
        .user_pool_id(&pool)
        .client_id(&client_id)
        .client_secret_id(&second)
        .send()
        .await
        .expect("delete outside Terraform");
    let drift = tf.run(&["plan", "-detailed-exitcode"]);
    assert_eq!(drift.code(), 2, "{drift}");
    assert!(drift.stdout.contains("Client secret no longer exists"), "{drift}");
    assert!(
        drift
            .stdout
            .contains("cognito_user_pool_client_secret.second will be created"),
        "{drift}"
    );
}

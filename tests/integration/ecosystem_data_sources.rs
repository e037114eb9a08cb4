//! End to end with the real `terraform` and the local Cognito: the data sources `cognito_user_pool_client` and
//! `cognito_user_pool_clients`, read at plan time for clients made outside Terraform and at apply time for a client
//! the same configuration creates.

use std::collections::BTreeSet;

use crate::support::{PROVIDER_PREAMBLE, Terraform, TestCognito};
use aws_sdk_cognitoidentityprovider::types::TimeUnitsType;
use serde_json::Value;

/// More clients than one ListUserPoolClients page holds (60), so the list data source must follow the next token.
const LISTED_CLIENTS: usize = 65;

fn data_instance<'a>(state: &'a Value, type_name: &str) -> &'a Value {
    state["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["mode"] == "data" && r["type"] == type_name)
        .unwrap_or_else(|| panic!("no data.{type_name} in state: {state:#}"))
}

fn attributes<'a>(state: &'a Value, type_name: &str) -> &'a Value {
    &data_instance(state, type_name)["instances"][0]["attributes"]
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {value}"))
        .iter()
        .map(|v| v.as_str().expect("string").to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_sources_read_clients_made_outside_terraform() {
    let stack = TestCognito::start();
    let sdk = stack.sdk();
    let pool_id = stack.create_user_pool("data-pool").await;
    let confidential = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("confidential")
        .generate_secret(true)
        .access_token_validity(30)
        .token_validity_units(
            aws_sdk_cognitoidentityprovider::types::TokenValidityUnitsType::builder()
                .access_token(TimeUnitsType::Minutes)
                .build(),
        )
        .callback_urls("https://app.example.com/callback")
        .send()
        .await
        .expect("create the confidential client")
        .user_pool_client
        .expect("client");
    let client_id = confidential.client_id().expect("client id").to_string();
    let secret = confidential.client_secret().expect("secret").to_string();
    let mut expected_names = BTreeSet::from(["confidential".to_string()]);
    for index in 1..LISTED_CLIENTS {
        let name = format!("listed-{index:02}");
        sdk.create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name(&name)
            .send()
            .await
            .expect("create a listed client");
        expected_names.insert(name);
    }
    let local = stack.local("that the list was read in more than one page, by the request log");
    let lists_before = local.map(|local| local.requests_for("ListUserPoolClients").len());

    let tf = Terraform::new(&stack);
    tf.write_config(&format!(
        r#"{PROVIDER_PREAMBLE}
data "cognito_user_pool_client" "one" {{
  user_pool_id           = "{pool_id}"
  client_id              = "{client_id}"
  client_secret_in_state = true
}}

data "cognito_user_pool_clients" "all" {{
  user_pool_id = "{pool_id}"
}}

output "access_token_unit" {{
  value = data.cognito_user_pool_client.one.token_validity_units[0].access_token
}}

output "secret" {{
  value     = data.cognito_user_pool_client.one.client_secret
  sensitive = true
}}

output "client_count" {{
  value = length(data.cognito_user_pool_clients.all.client_ids)
}}
"#
    ));

    let output = tf.apply();
    // The secret is sensitive: never printed, even though it is an output.
    assert!(!output.stdout.contains(&secret), "{output}");
    assert!(output.stdout.contains("secret = <sensitive>"), "{output}");
    assert!(output.stdout.contains("access_token_unit = \"minutes\""), "{output}");
    assert!(
        output.stdout.contains(&format!("client_count = {LISTED_CLIENTS}")),
        "{output}"
    );

    let state = tf.state();
    let one = attributes(&state, "cognito_user_pool_client");
    assert_eq!(one["id"], client_id.as_str());
    assert_eq!(one["client_id"], client_id.as_str());
    assert_eq!(one["user_pool_id"], pool_id.as_str());
    assert_eq!(one["name"], "confidential");
    assert_eq!(one["generate_secret"], true);
    assert_eq!(one["client_secret"], secret.as_str());
    assert_eq!(one["access_token_validity"], 30);
    assert_eq!(one["refresh_token_validity"], 30);
    assert_eq!(strings(&one["callback_urls"]), ["https://app.example.com/callback"]);
    assert_eq!(one["token_validity_units"][0]["id_token"], "hours");
    assert_eq!(one["refresh_token_rotation"][0]["feature"], "DISABLED");
    assert_eq!(one["analytics_configuration"], serde_json::json!([]));
    let sensitive = &data_instance(&state, "cognito_user_pool_client")["instances"][0]["sensitive_attributes"];
    assert!(
        sensitive.to_string().contains("client_secret"),
        "client_secret is not marked sensitive in state: {sensitive}"
    );

    let all = attributes(&state, "cognito_user_pool_clients");
    let ids = strings(&all["client_ids"]);
    let names = strings(&all["client_names"]);
    assert_eq!(ids.len(), LISTED_CLIENTS);
    assert_eq!(names.iter().cloned().collect::<BTreeSet<_>>(), expected_names);
    let position = ids
        .iter()
        .position(|id| *id == client_id)
        .expect("the client is listed");
    assert_eq!(names[position], "confidential", "names are index-aligned with ids");
    if let (Some(local), Some(lists_before)) = (local, lists_before) {
        assert!(
            local.requests_for("ListUserPoolClients").len() - lists_before >= 2,
            "{LISTED_CLIENTS} clients need more than one page"
        );
    }

    // Re-reading changes nothing.
    assert_eq!(tf.plan_exit_code(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_source_reads_a_client_created_in_the_same_apply() {
    let stack = TestCognito::start();
    let pool_id = stack.create_user_pool("same-apply").await;
    let tf = Terraform::new(&stack);
    tf.write_config(&format!(
        r#"{PROVIDER_PREAMBLE}
resource "cognito_user_pool_client" "app" {{
  user_pool_id    = "{pool_id}"
  name            = "made-here"
  generate_secret = true
}}

data "cognito_user_pool_client" "app" {{
  user_pool_id           = cognito_user_pool_client.app.user_pool_id
  client_id              = cognito_user_pool_client.app.id
  client_secret_in_state = true
}}

output "same_secret" {{
  value = nonsensitive(data.cognito_user_pool_client.app.client_secret == cognito_user_pool_client.app.client_secret)
}}
"#
    ));

    let output = tf.apply();
    assert!(output.stdout.contains("same_secret = true"), "{output}");
    assert_eq!(tf.plan_exit_code(), 0);

    // A missing client is an error that names it.
    tf.write_config(&format!(
        r#"{PROVIDER_PREAMBLE}
data "cognito_user_pool_client" "gone" {{
  user_pool_id = "{pool_id}"
  client_id    = "1nosuchclient2345678901234"
}}
"#
    ));
    let output = tf.run(&["plan"]);
    assert!(!output.success(), "{output}");
    assert!(output.stderr.contains("App client not found"), "{output}");
    assert!(output.stderr.contains("1nosuchclient2345678901234"), "{output}");
}

//! End to end with the real `terraform` and the local Cognito: the ephemeral resource
//! `cognito_user_pool_client_secret` hands a client's secret to another provider block without the secret reaching
//! the saved plan or the state.
//!
//! The proof that the exact secret arrived: the second provider block uses the secret as its AWS `profile`, and the
//! shared AWS config file of the run defines a profile of that name and no environment credentials are set, so
//! that provider can only sign its requests if it received the secret verbatim. That proof needs an endpoint that
//! checks no signatures, so acceptance mode (`COGNITO_ACC=1`) skips it, saying so.

use std::path::Path;

use crate::support::{LocalCognito, Terraform, TfOutput};

fn succeeded(what: &str, output: TfOutput) -> TfOutput {
    assert!(output.success(), "terraform {what} failed: {output}");
    output
}

fn assert_secret_absent(what: &str, text: &str, secret: &str) {
    assert!(!text.contains(secret), "the client secret appears in {what}");
}

/// An AWS config file with a `default` profile (for the plain provider block) and a profile named after the
/// secret (for the block that receives it). Environment credentials are blanked, so profiles decide.
fn write_aws_profiles(tf: &mut Terraform, secret: &str) {
    let config = tf.dir().join("aws-config");
    std::fs::write(
        &config,
        format!(
            "[default]\naws_access_key_id = testing\naws_secret_access_key = testing\n\n\
             [profile {secret}]\naws_access_key_id = by-secret\naws_secret_access_key = by-secret\n"
        ),
    )
    .expect("write the AWS config file");
    let absent = tf.dir().join("no-credentials-file");
    let config = path_text(&config);
    let absent = path_text(&absent);
    tf.env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", &absent)
        .env("AWS_ACCESS_KEY_ID", "")
        .env("AWS_SECRET_ACCESS_KEY", "");
}

fn path_text(path: &Path) -> String {
    path.to_str().expect("a UTF-8 temporary path").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_secret_configures_another_provider_and_stays_out_of_plan_and_state() {
    let Some(stack) =
        LocalCognito::start_unless_acceptance("it signs with made-up profiles that only the local stack accepts")
    else {
        return;
    };
    let sdk = stack.sdk();
    let pool_id = stack.create_user_pool("ephemeral-pool").await;
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("confidential")
        .generate_secret(true)
        .send()
        .await
        .expect("create the confidential client")
        .user_pool_client
        .expect("client");
    let client_id = client.client_id().expect("client id").to_string();
    let secret = client.client_secret().expect("secret").to_string();

    let mut tf = Terraform::new(&stack);
    write_aws_profiles(&mut tf, &secret);
    tf.write_config(&format!(
        r#"terraform {{
  required_providers {{
    cognito = {{ source = "example.com/acme/cognito" }}
  }}
}}

provider "cognito" {{}}

ephemeral "cognito_user_pool_client_secret" "s" {{
  user_pool_id = "{pool_id}"
  client_id    = "{client_id}"
}}

provider "cognito" {{
  alias   = "by_secret"
  profile = ephemeral.cognito_user_pool_client_secret.s.client_secret
}}

# Read at plan time and created at apply time through the provider configured with the secret.
data "cognito_user_pool_clients" "seen" {{
  provider     = cognito.by_secret
  user_pool_id = "{pool_id}"
}}

resource "cognito_user_pool_client" "made" {{
  provider        = cognito.by_secret
  user_pool_id    = "{pool_id}"
  name            = "made-with-the-secret"
  generate_secret = true
  # Consumed only through the ephemeral resource below: never in plan or state.
  client_secret_in_state = false
}}

# Known only after apply: the plan opens this one with an unknown client_id, apply opens it for real.
ephemeral "cognito_user_pool_client_secret" "fresh" {{
  user_pool_id = "{pool_id}"
  client_id    = cognito_user_pool_client.made.id
}}

resource "terraform_data" "fresh_secret_checked" {{
  lifecycle {{
    precondition {{
      condition     = length(ephemeral.cognito_user_pool_client_secret.fresh.client_secret) > 0
      error_message = "The fresh client's secret is empty."
    }}
  }}
}}

output "confidential_seen" {{
  value = contains(data.cognito_user_pool_clients.seen.client_ids, "{client_id}")
}}
"#
    ));

    let plan = succeeded("plan", tf.run(&["plan", "-out=tfplan"]));
    assert_secret_absent("the plan output", &plan.stdout, &secret);
    assert!(
        plan.stdout
            .contains("ephemeral.cognito_user_pool_client_secret.s: Opening"),
        "{plan}"
    );
    let shown = succeeded("show", tf.run(&["show", "-json", "tfplan"]));
    assert!(
        shown.stdout.contains("made-with-the-secret"),
        "the plan holds the planned client"
    );
    assert_secret_absent("the saved plan", &shown.stdout, &secret);

    let apply = succeeded("apply", tf.run(&["apply", "tfplan"]));
    assert_secret_absent("the apply output", &apply.stdout, &secret);
    assert!(apply.stdout.contains("confidential_seen = true"), "{apply}");

    let state_text = std::fs::read_to_string(tf.dir().join("terraform.tfstate")).expect("read the state");
    assert_secret_absent("the state", &state_text, &secret);
    let state = tf.state();
    // Only as dependency addresses: never as a resource of its own.
    let types: Vec<&str> = state["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| r["type"].as_str().expect("type"))
        .collect();
    assert!(
        !types.contains(&"cognito_user_pool_client_secret"),
        "ephemeral resources are never in state: {types:?}"
    );
    let made = state["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["type"] == "cognito_user_pool_client" && r["mode"] == "managed")
        .expect("the client made through the secret's provider");
    let made_attributes = &made["instances"][0]["attributes"];
    assert_eq!(made_attributes["client_secret"], serde_json::Value::Null);
    assert_eq!(made_attributes["client_secret_in_state"], false);
    assert_eq!(made_attributes["generate_secret"], true);

    // Both ephemeral resources were opened for real: the fresh one only at apply, once its client_id was known.
    let describes: Vec<String> = stack
        .requests_for("DescribeUserPoolClient")
        .iter()
        .filter_map(|r| r.body["ClientId"].as_str().map(str::to_string))
        .collect();
    let made_id = made_attributes["id"].as_str().expect("id").to_string();
    assert!(describes.contains(&client_id), "{describes:?}");
    assert!(
        describes.contains(&made_id),
        "the fresh ephemeral was opened at apply: {describes:?}"
    );

    let made_secret = sdk
        .describe_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&made_id)
        .send()
        .await
        .expect("describe the made client")
        .user_pool_client
        .and_then(|c| c.client_secret)
        .expect("the made client has a secret in Cognito");
    assert_secret_absent("the state (made client)", &state_text, &made_secret);
    assert_secret_absent("the apply output (made client)", &apply.stdout, &made_secret);

    // Planning again opens both with known arguments and changes nothing.
    let replan = tf.run(&["plan", "-detailed-exitcode"]);
    assert_eq!(replan.code(), 0, "{replan}");
    assert_secret_absent("the second plan's output", &replan.stdout, &secret);

    // The control: with any other profile name the second provider block cannot sign a request.
    let main_tf = std::fs::read_to_string(tf.dir().join("main.tf")).expect("read main.tf");
    tf.write_config(&main_tf.replace(
        "profile = ephemeral.cognito_user_pool_client_secret.s.client_secret",
        "profile = \"not-${ephemeral.cognito_user_pool_client_secret.s.client_secret}\"",
    ));
    let control = tf.run(&["plan"]);
    assert!(!control.success(), "a wrong profile must not work: {control}");
    // Terraform wraps diagnostics at its line width.
    let words = control.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("was not defined"), "{control}");
}

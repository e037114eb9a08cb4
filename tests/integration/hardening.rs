//! Where requests go and what a plan may do, end to end with the real `terraform`:
//! - `endpoint_url` names the Cognito endpoint only. AssumeRole, a signed request that carries the role and its
//!   external ID, goes to STS (or `assume_role.sts_endpoint_url`), never to the Cognito override.
//! - `http://` is accepted only for a loopback host, so nothing signed or secret travels in clear over a network.
//! - A user pool ID is checked at plan, and a pool of another Region than the provider's is an error that names
//!   both Regions: never a client "deleted outside Terraform" that a plan would create again.
//!
//! Each needs endpoints or a request log the test controls, so acceptance mode (`COGNITO_ACC=1`) skips them, saying
//! so.

use serde_json::Value;

use crate::ecosystem_migration::{aws_state, stand_in_for_the_aws_provider};
use crate::support::tf_diagnostics::{self, Severity, line_of};
use crate::support::{LocalCognito, PROVIDER_PREAMBLE, Terraform};

const REQUIRED_PROVIDERS: &str = r#"terraform {
  required_providers {
    cognito = { source = "example.com/acme/cognito" }
  }
}
"#;

#[test]
fn a_clear_text_endpoint_off_loopback_is_a_plan_error_on_endpoint_url() {
    let Some(stack) = LocalCognito::start_unless_acceptance("the local stack's request log proves nothing was sent")
    else {
        return;
    };
    let tf = Terraform::new(&stack);
    let main_tf = format!(
        r#"{REQUIRED_PROVIDERS}
provider "cognito" {{
  endpoint_url = "http://cognito.example.com"
}}

data "cognito_user_pool_clients" "all" {{
  user_pool_id = "us-east-1_doesNotExist"
}}
"#
    );
    tf.write_config(&main_tf);
    let plan = tf.run(&["plan"]);
    assert_eq!(plan.code(), 1, "{plan}");
    let line = line_of(&main_tf, "http://cognito.example.com");
    let printed = tf_diagnostics::parse(&format!("{}\n{}", plan.stdout, plan.stderr));
    assert!(
        printed.iter().any(|d| d.severity == Severity::Error
            && d.summary.contains("Endpoint URL without TLS")
            && d.line == Some(line)
            && d.detail.contains("loopback")),
        "no error on endpoint_url's line {line}: {printed:#?}\n{plan}"
    );
    assert!(
        stack.requests().is_empty(),
        "a request was sent: {:?}",
        stack.requests()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assume_role_goes_to_sts_and_never_to_the_cognito_endpoint() {
    const EXTERNAL_ID: &str = "distinctive-external-id-4711";
    let Some(cognito) =
        LocalCognito::start_unless_acceptance("it reads which of two local endpoints each request reached")
    else {
        return;
    };
    let sts = LocalCognito::start();
    let pool_id = cognito.create_user_pool("assume-role").await;
    let mut tf = Terraform::new(&cognito);
    // Only the provider block names endpoints: the harness's AWS_ENDPOINT_URL would otherwise apply to STS too.
    tf.env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
    tf.write_config(&format!(
        r#"{REQUIRED_PROVIDERS}
provider "cognito" {{
  endpoint_url = "{cognito_endpoint}"
  assume_role {{
    role_arn         = "arn:aws:iam::123456789012:role/deploy"
    external_id      = "{EXTERNAL_ID}"
    sts_endpoint_url = "{sts_endpoint}"
  }}
}}

resource "cognito_user_pool_client" "app" {{
  user_pool_id = "{pool_id}"
  name         = "assumed"
}}
"#,
        cognito_endpoint = cognito.endpoint(),
        sts_endpoint = sts.endpoint(),
    ));
    let apply = tf.apply();
    assert!(apply.success(), "{apply}");

    let assumed = sts.requests_for("AssumeRole");
    assert!(
        !assumed.is_empty(),
        "AssumeRole did not reach sts_endpoint_url; there: {:?}; at the Cognito endpoint: {:?}",
        sts.requests()
            .iter()
            .map(|request| &request.operation)
            .collect::<Vec<_>>(),
        cognito
            .requests()
            .iter()
            .map(|request| &request.operation)
            .collect::<Vec<_>>(),
    );
    assert!(
        assumed.iter().all(|request| request.body["ExternalId"] == EXTERNAL_ID),
        "{assumed:?}"
    );
    let at_cognito = cognito.requests();
    assert!(
        at_cognito
            .iter()
            .any(|request| request.operation == "CreateUserPoolClient"),
        "the client was created through endpoint_url: {at_cognito:?}"
    );
    assert!(
        at_cognito
            .iter()
            .all(|request| request.operation != "AssumeRole" && !request.body.to_string().contains(EXTERNAL_ID)),
        "AssumeRole followed endpoint_url: {at_cognito:?}"
    );
    assert!(tf.destroy().success());
}

/// Terraform's diagnostics of a plan of `main_tf`, which must fail.
fn failed_plan(tf: &Terraform, main_tf: &str) -> (Vec<tf_diagnostics::TfDiagnostic>, String) {
    tf.write_config(main_tf);
    let plan = tf.run(&["plan"]);
    assert_eq!(plan.code(), 1, "{plan}");
    (
        tf_diagnostics::parse(&format!("{}\n{}", plan.stdout, plan.stderr)),
        plan.to_string(),
    )
}

/// The error whose summary contains `summary`, printed at the line of `main_tf` that contains `needle`.
fn error_at(
    printed: &[tf_diagnostics::TfDiagnostic],
    output: &str,
    main_tf: &str,
    needle: &str,
    summary: &str,
) -> tf_diagnostics::TfDiagnostic {
    let line = line_of(main_tf, needle);
    printed
        .iter()
        .find(|d| d.severity == Severity::Error && d.summary.contains(summary) && d.line == Some(line))
        .unwrap_or_else(|| panic!("no {summary:?} at line {line}: {printed:#?}\n{output}"))
        .clone()
}

#[test]
fn user_pool_ids_are_checked_at_plan_and_a_pool_of_another_region_is_named() {
    let Some(stack) = LocalCognito::start_unless_acceptance("the local stack's request log proves nothing was sent")
    else {
        return;
    };
    let tf = Terraform::new(&stack);
    // Syntax: ValidateResourceConfig, so Terraform plans nothing while any is wrong.
    let main_tf = format!(
        r#"{PROVIDER_PREAMBLE}
resource "cognito_user_pool_client" "empty" {{
  user_pool_id = ""
  name         = "empty"
}}

resource "cognito_user_pool_client" "malformed" {{
  user_pool_id = "my-user-pool"
  name         = "malformed"
}}
"#
    );
    let (printed, output) = failed_plan(&tf, &main_tf);
    error_at(
        &printed,
        &output,
        &main_tf,
        r#"user_pool_id = """#,
        "Invalid user pool ID",
    );
    error_at(&printed, &output, &main_tf, r#""my-user-pool""#, "Invalid user pool ID");

    // The Region: PlanResourceChange, once the provider knows its own.
    let main_tf = format!(
        r#"{PROVIDER_PREAMBLE}
resource "cognito_user_pool_client" "elsewhere" {{
  user_pool_id = "eu-west-1_AbCdEfGhI"
  name         = "elsewhere"
}}
"#
    );
    let (printed, output) = failed_plan(&tf, &main_tf);
    let region = error_at(
        &printed,
        &output,
        &main_tf,
        r#""eu-west-1_AbCdEfGhI""#,
        "User pool in another Region",
    );
    assert!(
        region.detail.contains("eu-west-1") && region.detail.contains("us-east-1"),
        "both Regions named: {region:?}"
    );
    assert!(
        stack.requests().is_empty(),
        "a request was sent: {:?}",
        stack.requests()
    );
}

/// A client moved from hashicorp/aws whose pool is in another Region than the provider's is never taken for a client
/// deleted outside Terraform: the refresh stops with an error naming both Regions, and the state is left as it was.
/// A v6 state whose own `region` differs from its pool's stops at the move.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_move_from_another_region_stops_with_an_error_and_loses_nothing() {
    let Some(stack) = LocalCognito::start_unless_acceptance("its pool IDs are made up for the local stack's Region")
    else {
        return;
    };
    let cases = [
        // (the pool ID in the state, the state's `region`, what the error must name)
        ("eu-west-1_AbCdEfGhI", "eu-west-1", ["eu-west-1", "us-east-1"]),
        ("us-east-1_AbCdEfGhI", "eu-west-1", ["eu-west-1", "us-east-1_AbCdEfGhI"]),
    ];
    for (pool_id, state_region, named) in cases {
        let tf = Terraform::new(&stack);
        let _aws = stand_in_for_the_aws_provider(&tf);
        let mut state = aws_state(pool_id, "1example23456789abcdefghij", "s3cr3t-moved");
        state["resources"][0]["instances"][0]["attributes"]["region"] = Value::from(state_region);
        let state_text = serde_json::to_string_pretty(&state).unwrap();
        std::fs::write(tf.dir().join("terraform.tfstate"), &state_text).unwrap();
        tf.write_config(&format!(
            "{PROVIDER_PREAMBLE}\nresource \"cognito_user_pool_client\" \"app\" {{\n  user_pool_id = \"{pool_id}\"\n  \
             name = \"migrated\"\n  generate_secret = true\n}}\n\nmoved {{\n  from = aws_cognito_user_pool_client.app\n  \
             to   = cognito_user_pool_client.app\n}}\n"
        ));
        for command in [&["plan"][..], &["apply", "-auto-approve"][..]] {
            let output = tf.run(command);
            assert_eq!(output.code(), 1, "{command:?} must stop: {output}");
            let text = format!("{}\n{}", output.stdout, output.stderr);
            for name in named {
                assert!(text.contains(name), "{command:?} must name {name}: {output}");
            }
            assert!(!text.contains("no longer exists"), "{output}");
            assert!(!text.contains("s3cr3t-moved"), "{output}");
        }
        let after = std::fs::read_to_string(tf.dir().join("terraform.tfstate")).unwrap();
        assert_eq!(after, state_text, "the state is untouched");
    }
    assert!(
        stack
            .requests()
            .iter()
            .all(|request| request.operation != "CreateUserPoolClient"),
        "nothing was created: {:?}",
        stack.requests()
    );
}

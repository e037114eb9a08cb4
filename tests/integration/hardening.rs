//! Where requests go and what a plan may do, end to end with the real `terraform`:
//! - `endpoint_url` names the Cognito endpoint only. AssumeRole, a signed request that carries the role and its
//!   external ID, goes to STS (or `assume_role.sts_endpoint_url`), never to the Cognito override.
//! - `http://` is accepted only for a loopback host, so nothing signed or secret travels in clear over a network.
//!
//! Both need endpoints the test controls, so acceptance mode (`COGNITO_ACC=1`) skips them, saying so.

use serde_json::Value;

use crate::support::tf_diagnostics::{self, Severity, line_of};
use crate::support::{LocalCognito, Terraform};

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
        assumed
            .iter()
            .all(|request| request.body["ExternalId"] == Value::from(EXTERNAL_ID)),
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

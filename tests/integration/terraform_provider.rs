//! End to end with the real `terraform`: the provider loads through dev_overrides with AutoMTLS, its schema is
//! listed, configurations validate, and its logs reach Terraform's log at the right level.

use crate::support::{PROVIDER_PREAMBLE, Terraform};

/// No Cognito is contacted by these commands; the endpoint only has to be a valid URL.
const UNUSED_ENDPOINT: &str = "http://127.0.0.1:9";

#[test]
fn providers_schema_lists_the_provider_and_its_resource() {
    let tf = Terraform::with_endpoint(UNUSED_ENDPOINT);
    tf.write_config(PROVIDER_PREAMBLE);
    let output = tf.run(&["providers", "schema", "-json"]);
    assert!(output.success(), "{output}");
    let schema: serde_json::Value = serde_json::from_str(output.stdout.trim()).expect("schema JSON");
    let provider = &schema["provider_schemas"]["example.com/acme/cognito"];
    let block = &provider["provider"]["block"];
    for attribute in ["region", "profile", "endpoint_url", "max_retries"] {
        assert_eq!(block["attributes"][attribute]["optional"], true, "{attribute}");
        assert_eq!(
            block["attributes"][attribute]["description_kind"], "markdown",
            "{attribute}"
        );
    }
    assert_eq!(block["block_types"]["assume_role"]["max_items"], 1);
    let resource = &provider["resource_schemas"]["cognito_user_pool_client"]["block"];
    assert_eq!(resource["attributes"]["client_secret"]["sensitive"], true);
    assert_eq!(resource["attributes"]["user_pool_id"]["required"], true);
    assert_eq!(
        resource["attributes"]["callback_urls"]["type"],
        serde_json::json!(["set", "string"])
    );
}

#[test]
fn validate_accepts_the_provider_example_and_points_at_bad_settings() {
    let tf = Terraform::with_endpoint(UNUSED_ENDPOINT);
    let example = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/provider/provider.tf"))
        .expect("read the provider example");
    tf.write_config(&example);
    let output = tf.run(&["validate"]);
    assert!(output.success(), "{output}");
    assert!(output.stdout.contains("The configuration is valid"), "{output}");

    // Terraform starts a provider only for configurations that use it, so the check needs a resource.
    let bad_provider = PROVIDER_PREAMBLE.replace(
        "provider \"cognito\" {}",
        "provider \"cognito\" {\n  max_retries = 99\n}",
    );
    tf.write_config(&format!(
        "{bad_provider}\nresource \"cognito_user_pool_client\" \"x\" {{\n  user_pool_id = \"us-east-1_abc\"\n  name = \"x\"\n}}\n"
    ));
    let output = tf.run(&["validate"]);
    assert!(!output.success(), "{output}");
    assert!(output.stderr.contains("Invalid max_retries"), "{output}");
    assert!(
        output.stderr.contains("max_retries = 99"),
        "the diagnostic points at the line: {output}"
    );
}

#[test]
fn provider_logs_reach_terraform_at_their_level() {
    let mut tf = Terraform::with_endpoint(UNUSED_ENDPOINT);
    tf.env("TF_LOG", "DEBUG");
    tf.write_config(PROVIDER_PREAMBLE);
    let output = tf.run(&["validate"]);
    assert!(output.success(), "{output}");
    let provider_lines: Vec<&str> = output
        .stderr
        .lines()
        .filter(|line| line.contains("provider.terraform-provider-cognito:"))
        .collect();
    assert!(
        provider_lines
            .iter()
            .any(|l| l.contains("[INFO]") && l.contains("provider serving")),
        "an INFO line from the provider: {provider_lines:#?}"
    );
    assert!(
        provider_lines
            .iter()
            .any(|l| l.contains("[DEBUG]") && l.contains("shutdown requested by Terraform")),
        "a DEBUG line from the provider: {provider_lines:#?}"
    );
    // hclog JSON was parsed, not passed through as text.
    assert!(
        provider_lines.iter().all(|l| !l.contains("\"@level\"")),
        "{provider_lines:#?}"
    );
    // Shutdown is served: no process had to be killed.
    assert!(
        !output.stderr.contains("plugin failed to exit gracefully"),
        "{}",
        output.stderr
    );
}

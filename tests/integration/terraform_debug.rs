//! `--debug`: one long-lived provider process, attached through TF_REATTACH_PROVIDERS, serves several Terraform
//! runs, each of which configures it again.

use crate::support::plugin_client::{PluginOptions, PluginProcess};
use crate::support::{PROVIDER_PREAMBLE, Terraform};

const CONFIG_WITH_A_CLIENT: &str = r#"
resource "cognito_user_pool_client" "app" {
  user_pool_id = "us-east-1_pool"
  name         = "app"
}
"#;

#[tokio::test(flavor = "multi_thread")]
async fn a_debug_provider_serves_several_terraform_runs() {
    let binary = env!("CARGO_BIN_EXE_terraform-provider-cognito");
    let mut provider = PluginProcess::start_debug(PluginOptions::debug_mode(binary))
        .await
        .expect("start --debug");
    let reattach = provider.reattach().expect("a reattach announcement").clone();
    assert_eq!(reattach.provider_address, "example.com/acme/cognito");
    let value = reattach
        .line
        .trim()
        .trim_start_matches("TF_REATTACH_PROVIDERS=")
        .trim_matches('\'')
        .to_string();

    let mut tf = Terraform::with_endpoint("http://127.0.0.1:9");
    tf.env("TF_REATTACH_PROVIDERS", &value);
    // No dev_overrides: the reattached process is the only way Terraform can reach the provider.
    let empty_cli_config = tf.dir().join("empty.tfrc");
    std::fs::write(&empty_cli_config, "").unwrap();
    tf.env("TF_CLI_CONFIG_FILE", empty_cli_config.to_str().unwrap());
    tf.write_config(&format!("{PROVIDER_PREAMBLE}{CONFIG_WITH_A_CLIENT}"));
    for run in 1..=3 {
        // plan = ValidateProviderConfig + ConfigureProvider + PlanResourceChange; no AWS call is needed to plan.
        let output = tokio::task::block_in_place(|| tf.run(&["plan"]));
        assert!(output.success(), "run {run}: {output}");
        assert!(output.stdout.contains("1 to add"), "run {run}: {output}");
        assert!(
            !output.stdout.contains("development overrides"),
            "the reattached process was used: {output}"
        );
    }
    assert!(provider.is_running(), "the debug provider outlives Terraform runs");
}

//! Tests of the Terraform harness (tests/support/terraform.rs): the environment, CLI config and arguments every
//! `terraform` command of the end-to-end tests runs with. These need no working provider; the end-to-end tests
//! themselves exercise plan/apply/destroy.

use std::os::unix::fs::PermissionsExt;

use crate::support::terraform::{
    AwsAccess, cli_config_text, provider_binary_dir, terraform_arguments, terraform_environment,
};
use crate::support::{LocalCognito, PROVIDER_PREAMBLE, PROVIDER_SOURCE, Terraform};

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

#[test]
fn terraform_version_runs_with_the_harness_environment() {
    let stack = LocalCognito::start();
    let mut terraform = Terraform::new(&stack);
    terraform.write_config(PROVIDER_PREAMBLE);
    terraform.env("TF_LOG", "trace");

    let output = terraform.run(&["version"]);

    assert!(output.success(), "{output}");
    assert!(output.stdout.starts_with("Terraform v1."), "{output}");
    let cli_config = terraform.cli_config_path().display().to_string();
    assert!(
        output
            .stderr
            .contains(&format!("Loading CLI configuration from {cli_config}")),
        "{output}"
    );
    assert!(
        output
            .stderr
            .contains(&format!("Provider {PROVIDER_SOURCE} is overridden by dev_overrides")),
        "the generated CLI config's dev_overrides were not applied: {output}"
    );
    assert!(
        output.stderr.contains(r#""version", "-no-color"}"#),
        "-no-color was not passed: {output}"
    );
    // CHECKPOINT_DISABLE=1 reached Terraform: otherwise `version` asks checkpoint-api.hashicorp.com for updates.
    assert!(!output.stderr.contains("Checkpoint"), "{output}");
}

#[test]
fn terraform_resolves_the_provider_without_init() {
    let terraform = Terraform::with_endpoint("http://127.0.0.1:9");
    terraform.write_config(PROVIDER_PREAMBLE);

    let output = terraform.run(&["providers"]);

    assert!(output.success(), "{output}");
    assert!(
        output.stdout.contains(&format!("provider[{PROVIDER_SOURCE}]")),
        "{output}"
    );
    assert!(
        !terraform.dir().join(".terraform").exists(),
        "no init, so no .terraform directory"
    );
}

#[test]
fn cli_config_points_dev_overrides_at_this_builds_provider() {
    let terraform = Terraform::with_endpoint("http://127.0.0.1:9");
    let written = std::fs::read_to_string(terraform.cli_config_path()).expect("CLI config written");
    let provider_dir = provider_binary_dir();

    assert_eq!(written, cli_config_text(&provider_dir));
    let expected_override = format!("\"{PROVIDER_SOURCE}\" = \"{}\"", provider_dir.display());
    assert!(written.contains(&expected_override), "{written}");
    assert!(written.contains("direct {}"), "{written}");
    let binary = provider_dir.join("terraform-provider-cognito");
    let mode = std::fs::metadata(&binary)
        .expect("the provider binary exists")
        .permissions()
        .mode();
    assert_ne!(mode & 0o111, 0, "{} is not executable", binary.display());
}

#[test]
fn cli_config_escapes_directory_names() {
    let text = cli_config_text(std::path::Path::new("/tmp/a \"quoted\" ${dir}\\x"));
    assert!(text.contains(r#"= "/tmp/a \"quoted\" $${dir}\\x""#), "{text}");
}

#[test]
fn environment_drops_inherited_terraform_and_aws_settings() {
    let inherited = owned(&[
        ("PATH", "/usr/bin"),
        ("HOME", "/root"),
        ("TF_PLUGIN_CACHE_DIR", "/cache"),
        ("TF_DISABLE_PLUGIN_TLS", "1"),
        ("TF_REATTACH_PROVIDERS", "{}"),
        ("TF_CLI_ARGS_plan", "-refresh=false"),
        ("TF_CLI_CONFIG_FILE", "/root/.terraformrc"),
        ("AWS_PROFILE", "production"),
        ("AWS_ACCESS_KEY_ID", "AKIAREAL"),
        (
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
            "https://cognito-idp.eu-west-1.amazonaws.com",
        ),
        ("PLUGIN_CLIENT_CERT", "-----BEGIN CERTIFICATE-----"),
        ("CHECKPOINT_DISABLE", "0"),
    ]);
    let extra = owned(&[("TF_LOG", "trace"), ("AWS_REGION", "us-east-1")]);

    let access = AwsAccess::Local {
        endpoint: "http://127.0.0.1:4566".to_owned(),
    };
    let mut environment = terraform_environment(inherited, std::path::Path::new("/work/cli.tfrc"), &access, &extra);
    environment.sort();

    let expected = owned(&[
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("CHECKPOINT_DISABLE", "1"),
        ("HOME", "/root"),
        ("PATH", "/usr/bin"),
        ("TF_CLI_CONFIG_FILE", "/work/cli.tfrc"),
        ("TF_INPUT", "0"),
        ("TF_IN_AUTOMATION", "1"),
        ("TF_LOG", "trace"),
    ]);
    assert_eq!(environment, expected);
}

#[test]
fn acceptance_environment_keeps_the_aws_settings_and_sets_the_endpoint_when_given() {
    let inherited = owned(&[
        ("PATH", "/usr/bin"),
        ("TF_REATTACH_PROVIDERS", "{}"),
        ("PLUGIN_CLIENT_CERT", "-----BEGIN CERTIFICATE-----"),
        ("AWS_PROFILE", "acceptance"),
        ("AWS_REGION", "eu-west-1"),
        (
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
            "https://elsewhere.example",
        ),
    ]);
    let cli_config = std::path::Path::new("/work/cli.tfrc");
    let common = [
        ("AWS_PROFILE", "acceptance"),
        ("AWS_REGION", "eu-west-1"),
        ("CHECKPOINT_DISABLE", "1"),
        ("PATH", "/usr/bin"),
        ("TF_CLI_CONFIG_FILE", "/work/cli.tfrc"),
        ("TF_INPUT", "0"),
        ("TF_IN_AUTOMATION", "1"),
    ];

    let given = AwsAccess::Environment {
        endpoint: Some("http://127.0.0.1:4566".to_owned()),
    };
    let mut environment = terraform_environment(inherited.clone(), cli_config, &given, &[]);
    environment.sort();
    let mut expected = owned(&common);
    expected.push(("AWS_ENDPOINT_URL".to_owned(), "http://127.0.0.1:4566".to_owned()));
    expected.sort();
    assert_eq!(environment, expected, "the given endpoint replaces every inherited one");

    let inherited_endpoint = AwsAccess::Environment { endpoint: None };
    let mut environment = terraform_environment(inherited, cli_config, &inherited_endpoint, &[]);
    environment.sort();
    let mut expected = owned(&common);
    expected.push((
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER".to_owned(),
        "https://elsewhere.example".to_owned(),
    ));
    expected.sort();
    assert_eq!(environment, expected);
}

#[test]
fn arguments_get_no_color_and_input_flags_before_positionals() {
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["plan", "-detailed-exitcode"],
            &["plan", "-no-color", "-input=false", "-detailed-exitcode"],
        ),
        (
            &["apply", "-auto-approve"],
            &["apply", "-no-color", "-input=false", "-auto-approve"],
        ),
        (
            &["import", "cognito_user_pool_client.c", "p/c"],
            &[
                "import",
                "-no-color",
                "-input=false",
                "cognito_user_pool_client.c",
                "p/c",
            ],
        ),
        (
            &["providers", "schema", "-json"],
            &["providers", "schema", "-no-color", "-json"],
        ),
        (&["state", "list"], &["state", "list", "-no-color"]),
        (&["version"], &["version", "-no-color"]),
        (
            &["plan", "-no-color", "-input=true"],
            &["plan", "-no-color", "-input=true"],
        ),
    ];
    for (given, expected) in cases {
        assert_eq!(terraform_arguments(given), *expected, "for {given:?}");
    }
}

#[test]
#[should_panic(expected = "terraform init must not be run")]
fn init_is_refused() {
    Terraform::with_endpoint("http://127.0.0.1:9").run(&["init"]);
}

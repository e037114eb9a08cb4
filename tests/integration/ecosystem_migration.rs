//! Migration from HashiCorp's AWS provider, end to end with the real `terraform` and the local Cognito: a state
//! file written in the AWS provider's shape (as `terraform apply` with hashicorp/aws leaves it) plus a configuration
//! renamed to `cognito_user_pool_client` with a `moved` block. MoveResourceState carries the state over, the plan
//! neither replaces nor changes the client, and apply keeps its ID and secret.

use crate::support::terraform::{cli_config_text, provider_binary_dir};
use crate::support::{PROVIDER_PREAMBLE, PROVIDER_SOURCE, Terraform, TestCognito, TfOutput};
use aws_sdk_cognitoidentityprovider::types::{OAuthFlowType, TimeUnitsType, TokenValidityUnitsType};
use serde_json::{Value, json};

const AWS_PROVIDER: &str = r#"provider["registry.terraform.io/hashicorp/aws"]"#;

/// The client as the AWS provider's configuration declared it; the same arguments after the rename.
fn arguments(pool_id: &str) -> String {
    format!(
        r#"  user_pool_id                         = "{pool_id}"
  name                                 = "migrated"
  generate_secret                      = true
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email"]
  callback_urls                        = ["https://app.example.com/callback"]
  supported_identity_providers         = ["COGNITO"]
  explicit_auth_flows                  = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors        = "ENABLED"
"#
    )
}

/// `terraform.tfstate` as Terraform 1.x writes it for hashicorp/aws 5.x after creating the client: schema version
/// 0, every computed attribute known, the default token units recorded, `region` as v6 adds it.
pub(crate) fn aws_state(pool_id: &str, client_id: &str, secret: &str) -> Value {
    let attributes = json!({
        "access_token_validity": 60,
        "allowed_oauth_flows": ["code"],
        "allowed_oauth_flows_user_pool_client": true,
        "allowed_oauth_scopes": ["email", "openid"],
        "analytics_configuration": [],
        "auth_session_validity": 3,
        "callback_urls": ["https://app.example.com/callback"],
        "client_secret": secret,
        "default_redirect_uri": "",
        "enable_propagate_additional_user_context_data": false,
        "enable_token_revocation": true,
        "explicit_auth_flows": ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
        "generate_secret": true,
        "id": client_id,
        "id_token_validity": 60,
        "logout_urls": [],
        "name": "migrated",
        "prevent_user_existence_errors": "ENABLED",
        "read_attributes": [],
        "refresh_token_rotation": [],
        "refresh_token_validity": 30,
        "region": "us-east-1",
        "supported_identity_providers": ["COGNITO"],
        "token_validity_units": [{"access_token": "hours", "id_token": "hours", "refresh_token": "days"}],
        "user_pool_id": pool_id,
        "write_attributes": []
    });
    json!({
        "version": 4,
        "terraform_version": "1.11.4",
        "serial": 3,
        "lineage": "8a4f6c1e-3c55-4b8e-9d57-6b0e0c0f6e11",
        "outputs": {},
        "resources": [{
            "mode": "managed",
            "type": "aws_cognito_user_pool_client",
            "name": "app",
            "provider": AWS_PROVIDER,
            "instances": [{
                "schema_version": 0,
                "attributes": attributes,
                "sensitive_attributes": [[{"type": "get_attr", "value": "client_secret"}]]
            }]
        }],
        "check_results": null
    })
}

/// Terraform loads the schema of every provider the state names before it plans, so a state still holding
/// `aws_cognito_user_pool_client` needs *some* `registry.terraform.io/hashicorp/aws` (observed with 1.11.4:
/// "Missing required provider" without one; "could not find executable file starting with terraform-provider-aws"
/// with a dev_overrides entry naming an empty directory). Users migrating have the real one installed. Offline,
/// any provider executable stands in: Terraform only asks it for its schema (GetProviderSchema) and never for the
/// moved resource, which MoveResourceState hands to this provider. This build's binary serves as that stand-in.
pub(crate) fn stand_in_for_the_aws_provider(tf: &Terraform) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("stand-in directory");
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_terraform-provider-cognito"),
        dir.path().join("terraform-provider-aws"),
    )
    .expect("link the stand-in");
    let cli_config = format!(
        "provider_installation {{\n  dev_overrides {{\n    \"{PROVIDER_SOURCE}\" = \"{}\"\n    \"registry.terraform.io/hashicorp/aws\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
        provider_binary_dir().display(),
        dir.path().display()
    );
    std::fs::write(tf.cli_config_path(), cli_config).expect("write the CLI config");
    dir
}

fn config(pool_id: &str, with_moved_block: bool) -> String {
    let moved = if with_moved_block {
        "\nmoved {\n  from = aws_cognito_user_pool_client.app\n  to   = cognito_user_pool_client.app\n}\n"
    } else {
        ""
    };
    format!(
        "{PROVIDER_PREAMBLE}\nresource \"cognito_user_pool_client\" \"app\" {{\n{}}}\n{moved}",
        arguments(pool_id)
    )
}

fn instance(state: &Value) -> (&Value, &Value) {
    let resources = state["resources"].as_array().expect("resources");
    assert_eq!(resources.len(), 1, "{state:#}");
    (&resources[0], &resources[0]["instances"][0]["attributes"])
}

fn assert_output(output: &TfOutput, expected: &str) {
    assert!(output.stdout.contains(expected), "expected {expected:?}: {output}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moved_block_takes_over_an_aws_provider_client_without_replacing_it() {
    let stack = TestCognito::start();
    let pool_id = stack.create_user_pool("migration").await;
    // The client the AWS provider created.
    let created = stack
        .sdk()
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("migrated")
        .generate_secret(true)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .callback_urls("https://app.example.com/callback")
        .supported_identity_providers("COGNITO")
        .explicit_auth_flows("ALLOW_USER_SRP_AUTH".into())
        .explicit_auth_flows("ALLOW_REFRESH_TOKEN_AUTH".into())
        .prevent_user_existence_errors("ENABLED".into())
        .token_validity_units(
            TokenValidityUnitsType::builder()
                .access_token(TimeUnitsType::Hours)
                .id_token(TimeUnitsType::Hours)
                .refresh_token(TimeUnitsType::Days)
                .build(),
        )
        .send()
        .await
        .expect("create the client")
        .user_pool_client
        .expect("client");
    let client_id = created.client_id().expect("id").to_string();
    let secret = created.client_secret().expect("secret").to_string();

    let tf = Terraform::new(&stack);
    let _aws_stand_in = stand_in_for_the_aws_provider(&tf);
    std::fs::write(
        tf.dir().join("terraform.tfstate"),
        serde_json::to_string_pretty(&aws_state(&pool_id, &client_id, &secret)).unwrap(),
    )
    .unwrap();

    tf.write_config(&config(&pool_id, true));
    let plan = tf.run(&["plan", "-detailed-exitcode"]);
    assert_eq!(plan.code(), 2, "a move is a change to the state: {plan}");
    assert_output(
        &plan,
        "# aws_cognito_user_pool_client.app has moved to cognito_user_pool_client.app",
    );
    assert_output(&plan, "Plan: 0 to add, 0 to change, 0 to destroy.");
    assert!(!plan.stdout.contains("must be replaced"), "{plan}");
    assert!(
        !plan.stdout.contains(&secret) && !plan.stderr.contains(&secret),
        "{plan}"
    );

    let local = stack.local("no create, update or delete during the apply, by the request log");
    let creates_before = local.map(|local| local.requests_for("CreateUserPoolClient").len());
    let apply = tf.apply();
    assert_output(&apply, "0 added, 0 changed, 0 destroyed");
    if let (Some(local), Some(creates_before)) = (local, creates_before) {
        assert_eq!(local.requests_for("CreateUserPoolClient").len(), creates_before);
        assert_eq!(
            local.requests_for("UpdateUserPoolClient"),
            Vec::new(),
            "nothing to update"
        );
        assert_eq!(local.requests_for("DeleteUserPoolClient"), Vec::new());
    }

    let state = tf.state();
    let (resource, attributes) = instance(&state);
    assert_eq!(resource["type"], "cognito_user_pool_client");
    assert_eq!(resource["provider"], r#"provider["example.com/acme/cognito"]"#);
    assert_eq!(attributes["id"], client_id.as_str());
    assert_eq!(attributes["client_secret"], secret.as_str());
    assert_eq!(attributes["generate_secret"], true);
    assert!(attributes.get("region").is_none(), "{attributes:#}");
    assert!(
        attributes["creation_date"].is_string(),
        "refreshed from Cognito: {attributes:#}"
    );

    // The moved block can stay or go: either way there is nothing left to do, and the state no longer needs the
    // AWS provider at all.
    assert_eq!(tf.plan_exit_code(), 0);
    std::fs::write(tf.cli_config_path(), cli_config_text(&provider_binary_dir())).unwrap();
    tf.write_config(&config(&pool_id, false));
    assert_eq!(tf.plan_exit_code(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moves_from_other_types_are_refused_with_a_diagnostic() {
    let stack = TestCognito::start();
    let pool_id = stack.create_user_pool("refused").await;
    let tf = Terraform::new(&stack);
    let _aws_stand_in = stand_in_for_the_aws_provider(&tf);
    let mut state = aws_state(&pool_id, "1example23456789abcdefghij", "not-a-real-secret");
    state["resources"][0]["type"] = json!("aws_cognito_managed_user_pool_client");
    std::fs::write(tf.dir().join("terraform.tfstate"), state.to_string()).unwrap();
    tf.write_config(&format!(
        "{PROVIDER_PREAMBLE}\nresource \"cognito_user_pool_client\" \"app\" {{\n{}}}\n\nmoved {{\n  from = aws_cognito_managed_user_pool_client.app\n  to   = cognito_user_pool_client.app\n}}\n",
        arguments(&pool_id)
    ));

    let plan = tf.run(&["plan"]);
    assert!(!plan.success(), "{plan}");
    assert!(plan.stderr.contains("Cannot move the app client"), "{plan}");
    assert!(plan.stderr.contains("aws_cognito_managed_user_pool_client"), "{plan}");
    assert!(!plan.stderr.contains("not-a-real-secret"), "{plan}");
}

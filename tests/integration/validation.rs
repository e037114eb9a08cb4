//! Plan-time validation end to end: `terraform plan` on invalid configurations prints each error against the line
//! of the offending attribute, warnings do not block a plan, and none of it sends a single request to Cognito.
//!
//! Every configuration here names a user pool that does not exist and the tests create nothing: the proxy's
//! request log must stay empty, which proves the rules run before, and instead of, any AWS call. In acceptance mode
//! (`COGNITO_ACC=1`) the plans run against AWS and the request-log checks are skipped, saying so.

use crate::support::tf_diagnostics::{self, Severity, TfDiagnostic, line_of};
use crate::support::{PROVIDER_PREAMBLE, Terraform, TestCognito, TfOutput};

/// Two clients, each breaking rules of several families. Every commented line is the one an error must point at.
const INVALID: &str = r#"
resource "cognito_user_pool_client" "web" {
  user_pool_id           = "us-east-1_doesNotExist"
  name                   = "web/app"                                # name: anchored character set
  refresh_token_validity = 0                                        # refresh 0: silently 30 days
  access_token_validity  = 2                                        # 2 minutes: below 5 minutes
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows    = ["code"]
  callback_urls          = ["http://app.example.com/callback"]      # plain http off loopback
  default_redirect_uri   = "https://app.example.com/elsewhere"      # not one of callback_urls
  explicit_auth_flows    = ["USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] # legacy mix

  token_validity_units {
    access_token = "minutes"
    id_token     = "weeks"                                          # time-unit enum
  }
}

resource "cognito_user_pool_client" "machine" {
  user_pool_id         = "us-east-1_doesNotExist"
  name                 = "machine"
  allowed_oauth_flows  = ["client_credentials", "implicit"]         # client_credentials alone, with a secret
  allowed_oauth_scopes = ["openid", "api/read"]                     # no user scopes with client_credentials
  logout_urls          = ["https://machine.example.com/#out"]       # fragment
  enable_propagate_additional_user_context_data = true              # needs a secret
  auth_session_validity = 16                                        # 3 to 15 minutes

  analytics_configuration {
    application_arn = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123abcd"
    external_id     = "not-with-an-arn"                             # excluded by application_arn
  }

  refresh_token_rotation {
    feature                    = "ENABLED"
    retry_grace_period_seconds = 61                                 # 0 to 60 seconds
  }
}

resource "cognito_user_pool_client" "huge" {
  user_pool_id          = "us-east-1_doesNotExist"
  name                  = "huge"
  auth_session_validity = 1e4096                                    # Terraform sends 4,097 digits
  read_attributes       = [for i in range(51) : "custom:attribute${i}"] # a pool has at most 50
}
"#;

/// A valid configuration whose choices are legal but surprising: warnings only.
const SURPRISING: &str = r#"
resource "cognito_user_pool_client" "app" {
  user_pool_id                 = "us-east-1_doesNotExist"
  name                         = "surprising"
  write_attributes             = []                                 # means all writable
  supported_identity_providers = ["Google"]                         # COGNITO dropped

  refresh_token_rotation {
    feature = "ENABLED"                                             # default flows include ALLOW_REFRESH_TOKEN_AUTH
  }
}
"#;

/// What one error or warning must look like: its severity, resource, a fragment of its summary, and the
/// configuration line (found by its text) that it points at.
struct Expected {
    severity: Severity,
    address: &'static str,
    summary: &'static str,
    line_text: &'static str,
}

fn error(address: &'static str, summary: &'static str, line_text: &'static str) -> Expected {
    Expected {
        severity: Severity::Error,
        address,
        summary,
        line_text,
    }
}

fn warning(address: &'static str, summary: &'static str, line_text: &'static str) -> Expected {
    Expected {
        severity: Severity::Warning,
        address,
        summary,
        line_text,
    }
}

/// Checks that every expected diagnostic was printed at its line, with the source line quoted, and a detail.
fn assert_diagnostics(main_tf: &str, output: &TfOutput, expected: &[Expected]) {
    let printed = tf_diagnostics::parse(&format!("{}\n{}", output.stdout, output.stderr));
    let mut missing = Vec::new();
    for want in expected {
        let line = line_of(main_tf, want.line_text);
        let found = printed.iter().any(|d: &TfDiagnostic| {
            d.severity == want.severity
                && d.address.as_deref() == Some(want.address)
                && d.summary.contains(want.summary)
                && d.file.as_deref() == Some("main.tf")
                && d.line == Some(line)
                && d.source
                    .as_deref()
                    .is_some_and(|source| source.contains(want.line_text))
                && !d.detail.is_empty()
        });
        if !found {
            missing.push(format!(
                "{:?} {:?} at line {line} ({:?})",
                want.severity, want.summary, want.line_text
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "not printed as expected:\n  {}\nparsed: {printed:#?}\n{output}",
        missing.join("\n  ")
    );
}

#[test]
fn invalid_configurations_fail_at_their_lines_before_any_request() {
    let stack = TestCognito::start();
    let tf = Terraform::new(&stack);
    let main_tf = format!("{PROVIDER_PREAMBLE}{INVALID}");
    tf.write_config(&main_tf);

    let output = tf.run(&["plan"]);
    assert_eq!(output.code(), 1, "the plan must fail: {output}");
    let web = "cognito_user_pool_client.web";
    let machine = "cognito_user_pool_client.machine";
    let huge = "cognito_user_pool_client.huge";
    assert_diagnostics(
        &main_tf,
        &output,
        &[
            error(web, "Invalid app client name", r#""web/app""#),
            error(web, "Refresh token validity of 0", "refresh_token_validity = 0"),
            error(web, "access_token_validity out of range", "access_token_validity  = 2"),
            error(web, "Invalid URL in callback_urls", "http://app.example.com/callback"),
            error(web, "not a callback URL", "https://app.example.com/elsewhere"),
            error(web, "Legacy and ALLOW_ auth flows mixed", "USER_PASSWORD_AUTH"),
            error(web, "token_validity_units[0].id_token", r#""weeks""#),
            error(
                machine,
                "client_credentials must be the only OAuth flow",
                r#"["client_credentials", "implicit"]"#,
            ),
            error(
                machine,
                "client_credentials needs a client secret",
                r#"["client_credentials", "implicit"]"#,
            ),
            error(
                machine,
                "User scopes with client_credentials",
                r#"["openid", "api/read"]"#,
            ),
            error(
                machine,
                "Invalid URL in logout_urls",
                "https://machine.example.com/#out",
            ),
            // Neither client sets the switch: the error points at the first OAuth setting that needs it.
            error(
                machine,
                "need allowed_oauth_flows_user_pool_client",
                r#"["client_credentials", "implicit"]"#,
            ),
            error(
                machine,
                "User context data needs a client secret",
                "enable_propagate_additional_user_context_data",
            ),
            error(
                machine,
                "auth_session_validity out of range",
                "auth_session_validity = 16",
            ),
            error(machine, "external_id with application_arn", "not-with-an-arn"),
            error(
                machine,
                "retry_grace_period_seconds out of range",
                "retry_grace_period_seconds = 61",
            ),
            // A number of any length is read, and then judged like any other.
            error(
                huge,
                "auth_session_validity out of range",
                "auth_session_validity = 1e4096",
            ),
            error(huge, "Too many read_attributes", "range(51)"),
        ],
    );
    if let Some(local) = stack.local("no request in the request log") {
        assert_eq!(local.requests(), Vec::new(), "validation must not reach Cognito");
    }
}

#[test]
fn surprising_configurations_warn_without_blocking_the_plan() {
    let stack = TestCognito::start();
    let tf = Terraform::new(&stack);
    let main_tf = format!("{PROVIDER_PREAMBLE}{SURPRISING}");
    tf.write_config(&main_tf);

    let output = tf.run(&["plan", "-detailed-exitcode"]);
    assert_eq!(output.code(), 2, "the plan must succeed with changes: {output}");
    let app = "cognito_user_pool_client.app";
    assert_diagnostics(
        &main_tf,
        &output,
        &[
            warning(app, "Empty write_attributes", "write_attributes             = []"),
            warning(app, "COGNITO is not a supported identity provider", r#"["Google"]"#),
            warning(
                app,
                "ALLOW_REFRESH_TOKEN_AUTH with refresh-token rotation",
                r#"feature = "ENABLED""#,
            ),
        ],
    );
    let printed = tf_diagnostics::parse(&format!("{}\n{}", output.stdout, output.stderr));
    assert!(
        printed.iter().all(|d| d.severity == Severity::Warning),
        "no errors: {printed:#?}"
    );
    // Planning a new client needs no remote read, and the provider builds its AWS client only when used.
    if let Some(local) = stack.local("no request in the request log") {
        assert_eq!(
            local.requests(),
            Vec::new(),
            "a plan of a new client must not reach Cognito"
        );
    }
}

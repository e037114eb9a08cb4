//! The local Cognito's client-secret emulation (AddUserPoolClientSecret, ListUserPoolClientSecrets,
//! DeleteUserPoolClientSecret; see `ClientSecretStore` in local_cognito.py): its switch and its test-only views.

use serde::Deserialize;

use super::control_http;
use super::local_cognito::LocalCognito;

/// What DescribeUserPoolClient reports as ClientSecret once a secret has been added to a client. Cognito does not
/// document it; the tests run against both plausible answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DescribeAfterRotation {
    /// The newest active secret.
    Newest,
    /// No ClientSecret at all.
    None,
}

impl DescribeAfterRotation {
    fn name(self) -> &'static str {
        match self {
            DescribeAfterRotation::Newest => "newest",
            DescribeAfterRotation::None => "none",
        }
    }
}

/// One client as the proxy's secret store knows it; secret values are never shown.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StoredClient {
    pub user_pool_id: String,
    pub client_id: String,
    pub rotated: bool,
    pub client_secrets: Vec<StoredSecret>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StoredSecret {
    pub client_secret_id: String,
    pub client_secret_create_date: f64,
    pub generated: bool,
}

#[derive(Deserialize)]
struct Verdict {
    active: bool,
}

impl LocalCognito {
    fn secrets_control(&self, method: &str, path: &str, body: Option<&serde_json::Value>) -> Vec<u8> {
        control_http::call(self.endpoint(), method, path, body)
            .unwrap_or_else(|error| panic!("{method} {path}: {error}\nstack stderr:\n{}", self.stderr_output()))
    }

    /// Chooses what Describe reports after a rotation (the default is [`DescribeAfterRotation::Newest`]).
    pub fn set_describe_after_rotation(&self, mode: DescribeAfterRotation) {
        self.secrets_control(
            "POST",
            "/_proxy/config",
            Some(&serde_json::json!({ "describe_after_rotation": mode.name() })),
        );
    }

    /// Whether Cognito would accept `secret` for the client now: what an application holding it finds out.
    pub fn secret_is_active(&self, user_pool_id: &str, client_id: &str, secret: &str) -> bool {
        let body = serde_json::json!({ "UserPoolId": user_pool_id, "ClientId": client_id, "ClientSecret": secret });
        let answer = self.secrets_control("POST", "/_proxy/client-secrets/verify", Some(&body));
        serde_json::from_slice::<Verdict>(&answer)
            .unwrap_or_else(|error| panic!("client-secrets/verify: {error}"))
            .active
    }

    /// The active secrets of one client (oldest first), as the store holds them.
    pub fn stored_secrets(&self, user_pool_id: &str, client_id: &str) -> Vec<StoredSecret> {
        let answer = self.secrets_control("GET", "/_proxy/client-secrets", None);
        let clients: Vec<StoredClient> =
            serde_json::from_slice(&answer).unwrap_or_else(|error| panic!("GET /_proxy/client-secrets: {error}"));
        let mut secrets = clients
            .into_iter()
            .find(|client| client.user_pool_id == user_pool_id && client.client_id == client_id)
            .map(|client| client.client_secrets)
            .unwrap_or_default();
        secrets.sort_by(|a, b| a.client_secret_create_date.total_cmp(&b.client_secret_create_date));
        secrets
    }
}

/// Every byte a saved plan file holds: the file as it is, then each of its zip entries uncompressed (Terraform
/// deflates them, so a value inside would not show in the raw bytes). Read with the test venv's Python, which the
/// local Cognito needs anyway.
pub fn plan_file_contents(path: &std::path::Path) -> Vec<u8> {
    let python = super::local_cognito::repo_root().join(".venv/bin/python");
    let script = "import sys, zipfile\n\
                  out = sys.stdout.buffer\n\
                  out.write(open(sys.argv[1], 'rb').read())\n\
                  for name in zipfile.ZipFile(sys.argv[1]).namelist():\n    \
                      out.write(zipfile.ZipFile(sys.argv[1]).read(name))\n";
    let output = std::process::Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(path)
        .output()
        .expect("run the venv's python");
    assert!(
        output.status.success(),
        "could not read the plan file {}: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// Whether `haystack` contains `needle` as bytes.
pub fn contains_bytes(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle.as_bytes())
}

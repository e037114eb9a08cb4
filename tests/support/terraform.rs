//! [`Terraform`]: runs the real `terraform` CLI offline against the provider binary of this build and a
//! [`LocalCognito`] stack, or in acceptance mode the AWS account of the environment
//! (docs/dev/local-test-stack.md#terraform-offline).
//!
//! The provider is found through `dev_overrides` in a generated CLI config, so `terraform init` is never run (it
//! fails offline with dev_overrides, and nothing needs it). Each harness has its own temporary working directory,
//! and every command gets the same controlled environment: the inherited one minus anything that could reroute
//! Terraform or the AWS SDK (`TF_*`, `AWS_*`, go-plugin variables), plus the variables of
//! docs/dev/local-test-stack.md#environment. In acceptance mode the inherited `AWS_*` variables (credentials,
//! profile, Region) are kept.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::local_cognito::{ACCESS_KEY_ID, LocalCognito, REGION, SECRET_ACCESS_KEY};

/// The provider address the test configurations use; it must match the dev_overrides key exactly.
pub const PROVIDER_SOURCE: &str = "example.com/acme/cognito";

/// The `terraform` / `provider` blocks every test configuration starts with.
pub const PROVIDER_PREAMBLE: &str = r#"terraform {
  required_providers {
    cognito = { source = "example.com/acme/cognito" }
  }
}

provider "cognito" {}
"#;

/// A command still running after this long is killed and reported, instead of hanging the test run.
const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_secs(300);

/// Subcommands that accept `-input=false` (Terraform rejects the flag elsewhere). `-no-color` is accepted by every
/// command: Terraform strips it from the arguments before dispatching.
const COMMANDS_WITH_INPUT_FLAG: &[&str] = &["plan", "apply", "destroy", "refresh", "import", "console"];
/// Commands whose first positional argument is a subcommand (`state list`, `providers schema`, ...); flags go after it.
const COMMANDS_WITH_SUBCOMMANDS: &[&str] = &["state", "providers", "workspace", "metadata"];
/// Inherited variables with these prefixes are dropped: they could select other providers, plugins, credentials or
/// endpoints (`TF_PLUGIN_CACHE_DIR`, `TF_REATTACH_PROVIDERS`, `TF_CLI_ARGS*`, `AWS_PROFILE`, go-plugin's `PLUGIN_*`
/// handshake variables set by a parent Terraform, ...).
const DROPPED_PREFIXES: &[&str] = &["TF_", "AWS_", "PLUGIN_"];

/// The outcome of one `terraform` command.
#[derive(Debug)]
pub struct TfOutput {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl TfOutput {
    /// The exit code; -1 when the process was ended by a signal (e.g. killed at the timeout).
    pub fn code(&self) -> i32 {
        self.status.code().unwrap_or(-1)
    }

    pub fn success(&self) -> bool {
        self.status.success()
    }
}

impl std::fmt::Display for TfOutput {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "{}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.status, self.stdout, self.stderr
        )
    }
}

/// How `terraform`, and through it the provider, reaches Cognito.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AwsAccess {
    /// A local stack: its endpoint, dummy credentials and its Region; no inherited `AWS_*` variable.
    Local { endpoint: String },
    /// Acceptance mode: the inherited `AWS_*` variables (credentials, profile, Region), and `endpoint`, when given,
    /// instead of any inherited endpoint.
    Environment { endpoint: Option<String> },
}

/// What a Terraform harness can be pointed at.
pub trait CognitoAccess {
    fn aws_access(&self) -> AwsAccess;
}

impl CognitoAccess for LocalCognito {
    fn aws_access(&self) -> AwsAccess {
        AwsAccess::Local {
            endpoint: self.endpoint().to_owned(),
        }
    }
}

pub struct Terraform {
    dir: tempfile::TempDir,
    cli_config: PathBuf,
    access: AwsAccess,
    extra_env: Vec<(String, String)>,
    timeout: Duration,
}

/// The directory holding this build's provider binary: what dev_overrides points at.
pub fn provider_binary_dir() -> PathBuf {
    let binary = Path::new(env!("CARGO_BIN_EXE_terraform-provider-cognito"));
    binary
        .parent()
        .expect("the provider binary has a parent directory")
        .to_path_buf()
}

/// The CLI configuration selecting this build's provider for [`PROVIDER_SOURCE`]; `direct {}` matters only for
/// `init`, which we never run, but keeps any other provider from being looked up elsewhere by accident.
pub fn cli_config_text(provider_dir: &Path) -> String {
    format!(
        "provider_installation {{\n  dev_overrides {{\n    \"{PROVIDER_SOURCE}\" = {}\n  }}\n  direct {{}}\n}}\n",
        hcl_string(&provider_dir.display().to_string())
    )
}

/// A quoted HCL string literal; escapes what could end the string or start a template.
fn hcl_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for character in text.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '$' => quoted.push_str("$$"),
            '%' => quoted.push_str("%%"),
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    quoted
}

/// The environment for a `terraform` command: the inherited variables without the dropped ones, then those of
/// docs/dev/local-test-stack.md#environment for `access`, then `extra` (which may override anything, e.g. `TF_LOG`).
pub fn terraform_environment(
    inherited: impl IntoIterator<Item = (String, String)>,
    cli_config: &Path,
    access: &AwsAccess,
    extra: &[(String, String)],
) -> Vec<(String, String)> {
    let mut controlled = vec![
        ("TF_CLI_CONFIG_FILE", cli_config.display().to_string()),
        ("CHECKPOINT_DISABLE", "1".to_owned()),
        ("TF_IN_AUTOMATION", "1".to_owned()),
        ("TF_INPUT", "0".to_owned()),
    ];
    let keeps_inherited_aws = match access {
        AwsAccess::Local { endpoint } => {
            controlled.extend([
                ("AWS_ENDPOINT_URL", endpoint.clone()),
                ("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID.to_owned()),
                ("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY.to_owned()),
                ("AWS_REGION", REGION.to_owned()),
                ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
            ]);
            false
        }
        AwsAccess::Environment { endpoint } => {
            controlled.extend(endpoint.iter().map(|url| ("AWS_ENDPOINT_URL", url.clone())));
            true
        }
    };
    let overrides_endpoint = controlled.iter().any(|(name, _)| *name == "AWS_ENDPOINT_URL");
    let mut environment: Vec<(String, String)> = inherited
        .into_iter()
        .filter(|(name, _)| {
            let dropped = DROPPED_PREFIXES.iter().any(|prefix| name.starts_with(prefix))
                && !(keeps_inherited_aws && name.starts_with("AWS_"));
            // An inherited service-specific endpoint would win over the one given here.
            let other_endpoint = overrides_endpoint && name.starts_with("AWS_ENDPOINT_URL");
            !dropped && !other_endpoint && !controlled.iter().any(|(controlled_name, _)| controlled_name == name)
        })
        .collect();
    environment.extend(controlled.into_iter().map(|(name, value)| (name.to_owned(), value)));
    for (name, value) in extra {
        environment.retain(|(existing, _)| existing != name);
        environment.push((name.clone(), value.clone()));
    }
    environment
}

/// `args` with `-no-color` and (where accepted) `-input=false` inserted right after the command words, since
/// Terraform stops reading flags at the first positional argument.
pub fn terraform_arguments(args: &[&str]) -> Vec<String> {
    let Some(command) = args.first() else {
        return Vec::new();
    };
    let command_words = match args.get(1) {
        Some(subcommand) if COMMANDS_WITH_SUBCOMMANDS.contains(command) && !subcommand.starts_with('-') => 2,
        _ => 1,
    };
    let mut arguments: Vec<String> = args[..command_words].iter().map(|word| word.to_string()).collect();
    if !args.contains(&"-no-color") {
        arguments.push("-no-color".to_owned());
    }
    if COMMANDS_WITH_INPUT_FLAG.contains(command) && !args.iter().any(|arg| arg.starts_with("-input")) {
        arguments.push("-input=false".to_owned());
    }
    arguments.extend(args[command_words..].iter().map(|arg| arg.to_string()));
    arguments
}

impl Terraform {
    /// A fresh working directory whose commands talk to `target`: a local stack through its proxy, or the AWS
    /// account of the environment.
    pub fn new(target: &impl CognitoAccess) -> Terraform {
        Self::with_access(target.aws_access())
    }

    /// As [`new`](Self::new), for an arbitrary AWS endpoint URL with the local stack's dummy credentials.
    pub fn with_endpoint(endpoint: &str) -> Terraform {
        Self::with_provider_dir(endpoint, &provider_binary_dir())
    }

    /// As [`with_endpoint`](Self::with_endpoint), with dev_overrides pointing at `provider_dir`, whose
    /// `terraform-provider-cognito` Terraform then starts (e.g. a script starting the binary in another root).
    pub fn with_provider_dir(endpoint: &str, provider_dir: &Path) -> Terraform {
        Self::with_access_and_provider_dir(
            AwsAccess::Local {
                endpoint: endpoint.to_owned(),
            },
            provider_dir,
        )
    }

    fn with_access(access: AwsAccess) -> Terraform {
        Self::with_access_and_provider_dir(access, &provider_binary_dir())
    }

    fn with_access_and_provider_dir(access: AwsAccess, provider_dir: &Path) -> Terraform {
        let dir = tempfile::Builder::new()
            .prefix("tf-cognito-")
            .tempdir()
            .expect("create a temporary directory");
        let cli_config = dir.path().join("cli-config.tfrc");
        std::fs::write(&cli_config, cli_config_text(provider_dir)).expect("write the CLI config");
        Terraform {
            dir,
            cli_config,
            access,
            extra_env: Vec::new(),
            timeout: DEFAULT_COMMAND_TIMEOUT,
        }
    }

    /// The working directory (removed when the harness is dropped).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn cli_config_path(&self) -> &Path {
        &self.cli_config
    }

    /// Adds (or replaces) an environment variable for every later command, e.g. `TF_LOG=trace`.
    pub fn env(&mut self, key: &str, value: &str) -> &mut Self {
        self.extra_env.retain(|(existing, _)| existing != key);
        self.extra_env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Writes `main.tf` in the working directory, replacing the previous one.
    pub fn write_config(&self, main_tf: &str) {
        std::fs::write(self.dir().join("main.tf"), main_tf).expect("write main.tf");
    }

    /// The environment every command of this harness runs with.
    pub fn environment(&self) -> Vec<(String, String)> {
        terraform_environment(std::env::vars(), &self.cli_config, &self.access, &self.extra_env)
    }

    /// Runs `terraform <args>` (with `-no-color`, and `-input=false` where accepted) in the working directory.
    /// Panics on `init`, which must never run with dev_overrides, and if `terraform` cannot be started.
    pub fn run(&self, args: &[&str]) -> TfOutput {
        assert!(
            args.first() != Some(&"init"),
            "terraform init must not be run with dev_overrides (it fails offline); the provider is used directly"
        );
        let mut child = Command::new("terraform")
            .args(terraform_arguments(args))
            .current_dir(self.dir())
            .env_clear()
            .envs(self.environment())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("could not run terraform (is it on PATH?): {error}"));
        let stdout = read_in_background(child.stdout.take().expect("stdout is piped"));
        let stderr = read_in_background(child.stderr.take().expect("stderr is piped"));

        let deadline = Instant::now() + self.timeout;
        let mut timed_out = false;
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for terraform") {
                break status;
            }
            if Instant::now() >= deadline {
                timed_out = true;
                let _ = child.kill();
                break child.wait().expect("wait for the killed terraform");
            }
            thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = stderr.join().expect("stderr reader");
        if timed_out {
            stderr.push_str(&format!(
                "\n[harness] terraform {args:?} killed after {:?}\n",
                self.timeout
            ));
        }
        TfOutput {
            status,
            stdout: stdout.join().expect("stdout reader"),
            stderr,
        }
    }

    /// `terraform apply -auto-approve`; panics with the full output unless it succeeds.
    pub fn apply(&self) -> TfOutput {
        let output = self.run(&["apply", "-auto-approve"]);
        assert!(output.success(), "terraform apply failed: {output}");
        output
    }

    /// `terraform plan -detailed-exitcode`: 0 = no changes, 2 = changes; panics with the full output on an error.
    pub fn plan_exit_code(&self) -> i32 {
        let output = self.run(&["plan", "-detailed-exitcode"]);
        assert!(matches!(output.code(), 0 | 2), "terraform plan failed: {output}");
        output.code()
    }

    /// `terraform destroy -auto-approve`; panics with the full output unless it succeeds.
    pub fn destroy(&self) -> TfOutput {
        let output = self.run(&["destroy", "-auto-approve"]);
        assert!(output.success(), "terraform destroy failed: {output}");
        output
    }

    /// The parsed `terraform.tfstate` of the working directory; panics if there is none.
    pub fn state(&self) -> serde_json::Value {
        let path = self.dir().join("terraform.tfstate");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("read {}: {error}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("parse {}: {error}", path.display()))
    }
}

/// Drains a pipe on its own thread so a chatty child never blocks on a full pipe.
fn read_in_background(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

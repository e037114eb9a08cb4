//! The provider binary. Terraform starts it with no arguments; `--debug` starts it by hand for a debugger.

use std::process::ExitCode;
use std::sync::Arc;

use terraform_provider_cognito::plugin::listener::ListenSettings;
use terraform_provider_cognito::plugin::{self, Mode, handshake, logging, name_service};
use terraform_provider_cognito::provider::CognitoProvider;

/// The address users write in `required_providers`; only used to print TF_REATTACH_PROVIDERS in debug mode.
const DEFAULT_PROVIDER_ADDRESS: &str = "example.com/acme/cognito";

const USAGE: &str = "\
terraform-provider-cognito: a Terraform / OpenTofu provider for Amazon Cognito user pool app clients.

Terraform starts this program itself. To run it by hand under a debugger:
  terraform-provider-cognito --debug [--address=HOST/NAMESPACE/cognito]
then export the TF_REATTACH_PROVIDERS line it prints and run terraform in another shell.

Options:
  --debug           serve in plaintext and print TF_REATTACH_PROVIDERS; Ctrl-C stops it
  --address=ADDR    provider source address for TF_REATTACH_PROVIDERS (default example.com/acme/cognito)
  --version         print the version
  --help            print this text
";

fn main() -> ExitCode {
    logging::init();
    // Panics are caught per request and reported as diagnostics; the log gets them as hclog errors rather than
    // as raw text, which Terraform would file under DEBUG.
    std::panic::set_hook(Box::new(|info| tracing::error!(panic = %info, "provider panicked")));
    let mut debug = false;
    let mut address = DEFAULT_PROVIDER_ADDRESS.to_string();
    for argument in std::env::args().skip(1) {
        match argument.as_str() {
            "--debug" | "-debug" => debug = true,
            "--version" | "-version" => {
                println!("terraform-provider-cognito {}", env!("CARGO_PKG_VERSION"));
                return ExitCode::SUCCESS;
            }
            "--help" | "-help" | "-h" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => match other.strip_prefix("--address=") {
                Some(value) if !value.is_empty() => address = value.to_string(),
                _ => {
                    eprintln!("unknown argument {other:?}\n\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
        }
    }

    let mode = if debug {
        Mode::Debug {
            provider_address: address,
        }
    } else {
        let cookie = std::env::var(handshake::MAGIC_COOKIE_KEY).ok();
        let versions = std::env::var("PLUGIN_PROTOCOL_VERSIONS").ok();
        if let Err(error) = handshake::check_launch(cookie.as_deref(), versions.as_deref()) {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
        // Unset means plaintext (Terraform with TF_DISABLE_PLUGIN_TLS). Set means AutoMTLS, whatever the value:
        // an empty or broken certificate is an error, never a reason to serve without TLS.
        let client_certificate_pem = match std::env::var_os("PLUGIN_CLIENT_CERT") {
            None => None,
            Some(value) => match value.into_string() {
                Ok(pem) => Some(pem),
                Err(_) => {
                    eprintln!("terraform-provider-cognito: PLUGIN_CLIENT_CERT is not valid UTF-8");
                    return ExitCode::FAILURE;
                }
            },
        };
        Mode::Managed { client_certificate_pem }
    };
    name_service::use_files_then_dns_in_static_builds();

    // One I/O thread: every RPC waits on Terraform, the AWS API or the quota pacer, and the CPU work per call
    // (decoding, planning, encoding) is usually tens of microseconds. A pool of worker threads would add stacks to
    // the resident memory, and Terraform itself is busy on the other cores. Provider calls run on one more thread
    // (`plugin::worker`), so that a rare huge request cannot hold up StopProvider and Shutdown.
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("could not start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let provider = Arc::new(CognitoProvider::new());
    match runtime.block_on(plugin::serve(provider, mode, &ListenSettings::from_environment())) {
        Ok(()) => {
            // Don't wait for blocked tasks (a stalled AWS call): Terraform wants the process gone.
            runtime.shutdown_timeout(std::time::Duration::from_millis(100));
            ExitCode::SUCCESS
        }
        Err(error) => {
            tracing::error!(%error, "provider stopped");
            eprintln!("terraform-provider-cognito: {error}");
            ExitCode::FAILURE
        }
    }
}

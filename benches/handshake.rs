//! Handshake benchmark: how quickly the provider becomes usable and how much memory it holds, measured the way
//! Terraform experiences it. Terraform starts a fresh provider process for every phase of a run (four per
//! `apply`), so start-up latency and resident memory are paid again and again.
//!
//! Each of 30 runs starts the binary with AutoMTLS (a Terraform-like P-521 `CA:TRUE` client certificate) and
//! measures:
//! - process spawn → validated handshake line;
//! - VmRSS right after the handshake and after one GetProviderSchema over mTLS;
//! - the Shutdown RPC → process exit.
//!
//! It builds nothing itself: the binary is the first non-flag argument, or `target/release/terraform-provider-cognito`
//! (`scripts/bench-handshake` builds that first). It asserts nothing about timings; it prints a table.

#[path = "../tests/support/plugin_client.rs"]
mod plugin_client;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use plugin_client::{ClientIdentity, PluginError, PluginOptions, PluginProcess};
use terraform_provider_cognito::proto::tfplugin6::get_provider_schema;

const RUNS: usize = 30;

/// One run's measurements.
struct Sample {
    startup: Duration,
    resident_after_handshake_kib: u64,
    resident_after_schema_kib: u64,
    shutdown: Duration,
}

#[derive(Debug, thiserror::Error)]
enum BenchError {
    #[error(transparent)]
    Plugin(#[from] PluginError),
    #[error("GetProviderSchema failed: {0}")]
    Schema(#[from] tonic::Status),
    #[error("could not start the async runtime: {0}")]
    Runtime(std::io::Error),
    #[error("{0} does not exist; build it first (scripts/bench-handshake does)")]
    MissingBinary(PathBuf),
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("handshake benchmark failed: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo bench` passes `--bench` (and libtest-style flags) to a harness-less benchmark; skip every flag.
fn binary_from_arguments() -> PathBuf {
    std::env::args_os()
        .skip(1)
        .find(|argument| !argument.to_string_lossy().starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/terraform-provider-cognito"))
}

fn run() -> Result<(), BenchError> {
    let binary = binary_from_arguments();
    if !binary.is_file() {
        return Err(BenchError::MissingBinary(binary));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(BenchError::Runtime)?;
    let samples = runtime.block_on(measure(&binary))?;
    print_report(&binary, &samples);
    Ok(())
}

async fn measure(binary: &std::path::Path) -> Result<Vec<Sample>, BenchError> {
    let mut samples = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        // A new certificate per run, like Terraform, but generated before the clock starts: key generation is
        // Terraform's cost, not the provider's.
        let identity = Arc::new(ClientIdentity::generate_like_terraform().map_err(PluginError::from)?);
        let mut process = PluginProcess::start(PluginOptions::like_terraform_with_identity(binary, identity)).await?;
        let startup = process.startup_time();
        let resident_after_handshake_kib = process.resident_set_kib()?;

        let channel = process.connect().await?;
        channel
            .provider()
            .get_provider_schema(get_provider_schema::Request {})
            .await?;
        let resident_after_schema_kib = process.resident_set_kib()?;
        drop(channel);

        let outcome = process.shutdown().await?;
        samples.push(Sample {
            startup,
            resident_after_handshake_kib,
            resident_after_schema_kib,
            shutdown: outcome.elapsed,
        });
    }
    Ok(samples)
}

/// Minimum, median and maximum of a non-empty list.
struct Spread<T> {
    min: T,
    median: T,
    max: T,
}

impl<T: Copy + Ord> Spread<T> {
    fn of(mut values: Vec<T>) -> Self {
        values.sort_unstable();
        Self {
            min: values[0],
            median: values[values.len() / 2],
            max: values[values.len() - 1],
        }
    }

    fn map(self, format: impl Fn(T) -> String) -> Spread<String> {
        Spread {
            min: format(self.min),
            median: format(self.median),
            max: format(self.max),
        }
    }
}

fn milliseconds(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1000.0)
}

fn mebibytes(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}

fn print_row(name: &str, spread: Spread<String>) {
    println!("{name:<36} {:>10} {:>10} {:>10}", spread.min, spread.median, spread.max);
}

fn print_report(binary: &std::path::Path, samples: &[Sample]) {
    let column = |measure: fn(&Sample) -> Duration| Spread::of(samples.iter().map(measure).collect());
    let memory = |measure: fn(&Sample) -> u64| Spread::of(samples.iter().map(measure).collect());

    println!("binary: {}", binary.display());
    println!("runs:   {} (AutoMTLS, P-521 CA:TRUE client certificate)", samples.len());
    println!();
    println!("{:<36} {:>10} {:>10} {:>10}", "measurement", "min", "median", "max");
    print_row(
        "spawn -> handshake line (ms)",
        column(|sample| sample.startup).map(milliseconds),
    );
    print_row(
        "VmRSS after handshake (MiB)",
        memory(|sample| sample.resident_after_handshake_kib).map(mebibytes),
    );
    print_row(
        "VmRSS after GetProviderSchema (MiB)",
        memory(|sample| sample.resident_after_schema_kib).map(mebibytes),
    );
    print_row(
        "Shutdown RPC -> exit (ms)",
        column(|sample| sample.shutdown).map(milliseconds),
    );
}

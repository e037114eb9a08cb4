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
//! It builds nothing itself: the binary is the first non-flag argument (`scripts/bench-handshake` builds the release
//! binaries and passes them), else the one cargo built with this benchmark. It asserts nothing about timings; it
//! prints a table. `scripts/bench` reports the same figures in its summary table.

#[path = "common/handshake.rs"]
mod handshake_runs;
#[path = "../tests/support/plugin_client.rs"]
mod plugin_client;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use handshake_runs::{HandshakeError, Sample, Spread};

const RUNS: usize = 30;

#[derive(Debug, thiserror::Error)]
enum BenchError {
    #[error(transparent)]
    Handshake(#[from] HandshakeError),
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
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-cognito")))
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
    let samples = runtime.block_on(handshake_runs::measure(&binary, RUNS))?;
    print_report(&binary, &samples);
    Ok(())
}

fn milliseconds(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1000.0)
}

fn mebibytes(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}

fn print_row(name: &str, spread: Option<Spread<String>>) {
    if let Some(spread) = spread {
        println!("{name:<36} {:>10} {:>10} {:>10}", spread.min, spread.median, spread.max);
    }
}

fn print_report(binary: &std::path::Path, samples: &[Sample]) {
    let column = |measure: fn(&Sample) -> Duration| Spread::of(samples.iter().map(measure).collect());
    let memory = |measure: fn(&Sample) -> u64| Spread::of(samples.iter().map(measure).collect());

    println!("binary: {}", binary.display());
    if let Ok(metadata) = std::fs::metadata(binary) {
        println!(
            "size:   {} bytes ({:.2} MB)",
            metadata.len(),
            metadata.len() as f64 / 1e6
        );
    }
    println!("runs:   {} (AutoMTLS, P-521 CA:TRUE client certificate)", samples.len());
    println!();
    println!("{:<36} {:>10} {:>10} {:>10}", "measurement", "min", "median", "max");
    print_row(
        "spawn -> handshake line (ms)",
        column(|sample| sample.startup).map(|spread| spread.map(milliseconds)),
    );
    print_row(
        "VmRSS after handshake (MiB)",
        memory(|sample| sample.resident_after_handshake_kib).map(|spread| spread.map(mebibytes)),
    );
    print_row(
        "VmRSS after GetProviderSchema (MiB)",
        memory(|sample| sample.resident_after_schema_kib).map(|spread| spread.map(mebibytes)),
    );
    print_row(
        "Shutdown RPC -> exit (ms)",
        column(|sample| sample.shutdown).map(|spread| spread.map(milliseconds)),
    );
}

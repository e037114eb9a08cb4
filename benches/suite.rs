//! The benchmark suite behind `scripts/bench`: every figure of the performance targets, measured on this machine in
//! one run, printed as one table.
//!
//! - binary size of the release build (the release profile strips it);
//! - handshake latency over 30 AutoMTLS starts (min / median / max) and VmRSS after the handshake;
//! - the peak resident memory (VmHWM) of the provider processes while `terraform plan` plans 500 clients;
//! - `terraform plan -refresh=false` wall time for 1, 50 and 500 clients, each next to the same configuration of
//!   `terraform_data` resources (Terraform's built-in resource, no provider process: the floor) and next to
//!   `terraform_data` carrying the whole planned object (the same-shape floor), in the same run, interleaved,
//!   medians of [`PLAN_RUNS`];
//! - against the local Cognito stack (moto behind the proxy of tests/support/local_cognito.py): apply, refresh plan
//!   and destroy of 200 clients (medians of [`STACK_RUNS`]), and the quota-bound apply of 100 clients in one pool
//!   with the proxy's per-operation-per-pool limit of 5 requests per second: the sustained rate of its creates, and
//!   its wall time against 1.10 × the 20 s floor with none refused;
//! - concurrent applies into one pool behind the same limit: 3 and 6 runs of [`CONCURRENT_CLIENTS`] clients each,
//!   with the shared rate limiter and without it (as runs on separate machines): how many succeed, wall time
//!   against the floor of all creates at 5/s, and refusals as a share of the requests sent; next to Terraform's own
//!   start-up (an apply with nothing to do);
//! - the criterion medians of `benches/codec.rs` and `benches/planning.rs` (planning and validation), read from criterion's output directory
//!   (`$CRITERION_HOME`) when those benchmarks have run (`scripts/bench` runs them first).
//!
//! The provider measured is the binary named by the first argument (`scripts/bench` passes the `cargo build
//! --release` binary), else this build's (`CARGO_BIN_EXE_terraform-provider-cognito`). Nothing here asserts
//! timings: it measures and reports, marking each figure against its target.

#[path = "common/handshake.rs"]
mod handshake_runs;
// The integration tests' support; the suite uses only part of it.
#[allow(dead_code, unused_imports)]
#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use handshake_runs::{HandshakeError, Spread};
use support::LocalCognito;
use support::local_cognito::StackError;
use support::terraform::{PROVIDER_PREAMBLE, Terraform, cli_config_text, terraform_arguments};
// `handshake_runs` reaches the plugin client as `crate::plugin_client`.
use support::plugin_client;

/// Handshake starts (the issue asks for 30).
const HANDSHAKE_RUNS: usize = 30;
/// Repetitions of each `plan -refresh=false` measurement.
const PLAN_RUNS: usize = 5;
/// Client counts of the plan comparison.
const PLAN_COUNTS: [usize; 3] = [1, 50, 500];
/// Repetitions of the apply / refresh plan / destroy cycle against the local Cognito.
const STACK_RUNS: usize = 3;
const STACK_CLIENTS: usize = 200;
/// The quota-bound apply: clients in one pool, and the pool's quota per operation.
const QUOTA_CLIENTS: usize = 100;
const QUOTA_PER_SECOND: usize = 5;
/// Clients per run in the concurrent applies.
const CONCURRENT_CLIENTS: usize = 15;
/// The user pool of the plan-only workspaces (no request is made). Its ID begins with the Region the harness gives
/// the provider (`support::local_cognito::REGION`): the provider refuses a pool of another Region at plan time, and
/// every plan here would fail.
const PLAN_POOL: &str = "us-east-1_AbCdEfGhI";
/// Any endpoint will do where the provider makes no AWS call (plans without refresh); nothing listens here.
const UNUSED_ENDPOINT: &str = "http://127.0.0.1:9";
/// How often the memory sampler looks at the provider processes during a plan.
const SAMPLE_INTERVAL: Duration = Duration::from_millis(2);
/// The first 15 bytes of the binary name: what `/proc/<pid>/stat` shows as the command.
const PROVIDER_COMM_PREFIX: &str = "terraform-provi";

#[derive(Debug, thiserror::Error)]
enum SuiteError {
    #[error("could not start the async runtime: {0}")]
    Runtime(std::io::Error),
    #[error("could not read the provider binary {path}: {source}")]
    Binary { path: PathBuf, source: std::io::Error },
    #[error("handshake runs failed: {0}")]
    Handshake(#[from] HandshakeError),
    #[error("could not run terraform: {0}")]
    Spawn(std::io::Error),
    #[error("terraform {command} failed ({status}):\n{output}")]
    Terraform {
        command: String,
        status: String,
        output: String,
    },
    #[error(transparent)]
    Stack(#[from] StackError),
    #[error("could not write the CLI configuration: {0}")]
    Workspace(std::io::Error),
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("benchmark suite failed: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The provider to measure: the first argument that is not a flag (`cargo bench` adds `--bench`), else this
/// build's binary.
fn binary_from_arguments() -> PathBuf {
    std::env::args_os()
        .skip(1)
        .find(|argument| !argument.to_string_lossy().starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-cognito")))
}

fn run() -> Result<(), SuiteError> {
    let binary = binary_from_arguments();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(SuiteError::Runtime)?;
    let mut table = Table::default();

    progress("binary size");
    let size = std::fs::metadata(&binary)
        .map_err(|source| SuiteError::Binary {
            path: binary.clone(),
            source,
        })?
        .len();
    table.row(
        "release binary (stripped)",
        format!("{:.2} MB", size as f64 / 1e6),
        "≤ 10 MB",
        verdict(size as f64 <= 10e6),
    );

    progress("handshake, 30 AutoMTLS starts");
    let samples = runtime.block_on(handshake_runs::measure(&binary, HANDSHAKE_RUNS))?;
    if let Some(startup) = Spread::of(samples.iter().map(|sample| sample.startup).collect()) {
        let met = verdict(startup.median <= Duration::from_millis(5));
        let text = startup.map(milliseconds);
        table.row(
            "handshake, AutoMTLS (min / median / max)",
            format!("{} / {} / {} ms", text.min, text.median, text.max),
            "median ≤ 5 ms",
            met,
        );
    }
    if let Some(resident) = Spread::of(
        samples
            .iter()
            .map(|sample| sample.resident_after_handshake_kib)
            .collect(),
    ) {
        table.row(
            "RSS after handshake (median)",
            megabytes(resident.median),
            "≤ 8 MB",
            verdict(resident.median as f64 * 1024.0 <= 8e6),
        );
    }
    if let Some(resident) = Spread::of(samples.iter().map(|sample| sample.resident_after_schema_kib).collect()) {
        table.row(
            "RSS after GetProviderSchema (median)",
            megabytes(resident.median),
            "-",
            Verdict::Info,
        );
    }
    if let Some(shutdown) = median(samples.iter().map(|sample| sample.shutdown).collect()) {
        table.row(
            "Shutdown RPC -> exit (median)",
            format!("{} ms", milliseconds(shutdown)),
            "-",
            Verdict::Info,
        );
    }

    progress("peak RSS while planning 500 clients");
    let workspace = Workspace::new(&binary, UNUSED_ENDPOINT, &cognito_clients_config(500, PLAN_POOL))?;
    let figure = "RSS peak (VmHWM) planning 500 clients";
    match workspace.peak_provider_memory(&["plan", "-refresh=false"])? {
        Some(peak_kib) => table.row(
            figure,
            megabytes(peak_kib),
            "≤ 30 MB",
            verdict(peak_kib as f64 * 1024.0 <= 30e6),
        ),
        // Nothing sampled is no measurement: 0 MB would read as a target met.
        None => table.row(
            figure,
            "not measured: no provider process was sampled".to_owned(),
            "≤ 30 MB",
            Verdict::Miss,
        ),
    }

    plan_comparison(&mut table, &binary)?;
    stack_cycles(&mut table, &runtime, &binary)?;
    quota_bound_apply(&mut table, &runtime, &binary)?;
    concurrent_applies(&mut table, &runtime, &binary)?;
    criterion_figures(&mut table);

    table.print();
    Ok(())
}

/// `plan -refresh=false` for each count, against two floors, all three interleaved so they see the same machine
/// state: `terraform_data` with the same expressions (the issue's floor), and `terraform_data` carrying the whole
/// planned object (the same-shape floor, see [`same_shape_config`]).
fn plan_comparison(table: &mut Table, binary: &Path) -> Result<(), SuiteError> {
    let planned = planned_client(binary)?;
    for count in PLAN_COUNTS {
        progress(&format!(
            "plan -refresh=false, {count} clients vs terraform_data, {PLAN_RUNS} runs"
        ));
        let cognito = Workspace::new(binary, UNUSED_ENDPOINT, &cognito_clients_config(count, PLAN_POOL))?;
        let floor = Workspace::new(binary, UNUSED_ENDPOINT, &terraform_data_config(count))?;
        let same_shape = Workspace::new(binary, UNUSED_ENDPOINT, &same_shape_config(count, &planned))?;
        let workspaces = [&cognito, &floor, &same_shape];
        // One unmeasured run each: Terraform's first start in a directory reads more from disk.
        for workspace in workspaces {
            workspace.timed(&["plan", "-refresh=false"])?;
        }
        let mut times: [Vec<Duration>; 3] = Default::default();
        for _ in 0..PLAN_RUNS {
            for (workspace, samples) in workspaces.iter().zip(times.iter_mut()) {
                samples.push(workspace.timed(&["plan", "-refresh=false"])?);
            }
        }
        let [Some(provider), Some(floor), Some(same_shape)] = times.map(median) else {
            continue;
        };
        let ratio = provider.as_secs_f64() / floor.as_secs_f64();
        let (target, met) = if count == 500 {
            ("≤ 1.25 × floor", verdict(ratio <= 1.25))
        } else {
            ("-", Verdict::Info)
        };
        table.row(
            &format!("plan -refresh=false, {count} clients"),
            format!("{} s vs {} s floor = {ratio:.2}×", seconds(provider), seconds(floor)),
            target,
            met,
        );
        table.row(
            &format!("  same, vs same-shape floor ({} attributes and blocks)", planned.len()),
            format!(
                "{} s vs {} s = {:.2}×",
                seconds(provider),
                seconds(same_shape),
                provider.as_secs_f64() / same_shape.as_secs_f64()
            ),
            "-",
            Verdict::Info,
        );
    }
    Ok(())
}

/// Apply, refresh plan and destroy of [`STACK_CLIENTS`] clients, [`STACK_RUNS`] times, each in a fresh pool.
fn stack_cycles(table: &mut Table, runtime: &tokio::runtime::Runtime, binary: &Path) -> Result<(), SuiteError> {
    progress(&format!(
        "apply / refresh plan / destroy of {STACK_CLIENTS} clients against the local Cognito, {STACK_RUNS} runs"
    ));
    let stack = LocalCognito::try_start()?;
    let mut applies = Vec::with_capacity(STACK_RUNS);
    let mut plans = Vec::with_capacity(STACK_RUNS);
    let mut destroys = Vec::with_capacity(STACK_RUNS);
    for run in 0..STACK_RUNS {
        let pool = runtime.block_on(stack.create_user_pool(&format!("bench-{run}")));
        let workspace = Workspace::new(binary, stack.endpoint(), &cognito_clients_config(STACK_CLIENTS, &pool))?;
        applies.push(workspace.timed(&["apply", "-auto-approve"])?);
        plans.push(workspace.timed(&["plan"])?);
        destroys.push(workspace.timed(&["destroy", "-auto-approve"])?);
    }
    for (name, times) in [
        ("apply", applies),
        ("refresh plan (no changes)", plans),
        ("destroy", destroys),
    ] {
        if let Some(time) = median(times) {
            table.row(
                &format!("{name}, {STACK_CLIENTS} clients, local Cognito"),
                format!("{} s", seconds(time)),
                "-",
                Verdict::Info,
            );
        }
    }
    Ok(())
}

/// [`QUOTA_CLIENTS`] creates in one pool whose CreateUserPoolClient quota is [`QUOTA_PER_SECOND`].
///
/// The figure is the sustained rate of accepted creates, against the quota: the proxy's bucket starts full, so the
/// first [`QUOTA_PER_SECOND`] creates pass at once and say nothing about pacing; the rate is taken over the creates
/// after that burst, from the proxy's arrival times. The target is 90 % of the quota. The wall time is reported
/// next to it, for information.
fn quota_bound_apply(table: &mut Table, runtime: &tokio::runtime::Runtime, binary: &Path) -> Result<(), SuiteError> {
    progress(&format!(
        "quota-bound apply: {QUOTA_CLIENTS} clients in one pool at {QUOTA_PER_SECOND} requests/s"
    ));
    let stack = LocalCognito::try_start()?;
    let pool = runtime.block_on(stack.create_user_pool("bench-quota"));
    stack.set_faults(serde_json::json!({ "rate_limit_per_second": QUOTA_PER_SECOND }));
    let workspace = Workspace::new(binary, stack.endpoint(), &cognito_clients_config(QUOTA_CLIENTS, &pool))?;
    let outcome = workspace.timed(&["apply", "-auto-approve"]);
    let creates = stack.requests_for("CreateUserPoolClient");
    let refused = creates
        .iter()
        .filter(|request| request.fault.as_deref() == Some("rate_limit"))
        .count();
    let accepted: Vec<f64> = creates
        .iter()
        .filter(|request| request.status == 200)
        .map(|request| request.timestamp)
        .collect();
    let name = format!("quota-bound apply, {QUOTA_CLIENTS} clients at {QUOTA_PER_SECOND}/s");
    let quota = QUOTA_PER_SECOND as f64;
    let target = format!("sustained ≥ {:.1}/s (0.9 × quota)", 0.9 * quota);
    let counts = format!("{} create requests, {refused} refused by the quota", creates.len());
    let time = match outcome {
        Ok(time) => time,
        Err(SuiteError::Terraform { status, .. }) => {
            table.row(
                &name,
                format!("apply failed ({status}); {counts}"),
                &target,
                Verdict::Miss,
            );
            return Ok(());
        }
        Err(other) => return Err(other),
    };
    match sustained_rate(&accepted, QUOTA_PER_SECOND) {
        Some(rate) => table.row(
            &name,
            format!("{rate:.2}/s sustained; {counts}"),
            &target,
            verdict(rate >= 0.9 * quota),
        ),
        None => table.row(
            &name,
            format!(
                "not measured: {} creates accepted, too few past the first burst; {counts}",
                accepted.len()
            ),
            &target,
            Verdict::Miss,
        ),
    }
    let floor = Duration::from_secs((QUOTA_CLIENTS / QUOTA_PER_SECOND) as u64);
    table.row(
        "  same, wall time of the apply",
        format!("{} s, {refused} refused", seconds(time)),
        &format!(
            "≤ {} s (1.10 × {} s), none refused",
            seconds(floor.mul_f64(1.1)),
            seconds(floor)
        ),
        verdict(time <= floor.mul_f64(1.1) && refused == 0),
    );
    Ok(())
}

/// 3 and 6 runs of [`CONCURRENT_CLIENTS`] clients each, applied at once into one pool whose quota per operation
/// is [`QUOTA_PER_SECOND`], with the shared rate limiter (the default) and without it. The floor is all the runs'
/// creates at the quota; the targets: every run succeeds, and with three runs sharing the limiter, wall time within
/// 1.5 × the floor plus Terraform's own start-up, and at most 5 % of the requests refused.
fn concurrent_applies(table: &mut Table, runtime: &tokio::runtime::Runtime, binary: &Path) -> Result<(), SuiteError> {
    progress("Terraform start-up: an apply with nothing to do");
    let idle = Workspace::new(binary, UNUSED_ENDPOINT, PROVIDER_PREAMBLE)?;
    let startup = median(
        (0..3)
            .map(|_| idle.timed(&["apply", "-auto-approve"]))
            .collect::<Result<_, _>>()?,
    )
    .unwrap_or_default();
    table.row(
        "terraform start-up (apply with nothing to do)",
        format!("{} s", seconds(startup)),
        "-",
        Verdict::Info,
    );
    for runs in [3, 6] {
        for shared in [true, false] {
            let limiter = if shared { "shared limiter" } else { "limiter off" };
            progress(&format!(
                "{runs} concurrent applies of {CONCURRENT_CLIENTS} clients into one pool, {limiter}"
            ));
            let stack = LocalCognito::try_start()?;
            let pool = runtime.block_on(stack.create_user_pool("bench-concurrent"));
            stack.set_faults(serde_json::json!({ "rate_limit_per_second": QUOTA_PER_SECOND }));
            let workspaces = (0..runs)
                .map(|run| {
                    Workspace::new(
                        binary,
                        stack.endpoint(),
                        &concurrent_config(&pool, &format!("run{run}"), shared),
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            let started = Instant::now();
            let succeeded = std::thread::scope(|scope| {
                let applies: Vec<_> = workspaces
                    .iter()
                    .map(|workspace| scope.spawn(|| workspace.timed(&["apply", "-auto-approve"]).is_ok()))
                    .collect();
                applies
                    .into_iter()
                    .map(|apply| apply.join().unwrap_or(false))
                    .filter(|succeeded| *succeeded)
                    .count()
            });
            let wall = started.elapsed();
            let requests = stack.requests();
            let refused = requests
                .iter()
                .filter(|request| request.fault.as_deref() == Some("rate_limit"))
                .count();
            let share = 100.0 * refused as f64 / requests.len().max(1) as f64;
            let floor = Duration::from_secs_f64((runs * CONCURRENT_CLIENTS) as f64 / QUOTA_PER_SECOND as f64);
            let measured = format!(
                "{succeeded}/{runs} succeeded; {} s (floor {} s); {refused} of {} requests refused ({share:.1} %)",
                seconds(wall),
                seconds(floor),
                requests.len()
            );
            let name = format!("{runs} concurrent applies × {CONCURRENT_CLIENTS} clients, one pool, {limiter}");
            if runs == 3 && shared {
                let bound = floor.mul_f64(1.5) + startup;
                table.row(
                    &name,
                    measured,
                    &format!(
                        "all succeed; ≤ {} s (1.5 × floor + start-up); ≤ 5 % refused",
                        seconds(bound)
                    ),
                    verdict(succeeded == runs && wall <= bound && share <= 5.0),
                );
            } else {
                table.row(&name, measured, "all succeed", verdict(succeeded == runs));
            }
        }
    }
    Ok(())
}

/// [`CONCURRENT_CLIENTS`] clients named `<prefix>-<index>` in `pool`; `shared` sets `shared_rate_limiter`.
fn concurrent_config(pool: &str, prefix: &str, shared: bool) -> String {
    format!(
        r#"terraform {{
  required_providers {{
    cognito = {{ source = "example.com/acme/cognito" }}
  }}
}}

provider "cognito" {{
  shared_rate_limiter = {shared}
}}

resource "cognito_user_pool_client" "client" {{
  count        = {CONCURRENT_CLIENTS}
  user_pool_id = "{pool}"
  name         = "{prefix}-${{count.index}}"
}}
"#
    )
}

/// Requests per second over `arrivals` (epoch seconds) after the first `burst`, which a full bucket lets through
/// at once; `None` without at least two arrivals after the burst, or when they share one instant.
fn sustained_rate(arrivals: &[f64], burst: usize) -> Option<f64> {
    let mut sorted = arrivals.to_vec();
    sorted.sort_by(f64::total_cmp);
    let paced = sorted.get(burst..)?;
    let (first, last) = (paced.first()?, paced.last()?);
    let span = last - first;
    (paced.len() >= 2 && span > 0.0).then(|| (paced.len() - 1) as f64 / span)
}

/// The criterion medians `scripts/bench` produced just before this run.
fn criterion_figures(table: &mut Table) {
    let home = std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench/criterion"));
    let figures = [
        (
            "client_state/msgpack_decode_encode",
            "full client state msgpack decode + encode",
            Some(20_000.0),
        ),
        ("client_state/msgpack_decode", "full client state msgpack decode", None),
        ("client_state/msgpack_encode", "full client state msgpack encode", None),
        (
            "client_state/json_decode_lenient",
            "full client state JSON decode (state upgrade)",
            None,
        ),
        ("plan/create", "plan one client: create", None),
        ("plan/no_change", "plan one client: no change", None),
        ("validate/full_config", "validate one client configuration", None),
    ];
    for (id, name, target_nanoseconds) in figures {
        let (measured, met) = match criterion_median(&home, id) {
            Some(nanoseconds) => (
                format!("{:.2} µs", nanoseconds / 1000.0),
                target_nanoseconds.map_or(Verdict::Info, |target| verdict(nanoseconds <= target)),
            ),
            None => (
                format!("not measured (cargo bench --bench {})", bench_of(id)),
                Verdict::Info,
            ),
        };
        let target = target_nanoseconds.map_or("-".to_string(), |target| format!("≤ {:.0} µs", target / 1000.0));
        table.row(&format!("{name} (criterion median)"), measured, &target, met);
    }
}

fn bench_of(criterion_id: &str) -> &'static str {
    if criterion_id.starts_with("plan/") || criterion_id.starts_with("validate/") {
        "planning"
    } else {
        "codec"
    }
}

/// `median.point_estimate` (nanoseconds) of criterion's latest estimates for `id`.
fn criterion_median(home: &Path, id: &str) -> Option<f64> {
    let text = std::fs::read_to_string(home.join(id).join("new/estimates.json")).ok()?;
    let estimates: serde_json::Value = serde_json::from_str(&text).ok()?;
    estimates.get("median")?.get("point_estimate")?.as_f64()
}

// ---------------------------------------------------------------------------------------------------------------
// Terraform runs

/// A Terraform working directory with one configuration, using this build's provider through dev_overrides.
struct Workspace {
    harness: Terraform,
}

impl Workspace {
    /// A directory whose CLI configuration points dev_overrides at `binary`'s directory.
    fn new(binary: &Path, endpoint: &str, main_tf: &str) -> Result<Workspace, SuiteError> {
        let harness = Terraform::with_endpoint(endpoint);
        let provider_dir = binary.parent().unwrap_or(Path::new("."));
        std::fs::write(harness.cli_config_path(), cli_config_text(provider_dir)).map_err(SuiteError::Workspace)?;
        harness.write_config(main_tf);
        Ok(Workspace { harness })
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("terraform");
        command
            .args(terraform_arguments(args))
            .current_dir(self.harness.dir())
            .env_clear()
            .envs(self.harness.environment())
            .stdin(Stdio::null());
        command
    }

    /// Wall time of `terraform <args>`, which must succeed.
    fn timed(&self, args: &[&str]) -> Result<Duration, SuiteError> {
        let started = Instant::now();
        let output = self.command(args).output().map_err(SuiteError::Spawn)?;
        let elapsed = started.elapsed();
        if !output.status.success() {
            return Err(SuiteError::Terraform {
                command: args.join(" "),
                status: output.status.to_string(),
                output: format!(
                    "{}{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                ),
            });
        }
        Ok(elapsed)
    }

    /// Runs `terraform <args>` while sampling the peak resident memory (VmHWM) of every provider process it
    /// starts; returns the largest, in KiB, or `None` when no provider process was ever sampled. Not timed: the
    /// sampling itself costs CPU.
    fn peak_provider_memory(&self, args: &[&str]) -> Result<Option<u64>, SuiteError> {
        let mut child = self
            .command(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(SuiteError::Spawn)?;
        let terraform_pid = child.id();
        // Read while Terraform runs: a full pipe (64 KiB of diagnostics) would block it, and this loop with it.
        let stderr = child
            .stderr
            .take()
            .map(|pipe| std::thread::spawn(move || std::io::read_to_string(pipe).unwrap_or_default()));
        let mut peaks: HashMap<u32, u64> = HashMap::new();
        let status = loop {
            for pid in provider_children(terraform_pid) {
                if let Some(kib) = status_field_kib(pid, "VmHWM:") {
                    let peak = peaks.entry(pid).or_default();
                    *peak = (*peak).max(kib);
                }
            }
            if let Some(status) = child.try_wait().map_err(SuiteError::Spawn)? {
                break status;
            }
            std::thread::sleep(SAMPLE_INTERVAL);
        };
        let stderr = stderr.and_then(|reader| reader.join().ok()).unwrap_or_default();
        if !status.success() {
            return Err(SuiteError::Terraform {
                command: args.join(" "),
                status: status.to_string(),
                output: stderr,
            });
        }
        Ok(peaks.into_values().max())
    }
}

/// Processes whose parent is `parent` and whose command is the provider binary.
fn provider_children(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                return false;
            };
            // `pid (comm) state ppid ...`; comm may hold spaces and parentheses, so split at the last ')'.
            let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
                return false;
            };
            let comm = &stat[open + 1..close];
            let ppid = stat[close + 1..]
                .split_whitespace()
                .nth(1)
                .and_then(|field| field.parse::<u32>().ok());
            comm.starts_with(PROVIDER_COMM_PREFIX) && ppid == Some(parent)
        })
        .collect()
}

/// A `kB` field of `/proc/<pid>/status`, e.g. `VmHWM:`.
fn status_field_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The arguments of every benchmarked client, as HCL expressions: the resource, the floor and the same-shape floor
/// all use these, so the three configurations differ only in who plans them.
const CLIENT_ARGUMENTS: [(&str, &str); 7] = [
    ("name", r#""bench-client-${count.index}""#),
    (
        "explicit_auth_flows",
        r#"["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]"#,
    ),
    ("allowed_oauth_flows_user_pool_client", "true"),
    ("allowed_oauth_flows", r#"["code"]"#),
    ("allowed_oauth_scopes", r#"["openid", "email"]"#),
    ("callback_urls", r#"["https://app${count.index}.example.com/callback"]"#),
    ("supported_identity_providers", r#"["COGNITO"]"#),
];

fn client_arguments_hcl(indent: &str) -> String {
    CLIENT_ARGUMENTS
        .iter()
        .map(|(name, expression)| format!("{indent}{name} = {expression}\n"))
        .collect()
}

/// `count` clients with a typical web-client configuration, all in `pool`.
fn cognito_clients_config(count: usize, pool: &str) -> String {
    format!(
        r#"{PROVIDER_PREAMBLE}
resource "cognito_user_pool_client" "client" {{
  count        = {count}
  user_pool_id = "{pool}"
{arguments}}}
"#,
        arguments = client_arguments_hcl("  "),
    )
}

/// The floor: the same number of resources with the same expressions, handled by Terraform alone.
fn terraform_data_config(count: usize) -> String {
    format!(
        r#"resource "terraform_data" "client" {{
  count = {count}
  input = {{
    user_pool_id = "{PLAN_POOL}"
{arguments}  }}
}}
"#,
        arguments = client_arguments_hcl("    "),
    )
}

/// The same-shape floor: `terraform_data` whose input is the whole object the provider plans for one client (every
/// attribute of the schema, Cognito's defaults spelled out), with the configured arguments as the same expressions.
/// Terraform's per-attribute work (evaluating, diffing, rendering 25 attributes and blocks instead of 8) is then in
/// the floor too, and what remains between the two is the provider and the plugin protocol.
fn same_shape_config(count: usize, planned: &serde_json::Map<String, serde_json::Value>) -> String {
    let configured: HashMap<&str, &str> = CLIENT_ARGUMENTS.into_iter().collect();
    let attributes: String = planned
        .iter()
        .map(|(name, value)| match configured.get(name.as_str()) {
            Some(expression) => format!("    {name} = {expression}\n"),
            // JSON is valid HCL expression syntax for every value a plan holds.
            None => format!("    {name} = {value}\n"),
        })
        .collect();
    format!(
        r#"resource "terraform_data" "client" {{
  count = {count}
  input = {{
{attributes}  }}
}}
"#
    )
}

/// The object the provider plans for one client of [`cognito_clients_config`], from `terraform show -json`.
fn planned_client(binary: &Path) -> Result<serde_json::Map<String, serde_json::Value>, SuiteError> {
    let workspace = Workspace::new(binary, UNUSED_ENDPOINT, &cognito_clients_config(1, PLAN_POOL))?;
    workspace.timed(&["plan", "-refresh=false", "-out=one.tfplan"])?;
    let output = workspace
        .command(&["show", "-json", "one.tfplan"])
        .output()
        .map_err(SuiteError::Spawn)?;
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).map_err(|error| SuiteError::Terraform {
        command: "show -json one.tfplan".to_owned(),
        status: output.status.to_string(),
        output: format!("not a JSON plan ({error}): {}", String::from_utf8_lossy(&output.stderr)),
    })?;
    match &plan["resource_changes"][0]["change"]["after"] {
        serde_json::Value::Object(after) => Ok(after.clone()),
        other => Err(SuiteError::Terraform {
            command: "show -json one.tfplan".to_owned(),
            status: output.status.to_string(),
            output: format!("no planned object in the plan: {other}"),
        }),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Report

#[derive(Clone, Copy)]
enum Verdict {
    Met,
    Miss,
    /// A figure without a target.
    Info,
}

fn verdict(met: bool) -> Verdict {
    if met { Verdict::Met } else { Verdict::Miss }
}

impl Verdict {
    fn text(self) -> &'static str {
        match self {
            Verdict::Met => "ok",
            Verdict::Miss => "MISS",
            Verdict::Info => "",
        }
    }
}

struct Row {
    figure: String,
    measured: String,
    target: String,
    verdict: Verdict,
}

#[derive(Default)]
struct Table {
    rows: Vec<Row>,
}

impl Table {
    fn row(&mut self, figure: &str, measured: String, target: &str, verdict: Verdict) {
        self.rows.push(Row {
            figure: figure.to_string(),
            measured,
            target: target.to_string(),
            verdict,
        });
    }

    /// A Markdown table, columns padded so it also reads well in a terminal.
    fn print(&self) {
        let width = |column: fn(&Row) -> &str, header: &str| {
            self.rows
                .iter()
                .map(|row| column(row).chars().count())
                .chain([header.chars().count()])
                .max()
                .unwrap_or(0)
        };
        let figure_width = width(|row| &row.figure, "figure");
        let measured_width = width(|row| &row.measured, "measured");
        let target_width = width(|row| &row.target, "target");
        let pad = |text: &str, width: usize| format!("{text}{}", " ".repeat(width - text.chars().count()));
        println!(
            "| {} | {} | {} | verdict |",
            pad("figure", figure_width),
            pad("measured", measured_width),
            pad("target", target_width)
        );
        println!(
            "|-{}-|-{}-|-{}-|---------|",
            "-".repeat(figure_width),
            "-".repeat(measured_width),
            "-".repeat(target_width)
        );
        for row in &self.rows {
            println!(
                "| {} | {} | {} | {:<7} |",
                pad(&row.figure, figure_width),
                pad(&row.measured, measured_width),
                pad(&row.target, target_width),
                row.verdict.text()
            );
        }
    }
}

/// Progress goes to stderr, so stdout holds only the table.
fn progress(step: &str) {
    eprintln!("bench: {step}");
}

fn median(values: Vec<Duration>) -> Option<Duration> {
    Spread::of(values).map(|spread| spread.median)
}

fn milliseconds(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1000.0)
}

fn seconds(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64())
}

/// Decimal megabytes, the unit of the targets.
fn megabytes(kib: u64) -> String {
    format!("{:.1} MB", kib as f64 * 1024.0 / 1e6)
}

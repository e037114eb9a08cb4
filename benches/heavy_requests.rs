//! Heavy requests against the provider binary, over the wire as Terraform sends them:
//! - PlanResourceChange of a client whose `read_attributes` holds 30,000 elements, in the prior state in the
//!   opposite order (comparing the two sets is what used to take quadratic time);
//! - the peak resident memory (VmHWM) after ValidateResourceConfig of a 2 MB message whose `read_attributes` is a
//!   set of two million nils (a length that once reserved about 320 MB up front);
//! - how long StopProvider and then Shutdown take to answer while a request that costs seconds of CPU
//!   (ValidateResourceConfig of a million distinct `read_attributes`, 25 MB) is in flight.
//!
//! The binary is the first non-flag argument (`scripts/bench` passes its release build), else the one cargo built
//! with this benchmark. It prints figures and asserts nothing about them.

#[path = "../tests/support/plugin_client.rs"]
mod plugin_client;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use plugin_client::{PluginOptions, PluginProcess};
use terraform_provider_cognito::cognito::user_pool_client::schema::{TYPE_NAME, attr, schema};
use terraform_provider_cognito::proto::plugin::Empty;
use terraform_provider_cognito::proto::tfplugin6::{
    DynamicValue, plan_resource_change, stop_provider, validate_resource_config,
};
use terraform_provider_cognito::tf::{Value, msgpack};

const SET_ELEMENTS: usize = 30_000;
const NIL_ELEMENTS: u32 = 2_000_000;
/// The elements of the heavy request's set.
const HEAVY_ELEMENTS: usize = 1_000_000;

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> ExitCode {
    let binary = std::env::args_os()
        .skip(1)
        .find(|argument| !argument.to_string_lossy().starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-cognito")));
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("could not start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(binary)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("heavy-request benchmark failed: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(binary: PathBuf) -> BenchResult<()> {
    println!("provider: {}", binary.display());
    println!(
        "Value::semantically_equal of two {SET_ELEMENTS}-element sets in opposite orders (this build's library): {:.2} ms",
        milliseconds(set_comparison())
    );
    let plan_time = plan_with_large_sets(&binary).await?;
    println!(
        "PlanResourceChange, read_attributes of {SET_ELEMENTS} elements: {:.1} ms",
        milliseconds(plan_time)
    );
    let (before, after) = peak_memory_after_nil_set(&binary).await?;
    println!(
        "VmHWM after a 2 MB set of {NIL_ELEMENTS} nils: {:.1} MB (before the request: {:.1} MB)",
        after as f64 / 1024.0,
        before as f64 / 1024.0
    );
    let latency = control_latency_under_load(&binary).await?;
    println!(
        "while a request takes {:.0} ms: StopProvider answered in {:.1} ms, Shutdown answered in {:.1} ms and the \
         process exited {:.1} ms after it was sent",
        milliseconds(latency.heavy),
        milliseconds(latency.stop),
        milliseconds(latency.shutdown_answer),
        milliseconds(latency.exit)
    );
    Ok(())
}

/// The comparison that used to be quadratic: every element of one set looked up in the other by a linear scan.
fn set_comparison() -> Duration {
    let names: Vec<Value> = (0..SET_ELEMENTS)
        .map(|i| Value::string(format!("custom:attribute{i:05}")))
        .collect();
    let reversed = Value::Set(names.iter().rev().cloned().collect());
    let names = Value::Set(names);
    let started = Instant::now();
    assert!(std::hint::black_box(&names).semantically_equal(std::hint::black_box(&reversed)));
    started.elapsed()
}

fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

async fn start(binary: &Path) -> BenchResult<PluginProcess> {
    Ok(PluginProcess::start(PluginOptions::like_terraform(binary.to_path_buf())?).await?)
}

fn dynamic(msgpack: Vec<u8>) -> Option<DynamicValue> {
    Some(DynamicValue {
        msgpack,
        json: Vec::new(),
    })
}

/// A complete configuration object: every attribute and block null except the given ones.
fn configuration(set: &[(&str, Value)]) -> Value {
    let Some(Value::Object(mut object)) = schema().value_type().null_object() else {
        unreachable!("a resource's type is an object type")
    };
    object.insert(attr::USER_POOL_ID.to_string(), Value::string("us-east-1_AbCdEfGhI"));
    object.insert(attr::NAME.to_string(), Value::string("heavy"));
    for (name, value) in set {
        object.insert(name.to_string(), value.clone());
    }
    Value::Object(object)
}

/// The state an earlier apply would have left after the binary planned `planned` for a new client: its own plan,
/// with the attributes only Cognito knows filled in. Taking the binary's own plan keeps every attribute equal to
/// what it plans next, whatever its defaults, so that planning again compares every attribute.
fn applied_state(planned: Value) -> Value {
    let Value::Object(mut state) = planned else {
        unreachable!("a plan of an object is an object")
    };
    for value in state.values_mut() {
        if value.is_unknown() {
            *value = Value::Null;
        }
    }
    state.insert(attr::ID.to_string(), Value::string("1example23456789"));
    for date in [attr::CREATION_DATE, attr::LAST_MODIFIED_DATE] {
        state.insert(date.to_string(), Value::string("2024-01-01T00:00:00Z"));
    }
    Value::Object(state)
}

async fn plan_with_large_sets(binary: &Path) -> BenchResult<Duration> {
    let names: Vec<Value> = (0..SET_ELEMENTS)
        .map(|i| Value::string(format!("custom:attribute{i:05}")))
        .collect();
    let reversed: Vec<Value> = names.iter().rev().cloned().collect();
    let config = configuration(&[(attr::READ_ATTRIBUTES, Value::Set(names))]);
    let ty = schema().value_type().clone();
    let config_bytes = msgpack::encode(&config, &ty)?;
    let request = |prior: Vec<u8>| plan_resource_change::Request {
        type_name: TYPE_NAME.to_string(),
        prior_state: dynamic(prior),
        proposed_new_state: dynamic(config_bytes.clone()),
        config: dynamic(config_bytes.clone()),
        ..Default::default()
    };
    let mut process = start(binary).await?;
    let channel = process.connect().await?;
    let created = channel
        .provider()
        .plan_resource_change(request(vec![0xc0]))
        .await?
        .into_inner();
    let planned = created.planned_state.ok_or("no planned state for a new client")?;
    let Value::Object(mut prior) = applied_state(msgpack::decode(&planned.msgpack, &ty)?) else {
        unreachable!("an applied state is an object")
    };
    prior.insert(attr::READ_ATTRIBUTES.to_string(), Value::Set(reversed));
    let prior = msgpack::encode(&Value::Object(prior), &ty)?;
    let started = Instant::now();
    channel.provider().plan_resource_change(request(prior)).await?;
    let elapsed = started.elapsed();
    process.shutdown().await?;
    Ok(elapsed)
}

/// VmHWM in KiB (the peak resident set size of the process so far).
fn peak_kib(pid: u32) -> BenchResult<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmHWM".into())
}

async fn peak_memory_after_nil_set(binary: &Path) -> BenchResult<(u64, u64)> {
    // The configuration with an empty read_attributes, then that empty array replaced by two million nils.
    let ty = schema().value_type().clone();
    let template = msgpack::encode(&configuration(&[(attr::READ_ATTRIBUTES, Value::Set(Vec::new()))]), &ty)?;
    let mut key = vec![0xa0 | attr::READ_ATTRIBUTES.len() as u8];
    key.extend_from_slice(attr::READ_ATTRIBUTES.as_bytes());
    key.push(0x90);
    let at = template
        .windows(key.len())
        .position(|window| window == key.as_slice())
        .ok_or("read_attributes not found in the encoding")?
        + key.len()
        - 1;
    let mut config = template[..at].to_vec();
    config.push(0xdd);
    config.extend_from_slice(&NIL_ELEMENTS.to_be_bytes());
    config.extend(std::iter::repeat_n(0xc0, NIL_ELEMENTS as usize));
    config.extend_from_slice(&template[at + 1..]);

    let mut process = start(binary).await?;
    let channel = process.connect().await?;
    let before = peak_kib(process.pid())?;
    channel
        .provider()
        .validate_resource_config(validate_resource_config::Request {
            type_name: TYPE_NAME.to_string(),
            config: dynamic(config),
        })
        .await?;
    let after = peak_kib(process.pid())?;
    process.shutdown().await?;
    Ok((before, after))
}

struct Latency {
    heavy: Duration,
    stop: Duration,
    shutdown_answer: Duration,
    exit: Duration,
}

async fn control_latency_under_load(binary: &Path) -> BenchResult<Latency> {
    let ty = schema().value_type().clone();
    let names = (0..HEAVY_ELEMENTS).map(|i| Value::string(format!("custom:attribute{i:07}")));
    let config = msgpack::encode(
        &configuration(&[(attr::READ_ATTRIBUTES, Value::Set(names.collect()))]),
        &ty,
    )?;
    let request = || validate_resource_config::Request {
        type_name: TYPE_NAME.to_string(),
        config: dynamic(config.clone()),
    };

    // First alone, to know how long the heavy request takes.
    let mut process = start(binary).await?;
    let channel = process.connect().await?;
    let started = Instant::now();
    channel.provider().validate_resource_config(request()).await?;
    let heavy = started.elapsed();

    // Then again, with StopProvider and Shutdown sent a quarter of the way through: after the 25 MB have arrived.
    let mut provider = channel.provider();
    let in_flight = request();
    let heavy_call = tokio::spawn(async move { provider.validate_resource_config(in_flight).await });
    tokio::time::sleep(heavy / 4).await;
    let started = Instant::now();
    channel.provider().stop_provider(stop_provider::Request {}).await?;
    let stop = started.elapsed();
    let control = process.connect().await?;
    let started = Instant::now();
    let _ = control.controller().shutdown(Empty {}).await;
    let shutdown_answer = started.elapsed();
    process.wait_for_exit(Duration::from_secs(120)).await?;
    let exit = started.elapsed();
    let _ = heavy_call.await;
    Ok(Latency {
        heavy,
        stop,
        shutdown_answer,
        exit,
    })
}

//! Planning micro-benchmarks: `plan` of one app client, for a create (null prior state) and for the common case
//! of a re-plan with nothing to change (the full prior state and its configuration).
//!
//! Validation of one configuration is not measured here: the crate has no configuration validation function yet
//! (`cognito::rules`); the schema's own consistency check is not a substitute.
//!
//! Run with `cargo bench --bench planning --target-dir target/bench`.

#[path = "common/fixtures.rs"]
mod fixtures;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use terraform_provider_cognito::cognito::user_pool_client::plan::plan;
use terraform_provider_cognito::tf::Value;

fn plan_one_client(c: &mut Criterion) {
    let prior = fixtures::full_state();
    let config = fixtures::full_config();
    assert!(
        plan(&prior, &config).semantically_equal(&prior),
        "the fixture's configuration must plan to its own state (no change)"
    );

    let mut group = c.benchmark_group("plan");
    group.bench_function("create", |b| {
        b.iter(|| plan(black_box(&Value::Null), black_box(&config)))
    });
    group.bench_function("no_change", |b| b.iter(|| plan(black_box(&prior), black_box(&config))));
    group.finish();
}

criterion_group!(benches, plan_one_client);
criterion_main!(benches);

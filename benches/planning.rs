//! Planning micro-benchmarks: `plan` of one app client, for a create (null prior state) and for the common case
//! of a re-plan with nothing to change (the full prior state and its configuration), and the plan-time validation
//! of that configuration (`cognito::user_pool_client::rules::validate`, run for every ValidateResourceConfig).
//!
//! Run with `cargo bench --bench planning --target-dir target/bench`.

#[path = "common/fixtures.rs"]
mod fixtures;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use terraform_provider_cognito::cognito::user_pool_client::plan::plan;
use terraform_provider_cognito::cognito::user_pool_client::rules::validate;
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

fn validate_one_client(c: &mut Criterion) {
    let config = fixtures::full_config();
    assert!(
        !validate(&config).has_errors(),
        "the fixture's configuration must be valid, so that every rule runs to its end"
    );
    // A group, so that criterion files it under validate/full_config, where the suite reads it (a slash in a
    // plain function name becomes an underscore).
    let mut group = c.benchmark_group("validate");
    group.bench_function("full_config", |b| b.iter(|| validate(black_box(&config))));
    group.finish();
}

criterion_group!(benches, plan_one_client, validate_one_client);
criterion_main!(benches);

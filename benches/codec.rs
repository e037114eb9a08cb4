//! Codec micro-benchmarks: one full app-client state through the msgpack codec (every PlanResourceChange and
//! ApplyResourceChange decodes three or four of these and encodes one or two), and through the state JSON decoder
//! (UpgradeResourceState, once per resource in every plan that has a state).
//!
//! Run with `cargo bench --bench codec --target-dir target/bench`; `scripts/bench` reports the decode + encode
//! median in its table.

#[path = "common/fixtures.rs"]
mod fixtures;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use terraform_provider_cognito::cognito::user_pool_client::schema::schema;
use terraform_provider_cognito::tf::{json, msgpack};

fn client_state(c: &mut Criterion) {
    let schema = schema();
    let ty = schema.value_type();
    let state = fixtures::full_state();
    let bytes = msgpack::encode(&state, ty).expect("the fixture conforms to the schema");
    let state_json = json::encode(&state, ty)
        .expect("the fixture is wholly known")
        .to_string()
        .into_bytes();

    let mut group = c.benchmark_group("client_state");
    group.bench_function("msgpack_decode", |b| {
        b.iter(|| msgpack::decode(black_box(&bytes), ty).expect("decodes"))
    });
    group.bench_function("msgpack_encode", |b| {
        b.iter(|| msgpack::encode(black_box(&state), ty).expect("encodes"))
    });
    group.bench_function("msgpack_decode_encode", |b| {
        b.iter(|| {
            let value = msgpack::decode(black_box(&bytes), ty).expect("decodes");
            msgpack::encode(&value, ty).expect("encodes")
        })
    });
    group.bench_function("json_decode_lenient", |b| {
        b.iter(|| json::decode_lenient(black_box(&state_json), ty).expect("decodes"))
    });
    group.finish();
}

criterion_group!(benches, client_state);
criterion_main!(benches);

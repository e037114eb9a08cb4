//! The msgpack decoder against arbitrary bytes, as the resource's type and as `dynamic` (whose values carry their
//! own type as JSON). Any input must give a value or an error, never a panic, a hang or unbounded memory; a value
//! that decodes must encode again.

#![no_main]

use libfuzzer_sys::fuzz_target;
use terraform_provider_cognito::cognito::user_pool_client::schema::schema;
use terraform_provider_cognito::tf::{Type, msgpack};

fuzz_target!(|data: &[u8]| {
    let resource = schema().value_type().clone();
    for ty in [&resource, &Type::Dynamic] {
        if let Ok(value) = msgpack::decode(data, ty) {
            // Unknown values with refinements and every decoded shape must survive the way back.
            msgpack::encode(&value, ty).expect("a decoded value encodes");
        }
    }
});

//! The JSON decoders against arbitrary bytes: values of the resource's type (strict and lenient, as used for
//! RawState upgrades), values of type `dynamic`, and type JSON itself. Errors are fine; panics and hangs are not.

#![no_main]

use libfuzzer_sys::fuzz_target;
use terraform_provider_cognito::cognito::user_pool_client::schema::schema;
use terraform_provider_cognito::tf::{Type, json};

fuzz_target!(|data: &[u8]| {
    let resource = schema().value_type().clone();
    for ty in [&resource, &Type::Dynamic] {
        if let Ok(value) = json::decode(data, ty) {
            json::encode(&value, ty).expect("a decoded value encodes");
        }
        let _ = json::decode_lenient(data, ty);
    }
    if let Ok(ty) = json::type_from_json(data) {
        // A type that parses must print and parse back to itself.
        let printed = json::type_to_json(&ty);
        assert_eq!(json::type_from_json(&printed).expect("a printed type parses"), ty);
    }
});

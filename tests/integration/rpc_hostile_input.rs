//! Hostile input to the tfplugin6 handlers, called directly on `ProviderServer` (no gRPC): arbitrary bytes, valid
//! msgpack or JSON of the wrong shape, and single-byte corruptions of realistic values, in every DynamicValue and
//! RawState a request carries. Whatever arrives, a handler answers (never a gRPC error), never panics (a caught
//! panic would show as "The provider failed while handling ..."), and answers an undecodable value with an error diagnostic.
//!
//! The server under test is never configured, so no input can make it call AWS; ConfigureProvider gets its hostile
//! values on a server of its own. The case count is bounded so the test command stays fast; `cargo fuzz` (see
//! fuzz/) explores further.

use std::sync::Arc;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use terraform_provider_cognito::cognito::user_pool_client::schema::schema;
use terraform_provider_cognito::proto::tfplugin6 as pb;
use terraform_provider_cognito::proto::tfplugin6::provider_server::Provider as _;
use terraform_provider_cognito::provider::CognitoProvider;
use terraform_provider_cognito::tf::server::ProviderServer;
use terraform_provider_cognito::tf::{Type, Value, json, msgpack};
use tonic::Request;

const RESOURCE: &str = "cognito_user_pool_client";
const CASES: u32 = 96;

/// One value as it may arrive: msgpack bytes, or JSON bytes (Terraform may send either in a DynamicValue).
#[derive(Debug, Clone)]
enum Payload {
    Msgpack(Vec<u8>),
    Json(Vec<u8>),
}

impl Payload {
    fn dynamic_value(&self) -> pb::DynamicValue {
        match self {
            Payload::Msgpack(bytes) => pb::DynamicValue {
                msgpack: bytes.clone(),
                json: Vec::new(),
            },
            Payload::Json(bytes) => pb::DynamicValue {
                msgpack: Vec::new(),
                json: bytes.clone(),
            },
        }
    }

    /// The value as `ty`, if it decodes at all; when it does not, a handler reading it must say so with an error.
    fn decoded(&self, ty: &Type) -> Option<Value> {
        match self {
            // An empty DynamicValue is how Terraform sends "no object": null.
            Payload::Msgpack(bytes) | Payload::Json(bytes) if bytes.is_empty() => Some(Value::Null),
            Payload::Msgpack(bytes) => msgpack::decode(bytes, ty).ok(),
            Payload::Json(bytes) => json::decode(bytes, ty).ok(),
        }
    }

    fn decodes(&self, ty: &Type) -> bool {
        self.decoded(ty).is_some()
    }
}

fn resource_type() -> Type {
    schema().value_type().clone()
}

/// A realistic planned client, the seed of the corruptions.
fn realistic() -> Value {
    let ty = resource_type();
    let mut attributes = std::collections::BTreeMap::new();
    if let Type::Object { attributes: types, .. } = &ty {
        for name in types.keys() {
            attributes.insert(name.clone(), Value::Null);
        }
    }
    attributes.insert("user_pool_id".into(), Value::string("us-east-1_AbCdEfGhI"));
    attributes.insert("name".into(), Value::string("app"));
    attributes.insert("id".into(), Value::string("1example23456789abcdefghij"));
    attributes.insert(
        "callback_urls".into(),
        Value::Set(vec![Value::string("https://app.example.com/callback")]),
    );
    Value::Object(attributes)
}

fn arb_payload() -> impl Strategy<Value = Payload> {
    let ty = resource_type();
    let valid_msgpack = msgpack::encode(&realistic(), &ty).expect("the realistic value encodes");
    let valid_json = serde_json::to_vec(&json::encode(&realistic(), &ty).expect("and as JSON")).unwrap();
    let corrupt = |valid: Vec<u8>| {
        let length = valid.len();
        (0..length, any::<u8>(), 0..=length).prop_map(move |(at, byte, cut)| {
            let mut bytes = valid.clone();
            bytes[at] = byte;
            bytes.truncate(cut.max(at + 1));
            bytes
        })
    };
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..64).prop_map(Payload::Msgpack),
        prop::collection::vec(any::<u8>(), 0..64).prop_map(Payload::Json),
        corrupt(valid_msgpack).prop_map(Payload::Msgpack),
        corrupt(valid_json).prop_map(Payload::Json),
        "\\PC{0,40}".prop_map(|text| Payload::Json(text.into_bytes())),
        // Deep nesting: a stack-hungry decoder would overflow here.
        (1usize..4000).prop_map(|depth| Payload::Msgpack([vec![0x91; depth], vec![0xc0]].concat())),
        (1usize..4000)
            .prop_map(|depth| Payload::Json(format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes())),
    ]
}

fn error_summaries(diagnostics: &[pb::Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.severity == pb::diagnostic::Severity::Error as i32)
        .map(|d| format!("{}: {}", d.summary, d.detail))
        .collect()
}

/// The common checks: no panic; an error diagnostic when some input did not decode.
fn check(rpc: &str, diagnostics: &[pb::Diagnostic], all_decode: bool) -> Result<(), TestCaseError> {
    let errors = error_summaries(diagnostics);
    prop_assert!(
        !errors
            .iter()
            .any(|error| error.starts_with("Provider internal error: The provider failed while handling ")),
        "{rpc} panicked: {errors:?}"
    );
    if !all_decode {
        prop_assert!(!errors.is_empty(), "{rpc} accepted an undecodable value silently");
    }
    Ok(())
}

async fn exercise(server: &ProviderServer, first: &Payload, second: &Payload) -> Result<(), TestCaseError> {
    let ty = resource_type();
    let both_decode = first.decodes(&ty) && second.decodes(&ty);

    let validate = server
        .validate_resource_config(Request::new(pb::validate_resource_config::Request {
            type_name: RESOURCE.into(),
            config: Some(first.dynamic_value()),
        }))
        .await;
    let validate = validate.map_err(|status| TestCaseError::fail(format!("gRPC error {status}")))?;
    check(
        "ValidateResourceConfig",
        &validate.get_ref().diagnostics,
        first.decodes(&ty),
    )?;

    let plan = server
        .plan_resource_change(Request::new(pb::plan_resource_change::Request {
            type_name: RESOURCE.into(),
            prior_state: Some(second.dynamic_value()),
            proposed_new_state: Some(first.dynamic_value()),
            config: Some(first.dynamic_value()),
            prior_private: Vec::new(),
            provider_meta: None,
            client_capabilities: None,
        }))
        .await
        .map_err(|status| TestCaseError::fail(format!("gRPC error {status}")))?;
    // A destroy plan (null proposed state) reads nothing else.
    let plan_reads_all = match first.decoded(&ty) {
        None => false,
        Some(Value::Null) => true,
        Some(_) => second.decodes(&ty),
    };
    check("PlanResourceChange", &plan.get_ref().diagnostics, plan_reads_all)?;

    let apply = server
        .apply_resource_change(Request::new(pb::apply_resource_change::Request {
            type_name: RESOURCE.into(),
            prior_state: Some(second.dynamic_value()),
            planned_state: Some(first.dynamic_value()),
            config: Some(first.dynamic_value()),
            planned_private: Vec::new(),
            provider_meta: None,
        }))
        .await
        .map_err(|status| TestCaseError::fail(format!("gRPC error {status}")))?;
    check("ApplyResourceChange", &apply.get_ref().diagnostics, both_decode)?;

    let read = server
        .read_resource(Request::new(pb::read_resource::Request {
            type_name: RESOURCE.into(),
            current_state: Some(first.dynamic_value()),
            private: Vec::new(),
            provider_meta: None,
            client_capabilities: None,
        }))
        .await
        .map_err(|status| TestCaseError::fail(format!("gRPC error {status}")))?;
    check("ReadResource", &read.get_ref().diagnostics, first.decodes(&ty))?;

    // A separate, never-used server: a configured one would let the apply above reach for AWS.
    let configure = ProviderServer::new(Arc::new(CognitoProvider::new()))
        .configure_provider(Request::new(pb::configure_provider::Request {
            terraform_version: "1.11.4".into(),
            config: Some(first.dynamic_value()),
            client_capabilities: None,
        }))
        .await
        .map_err(|status| TestCaseError::fail(format!("gRPC error {status}")))?;
    check("ConfigureProvider", &configure.get_ref().diagnostics, true)?;

    if let Payload::Json(raw) = first {
        let upgrade = server
            .upgrade_resource_state(Request::new(pb::upgrade_resource_state::Request {
                type_name: RESOURCE.into(),
                version: 0,
                raw_state: Some(pb::RawState {
                    json: raw.clone(),
                    flatmap: Default::default(),
                }),
            }))
            .await
            .map_err(|status| TestCaseError::fail(format!("gRPC error {status}")))?;
        check("UpgradeResourceState", &upgrade.get_ref().diagnostics, true)?;
    }
    Ok(())
}

#[test]
fn hostile_values_get_diagnostics_never_panics_or_grpc_errors() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = ProviderServer::new(Arc::new(CognitoProvider::new()));
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&(arb_payload(), arb_payload()), |(first, second)| {
            runtime.block_on(exercise(&server, &first, &second))
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
}

#[tokio::test]
async fn a_malformed_dynamic_value_names_what_could_not_be_read() {
    let server = ProviderServer::new(Arc::new(CognitoProvider::new()));
    let response = server
        .plan_resource_change(Request::new(pb::plan_resource_change::Request {
            type_name: RESOURCE.into(),
            prior_state: None,
            proposed_new_state: Some(Payload::Msgpack(vec![0xc1, 0xff, 0x00]).dynamic_value()),
            config: Some(Payload::Msgpack(vec![0x81]).dynamic_value()),
            prior_private: Vec::new(),
            provider_meta: None,
            client_capabilities: None,
        }))
        .await
        .expect("never a gRPC error")
        .into_inner();
    let errors = error_summaries(&response.diagnostics);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("proposed new state"), "{errors:?}");
    assert!(response.planned_state.is_none());
}

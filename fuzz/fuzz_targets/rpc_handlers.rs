//! The tfplugin6 handlers called directly on `ProviderServer` with fuzzed DynamicValues and RawStates. The first
//! byte picks the RPC and whether the values travel as msgpack or JSON; the rest is split in two values. Every
//! call must answer without a gRPC error and without a panic (a caught one shows as "The provider failed while handling ...").
//! The server is never configured, so no input makes it call AWS.

#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use terraform_provider_cognito::proto::tfplugin6 as pb;
use terraform_provider_cognito::proto::tfplugin6::provider_server::Provider as _;
use terraform_provider_cognito::provider::CognitoProvider;
use terraform_provider_cognito::tf::server::ProviderServer;
use tonic::Request;

const RESOURCE: &str = "cognito_user_pool_client";

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
    })
}

fn server() -> &'static ProviderServer {
    static SERVER: OnceLock<ProviderServer> = OnceLock::new();
    SERVER.get_or_init(|| ProviderServer::new(Arc::new(CognitoProvider::new())))
}

fn dynamic(bytes: &[u8], as_json: bool) -> Option<pb::DynamicValue> {
    Some(if as_json {
        pb::DynamicValue {
            msgpack: Vec::new(),
            json: bytes.to_vec(),
        }
    } else {
        pb::DynamicValue {
            msgpack: bytes.to_vec(),
            json: Vec::new(),
        }
    })
}

fn assert_no_panic(diagnostics: &[pb::Diagnostic]) {
    for diagnostic in diagnostics {
        assert!(
            // Inputs are echoed in some diagnostics (e.g. an import ID), so match the whole shape of a caught panic.
            !(diagnostic.summary == "Provider internal error"
                && diagnostic.detail.starts_with("The provider failed while handling ")),
            "a handler panicked: {}",
            diagnostic.detail
        );
    }
}

async fn call(selector: u8, first: &[u8], second: &[u8]) {
    let as_json = selector & 0x80 != 0;
    let server = server();
    let diagnostics = match selector % 6 {
        0 => {
            server
                .validate_resource_config(Request::new(pb::validate_resource_config::Request {
                    type_name: RESOURCE.into(),
                    config: dynamic(first, as_json),
                }))
                .await
                .expect("never a gRPC error")
                .into_inner()
                .diagnostics
        }
        1 => {
            server
                .plan_resource_change(Request::new(pb::plan_resource_change::Request {
                    type_name: RESOURCE.into(),
                    prior_state: dynamic(second, as_json),
                    proposed_new_state: dynamic(first, as_json),
                    config: dynamic(first, as_json),
                    prior_private: second.to_vec(),
                    provider_meta: None,
                    client_capabilities: None,
                }))
                .await
                .expect("never a gRPC error")
                .into_inner()
                .diagnostics
        }
        2 => {
            server
                .apply_resource_change(Request::new(pb::apply_resource_change::Request {
                    type_name: RESOURCE.into(),
                    prior_state: dynamic(second, as_json),
                    planned_state: dynamic(first, as_json),
                    config: dynamic(first, as_json),
                    planned_private: Vec::new(),
                    provider_meta: None,
                }))
                .await
                .expect("never a gRPC error")
                .into_inner()
                .diagnostics
        }
        3 => {
            server
                .read_resource(Request::new(pb::read_resource::Request {
                    type_name: RESOURCE.into(),
                    current_state: dynamic(first, as_json),
                    private: second.to_vec(),
                    provider_meta: None,
                    client_capabilities: None,
                }))
                .await
                .expect("never a gRPC error")
                .into_inner()
                .diagnostics
        }
        4 => {
            server
                .upgrade_resource_state(Request::new(pb::upgrade_resource_state::Request {
                    type_name: RESOURCE.into(),
                    version: i64::from(second.first().copied().unwrap_or(0) % 3) - 1,
                    raw_state: Some(pb::RawState {
                        json: first.to_vec(),
                        flatmap: Default::default(),
                    }),
                }))
                .await
                .expect("never a gRPC error")
                .into_inner()
                .diagnostics
        }
        _ => {
            server
                .import_resource_state(Request::new(pb::import_resource_state::Request {
                    type_name: RESOURCE.into(),
                    id: String::from_utf8_lossy(first).into_owned(),
                    client_capabilities: None,
                }))
                .await
                .expect("never a gRPC error")
                .into_inner()
                .diagnostics
        }
    };
    assert_no_panic(&diagnostics);
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let split = rest.first().map_or(0, |&byte| usize::from(byte) % (rest.len() + 1));
    let (first, second) = rest.split_at(split);
    runtime().block_on(call(selector, first, second));
});

//! The tfplugin6 service called directly (no gRPC): state upgrades, destroy plans, unknown types and malformed
//! values always answer with diagnostics, never with a gRPC error.

use std::sync::Arc;

use terraform_provider_cognito::proto::tfplugin6 as pb;
use terraform_provider_cognito::proto::tfplugin6::provider_server::Provider as _;
use terraform_provider_cognito::provider::CognitoProvider;
use terraform_provider_cognito::tf::server::ProviderServer;
use terraform_provider_cognito::tf::{Value, msgpack};
use tonic::Request;

const RESOURCE: &str = "cognito_user_pool_client";

fn server() -> ProviderServer {
    ProviderServer::new(Arc::new(CognitoProvider::new()))
}

fn resource_type() -> terraform_provider_cognito::tf::Type {
    // The resource's value type, as the schema response describes it.
    let schema = terraform_provider_cognito::cognito::user_pool_client::schema::schema();
    schema.value_type().clone()
}

fn errors(diagnostics: &[pb::Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.severity == pb::diagnostic::Severity::Error as i32)
        .map(|d| format!("{}: {}", d.summary, d.detail))
        .collect()
}

#[tokio::test]
async fn upgrade_fills_attributes_missing_from_older_state_with_null() {
    let raw = br#"{
        "id": "abc", "user_pool_id": "us-east-1_pool", "name": "app",
        "callback_urls": ["https://example.com"], "token_validity_units": [],
        "an_attribute_no_longer_in_the_schema": 1
    }"#;
    let response = server()
        .upgrade_resource_state(Request::new(pb::upgrade_resource_state::Request {
            type_name: RESOURCE.into(),
            version: 0,
            raw_state: Some(pb::RawState {
                json: raw.to_vec(),
                flatmap: Default::default(),
            }),
        }))
        .await
        .expect("never a gRPC error")
        .into_inner();
    assert!(errors(&response.diagnostics).is_empty(), "{:?}", response.diagnostics);
    let ty = resource_type();
    let state = msgpack::decode(&response.upgraded_state.unwrap().msgpack, &ty).unwrap();
    assert_eq!(state.attribute("name"), Some(&Value::string("app")));
    assert_eq!(state.attribute("client_secret"), Some(&Value::Null));
    assert_eq!(state.attribute("analytics_configuration"), Some(&Value::Null));
}

#[tokio::test]
async fn upgrade_refuses_flatmap_and_newer_versions_with_explanations() {
    let flatmap = server()
        .upgrade_resource_state(Request::new(pb::upgrade_resource_state::Request {
            type_name: RESOURCE.into(),
            version: 0,
            raw_state: Some(pb::RawState {
                json: vec![],
                flatmap: [("id".to_string(), "x".to_string())].into(),
            }),
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(
        errors(&flatmap.diagnostics)[0].contains("flatmap"),
        "{:?}",
        flatmap.diagnostics
    );

    let newer = server()
        .upgrade_resource_state(Request::new(pb::upgrade_resource_state::Request {
            type_name: RESOURCE.into(),
            version: 99,
            raw_state: Some(pb::RawState {
                json: b"{}".to_vec(),
                flatmap: Default::default(),
            }),
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(
        errors(&newer.diagnostics)[0].contains("newer provider version"),
        "{:?}",
        newer.diagnostics
    );
}

#[tokio::test]
async fn destroy_plans_null_without_touching_aws() {
    let response = server()
        .plan_resource_change(Request::new(pb::plan_resource_change::Request {
            type_name: RESOURCE.into(),
            prior_state: None,
            proposed_new_state: None,
            config: None,
            prior_private: b"kept".to_vec(),
            provider_meta: None,
            client_capabilities: None,
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(response.diagnostics.is_empty());
    let planned = response.planned_state.unwrap();
    assert_eq!(planned.msgpack, vec![0xc0], "null");
    assert_eq!(response.planned_private, b"kept");
}

#[tokio::test]
async fn unknown_types_and_malformed_values_are_diagnostics() {
    let server = server();
    let unknown = server
        .validate_resource_config(Request::new(pb::validate_resource_config::Request {
            type_name: "cognito_nope".into(),
            config: None,
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(errors(&unknown.diagnostics)[0].contains("cognito_nope"));

    let malformed = server
        .plan_resource_change(Request::new(pb::plan_resource_change::Request {
            type_name: RESOURCE.into(),
            prior_state: None,
            proposed_new_state: Some(pb::DynamicValue {
                msgpack: vec![0x85, 0xa2, b'i'],
                json: vec![],
            }),
            config: None,
            prior_private: vec![],
            provider_meta: None,
            client_capabilities: None,
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(
        errors(&malformed.diagnostics)[0].contains("could not be decoded"),
        "{:?}",
        malformed.diagnostics
    );
    assert!(malformed.planned_state.is_none());
}

#[tokio::test]
async fn apply_before_configure_reports_instead_of_failing_the_rpc() {
    let ty = resource_type();
    let terraform_provider_cognito::tf::Type::Object { attributes, .. } = &ty else {
        unreachable!()
    };
    let mut config: std::collections::BTreeMap<String, Value> =
        attributes.keys().map(|k| (k.clone(), Value::Null)).collect();
    for block in [
        "token_validity_units",
        "analytics_configuration",
        "refresh_token_rotation",
    ] {
        config.insert(block.into(), Value::List(vec![]));
    }
    config.insert("user_pool_id".into(), Value::string("us-east-1_pool"));
    config.insert("name".into(), Value::string("app"));
    let config = msgpack::encode(&Value::Object(config), &ty).unwrap();
    let server = server();
    let plan = server
        .plan_resource_change(Request::new(pb::plan_resource_change::Request {
            type_name: RESOURCE.into(),
            prior_state: None,
            proposed_new_state: Some(pb::DynamicValue {
                msgpack: config.clone(),
                json: vec![],
            }),
            config: Some(pb::DynamicValue {
                msgpack: config.clone(),
                json: vec![],
            }),
            prior_private: vec![],
            provider_meta: None,
            client_capabilities: None,
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(errors(&plan.diagnostics).is_empty(), "{:?}", plan.diagnostics);
    let apply = server
        .apply_resource_change(Request::new(pb::apply_resource_change::Request {
            type_name: RESOURCE.into(),
            prior_state: None,
            planned_state: plan.planned_state,
            config: Some(pb::DynamicValue {
                msgpack: config,
                json: vec![],
            }),
            planned_private: vec![],
            provider_meta: None,
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(
        errors(&apply.diagnostics)[0].contains("not configured"),
        "{:?}",
        apply.diagnostics
    );
}

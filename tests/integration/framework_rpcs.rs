//! The tfplugin6 service called directly (no gRPC): state upgrades, destroy plans, unknown types and malformed
//! values always answer with diagnostics, never with a gRPC error.

use std::sync::{Arc, LazyLock};

use async_trait::async_trait;
use terraform_provider_cognito::proto::tfplugin6 as pb;
use terraform_provider_cognito::proto::tfplugin6::provider_server::Provider as _;
use terraform_provider_cognito::provider::CognitoProvider;
use terraform_provider_cognito::tf::diagnostics::Diagnostics;
use terraform_provider_cognito::tf::resource::{Context, DataSource, Provider, Resource};
use terraform_provider_cognito::tf::schema::{Block, Schema};
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

/// A provider without arguments that serves one resource, for the resources below that misbehave on purpose.
struct OneResource(Arc<dyn Resource>);

#[async_trait]
impl Provider for OneResource {
    fn schema(&self) -> &Schema {
        static SCHEMA: LazyLock<Schema> = LazyLock::new(|| Schema::new(0, Block::new("test")));
        &SCHEMA
    }

    async fn configure(&self, _: &Context, _: &str, _: Value) -> Diagnostics {
        Diagnostics::new()
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![self.0.clone()]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        Vec::new()
    }
}

mod panicking {
    //! A provider whose resource panics in every handler: the framework must answer with an error diagnostic.
    use std::sync::Arc;

    use async_trait::async_trait;
    use terraform_provider_cognito::tf::diagnostics::Diagnostics;
    use terraform_provider_cognito::tf::resource::{
        ApplyRequest, Context, PlanRequest, PlanResponse, ReadRequest, Resource, StateResponse,
    };
    use terraform_provider_cognito::tf::schema::{Attribute, Block, Schema};
    use terraform_provider_cognito::tf::{Type, Value};

    pub struct PanickingResource {
        schema: Schema,
    }

    /// The panicking resource, with a `name` argument.
    pub fn resource() -> Arc<PanickingResource> {
        let block = Block::new("test").attribute(Attribute::optional("name", Type::String, "A name."));
        Arc::new(PanickingResource {
            schema: Schema::new(0, block),
        })
    }

    #[async_trait]
    impl Resource for PanickingResource {
        fn type_name(&self) -> &'static str {
            "test_panics"
        }

        fn schema(&self) -> &Schema {
            &self.schema
        }

        async fn plan(&self, _: &Context, _: PlanRequest) -> PlanResponse {
            panic!("planning went wrong")
        }

        async fn apply(&self, _: &Context, _: ApplyRequest) -> StateResponse {
            panic!("applying went wrong")
        }

        async fn delete(&self, _: &Context, _: &Value, _: &[u8]) -> Diagnostics {
            panic!("deleting went wrong")
        }

        async fn read(&self, _: &Context, _: ReadRequest) -> StateResponse {
            panic!("reading went wrong")
        }
    }
}

#[tokio::test]
async fn a_panicking_handler_becomes_an_error_diagnostic() {
    let server = ProviderServer::new(Arc::new(OneResource(panicking::resource())));
    let object = pb::DynamicValue {
        msgpack: vec![0x81, 0xa4, b'n', b'a', b'm', b'e', 0xa1, b'x'],
        json: vec![],
    };
    let plan = server
        .plan_resource_change(Request::new(pb::plan_resource_change::Request {
            type_name: "test_panics".into(),
            prior_state: None,
            proposed_new_state: Some(object.clone()),
            config: Some(object.clone()),
            prior_private: vec![],
            provider_meta: None,
            client_capabilities: None,
        }))
        .await
        .expect("a panic is not a gRPC error")
        .into_inner();
    assert!(
        errors(&plan.diagnostics)[0].contains("planning went wrong"),
        "{:?}",
        plan.diagnostics
    );

    let read = server
        .read_resource(Request::new(pb::read_resource::Request {
            type_name: "test_panics".into(),
            current_state: Some(object.clone()),
            private: b"private".to_vec(),
            provider_meta: None,
            client_capabilities: None,
        }))
        .await
        .expect("a panic is not a gRPC error")
        .into_inner();
    assert!(errors(&read.diagnostics)[0].contains("reading went wrong"));
    assert_eq!(read.new_state, Some(object), "the state Terraform sent is kept");
    assert_eq!(read.private, b"private");
}

/// A resource that answers with whatever it was given, write-only value included: the framework must null it.
mod echoing {
    use std::sync::Arc;

    use async_trait::async_trait;
    use terraform_provider_cognito::tf::diagnostics::Diagnostics;
    use terraform_provider_cognito::tf::resource::{
        ApplyRequest, Context, ImportedObject, PlanRequest, PlanResponse, ReadRequest, Resource, StateResponse,
    };
    use terraform_provider_cognito::tf::schema::{Attribute, Block, Schema};
    use terraform_provider_cognito::tf::{Type, Value};

    pub struct EchoResource {
        schema: Schema,
    }

    pub fn resource() -> Arc<EchoResource> {
        Arc::new(EchoResource { schema: schema() })
    }

    pub fn schema() -> Schema {
        Schema::new(
            0,
            Block::new("echo")
                .attribute(Attribute::optional("name", Type::String, "A name."))
                .attribute(Attribute::optional("secret_wo", Type::String, "A secret.").write_only()),
        )
    }

    fn echoed(value: Value) -> StateResponse {
        StateResponse {
            new_state: value,
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }

    #[async_trait]
    impl Resource for EchoResource {
        fn type_name(&self) -> &'static str {
            "test_echo"
        }

        fn schema(&self) -> &Schema {
            &self.schema
        }

        async fn plan(&self, _: &Context, request: PlanRequest) -> PlanResponse {
            PlanResponse {
                planned: request.config,
                requires_replace: Vec::new(),
                planned_private: Vec::new(),
                diagnostics: Diagnostics::new(),
            }
        }

        async fn apply(&self, _: &Context, request: ApplyRequest) -> StateResponse {
            echoed(request.config)
        }

        async fn delete(&self, _: &Context, _: &Value, _: &[u8]) -> Diagnostics {
            Diagnostics::new()
        }

        async fn read(&self, _: &Context, request: ReadRequest) -> StateResponse {
            echoed(request.state)
        }

        async fn import(&self, _: &Context, id: &str) -> Result<Vec<ImportedObject>, Diagnostics> {
            let state = Value::Object(
                [
                    ("name".to_string(), Value::string(id)),
                    ("secret_wo".to_string(), Value::string("imported-secret")),
                ]
                .into_iter()
                .collect(),
            );
            Ok(vec![ImportedObject {
                state,
                private: Vec::new(),
            }])
        }
    }
}

#[tokio::test]
async fn write_only_values_never_leave_the_provider_in_a_plan_or_state() {
    let server = ProviderServer::new(Arc::new(OneResource(echoing::resource())));
    let ty = echoing::schema().value_type().clone();
    let config = Value::Object(
        [
            ("name".to_string(), Value::string("n")),
            ("secret_wo".to_string(), Value::string("write-only-secret")),
        ]
        .into_iter()
        .collect(),
    );
    let encoded = pb::DynamicValue {
        msgpack: msgpack::encode(&config, &ty).unwrap(),
        json: vec![],
    };
    let decoded_secret = |value: Option<pb::DynamicValue>| {
        let value = msgpack::decode(&value.expect("a value").msgpack, &ty).unwrap();
        assert_eq!(value.attribute("name"), Some(&Value::string("n")), "the rest is kept");
        value.attribute("secret_wo").cloned()
    };

    let plan = server
        .plan_resource_change(Request::new(pb::plan_resource_change::Request {
            type_name: "test_echo".into(),
            prior_state: None,
            proposed_new_state: Some(encoded.clone()),
            config: Some(encoded.clone()),
            prior_private: vec![],
            provider_meta: None,
            client_capabilities: None,
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    assert_eq!(decoded_secret(plan.planned_state), Some(Value::Null));

    let apply = server
        .apply_resource_change(Request::new(pb::apply_resource_change::Request {
            type_name: "test_echo".into(),
            prior_state: None,
            planned_state: Some(encoded.clone()),
            config: Some(encoded.clone()),
            planned_private: vec![],
            provider_meta: None,
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(decoded_secret(apply.new_state), Some(Value::Null));

    let read = server
        .read_resource(Request::new(pb::read_resource::Request {
            type_name: "test_echo".into(),
            current_state: Some(encoded.clone()),
            private: vec![],
            provider_meta: None,
            client_capabilities: None,
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(decoded_secret(read.new_state), Some(Value::Null));

    let imported = server
        .import_resource_state(Request::new(pb::import_resource_state::Request {
            type_name: "test_echo".into(),
            id: "n".into(),
            client_capabilities: None,
        }))
        .await
        .unwrap()
        .into_inner();
    let object = imported.imported_resources.into_iter().next().expect("one object");
    assert_eq!(decoded_secret(object.state), Some(Value::Null));
}

//! The wire: each RPC of `tfplugin6.Provider` as a translation from the protobuf request into the framework's
//! terms and from its [`Outcome`] back into the protobuf response. Nothing here decides anything.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use tonic::{Request, Response, Status};

use super::encoded::Encoded;
use super::framework::{ConfigOf, Framework};
use super::managed::{ApplyChange, PlanChange, RawState, Stored};
use super::outcome::Outcome;
use super::registry::Served;
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::Provider as ProviderService;
use crate::tf::resource::{MoveRequest, Provider};

/// The service: one per process, shared by all connections and concurrent requests.
pub struct ProviderServer {
    framework: Framework,
    schema_response: OnceLock<pb::get_provider_schema::Response>,
}

impl ProviderServer {
    pub fn new(provider: Arc<dyn Provider>) -> ProviderServer {
        ProviderServer {
            framework: Framework::new(provider),
            schema_response: OnceLock::new(),
        }
    }

    /// Cancels work in flight (StopProvider). Returns once the cancellation has been signalled.
    pub fn stop(&self) {
        self.framework.stop();
    }

    fn build_schema_response(&self) -> pb::get_provider_schema::Response {
        let framework = &self.framework;
        pb::get_provider_schema::Response {
            provider: Some(framework.provider.schema().to_proto()),
            resource_schemas: schemas(framework.resources.iter()),
            data_source_schemas: schemas(framework.data_sources.iter()),
            functions: HashMap::new(),
            ephemeral_resource_schemas: schemas(framework.ephemeral_resources.iter()),
            diagnostics: Vec::new(),
            provider_meta: None,
            server_capabilities: Some(capabilities()),
        }
    }
}

fn schemas<'a, T: Served + 'a>(served: impl Iterator<Item = (&'static str, &'a T)>) -> HashMap<String, pb::Schema> {
    served
        .map(|(name, entry)| (name.to_string(), entry.schema().to_proto()))
        .collect()
}

fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: true,
        get_provider_schema_optional: true,
        move_resource_state: true,
    }
}

impl From<Option<pb::DynamicValue>> for Encoded {
    fn from(value: Option<pb::DynamicValue>) -> Encoded {
        match value {
            Some(value) if !value.msgpack.is_empty() => Encoded::Msgpack(value.msgpack),
            Some(value) if !value.json.is_empty() => Encoded::Json(value.json),
            _ => Encoded::Absent,
        }
    }
}

impl From<Encoded> for Option<pb::DynamicValue> {
    fn from(value: Encoded) -> Option<pb::DynamicValue> {
        match value {
            Encoded::Absent => None,
            Encoded::Msgpack(msgpack) => Some(pb::DynamicValue {
                msgpack,
                json: Vec::new(),
            }),
            Encoded::Json(json) => Some(pb::DynamicValue {
                msgpack: Vec::new(),
                json,
            }),
        }
    }
}

fn dynamic(value: Option<Encoded>) -> Option<pb::DynamicValue> {
    value.and_then(Into::into)
}

fn diagnostics<T>(outcome: &Outcome<T>) -> Vec<pb::Diagnostic> {
    outcome.diagnostics.to_proto()
}

#[tonic::async_trait]
impl ProviderService for ProviderServer {
    async fn get_metadata(
        &self,
        _request: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        let framework = &self.framework;
        Ok(Response::new(pb::get_metadata::Response {
            server_capabilities: Some(capabilities()),
            diagnostics: Vec::new(),
            data_sources: framework
                .data_sources
                .names()
                .map(|name| pb::get_metadata::DataSourceMetadata {
                    type_name: name.to_string(),
                })
                .collect(),
            resources: framework
                .resources
                .names()
                .map(|name| pb::get_metadata::ResourceMetadata {
                    type_name: name.to_string(),
                })
                .collect(),
            functions: Vec::new(),
            ephemeral_resources: framework
                .ephemeral_resources
                .names()
                .map(|name| pb::get_metadata::EphemeralMetadata {
                    type_name: name.to_string(),
                })
                .collect(),
        }))
    }

    async fn get_provider_schema(
        &self,
        _request: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        let response = self.schema_response.get_or_init(|| self.build_schema_response());
        Ok(Response::new(response.clone()))
    }

    async fn validate_provider_config(
        &self,
        request: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        let request = request.into_inner();
        let outcome = self.framework.validate(ConfigOf::Provider, request.config.into()).await;
        Ok(Response::new(pb::validate_provider_config::Response {
            diagnostics: diagnostics(&outcome),
        }))
    }

    async fn validate_resource_config(
        &self,
        request: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        let request = request.into_inner();
        let of = ConfigOf::Resource(&request.type_name);
        let outcome = self.framework.validate(of, request.config.into()).await;
        Ok(Response::new(pb::validate_resource_config::Response {
            diagnostics: diagnostics(&outcome),
        }))
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        let request = request.into_inner();
        let of = ConfigOf::DataSource(&request.type_name);
        let outcome = self.framework.validate(of, request.config.into()).await;
        Ok(Response::new(pb::validate_data_resource_config::Response {
            diagnostics: diagnostics(&outcome),
        }))
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let request = request.into_inner();
        let raw = request.raw_state.unwrap_or_default();
        let raw = RawState {
            version: request.version,
            json: raw.json,
            is_flatmap: !raw.flatmap.is_empty(),
        };
        let outcome = self.framework.upgrade_resource_state(&request.type_name, raw).await;
        Ok(Response::new(pb::upgrade_resource_state::Response {
            diagnostics: diagnostics(&outcome),
            upgraded_state: dynamic(outcome.value),
        }))
    }

    async fn configure_provider(
        &self,
        request: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        let request = request.into_inner();
        let outcome = self
            .framework
            .configure(&request.terraform_version, request.config.into())
            .await;
        Ok(Response::new(pb::configure_provider::Response {
            diagnostics: diagnostics(&outcome),
        }))
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let request = request.into_inner();
        let current = Stored {
            state: request.current_state.into(),
            private: request.private,
        };
        let outcome = self.framework.read_resource(&request.type_name, current).await;
        let diagnostics = diagnostics(&outcome);
        // The framework answers with the state Terraform sent when the read fails.
        let refreshed = outcome.value.unwrap_or_default();
        Ok(Response::new(pb::read_resource::Response {
            new_state: refreshed.state.into(),
            diagnostics,
            private: refreshed.private,
            deferred: None,
        }))
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let request = request.into_inner();
        let change = PlanChange {
            prior: request.prior_state.into(),
            proposed: request.proposed_new_state.into(),
            config: request.config.into(),
            prior_private: request.prior_private,
        };
        let outcome = self.framework.plan_resource_change(&request.type_name, change).await;
        let diagnostics = diagnostics(&outcome);
        let (planned_state, requires_replace, planned_private) = match outcome.value {
            Some(planned) => (
                planned.state.into(),
                planned.requires_replace.iter().map(|path| path.to_proto()).collect(),
                planned.private,
            ),
            None => (None, Vec::new(), Vec::new()),
        };
        Ok(Response::new(pb::plan_resource_change::Response {
            planned_state,
            requires_replace,
            planned_private,
            diagnostics,
            legacy_type_system: false,
            deferred: None,
        }))
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let request = request.into_inner();
        let change = ApplyChange {
            prior: request.prior_state.into(),
            planned: request.planned_state.into(),
            config: request.config.into(),
            planned_private: request.planned_private,
        };
        let outcome = self.framework.apply_resource_change(&request.type_name, change).await;
        let diagnostics = diagnostics(&outcome);
        // The framework answers with the prior state when the apply fails.
        let applied = outcome.value.unwrap_or_default();
        Ok(Response::new(pb::apply_resource_change::Response {
            new_state: applied.state.into(),
            private: applied.private,
            diagnostics,
            legacy_type_system: false,
        }))
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let request = request.into_inner();
        let outcome = self
            .framework
            .import_resource_state(&request.type_name, &request.id)
            .await;
        Ok(Response::new(pb::import_resource_state::Response {
            diagnostics: diagnostics(&outcome),
            imported_resources: outcome
                .value
                .unwrap_or_default()
                .into_iter()
                .map(|imported| pb::import_resource_state::ImportedResource {
                    type_name: imported.type_name,
                    state: imported.state.into(),
                    private: imported.private,
                })
                .collect(),
            deferred: None,
        }))
    }

    async fn move_resource_state(
        &self,
        request: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        let request = request.into_inner();
        let source = MoveRequest {
            source_provider_address: request.source_provider_address,
            source_type_name: request.source_type_name,
            source_schema_version: request.source_schema_version,
            source_state_json: request.source_state.unwrap_or_default().json,
        };
        let outcome = self
            .framework
            .move_resource_state(&request.target_type_name, source)
            .await;
        Ok(Response::new(pb::move_resource_state::Response {
            diagnostics: diagnostics(&outcome),
            target_state: dynamic(outcome.value),
            target_private: Vec::new(),
        }))
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let request = request.into_inner();
        let outcome = self
            .framework
            .read_data_source(&request.type_name, request.config.into())
            .await;
        Ok(Response::new(pb::read_data_source::Response {
            diagnostics: diagnostics(&outcome),
            state: dynamic(outcome.value),
            deferred: None,
        }))
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        let request = request.into_inner();
        let of = ConfigOf::EphemeralResource(&request.type_name);
        let outcome = self.framework.validate(of, request.config.into()).await;
        Ok(Response::new(pb::validate_ephemeral_resource_config::Response {
            diagnostics: diagnostics(&outcome),
        }))
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        let request = request.into_inner();
        let outcome = self
            .framework
            .open_ephemeral_resource(&request.type_name, request.config.into())
            .await;
        let diagnostics = diagnostics(&outcome);
        let (result, renew_at, private) = match outcome.value {
            Some(opened) => (opened.result.into(), opened.renew_at, opened.private),
            None => (None, None, Vec::new()),
        };
        Ok(Response::new(pb::open_ephemeral_resource::Response {
            diagnostics,
            renew_at: renew_at.map(prost_types::Timestamp::from),
            result,
            private: Some(private),
            deferred: None,
        }))
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        let request = request.into_inner();
        let private = request.private.unwrap_or_default();
        let outcome = self
            .framework
            .renew_ephemeral_resource(&request.type_name, private)
            .await;
        let diagnostics = diagnostics(&outcome);
        // The framework keeps the private bytes when the renewal fails.
        let renewed = outcome.value.unwrap_or_default();
        Ok(Response::new(pb::renew_ephemeral_resource::Response {
            diagnostics,
            renew_at: renewed.renew_at.map(prost_types::Timestamp::from),
            private: Some(renewed.private),
        }))
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        let request = request.into_inner();
        let private = request.private.unwrap_or_default();
        let outcome = self
            .framework
            .close_ephemeral_resource(&request.type_name, private)
            .await;
        Ok(Response::new(pb::close_ephemeral_resource::Response {
            diagnostics: diagnostics(&outcome),
        }))
    }

    async fn get_functions(
        &self,
        _request: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        Ok(Response::new(pb::get_functions::Response {
            functions: HashMap::new(),
            diagnostics: Vec::new(),
        }))
    }

    async fn call_function(
        &self,
        request: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        let name = request.into_inner().name;
        Ok(Response::new(pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError {
                text: format!("This provider has no function {name:?}."),
                function_argument: None,
            }),
        }))
    }

    async fn stop_provider(
        &self,
        _request: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        tracing::info!("StopProvider: cancelling work in flight");
        self.stop();
        Ok(Response::new(pb::stop_provider::Response { error: String::new() }))
    }
}

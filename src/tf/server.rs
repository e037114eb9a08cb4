//! The `tfplugin6.Provider` gRPC service: decodes each request against the registered schema, dispatches to the
//! provider, resource or data source, and encodes the answer. Every failure, including a panic in a handler and
//! malformed bytes from the wire, becomes an error diagnostic: Terraform renders gRPC error statuses as
//! "Plugin did not respond" or "Plugin error" with no context, so this service never returns one.

use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, OnceLock};

use futures::FutureExt;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::Provider as ProviderService;

use super::diagnostics::{Diagnostic, Diagnostics};
use super::resource::{
    ApplyRequest, Context, DataSource, EphemeralResource, MoveRequest, PlanRequest, Provider, ReadRequest, Resource,
};
use super::schema::{Presence, Schema};
use super::value::{Type, Value};
use super::{json, msgpack};

/// The service: one per process, shared by all connections and concurrent requests.
pub struct ProviderServer {
    provider: Arc<dyn Provider>,
    resources: HashMap<&'static str, Arc<dyn Resource>>,
    data_sources: HashMap<&'static str, Arc<dyn DataSource>>,
    ephemeral_resources: HashMap<&'static str, Arc<dyn EphemeralResource>>,
    /// Replaced after each StopProvider so a long-lived (debug mode) process keeps working for the next run.
    cancellation: Mutex<CancellationToken>,
    schema_response: OnceLock<pb::get_provider_schema::Response>,
}

impl ProviderServer {
    pub fn new(provider: Arc<dyn Provider>) -> ProviderServer {
        let resources = provider.resources().into_iter().map(|r| (r.type_name(), r)).collect();
        let data_sources = provider
            .data_sources()
            .into_iter()
            .map(|d| (d.type_name(), d))
            .collect();
        let ephemeral_resources = provider
            .ephemeral_resources()
            .into_iter()
            .map(|e| (e.type_name(), e))
            .collect();
        ProviderServer {
            provider,
            resources,
            data_sources,
            ephemeral_resources,
            cancellation: Mutex::new(CancellationToken::new()),
            schema_response: OnceLock::new(),
        }
    }

    fn context(&self) -> Context {
        let token = self
            .cancellation
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Context {
            cancelled: token.clone(),
        }
    }

    /// Cancels work in flight (StopProvider). Returns once the cancellation has been signalled.
    pub fn stop(&self) {
        let mut token = self
            .cancellation
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        token.cancel();
        *token = CancellationToken::new();
    }

    fn resource(&self, type_name: &str) -> Result<&Arc<dyn Resource>, Diagnostics> {
        self.resources.get(type_name).ok_or_else(|| {
            Diagnostic::error(
                "Unknown resource type",
                format!("This provider has no resource type {type_name:?}."),
            )
            .into()
        })
    }

    fn data_source(&self, type_name: &str) -> Result<&Arc<dyn DataSource>, Diagnostics> {
        self.data_sources.get(type_name).ok_or_else(|| {
            Diagnostic::error(
                "Unknown data source",
                format!("This provider has no data source {type_name:?}."),
            )
            .into()
        })
    }

    fn ephemeral_resource(&self, type_name: &str) -> Result<&Arc<dyn EphemeralResource>, Diagnostics> {
        self.ephemeral_resources.get(type_name).ok_or_else(|| {
            Diagnostic::error(
                "Unknown ephemeral resource type",
                format!("This provider has no ephemeral resource {type_name:?}."),
            )
            .into()
        })
    }

    fn build_schema_response(&self) -> pb::get_provider_schema::Response {
        pb::get_provider_schema::Response {
            provider: Some(self.provider.schema().to_proto()),
            resource_schemas: self
                .resources
                .iter()
                .map(|(name, r)| (name.to_string(), r.schema().to_proto()))
                .collect(),
            data_source_schemas: self
                .data_sources
                .iter()
                .map(|(name, d)| (name.to_string(), d.schema().to_proto()))
                .collect(),
            functions: HashMap::new(),
            ephemeral_resource_schemas: self
                .ephemeral_resources
                .iter()
                .map(|(name, e)| (name.to_string(), e.schema().to_proto()))
                .collect(),
            diagnostics: Vec::new(),
            provider_meta: None,
            server_capabilities: Some(capabilities()),
        }
    }
}

fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: true,
        get_provider_schema_optional: true,
        move_resource_state: true,
    }
}

/// Decodes a DynamicValue; an absent one is null (that is how Terraform sends "no object").
pub fn decode_dynamic(value: Option<&pb::DynamicValue>, ty: &Type, what: &str) -> Result<Value, Diagnostics> {
    let Some(value) = value else { return Ok(Value::Null) };
    let decoded = if !value.msgpack.is_empty() {
        msgpack::decode(&value.msgpack, ty)
    } else if !value.json.is_empty() {
        json::decode(&value.json, ty)
    } else {
        return Ok(Value::Null);
    };
    decoded.map_err(|error| {
        Diagnostic::error(
            "Invalid value from Terraform",
            format!("The {what} could not be decoded: {error}. This is a bug in Terraform or in the provider."),
        )
        .into()
    })
}

pub fn encode_dynamic(value: &Value, ty: &Type, what: &str) -> Result<pb::DynamicValue, Diagnostics> {
    msgpack::encode(value, ty)
        .map(|msgpack| pb::DynamicValue {
            msgpack,
            json: Vec::new(),
        })
        .map_err(|error| {
            Diagnostic::error(
                "Provider produced an invalid value",
                format!("The {what} could not be encoded: {error}. This is a bug in the provider."),
            )
            .into()
        })
}

/// Runs a handler, turning a panic into an error diagnostic instead of a failed RPC.
async fn guarded<T, F>(rpc: &str, future: F) -> Result<T, Diagnostics>
where
    F: Future<Output = Result<T, Diagnostics>>,
{
    match AssertUnwindSafe(future).catch_unwind().await {
        Ok(result) => result,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            tracing::error!(rpc, panic = %message, "handler panicked");
            Err(Diagnostic::error(
                "Provider internal error",
                format!("The provider failed while handling {rpc}: {message}. This is a bug in the provider."),
            )
            .into())
        }
    }
}

/// The body shared by the Validate*Config RPCs: decode the configuration against the schema of the type asked
/// for, then run its check. An unknown type, undecodable bytes and a panicking check all become diagnostics.
async fn validate_config(
    rpc: &str,
    config: Option<&pb::DynamicValue>,
    what: &str,
    schema: Result<&Schema, Diagnostics>,
    check: impl FnOnce(&Value) -> Diagnostics,
) -> Vec<pb::Diagnostic> {
    let result = guarded(rpc, async {
        let config = decode_dynamic(config, schema?.value_type(), what)?;
        Ok(((), check(&config)))
    })
    .await;
    collect(result).1.to_proto()
}

/// Merges a handler's outcome into one diagnostics list, keeping partial results' diagnostics.
fn collect<T>(result: Result<(T, Diagnostics), Diagnostics>) -> (Option<T>, Diagnostics) {
    match result {
        Ok((value, diagnostics)) => (Some(value), diagnostics),
        Err(diagnostics) => (None, diagnostics),
    }
}

#[tonic::async_trait]
impl ProviderService for ProviderServer {
    async fn get_metadata(
        &self,
        _request: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        let resources = self.resources.keys().map(|name| pb::get_metadata::ResourceMetadata {
            type_name: name.to_string(),
        });
        let data_sources = self
            .data_sources
            .keys()
            .map(|name| pb::get_metadata::DataSourceMetadata {
                type_name: name.to_string(),
            });
        Ok(Response::new(pb::get_metadata::Response {
            server_capabilities: Some(capabilities()),
            diagnostics: Vec::new(),
            data_sources: data_sources.collect(),
            resources: resources.collect(),
            functions: Vec::new(),
            ephemeral_resources: self
                .ephemeral_resources
                .keys()
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
        let provider = &self.provider;
        let diagnostics = validate_config(
            "ValidateProviderConfig",
            request.config.as_ref(),
            "provider configuration",
            Ok(provider.schema()),
            |config| provider.validate(config),
        )
        .await;
        Ok(Response::new(pb::validate_provider_config::Response { diagnostics }))
    }

    async fn validate_resource_config(
        &self,
        request: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        let request = request.into_inner();
        let resource = self.resource(&request.type_name);
        let diagnostics = validate_config(
            "ValidateResourceConfig",
            request.config.as_ref(),
            "configuration",
            resource.as_ref().map(|r| r.schema()).map_err(Clone::clone),
            |config| resource.as_ref().map(|r| r.validate(config)).unwrap_or_default(),
        )
        .await;
        Ok(Response::new(pb::validate_resource_config::Response { diagnostics }))
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        let request = request.into_inner();
        let data_source = self.data_source(&request.type_name);
        let diagnostics = validate_config(
            "ValidateDataResourceConfig",
            request.config.as_ref(),
            "configuration",
            data_source.as_ref().map(|d| d.schema()).map_err(Clone::clone),
            |config| data_source.as_ref().map(|d| d.validate(config)).unwrap_or_default(),
        )
        .await;
        Ok(Response::new(pb::validate_data_resource_config::Response {
            diagnostics,
        }))
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let request = request.into_inner();
        let result = guarded("UpgradeResourceState", async {
            let resource = self.resource(&request.type_name)?;
            let schema = resource.schema();
            let raw = request.raw_state.unwrap_or_default();
            if raw.json.is_empty() {
                let detail = if raw.flatmap.is_empty() {
                    "The stored state is empty.".to_string()
                } else {
                    "flatmap states cannot be read, only states written by Terraform 0.12 and later. \
                     Refresh the state with a Terraform 0.12-era provider first."
                        .to_string()
                };
                return Err(Diagnostic::error("Unsupported state format", detail).into());
            }
            let upgraded = if request.version == schema.version {
                let (value, dropped) = json::decode_lenient(&raw.json, schema.value_type()).map_err(|error| {
                    Diagnostics::from(Diagnostic::error(
                        "Invalid stored state",
                        format!(
                            "The stored state of this {} could not be read: {error}.",
                            request.type_name
                        ),
                    ))
                })?;
                if !dropped.is_empty() {
                    tracing::debug!(?dropped, "dropped attributes no longer in the schema");
                }
                value
            } else if request.version > schema.version {
                return Err(Diagnostic::error(
                    "Resource instance managed by newer provider version",
                    format!(
                        "The state was written with schema version {} of {}, newer than this provider's version {}. \
                         Upgrade the provider.",
                        request.version, request.type_name, schema.version
                    ),
                )
                .into());
            } else {
                resource.upgrade_from(request.version, &raw.json)?
            };
            let state = encode_dynamic(&upgraded, schema.value_type(), "upgraded state")?;
            Ok((state, Diagnostics::new()))
        })
        .await;
        let (state, diagnostics) = collect(result);
        Ok(Response::new(pb::upgrade_resource_state::Response {
            upgraded_state: state,
            diagnostics: diagnostics.to_proto(),
        }))
    }

    async fn configure_provider(
        &self,
        request: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        let request = request.into_inner();
        let ctx = self.context();
        let result = guarded("ConfigureProvider", async {
            let ty = self.provider.schema().value_type();
            let config = decode_dynamic(request.config.as_ref(), ty, "provider configuration")?;
            Ok((
                (),
                self.provider.configure(&ctx, &request.terraform_version, config).await,
            ))
        })
        .await;
        let (_, diagnostics) = collect(result);
        Ok(Response::new(pb::configure_provider::Response {
            diagnostics: diagnostics.to_proto(),
        }))
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let request = request.into_inner();
        let ctx = self.context();
        let fallback_state = request.current_state.clone();
        let fallback_private = request.private.clone();
        let result = guarded("ReadResource", async {
            let resource = self.resource(&request.type_name)?;
            let ty = resource.schema().value_type();
            let state = decode_dynamic(request.current_state.as_ref(), ty, "current state")?;
            let response = resource
                .read(
                    &ctx,
                    ReadRequest {
                        state,
                        private: request.private,
                    },
                )
                .await;
            let mut diagnostics = response.diagnostics;
            match encode_dynamic(&response.new_state, ty, "refreshed state") {
                Ok(encoded) => Ok(((Some(encoded), response.private), diagnostics)),
                Err(encode_error) => {
                    diagnostics.extend(encode_error);
                    Err(diagnostics)
                }
            }
        })
        .await;
        // On failure, answer with the state Terraform sent so nothing is lost.
        let (outcome, diagnostics) = collect(result);
        let (new_state, private) = outcome.unwrap_or((fallback_state, fallback_private));
        Ok(Response::new(pb::read_resource::Response {
            new_state,
            diagnostics: diagnostics.to_proto(),
            private,
            deferred: None,
        }))
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let request = request.into_inner();
        let ctx = self.context();
        let result = guarded("PlanResourceChange", async {
            let resource = self.resource(&request.type_name)?;
            let ty = resource.schema().value_type();
            let proposed = decode_dynamic(request.proposed_new_state.as_ref(), ty, "proposed new state")?;
            if proposed.is_null() {
                // Destroy: the plan is null; keep the private data for the delete.
                let planned = encode_dynamic(&Value::Null, ty, "planned state")?;
                return Ok(((planned, Vec::new(), request.prior_private), Diagnostics::new()));
            }
            let plan = PlanRequest {
                prior: decode_dynamic(request.prior_state.as_ref(), ty, "prior state")?,
                proposed,
                config: decode_dynamic(request.config.as_ref(), ty, "configuration")?,
                prior_private: request.prior_private,
            };
            let response = resource.plan(&ctx, plan).await;
            let mut diagnostics = response.diagnostics;
            if diagnostics.has_errors() {
                return Err(diagnostics);
            }
            match encode_dynamic(&response.planned, ty, "planned state") {
                Ok(planned) => {
                    let replace = response.requires_replace.iter().map(|p| p.to_proto()).collect();
                    Ok(((planned, replace, response.planned_private), diagnostics))
                }
                Err(encode_error) => {
                    diagnostics.extend(encode_error);
                    Err(diagnostics)
                }
            }
        })
        .await;
        let (outcome, diagnostics) = collect(result);
        let (planned_state, requires_replace, planned_private) = match outcome {
            Some((planned, replace, private)) => (Some(planned), replace, private),
            None => (None, Vec::new(), Vec::new()),
        };
        Ok(Response::new(pb::plan_resource_change::Response {
            planned_state,
            requires_replace,
            planned_private,
            diagnostics: diagnostics.to_proto(),
            legacy_type_system: false,
            deferred: None,
        }))
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let request = request.into_inner();
        let ctx = self.context();
        let fallback_state = request.prior_state.clone();
        let fallback_private = request.planned_private.clone();
        let result = guarded("ApplyResourceChange", async {
            let resource = self.resource(&request.type_name)?;
            let ty = resource.schema().value_type();
            let prior = decode_dynamic(request.prior_state.as_ref(), ty, "prior state")?;
            let planned = decode_dynamic(request.planned_state.as_ref(), ty, "planned state")?;
            if planned.is_null() {
                let diagnostics = resource.delete(&ctx, &prior, &request.planned_private).await;
                // A failed delete keeps the object in state; a successful one answers null.
                let remaining = if diagnostics.has_errors() { prior } else { Value::Null };
                let state = encode_dynamic(&remaining, ty, "state after delete")?;
                return Ok(((Some(state), request.planned_private), diagnostics));
            }
            let apply = ApplyRequest {
                prior,
                planned,
                config: decode_dynamic(request.config.as_ref(), ty, "configuration")?,
                planned_private: request.planned_private,
            };
            let response = resource.apply(&ctx, apply).await;
            let mut diagnostics = response.diagnostics;
            match encode_dynamic(&response.new_state, ty, "new state") {
                Ok(state) => Ok(((Some(state), response.private), diagnostics)),
                Err(encode_error) => {
                    diagnostics.extend(encode_error);
                    Err(diagnostics)
                }
            }
        })
        .await;
        let (outcome, diagnostics) = collect(result);
        let (new_state, private) = outcome.unwrap_or((fallback_state, fallback_private));
        Ok(Response::new(pb::apply_resource_change::Response {
            new_state,
            private,
            diagnostics: diagnostics.to_proto(),
            legacy_type_system: false,
        }))
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let request = request.into_inner();
        let ctx = self.context();
        let result = guarded("ImportResourceState", async {
            let resource = self.resource(&request.type_name)?;
            let ty = resource.schema().value_type();
            let objects = resource.import(&ctx, &request.id).await?;
            let mut imported = Vec::with_capacity(objects.len());
            for object in objects {
                imported.push(pb::import_resource_state::ImportedResource {
                    type_name: request.type_name.clone(),
                    state: Some(encode_dynamic(&object.state, ty, "imported state")?),
                    private: object.private,
                });
            }
            Ok((imported, Diagnostics::new()))
        })
        .await;
        let (imported, diagnostics) = collect(result);
        Ok(Response::new(pb::import_resource_state::Response {
            imported_resources: imported.unwrap_or_default(),
            diagnostics: diagnostics.to_proto(),
            deferred: None,
        }))
    }

    async fn move_resource_state(
        &self,
        request: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        let request = request.into_inner();
        let result = guarded("MoveResourceState", async {
            let resource = self.resource(&request.target_type_name)?;
            let raw = request.source_state.unwrap_or_default();
            if raw.json.is_empty() {
                return Err(Diagnostic::error(
                    "Unsupported state format",
                    format!(
                        "The state of {} from {} has no JSON form, so it cannot be moved.",
                        request.source_type_name, request.source_provider_address
                    ),
                )
                .into());
            }
            let moved = resource.move_from(&MoveRequest {
                source_provider_address: request.source_provider_address,
                source_type_name: request.source_type_name,
                source_schema_version: request.source_schema_version,
                source_state_json: raw.json,
            })?;
            let state = encode_dynamic(&moved, resource.schema().value_type(), "moved state")?;
            Ok((state, Diagnostics::new()))
        })
        .await;
        let (state, diagnostics) = collect(result);
        Ok(Response::new(pb::move_resource_state::Response {
            target_state: state,
            diagnostics: diagnostics.to_proto(),
            target_private: Vec::new(),
        }))
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let request = request.into_inner();
        let ctx = self.context();
        let result = guarded("ReadDataSource", async {
            let data_source = self.data_source(&request.type_name)?;
            let ty = data_source.schema().value_type();
            let config = decode_dynamic(request.config.as_ref(), ty, "configuration")?;
            let (state, mut diagnostics) = data_source.read(&ctx, config).await;
            if diagnostics.has_errors() {
                return Err(diagnostics);
            }
            match encode_dynamic(&state, ty, "data source result") {
                Ok(encoded) => Ok((encoded, diagnostics)),
                Err(encode_error) => {
                    diagnostics.extend(encode_error);
                    Err(diagnostics)
                }
            }
        })
        .await;
        let (state, diagnostics) = collect(result);
        Ok(Response::new(pb::read_data_source::Response {
            state,
            diagnostics: diagnostics.to_proto(),
            deferred: None,
        }))
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        let request = request.into_inner();
        let ephemeral = self.ephemeral_resource(&request.type_name);
        let diagnostics = validate_config(
            "ValidateEphemeralResourceConfig",
            request.config.as_ref(),
            "configuration",
            ephemeral.as_ref().map(|e| e.schema()).map_err(Clone::clone),
            |config| ephemeral.as_ref().map(|e| e.validate(config)).unwrap_or_default(),
        )
        .await;
        Ok(Response::new(pb::validate_ephemeral_resource_config::Response {
            diagnostics,
        }))
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        let request = request.into_inner();
        let ctx = self.context();
        let result = guarded("OpenEphemeralResource", async {
            let ephemeral = self.ephemeral_resource(&request.type_name)?;
            let schema = ephemeral.schema();
            let config = decode_dynamic(request.config.as_ref(), schema.value_type(), "configuration")?;
            if !config.is_wholly_known() {
                // Terraform 1.10-1.11 opens during plan even when arguments are still unknown, and accepts an
                // unknown result (it checks the result as a planned value against the configuration). A
                // deferral would need `deferral_allowed`, which only experimental builds send.
                let pending = pending_ephemeral_result(schema, &config);
                let encoded = encode_dynamic(&pending, schema.value_type(), "ephemeral result")?;
                return Ok(((Some(encoded), None, Vec::new()), Diagnostics::new()));
            }
            let (opened, mut diagnostics) = ephemeral.open(&ctx, config).await?;
            match encode_dynamic(&opened.result, schema.value_type(), "ephemeral result") {
                Ok(encoded) => Ok(((Some(encoded), opened.renew_at, opened.private), diagnostics)),
                Err(encode_error) => {
                    diagnostics.extend(encode_error);
                    Err(diagnostics)
                }
            }
        })
        .await;
        let (opened, diagnostics) = collect(result);
        let (result, renew_at, private) = opened.unwrap_or((None, None, Vec::new()));
        Ok(Response::new(pb::open_ephemeral_resource::Response {
            diagnostics: diagnostics.to_proto(),
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
        let ctx = self.context();
        let private = request.private.unwrap_or_default();
        let result = guarded("RenewEphemeralResource", async {
            let ephemeral = self.ephemeral_resource(&request.type_name)?;
            ephemeral.renew(&ctx, &private).await
        })
        .await;
        let (renewed, diagnostics) = collect(result);
        let (renew_at, private) = match renewed {
            Some(renewed) => (renewed.renew_at, renewed.private),
            None => (None, private),
        };
        Ok(Response::new(pb::renew_ephemeral_resource::Response {
            diagnostics: diagnostics.to_proto(),
            renew_at: renew_at.map(prost_types::Timestamp::from),
            private: Some(private),
        }))
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        let request = request.into_inner();
        let ctx = self.context();
        let private = request.private.unwrap_or_default();
        let result = guarded("CloseEphemeralResource", async {
            let ephemeral = self.ephemeral_resource(&request.type_name)?;
            Ok(((), ephemeral.close(&ctx, &private).await))
        })
        .await;
        let (_, diagnostics) = collect(result);
        Ok(Response::new(pb::close_ephemeral_resource::Response {
            diagnostics: diagnostics.to_proto(),
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

/// The result of an ephemeral resource whose configuration is not wholly known yet: the arguments as configured,
/// every attribute the provider computes unknown (an optional-computed one only where the configuration left it
/// null), and nested blocks as configured. This is what Terraform checks a planned value against, so it passes
/// its validity check and flows on as unknown until apply opens the resource for real.
pub fn pending_ephemeral_result(schema: &Schema, config: &Value) -> Value {
    let mut object = std::collections::BTreeMap::new();
    for attribute in &schema.block.attributes {
        let configured = config.attribute(attribute.name).cloned().unwrap_or(Value::Null);
        let value = match attribute.presence {
            Presence::Computed => Value::unknown(),
            Presence::OptionalComputed if configured.is_null() => Value::unknown(),
            _ => configured,
        };
        object.insert(attribute.name.to_string(), value);
    }
    for nested in &schema.block.blocks {
        let configured = config.attribute(nested.type_name).cloned().unwrap_or(Value::Null);
        object.insert(nested.type_name.to_string(), configured);
    }
    Value::Object(object)
}

//! The framework's handlers for managed resources: the protocol's rules around [`Resource`]'s methods.
//!
//! - A destroy is planned null by the framework and applied as [`Resource::delete`]; the resource never plans one.
//! - Every plan answers the attributes the schema declares `requires_replace`, with any the resource adds.
//! - A failed read or apply answers with the state Terraform sent (a failed delete: the prior state), so a
//!   failure never loses an object from state.
//! - State stored under the current schema version is read by the framework; older versions go to
//!   [`Resource::upgrade_from`], newer ones are refused.
//! - Write-only attributes are null in every planned, new, refreshed and imported value, whatever the resource
//!   answered: Terraform refuses anything else, and their values must never reach a plan or a state.

use super::encoded::Encoded;
use super::framework::Framework;
use super::outcome::{Outcome, guarded};
use crate::tf::diagnostics::{AttributePath, Diagnostic, Diagnostics};
use crate::tf::json;
use crate::tf::resource::{ApplyRequest, MoveRequest, PlanRequest, ReadRequest, Resource, StateResponse};
use crate::tf::schema::Schema;
use crate::tf::value::Value;

/// A state as Terraform stores it: the object and the provider's private bytes beside it.
#[derive(Clone, Default)]
pub struct Stored {
    pub state: Encoded,
    pub private: Vec<u8>,
}

/// State as Terraform stored it, for UpgradeResourceState.
pub struct RawState {
    pub version: i64,
    pub json: Vec<u8>,
    /// Whether the state is in the pre-0.12 flatmap form (which is not read).
    pub is_flatmap: bool,
}

/// PlanResourceChange's values.
pub struct PlanChange {
    pub prior: Encoded,
    pub proposed: Encoded,
    pub config: Encoded,
    pub prior_private: Vec<u8>,
}

/// What PlanResourceChange answers.
pub struct Planned {
    pub state: Encoded,
    pub requires_replace: Vec<AttributePath>,
    pub private: Vec<u8>,
}

/// ApplyResourceChange's values.
pub struct ApplyChange {
    pub prior: Encoded,
    pub planned: Encoded,
    pub config: Encoded,
    pub planned_private: Vec<u8>,
}

/// One object ImportResourceState found.
pub struct Imported {
    pub type_name: String,
    pub state: Encoded,
    pub private: Vec<u8>,
}

/// A read's or apply's answer, encoded without write-only values; a state that cannot be encoded is no answer.
fn stored(response: StateResponse, schema: &Schema, what: &str) -> Outcome<Stored> {
    let StateResponse {
        new_state,
        private,
        diagnostics,
    } = response;
    Outcome::new(new_state, diagnostics).and_then(|new_state| {
        Ok(Stored {
            state: Encoded::encode(&schema.block.without_write_only(new_state), schema.value_type(), what)?,
            private,
        })
    })
}

impl Framework {
    fn resource(&self, type_name: &str) -> Result<&dyn Resource, Diagnostics> {
        self.resources.get(type_name).map(|resource| resource.as_ref())
    }

    /// UpgradeResourceState: the stored JSON as a value of the current schema.
    pub async fn upgrade_resource_state(&self, type_name: &str, raw: RawState) -> Outcome<Encoded> {
        guarded("UpgradeResourceState", async {
            let resource = self.resource(type_name)?;
            let schema = resource.schema();
            if raw.json.is_empty() {
                let detail = if raw.is_flatmap {
                    "flatmap states cannot be read, only states written by Terraform 0.12 and later. \
                     Refresh the state with a Terraform 0.12-era provider first."
                } else {
                    "The stored state is empty."
                };
                return Err(Diagnostic::error("Unsupported state format", detail).into());
            }
            let upgraded = if raw.version == schema.version {
                let (value, dropped) = json::decode_lenient(&raw.json, schema.value_type()).map_err(|error| {
                    Diagnostics::from(Diagnostic::error(
                        "Invalid stored state",
                        format!("The stored state of this {type_name} could not be read: {error}."),
                    ))
                })?;
                if !dropped.is_empty() {
                    tracing::debug!(?dropped, "dropped attributes no longer in the schema");
                }
                value
            } else if raw.version > schema.version {
                return Err(Diagnostic::error(
                    "Resource instance managed by newer provider version",
                    format!(
                        "The state was written with schema version {} of {type_name}, newer than this provider's \
                         version {}. Upgrade the provider.",
                        raw.version, schema.version
                    ),
                )
                .into());
            } else {
                resource.upgrade_from(raw.version, &raw.json)?
            };
            Ok(Outcome::ok(Encoded::encode(
                &upgraded,
                schema.value_type(),
                "upgraded state",
            )?))
        })
        .await
    }

    /// ReadResource: the refreshed state; on failure, the state Terraform sent.
    pub async fn read_resource(&self, type_name: &str, current: Stored) -> Outcome<Stored> {
        let ctx = self.context();
        let fallback = current.clone();
        guarded("ReadResource", async {
            let resource = self.resource(type_name)?;
            let schema = resource.schema();
            let state = current.state.decode(schema.value_type(), "current state")?;
            let request = ReadRequest {
                state,
                private: current.private,
            };
            Ok(stored(resource.read(&ctx, request).await, schema, "refreshed state"))
        })
        .await
        .or(fallback)
    }

    /// PlanResourceChange: null for a destroy (keeping the private bytes for the delete), the resource's plan
    /// otherwise; no plan at all next to an error.
    pub async fn plan_resource_change(&self, type_name: &str, change: PlanChange) -> Outcome<Planned> {
        let ctx = self.context();
        guarded("PlanResourceChange", async {
            let resource = self.resource(type_name)?;
            let schema = resource.schema();
            let ty = schema.value_type();
            let proposed = change.proposed.decode(ty, "proposed new state")?;
            if proposed.is_null() {
                return Ok(Outcome::ok(Planned {
                    state: Encoded::encode(&Value::Null, ty, "planned state")?,
                    requires_replace: Vec::new(),
                    private: change.prior_private,
                }));
            }
            let request = PlanRequest {
                prior: change.prior.decode(ty, "prior state")?,
                proposed,
                config: change.config.decode(ty, "configuration")?,
                prior_private: change.prior_private,
            };
            let response = resource.plan(&ctx, request).await;
            // The attributes the schema declares replacing, then those the resource adds for this plan.
            let mut requires_replace = resource.schema().requires_replace();
            requires_replace.extend(response.requires_replace);
            Ok(Outcome::new(response.planned, response.diagnostics)
                .unless_errors()
                .and_then(|planned| {
                    Ok(Planned {
                        state: Encoded::encode(&schema.block.without_write_only(planned), ty, "planned state")?,
                        requires_replace,
                        private: response.planned_private,
                    })
                }))
        })
        .await
    }

    /// ApplyResourceChange: a delete for a null plan (which answers null, or the prior state when it failed), the
    /// resource's apply otherwise; on any failure without a new state, the prior state.
    pub async fn apply_resource_change(&self, type_name: &str, change: ApplyChange) -> Outcome<Stored> {
        let ctx = self.context();
        let fallback = Stored {
            state: change.prior.clone(),
            private: change.planned_private.clone(),
        };
        guarded("ApplyResourceChange", async {
            let resource = self.resource(type_name)?;
            let schema = resource.schema();
            let ty = schema.value_type();
            let prior = change.prior.decode(ty, "prior state")?;
            let planned = change.planned.decode(ty, "planned state")?;
            if planned.is_null() {
                let diagnostics = resource.delete(&ctx, &prior, &change.planned_private).await;
                let remaining = StateResponse {
                    new_state: if diagnostics.has_errors() { prior } else { Value::Null },
                    private: change.planned_private,
                    diagnostics,
                };
                return Ok(stored(remaining, schema, "state after delete"));
            }
            let request = ApplyRequest {
                prior,
                planned,
                config: change.config.decode(ty, "configuration")?,
                planned_private: change.planned_private,
            };
            Ok(stored(resource.apply(&ctx, request).await, schema, "new state"))
        })
        .await
        .or(fallback)
    }

    /// ImportResourceState: the objects the resource found for `id`.
    pub async fn import_resource_state(&self, type_name: &str, id: &str) -> Outcome<Vec<Imported>> {
        let ctx = self.context();
        guarded("ImportResourceState", async {
            let resource = self.resource(type_name)?;
            let schema = resource.schema();
            let imported = resource
                .import(&ctx, id)
                .await?
                .into_iter()
                .map(|object| {
                    Ok(Imported {
                        type_name: type_name.to_string(),
                        state: Encoded::encode(
                            &schema.block.without_write_only(object.state),
                            schema.value_type(),
                            "imported state",
                        )?,
                        private: object.private,
                    })
                })
                .collect::<Result<_, Diagnostics>>()?;
            Ok(Outcome::ok(imported))
        })
        .await
    }

    /// MoveResourceState into `target_type_name`. `source_state_json` empty means the source state has no JSON
    /// form, which cannot be moved.
    pub async fn move_resource_state(&self, target_type_name: &str, request: MoveRequest) -> Outcome<Encoded> {
        guarded("MoveResourceState", async {
            let resource = self.resource(target_type_name)?;
            if request.source_state_json.is_empty() {
                return Err(Diagnostic::error(
                    "Unsupported state format",
                    format!(
                        "The state of {} from {} has no JSON form, so it cannot be moved.",
                        request.source_type_name, request.source_provider_address
                    ),
                )
                .into());
            }
            let moved = resource.move_from(&request)?;
            Ok(Outcome::ok(Encoded::encode(
                &moved,
                resource.schema().value_type(),
                "moved state",
            )?))
        })
        .await
    }
}

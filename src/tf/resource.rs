//! What a provider, a managed resource and a data source implement. The server (`tf::server`) decodes every
//! request into [`Value`]s of the registered schema, calls these handlers and encodes the answers, so an
//! implementation never sees msgpack, protobuf or gRPC.

use std::sync::Arc;

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use super::diagnostics::{Diagnostic, Diagnostics};
use super::schema::Schema;
use super::value::Value;

/// Per-request context. `cancelled` fires when Terraform sends StopProvider (the user pressed Ctrl-C): long waits
/// and retries should give up promptly and report what they know.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub cancelled: CancellationToken,
}

impl Context {
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.is_cancelled()
    }
}

/// PlanResourceChange for a create or update (destroys never reach the resource: the framework plans null).
#[derive(Clone)]
pub struct PlanRequest {
    /// Null on create.
    pub prior: Value,
    /// Terraform's proposal: config values, with prior values for computed attributes the config leaves null.
    pub proposed: Value,
    pub config: Value,
    pub prior_private: Vec<u8>,
}

#[derive(Clone)]
pub struct PlanResponse {
    pub planned: Value,
    pub requires_replace: Vec<super::diagnostics::AttributePath>,
    pub planned_private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

/// ApplyResourceChange for a create (prior null) or update.
#[derive(Clone)]
pub struct ApplyRequest {
    pub prior: Value,
    pub planned: Value,
    pub config: Value,
    pub planned_private: Vec<u8>,
}

/// The outcome of an apply or read. `new_state` is what exists remotely, even next to an error: a created object
/// must be returned so Terraform records (and taints) it instead of forgetting it.
#[derive(Clone)]
pub struct StateResponse {
    pub new_state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

impl StateResponse {
    /// An apply's answer when a failure means nothing changed remotely: the new state with its diagnostics, or
    /// the prior state (null for a failed create), still the truth, with the errors.
    pub fn applied_or_unchanged(
        outcome: Result<(Value, Diagnostics), Diagnostics>,
        prior: Value,
        private: Vec<u8>,
    ) -> StateResponse {
        let (new_state, diagnostics) = outcome.unwrap_or_else(|diagnostics| (prior, diagnostics));
        StateResponse {
            new_state,
            private,
            diagnostics,
        }
    }
}

#[derive(Clone)]
pub struct ReadRequest {
    pub state: Value,
    pub private: Vec<u8>,
}

#[derive(Clone)]
pub struct ImportedObject {
    pub state: Value,
    pub private: Vec<u8>,
}

/// Debug output of the request and response types shows the shape of their values and the size of their private
/// bytes, never their content: values hold secrets (a client secret in state, an external ID in configuration).
macro_rules! redacted_debug {
    ($name:ident { $($value:ident),* ; $($bytes:ident),* ; $($plain:ident),* }) => {
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    $(.field(stringify!($value), &self.$value.redacted()))*
                    $(.field(stringify!($bytes), &format_args!("<{} bytes>", self.$bytes.len())))*
                    $(.field(stringify!($plain), &self.$plain))*
                    .finish()
            }
        }
    };
}

redacted_debug!(PlanRequest { prior, proposed, config; prior_private; });
redacted_debug!(PlanResponse { planned; planned_private; requires_replace, diagnostics });
redacted_debug!(ApplyRequest { prior, planned, config; planned_private; });
redacted_debug!(StateResponse { new_state; private; diagnostics });
redacted_debug!(ReadRequest { state; private; });
redacted_debug!(ImportedObject { state; private; });

/// MoveResourceState: a `moved` block whose source is a resource of another type or provider (for example
/// HashiCorp's AWS provider). `source_state_json` is the source's state as written under its own schema.
#[derive(Clone)]
pub struct MoveRequest {
    /// E.g. `registry.terraform.io/hashicorp/aws`.
    pub source_provider_address: String,
    pub source_type_name: String,
    pub source_schema_version: i64,
    pub source_state_json: Vec<u8>,
}

impl std::fmt::Debug for MoveRequest {
    /// The source state can hold secrets: only its size is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MoveRequest")
            .field("source_provider_address", &self.source_provider_address)
            .field("source_type_name", &self.source_type_name)
            .field("source_schema_version", &self.source_schema_version)
            .field(
                "source_state_json",
                &format_args!("<{} bytes>", self.source_state_json.len()),
            )
            .finish()
    }
}

/// A managed resource. Terraform drives it through one lifecycle per object, each step in a process of its own:
/// validate, then plan (in the plan run), then plan again and apply (in the apply run), then read on every
/// refresh. What Terraform checks at each step, and what the framework does around it, is written on the
/// methods; a breach is reported by Terraform as a bug in the provider, after the fact, so these contracts are
/// the resource's to keep.
#[async_trait]
pub trait Resource: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> &Schema;

    /// Static checks of a configuration that may contain unknowns (skip those: Terraform validates again once
    /// they are known). Never calls remote APIs.
    fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// PlanResourceChange for a create (`prior` null) or an update: the value the object will have after apply.
    /// A destroy never reaches the resource: the framework plans it null.
    ///
    /// What may change between plan and apply: only what the plan leaves unknown. Terraform calls `plan` twice,
    /// in the plan run and again in the apply run just before [`Resource::apply`], with the same configuration
    /// except that values unknown the first time may be known the second. It rejects the apply ("Provider
    /// produced inconsistent final plan") unless every value known in the first plan is identical in the second,
    /// so planning must be a pure function of the request: no clock, no random value, no remote read whose
    /// answer can change.
    ///
    /// What Terraform checks in the planned value ("Provider produced invalid plan" otherwise):
    /// - it conforms to the schema's type; a nested block is a list or set (empty for no block), never null, and
    ///   never an unknown instance;
    /// - a configured attribute is planned as configured, or as the prior value when prior and configuration
    ///   are both non-null (the remote form of an equal value);
    /// - an attribute the configuration leaves null stays null unless it is computed: only computed attributes
    ///   take a default ([`Block::with_defaults`](super::schema::Block::with_defaults) applies the schema's) or an
    ///   unknown, and computed-only attributes are wholly the provider's.
    ///
    /// Unknown is the only way to say "decided at apply"; every known value is a promise that apply must keep. On
    /// an update that changes nothing, keep the prior values of computed attributes instead of unknown, or the
    /// plan never settles.
    ///
    /// The framework answers `requires_replace` with the attributes the schema declares
    /// [`requires_replace`](super::schema::Attribute::requires_replace) and then the paths the resource adds;
    /// Terraform replaces the object only where prior and planned values differ at one of them. A response with
    /// an error diagnostic is answered without a plan. `planned_private` reaches apply as
    /// [`ApplyRequest::planned_private`].
    async fn plan(&self, ctx: &Context, request: PlanRequest) -> PlanResponse;

    /// ApplyResourceChange for a create (`prior` null) or an update, making the remote object match
    /// `request.planned`, the plan [`Resource::plan`] answered in this process a moment ago (deletes go to
    /// [`Resource::delete`]).
    ///
    /// What Terraform checks in `new_state` ("Provider produced inconsistent result after apply" otherwise, and
    /// it records the value anyway):
    /// - every value known in the plan comes back identical; only unknowns may change, into any value of their
    ///   type that keeps the plan's refinements;
    /// - nothing stays unknown (Terraform would store null there);
    /// - it is not null: null means the object was deleted.
    ///
    /// On failure, `new_state` is what exists remotely, beside the error diagnostic: the prior state when
    /// nothing changed (null for a failed create, so nothing is recorded), and the new object when it was
    /// created but a later step failed, which Terraform records as tainted and replaces on the next apply. An
    /// object that exists must never be left out of state, and one that does not must never be put in. Where the
    /// resource panics or its state cannot be encoded, the framework answers with the prior state.
    async fn apply(&self, ctx: &Context, request: ApplyRequest) -> StateResponse;

    /// Deletes the object; an error leaves it in state.
    async fn delete(&self, ctx: &Context, prior: &Value, private: &[u8]) -> Diagnostics;

    /// Refreshes the state. A null `new_state` means the object is gone.
    async fn read(&self, ctx: &Context, request: ReadRequest) -> StateResponse;

    async fn import(&self, _ctx: &Context, _id: &str) -> Result<Vec<ImportedObject>, Diagnostics> {
        Err(Diagnostic::error(
            "Import not supported",
            format!("The resource type {} cannot be imported.", self.type_name()),
        )
        .into())
    }

    /// Converts another resource type's state into this resource's value (see [`MoveRequest`]). The default
    /// refuses every source; Terraform then reports the diagnostic and changes nothing.
    fn move_from(&self, request: &MoveRequest) -> Result<Value, Diagnostics> {
        Err(Diagnostic::error(
            "Move not supported",
            format!(
                "{} cannot be moved from {} of {}.",
                self.type_name(),
                request.source_type_name,
                request.source_provider_address
            ),
        )
        .into())
    }

    /// Converts state JSON written under an older schema version into the current schema's value. Called only
    /// for versions below the current one; the framework handles the current version itself.
    fn upgrade_from(&self, version: i64, _raw_json: &[u8]) -> Result<Value, Diagnostics> {
        Err(Diagnostic::error(
            "Unsupported state version",
            format!(
                "The state of this {} was written with schema version {version}, which this provider cannot upgrade.",
                self.type_name()
            ),
        )
        .into())
    }
}

#[async_trait]
pub trait DataSource: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> &Schema;

    fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Reads the data. The result must be wholly known and never null.
    async fn read(&self, ctx: &Context, config: Value) -> (Value, Diagnostics);
}

/// The provider itself: its configuration block and the resources it serves.
#[async_trait]
pub trait Provider: Send + Sync + 'static {
    fn schema(&self) -> &Schema;

    fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// ConfigureProvider. May be called more than once per process (debug mode): each call replaces the
    /// previous configuration.
    async fn configure(&self, ctx: &Context, terraform_version: &str, config: Value) -> Diagnostics;

    fn resources(&self) -> Vec<Arc<dyn Resource>>;

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>>;

    /// The ephemeral resources this provider serves; none unless overridden.
    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        Vec::new()
    }
}

/// What OpenEphemeralResource produced: the value Terraform hands to the configuration for this run (never
/// stored in state or plan), when to renew it, and opaque bytes Terraform passes back to renew and close.
#[derive(Clone)]
pub struct EphemeralOpened {
    pub result: Value,
    /// `None`: the value stays valid for the whole run and is never renewed.
    pub renew_at: Option<std::time::SystemTime>,
    pub private: Vec<u8>,
}

impl std::fmt::Debug for EphemeralOpened {
    /// An ephemeral result is secret by nature (that is why it is ephemeral): only its shape is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EphemeralOpened")
            .field("result", &format_args!("<redacted>"))
            .field("renew_at", &self.renew_at)
            .field("private", &format_args!("<{} bytes>", self.private.len()))
            .finish()
    }
}

/// What RenewEphemeralResource produced: the next renewal time (none: no further renewal) and new private bytes.
#[derive(Clone, Default)]
pub struct EphemeralRenewed {
    pub renew_at: Option<std::time::SystemTime>,
    pub private: Vec<u8>,
}

impl std::fmt::Debug for EphemeralRenewed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EphemeralRenewed")
            .field("renew_at", &self.renew_at)
            .field("private", &format_args!("<{} bytes>", self.private.len()))
            .finish()
    }
}

/// An ephemeral resource (protocol 6.7, Terraform 1.10+): opened during plan and apply, its result is usable
/// where Terraform accepts ephemeral values (provider configuration, write-only arguments, ephemeral locals and
/// outputs) and is never written to the plan or state.
///
/// Open is only called with a wholly known configuration: while some argument is still unknown (during plan),
/// the framework answers itself with the configuration and every computed attribute unknown, which Terraform
/// 1.10–1.11 propagates as an unknown value (see [`pending_ephemeral_result`](super::server::pending_ephemeral_result)).
#[async_trait]
pub trait EphemeralResource: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> &Schema;

    /// Static checks of a configuration that may contain unknowns. Never calls remote APIs.
    fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Produces the result for a wholly known configuration. The result must hold the configured arguments as
    /// given and be known everywhere.
    async fn open(&self, ctx: &Context, config: Value) -> Result<(EphemeralOpened, Diagnostics), Diagnostics>;

    /// Called at `renew_at` with the latest private bytes. The default never schedules another renewal.
    async fn renew(&self, _ctx: &Context, private: &[u8]) -> Result<(EphemeralRenewed, Diagnostics), Diagnostics> {
        Ok((
            EphemeralRenewed {
                renew_at: None,
                private: private.to_vec(),
            },
            Diagnostics::new(),
        ))
    }

    /// Releases what open acquired (a lease, a session). The default has nothing to release.
    async fn close(&self, _ctx: &Context, _private: &[u8]) -> Diagnostics {
        Diagnostics::new()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    const SECRET: &str = "s3cr3t-client-secret";

    fn object_with_secret() -> Value {
        Value::Object(BTreeMap::from([
            ("client_secret".to_string(), Value::string(SECRET)),
            ("name".to_string(), Value::string("app")),
        ]))
    }

    #[test]
    fn debug_output_of_requests_and_responses_holds_no_value_content() {
        let value = object_with_secret();
        let private = SECRET.as_bytes().to_vec();
        let printed = [
            format!(
                "{:?}",
                PlanRequest {
                    prior: value.clone(),
                    proposed: value.clone(),
                    config: value.clone(),
                    prior_private: private.clone(),
                }
            ),
            format!(
                "{:?}",
                PlanResponse {
                    planned: value.clone(),
                    requires_replace: Vec::new(),
                    planned_private: private.clone(),
                    diagnostics: Diagnostics::new(),
                }
            ),
            format!(
                "{:#?}",
                ApplyRequest {
                    prior: value.clone(),
                    planned: value.clone(),
                    config: value.clone(),
                    planned_private: private.clone(),
                }
            ),
            format!(
                "{:?}",
                StateResponse {
                    new_state: value.clone(),
                    private: private.clone(),
                    diagnostics: Diagnostics::new(),
                }
            ),
            format!(
                "{:?}",
                ReadRequest {
                    state: value.clone(),
                    private: private.clone(),
                }
            ),
            format!("{:?}", ImportedObject { state: value, private }),
        ];
        for text in printed {
            assert!(!text.contains(SECRET), "{text}");
            assert!(text.contains("client_secret") && text.contains("<string>"), "{text}");
        }
    }
}

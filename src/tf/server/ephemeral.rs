//! The framework's handlers for ephemeral resources. An ephemeral resource is only opened with a wholly known
//! configuration; until then the framework answers for it (see [`pending_ephemeral_result`]).

use std::collections::BTreeMap;
use std::time::SystemTime;

use super::encoded::Encoded;
use super::framework::Framework;
use super::outcome::{Outcome, guarded};
use crate::tf::resource::EphemeralRenewed;
use crate::tf::schema::{Presence, Schema};
use crate::tf::value::Value;

/// What OpenEphemeralResource answers.
pub struct Opened {
    pub result: Encoded,
    pub renew_at: Option<SystemTime>,
    pub private: Vec<u8>,
}

impl Framework {
    /// OpenEphemeralResource.
    pub async fn open_ephemeral_resource(&self, type_name: &str, config: Encoded) -> Outcome<Opened> {
        let ctx = self.context();
        guarded("OpenEphemeralResource", async {
            let ephemeral = self.ephemeral_resources.get(type_name)?;
            let schema = ephemeral.schema();
            let ty = schema.value_type();
            let config = config.decode(ty, "configuration")?;
            if !config.is_wholly_known() {
                // Terraform 1.10-1.11 opens during plan even when arguments are still unknown, and accepts an
                // unknown result (it checks the result as a planned value against the configuration). A
                // deferral would need `deferral_allowed`, which only experimental builds send.
                let pending = pending_ephemeral_result(schema, &config);
                return Ok(Outcome::ok(Opened {
                    result: Encoded::encode(&pending, ty, "ephemeral result")?,
                    renew_at: None,
                    private: Vec::new(),
                }));
            }
            let (opened, diagnostics) = ephemeral.open(&ctx, config).await?;
            Ok(Outcome::new(opened, diagnostics).and_then(|opened| {
                Ok(Opened {
                    result: Encoded::encode(&opened.result, ty, "ephemeral result")?,
                    renew_at: opened.renew_at,
                    private: opened.private,
                })
            }))
        })
        .await
    }

    /// RenewEphemeralResource; on failure the private bytes stay as they were and no renewal is scheduled.
    pub async fn renew_ephemeral_resource(&self, type_name: &str, private: Vec<u8>) -> Outcome<EphemeralRenewed> {
        let ctx = self.context();
        let fallback = EphemeralRenewed {
            renew_at: None,
            private: private.clone(),
        };
        guarded("RenewEphemeralResource", async {
            let ephemeral = self.ephemeral_resources.get(type_name)?;
            let (renewed, diagnostics) = ephemeral.renew(&ctx, &private).await?;
            Ok(Outcome::new(renewed, diagnostics))
        })
        .await
        .or(fallback)
    }

    /// CloseEphemeralResource.
    pub async fn close_ephemeral_resource(&self, type_name: &str, private: Vec<u8>) -> Outcome<()> {
        let ctx = self.context();
        guarded("CloseEphemeralResource", async {
            let ephemeral = self.ephemeral_resources.get(type_name)?;
            Ok(Outcome::new((), ephemeral.close(&ctx, &private).await))
        })
        .await
    }
}

/// The result of an ephemeral resource whose configuration is not wholly known yet: the arguments as configured,
/// every attribute the provider computes unknown (an optional-computed one only where the configuration left it
/// null), and nested blocks as configured. This is what Terraform checks a planned value against, so it passes
/// its validity check and flows on as unknown until apply opens the resource for real.
pub fn pending_ephemeral_result(schema: &Schema, config: &Value) -> Value {
    let mut object = BTreeMap::new();
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

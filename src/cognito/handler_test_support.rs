//! Driving a resource's handlers the way Terraform does, for the resources' unit tests against the in-memory
//! Cognito: plan then apply with Terraform's consistency checks, and refresh.

use crate::tf::diagnostics::Diagnostics;
use crate::tf::msgpack;
use crate::tf::resource::{ApplyRequest, Context, PlanRequest, ReadRequest, Resource};
use crate::tf::value::Value;

/// What an apply left: the new state, its private bytes, and the diagnostics.
pub(crate) struct Applied {
    pub(crate) state: Value,
    pub(crate) private: Vec<u8>,
    pub(crate) diagnostics: Diagnostics,
}

/// Plans and applies `config` over `prior` (with its private bytes), checking that the plan conforms to the schema
/// and that a successful apply keeps every known planned value.
pub(crate) async fn plan_and_apply_with_private(
    resource: &dyn Resource,
    prior: &Value,
    prior_private: &[u8],
    config: &Value,
) -> Applied {
    let ctx = Context::default();
    let plan = resource
        .plan(
            &ctx,
            PlanRequest {
                prior: prior.clone(),
                proposed: config.clone(),
                config: config.clone(),
                prior_private: prior_private.to_vec(),
            },
        )
        .await;
    assert!(!plan.diagnostics.has_errors(), "{:?}", plan.diagnostics);
    msgpack::encode(&plan.planned, resource.schema().value_type()).expect("the plan conforms to the schema");
    let applied = resource
        .apply(
            &ctx,
            ApplyRequest {
                prior: prior.clone(),
                planned: plan.planned.clone(),
                config: config.clone(),
                planned_private: plan.planned_private,
            },
        )
        .await;
    if !applied.diagnostics.has_errors() {
        assert_consistent(&plan.planned, &applied.new_state);
    }
    Applied {
        state: applied.new_state,
        private: applied.private,
        diagnostics: applied.diagnostics,
    }
}

/// [`plan_and_apply_with_private`] without private bytes: the new state and the diagnostics.
pub(crate) async fn plan_and_apply(resource: &dyn Resource, prior: &Value, config: &Value) -> (Value, Diagnostics) {
    let applied = plan_and_apply_with_private(resource, prior, &[], config).await;
    (applied.state, applied.diagnostics)
}

/// Terraform's "inconsistent result after apply" check: every known planned value comes back unchanged.
pub(crate) fn assert_consistent(planned: &Value, applied: &Value) {
    let (Value::Object(planned), Value::Object(applied)) = (planned, applied) else {
        panic!("objects expected")
    };
    for (name, value) in planned {
        if value.is_wholly_known() {
            assert!(
                value.semantically_equal(&applied[name]),
                "{name}: planned {value:?}, applied {:?}",
                applied[name]
            );
        } else {
            assert!(applied[name].is_wholly_known(), "{name} still unknown after apply");
        }
    }
}

/// ReadResource: the refreshed state and the diagnostics.
pub(crate) async fn refresh_with_private(
    resource: &dyn Resource,
    state: &Value,
    private: &[u8],
) -> (Value, Diagnostics) {
    let response = resource
        .read(
            &Context::default(),
            ReadRequest {
                state: state.clone(),
                private: private.to_vec(),
            },
        )
        .await;
    (response.new_state, response.diagnostics)
}

pub(crate) async fn refresh(resource: &dyn Resource, state: &Value) -> (Value, Diagnostics) {
    refresh_with_private(resource, state, &[]).await
}

//! The `cognito_managed_login_branding` resource: the managed login branding style of one app client, and the
//! data source that reads it.
//!
//! - [`settings`]: the style's JSON settings, compared as JSON values, with what Cognito adds kept out of plans.
//! - [`assets`]: the images, compared as a set keyed by category and color mode.
//! - [`rules`]: plan-time validation, on the attribute, before anything is sent.
//! - [`plan`]: the planned state, and the requests an apply sends.
//! - [`state`]: the state from what Cognito reports.
//!
//! The resource ([`ManagedLoginBrandingResource`]):
//! - Create: one CreateManagedLoginBranding for the client. A client that already has a style is never taken
//!   over: the error says to import that style.
//! - Update: UpdateManagedLoginBranding with only what changed, or a reset and then the whole style when the plan
//!   drops something ([`plan::update_requests`]); then one Describe, so the state and Cognito's own settings
//!   additions are known.
//! - Read: DescribeManagedLoginBranding by ID; a style deleted outside Terraform leaves the state.
//! - Import: `USER_POOL_ID/STYLE_ID` (or with a comma, as HashiCorp's provider takes it), or
//!   `USER_POOL_ID/CLIENT_ID`. A style ID is a UUID and a client ID has no `-`, so the two never look alike.

pub mod assets;
pub mod model;
pub mod plan;
pub mod rules;
pub mod schema;
pub mod settings;
pub mod state;
#[cfg(test)]
pub(crate) mod test_values;

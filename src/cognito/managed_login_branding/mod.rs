//! The `cognito_managed_login_branding` resource: the managed login branding style of one app client, and the
//! data source that reads it.
//!
//! - [`settings`]: the style's JSON settings, compared as JSON values, with what Cognito adds kept out of plans.
//! - [`assets`]: the images, compared as a set keyed by category and color mode.
//! - [`rules`]: plan-time validation, on the attribute, before anything is sent.

pub mod assets;
pub mod model;
pub mod plan;
pub mod rules;
pub mod schema;
pub mod settings;
pub mod state;
#[cfg(test)]
pub(crate) mod test_values;

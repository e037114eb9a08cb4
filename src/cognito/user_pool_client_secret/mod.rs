//! The `cognito_user_pool_client_secret` resource: one secret of a confidential app client, made with
//! AddUserPoolClientSecret, read with ListUserPoolClientSecrets, deleted with DeleteUserPoolClientSecret.

pub mod model;
pub mod plan;
pub mod schema;
pub mod state;

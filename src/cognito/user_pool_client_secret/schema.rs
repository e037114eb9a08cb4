//! The `cognito_user_pool_client_secret` schema: one active secret of a confidential app client.

use crate::tf::schema::{Attribute, Block, Schema};
use crate::tf::value::Type;

pub const TYPE_NAME: &str = "cognito_user_pool_client_secret";
pub const SCHEMA_VERSION: i64 = 0;

pub mod attr {
    pub const ID: &str = "id";
    pub const USER_POOL_ID: &str = "user_pool_id";
    pub const CLIENT_ID: &str = "client_id";
    pub const CREATION_DATE: &str = "creation_date";
    pub const CLIENT_SECRET: &str = "client_secret";
    pub const CLIENT_SECRET_IN_STATE: &str = "client_secret_in_state";
    pub const CLIENT_SECRET_WO: &str = "client_secret_wo";
    pub const CLIENT_SECRET_WO_VERSION: &str = "client_secret_wo_version";
    pub const RETIRE_SECRET_ID: &str = "retire_secret_id";
}

pub fn schema() -> Schema {
    use attr::*;
    let block = Block::new(
        "One secret of a confidential app client of an Amazon Cognito user pool. Cognito keeps up to two active \
         secrets per client, so a new secret can be added, handed to the applications, and the old one deleted \
         afterwards: a rotation without a moment where the applications hold a secret Cognito no longer accepts. \
         Use `lifecycle { create_before_destroy = true }` and a `replace_triggered_by` trigger to rotate. Requires \
         `cognito-idp:AddUserPoolClientSecret`, `cognito-idp:ListUserPoolClientSecrets` and \
         `cognito-idp:DeleteUserPoolClientSecret`.",
    )
    .attribute(Attribute::computed(
        ID,
        Type::String,
        "The secret ID, `<client-id>--<epoch>` as Cognito makes it.",
    ))
    .attribute(
        Attribute::required(
            USER_POOL_ID,
            Type::String,
            "ID of the user pool the client belongs to. Changing it makes a new secret.",
        )
        .requires_replace(),
    )
    .attribute(
        Attribute::required(
            CLIENT_ID,
            Type::String,
            "ID of the confidential app client. Changing it makes a new secret.",
        )
        .requires_replace(),
    )
    .attribute(Attribute::computed(
        CREATION_DATE,
        Type::String,
        "When the secret was created (RFC 3339).",
    ))
    .attribute(
        Attribute::computed(
            CLIENT_SECRET,
            Type::String,
            "The value Cognito generated. Cognito returns it only when the secret is created, so it is null for a \
             custom secret (`client_secret_wo`), after an import, and when `client_secret_in_state` is false.",
        )
        .sensitive(),
    )
    .attribute(Attribute::optional_computed(
        CLIENT_SECRET_IN_STATE,
        Type::Bool,
        "Whether the generated value is kept in the Terraform state (and so can be referenced as `client_secret`). \
         Default: `true`. When false, applications read the value through the `cognito_user_pool_client_secret` \
         ephemeral resource where Cognito reports it, or use a custom secret. Turning it on later cannot bring a \
         value back: Cognito returns it only once.",
    ))
    .attribute(
        Attribute::optional(
            CLIENT_SECRET_WO,
            Type::String,
            "A custom value instead of a generated one: 24–64 characters of letters, digits, `_` and `+`. \
             Write-only (Terraform 1.11 or later): it is sent to Cognito when the secret is created and never \
             stored in the plan or the state. Change `client_secret_wo_version` to make a new secret with a new \
             value.",
        )
        .write_only(),
    )
    .attribute(
        Attribute::optional(
            CLIENT_SECRET_WO_VERSION,
            Type::Number,
            "Any number; changing it makes a new secret (with the current `client_secret_wo`, or a generated value). \
         The write-only value itself is never compared, as it is never stored.",
        )
        .requires_replace(),
    )
    .attribute(Attribute::optional(
        RETIRE_SECRET_ID,
        Type::String,
        "The ID of another secret of the same client to delete once this one exists, typically the client's \
         `initial_secret_id`: a client keeps the secret it was created with, and with it a new one, until one of \
         them is deleted, and Cognito allows only two. Deleted when this secret is created, or when the argument \
         is changed; a secret that is already gone is skipped. Do not name a secret applications still use.",
    ));
    Schema::new(SCHEMA_VERSION, block)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_has_no_problems_and_keeps_values_out_of_files() {
        let schema = schema();
        assert_eq!(schema.problems(), Vec::<String>::new());
        let block = &schema.block;
        assert!(block.find_attribute(attr::CLIENT_SECRET).unwrap().sensitive);
        let custom = block.find_attribute(attr::CLIENT_SECRET_WO).unwrap();
        assert!(custom.write_only && custom.sensitive && !custom.is_computed());
        assert_eq!(
            block.argument_names(),
            [
                attr::USER_POOL_ID,
                attr::CLIENT_ID,
                attr::CLIENT_SECRET_WO,
                attr::CLIENT_SECRET_WO_VERSION,
                attr::RETIRE_SECRET_ID
            ]
        );
    }
}

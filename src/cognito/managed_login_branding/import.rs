//! Import IDs: `USER_POOL_ID/STYLE_ID` (or `USER_POOL_ID,STYLE_ID`, HashiCorp's form) and `USER_POOL_ID/CLIENT_ID`,
//! and finding the style (and its app client, which DescribeManagedLoginBranding does not report) they name.

use crate::cognito::api::{Cognito, Operation};
use crate::cognito::managed_login_branding::model::RemoteStyle;
use crate::cognito::unless_stopped;
use crate::tf::diagnostics::{Diagnostic, Diagnostics};
use crate::tf::resource::Context;

/// What an import ID names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Style { user_pool_id: String, branding_id: String },
    Client { user_pool_id: String, client_id: String },
}

/// Whether `text` has the shape of a style ID: a UUID (client IDs are `[\w+]+`, never with a `-`).
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|group| group.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|group| group.chars().all(|c| c.is_ascii_hexdigit()))
}

pub fn parse(id: &str) -> Result<Target, Diagnostics> {
    let parts: Vec<&str> = id.split(['/', ',']).collect();
    match parts.as_slice() {
        [pool, second] if pool.contains('_') && !second.is_empty() => {
            let user_pool_id = pool.to_string();
            if is_uuid(second) {
                Ok(Target::Style {
                    user_pool_id,
                    branding_id: second.to_string(),
                })
            } else if second.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '+') {
                Ok(Target::Client {
                    user_pool_id,
                    client_id: second.to_string(),
                })
            } else {
                Err(invalid(id))
            }
        }
        _ => Err(invalid(id)),
    }
}

fn invalid(id: &str) -> Diagnostics {
    Diagnostic::error(
        "Invalid import ID",
        format!(
            "{id:?} is not a valid import ID. Use USER_POOL_ID/STYLE_ID (the style's UUID), for example \
             us-east-1_AbCdEfGhI/6f1c2a9e-0d4b-4c1e-9a7f-3b2d1e0f4a5c, or USER_POOL_ID/CLIENT_ID for the style of \
             an app client, for example us-east-1_AbCdEfGhI/1example23456789abcdefghij."
        ),
    )
    .into()
}

/// The error for an app client without a style.
pub fn no_style(user_pool_id: &str, client_id: &str) -> Diagnostics {
    Diagnostic::error(
        "Managed login branding not found",
        format!(
            "The app client {client_id} of user pool {user_pool_id} has no managed login branding style (or there \
             is no such client or pool)."
        ),
    )
    .into()
}

/// The style an import ID names, and the ID of its app client.
pub async fn find(ctx: &Context, api: &Cognito, target: &Target) -> Result<(RemoteStyle, String), Diagnostics> {
    let brandings = api.brandings();
    match target {
        Target::Client {
            user_pool_id,
            client_id,
        } => {
            let found = unless_stopped(
                ctx,
                Operation::DESCRIBE_BRANDING_BY_CLIENT,
                brandings.describe_by_client(user_pool_id, client_id, false),
            )
            .await?;
            match found {
                Some(remote) => Ok((remote, client_id.clone())),
                None => Err(no_style(user_pool_id, client_id)),
            }
        }
        Target::Style {
            user_pool_id,
            branding_id,
        } => {
            let found = unless_stopped(
                ctx,
                Operation::DESCRIBE_BRANDING,
                brandings.describe(user_pool_id, branding_id, false),
            )
            .await?;
            let Some(remote) = found else {
                return Err(Diagnostic::error(
                    "Managed login branding not found",
                    format!("There is no managed login branding style {branding_id} in user pool {user_pool_id}."),
                )
                .into());
            };
            // The style does not name its app client: ask each client of the pool for its style.
            let clients = unless_stopped(ctx, Operation::LIST_CLIENTS, api.clients().list(user_pool_id)).await?;
            for client in clients {
                let style = unless_stopped(
                    ctx,
                    Operation::DESCRIBE_BRANDING_BY_CLIENT,
                    brandings.describe_by_client(user_pool_id, &client.client_id, false),
                )
                .await?;
                if style.is_some_and(|style| style.managed_login_branding_id == *branding_id) {
                    return Ok((remote, client.client_id));
                }
            }
            Err(Diagnostic::error(
                "App client of the style not found",
                format!(
                    "The managed login branding style {branding_id} exists in user pool {user_pool_id}, but none of \
                     the pool's app clients has it. Import it by its app client instead: USER_POOL_ID/CLIENT_ID."
                ),
            )
            .into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_ids_and_client_ids_are_told_apart() {
        let style = Target::Style {
            user_pool_id: "us-east-1_abc".into(),
            branding_id: "6f1c2a9e-0d4b-4c1e-9a7f-3b2d1e0f4a5c".into(),
        };
        assert_eq!(
            parse("us-east-1_abc/6f1c2a9e-0d4b-4c1e-9a7f-3b2d1e0f4a5c").unwrap(),
            style
        );
        assert_eq!(
            parse("us-east-1_abc,6f1c2a9e-0d4b-4c1e-9a7f-3b2d1e0f4a5c").unwrap(),
            style
        );
        assert_eq!(
            parse("us-east-1_abc/1example23456789abcdefghij").unwrap(),
            Target::Client {
                user_pool_id: "us-east-1_abc".into(),
                client_id: "1example23456789abcdefghij".into(),
            }
        );
    }

    #[test]
    fn other_ids_are_refused_with_both_forms_shown() {
        for bad in [
            "",
            "us-east-1_abc",
            "us-east-1_abc/",
            "pool/abc",
            "a/b/c",
            "us-east-1_abc/not-a-uuid",
        ] {
            let diagnostics = parse(bad).unwrap_err();
            let detail = &diagnostics.iter().next().unwrap().detail;
            assert!(
                detail.contains("USER_POOL_ID/STYLE_ID") && detail.contains("USER_POOL_ID/CLIENT_ID"),
                "{bad}"
            );
        }
    }
}

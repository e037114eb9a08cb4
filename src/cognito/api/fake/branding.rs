//! The in-memory Cognito's managed login branding: one style per app client, UUID IDs, Update keeping what it is
//! not given (settings merged member by member, each asset replacing the one of its category and color mode), and
//! UseCognitoProvidedValues resetting the style; the same semantics as the local proxy's emulation.

use async_trait::async_trait;
use serde_json::Value as Json;

use super::{FakeCognito, RecordedRequest, State, not_found, request};
use crate::cognito::api::managed_login_branding::BrandingCalls;
use crate::cognito::api::{ApiError, Operation, Scope};
use crate::cognito::managed_login_branding::model::{AssetContent, RemoteStyle, StyleRequest};

/// A style and the app client it belongs to (Describe does not report the client).
#[derive(Debug, Clone)]
pub(super) struct StoredStyle {
    pub(super) client_id: String,
    pub(super) style: RemoteStyle,
}

/// `given` merged into `stored` as Update does: objects member by member, anything else replaced.
fn merged(stored: &Json, given: &Json) -> Json {
    match (stored, given) {
        (Json::Object(stored), Json::Object(given)) => {
            let mut result = stored.clone();
            for (key, value) in given {
                let merged_value = match stored.get(key) {
                    Some(previous) => merged(previous, value),
                    None => value.clone(),
                };
                result.insert(key.clone(), merged_value);
            }
            Json::Object(result)
        }
        _ => given.clone(),
    }
}

fn replace_assets(stored: &mut Vec<AssetContent>, given: &[AssetContent]) {
    for asset in given {
        match stored.iter_mut().find(|held| held.key() == asset.key()) {
            Some(held) => *held = asset.clone(),
            None => stored.push(asset.clone()),
        }
    }
}

/// Whether a Create or Update asks for the default style; InvalidParameterException when it also carries settings,
/// which the API reference forbids.
fn checked(operation: Operation, scope: &Scope, style: &StyleRequest) -> Result<bool, ApiError> {
    let default_style = style.use_cognito_provided_values == Some(true);
    if default_style && style.settings.is_some() {
        return Err(ApiError::from_service(
            operation,
            scope.clone(),
            "InvalidParameterException",
            "Settings cannot be given with UseCognitoProvidedValues.",
            400,
        ));
    }
    Ok(default_style)
}

impl State {
    fn uuid(&mut self) -> String {
        let hex = |state: &mut State, length: usize| -> String {
            (0..length)
                .map(|_| char::from_digit(state.random.u32(0..16), 16).unwrap_or('0'))
                .collect()
        };
        let variant = ['8', '9', 'a', 'b'][self.random.usize(0..4)];
        format!(
            "{}-{}-4{}-{variant}{}-{}",
            hex(self, 8),
            hex(self, 4),
            hex(self, 3),
            hex(self, 3),
            hex(self, 12)
        )
    }

    fn style_mut(&mut self, user_pool_id: &str, branding_id: &str) -> Option<&mut StoredStyle> {
        self.styles.iter_mut().find(|stored| {
            stored.style.user_pool_id == user_pool_id && stored.style.managed_login_branding_id == branding_id
        })
    }
}

fn style_request(
    operation: Operation,
    user_pool_id: &str,
    client_id: Option<&str>,
    style: &StyleRequest,
) -> RecordedRequest {
    RecordedRequest {
        style: Some(style.clone()),
        ..request(operation, user_pool_id, client_id)
    }
}

impl FakeCognito {
    /// The style of an app client, without logging a request.
    pub fn style_of(&self, user_pool_id: &str, client_id: &str) -> Option<RemoteStyle> {
        self.state()
            .styles
            .iter()
            .find(|stored| stored.style.user_pool_id == user_pool_id && stored.client_id == client_id)
            .map(|stored| stored.style.clone())
    }

    /// Changes a style outside Terraform (drift). Returns false when there is no such style.
    pub fn edit_style(&self, user_pool_id: &str, branding_id: &str, edit: impl FnOnce(&mut RemoteStyle)) -> bool {
        let mut state = self.state();
        let modified = state.tick();
        let Some(stored) = state.style_mut(user_pool_id, branding_id) else {
            return false;
        };
        edit(&mut stored.style);
        stored.style.last_modified_date = modified;
        true
    }
}

#[async_trait]
impl BrandingCalls for FakeCognito {
    async fn create_branding(
        &self,
        user_pool_id: &str,
        client_id: &str,
        style: &StyleRequest,
    ) -> Result<RemoteStyle, ApiError> {
        let operation = Operation::CREATE_BRANDING;
        self.call(
            style_request(operation, user_pool_id, Some(client_id), style),
            |state| {
                let scope = Scope::client(user_pool_id, client_id);
                if state.client_mut(user_pool_id, client_id).is_none() {
                    return Err(not_found(
                        operation,
                        scope,
                        &format!("Client {client_id} does not exist."),
                    ));
                }
                let default_style = checked(operation, &scope, style)?;
                let taken = state
                    .styles
                    .iter()
                    .any(|stored| stored.style.user_pool_id == user_pool_id && stored.client_id == client_id);
                if taken {
                    return Err(ApiError::from_service(
                        operation,
                        scope,
                        "ManagedLoginBrandingExistsException",
                        "The app client already has a managed login branding style.",
                        400,
                    ));
                }
                let created = state.tick();
                let mut assets = Vec::new();
                replace_assets(&mut assets, &style.assets);
                let remote = RemoteStyle {
                    managed_login_branding_id: state.uuid(),
                    user_pool_id: user_pool_id.to_string(),
                    use_cognito_provided_values: default_style,
                    settings: style.settings.clone(),
                    assets,
                    creation_date: created.clone(),
                    last_modified_date: created,
                };
                state.styles.push(StoredStyle {
                    client_id: client_id.to_string(),
                    style: remote.clone(),
                });
                Ok(remote)
            },
        )
    }

    async fn describe_branding(
        &self,
        user_pool_id: &str,
        branding_id: &str,
        _merged: bool,
    ) -> Result<Option<RemoteStyle>, ApiError> {
        self.call(request(Operation::DESCRIBE_BRANDING, user_pool_id, None), |state| {
            Ok(state
                .style_mut(user_pool_id, branding_id)
                .map(|stored| stored.style.clone()))
        })
    }

    async fn describe_branding_by_client(
        &self,
        user_pool_id: &str,
        client_id: &str,
        _merged: bool,
    ) -> Result<Option<RemoteStyle>, ApiError> {
        self.call(
            request(Operation::DESCRIBE_BRANDING_BY_CLIENT, user_pool_id, Some(client_id)),
            |state| {
                Ok(state
                    .styles
                    .iter()
                    .find(|stored| stored.style.user_pool_id == user_pool_id && stored.client_id == client_id)
                    .map(|stored| stored.style.clone()))
            },
        )
    }

    async fn update_branding(
        &self,
        user_pool_id: &str,
        branding_id: &str,
        style: &StyleRequest,
    ) -> Result<RemoteStyle, ApiError> {
        let operation = Operation::UPDATE_BRANDING;
        self.call(style_request(operation, user_pool_id, None, style), |state| {
            let scope = Scope::branding(user_pool_id, branding_id);
            let default_style = checked(operation, &scope, style)?;
            let modified = state.tick();
            let Some(stored) = state.style_mut(user_pool_id, branding_id) else {
                return Err(not_found(
                    operation,
                    scope,
                    &format!("Style {branding_id} does not exist."),
                ));
            };
            let held = &mut stored.style;
            if default_style {
                held.use_cognito_provided_values = true;
                held.settings = None;
                held.assets.clear();
            } else if style.use_cognito_provided_values == Some(false) {
                held.use_cognito_provided_values = false;
            }
            if let Some(settings) = &style.settings {
                let base = held
                    .settings
                    .clone()
                    .unwrap_or_else(|| Json::Object(Default::default()));
                held.settings = Some(merged(&base, settings));
                held.use_cognito_provided_values = false;
            }
            replace_assets(&mut held.assets, &style.assets);
            held.last_modified_date = modified;
            Ok(held.clone())
        })
    }

    async fn delete_branding(&self, user_pool_id: &str, branding_id: &str) -> Result<(), ApiError> {
        self.call(request(Operation::DELETE_BRANDING, user_pool_id, None), |state| {
            state.styles.retain(|stored| {
                !(stored.style.user_pool_id == user_pool_id && stored.style.managed_login_branding_id == branding_id)
            });
            Ok(())
        })
    }
}

//! [`FakeCognito`]: an in-memory Cognito for tests of the layers above the API; it sits where the AWS SDK does,
//! beneath the facades and the [`super::Stack`].
//!
//! It keeps the real service's semantics where tests depend on them, unlike moto: Update replaces the whole
//! configuration (it cannot, since every request here is complete, "merge" by accident), ids and secrets are
//! generated, unknown pools and clients give ResourceNotFoundException, Create respects the per-pool client quota
//! (LimitExceededException), a client reports what Cognito reports (a refresh validity of 0 becomes 30 days,
//! no ExplicitAuthFlows becomes the default trio), and listings come in pages. Every call is logged with the configuration it carried, and
//! errors can be queued per operation, either instead of the call or after it took effect (a lost response).
//!
//! Client secrets follow Cognito's documented rules: a confidential client starts with one secret (generated, or
//! the custom one it was created with), AddUserPoolClientSecret adds a generated or custom one up to two
//! (LimitExceededException beyond), a generated value is returned only by the Add that made it, the last secret
//! cannot be deleted. What Describe reports as ClientSecret once a secret was added is not documented; the fake
//! reports the newest secret or none, as [`DescribeAfterRotation`] says.
//!
//! Input validation is not emulated: that is plan-time validation's job, tested on its own.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

use async_trait::async_trait;
use aws_smithy_types::DateTime;

use super::user_pool_client::mapping::as_cognito_reports;
use super::{
    ApiError, ClientPage, ClientSecretCalls, ClientSummary, Deleted, Operation, Scope, SecretPage, UserPoolClientCalls,
    format_timestamp,
};
use crate::cognito::managed_login_branding::model::StyleRequest;
use crate::cognito::user_pool_client::model::{ClientSettings, InitialSecret, RemoteClient};
use crate::cognito::user_pool_client_secret::model::{AddedSecret, SecretDescriptor, SecretValue};

/// Cognito's default quota of app clients per user pool.
const DEFAULT_CLIENT_QUOTA: usize = 1_000;
/// ListUserPoolClients' largest page, which the provider asks for.
const DEFAULT_PAGE_SIZE: usize = 60;
/// Real client ids are 26 lowercase alphanumerics; secrets about 51.
const CLIENT_ID_LENGTH: usize = 26;
const CLIENT_SECRET_LENGTH: usize = 51;
/// The fake's clock starts at 2026-01-01T00:00:00Z and advances one second per change, so dates are
/// deterministic and strictly increasing.
const CLOCK_START: i64 = 1_767_225_600;

/// One call as the fake received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub operation: Operation,
    pub user_pool_id: String,
    pub client_id: Option<String>,
    /// The complete configuration sent with Create and Update.
    pub settings: Option<ClientSettings>,
    /// Create's GenerateSecret.
    pub generate_secret: Option<bool>,
    /// The members a managed-login-branding Create or Update carried.
    pub style: Option<StyleRequest>,
    /// Whether Create or AddUserPoolClientSecret carried a custom secret (its value is never recorded).
    pub custom_secret: bool,
    /// The secret a DeleteUserPoolClientSecret named.
    pub secret_id: Option<String>,
}

/// What DescribeUserPoolClient (and Create/Update) report as ClientSecret once a secret was added to a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DescribeAfterRotation {
    /// The newest active secret.
    #[default]
    Newest,
    /// No ClientSecret at all.
    None,
}

/// One active secret of a client.
#[derive(Clone)]
struct FakeSecret {
    descriptor: SecretDescriptor,
    value: String,
}

/// A client's secrets, oldest first, and whether one was ever added.
#[derive(Clone, Default)]
struct FakeSecrets {
    active: Vec<FakeSecret>,
    rotated: bool,
}

struct QueuedError {
    error: ApiError,
    /// The call happens, then the error is returned: the response was lost on the way back.
    after_effect: bool,
}

struct State {
    /// Clients per pool, in creation order (the order ListUserPoolClients reports).
    pools: BTreeMap<String, Vec<RemoteClient>>,
    requests: Vec<RecordedRequest>,
    queued_errors: HashMap<Operation, VecDeque<QueuedError>>,
    random: fastrand::Rng,
    clock: i64,
    client_quota: usize,
    page_size: usize,
    /// Managed login branding styles, in creation order.
    styles: Vec<branding::StoredStyle>,
    /// Per (pool, client): the client's secrets. Public clients have none.
    secrets: BTreeMap<(String, String), FakeSecrets>,
    describe_after_rotation: DescribeAfterRotation,
}

impl State {
    /// A new secret of `client_id`: its ID `<client-id>--<epoch milliseconds>` and creation date.
    fn new_secret(&mut self, client_id: &str, value: String) -> FakeSecret {
        self.clock += 1;
        FakeSecret {
            descriptor: SecretDescriptor {
                secret_id: format!("{client_id}--{}", self.clock * 1000),
                created: u64::try_from(self.clock)
                    .ok()
                    .map(|secs| std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs)),
            },
            value,
        }
    }

    /// The client as Cognito reports it: its ClientSecret is the one secret, or after a rotation the newest or none.
    fn reported(&self, client: &RemoteClient) -> RemoteClient {
        let mut reported = client.clone();
        let key = (client.user_pool_id.clone(), client.client_id.clone());
        reported.client_secret = match self.secrets.get(&key) {
            None => None,
            Some(secrets) if secrets.rotated && self.describe_after_rotation == DescribeAfterRotation::None => None,
            Some(secrets) => secrets.active.last().map(|secret| secret.value.clone()),
        };
        reported
    }

    fn tick(&mut self) -> Option<String> {
        self.clock += 1;
        format_timestamp(&DateTime::from_secs(self.clock))
    }

    fn random_text(&mut self, length: usize) -> String {
        (0..length)
            .map(|_| self.random.alphanumeric().to_ascii_lowercase())
            .collect()
    }

    fn client_mut(&mut self, user_pool_id: &str, client_id: &str) -> Option<&mut RemoteClient> {
        self.pools
            .get_mut(user_pool_id)?
            .iter_mut()
            .find(|client| client.client_id == client_id)
    }
}

/// Something that happens in the pool just before a call arrives, as another tool's change would.
type Interjection = Box<dyn FnOnce(&FakeCognito) + Send>;

/// An in-memory Cognito with real semantics; see the module documentation.
pub struct FakeCognito {
    state: Mutex<State>,
    interjections: Mutex<HashMap<Operation, VecDeque<Interjection>>>,
}

impl Default for FakeCognito {
    fn default() -> Self {
        FakeCognito::new()
    }
}

fn not_found(operation: Operation, scope: Scope, what: &str) -> ApiError {
    ApiError::from_service(operation, scope, "ResourceNotFoundException", what, 400)
}

fn pool_not_found(operation: Operation, scope: Scope) -> ApiError {
    let what = format!("User pool {} does not exist.", scope.user_pool_id());
    not_found(operation, scope, &what)
}

impl FakeCognito {
    /// A Cognito without user pools.
    pub fn new() -> FakeCognito {
        FakeCognito {
            state: Mutex::new(State {
                pools: BTreeMap::new(),
                requests: Vec::new(),
                queued_errors: HashMap::new(),
                random: fastrand::Rng::with_seed(0x00c0_9a17),
                clock: CLOCK_START,
                client_quota: DEFAULT_CLIENT_QUOTA,
                page_size: DEFAULT_PAGE_SIZE,
                styles: Vec::new(),
                secrets: BTreeMap::new(),
                describe_after_rotation: DescribeAfterRotation::default(),
            }),
            interjections: Mutex::new(HashMap::new()),
        }
    }

    /// Adds an empty user pool.
    pub fn with_user_pool(self, user_pool_id: &str) -> FakeCognito {
        self.add_user_pool(user_pool_id);
        self
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not hide the fake's state from the others.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn add_user_pool(&self, user_pool_id: &str) {
        self.state().pools.entry(user_pool_id.to_string()).or_default();
    }

    /// Deletes a user pool and its clients, as if done outside Terraform.
    pub fn remove_user_pool(&self, user_pool_id: &str) {
        self.state().pools.remove(user_pool_id);
    }

    /// How many clients one pool may hold before Create fails with LimitExceededException.
    pub fn set_client_quota(&self, quota: usize) {
        self.state().client_quota = quota;
    }

    /// What Describe reports as ClientSecret once a secret was added to a client.
    pub fn set_describe_after_rotation(&self, mode: DescribeAfterRotation) {
        self.state().describe_after_rotation = mode;
    }

    /// The IDs of a client's active secrets, oldest first, without logging a request.
    pub fn secret_ids(&self, user_pool_id: &str, client_id: &str) -> Vec<String> {
        let key = (user_pool_id.to_string(), client_id.to_string());
        self.state()
            .secrets
            .get(&key)
            .map(|secrets| secrets.active.iter().map(|s| s.descriptor.secret_id.clone()).collect())
            .unwrap_or_default()
    }

    /// Whether `value` is an active secret of the client: what an application holding it would find out.
    pub fn secret_is_active(&self, user_pool_id: &str, client_id: &str, value: &str) -> bool {
        let key = (user_pool_id.to_string(), client_id.to_string());
        self.state()
            .secrets
            .get(&key)
            .is_some_and(|secrets| secrets.active.iter().any(|secret| secret.value == value))
    }

    /// How many clients one page of ListUserPoolClients holds (at least 1).
    pub fn set_page_size(&self, page_size: usize) {
        self.state().page_size = page_size.max(1);
    }

    /// Creates a client directly (not logged as a request), e.g. one to import. Adds the pool if needed.
    pub fn insert_client(&self, user_pool_id: &str, settings: &ClientSettings, generate_secret: bool) -> RemoteClient {
        let mut state = self.state();
        let client = new_client(&mut state, user_pool_id, settings, &generate_secret.into());
        state
            .pools
            .entry(user_pool_id.to_string())
            .or_default()
            .push(client.clone());
        client
    }

    /// A client as Describe would report it, without logging a request.
    pub fn client(&self, user_pool_id: &str, client_id: &str) -> Option<RemoteClient> {
        let mut state = self.state();
        let client = state.client_mut(user_pool_id, client_id)?.clone();
        Some(state.reported(&client))
    }

    /// A pool's clients in creation order.
    pub fn clients(&self, user_pool_id: &str) -> Vec<RemoteClient> {
        self.state().pools.get(user_pool_id).cloned().unwrap_or_default()
    }

    /// Changes a client outside Terraform (drift). Returns false when there is no such client.
    pub fn edit_client(&self, user_pool_id: &str, client_id: &str, edit: impl FnOnce(&mut ClientSettings)) -> bool {
        let mut state = self.state();
        let modified = state.tick();
        let Some(client) = state.client_mut(user_pool_id, client_id) else {
            return false;
        };
        edit(&mut client.settings);
        client.settings = as_cognito_reports(&client.settings);
        client.last_modified_date = modified;
        true
    }

    /// Deletes a client outside Terraform. Returns false when there was no such client.
    pub fn remove_client(&self, user_pool_id: &str, client_id: &str) -> bool {
        let mut state = self.state();
        let Some(clients) = state.pools.get_mut(user_pool_id) else {
            return false;
        };
        let before = clients.len();
        clients.retain(|client| client.client_id != client_id);
        clients.len() != before
    }

    /// The next call of `operation` fails with `error` and has no effect.
    pub fn fail_next(&self, operation: Operation, error: ApiError) {
        self.queue_error(
            operation,
            QueuedError {
                error,
                after_effect: false,
            },
        );
    }

    /// The next call of `operation` takes effect, then fails with `error`: the response was lost, as with
    /// [`super::ErrorKind::Ambiguous`] errors.
    pub fn fail_next_after_effect(&self, operation: Operation, error: ApiError) {
        self.queue_error(
            operation,
            QueuedError {
                error,
                after_effect: true,
            },
        );
    }

    /// Just before the next call of `operation` is received, `change` runs: e.g. someone else creates a client
    /// between a listing and a create.
    pub fn before_next(&self, operation: Operation, change: impl FnOnce(&FakeCognito) + Send + 'static) {
        self.interjections
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .entry(operation)
            .or_default()
            .push_back(Box::new(change));
    }

    fn queue_error(&self, operation: Operation, queued: QueuedError) {
        self.state()
            .queued_errors
            .entry(operation)
            .or_default()
            .push_back(queued);
    }

    /// Every call so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state().requests.clone()
    }

    /// The calls of one operation so far, in order.
    pub fn requests_of(&self, operation: Operation) -> Vec<RecordedRequest> {
        self.state()
            .requests
            .iter()
            .filter(|request| request.operation == operation)
            .cloned()
            .collect()
    }

    pub fn clear_requests(&self) {
        self.state().requests.clear();
    }

    /// Logs the call and takes the error queued for it, if any.
    fn receive(&self, request: RecordedRequest) -> Option<QueuedError> {
        let mut state = self.state();
        let queued = state
            .queued_errors
            .get_mut(&request.operation)
            .and_then(VecDeque::pop_front);
        state.requests.push(request);
        queued
    }

    /// Runs one call with the queued-error rules: an error queued "instead" stops the call; one queued "after
    /// effect" replaces its result.
    fn call<T>(
        &self,
        request: RecordedRequest,
        run: impl FnOnce(&mut State) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let interjection = self
            .interjections
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get_mut(&request.operation)
            .and_then(VecDeque::pop_front);
        if let Some(change) = interjection {
            change(self);
        }
        match self.receive(request) {
            Some(QueuedError {
                error,
                after_effect: false,
            }) => Err(error),
            Some(QueuedError {
                error,
                after_effect: true,
            }) => {
                // Whatever the call did stays done; its result is lost.
                let _lost = run(&mut self.state());
                Err(error)
            }
            None => run(&mut self.state()),
        }
    }
}

/// A new client, with its initial secret recorded.
fn new_client(
    state: &mut State,
    user_pool_id: &str,
    settings: &ClientSettings,
    secret: &InitialSecret,
) -> RemoteClient {
    let created = state.tick();
    let client_id = state.random_text(CLIENT_ID_LENGTH);
    let client_secret = match secret {
        InitialSecret::None => None,
        InitialSecret::Generated => Some(state.random_text(CLIENT_SECRET_LENGTH)),
        InitialSecret::Custom(value) => Some(value.expose().to_string()),
    };
    if let Some(value) = &client_secret {
        let initial = state.new_secret(&client_id, value.clone());
        state.secrets.insert(
            (user_pool_id.to_string(), client_id.clone()),
            FakeSecrets {
                active: vec![initial],
                rotated: false,
            },
        );
    }
    RemoteClient {
        user_pool_id: user_pool_id.to_string(),
        client_id,
        client_secret,
        settings: as_cognito_reports(settings),
        creation_date: created.clone(),
        last_modified_date: created,
    }
}

fn request(operation: Operation, user_pool_id: &str, client_id: Option<&str>) -> RecordedRequest {
    RecordedRequest {
        operation,
        user_pool_id: user_pool_id.to_string(),
        client_id: client_id.map(str::to_string),
        settings: None,
        generate_secret: None,
        style: None,
        custom_secret: false,
        secret_id: None,
    }
}

#[async_trait]
impl UserPoolClientCalls for FakeCognito {
    async fn describe(&self, user_pool_id: &str, client_id: &str) -> Result<Option<RemoteClient>, ApiError> {
        self.call(
            request(Operation::DESCRIBE_CLIENT, user_pool_id, Some(client_id)),
            |state| {
                let client = state.client_mut(user_pool_id, client_id).map(|client| client.clone());
                Ok(client.map(|client| state.reported(&client)))
            },
        )
    }

    async fn create(
        &self,
        user_pool_id: &str,
        settings: &ClientSettings,
        secret: &InitialSecret,
    ) -> Result<RemoteClient, ApiError> {
        let operation = Operation::CREATE_CLIENT;
        let recorded = RecordedRequest {
            settings: Some(settings.clone()),
            generate_secret: Some(*secret == InitialSecret::Generated),
            custom_secret: matches!(secret, InitialSecret::Custom(_)),
            ..request(operation, user_pool_id, None)
        };
        self.call(recorded, |state| {
            let quota = state.client_quota;
            match state.pools.get(user_pool_id) {
                None => return Err(pool_not_found(operation, Scope::pool(user_pool_id))),
                Some(clients) if clients.len() >= quota => {
                    return Err(ApiError::from_service(
                        operation,
                        Scope::pool(user_pool_id),
                        "LimitExceededException",
                        format!("The user pool already has {quota} app clients."),
                        400,
                    ));
                }
                Some(_) => {}
            }
            let client = new_client(state, user_pool_id, settings, secret);
            state
                .pools
                .entry(user_pool_id.to_string())
                .or_default()
                .push(client.clone());
            Ok(client)
        })
    }

    async fn update(
        &self,
        user_pool_id: &str,
        client_id: &str,
        settings: &ClientSettings,
    ) -> Result<RemoteClient, ApiError> {
        let operation = Operation::UPDATE_CLIENT;
        let recorded = RecordedRequest {
            settings: Some(settings.clone()),
            ..request(operation, user_pool_id, Some(client_id))
        };
        self.call(recorded, |state| {
            let scope = Scope::client(user_pool_id, client_id);
            if !state.pools.contains_key(user_pool_id) {
                return Err(pool_not_found(operation, scope));
            }
            let modified = state.tick();
            let Some(client) = state.client_mut(user_pool_id, client_id) else {
                return Err(not_found(
                    operation,
                    scope,
                    &format!("Client {client_id} does not exist."),
                ));
            };
            // A full replace: nothing of the previous configuration survives.
            client.settings = as_cognito_reports(settings);
            client.last_modified_date = modified;
            let client = client.clone();
            Ok(state.reported(&client))
        })
    }

    async fn delete(&self, user_pool_id: &str, client_id: &str) -> Result<(), ApiError> {
        self.call(
            request(Operation::DELETE_CLIENT, user_pool_id, Some(client_id)),
            |state| {
                if let Some(clients) = state.pools.get_mut(user_pool_id) {
                    clients.retain(|client| client.client_id != client_id);
                }
                state.secrets.remove(&(user_pool_id.to_string(), client_id.to_string()));
                Ok(())
            },
        )
    }

    /// Pages of `page_size` clients; a page's token is the index of the next page's first client.
    async fn list_page(&self, user_pool_id: &str, next_token: Option<&str>) -> Result<ClientPage, ApiError> {
        let operation = Operation::LIST_CLIENTS;
        self.call(request(operation, user_pool_id, None), |state| {
            let scope = Scope::pool(user_pool_id);
            let Some(clients) = state.pools.get(user_pool_id) else {
                return Err(pool_not_found(operation, scope));
            };
            let start = match next_token {
                None => 0,
                Some(token) => token.parse::<usize>().map_err(|_| {
                    ApiError::from_service(operation, scope, "InvalidParameterException", "Invalid NextToken.", 400)
                })?,
            };
            let end = clients.len().min(start.saturating_add(state.page_size));
            Ok(ClientPage {
                clients: clients
                    .get(start..end)
                    .unwrap_or_default()
                    .iter()
                    .map(|client| ClientSummary {
                        client_id: client.client_id.clone(),
                        name: client.settings.name.clone(),
                    })
                    .collect(),
                next_token: (end < clients.len()).then(|| end.to_string()),
            })
        })
    }
}

mod branding;

#[cfg(test)]
mod tests;

fn client_not_found(operation: Operation, scope: Scope, client_id: &str) -> ApiError {
    not_found(operation, scope, &format!("Client {client_id} does not exist."))
}

#[async_trait]
impl ClientSecretCalls for FakeCognito {
    async fn add_secret(
        &self,
        user_pool_id: &str,
        client_id: &str,
        custom: Option<&SecretValue>,
    ) -> Result<AddedSecret, ApiError> {
        let operation = Operation::ADD_CLIENT_SECRET;
        let recorded = RecordedRequest {
            custom_secret: custom.is_some(),
            ..request(operation, user_pool_id, Some(client_id))
        };
        self.call(recorded, |state| {
            let scope = Scope::client(user_pool_id, client_id);
            if state.client_mut(user_pool_id, client_id).is_none() {
                return Err(client_not_found(operation, scope, client_id));
            }
            let key = (user_pool_id.to_string(), client_id.to_string());
            let held = state.secrets.get(&key).map_or(0, |secrets| secrets.active.len());
            if held == 0 {
                return Err(ApiError::from_service(
                    operation,
                    scope,
                    "InvalidParameterException",
                    format!("Client {client_id} is not a confidential client."),
                    400,
                ));
            }
            if held >= 2 {
                return Err(ApiError::from_service(
                    operation,
                    scope,
                    "LimitExceededException",
                    format!("Client {client_id} already has 2 client secrets."),
                    400,
                ));
            }
            let value = match custom {
                Some(custom) => custom.expose().to_string(),
                None => state.random_text(CLIENT_SECRET_LENGTH),
            };
            let secret = state.new_secret(client_id, value);
            let secrets = state.secrets.entry(key).or_default();
            secrets.active.push(secret.clone());
            secrets.rotated = true;
            Ok(AddedSecret {
                descriptor: secret.descriptor,
                value: custom.is_none().then(|| SecretValue::new(secret.value)),
            })
        })
    }

    async fn list_secrets_page(
        &self,
        user_pool_id: &str,
        client_id: &str,
        _next_token: Option<&str>,
    ) -> Result<Option<SecretPage>, ApiError> {
        self.call(
            request(Operation::LIST_CLIENT_SECRETS, user_pool_id, Some(client_id)),
            |state| {
                if state.client_mut(user_pool_id, client_id).is_none() {
                    return Ok(None);
                }
                let key = (user_pool_id.to_string(), client_id.to_string());
                let secrets = state.secrets.get(&key).map(|s| s.active.clone()).unwrap_or_default();
                Ok(Some(SecretPage {
                    secrets: secrets.into_iter().map(|secret| secret.descriptor).collect(),
                    next_token: None,
                }))
            },
        )
    }

    async fn delete_secret(&self, user_pool_id: &str, client_id: &str, secret_id: &str) -> Result<Deleted, ApiError> {
        let operation = Operation::DELETE_CLIENT_SECRET;
        let recorded = RecordedRequest {
            secret_id: Some(secret_id.to_string()),
            ..request(operation, user_pool_id, Some(client_id))
        };
        self.call(recorded, |state| {
            let key = (user_pool_id.to_string(), client_id.to_string());
            let Some(secrets) = state.secrets.get_mut(&key) else {
                return Ok(Deleted::AlreadyGone);
            };
            let Some(index) = secrets.active.iter().position(|s| s.descriptor.secret_id == secret_id) else {
                return Ok(Deleted::AlreadyGone);
            };
            if secrets.active.len() == 1 {
                return Err(ApiError::from_service(
                    operation,
                    Scope::secret(user_pool_id, client_id, secret_id),
                    "InvalidParameterException",
                    "The last remaining client secret cannot be deleted.",
                    400,
                ));
            }
            secrets.active.remove(index);
            Ok(Deleted::Deleted)
        })
    }
}

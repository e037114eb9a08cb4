//! [`Adopter`]: CreateUserPoolClient without duplicates when a response is lost. It wraps creates only; every
//! request it makes (the create, and the List and Describe of its lookups) goes through the [`super::Stack`].
//!
//! Create is not idempotent: when its request left but no answer came back (a timeout, a reset connection, a 5xx
//! from a front end), the client may or may not exist, and sending the request again could make a second one.
//! So this layer never repeats a create blindly. It looks for the client by name in the pool and:
//! - adopts it (DescribeUserPoolClient, secret included) when exactly one client of that name appeared that was
//!   there neither before this process first created a client in the pool nor made by this process since;
//! - sends the create again only when no such client exists, i.e. Cognito did not act on the request;
//! - otherwise reports precisely which clients it found, so the user can import or delete them.
//!
//! "Before" is a list of the pool's client ids taken once per pool, just before this process's first create there;
//! every client the process creates or adopts afterwards is added to what it knows. Without that list (e.g. no
//! `cognito-idp:ListUserPoolClients` permission) a found client cannot be told from an older one of the same name,
//! and is reported rather than adopted. Two creates of the same name in the same pool running at once make every
//! match ambiguous, so they are reported too.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::OnceCell;

use super::{ApiError, ClientSummary, Effect, ErrorKind, UserPoolClients};
use crate::cognito::user_pool_client::model::{ClientSettings, InitialSecret, RemoteClient};

/// How often one create is sent at most by default, when each earlier request was found not to have made a client.
pub const DEFAULT_MAX_CREATE_REQUESTS: u32 = 3;

/// What a lookup after an ambiguous create found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Adoption {
    /// Exactly one new client of that name: the one the lost request made.
    Adopt(String),
    /// No new client of that name: Cognito did not act on the request.
    NotCreated,
    /// New clients of that name that cannot be attributed to this request, with the reason.
    Unclear {
        client_ids: Vec<String>,
        reason: &'static str,
    },
}

/// Decides what to do after an ambiguous create, from the pool's clients with the requested name (`named`), the
/// ids present before the process's first create in the pool (`baseline`, if known), the ids the process created
/// or adopted since (`ours`) and whether another create of the same name is under way.
pub fn decide(
    named: &[ClientSummary],
    baseline: Option<&BTreeSet<String>>,
    ours: &BTreeSet<String>,
    same_name_in_flight: bool,
) -> Adoption {
    let candidates: Vec<String> = named
        .iter()
        .map(|client| client.client_id.clone())
        .filter(|id| !ours.contains(id) && baseline.is_none_or(|before| !before.contains(id)))
        .collect();
    match candidates.as_slice() {
        [] => Adoption::NotCreated,
        _ if baseline.is_none() => Adoption::Unclear {
            client_ids: candidates,
            reason: "the pool's clients could not be listed before the create, so a new client cannot be told \
                     from an older one of the same name",
        },
        _ if same_name_in_flight => Adoption::Unclear {
            client_ids: candidates,
            reason: "another create of a client with the same name in this pool is under way",
        },
        [only] => Adoption::Adopt(only.clone()),
        _ => Adoption::Unclear {
            client_ids: candidates,
            reason: "more than one new client has this name",
        },
    }
}

/// Whether a failed create may nevertheless have made a client.
pub fn may_have_created(error: &ApiError) -> bool {
    error.operation.effect == Effect::Create
        && error.request_sent
        && matches!(error.kind, ErrorKind::Ambiguous | ErrorKind::Transient)
}

/// A pool's client ids before this process's first create there, listed once; `None` when they could not be.
type Baseline = Arc<OnceCell<Option<BTreeSet<String>>>>;
/// Creates under way per (pool, name).
type InFlightRegistry = Arc<Mutex<HashMap<(String, String), usize>>>;

/// What adoption remembers across the creates of one provider configuration.
pub(super) struct Adopter {
    /// Per pool, the client ids before this process's first create there; `None` when they could not be listed.
    baselines: Mutex<HashMap<String, Baseline>>,
    /// Per pool, the clients this process created or adopted.
    ours: Mutex<HashMap<String, BTreeSet<String>>>,
    /// Creates under way per (pool, name).
    in_flight: InFlightRegistry,
    /// Requests per create at most, each after the pool showed that the previous one made nothing.
    max_create_requests: u32,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Counts one create as under way for as long as it lives, so a dropped create future is counted out too.
struct InFlight {
    key: (String, String),
    registry: InFlightRegistry,
}

impl InFlight {
    fn enter(registry: &InFlightRegistry, key: (String, String)) -> InFlight {
        *lock(registry).entry(key.clone()).or_insert(0) += 1;
        InFlight {
            key,
            registry: Arc::clone(registry),
        }
    }

    fn others(&self) -> bool {
        lock(&self.registry).get(&self.key).copied().unwrap_or(0) > 1
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut registry = lock(&self.registry);
        if let Some(count) = registry.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                registry.remove(&self.key);
            }
        }
    }
}

impl Adopter {
    /// `max_create_requests` (at least 1) bounds how often one create is sent when each earlier request was found
    /// to have made nothing; the provider uses its retry count, so that a 5xx on Create is retried as often as
    /// any other call, only never blindly.
    pub(super) fn new(max_create_requests: u32) -> Adopter {
        Adopter {
            max_create_requests: max_create_requests.max(1),
            baselines: Mutex::new(HashMap::new()),
            ours: Mutex::new(HashMap::new()),
            in_flight: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// The pool's client ids before this process's first create there, listed once; every create in the pool
    /// waits for it. A failed listing is kept as `None` (unless Terraform was stopping), not repeated per create.
    async fn baseline(&self, clients: &UserPoolClients, user_pool_id: &str) -> Option<BTreeSet<String>> {
        let cell = Arc::clone(lock(&self.baselines).entry(user_pool_id.to_string()).or_default());
        let listed = cell
            .get_or_try_init(|| async {
                match clients.list(user_pool_id).await {
                    Ok(clients) => Ok(Some(clients.into_iter().map(|client| client.client_id).collect())),
                    Err(error) if error.kind == ErrorKind::Cancelled => Err(error),
                    Err(error) => {
                        tracing::warn!(
                            user_pool_id,
                            error = %error,
                            "could not list the pool's app clients; a create whose response is lost will be \
                             reported instead of adopted"
                        );
                        Ok(None)
                    }
                }
            })
            .await;
        listed.ok().cloned().flatten()
    }

    fn remember(&self, client: &RemoteClient) {
        lock(&self.ours)
            .entry(client.user_pool_id.clone())
            .or_default()
            .insert(client.client_id.clone());
    }

    fn ours(&self, user_pool_id: &str) -> BTreeSet<String> {
        lock(&self.ours).get(user_pool_id).cloned().unwrap_or_default()
    }

    /// Looks for the client a create that failed with `error` may have made. `Ok(Some)`: adopted; `Ok(None)`: not
    /// created; `Err`: the error to report.
    async fn look_for_created(
        &self,
        clients: &UserPoolClients,
        user_pool_id: &str,
        name: &str,
        baseline: Option<&BTreeSet<String>>,
        in_flight: &InFlight,
        error: &ApiError,
    ) -> Result<Option<RemoteClient>, ApiError> {
        let listed = clients
            .list(user_pool_id)
            .await
            .map_err(|list_error| unresolved(error, &format!("looking for it failed: {list_error}")))?;
        let named: Vec<ClientSummary> = listed.into_iter().filter(|client| client.name == name).collect();
        match decide(&named, baseline, &self.ours(user_pool_id), in_flight.others()) {
            Adoption::NotCreated => Ok(None),
            Adoption::Adopt(client_id) => match clients.describe(user_pool_id, &client_id).await {
                Ok(Some(client)) => Ok(Some(client)),
                Ok(None) => Err(unresolved(
                    error,
                    &format!("the new client {client_id} named {name:?} disappeared before it could be adopted"),
                )),
                Err(describe_error) => Err(unresolved(
                    error,
                    &format!("the new client {client_id} named {name:?} could not be described: {describe_error}"),
                )),
            },
            Adoption::Unclear { client_ids, reason } => Err(unresolved(
                error,
                &format!(
                    "found app clients named {name:?} that may be the one it made ({}), but {reason}",
                    client_ids.join(", ")
                ),
            )),
        }
    }

    /// Creates the client, adopting the one a request whose answer was lost made rather than making another.
    pub(super) async fn create(
        &self,
        clients: &UserPoolClients,
        user_pool_id: &str,
        settings: &ClientSettings,
        secret: &InitialSecret,
    ) -> Result<RemoteClient, ApiError> {
        let baseline = self.baseline(clients, user_pool_id).await;
        let in_flight = InFlight::enter(&self.in_flight, (user_pool_id.to_string(), settings.name.clone()));
        let mut requests = 0;
        loop {
            requests += 1;
            let error = match clients.create_once(user_pool_id, settings, secret).await {
                Ok(client) => {
                    self.remember(&client);
                    return Ok(client);
                }
                Err(error) if !may_have_created(&error) => return Err(error),
                Err(error) => error,
            };
            tracing::warn!(
                user_pool_id,
                name = %settings.name,
                error = %error,
                "CreateUserPoolClient may have taken effect without an answer; looking for the client"
            );
            match self
                .look_for_created(
                    clients,
                    user_pool_id,
                    &settings.name,
                    baseline.as_ref(),
                    &in_flight,
                    &error,
                )
                .await?
            {
                Some(client) => {
                    tracing::warn!(
                        user_pool_id,
                        client_id = %client.client_id,
                        "adopted the app client made by a create whose answer was lost"
                    );
                    self.remember(&client);
                    return Ok(client);
                }
                None if requests < self.max_create_requests => {
                    tracing::info!(user_pool_id, name = %settings.name, "no client was made; creating again");
                }
                None => {
                    return Err(ApiError {
                        kind: ErrorKind::Transient,
                        message: format!(
                            "{}; none of the {requests} requests made a client (the pool was checked after each)",
                            error.message
                        ),
                        ..error
                    });
                }
            }
        }
    }
}

/// The create's error, kept ambiguous (so the hint tells the user to import or delete), with what the lookup saw.
fn unresolved(error: &ApiError, finding: &str) -> ApiError {
    ApiError {
        kind: ErrorKind::Ambiguous,
        message: format!(
            "{}; the request may have created the client, and {finding}",
            error.message
        ),
        ..error.clone()
    }
}

#[cfg(test)]
mod tests;

//! [`Adopter`]: CreateUserPoolClient without duplicates, and without ever claiming another run's client, when a
//! response is lost. It wraps creates only; every request it makes (the create, the listings and descriptions of
//! its lookups) goes through the [`super::Stack`], within the create's one [`Budget`].
//!
//! Create is not idempotent: when its request left but no verdict came back (a timeout, a reset connection, a 5xx
//! from a front end), the client may or may not exist, and sending the request again could make a second one. So
//! a create is never repeated blindly:
//! 1. Just before each request, the pool's clients are listed. Creates waiting together share a listing, but never
//!    one that started before they asked.
//! 2. When the request fails without a verdict, the pool is listed again. Each client of the requested name that
//!    the first listing did not hold is described, and it is certainly not the one the request made if it is
//!    dated outside the request's window on Cognito's clock ([`clock`]), if another run on this machine made it
//!    ([`registry`]), or if it has the other kind of secret. Of the rest, a client whose configuration is exactly
//!    the one sent, when it is the only one, is adopted: the caller gets it with a note naming it, which the
//!    resource shows as a warning.
//! 3. When nothing is left, the request made nothing and is sent again (at most `max_create_requests` requests).
//!    When another create of the same name is under way (in this run, or another on this machine), the lookup
//!    waits for it to end and looks once more. Otherwise the create fails, listing the clients that may be the one
//!    it made and how to import the right one; nothing is adopted.
//!
//! Only a request that may have reached Cognito counts ([`may_have_created`]): the SDK layer says "not sent" only
//! when the HTTP client reports a failure to connect.

mod clock;
mod decide;
#[cfg(unix)]
mod registry;

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

pub use decide::{Newcomer, Verdict, decide};
#[cfg(unix)]
pub use registry::Registry;

use super::{ApiError, Budget, Effect, ErrorKind, UserPoolClients};
use crate::cognito::api::user_pool_client::mapping::as_cognito_reports;
use crate::cognito::user_pool_client::model::{ClientSettings, InitialSecret, RemoteClient};

/// How often one create is sent at most by default, when each earlier request was found not to have made a client.
pub const DEFAULT_MAX_CREATE_REQUESTS: u32 = 3;
/// How long a lookup waits at most for another create of the same name to end.
const NAMESAKE_PATIENCE: Duration = Duration::from_secs(15);

/// Whether a failed create may nevertheless have made a client.
pub fn may_have_created(error: &ApiError) -> bool {
    error.operation.effect == Effect::Create
        && error.request_sent
        && matches!(error.kind, ErrorKind::Ambiguous | ErrorKind::Transient)
}

/// A created client, and when it was adopted rather than answered, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub client: RemoteClient,
    /// Set when the client was found in the pool after the create's answer was lost: what happened, for a
    /// warning that names the client.
    pub adopted: Option<String>,
}

#[cfg(not(unix))]
mod registry {
    //! Without a per-user runtime directory, a run knows only its own creates.
    use std::collections::BTreeSet;

    #[derive(Debug, Default)]
    pub struct Registry;
    pub struct Marker;

    impl Registry {
        pub fn on_this_machine(_origin: &str) -> Registry {
            Registry
        }
        pub fn enter(&self, _pool: &str, _name: &str) -> Option<Marker> {
            None
        }
        pub fn others_creating(&self, _pool: &str, _name: &str, _mine: Option<&Marker>) -> bool {
            false
        }
        pub fn claim(&self, _pool: &str, _name: &str, _client_id: &str) {}
        pub fn claimed(&self, _pool: &str, _name: &str) -> BTreeSet<String> {
            BTreeSet::new()
        }
    }
}
#[cfg(not(unix))]
pub use registry::Registry;

/// The latest listing of a pool, shared by the creates that asked for one while it was being taken.
struct Listing {
    started: tokio::time::Instant,
    /// The client ids; `None` when the pool could not be listed.
    ids: Option<BTreeSet<String>>,
}

type PoolListing = Arc<tokio::sync::Mutex<Option<Listing>>>;

/// What adoption remembers across the creates of one provider configuration.
pub(super) struct Adopter {
    /// Per pool, the latest listing before a create.
    listings: Mutex<HashMap<String, PoolListing>>,
    /// Per pool, the clients this run created or adopted.
    ours: Mutex<HashMap<String, BTreeSet<String>>>,
    /// Creates under way in this run, per (pool, name).
    in_flight: Arc<Mutex<HashMap<(String, String), usize>>>,
    /// The other runs on this machine.
    registry: Registry,
    clock: clock::Clock,
    /// Requests per create at most, each after the pool showed that the previous one made nothing.
    max_create_requests: u32,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One create under way, counted in this run and marked for others, for as long as it lives (a dropped create
/// future is counted out too).
struct InFlight {
    key: (String, String),
    counts: Arc<Mutex<HashMap<(String, String), usize>>>,
    #[cfg_attr(not(unix), allow(dead_code))]
    marker: Option<registry::Marker>,
}

impl InFlight {
    /// Whether another create of the same name in the pool is under way, in this run or another on this machine.
    fn namesakes(&self, registry: &Registry) -> bool {
        let here = lock(&self.counts).get(&self.key).copied().unwrap_or(0) > 1;
        here || registry.others_creating(&self.key.0, &self.key.1, self.marker.as_ref())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut counts = lock(&self.counts);
        if let Some(count) = counts.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.key);
            }
        }
    }
}

/// One create request: its outcome, and when it was sent and answered (this machine's clock).
pub(super) struct Attempt {
    pub(super) result: Result<RemoteClient, ApiError>,
    pub(super) sent: SystemTime,
    pub(super) answered: SystemTime,
}

impl Adopter {
    /// `max_create_requests` (at least 1) bounds how often one create is sent when each earlier request was found
    /// to have made nothing; the provider uses its retry count, so that a 5xx on Create is retried as often as
    /// any other call, only never blindly.
    pub(super) fn new(max_create_requests: u32, registry: Registry) -> Adopter {
        Adopter {
            listings: Mutex::new(HashMap::new()),
            ours: Mutex::new(HashMap::new()),
            in_flight: Arc::new(Mutex::new(HashMap::new())),
            registry,
            clock: clock::Clock::default(),
            max_create_requests: max_create_requests.max(1),
        }
    }

    /// A successful call about a client reported `date` (CreationDate or LastModifiedDate): it measures the offset
    /// between this machine's clock and Cognito's.
    pub(super) fn observe_clock(&self, sent: SystemTime, answered: SystemTime, date: Option<&str>) {
        self.clock.observe(sent, answered, date);
    }

    fn enter(&self, user_pool_id: &str, name: &str) -> InFlight {
        let key = (user_pool_id.to_string(), name.to_string());
        *lock(&self.in_flight).entry(key.clone()).or_insert(0) += 1;
        InFlight {
            marker: self.registry.enter(user_pool_id, name),
            key,
            counts: Arc::clone(&self.in_flight),
        }
    }

    fn remember(&self, client: &RemoteClient) {
        lock(&self.ours)
            .entry(client.user_pool_id.clone())
            .or_default()
            .insert(client.client_id.clone());
        self.registry
            .claim(&client.user_pool_id, &client.settings.name, &client.client_id);
    }

    fn ours(&self, user_pool_id: &str) -> BTreeSet<String> {
        lock(&self.ours).get(user_pool_id).cloned().unwrap_or_default()
    }

    /// The pool's client ids from a listing that started after `asked`: one taken now, or one another create
    /// started after `asked` and this one waited for. `None` when the pool cannot be listed (e.g. no
    /// `cognito-idp:ListUserPoolClients` permission); an error only when Terraform is stopping.
    async fn listing_since(
        &self,
        clients: &UserPoolClients,
        budget: &Budget,
        user_pool_id: &str,
        asked: tokio::time::Instant,
    ) -> Result<Option<BTreeSet<String>>, ApiError> {
        let pool = Arc::clone(lock(&self.listings).entry(user_pool_id.to_string()).or_default());
        let mut latest = pool.lock().await;
        if let Some(listing) = latest.as_ref()
            && listing.started >= asked
        {
            return Ok(listing.ids.clone());
        }
        let started = tokio::time::Instant::now();
        let ids = match clients.list_within(budget, user_pool_id).await {
            Ok(listed) => Some(listed.into_iter().map(|client| client.client_id).collect()),
            Err(error) if error.kind == ErrorKind::Cancelled => return Err(error),
            Err(error) => {
                tracing::warn!(
                    user_pool_id,
                    %error,
                    "could not list the pool's app clients; a create whose answer is lost will be reported \
                     instead of adopted"
                );
                None
            }
        };
        *latest = Some(Listing {
            started,
            ids: ids.clone(),
        });
        Ok(ids)
    }

    /// Creates the client, adopting the one a request whose answer was lost made rather than making another.
    pub(super) async fn create(
        &self,
        clients: &UserPoolClients,
        user_pool_id: &str,
        settings: &ClientSettings,
        secret: &InitialSecret,
    ) -> Result<Created, ApiError> {
        let budget = clients.budget();
        let in_flight = self.enter(user_pool_id, &settings.name);
        let mut before = self
            .listing_since(clients, &budget, user_pool_id, tokio::time::Instant::now())
            .await?;
        let mut requests = 0;
        loop {
            requests += 1;
            let attempt = clients.create_attempt(&budget, user_pool_id, settings, secret).await;
            let error = match attempt.result {
                Ok(client) => {
                    self.clock
                        .observe(attempt.sent, attempt.answered, client.creation_date.as_deref());
                    self.remember(&client);
                    return Ok(Created { client, adopted: None });
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
            let request = Request {
                user_pool_id,
                settings,
                confidential: secret.is_confidential(),
                sent: attempt.sent,
                answered: attempt.answered,
                error: &error,
            };
            match self
                .look_for_created(clients, &budget, &request, before.as_ref(), &in_flight)
                .await?
            {
                Found::Adopted(client) => {
                    tracing::warn!(
                        user_pool_id,
                        client_id = %client.client_id,
                        "adopted the app client made by a create whose answer was lost"
                    );
                    self.remember(&client);
                    let note = adoption_note(&client, &error);
                    return Ok(Created {
                        client: *client,
                        adopted: Some(note),
                    });
                }
                Found::Nothing(listing) if requests < self.max_create_requests => {
                    tracing::info!(user_pool_id, name = %settings.name, "no client was made; creating again");
                    // The lookup's listing was taken after the failed request and before the next one.
                    before = Some(listing);
                }
                Found::Nothing(_) => {
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

    /// Looks for the client `request` may have made. An error is the one to report (ambiguous, so that its hint
    /// says to import or delete).
    async fn look_for_created(
        &self,
        clients: &UserPoolClients,
        budget: &Budget,
        request: &Request<'_>,
        before: Option<&BTreeSet<String>>,
        in_flight: &InFlight,
    ) -> Result<Found, ApiError> {
        let name = &request.settings.name;
        let mut waited = false;
        loop {
            let listed = clients
                .list_within(budget, request.user_pool_id)
                .await
                .map_err(|list_error| unresolved(request.error, &format!("looking for it failed: {list_error}")))?;
            let ids: BTreeSet<String> = listed.iter().map(|client| client.client_id.clone()).collect();
            let ours = self.ours(request.user_pool_id);
            let claimed = self.registry.claimed(request.user_pool_id, name);
            let mut newcomers = Vec::new();
            let mut described = HashMap::new();
            for summary in listed.iter().filter(|client| &client.name == name) {
                let id = &summary.client_id;
                if ours.contains(id) || before.is_some_and(|before| before.contains(id)) {
                    continue;
                }
                let Some(client) = clients
                    .describe_within(budget, request.user_pool_id, id)
                    .await
                    .map_err(|error| unresolved(request.error, &format!("describing {id} failed: {error}")))?
                else {
                    continue;
                };
                newcomers.push(self.judge(&client, request, &claimed));
                described.insert(id.clone(), client);
            }
            let namesakes = in_flight.namesakes(&self.registry);
            match decide(&newcomers, before.is_some(), namesakes && !waited) {
                Verdict::Adopt(id) => {
                    let client = described.remove(&id).expect("a newcomer was described");
                    return Ok(Found::Adopted(Box::new(client)));
                }
                Verdict::NotCreated => return Ok(Found::Nothing(ids)),
                Verdict::Wait => {
                    waited = true;
                    self.wait_for_namesakes(budget, in_flight).await;
                }
                Verdict::Unclear { client_ids, reason } => {
                    let reason = if namesakes {
                        "another create of a client with this name in this pool is under way"
                    } else {
                        reason
                    };
                    return Err(unresolved(
                        request.error,
                        &candidates_message(request.user_pool_id, name, &client_ids, reason),
                    ));
                }
            }
        }
    }

    /// The facts about one newcomer.
    fn judge(&self, client: &RemoteClient, request: &Request<'_>, claimed: &BTreeSet<String>) -> Newcomer {
        Newcomer {
            client_id: client.client_id.clone(),
            outside_window: self
                .clock
                .outside_window(request.sent, request.answered, client.creation_date.as_deref()),
            claimed_elsewhere: claimed.contains(&client.client_id),
            secret_differs: client.client_secret.is_some() != request.confidential,
            configuration_differs: client.settings != as_cognito_reports(request.settings),
        }
    }

    /// Waits until no other create of the same name is under way, within the budget and [`NAMESAKE_PATIENCE`].
    async fn wait_for_namesakes(&self, budget: &Budget, in_flight: &InFlight) {
        let patience = budget.remaining().min(NAMESAKE_PATIENCE);
        let started = tokio::time::Instant::now();
        while in_flight.namesakes(&self.registry) && started.elapsed() < patience {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// A create request that failed without a verdict.
struct Request<'a> {
    user_pool_id: &'a str,
    settings: &'a ClientSettings,
    /// Whether the create asked for a secret (generated or custom).
    confidential: bool,
    sent: SystemTime,
    answered: SystemTime,
    error: &'a ApiError,
}

/// What a lookup found.
enum Found {
    Adopted(Box<RemoteClient>),
    /// Nothing the request can have made; the pool's client ids as just listed.
    Nothing(BTreeSet<String>),
}

/// The warning for an adopted client.
fn adoption_note(client: &RemoteClient, error: &ApiError) -> String {
    format!(
        "The answer to CreateUserPoolClient was lost ({error}). The app client {} named {:?} in user pool {}, created \
         {} with exactly the requested configuration and absent from the pool's listing just before the request, \
         was taken to be the one it made and is now managed here. If another run or tool made it at that very \
         moment, remove it from this state (terraform state rm) and import the right client instead.",
        client.client_id,
        client.settings.name,
        client.user_pool_id,
        client.creation_date.as_deref().unwrap_or("at an unknown time"),
    )
}

/// The clients that may be the one the request made, and how to resolve it.
fn candidates_message(user_pool_id: &str, name: &str, client_ids: &[String], reason: &str) -> String {
    format!(
        "found app clients named {name:?} that may be the one it made ({}), but {reason}; none was adopted. Import \
         the one this configuration should manage (terraform import <resource address> {user_pool_id}/<client id>) \
         and delete the others (aws cognito-idp delete-user-pool-client --user-pool-id {user_pool_id} --client-id \
         <client id>), or delete them all, then apply again",
        client_ids.join(", ")
    )
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

use std::time::Duration;

use tokio::time::Instant;

use super::*;
use crate::cognito::api::{FakeCognito, Operation, Pacer, PacingPolicy, RetryPolicy, Scope, Stack, TestClients};

const POOL: &str = "us-east-1_pool";

fn settings(name: &str) -> ClientSettings {
    ClientSettings::with_defaults(name)
}

fn lost_response() -> ApiError {
    ApiError::new(
        Operation::CREATE_CLIENT,
        Scope::pool(POOL),
        ErrorKind::Ambiguous,
        "connection closed before the response",
    )
}

/// An error answer of Cognito's to `operation` in the pool.
fn service(operation: Operation, code: &str, status: u16) -> ApiError {
    ApiError::from_service(operation, Scope::pool(POOL), code, format!("injected {code}"), status)
}

fn server_error() -> ApiError {
    service(Operation::CREATE_CLIENT, "InternalErrorException", 500)
}

fn operations(fake: &FakeCognito) -> Vec<&'static str> {
    fake.requests().iter().map(|request| request.operation.name).collect()
}

fn direct(fake: FakeCognito) -> TestClients {
    TestClients::new(fake, Stack::default())
}

/// Someone else creates `settings` in the pool just before the next create request arrives, i.e. after the
/// listing taken for it.
fn namesake_before_next_create(fake: &FakeCognito, settings: ClientSettings) {
    fake.before_next(Operation::CREATE_CLIENT, move |fake| {
        fake.insert_client(POOL, &settings, false);
    });
}

#[test]
fn only_sent_creates_that_failed_without_a_verdict_may_have_made_a_client() {
    assert!(may_have_created(&lost_response()));
    assert!(may_have_created(&server_error()));
    assert!(!may_have_created(&lost_response().not_sent()));
    assert!(!may_have_created(&service(
        Operation::CREATE_CLIENT,
        "TooManyRequestsException",
        400
    )));
    let update = ApiError::new(
        Operation::UPDATE_CLIENT,
        Scope::client(POOL, "c"),
        ErrorKind::Ambiguous,
        "lost",
    );
    assert!(!may_have_created(&update));
}

#[tokio::test]
async fn a_lost_create_response_adopts_the_client_with_a_note_naming_it() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    fake.fail_next_after_effect(Operation::CREATE_CLIENT, lost_response());
    let api = direct(fake);

    let created = api.create(POOL, &settings("app"), true).await.unwrap();

    let clients = api.inner().clients(POOL);
    assert_eq!(clients.len(), 1, "no duplicate");
    assert_eq!(created.client, clients[0], "adopted as Cognito describes it");
    assert!(created.client.client_secret.is_some(), "the secret comes with it");
    let note = created.adopted.expect("a note for the warning");
    assert!(note.contains(&clients[0].client_id), "{note}");
    assert_eq!(
        operations(api.inner()),
        [
            "ListUserPoolClients",
            "CreateUserPoolClient",
            "ListUserPoolClients",
            "DescribeUserPoolClient"
        ],
        "the listing before, the lost create, the lookup, the adoption; no second create"
    );
}

#[tokio::test]
async fn a_create_answered_normally_carries_no_note() {
    let api = direct(FakeCognito::new().with_user_pool(POOL));
    let created = api.create(POOL, &settings("app"), false).await.unwrap();
    assert_eq!(created.adopted, None);
}

#[tokio::test]
async fn an_older_namesake_is_not_mistaken_for_the_lost_client() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    let older = fake.insert_client(POOL, &settings("app"), false);
    fake.fail_next_after_effect(Operation::CREATE_CLIENT, lost_response());
    let api = direct(fake);

    let created = api.create(POOL, &settings("app"), false).await.unwrap();

    assert_ne!(created.client.client_id, older.client_id);
    assert_eq!(api.inner().clients(POOL).len(), 2);
    assert_eq!(api.inner().requests_of(Operation::CREATE_CLIENT).len(), 1);
}

#[tokio::test]
async fn a_create_that_made_nothing_is_sent_again_after_the_lookup() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    fake.fail_next(Operation::CREATE_CLIENT, server_error());
    let api = direct(fake);

    let created = api.create(POOL, &settings("app"), false).await.unwrap();

    assert_eq!(api.inner().clients(POOL), [created.client]);
    assert_eq!(
        operations(api.inner()),
        [
            "ListUserPoolClients",
            "CreateUserPoolClient",
            "ListUserPoolClients",
            "CreateUserPoolClient"
        ],
        "the lookup's listing is the one before the second request"
    );
}

#[tokio::test]
async fn creates_that_keep_making_nothing_give_up_after_three_requests() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    for _ in 0..5 {
        fake.fail_next(Operation::CREATE_CLIENT, server_error());
    }
    let api = direct(fake);

    let error = api.create(POOL, &settings("app"), false).await.unwrap_err();

    assert_eq!(error.kind, ErrorKind::Transient);
    assert!(
        error.message.contains("none of the 3 requests made a client"),
        "{error}"
    );
    assert_eq!(api.inner().requests_of(Operation::CREATE_CLIENT).len(), 3);
    assert!(api.inner().clients(POOL).is_empty());
}

#[tokio::test]
async fn the_number_of_create_requests_is_configurable() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    for _ in 0..5 {
        fake.fail_next(Operation::CREATE_CLIENT, server_error());
    }
    let api = TestClients::with_max_create_requests(fake, Stack::default(), 6);
    api.create(POOL, &settings("app"), false).await.unwrap();
    assert_eq!(api.inner().requests_of(Operation::CREATE_CLIENT).len(), 6);
    assert_eq!(api.inner().clients(POOL).len(), 1);
}

#[tokio::test]
async fn a_namesake_with_another_configuration_is_reported_not_adopted_nor_duplicated() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    let mut theirs = settings("app");
    theirs.callback_urls.insert("https://elsewhere.example.com/cb".into());
    namesake_before_next_create(&fake, theirs);
    fake.fail_next(Operation::CREATE_CLIENT, server_error());
    let api = direct(fake);

    let error = api.create(POOL, &settings("app"), false).await.unwrap_err();

    let namesake = &api.inner().clients(POOL)[0];
    assert_eq!(error.kind, ErrorKind::Ambiguous, "the hint says to import or delete");
    assert!(error.message.contains(&namesake.client_id), "{error}");
    assert!(error.message.contains("configuration"), "{error}");
    assert!(error.message.contains("terraform import"), "{error}");
    assert_eq!(
        api.inner().requests_of(Operation::CREATE_CLIENT).len(),
        1,
        "not sent again either"
    );
}

#[tokio::test]
async fn two_plausible_clients_are_reported() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    namesake_before_next_create(&fake, settings("app"));
    fake.fail_next_after_effect(Operation::CREATE_CLIENT, lost_response());
    let api = direct(fake);

    let error = api.create(POOL, &settings("app"), false).await.unwrap_err();

    for client in api.inner().clients(POOL) {
        assert!(error.message.contains(&client.client_id), "{error}");
    }
    assert!(error.message.contains("more than one"), "{error}");
}

// The registry shared between runs lives in the per-user runtime directory, on Unix.
#[cfg(unix)]
#[tokio::test]
async fn a_client_another_run_on_this_machine_claimed_is_never_adopted() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeCognito::new().with_user_pool(POOL);
    let other_run = Registry::in_dir(dir.path().to_path_buf(), "local");
    fake.before_next(Operation::CREATE_CLIENT, move |fake| {
        let theirs = fake.insert_client(POOL, &ClientSettings::with_defaults("app"), false);
        other_run.claim(POOL, "app", &theirs.client_id);
    });
    fake.fail_next(Operation::CREATE_CLIENT, server_error());
    let registry = Registry::in_dir(dir.path().to_path_buf(), "local");
    let api = TestClients::with_registry(fake, Stack::default(), 3, registry);

    let created = api.create(POOL, &settings("app"), false).await.unwrap();

    let clients = api.inner().clients(POOL);
    assert_eq!(clients.len(), 2, "theirs, and ours made by the second request");
    assert_eq!(created.client, clients[1]);
    assert_eq!(created.adopted, None);
    let claimed = Registry::in_dir(dir.path().to_path_buf(), "local").claimed(POOL, "app");
    assert!(claimed.contains(&created.client.client_id), "ours is claimed in turn");
}

// The registry shared between runs lives in the per-user runtime directory, on Unix.
#[cfg(unix)]
#[tokio::test]
async fn a_create_of_the_same_name_under_way_in_another_run_is_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeCognito::new().with_user_pool(POOL);
    // Another run is creating "app" too: its client appears after this run's listing, but that run claims it only
    // a while later, when its own answer arrives.
    let other_run = Registry::in_dir(dir.path().to_path_buf(), "local");
    let marker = other_run.enter(POOL, "app").unwrap();
    let (appeared, theirs) = tokio::sync::oneshot::channel();
    fake.before_next(Operation::CREATE_CLIENT, move |fake| {
        let _ = appeared.send(fake.insert_client(POOL, &ClientSettings::with_defaults("app"), false));
    });
    fake.fail_next_after_effect(Operation::CREATE_CLIENT, lost_response());
    let other = tokio::spawn(async move {
        let theirs = theirs.await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        other_run.claim(POOL, "app", &theirs.client_id);
        drop(marker);
        theirs
    });
    let policy = RetryPolicy {
        max_total: Duration::from_secs(10),
        ..RetryPolicy::ONCE
    };
    let api = TestClients::with_registry(
        fake,
        Stack::default().with_retry(policy),
        3,
        Registry::in_dir(dir.path().to_path_buf(), "local"),
    );

    let started = Instant::now();
    let created = api.create(POOL, &settings("app"), false).await.unwrap();

    let theirs = other.await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "it waited for the other run"
    );
    assert_ne!(created.client.client_id, theirs.client_id);
    assert!(created.adopted.is_some(), "ours, adopted once theirs was claimed");
    assert_eq!(api.inner().clients(POOL).len(), 2);
}

// The registry shared between runs lives in the per-user runtime directory, on Unix.
#[cfg(unix)]
#[tokio::test]
async fn a_namesake_create_that_does_not_end_in_time_leaves_the_create_unresolved() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeCognito::new().with_user_pool(POOL);
    let other_run = Registry::in_dir(dir.path().to_path_buf(), "local");
    let _marker = other_run.enter(POOL, "app").unwrap();
    namesake_before_next_create(&fake, settings("app"));
    fake.fail_next_after_effect(Operation::CREATE_CLIENT, lost_response());
    let api = TestClients::with_registry(
        fake,
        Stack::default(),
        3,
        Registry::in_dir(dir.path().to_path_buf(), "local"),
    );

    let error = api.create(POOL, &settings("app"), false).await.unwrap_err();

    assert!(error.message.contains("under way"), "{error}");
    for client in api.inner().clients(POOL) {
        assert!(error.message.contains(&client.client_id), "{error}");
    }
}

#[tokio::test]
async fn without_a_listing_before_the_request_a_match_is_reported_with_its_id() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    fake.fail_next(
        Operation::LIST_CLIENTS,
        service(Operation::LIST_CLIENTS, "NotAuthorizedException", 400),
    );
    fake.fail_next_after_effect(Operation::CREATE_CLIENT, lost_response());
    let api = direct(fake);

    let error = api.create(POOL, &settings("app"), false).await.unwrap_err();

    let made = &api.inner().clients(POOL)[0];
    assert!(error.message.contains(&made.client_id), "{error}");
    assert!(error.message.contains("could not be listed"), "{error}");
    assert!(error.hint().unwrap().contains("import it or delete it"));
    assert_eq!(api.inner().requests_of(Operation::CREATE_CLIENT).len(), 1);
}

#[tokio::test]
async fn errors_that_prove_nothing_was_made_pass_through_without_a_lookup() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    fake.set_client_quota(0);
    let api = direct(fake);

    let error = api.create(POOL, &settings("app"), false).await.unwrap_err();

    assert_eq!(error.kind, ErrorKind::LimitExceeded);
    assert_eq!(operations(api.inner()), ["ListUserPoolClients", "CreateUserPoolClient"]);
}

/// Creates waiting together share the listing taken for them; a later create gets a fresh one.
#[tokio::test(start_paused = true)]
async fn creates_waiting_together_share_a_fresh_listing() {
    let pacer = Arc::new(Pacer::new(PacingPolicy::COGNITO_DEFAULTS));
    let api = Arc::new(TestClients::new(
        FakeCognito::new().with_user_pool(POOL),
        Stack::default().with_pacer(pacer),
    ));
    let tasks: Vec<_> = (0..5)
        .map(|index| {
            let api = Arc::clone(&api);
            tokio::spawn(async move { api.create(POOL, &settings(&format!("app-{index}")), false).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(api.inner().requests_of(Operation::LIST_CLIENTS).len(), 1);
    api.create(POOL, &settings("later"), false).await.unwrap();
    assert_eq!(api.inner().requests_of(Operation::LIST_CLIENTS).len(), 2);
}

#[tokio::test]
async fn lookups_go_through_the_retry_layer() {
    let policy = RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(2),
        max_total: Duration::from_secs(10),
    };
    let fake = FakeCognito::new().with_user_pool(POOL);
    fake.fail_next_after_effect(Operation::CREATE_CLIENT, lost_response());
    // The listing before succeeds; the lookup's first page is throttled and retried.
    fake.before_next(Operation::CREATE_CLIENT, |fake| {
        fake.fail_next(
            Operation::LIST_CLIENTS,
            service(Operation::LIST_CLIENTS, "TooManyRequestsException", 400),
        );
    });
    let api = TestClients::new(fake, Stack::default().with_retry(policy));

    let created = api.create(POOL, &settings("app"), false).await.unwrap();

    let fake = api.inner();
    assert_eq!(fake.clients(POOL), [created.client]);
    assert_eq!(
        fake.requests_of(Operation::CREATE_CLIENT).len(),
        1,
        "the retry layer never repeats a lost create"
    );
    assert_eq!(fake.requests_of(Operation::LIST_CLIENTS).len(), 3);
}

/// The lookups after a lost create share its budget: they give up when it is spent, not a budget later.
#[tokio::test(start_paused = true)]
async fn lookups_share_the_create_budget() {
    let policy = RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(4),
        max_total: Duration::from_secs(30),
    };
    let fake = FakeCognito::new().with_user_pool(POOL);
    fake.fail_next_after_effect(Operation::CREATE_CLIENT, lost_response());
    fake.before_next(Operation::CREATE_CLIENT, |fake| {
        for _ in 0..1000 {
            fake.fail_next(
                Operation::LIST_CLIENTS,
                service(Operation::LIST_CLIENTS, "TooManyRequestsException", 400),
            );
        }
    });
    let api = TestClients::new(fake, Stack::default().with_retry(policy));

    let started = Instant::now();
    let error = api.create(POOL, &settings("app"), false).await.unwrap_err();

    assert!(started.elapsed() <= Duration::from_secs(30), "{:?}", started.elapsed());
    assert!(started.elapsed() >= Duration::from_secs(20), "{:?}", started.elapsed());
    assert_eq!(error.kind, ErrorKind::Ambiguous);
    assert!(error.message.contains("looking for it failed"), "{error}");
}

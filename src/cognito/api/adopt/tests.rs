use std::time::Duration;

use super::*;
use crate::cognito::api::{FakeCognito, Operation, RetryPolicy, Scope, Stack, TestClients};

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

fn summary(id: &str, name: &str) -> ClientSummary {
    ClientSummary {
        client_id: id.to_string(),
        name: name.to_string(),
    }
}

fn ids(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|id| id.to_string()).collect()
}

fn operations(fake: &FakeCognito) -> Vec<Operation> {
    fake.requests().iter().map(|request| request.operation).collect()
}

#[test]
fn exactly_one_new_client_of_the_name_is_adopted() {
    let named = [summary("old", "app"), summary("new", "app")];
    assert_eq!(
        decide(&named, Some(&ids(&["old"])), &ids(&[]), false),
        Adoption::Adopt("new".to_string())
    );
}

#[test]
fn clients_known_before_or_made_by_this_process_are_never_candidates() {
    let named = [summary("old", "app"), summary("mine", "app")];
    assert_eq!(
        decide(&named, Some(&ids(&["old"])), &ids(&["mine"]), false),
        Adoption::NotCreated
    );
    assert_eq!(decide(&[], None, &ids(&[]), false), Adoption::NotCreated);
}

#[test]
fn several_candidates_a_missing_baseline_or_a_concurrent_namesake_are_unclear() {
    let named = [summary("a", "app"), summary("b", "app")];
    let unclear = |adoption: Adoption| match adoption {
        Adoption::Unclear { client_ids, reason } => (client_ids, reason),
        other => panic!("expected Unclear, got {other:?}"),
    };
    let (client_ids, reason) = unclear(decide(&named, Some(&ids(&[])), &ids(&[]), false));
    assert_eq!(client_ids, ["a", "b"]);
    assert!(reason.contains("more than one"));
    let (client_ids, reason) = unclear(decide(&named[..1], None, &ids(&[]), false));
    assert_eq!(client_ids, ["a"]);
    assert!(reason.contains("could not be listed"));
    let (_, reason) = unclear(decide(&named[..1], Some(&ids(&[])), &ids(&[]), true));
    assert!(reason.contains("same name"));
}

#[test]
fn only_sent_creates_that_failed_without_a_verdict_may_have_made_a_client() {
    assert!(may_have_created(&lost_response()));
    let server_error = service(Operation::CREATE_CLIENT, "InternalErrorException", 500);
    assert!(may_have_created(&server_error));
    assert!(!may_have_created(&lost_response().not_sent()));
    let throttled = service(Operation::CREATE_CLIENT, "TooManyRequestsException", 400);
    assert!(!may_have_created(&throttled));
    let update = ApiError::new(
        Operation::UPDATE_CLIENT,
        Scope::client(POOL, "c"),
        ErrorKind::Ambiguous,
        "lost",
    );
    assert!(!may_have_created(&update));
}

#[tokio::test]
async fn a_lost_create_response_adopts_the_client_instead_of_making_another() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    fake.fail_next_after_effect(Operation::CREATE_CLIENT, lost_response());
    let api = TestClients::new(fake, Stack::default());

    let adopted = api.create(POOL, &settings("app"), true).await.unwrap();

    let fake = api.inner();
    let clients = fake.clients(POOL);
    assert_eq!(clients.len(), 1, "no duplicate");
    assert_eq!(adopted, clients[0], "adopted as Cognito describes it");
    assert!(
        adopted.client_secret.is_some(),
        "the secret comes with the adopted client"
    );
    assert_eq!(
        operations(fake),
        [
            Operation::LIST_CLIENTS,
            Operation::CREATE_CLIENT,
            Operation::LIST_CLIENTS,
            Operation::DESCRIBE_CLIENT
        ],
        "baseline, the lost create, the lookup, the adoption; no second create"
    );
}

#[tokio::test]
async fn an_older_namesake_is_not_mistaken_for_the_lost_client() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    let older = fake.insert_client(POOL, &settings("app"), false);
    fake.fail_next_after_effect(Operation::CREATE_CLIENT, lost_response());
    let api = TestClients::new(fake, Stack::default());

    let adopted = api.create(POOL, &settings("app"), false).await.unwrap();

    assert_ne!(adopted.client_id, older.client_id);
    assert_eq!(api.inner().clients(POOL).len(), 2);
    assert_eq!(api.inner().requests_of(Operation::CREATE_CLIENT).len(), 1);
}

#[tokio::test]
async fn a_create_that_made_nothing_is_sent_again() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    fake.fail_next(
        Operation::CREATE_CLIENT,
        service(Operation::CREATE_CLIENT, "InternalErrorException", 500),
    );
    let api = TestClients::new(fake, Stack::default());

    let created = api.create(POOL, &settings("app"), false).await.unwrap();

    assert_eq!(api.inner().clients(POOL), [created]);
    assert_eq!(
        operations(api.inner()),
        [
            Operation::LIST_CLIENTS,
            Operation::CREATE_CLIENT,
            Operation::LIST_CLIENTS,
            Operation::CREATE_CLIENT
        ]
    );
}

#[tokio::test]
async fn creates_that_keep_making_nothing_give_up_after_three_requests() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    for _ in 0..5 {
        fake.fail_next(
            Operation::CREATE_CLIENT,
            service(Operation::CREATE_CLIENT, "InternalErrorException", 500),
        );
    }
    let api = TestClients::new(fake, Stack::default());

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
        fake.fail_next(
            Operation::CREATE_CLIENT,
            service(Operation::CREATE_CLIENT, "InternalErrorException", 500),
        );
    }
    let api = TestClients::with_max_create_requests(fake, Stack::default(), 6);
    api.create(POOL, &settings("app"), false).await.unwrap();
    assert_eq!(api.inner().requests_of(Operation::CREATE_CLIENT).len(), 6);
    assert_eq!(api.inner().clients(POOL).len(), 1);
}

#[tokio::test]
async fn a_namesake_made_elsewhere_during_the_run_is_reported_not_adopted() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    let api = TestClients::new(fake, Stack::default());
    api.create(POOL, &settings("first"), false).await.unwrap();
    let outsider = api.inner().insert_client(POOL, &settings("app"), false);
    api.inner()
        .fail_next_after_effect(Operation::CREATE_CLIENT, lost_response());

    let error = api.create(POOL, &settings("app"), false).await.unwrap_err();

    assert_eq!(error.kind, ErrorKind::Ambiguous, "the hint says to import or delete");
    assert!(error.message.contains(&outsider.client_id), "{error}");
    assert!(error.message.contains("more than one new client"), "{error}");
    assert_eq!(
        api.inner().requests_of(Operation::CREATE_CLIENT).len(),
        2,
        "never a blind repeat"
    );
    assert_eq!(api.inner().clients(POOL).len(), 3);
}

#[tokio::test]
async fn without_a_baseline_a_match_is_reported_with_its_id() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    fake.fail_next(
        Operation::LIST_CLIENTS,
        service(Operation::LIST_CLIENTS, "NotAuthorizedException", 400),
    );
    fake.fail_next_after_effect(Operation::CREATE_CLIENT, lost_response());
    let api = TestClients::new(fake, Stack::default());

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
    let api = TestClients::new(fake, Stack::default());

    let error = api.create(POOL, &settings("app"), false).await.unwrap_err();

    assert_eq!(error.kind, ErrorKind::LimitExceeded);
    assert_eq!(
        operations(api.inner()),
        [Operation::LIST_CLIENTS, Operation::CREATE_CLIENT]
    );
}

#[tokio::test]
async fn the_baseline_is_listed_once_per_pool() {
    let api = TestClients::new(FakeCognito::new().with_user_pool(POOL), Stack::default());
    for name in ["a", "b", "c"] {
        api.create(POOL, &settings(name), false).await.unwrap();
    }
    assert_eq!(api.inner().requests_of(Operation::LIST_CLIENTS).len(), 1);
}

#[tokio::test]
async fn lookups_go_through_the_retry_layer() {
    let policy = RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(2),
        max_total: Duration::from_secs(10),
    };
    let api = TestClients::new(
        FakeCognito::new().with_user_pool(POOL),
        Stack::default().with_retry(policy),
    );
    // A first create lists the baseline; then the lookup's first list is throttled and retried.
    let first = api.create(POOL, &settings("first"), false).await.unwrap();
    let throttled = service(Operation::LIST_CLIENTS, "TooManyRequestsException", 400);
    api.inner()
        .fail_next_after_effect(Operation::CREATE_CLIENT, lost_response());
    api.inner().fail_next(Operation::LIST_CLIENTS, throttled);

    let adopted = api.create(POOL, &settings("app"), false).await.unwrap();

    let fake = api.inner();
    assert_eq!(fake.clients(POOL), [first, adopted]);
    assert_eq!(
        fake.requests_of(Operation::CREATE_CLIENT).len(),
        2,
        "the retry layer never repeats a lost create"
    );
    assert_eq!(fake.requests_of(Operation::LIST_CLIENTS).len(), 3);
}

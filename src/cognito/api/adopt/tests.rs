use std::time::Duration;

use super::*;
use crate::cognito::api::{FakeCognito, RetryPolicy, RetryingCognito, StopSignal};

const POOL: &str = "us-east-1_pool";

fn settings(name: &str) -> ClientSettings {
    ClientSettings::with_defaults(name)
}

fn lost_response() -> ApiError {
    ApiError::new(
        Operation::Create,
        POOL,
        None,
        ErrorKind::Ambiguous,
        "connection closed before the response",
    )
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
    let server_error = ApiError::from_service(Operation::Create, POOL, None, "InternalErrorException", "oops", 500);
    assert!(may_have_created(&server_error));
    assert!(!may_have_created(&lost_response().not_sent()));
    let throttled = ApiError::from_service(Operation::Create, POOL, None, "TooManyRequestsException", "slow", 400);
    assert!(!may_have_created(&throttled));
    let update = ApiError::new(Operation::Update, POOL, Some("c"), ErrorKind::Ambiguous, "lost");
    assert!(!may_have_created(&update));
}

#[tokio::test]
async fn a_lost_create_response_adopts_the_client_instead_of_making_another() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    fake.fail_next_after_effect(Operation::Create, lost_response());
    let api = AdoptingCognito::new(fake);

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
        [Operation::List, Operation::Create, Operation::List, Operation::Describe],
        "baseline, the lost create, the lookup, the adoption; no second create"
    );
}

#[tokio::test]
async fn an_older_namesake_is_not_mistaken_for_the_lost_client() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    let older = fake.insert_client(POOL, &settings("app"), false);
    fake.fail_next_after_effect(Operation::Create, lost_response());
    let api = AdoptingCognito::new(fake);

    let adopted = api.create(POOL, &settings("app"), false).await.unwrap();

    assert_ne!(adopted.client_id, older.client_id);
    assert_eq!(api.inner().clients(POOL).len(), 2);
    assert_eq!(api.inner().requests_of(Operation::Create).len(), 1);
}

#[tokio::test]
async fn a_create_that_made_nothing_is_sent_again() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    fake.fail_next(
        Operation::Create,
        ApiError::from_service(Operation::Create, POOL, None, "InternalErrorException", "oops", 500),
    );
    let api = AdoptingCognito::new(fake);

    let created = api.create(POOL, &settings("app"), false).await.unwrap();

    assert_eq!(api.inner().clients(POOL), [created]);
    assert_eq!(
        operations(api.inner()),
        [Operation::List, Operation::Create, Operation::List, Operation::Create]
    );
}

#[tokio::test]
async fn creates_that_keep_making_nothing_give_up_after_three_requests() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    for _ in 0..5 {
        fake.fail_next(
            Operation::Create,
            ApiError::from_service(Operation::Create, POOL, None, "InternalErrorException", "oops", 500),
        );
    }
    let api = AdoptingCognito::new(fake);

    let error = api.create(POOL, &settings("app"), false).await.unwrap_err();

    assert_eq!(error.kind, ErrorKind::Transient);
    assert!(
        error.message.contains("none of the 3 requests made a client"),
        "{error}"
    );
    assert_eq!(api.inner().requests_of(Operation::Create).len(), 3);
    assert!(api.inner().clients(POOL).is_empty());
}

#[tokio::test]
async fn the_number_of_create_requests_is_configurable() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    for _ in 0..5 {
        fake.fail_next(
            Operation::Create,
            ApiError::from_service(Operation::Create, POOL, None, "InternalErrorException", "oops", 500),
        );
    }
    let api = AdoptingCognito::with_max_create_requests(fake, 6);
    api.create(POOL, &settings("app"), false).await.unwrap();
    assert_eq!(api.inner().requests_of(Operation::Create).len(), 6);
    assert_eq!(api.inner().clients(POOL).len(), 1);
}

#[tokio::test]
async fn a_namesake_made_elsewhere_during_the_run_is_reported_not_adopted() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    let api = AdoptingCognito::new(fake);
    api.create(POOL, &settings("first"), false).await.unwrap();
    let outsider = api.inner().insert_client(POOL, &settings("app"), false);
    api.inner().fail_next_after_effect(Operation::Create, lost_response());

    let error = api.create(POOL, &settings("app"), false).await.unwrap_err();

    assert_eq!(error.kind, ErrorKind::Ambiguous, "the hint says to import or delete");
    assert!(error.message.contains(&outsider.client_id), "{error}");
    assert!(error.message.contains("more than one new client"), "{error}");
    assert_eq!(
        api.inner().requests_of(Operation::Create).len(),
        2,
        "never a blind repeat"
    );
    assert_eq!(api.inner().clients(POOL).len(), 3);
}

#[tokio::test]
async fn without_a_baseline_a_match_is_reported_with_its_id() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    fake.fail_next(
        Operation::List,
        ApiError::from_service(Operation::List, POOL, None, "NotAuthorizedException", "denied", 400),
    );
    fake.fail_next_after_effect(Operation::Create, lost_response());
    let api = AdoptingCognito::new(fake);

    let error = api.create(POOL, &settings("app"), false).await.unwrap_err();

    let made = &api.inner().clients(POOL)[0];
    assert!(error.message.contains(&made.client_id), "{error}");
    assert!(error.message.contains("could not be listed"), "{error}");
    assert!(error.hint().unwrap().contains("import it or delete it"));
    assert_eq!(api.inner().requests_of(Operation::Create).len(), 1);
}

#[tokio::test]
async fn errors_that_prove_nothing_was_made_pass_through_without_a_lookup() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    fake.set_client_quota(0);
    let api = AdoptingCognito::new(fake);

    let error = api.create(POOL, &settings("app"), false).await.unwrap_err();

    assert_eq!(error.kind, ErrorKind::LimitExceeded);
    assert_eq!(operations(api.inner()), [Operation::List, Operation::Create]);
}

#[tokio::test]
async fn the_baseline_is_listed_once_per_pool() {
    let api = AdoptingCognito::new(FakeCognito::new().with_user_pool(POOL));
    for name in ["a", "b", "c"] {
        api.create(POOL, &settings(name), false).await.unwrap();
    }
    assert_eq!(api.inner().requests_of(Operation::List).len(), 1);
}

#[tokio::test]
async fn lookups_go_through_the_retry_layer() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    fake.fail_next_after_effect(Operation::Create, lost_response());
    let policy = RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(2),
        max_total: Duration::from_secs(10),
    };
    let api = AdoptingCognito::new(RetryingCognito::new(fake, policy, StopSignal::new()));
    // The baseline list succeeds; the lookup's first list is throttled and retried.
    let throttled = ApiError::from_service(Operation::List, POOL, None, "TooManyRequestsException", "slow", 400);
    api.baseline(POOL).await;
    api.inner().inner().fail_next(Operation::List, throttled);

    let adopted = api.create(POOL, &settings("app"), false).await.unwrap();

    let fake = api.inner().inner();
    assert_eq!(fake.clients(POOL), [adopted]);
    assert_eq!(
        fake.requests_of(Operation::Create).len(),
        1,
        "the retry layer never repeats a lost create"
    );
    assert_eq!(fake.requests_of(Operation::List).len(), 3);
}

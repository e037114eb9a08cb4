//! Pacing under tokio's paused clock: virtual time advances only while every task waits, so the spacing of calls
//! is exact and the tests never depend on the machine's speed.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::*;
use crate::cognito::api::{FakeCognito, Stack, TestClients};
use crate::cognito::user_pool_client::model::ClientSettings;

const POOL: &str = "us-east-1_pool";
const OTHER_POOL: &str = "us-east-1_other";
const THIRD_POOL: &str = "us-east-1_third";

fn millis(ms: u64) -> Duration {
    Duration::from_millis(ms)
}

fn pacer(per_pool_operation: f64, mutating: f64, read: f64) -> Arc<Pacer> {
    Arc::new(Pacer::new(PacingPolicy {
        per_pool_operation,
        mutating,
        read,
    }))
}

/// The app-client facade over `fake`, each attempt paced by `pacer` and made once.
fn paced(fake: FakeCognito, pacer: Arc<Pacer>, stop: StopSignal) -> Arc<TestClients> {
    Arc::new(TestClients::new(
        fake,
        Stack::default().with_pacer(pacer).with_stop(stop),
    ))
}

/// Creates `count` clients in `pool` at once, each in its own task; returns when each call was made, sorted.
async fn create_concurrently(api: &Arc<TestClients>, pool: &'static str, count: usize) -> Vec<Instant> {
    let tasks: Vec<_> = (0..count)
        .map(|index| {
            let api = Arc::clone(api);
            tokio::spawn(async move {
                let settings = ClientSettings::with_defaults(format!("app-{index}"));
                api.create_once(pool, &settings, false).await.expect("create");
                Instant::now()
            })
        })
        .collect();
    let mut times = Vec::new();
    for task in tasks {
        times.push(task.await.expect("task"));
    }
    times.sort();
    times
}

fn gaps(times: &[Instant]) -> Vec<Duration> {
    times.windows(2).map(|pair| pair[1] - pair[0]).collect()
}

#[test]
fn app_client_operations_fall_into_cognitos_categories() {
    for operation in [
        Operation::CREATE_CLIENT,
        Operation::UPDATE_CLIENT,
        Operation::DELETE_CLIENT,
    ] {
        assert_eq!(operation.category, Category::UserPoolClientUpdate, "{operation}");
    }
    for operation in [Operation::DESCRIBE_CLIENT, Operation::LIST_CLIENTS] {
        assert_eq!(operation.category, Category::UserPoolClientRead, "{operation}");
    }
}

async fn advance(ms: u64) {
    tokio::time::advance(millis(ms)).await;
}

#[tokio::test(start_paused = true)]
async fn the_first_call_goes_at_once_and_the_next_waits_one_interval() {
    // Category rates far above the pool's, so that only the per-pool buckets bind here.
    let pacer = pacer(5.0, 100.0, 100.0);
    assert_eq!(pacer.try_acquire(Operation::CREATE_CLIENT, POOL), Ok(()));
    assert_eq!(pacer.try_acquire(Operation::CREATE_CLIENT, POOL), Err(millis(200)));
    advance(150).await;
    assert_eq!(pacer.try_acquire(Operation::CREATE_CLIENT, POOL), Err(millis(50)));
    advance(50).await;
    assert_eq!(pacer.try_acquire(Operation::CREATE_CLIENT, POOL), Ok(()));
    // Another operation on the same pool, and the same operation on another pool, have their own buckets.
    advance(10).await;
    assert_eq!(pacer.try_acquire(Operation::UPDATE_CLIENT, POOL), Ok(()));
    advance(10).await;
    assert_eq!(pacer.try_acquire(Operation::CREATE_CLIENT, OTHER_POOL), Ok(()));
}

#[tokio::test(start_paused = true)]
async fn an_idle_bucket_holds_one_token_only_so_calls_never_burst() {
    let pacer = pacer(5.0, 15.0, 15.0);
    assert_eq!(pacer.try_acquire(Operation::DESCRIBE_CLIENT, POOL), Ok(()));
    advance(60_000).await;
    assert_eq!(pacer.try_acquire(Operation::DESCRIBE_CLIENT, POOL), Ok(()));
    assert_eq!(pacer.try_acquire(Operation::DESCRIBE_CLIENT, POOL), Err(millis(200)));
}

#[tokio::test(start_paused = true)]
async fn concurrent_creates_in_one_pool_leave_at_the_per_pool_rate() {
    let api = paced(
        FakeCognito::new().with_user_pool(POOL),
        pacer(5.0, 15.0, 15.0),
        StopSignal::new(),
    );
    let start = Instant::now();
    let times = create_concurrently(&api, POOL, 10).await;
    assert_eq!(api.inner().clients(POOL).len(), 10);
    assert_eq!(times[0], start, "the first call does not wait");
    for gap in gaps(&times) {
        assert!(gap >= millis(200), "calls 5/s apart, got a gap of {gap:?}");
    }
    assert_eq!(times[9] - start, millis(1800), "nine intervals for ten calls, no more");
}

#[tokio::test(start_paused = true)]
async fn the_account_category_limit_binds_across_pools() {
    let fake = FakeCognito::new()
        .with_user_pool(POOL)
        .with_user_pool(OTHER_POOL)
        .with_user_pool(THIRD_POOL);
    let api = paced(fake, pacer(5.0, 10.0, 15.0), StopSignal::new());
    let start = Instant::now();
    let (a, b, c) = tokio::join!(
        create_concurrently(&api, POOL, 5),
        create_concurrently(&api, OTHER_POOL, 5),
        create_concurrently(&api, THIRD_POOL, 5),
    );
    for pool_times in [&a, &b, &c] {
        for gap in gaps(pool_times) {
            assert!(gap >= millis(200), "per-pool spacing, got {gap:?}");
        }
    }
    let mut all: Vec<Instant> = a.iter().chain(&b).chain(&c).copied().collect();
    all.sort();
    for gap in gaps(&all) {
        assert!(gap >= millis(100), "10/s across the account, got {gap:?}");
    }
    let total = all[14] - start;
    // Each pool alone would be done after 0.8 s; the account's 10/s stretches fifteen calls to at least 1.4 s.
    assert!(total >= millis(1400), "the category limit binds: {total:?}");
    assert!(total <= millis(1800), "no slot is left unused for long: {total:?}");
}

#[tokio::test(start_paused = true)]
async fn reads_and_writes_are_paced_separately() {
    let pacer = pacer(5.0, 1.0, 1.0);
    assert_eq!(pacer.try_acquire(Operation::CREATE_CLIENT, POOL), Ok(()));
    assert_eq!(pacer.try_acquire(Operation::DESCRIBE_CLIENT, POOL), Ok(()));
    assert_eq!(
        pacer.try_acquire(Operation::UPDATE_CLIENT, OTHER_POOL),
        Err(Duration::from_secs(1)),
        "Update shares the mutating category with Create"
    );
    assert_eq!(
        pacer.try_acquire(Operation::LIST_CLIENTS, OTHER_POOL),
        Err(Duration::from_secs(1)),
        "List shares the read category with Describe"
    );
}

#[tokio::test(start_paused = true)]
async fn throttling_slows_the_buckets_down_and_they_recover() {
    let pacer = pacer(5.0, 15.0, 15.0);
    assert_eq!(pacer.try_acquire(Operation::CREATE_CLIENT, POOL), Ok(()));
    pacer.throttled(Operation::CREATE_CLIENT, POOL);
    assert_eq!(
        pacer.rates(Operation::CREATE_CLIENT, POOL),
        [3.5, 10.5],
        "both cut to 70 %"
    );
    assert_eq!(
        pacer.try_acquire(Operation::CREATE_CLIENT, POOL),
        Err(Duration::from_micros(285_715)),
        "a whole interval at the lower rate"
    );
    // A second throttle within the second (an answer to a request sent at the old rate) does not cut again.
    advance(500).await;
    pacer.throttled(Operation::CREATE_CLIENT, POOL);
    let [pool_rate, _] = pacer.rates(Operation::CREATE_CLIENT, POOL);
    assert!(
        (pool_rate - 3.75).abs() < 1e-9,
        "recovering by 0.5/s per second: {pool_rate}"
    );
    advance(10_000).await;
    assert_eq!(
        pacer.rates(Operation::CREATE_CLIENT, POOL),
        [5.0, 15.0],
        "recovered, and no further"
    );
    // Other pools and operations were never slowed.
    assert_eq!(pacer.rates(Operation::CREATE_CLIENT, OTHER_POOL)[0], 5.0);
    assert_eq!(pacer.rates(Operation::DESCRIBE_CLIENT, POOL), [5.0, 15.0]);
}

#[tokio::test(start_paused = true)]
async fn a_throttled_answer_slows_the_next_call_down() {
    let fake = FakeCognito::new().with_user_pool(POOL);
    fake.fail_next(
        Operation::CREATE_CLIENT,
        ApiError::from_service(
            Operation::CREATE_CLIENT,
            Scope::pool(POOL),
            "TooManyRequestsException",
            "slow down",
            400,
        ),
    );
    let api = paced(fake, pacer(5.0, 15.0, 15.0), StopSignal::new());
    let start = Instant::now();
    let settings = ClientSettings::with_defaults("app");
    let error = api.create_once(POOL, &settings, false).await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Throttled);
    api.create_once(POOL, &settings, false).await.unwrap();
    // A whole interval at the lower rate (3.5/s), to tokio's millisecond timer.
    let waited = Instant::now() - start;
    assert!(
        waited >= Duration::from_micros(285_715) && waited <= millis(287),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn stopping_ends_a_wait_at_once_without_sending() {
    let stop = CancellationToken::new();
    let fake = FakeCognito::new().with_user_pool(POOL);
    let api = paced(fake, pacer(0.1, 15.0, 15.0), StopSignal::from(stop.clone()));
    let settings = ClientSettings::with_defaults("app");
    api.create_once(POOL, &settings, false).await.unwrap();

    let start = Instant::now();
    let waiting = {
        let api = Arc::clone(&api);
        let settings = settings.clone();
        tokio::spawn(async move { api.create_once(POOL, &settings, false).await })
    };
    tokio::time::sleep(millis(500)).await;
    stop.cancel();
    let error = waiting.await.unwrap().unwrap_err();
    assert_eq!(error.kind, ErrorKind::Cancelled);
    assert!(!error.request_sent);
    assert!(error.to_string().contains("Terraform is stopping"), "{error}");
    assert_eq!(Instant::now() - start, millis(500), "not a moment after the stop");
    assert_eq!(
        api.inner().requests_of(Operation::CREATE_CLIENT).len(),
        1,
        "nothing was sent"
    );
}

#[tokio::test(start_paused = true)]
async fn an_abandoned_wait_takes_no_slot_from_the_next_caller() {
    let pacer = pacer(5.0, 15.0, 15.0);
    let stop = StopSignal::new();
    let start = Instant::now();
    pacer.acquire(Operation::DELETE_CLIENT, POOL, &stop).await.unwrap();
    // A caller starts waiting, then its future is dropped (the resource gave up, e.g. on StopProvider).
    let abandoned = tokio::time::timeout(millis(50), pacer.acquire(Operation::DELETE_CLIENT, POOL, &stop)).await;
    assert!(abandoned.is_err(), "still waiting after 50 ms");
    pacer.acquire(Operation::DELETE_CLIENT, POOL, &stop).await.unwrap();
    assert_eq!(
        Instant::now() - start,
        millis(200),
        "the next caller gets the first free slot"
    );
}

#[tokio::test(start_paused = true)]
async fn a_stopped_signal_refuses_before_waiting() {
    let token = CancellationToken::new();
    token.cancel();
    let pacer = pacer(5.0, 15.0, 15.0);
    assert_eq!(
        pacer
            .acquire(Operation::LIST_CLIENTS, POOL, &StopSignal::from(token))
            .await,
        Err(Stopped)
    );
    assert_eq!(
        pacer.try_acquire(Operation::LIST_CLIENTS, POOL),
        Ok(()),
        "the refused call took nothing"
    );
}

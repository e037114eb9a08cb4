//! Pacing under tokio's paused clock: virtual time advances only while every task waits, so the spacing of calls
//! is exact and the tests never depend on the machine's speed.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::*;
use crate::cognito::api::{FakeCognito, Stack, TestClients};
use crate::cognito::user_pool_client::model::{ClientSettings, InitialSecret};

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
                api.create_once(pool, &settings, &InitialSecret::None)
                    .await
                    .expect("create");
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

#[tokio::test(start_paused = true)]
async fn the_first_call_goes_at_once_and_the_next_waits_one_interval() {
    // Category rates far above the pool's, so that only the per-pool buckets bind here.
    let pacer = pacer(5.0, 100.0, 100.0);
    let start = Instant::now();
    assert_eq!(pacer.try_acquire(Operation::CREATE_CLIENT, POOL, start), Ok(()));
    assert_eq!(
        pacer.try_acquire(Operation::CREATE_CLIENT, POOL, start),
        Err(millis(200))
    );
    assert_eq!(
        pacer.try_acquire(Operation::CREATE_CLIENT, POOL, start + millis(150)),
        Err(millis(50))
    );
    assert_eq!(
        pacer.try_acquire(Operation::CREATE_CLIENT, POOL, start + millis(200)),
        Ok(())
    );
    // Another operation on the same pool, and the same operation on another pool, have their own buckets.
    assert_eq!(
        pacer.try_acquire(Operation::UPDATE_CLIENT, POOL, start + millis(210)),
        Ok(())
    );
    assert_eq!(
        pacer.try_acquire(Operation::CREATE_CLIENT, OTHER_POOL, start + millis(220)),
        Ok(())
    );
}

#[tokio::test(start_paused = true)]
async fn an_idle_bucket_holds_one_token_only_so_calls_never_burst() {
    let pacer = pacer(5.0, 15.0, 15.0);
    let start = Instant::now();
    assert_eq!(pacer.try_acquire(Operation::DESCRIBE_CLIENT, POOL, start), Ok(()));
    let later = start + Duration::from_secs(60);
    assert_eq!(pacer.try_acquire(Operation::DESCRIBE_CLIENT, POOL, later), Ok(()));
    assert_eq!(
        pacer.try_acquire(Operation::DESCRIBE_CLIENT, POOL, later),
        Err(millis(200))
    );
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
    let now = Instant::now();
    assert_eq!(pacer.try_acquire(Operation::CREATE_CLIENT, POOL, now), Ok(()));
    assert_eq!(pacer.try_acquire(Operation::DESCRIBE_CLIENT, POOL, now), Ok(()));
    assert_eq!(
        pacer.try_acquire(Operation::UPDATE_CLIENT, OTHER_POOL, now),
        Err(Duration::from_secs(1)),
        "Update shares the mutating category with Create"
    );
    assert_eq!(
        pacer.try_acquire(Operation::LIST_CLIENTS, OTHER_POOL, now),
        Err(Duration::from_secs(1)),
        "List shares the read category with Describe"
    );
}

#[tokio::test(start_paused = true)]
async fn throttling_puts_the_buckets_one_interval_into_debt() {
    let pacer = pacer(5.0, 15.0, 15.0);
    let start = Instant::now();
    assert_eq!(pacer.try_acquire(Operation::CREATE_CLIENT, POOL, start), Ok(()));
    pacer.throttled(Operation::CREATE_CLIENT, POOL, start);
    assert_eq!(
        pacer.try_acquire(Operation::CREATE_CLIENT, POOL, start),
        Err(millis(400))
    );
    assert_eq!(
        pacer.try_acquire(Operation::CREATE_CLIENT, POOL, start + millis(400)),
        Ok(())
    );
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
    let error = api
        .create_once(POOL, &settings, &InitialSecret::None)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Throttled);
    api.create_once(POOL, &settings, &InitialSecret::None).await.unwrap();
    assert_eq!(
        Instant::now() - start,
        millis(400),
        "one interval for the slot, one more of debt"
    );
}

#[tokio::test(start_paused = true)]
async fn stopping_ends_a_wait_at_once_without_sending() {
    let stop = CancellationToken::new();
    let fake = FakeCognito::new().with_user_pool(POOL);
    let api = paced(fake, pacer(0.1, 15.0, 15.0), StopSignal::from(stop.clone()));
    let settings = ClientSettings::with_defaults("app");
    api.create_once(POOL, &settings, &InitialSecret::None).await.unwrap();

    let start = Instant::now();
    let waiting = {
        let api = Arc::clone(&api);
        let settings = settings.clone();
        tokio::spawn(async move { api.create_once(POOL, &settings, &InitialSecret::None).await })
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
        pacer.try_acquire(Operation::LIST_CLIENTS, POOL, Instant::now()),
        Ok(()),
        "the refused call took nothing"
    );
}

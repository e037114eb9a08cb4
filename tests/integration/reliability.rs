//! Reliability end to end: the real `terraform` against the local Cognito while its proxy injects faults
//! (throttling, 5xx, latency, lost responses) or enforces Cognito's 5 requests per second per operation per pool.
//! What is checked comes from the emulator itself (listed with the faults off), Terraform's state and its re-plan.
//!
//! Runtime: the paced 100-client apply takes at least 20 s by design (100 creates at 5/s); the faulty 60-client
//! apply and its re-plan about 25 s (60 creates, then 60 reads, each at 5/s). The three tests run in parallel.

use std::collections::BTreeSet;
use std::time::Instant;

use crate::support::{LocalCognito, Terraform};
use serde_json::json;

/// The provider block of these tests: `settings` are HCL lines inside it.
fn config(pool_id: &str, count: usize, prefix: &str, settings: &str) -> String {
    format!(
        r#"terraform {{
  required_providers {{
    cognito = {{ source = "example.com/acme/cognito" }}
  }}
}}

provider "cognito" {{
{settings}}}

resource "cognito_user_pool_client" "app" {{
  count        = {count}
  user_pool_id = "{pool_id}"
  name         = "{prefix}-${{count.index}}"
}}
"#
    )
}

/// Every client of the pool as (id, name), listed past the proxy's faults.
async fn remote_clients(stack: &LocalCognito, pool_id: &str) -> Vec<(String, String)> {
    stack.set_faults(json!({}));
    let sdk = stack.sdk_without_retries();
    let mut clients = Vec::new();
    let mut next_token = None;
    loop {
        let page = sdk
            .list_user_pool_clients()
            .user_pool_id(pool_id)
            .max_results(60)
            .set_next_token(next_token)
            .send()
            .await
            .expect("ListUserPoolClients");
        for client in page.user_pool_clients() {
            clients.push((
                client.client_id().unwrap_or_default().to_owned(),
                client.client_name().unwrap_or_default().to_owned(),
            ));
        }
        next_token = page.next_token().map(str::to_owned);
        if next_token.is_none() {
            return clients;
        }
    }
}

/// The client ids in Terraform's state.
fn state_ids(tf: &Terraform) -> BTreeSet<String> {
    let state = tf.state();
    state["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|resource| resource["instances"].as_array().cloned().unwrap_or_default())
        .map(|instance| instance["attributes"]["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Asserts the pool holds exactly `count` clients named `prefix-0..count`, one each, and that state has them all.
async fn assert_exactly_the_configured_clients(
    stack: &LocalCognito,
    tf: &Terraform,
    pool_id: &str,
    count: usize,
    prefix: &str,
) {
    let clients = remote_clients(stack, pool_id).await;
    let names: Vec<&str> = clients.iter().map(|(_, name)| name.as_str()).collect();
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(clients.len(), count, "no duplicate, no orphan: {names:?}");
    assert_eq!(unique.len(), count, "each name once: {names:?}");
    for index in 0..count {
        assert!(
            unique.contains(format!("{prefix}-{index}").as_str()),
            "{prefix}-{index} exists"
        );
    }
    let remote_ids: BTreeSet<String> = clients.into_iter().map(|(id, _)| id).collect();
    assert_eq!(
        state_ids(tf),
        remote_ids,
        "the state holds exactly the clients in the pool"
    );
}

fn faults_seen(stack: &LocalCognito) -> std::collections::BTreeMap<String, usize> {
    let mut seen = std::collections::BTreeMap::new();
    for request in stack.requests() {
        *seen
            .entry(request.fault.unwrap_or_else(|| "none".to_owned()))
            .or_insert(0) += 1;
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_clients_survive_throttling_server_errors_latency_and_lost_responses() {
    let stack = LocalCognito::start();
    let pool_id = stack.create_user_pool("faulty").await;
    let tf = Terraform::new(&stack);
    tf.write_config(&config(&pool_id, 60, "app", "  max_retries = 12\n"));
    stack.set_faults(json!({
        "seed": 5,
        "throttle_rate": 0.20,
        "error_rate": 0.05,
        "drop_rate": 0.05,
        "latency_ms": 30,
    }));

    let started = Instant::now();
    let output = tf.apply();
    let apply_time = started.elapsed();
    assert!(!output.stderr.contains("TooManyRequests"), "{output}");
    let faults = faults_seen(&stack);
    eprintln!("60 clients under faults: apply took {apply_time:?}; proxy faults {faults:?}");
    assert!(
        faults.get("drop").copied().unwrap_or(0) > 0,
        "some responses were lost: {faults:?}"
    );
    assert!(
        faults.get("throttle").copied().unwrap_or(0) > 0,
        "some requests were throttled: {faults:?}"
    );

    // The re-plan reads all 60 clients through the same faults.
    let replan = tf.run(&["plan", "-detailed-exitcode"]);
    assert_eq!(replan.code(), 0, "a clean re-plan: {replan}");
    assert_exactly_the_configured_clients(&stack, &tf, &pool_id, 60, "app").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_create_responses_never_leave_duplicates() {
    let stack = LocalCognito::start();
    let pool_id = stack.create_user_pool("lossy").await;
    let tf = Terraform::new(&stack);
    tf.write_config(&config(&pool_id, 8, "lossy", ""));
    let mut adopted = 0;
    for seed in [1, 2, 3] {
        stack.set_faults(json!({
            "seed": seed,
            "drop_rate": 0.5,
            "operations": ["CreateUserPoolClient"],
        }));
        tf.apply();
        // The proxy's log covers every run so far.
        let dropped = stack
            .requests_for("CreateUserPoolClient")
            .iter()
            .filter(|request| request.fault.as_deref() == Some("drop"))
            .count();
        adopted = dropped;
        assert_exactly_the_configured_clients(&stack, &tf, &pool_id, 8, "lossy").await;
        assert_eq!(tf.plan_exit_code(), 0, "run {seed}: a clean re-plan");
        tf.destroy();
        assert!(
            remote_clients(&stack, &pool_id).await.is_empty(),
            "run {seed}: destroyed"
        );
    }
    assert!(adopted > 0, "some create responses were lost and their clients adopted");
    eprintln!("lost create responses over three runs of 8 clients: {adopted}, duplicates: 0");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_clients_run_at_the_quota_without_throttling_reaching_the_user() {
    let stack = LocalCognito::start();
    let pool_id = stack.create_user_pool("paced").await;
    let tf = Terraform::new(&stack);
    tf.write_config(&config(&pool_id, 100, "paced", ""));
    stack.set_faults(json!({ "rate_limit_per_second": 5 }));

    let started = Instant::now();
    let output = tf.apply();
    let apply_time = started.elapsed();
    let creates = stack.requests_for("CreateUserPoolClient");
    let throttled = creates
        .iter()
        .filter(|request| request.fault.as_deref() == Some("rate_limit"))
        .count();
    let first = creates.first().map_or(0.0, |request| request.timestamp);
    let last = creates.last().map_or(0.0, |request| request.timestamp);
    eprintln!(
        "100 clients at 5/s per pool: terraform apply took {apply_time:?}; creates spanned {:.2} s; {} create \
         requests, {throttled} turned away by the proxy's rate limit",
        last - first,
        creates.len()
    );
    assert!(!output.stderr.contains("TooManyRequests"), "{output}");
    assert!(
        throttled <= 5,
        "pacing keeps the creates within the quota; {throttled} of {} were throttled",
        creates.len()
    );
    assert_exactly_the_configured_clients(&stack, &tf, &pool_id, 100, "paced").await;
}

//! Reliability end to end: the real `terraform` against the local Cognito while its proxy injects faults
//! (throttling, 5xx, latency, lost responses, 500s after the request took effect) or enforces Cognito's 5 requests
//! per second per operation per pool. What is checked comes from the emulator itself (listed with the faults off),
//! Terraform's state, its re-plan and what Terraform shows the user.
//!
//! Runtime: the paced 100-client apply takes at least 20 s by design (100 creates at 5/s); the faulty 60-client
//! apply and its re-plan about 25 s (60 creates, then 60 reads, each at 5/s). The three tests run in parallel.
//! They need the proxy's faults, so acceptance mode (`COGNITO_ACC=1`) skips them, saying so.

use std::collections::BTreeSet;
use std::time::Instant;

use crate::support::tf_diagnostics;
use crate::support::{LocalCognito, RecordedRequest, Terraform, TfOutput};
use serde_json::json;

/// The provider block of these tests: `settings` are HCL lines inside it.
pub(crate) fn config(pool_id: &str, count: usize, prefix: &str, settings: &str) -> String {
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
pub(crate) async fn remote_clients(stack: &LocalCognito, pool_id: &str) -> Vec<(String, String)> {
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
pub(crate) fn state_ids(tf: &Terraform) -> BTreeSet<String> {
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

/// What the user sees of an apply that went well, whatever the proxy did underneath: Terraform's summary of `added`
/// creations, and no diagnostic (no error, no warning about throttling or retries) but the warning that names a
/// client adopted after its create's answer was lost. Returns how many such warnings were shown.
fn assert_clean_apply(output: &TfOutput, added: usize) -> usize {
    let shown = tf_diagnostics::shown_to_the_user(&format!("{}\n{}", output.stdout, output.stderr));
    let (adoptions, others): (Vec<_>, Vec<_>) = shown.into_iter().partition(|diagnostic| {
        diagnostic.severity == tf_diagnostics::Severity::Warning
            && diagnostic.summary == "App client adopted after a lost answer"
    });
    assert!(
        others.is_empty(),
        "diagnostics shown to the user: {others:#?}\n{output}"
    );
    let summary = format!("Apply complete! Resources: {added} added, 0 changed, 0 destroyed.");
    assert!(output.stdout.contains(&summary), "expected {summary:?}: {output}");
    adoptions.len()
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
    let Some(stack) = LocalCognito::start_unless_acceptance("it injects faults through the local stack's proxy") else {
        return;
    };
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
    let adoptions = assert_clean_apply(&output, 60);
    let lost = lost_creates(&stack.requests());
    assert!(
        adoptions <= lost,
        "{adoptions} adoption warnings, but only {lost} creates lost their answer"
    );
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

/// The creates of `requests` whose answer never reached the provider although moto made the client: the response
/// was dropped, or a 500 came back instead.
fn lost_creates(requests: &[RecordedRequest]) -> usize {
    requests
        .iter()
        .filter(|request| request.operation == "CreateUserPoolClient" && request.moto_status == Some(200))
        .filter(|request| matches!(request.fault.as_deref(), Some("drop" | "error_after_effect")))
        .count()
}

/// The client IDs the provider learnt from a create's own answer.
fn answered_creates(requests: &[RecordedRequest]) -> BTreeSet<String> {
    requests
        .iter()
        .filter(|request| request.operation == "CreateUserPoolClient" && request.status == 200)
        .filter_map(|request| {
            request.response["UserPoolClient"]["ClientId"]
                .as_str()
                .map(str::to_owned)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_made_by_creates_whose_answer_was_lost_are_adopted_never_duplicated() {
    let Some(stack) = LocalCognito::start_unless_acceptance("it injects faults through the local stack's proxy") else {
        return;
    };
    let pool_id = stack.create_user_pool("lossy").await;
    let tf = Terraform::new(&stack);
    tf.write_config(&config(&pool_id, 8, "lossy", ""));
    let (mut lost, mut adopted) = (0, 0);
    for seed in [1, 2, 3] {
        stack.set_faults(json!({
            "seed": seed,
            "drop_rate": 0.25,
            "error_after_effect_rate": 0.25,
            "operations": ["CreateUserPoolClient"],
        }));
        let logged_before = stack.requests().len();
        tf.apply();
        let requests = stack.requests().split_off(logged_before);
        // Adopted: in state, yet no create answered with it.
        let run_adopted = state_ids(&tf).difference(&answered_creates(&requests)).count();
        let run_lost = lost_creates(&requests);
        assert_eq!(
            run_adopted, run_lost,
            "run {seed}: each client made by a create whose answer was lost is adopted, once"
        );
        (lost, adopted) = (lost + run_lost, adopted + run_adopted);
        assert_exactly_the_configured_clients(&stack, &tf, &pool_id, 8, "lossy").await;
        assert_eq!(tf.plan_exit_code(), 0, "run {seed}: a clean re-plan");
        tf.destroy();
        assert!(
            remote_clients(&stack, &pool_id).await.is_empty(),
            "run {seed}: destroyed"
        );
    }
    assert!(adopted > 0, "some clients were adopted: {lost} answers lost");
    eprintln!(
        "three runs of 8 clients: {lost} create answers lost (dropped or a 500), {adopted} clients adopted, 0 duplicates"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_clients_run_at_the_quota_without_throttling_reaching_the_user() {
    let Some(stack) = LocalCognito::start_unless_acceptance("it injects faults through the local stack's proxy") else {
        return;
    };
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
    assert_eq!(assert_clean_apply(&output, 100), 0, "nothing was lost, nothing adopted");
    assert!(
        throttled <= 5,
        "pacing keeps the creates within the quota; {throttled} of {} were throttled",
        creates.len()
    );
    assert_exactly_the_configured_clients(&stack, &tf, &pool_id, 100, "paced").await;
}

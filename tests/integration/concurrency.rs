//! Many runs, one user pool: several `terraform` processes at once against the local Cognito, whose proxy enforces
//! Cognito's 5 requests per second per operation and pool. Each run has its own working directory and state, as
//! separate stacks, workspaces or CI jobs have.
//!
//! - Runs share the quota through the shared rate limiter (on by default), and without it (as runs on separate
//!   machines) still all succeed: throttling slows them down instead of failing them.
//! - Two runs of the same configuration (the same client names in one pool) while creates fail and answers are
//!   lost never both claim one client, and destroying one leaves the other's clients alone.
//! - A client of the same name that someone else creates between a run's listing and its failed create is never
//!   adopted.
//!
//! Wall times and refusals are printed for the record; they are measured in the benchmark (scripts/bench), never
//! asserted. Runtime: about 25 s each for the three-run tests (45 creates, then 45 reads, at 5/s), less for the
//! others; they run in parallel.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::reliability::{config, remote_clients, state_ids};
use crate::support::{LocalCognito, Terraform, TfOutput};

/// Runs `args` in every working directory at once; the outputs and each run's wall time, in order.
fn all_at_once(runs: &[Terraform], args: &[&str]) -> Vec<(TfOutput, Duration)> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .iter()
            .map(|tf| {
                scope.spawn(move || {
                    let started = Instant::now();
                    let output = tf.run(args);
                    (output, started.elapsed())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a run"))
            .collect()
    })
}

/// `runs` working directories, each configured for `count` clients named `<prefix><run>-<index>` in the pool.
fn runs(
    stack: &LocalCognito,
    pool_id: &str,
    runs: usize,
    count: usize,
    prefix: &str,
    settings: &str,
) -> Vec<Terraform> {
    (0..runs)
        .map(|run| {
            let tf = Terraform::new(stack);
            tf.write_config(&config(pool_id, count, &format!("{prefix}{run}"), settings));
            tf
        })
        .collect()
}

/// The requests the proxy's rate limit refused, and all requests it saw.
fn refusals(stack: &LocalCognito) -> (usize, usize) {
    let requests = stack.requests();
    let refused = requests
        .iter()
        .filter(|request| request.fault.as_deref() == Some("rate_limit"))
        .count();
    (refused, requests.len())
}

/// `count` runs of `per_run` clients into one pool at once: every run succeeds, the pool holds exactly the
/// configured clients, each state holds exactly its own, and every re-plan is clean.
async fn concurrent_runs_succeed(count: usize, per_run: usize, settings: &str, label: &str) {
    let Some(stack) = LocalCognito::start_unless_acceptance("it relies on the proxy's rate limit and faults") else {
        return;
    };
    let pool_id = stack.create_user_pool("shared").await;
    let tfs = runs(&stack, &pool_id, count, per_run, "run", settings);
    stack.set_faults(json!({ "rate_limit_per_second": 5 }));

    let started = Instant::now();
    let applies = all_at_once(&tfs, &["apply", "-auto-approve"]);
    let wall = started.elapsed();
    let (refused, sent) = refusals(&stack);
    for (output, _) in &applies {
        assert!(output.success(), "{label}: every run succeeds: {output}");
    }
    let slowest = applies.iter().map(|(_, took)| *took).max().unwrap_or_default();
    eprintln!(
        "{label}: {count} runs of {per_run} clients in one pool took {wall:?} (slowest run {slowest:?}; floor {} s); \
         {refused} of {sent} requests refused by the 5/s quota",
        count * per_run / 5
    );

    let remote = remote_clients(&stack, &pool_id).await;
    let names: BTreeSet<&str> = remote.iter().map(|(_, name)| name.as_str()).collect();
    assert_eq!(
        remote.len(),
        count * per_run,
        "{label}: no duplicate, no orphan: {names:?}"
    );
    for (run, tf) in tfs.iter().enumerate() {
        let mine: BTreeSet<String> = remote
            .iter()
            .filter(|(_, name)| name.starts_with(&format!("run{run}-")))
            .map(|(id, _)| id.clone())
            .collect();
        assert_eq!(mine.len(), per_run, "{label}: run {run}'s clients");
        assert_eq!(
            state_ids(tf),
            mine,
            "{label}: run {run}'s state holds exactly its clients"
        );
    }
    stack.set_faults(json!({ "rate_limit_per_second": 5 }));
    for (output, _) in all_at_once(&tfs, &["plan", "-detailed-exitcode"]) {
        assert_eq!(output.code(), 0, "{label}: a clean re-plan: {output}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_runs_into_one_pool_share_the_quota() {
    concurrent_runs_succeed(3, 15, "", "shared limiter").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_runs_without_the_shared_limiter_still_all_succeed() {
    concurrent_runs_succeed(3, 15, "  shared_rate_limiter = false\n", "limiter off").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn six_runs_without_the_shared_limiter_still_all_succeed() {
    concurrent_runs_succeed(6, 5, "  shared_rate_limiter = false\n", "six runs, limiter off").await;
}

/// Client ids an output names (errors list the clients they could not attribute).
fn ids_named_in(output: &TfOutput, remote: &[(String, String)]) -> BTreeSet<String> {
    remote
        .iter()
        .filter(|(id, _)| output.stderr.contains(id.as_str()) || output.stdout.contains(id.as_str()))
        .map(|(id, _)| id.clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workspaces_with_the_same_names_never_claim_the_same_client() {
    let Some(stack) = LocalCognito::start_unless_acceptance("it relies on the proxy's rate limit and faults") else {
        return;
    };
    let pool_id = stack.create_user_pool("workspaces").await;
    // The same configuration twice: ten clients named ws-0 .. ws-9 in one pool, each run with its own state.
    let workspaces: Vec<Terraform> = (0..2)
        .map(|_| {
            let tf = Terraform::new(&stack);
            tf.write_config(&config(&pool_id, 10, "ws", "  max_retries = 6\n"));
            tf
        })
        .collect();
    stack.set_faults(json!({
        "seed": 11,
        "operations": ["CreateUserPoolClient"],
        "error_rate": 0.2,
        "drop_rate": 0.15,
        "error_after_effect_rate": 0.15,
    }));

    let applies = all_at_once(&workspaces, &["apply", "-auto-approve"]);

    let remote = remote_clients(&stack, &pool_id).await;
    let remote_ids: BTreeSet<String> = remote.iter().map(|(id, _)| id.clone()).collect();
    let [first, second] = [state_ids(&workspaces[0]), state_ids(&workspaces[1])];
    let shared: Vec<&String> = first.intersection(&second).collect();
    assert!(shared.is_empty(), "no client in both states: {shared:?}");
    assert!(
        first.is_subset(&remote_ids) && second.is_subset(&remote_ids),
        "states name only real clients"
    );
    // Every client that exists is in a state, or named by a run's error as one to import or delete.
    let mut accounted: BTreeSet<String> = first.union(&second).cloned().collect();
    for (output, _) in &applies {
        accounted.extend(ids_named_in(output, &remote));
    }
    let orphans: Vec<&String> = remote_ids.difference(&accounted).collect();
    assert!(orphans.is_empty(), "no client unaccounted for: {orphans:?}");
    let faults: Vec<String> = stack
        .requests()
        .into_iter()
        .filter_map(|request| request.fault)
        .collect();
    eprintln!(
        "two workspaces of the same ten names: states hold {} and {} clients, {} in the pool; runs succeeded: {:?}; \
         create faults: {} errors, {} lost answers, {} errors after effect",
        first.len(),
        second.len(),
        remote.len(),
        applies.iter().map(|(output, _)| output.success()).collect::<Vec<_>>(),
        faults.iter().filter(|fault| *fault == "error").count(),
        faults.iter().filter(|fault| *fault == "drop").count(),
        faults.iter().filter(|fault| *fault == "error_after_effect").count(),
    );

    stack.set_faults(json!({}));
    workspaces[0].destroy();
    let left: BTreeSet<String> = remote_clients(&stack, &pool_id)
        .await
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert!(
        second.is_subset(&left),
        "destroying one workspace leaves every client of the other"
    );
    assert!(first.is_disjoint(&left), "and removes its own");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_namesake_created_between_the_listing_and_a_failed_create_is_never_adopted() {
    let Some(stack) = LocalCognito::start_unless_acceptance("it relies on the proxy's rate limit and faults") else {
        return;
    };
    let pool_id = stack.create_user_pool("namesake").await;
    let tf = Terraform::new(&stack);
    let provider = r#"terraform {
  required_providers {
    cognito = { source = "example.com/acme/cognito" }
  }
}
"#;
    tf.write_config(&format!(
        "{provider}\nresource \"cognito_user_pool_client\" \"first\" {{\n  user_pool_id = \"{pool_id}\"\n  name = \"first\"\n}}\n"
    ));
    tf.apply();
    // Someone else's client "second", configured exactly as this run will ask, appears right after this run's
    // listing and well before its create, which then fails with a 500 that made nothing.
    let first_create = stack.requests_for("CreateUserPoolClient").remove(0);
    let mut namesake = first_create.body.clone();
    namesake["ClientName"] = json!("second");
    stack.set_faults(json!({ "namesake": { "body": namesake, "hold_ms": 2500 } }));
    // The update of "first" comes first (depends_on) and shows this run how Cognito's clock relates to its own.
    tf.write_config(&format!(
        "{provider}
resource \"cognito_user_pool_client\" \"first\" {{
  user_pool_id = \"{pool_id}\"
  name         = \"first-renamed\"
}}

resource \"cognito_user_pool_client\" \"second\" {{
  user_pool_id = \"{pool_id}\"
  name         = \"second\"
  depends_on   = [cognito_user_pool_client.first]
}}
"
    ));

    let output = tf.apply();

    let faults: Vec<String> = stack
        .requests()
        .into_iter()
        .filter_map(|request| request.fault)
        .collect();
    assert!(faults.contains(&"namesake_listing".to_owned()), "{faults:?}");
    assert!(faults.contains(&"namesake_create_error".to_owned()), "{faults:?}");
    let seconds: Vec<String> = remote_clients(&stack, &pool_id)
        .await
        .into_iter()
        .filter(|(_, name)| name == "second")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(seconds.len(), 2, "the namesake and this run's own client: {seconds:?}");
    let state = tf.state();
    let ours = state["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|resource| resource["name"] == "second")
        .and_then(|resource| resource["instances"][0]["attributes"]["id"].as_str())
        .expect("second in state")
        .to_owned();
    let namesake_id = seconds.iter().find(|id| **id != ours).expect("the namesake");
    assert!(
        stack
            .requests_for("CreateUserPoolClient")
            .iter()
            .any(|request| request.response["UserPoolClient"]["ClientId"] == json!(ours)),
        "this run's client is the one its own create made"
    );
    assert!(
        !output.stdout.contains(namesake_id.as_str()) && !output.stderr.contains("adopted"),
        "{output}"
    );
    assert_eq!(tf.plan_exit_code(), 0);
}

//! Security end to end, with the real `terraform` and the local Cognito:
//! - no secret (an app client's secret, the AWS secret access key) appears in `TF_LOG=TRACE` output, in
//!   Terraform's plan and apply output, or in any request the provider sent (the proxy's log, whose answers do
//!   carry the client secrets, proving the search would find them);
//! - Ctrl-C (SIGINT to the whole process group, as a terminal sends it) during a long apply: the provider is not
//!   killed by the signal, Terraform's StopProvider ends the remaining work promptly, and the state written
//!   afterwards holds exactly the clients that exist, so the next apply finishes the job without duplicates.
//!
//! Both need the local stack (a made-up AWS secret key that only an endpoint checking no signatures accepts, the
//! proxy's request log, injected latency), so acceptance mode (`COGNITO_ACC=1`) skips them, saying so.

use std::collections::BTreeSet;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::support::terraform::terraform_arguments;
use crate::support::{LocalCognito, Terraform};
use serde_json::json;

/// A secret access key nobody could mistake for anything else in a log.
const DISTINCTIVE_SECRET_KEY: &str = "Zq7SecretAccessKeyForLogHygiene0x5eCr3tK3y";

fn config(pool_id: &str, count: usize, name: &str, generate_secret: bool, callback: &str) -> String {
    config_with(pool_id, count, name, generate_secret, callback, "")
}

/// As [`config`], with HCL lines for the provider block.
fn config_with(
    pool_id: &str,
    count: usize,
    name: &str,
    generate_secret: bool,
    callback: &str,
    provider_settings: &str,
) -> String {
    format!(
        r#"terraform {{
  required_providers {{
    cognito = {{ source = "example.com/acme/cognito" }}
  }}
}}

provider "cognito" {{
{provider_settings}}}

resource "cognito_user_pool_client" "app" {{
  count                                = {count}
  user_pool_id                         = "{pool_id}"
  name                                 = "{name}-${{count.index}}"
  generate_secret                      = {generate_secret}
  callback_urls                        = ["{callback}"]
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid"]
  allowed_oauth_flows_user_pool_client = true
  supported_identity_providers         = ["COGNITO"]
}}
"#
    )
}

fn state_clients(tf: &Terraform) -> Vec<serde_json::Value> {
    tf.state()["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|resource| resource["instances"].as_array().cloned().unwrap_or_default())
        .map(|instance| instance["attributes"].clone())
        .collect()
}

async fn remote_ids(stack: &LocalCognito, pool_id: &str) -> BTreeSet<String> {
    stack.set_faults(json!({}));
    let page = stack
        .sdk_without_retries()
        .list_user_pool_clients()
        .user_pool_id(pool_id)
        .max_results(60)
        .send()
        .await
        .expect("ListUserPoolClients");
    assert!(page.next_token().is_none(), "fewer than 60 clients in these tests");
    page.user_pool_clients()
        .iter()
        .filter_map(|client| client.client_id().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_trace_logs_terraform_output_or_the_wire_log() {
    let Some(stack) =
        LocalCognito::start_unless_acceptance("it signs with a made-up secret key and reads the proxy's request log")
    else {
        return;
    };
    let pool_id = stack.create_user_pool("hygiene").await;
    let mut tf = Terraform::new(&stack);
    tf.env("TF_LOG", "TRACE")
        .env("AWS_SECRET_ACCESS_KEY", DISTINCTIVE_SECRET_KEY);

    // Create, read back (refresh), update in place, then import into a fresh state: every path that handles the
    // secret, each logged at TRACE.
    tf.write_config(&config(&pool_id, 2, "confidential", true, "https://a.example.com/cb"));
    let mut outputs = vec![tf.apply()];
    tf.write_config(&config(&pool_id, 2, "confidential", true, "https://b.example.com/cb"));
    outputs.push(tf.apply());
    outputs.push(tf.run(&["plan", "-detailed-exitcode"]));
    assert_eq!(outputs.last().unwrap().code(), 0, "{}", outputs.last().unwrap());

    let clients = state_clients(&tf);
    let secrets: Vec<String> = clients
        .iter()
        .map(|client| client["client_secret"].as_str().expect("a secret in state").to_owned())
        .collect();
    assert_eq!(secrets.len(), 2);
    let first_id = clients[0]["id"].as_str().unwrap().to_owned();

    let import_dir = Terraform::new(&stack);
    let mut importer = import_dir;
    importer
        .env("TF_LOG", "TRACE")
        .env("AWS_SECRET_ACCESS_KEY", DISTINCTIVE_SECRET_KEY);
    importer.write_config(&config(&pool_id, 1, "confidential", true, "https://b.example.com/cb"));
    let import = importer.run(&[
        "import",
        "cognito_user_pool_client.app[0]",
        &format!("{pool_id}/{first_id}"),
    ]);
    assert!(import.success(), "{import}");
    outputs.push(import);

    let trace_lines: usize = outputs.iter().map(|output| output.stderr.lines().count()).sum();
    assert!(trace_lines > 1000, "TRACE logging was on ({trace_lines} lines)");
    assert!(
        outputs
            .iter()
            .any(|output| output.stderr.contains("AWS configuration resolved")),
        "the provider's own debug lines are in the logs: {}",
        outputs[0]
            .stderr
            .lines()
            .filter(|line| line.contains("terraform-provider-cognito"))
            .take(20)
            .collect::<Vec<_>>()
            .join("\n")
    );
    for output in &outputs {
        for secret in secrets.iter().map(String::as_str).chain([DISTINCTIVE_SECRET_KEY]) {
            assert!(!output.stdout.contains(secret), "a secret in Terraform's output");
            assert!(!output.stderr.contains(secret), "a secret in the TRACE log");
        }
    }
    // The wire, as the proxy logged it: the secrets travel in Cognito's answers (the search finds them there, so
    // it would find them anywhere), and never in a request the provider sent.
    let exchanges = stack.requests();
    let answers: Vec<String> = exchanges.iter().map(|exchange| exchange.response.to_string()).collect();
    let sent: Vec<String> = exchanges.iter().map(|exchange| exchange.body.to_string()).collect();
    assert!(
        sent.iter().any(|body| body.contains(&pool_id)),
        "the log covers the provider's requests"
    );
    for secret in &secrets {
        assert!(
            answers.iter().any(|answer| answer.contains(secret.as_str())),
            "Cognito's answers carried the secret the state holds"
        );
    }
    for secret in secrets.iter().map(String::as_str).chain([DISTINCTIVE_SECRET_KEY]) {
        assert!(
            !sent.iter().any(|body| body.contains(secret)),
            "a secret in a request the provider sent"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_during_a_long_apply_stops_promptly_and_keeps_state_true() {
    const COUNT: usize = 20;
    /// At most this many creates are sent: the ones in flight or already paced when Ctrl-C comes.
    const STOPPED_WITHIN_CREATES: usize = 5;
    /// Terraform's default, given explicitly: at most this many creates are under way at once, so without the stop
    /// the apply would serve these and no more after Ctrl-C.
    const PARALLELISM: usize = 10;
    const STOP_PROVIDER_MARKER: &str = "StopProvider: cancelling work in flight";
    let Some(stack) = LocalCognito::start_unless_acceptance("it slows creates down with the proxy's injected latency")
    else {
        return;
    };
    let pool_id = stack.create_user_pool("interrupted").await;
    let mut tf = Terraform::new(&stack);
    tf.env("TF_LOG_PROVIDER", "INFO");
    // One create per second, each taking 1.5 s at the proxy: when Ctrl-C comes, a few creates are in flight and
    // most of Terraform's ten concurrent ones wait for a pacing slot.
    tf.write_config(&config_with(
        &pool_id,
        COUNT,
        "slow",
        false,
        "https://a.example.com/cb",
        "  requests_per_second_per_pool = 1\n",
    ));
    stack.set_faults(json!({ "latency_ms": 1500, "operations": ["CreateUserPoolClient"] }));

    let mut child = Command::new("terraform")
        .args(terraform_arguments(&[
            "apply",
            "-auto-approve",
            &format!("-parallelism={PARALLELISM}"),
        ]))
        .current_dir(tf.dir())
        .env_clear()
        .envs(tf.environment())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, which receives the SIGINT as a terminal's Ctrl-C would: Terraform and the
        // provider alike.
        .process_group(0)
        .spawn()
        .expect("start terraform");
    let group = child.id() as libc::pid_t;
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let stdout = thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let stderr = thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());

    let deadline = Instant::now() + Duration::from_secs(60);
    // The proxy logs a request once answered: wait for the first answer.
    while stack.requests_for("CreateUserPoolClient").is_empty() {
        assert!(Instant::now() < deadline, "terraform never started creating");
        thread::sleep(Duration::from_millis(50));
    }
    // SAFETY: kill(2) with a negative pid signals the process group we created; no memory is involved.
    let signalled = unsafe { libc::kill(-group, libc::SIGINT) };
    assert_eq!(signalled, 0, "SIGINT sent to the process group");
    let interrupted_at = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for terraform") {
            break status;
        }
        if interrupted_at.elapsed() > Duration::from_secs(120) {
            // SAFETY: as above.
            unsafe { libc::kill(-group, libc::SIGKILL) };
            panic!("terraform did not stop within two minutes of Ctrl-C");
        }
        thread::sleep(Duration::from_millis(20));
    };
    let stop_time = interrupted_at.elapsed();
    let stdout = stdout.join().unwrap();
    let stderr = stderr.join().unwrap();
    let output = format!("{status}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}");
    let sent = stack.requests_for("CreateUserPoolClient").len();
    eprintln!("Ctrl-C: terraform exited {stop_time:?} after SIGINT; {sent} of {COUNT} creates were sent");

    assert!(!status.success(), "an interrupted apply reports failure: {output}");
    // Logged by the StopProvider RPC handler alone (the provider's SIGINT handler logs a different line).
    assert!(
        stderr.contains(STOP_PROVIDER_MARKER),
        "Terraform stopped the provider through the protocol: {output}"
    );
    // Without the stop, the creates Terraform has under way and still waiting for a pacing slot would take at least
    // a second each: finishing sooner than that shows the waits were ended, not served. Terraform starts no new
    // create after Ctrl-C, so only the PARALLELISM under way count, not all COUNT.
    let waiting = PARALLELISM - STOPPED_WITHIN_CREATES;
    let unstopped = Duration::from_secs(waiting as u64);
    assert!(
        stop_time < unstopped,
        "Terraform exited {stop_time:?} after Ctrl-C; serving the {waiting} creates waiting for a pacing slot would \
         take {unstopped:?}: {output}"
    );
    for crash in [
        "plugin exited",
        "Plugin did not respond",
        "connection refused",
        "code = Unavailable",
    ] {
        assert!(
            !output.contains(crash),
            "the provider was not killed by SIGINT ({crash}): {output}"
        );
    }
    assert!(sent < COUNT, "the remaining creates were never sent: {sent} of {COUNT}");
    assert!(
        stderr.contains("not sent because Terraform is"),
        "StopProvider ended the waits for a pacing slot: {output}"
    );
    assert!(
        sent <= STOPPED_WITHIN_CREATES,
        "no create waiting for a slot was sent after the stop: {sent} sent"
    );

    let in_state: BTreeSet<String> = state_clients(&tf)
        .iter()
        .map(|client| client["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    let remote = remote_ids(&stack, &pool_id).await;
    assert_eq!(
        in_state, remote,
        "every client that exists is in state, and nothing else: {output}"
    );

    // The next apply, at the default rates, finishes the job: exactly COUNT clients, none twice.
    tf.write_config(&config(&pool_id, COUNT, "slow", false, "https://a.example.com/cb"));
    tf.apply();
    let remote = remote_ids(&stack, &pool_id).await;
    assert_eq!(remote.len(), COUNT);
    assert_eq!(tf.plan_exit_code(), 0);
}

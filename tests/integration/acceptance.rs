//! Acceptance mode's own machinery, checked against the local stack in every run: the run prefix, the account target
//! (the same code the end-to-end tests use with `COGNITO_ACC=1`, pointed at a local stack) and the sweeper. The
//! sweeper's entry point for a real account, [`sweep_leftovers`], is ignored here and run by `scripts/sweep`.

use std::collections::BTreeSet;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::config::retry::RetryConfig;

use crate::support::acceptance::{
    self, AccountSettings, PREFIX_FAMILY, PrefixError, prefix_for, run_prefix, sweepable_prefix,
};
use crate::support::local_cognito::{ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY};
use crate::support::{LocalCognito, PROVIDER_PREAMBLE, Terraform, TestCognito};

/// Every user pool of the stack, by name.
async fn pool_names(sdk: &Client) -> BTreeSet<String> {
    let pools = acceptance::user_pools(sdk, acceptance::MAX_LIST_PAGE)
        .await
        .expect("ListUserPools");
    pools.into_iter().map(|(_, name)| name).collect()
}

fn names(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|name| name.to_string()).collect()
}

#[test]
fn prefixes_are_plain_and_only_acceptance_prefixes_are_swept() {
    assert_eq!(prefix_for("ci-4711"), Ok("tfacc-ci-4711-".to_owned()));
    for bad in ["", "a b", "semi;colon", "ünï", "012345678901234567890"] {
        assert_eq!(prefix_for(bad), Err(PrefixError::RunId(bad.to_owned())), "{bad:?}");
    }
    let prefix = run_prefix();
    assert!(prefix.starts_with(PREFIX_FAMILY) && prefix.ends_with('-'), "{prefix}");
    assert_eq!(run_prefix(), prefix, "one prefix per run");
    assert_eq!(sweepable_prefix("tfacc-"), Ok("tfacc-"));
    assert_eq!(sweepable_prefix(prefix), Ok(prefix));
    for foreign in ["", "tfacc", "prod-", "x-tfacc-"] {
        assert!(sweepable_prefix(foreign).is_err(), "{foreign:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweeper_deletes_the_pools_with_the_prefix_and_nothing_else() {
    let stack = LocalCognito::start();
    let sdk = stack.sdk();
    let foreign = ["kept", "x-tfacc-one-a"];
    let other_runs = ["tfacc-two-c", "tfacc-onex-b"];
    for name in ["tfacc-one-a", "tfacc-one-b"].iter().chain(&foreign).chain(&other_runs) {
        stack.create_user_pool(name).await;
    }
    let pool_with_client = stack.create_user_pool("tfacc-one-with-client").await;
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_with_client)
        .client_name("app")
        .send()
        .await
        .expect("create a client");
    let client_id = client
        .user_pool_client()
        .and_then(|c| c.client_id())
        .expect("client id");

    // Pages of two pools, so that the matches are spread over several ListUserPools answers.
    let report = acceptance::sweep_in_pages(&sdk, "tfacc-one-", 2).await.expect("sweep");
    assert_eq!(report.failed, Vec::new());
    assert_eq!(report.deleted.len(), 3, "{report:?}");
    assert!(
        report.deleted.iter().all(|(_, name)| name.starts_with("tfacc-one-")),
        "{report:?}"
    );
    let mut left = names(&foreign);
    left.extend(names(&other_runs));
    assert_eq!(pool_names(&sdk).await, left);
    let gone = sdk
        .describe_user_pool_client()
        .user_pool_id(&pool_with_client)
        .client_id(client_id)
        .send()
        .await
        .expect_err("the client went with its pool");
    assert!(
        gone.as_service_error()
            .is_some_and(|e| e.is_resource_not_found_exception()),
        "{gone:?}"
    );

    // The whole family, and never anything outside it.
    let report = acceptance::sweep(&sdk, PREFIX_FAMILY).await.expect("sweep");
    let swept: BTreeSet<String> = report.deleted.into_iter().map(|(_, name)| name).collect();
    assert_eq!(swept, names(&other_runs));
    assert_eq!(pool_names(&sdk).await, names(&foreign));
    for prefix in ["kept", "x-tfacc-", ""] {
        assert!(acceptance::sweep(&sdk, prefix).await.is_err(), "{prefix:?}");
    }
    assert_eq!(pool_names(&sdk).await, names(&foreign));
}

/// The account target of acceptance mode, pointed at a local stack: its pools carry the run prefix, Terraform
/// reaches Cognito through the AWS environment it is given, and dropping the target deletes the pools with the
/// clients in them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_target_prefixes_its_pools_and_deletes_them_when_dropped() {
    let stack = LocalCognito::start();
    let sdk = stack.sdk();
    stack.create_user_pool("not-ours").await;
    let target = TestCognito::account(AccountSettings {
        endpoint: Some(stack.endpoint().to_owned()),
        static_credentials: Some((ACCESS_KEY_ID.to_owned(), SECRET_ACCESS_KEY.to_owned())),
        region: Some(REGION.to_owned()),
    });
    assert!(
        target.local("the request log").is_none(),
        "the account target has no local stack"
    );
    let pool_id = target.create_user_pool("target").await;
    let prefixed = format!("{}target", run_prefix());
    assert_eq!(pool_names(&sdk).await, names(&["not-ours", &prefixed]));

    let mut tf = Terraform::new(&target);
    // The environment acceptance mode inherits; these tests run without AWS credentials of their own.
    tf.env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY)
        .env("AWS_REGION", REGION);
    tf.write_config(&format!(
        "{PROVIDER_PREAMBLE}\nresource \"cognito_user_pool_client\" \"app\" {{\n  user_pool_id = \"{pool_id}\"\n  \
         name         = \"app\"\n}}\n"
    ));
    tf.apply();
    let listed = target
        .sdk()
        .list_user_pool_clients()
        .user_pool_id(&pool_id)
        .send()
        .await
        .expect("ListUserPoolClients through the target");
    assert_eq!(listed.user_pool_clients().len(), 1, "{listed:?}");
    assert_eq!(
        stack.requests_for("CreateUserPoolClient").len(),
        1,
        "the provider reached the stack through the target's endpoint"
    );

    drop(target);
    assert_eq!(pool_names(&sdk).await, names(&["not-ours"]));
}

/// The sweeper for a real account: deletes every user pool whose name starts with `COGNITO_ACC_SWEEP_PREFIX`
/// (default `tfacc-`, every acceptance run) in the account and Region of the AWS environment.
#[test]
#[ignore = "deletes user pools in the AWS account of the environment; scripts/sweep runs it"]
fn sweep_leftovers() {
    let prefix = std::env::var("COGNITO_ACC_SWEEP_PREFIX").unwrap_or_else(|_| PREFIX_FAMILY.to_owned());
    let settings = AccountSettings::from_environment();
    let (report, remaining) = acceptance::on_own_runtime(async move {
        let sdk = acceptance::sdk(&settings.load().await, RetryConfig::standard());
        let report = acceptance::sweep(&sdk, &prefix).await;
        let remaining = acceptance::matching_pools(&sdk, &prefix, acceptance::MAX_LIST_PAGE).await;
        (report, remaining)
    });
    let report = report.unwrap_or_else(|error| panic!("sweep: {error}"));
    for (id, name) in &report.deleted {
        acceptance::announce(&format!("sweep: deleted user pool {id} ({name})"));
    }
    assert_eq!(report.failed, Vec::new(), "pools that could not be deleted");
    assert_eq!(remaining, Ok(Vec::new()), "pools left with the prefix");
}

//! [`TestCognito`]: the Cognito an end-to-end test runs against. Normally a private [`LocalCognito`] stack; in
//! acceptance mode (`COGNITO_ACC=1`) the AWS account of the environment ([`acceptance`](super::acceptance)).
//!
//! A test written against this type runs unchanged in both modes. What only the local stack can do (its request
//! log, fault injection, Cognito mode) is reached through [`TestCognito::local`], which in acceptance mode says which
//! check it skips instead of silently passing.

use std::sync::Mutex;

use aws_config::SdkConfig;
use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::config::retry::RetryConfig;
use aws_smithy_types::error::display::DisplayErrorContext;

use super::acceptance::{self, AccountSettings};
use super::local_cognito::{self, LocalCognito};
use super::terraform::{AwsAccess, CognitoAccess};

pub struct TestCognito {
    target: Target,
}

enum Target {
    Local(Box<LocalCognito>),
    Account(Box<Account>),
}

impl TestCognito {
    /// A private local stack, or in acceptance mode the account of the environment.
    pub fn start() -> TestCognito {
        if acceptance::enabled() {
            TestCognito::account(AccountSettings::from_environment())
        } else {
            TestCognito {
                target: Target::Local(Box::new(LocalCognito::start())),
            }
        }
    }

    /// The account target with explicit settings, whatever the mode: how the tests of acceptance mode point it at a
    /// local stack.
    pub fn account(settings: AccountSettings) -> TestCognito {
        let config = acceptance::on_own_runtime({
            let settings = settings.clone();
            async move { settings.load().await }
        });
        TestCognito {
            target: Target::Account(Box::new(Account {
                settings,
                config,
                pools: Mutex::new(Vec::new()),
            })),
        }
    }

    /// The local stack, for a check only it can make; in acceptance mode `None`, after saying that `check` is
    /// skipped.
    pub fn local(&self, check: &str) -> Option<&LocalCognito> {
        match &self.target {
            Target::Local(stack) => Some(stack.as_ref()),
            Target::Account(_) => {
                let test = acceptance::current_test();
                acceptance::skip(
                    &format!("in {test} the check of {check}"),
                    "it needs the local stack's proxy",
                );
                None
            }
        }
    }

    /// An SDK client for test setup and assertions, with the SDK's standard retries.
    pub fn sdk(&self) -> Client {
        match &self.target {
            Target::Local(stack) => stack.sdk(),
            Target::Account(account) => acceptance::sdk(&account.config, RetryConfig::standard()),
        }
    }

    /// Creates a user pool and returns its ID. In acceptance mode its name carries the run's prefix, and the pool
    /// (with every app client in it) is deleted when this value is dropped.
    pub async fn create_user_pool(&self, name: &str) -> String {
        match &self.target {
            Target::Local(stack) => stack.create_user_pool(name).await,
            Target::Account(account) => account.create_user_pool(name).await,
        }
    }

    /// Creates resource server `identifier` with `scopes` in the pool (see [`local_cognito::create_resource_server`]).
    pub async fn create_resource_server(&self, user_pool_id: &str, identifier: &str, scopes: &[&str]) {
        local_cognito::create_resource_server(&self.sdk(), user_pool_id, identifier, scopes).await;
    }

    /// Creates identity provider `name` in the pool (see [`local_cognito::create_identity_provider`]).
    pub async fn create_identity_provider(&self, user_pool_id: &str, name: &str) {
        local_cognito::create_identity_provider(&self.sdk(), user_pool_id, name).await;
    }
}

impl CognitoAccess for TestCognito {
    fn aws_access(&self) -> AwsAccess {
        match &self.target {
            Target::Local(stack) => stack.aws_access(),
            Target::Account(account) => AwsAccess::Environment {
                endpoint: account.settings.endpoint.clone(),
            },
        }
    }
}

/// The AWS account as a target: pools it creates are prefixed and remembered, and deleted on drop.
struct Account {
    settings: AccountSettings,
    config: SdkConfig,
    pools: Mutex<Vec<String>>,
}

impl Account {
    async fn create_user_pool(&self, name: &str) -> String {
        let name = format!("{}{name}", acceptance::run_prefix());
        let output = acceptance::sdk(&self.config, RetryConfig::standard())
            .create_user_pool()
            .pool_name(&name)
            .send()
            .await
            .unwrap_or_else(|error| panic!("CreateUserPool {name}: {}", DisplayErrorContext(&error)));
        let id = output
            .user_pool()
            .and_then(|pool| pool.id())
            .unwrap_or_else(|| panic!("CreateUserPool {name} returned no pool ID"))
            .to_owned();
        self.pools
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(id.clone());
        id
    }
}

impl Drop for Account {
    /// Deletes the pools this target made, with their app clients. A pool that cannot be deleted is reported, and
    /// `scripts/sweep` removes it later.
    fn drop(&mut self) {
        let pools = std::mem::take(self.pools.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner()));
        if pools.is_empty() {
            return;
        }
        let settings = self.settings.clone();
        acceptance::on_own_runtime(async move {
            let sdk = acceptance::sdk(&settings.load().await, RetryConfig::standard());
            for pool in pools {
                if let Err(reason) = acceptance::delete_user_pool(&sdk, &pool).await {
                    acceptance::announce(&format!(
                        "acceptance mode: could not delete user pool {pool} ({reason}); scripts/sweep will"
                    ));
                }
            }
        });
    }
}

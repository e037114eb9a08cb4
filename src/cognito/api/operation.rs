//! What the generic layers of the API stack know about a call: which Cognito operation it is ([`Operation`]) and
//! what it is about ([`Scope`]).
//!
//! Retry, pacing and error reports need no more than that, so they work for every operation alike. An operation is
//! a value, not a variant of a closed list: each resource's facade declares its own operations as constants beside
//! the calls that use them, and adding one touches nothing in retry or pacing.

use std::fmt;

/// Cognito's request-rate quota categories for user pool administration ("Quotas in Amazon Cognito" in the Cognito
/// developer guide). Each limits its operations together, per account and Region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// Describe and list app clients (`UserPoolClientRead`).
    UserPoolClientRead,
    /// Create, update and delete app clients (`UserPoolClientUpdate`).
    UserPoolClientUpdate,
    /// Describe user pools and their settings (`UserPoolRead`).
    UserPoolRead,
    /// Change user pools and their settings (`UserPoolUpdate`).
    UserPoolUpdate,
    /// Read the resources of a pool: domains, identity providers, resource servers, branding
    /// (`UserPoolResourceRead`).
    UserPoolResourceRead,
    /// Change the resources of a pool (`UserPoolResourceUpdate`).
    UserPoolResourceUpdate,
}

impl Category {
    /// Whether the category's calls only read.
    pub fn is_read(self) -> bool {
        matches!(
            self,
            Category::UserPoolClientRead | Category::UserPoolRead | Category::UserPoolResourceRead
        )
    }
}

/// What a call does to Cognito, which decides what may be repeated after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Changes nothing: always safe to repeat.
    Read,
    /// Makes something new each time it runs: repeating one that may have reached Cognito can make a second.
    Create,
    /// Changes or deletes something that exists, with the same result however often it runs. Cognito serialises
    /// these per resource, so a ConcurrentModificationException is worth waiting out.
    Write,
}

/// One Cognito API operation, as the generic layers see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The API name, as in IAM actions, CloudTrail and AWS error reports.
    pub name: &'static str,
    pub category: Category,
    pub effect: Effect,
}

impl Operation {
    /// The API name, as in IAM actions, CloudTrail and AWS error reports.
    pub fn api_name(self) -> &'static str {
        self.name
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// What a call is about: the user pool always, and the resource within it where there is one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The pool itself, or something in it that has no id yet (a create) or several (a listing).
    Pool { user_pool_id: String },
    /// One app client.
    Client { user_pool_id: String, client_id: String },
    /// One secret of an app client.
    Secret {
        user_pool_id: String,
        client_id: String,
        secret_id: String,
    },
    /// One managed-login branding style.
    Branding { user_pool_id: String, branding_id: String },
}

impl Scope {
    pub fn pool(user_pool_id: &str) -> Scope {
        Scope::Pool {
            user_pool_id: user_pool_id.to_string(),
        }
    }

    pub fn client(user_pool_id: &str, client_id: &str) -> Scope {
        Scope::Client {
            user_pool_id: user_pool_id.to_string(),
            client_id: client_id.to_string(),
        }
    }

    /// The pool, narrowed to one client when `client_id` is given.
    pub fn pool_or_client(user_pool_id: &str, client_id: Option<&str>) -> Scope {
        match client_id {
            Some(client_id) => Scope::client(user_pool_id, client_id),
            None => Scope::pool(user_pool_id),
        }
    }

    pub fn user_pool_id(&self) -> &str {
        match self {
            Scope::Pool { user_pool_id }
            | Scope::Client { user_pool_id, .. }
            | Scope::Secret { user_pool_id, .. }
            | Scope::Branding { user_pool_id, .. } => user_pool_id,
        }
    }

    /// The app client the call is about, if any.
    pub fn client_id(&self) -> Option<&str> {
        match self {
            Scope::Client { client_id, .. } | Scope::Secret { client_id, .. } => Some(client_id),
            Scope::Pool { .. } | Scope::Branding { .. } => None,
        }
    }
}

/// As error messages name it: "in user pool P", "for client C in user pool P", ...
impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Pool { user_pool_id } => write!(f, "in user pool {user_pool_id}"),
            Scope::Client {
                user_pool_id,
                client_id,
            } => write!(f, "for client {client_id} in user pool {user_pool_id}"),
            Scope::Secret {
                user_pool_id,
                client_id,
                secret_id,
            } => write!(
                f,
                "for secret {secret_id} of client {client_id} in user pool {user_pool_id}"
            ),
            Scope::Branding {
                user_pool_id,
                branding_id,
            } => write!(
                f,
                "for managed login branding {branding_id} in user pool {user_pool_id}"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_name_what_the_call_was_about() {
        let cases = [
            (Scope::pool("p"), "in user pool p", None),
            (Scope::client("p", "c"), "for client c in user pool p", Some("c")),
            (
                Scope::Secret {
                    user_pool_id: "p".into(),
                    client_id: "c".into(),
                    secret_id: "c--1".into(),
                },
                "for secret c--1 of client c in user pool p",
                Some("c"),
            ),
            (
                Scope::Branding {
                    user_pool_id: "p".into(),
                    branding_id: "b".into(),
                },
                "for managed login branding b in user pool p",
                None,
            ),
        ];
        for (scope, text, client_id) in cases {
            assert_eq!(scope.to_string(), text);
            assert_eq!(scope.user_pool_id(), "p");
            assert_eq!(scope.client_id(), client_id);
        }
        assert_eq!(Scope::pool_or_client("p", None), Scope::pool("p"));
        assert_eq!(Scope::pool_or_client("p", Some("c")), Scope::client("p", "c"));
    }

    #[test]
    fn read_categories_are_told_from_update_categories() {
        assert!(Category::UserPoolClientRead.is_read());
        assert!(Category::UserPoolResourceRead.is_read());
        assert!(!Category::UserPoolClientUpdate.is_read());
        assert!(!Category::UserPoolUpdate.is_read());
    }
}

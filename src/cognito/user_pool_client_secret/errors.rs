//! [`SecretProblem`]: what can go wrong with a client secret, each with the words the user sees and what to do.
//! Secret values never appear here: only IDs, which Cognito itself lists.

use super::model::{CustomSecretProblem, SecretList};
use super::schema::attr;
use super::state::{ImportId, SecretAddress};
use crate::tf::diagnostics::{AttributePath, Diagnostic, Diagnostics};

#[derive(Debug)]
pub enum SecretProblem {
    ClientNotFound {
        user_pool_id: String,
        client_id: String,
    },
    InvalidCustomSecret(CustomSecretProblem),
    /// AddUserPoolClientSecret refused a third secret; `existing` as listed afterwards, when that worked.
    LimitExceeded {
        user_pool_id: String,
        client_id: String,
        existing: Option<SecretList>,
    },
    /// The answer to AddUserPoolClientSecret was lost: a secret may have been made that the state does not hold.
    MayHaveAdded {
        existing: Option<SecretList>,
    },
    RetireFailed {
        user_pool_id: String,
        client_id: String,
        secret_id: String,
        cause: Diagnostics,
    },
    RetireSelf {
        secret_id: String,
    },
    DeletedOutside {
        address: SecretAddress,
    },
    ClientGone {
        address: SecretAddress,
    },
    /// Cognito never deletes a client's last secret.
    LastSecretKept {
        address: SecretAddress,
    },
    NotImportable {
        import: ImportId,
        existing: SecretList,
    },
}

fn delete_command(user_pool_id: &str, client_id: &str, secret_id: &str) -> String {
    format!(
        "aws cognito-idp delete-user-pool-client-secret --user-pool-id {user_pool_id} --client-id {client_id} \
         --client-secret-id {secret_id}"
    )
}

fn secret_id_of(address: &SecretAddress) -> &str {
    address.secret_id.as_deref().unwrap_or("(unknown)")
}

impl SecretProblem {
    fn summary_and_detail(&self) -> (&'static str, String) {
        match self {
            SecretProblem::ClientNotFound {
                user_pool_id,
                client_id,
            } => (
                "App client not found",
                format!("There is no app client {client_id} in user pool {user_pool_id} (or no such pool)."),
            ),
            SecretProblem::InvalidCustomSecret(problem) => (
                "Invalid custom client secret",
                format!("Cognito would refuse this client_secret_wo: {problem}."),
            ),
            SecretProblem::LimitExceeded {
                user_pool_id,
                client_id,
                existing,
            } => {
                let (listed, example) = match existing {
                    Some(list) => (
                        list.describe(),
                        list.secrets()
                            .first()
                            .map_or("SECRET_ID", |s| s.secret_id.as_str())
                            .to_string(),
                    ),
                    None => ("(they could not be listed)".to_string(), "SECRET_ID".to_string()),
                };
                (
                    "App client already has two secrets",
                    format!(
                        "Cognito keeps at most two active secrets per app client, and app client {client_id} of user \
                         pool {user_pool_id} has them already: {listed}. No secret was added, and the request is not \
                         retried.\n\nRetire a secret that no application uses any more, then apply again: delete it \
                         with\n  {}\nor bring it under Terraform's management (terraform import of \
                         cognito_user_pool_client_secret with the ID {user_pool_id}/{client_id}/{example}) and let \
                         a replacement with create_before_destroy delete it. A client's first secret can also be \
                         retired by the first managed secret through retire_secret_id.",
                        delete_command(user_pool_id, client_id, &example)
                    ),
                )
            }
            SecretProblem::MayHaveAdded { existing } => (
                "A client secret may have been added",
                format!(
                    "The request may have reached Cognito before the answer was lost, so a secret may exist that \
                     Terraform does not know. The client's secrets now: {}. Import the unknown one \
                     (terraform import) or delete it, then apply again.",
                    existing
                        .as_ref()
                        .map_or("(they could not be listed)".to_string(), SecretList::describe)
                ),
            ),
            SecretProblem::RetireFailed {
                user_pool_id,
                client_id,
                secret_id,
                cause,
            } => {
                let causes: Vec<String> = cause.iter().map(|d| format!("{}: {}", d.summary, d.detail)).collect();
                (
                    "Secret not retired",
                    format!(
                        "The secret {secret_id} named in retire_secret_id could not be deleted ({}). It stays \
                         active and counts against the two secrets Cognito allows: delete it with\n  {}",
                        causes.join("; "),
                        delete_command(user_pool_id, client_id, secret_id)
                    ),
                )
            }
            SecretProblem::RetireSelf { secret_id } => (
                "A secret cannot retire itself",
                format!("retire_secret_id names this secret, {secret_id}; name another secret of the client."),
            ),
            SecretProblem::DeletedOutside { address } => (
                "Client secret no longer exists",
                format!(
                    "The secret {} of app client {} in user pool {} was deleted outside Terraform; it is removed \
                     from the state and the plan will add a new one.",
                    secret_id_of(address),
                    address.client_id,
                    address.user_pool_id
                ),
            ),
            SecretProblem::ClientGone { address } => (
                "App client no longer exists",
                format!(
                    "The app client {} of user pool {} was deleted outside Terraform, and with it the secret {}; \
                     it is removed from the state.",
                    address.client_id,
                    address.user_pool_id,
                    secret_id_of(address)
                ),
            ),
            SecretProblem::LastSecretKept { address } => (
                "Last client secret left in place",
                format!(
                    "The secret {} is the last one of app client {} in user pool {}, and Cognito never deletes a \
                     client's last secret: it stays active until the client is deleted or another secret is added \
                     and this one deleted. It is removed from the state.",
                    secret_id_of(address),
                    address.client_id,
                    address.user_pool_id
                ),
            ),
            SecretProblem::NotImportable { import, existing } => (
                "Client secret not found",
                match &import.secret_id {
                    Some(secret_id) => format!(
                        "App client {} of user pool {} has no secret {secret_id}. Its secrets: {}.",
                        import.client_id,
                        import.user_pool_id,
                        existing.describe()
                    ),
                    None => format!(
                        "USER_POOL_ID/CLIENT_ID imports a client's only secret, but app client {} of user pool {} \
                         has {}: {}. Use USER_POOL_ID/CLIENT_ID/SECRET_ID.",
                        import.client_id,
                        import.user_pool_id,
                        existing.secrets().len(),
                        existing.describe()
                    ),
                },
            ),
        }
    }

    fn attribute(&self) -> Option<AttributePath> {
        match self {
            SecretProblem::InvalidCustomSecret(_) => Some(AttributePath::attribute(attr::CLIENT_SECRET_WO)),
            SecretProblem::RetireSelf { .. } | SecretProblem::RetireFailed { .. } => {
                Some(AttributePath::attribute(attr::RETIRE_SECRET_ID))
            }
            SecretProblem::ClientNotFound { .. } | SecretProblem::LimitExceeded { .. } => {
                Some(AttributePath::attribute(attr::CLIENT_ID))
            }
            _ => None,
        }
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        let (summary, detail) = self.summary_and_detail();
        let diagnostic = Diagnostic::error(summary, detail);
        match self.attribute() {
            Some(path) => diagnostic.at(path),
            None => diagnostic,
        }
    }

    pub fn to_warning(&self) -> Diagnostic {
        let (summary, detail) = self.summary_and_detail();
        Diagnostic::warning(summary, detail)
    }
}

impl From<SecretProblem> for Diagnostics {
    fn from(problem: SecretProblem) -> Diagnostics {
        problem.to_diagnostic().into()
    }
}

pub fn internal(detail: impl std::fmt::Display) -> Diagnostics {
    Diagnostic::error(
        "Provider internal error",
        format!("{detail}. This is a bug in the provider; please report it."),
    )
    .into()
}

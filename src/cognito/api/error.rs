//! [`ApiError`]: a failed Cognito call, classified by what the caller should do about it.
//!
//! Classification goes by the AWS error code, never by message text (messages differ between AWS and emulators
//! and change over time); where there is no code, by HTTP status; where there is no response, by how far the
//! request got ([`ApiError::request_sent`]). That last distinction matters for the operations that create
//! something ([`Effect::Create`]): repeating one that may have reached Cognito can leave a second one behind.

use super::{Effect, Operation, Scope};

/// The IAM actions the provider needs, for the hint on authorisation errors.
pub const IAM_ACTIONS: [&str; 5] = [
    "cognito-idp:CreateUserPoolClient",
    "cognito-idp:DescribeUserPoolClient",
    "cognito-idp:UpdateUserPoolClient",
    "cognito-idp:DeleteUserPoolClient",
    "cognito-idp:ListUserPoolClients",
];

/// What kind of failure, as far as retrying and advising the user go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// ResourceNotFoundException: the user pool or the resource in it does not exist.
    NotFound,
    /// TooManyRequestsException and other throttling codes: Cognito refused the request for now.
    Throttled,
    /// ConcurrentModificationException: another change to the same resource was in progress.
    ConcurrentModification,
    /// Worth another try: InternalErrorException and other 5xx answers, or a connection that failed before the
    /// request left (see [`ApiError::request_sent`]).
    Transient,
    /// The request may have reached Cognito but no answer came back (timeout, connection dropped after
    /// sending, unreadable response): the operation may or may not have happened.
    Ambiguous,
    /// LimitExceededException: a quota (e.g. 1,000 app clients per pool) is used up. Waiting does not help.
    LimitExceeded,
    /// InvalidParameterException, InvalidOAuthFlowException, ScopeDoesNotExistException: the request is wrong.
    Invalid,
    /// NotAuthorizedException, IAM denials, missing or expired credentials.
    Unauthorized,
    /// FeatureUnavailableInTierException, OperationNotEnabledException: not possible for this pool or Region.
    Unavailable,
    /// Terraform asked the provider to stop while a retry was pending.
    Cancelled,
    /// The user pool's ID names another Region than the one the provider talks to: nothing was sent, since
    /// Cognito would answer that the pool does not exist and the client would look deleted.
    WrongRegion,
    /// Anything else.
    Other,
}

/// A failed Cognito call. Carries no request or response body, so it can never reveal a client secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{operation} failed {scope}: {}{}",
    code_and_message(.code, .message),
    attempts_note(*.attempts)
)]
pub struct ApiError {
    pub operation: Operation,
    /// What the call was about: the pool, or a client, secret or branding style in it. Boxed to keep the error
    /// small, as it travels in every `Result` of the stack.
    pub scope: Box<Scope>,
    pub kind: ErrorKind,
    /// The AWS error code, e.g. `InvalidParameterException`; `None` when no error response was received.
    pub code: Option<String>,
    pub message: String,
    /// False only when the request certainly never left this process (no connection could be made, no
    /// credentials): then Cognito cannot have acted on it. True when it was sent or may have been.
    pub request_sent: bool,
    pub http_status: Option<u16>,
    /// AWS's request id, for AWS support.
    pub request_id: Option<String>,
    /// How many attempts were made before giving up (1 unless a retrying layer retried).
    pub attempts: u32,
}

fn code_and_message(code: &Option<String>, message: &str) -> String {
    match code {
        Some(code) => format!("{code}: {message}"),
        None => message.to_string(),
    }
}

fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

impl ApiError {
    /// An error of a known kind, without an AWS error code (e.g. a network failure). Assumed to have possibly
    /// reached Cognito; see [`ApiError::not_sent`].
    pub fn new(operation: Operation, scope: Scope, kind: ErrorKind, message: impl Into<String>) -> ApiError {
        ApiError {
            operation,
            scope: Box::new(scope),
            kind,
            code: None,
            message: message.into(),
            request_sent: true,
            http_status: None,
            request_id: None,
            attempts: 1,
        }
    }

    /// An error response from Cognito, classified by its code (or by HTTP status for unknown codes).
    pub fn from_service(
        operation: Operation,
        scope: Scope,
        code: &str,
        message: impl Into<String>,
        http_status: u16,
    ) -> ApiError {
        let kind = kind_for_code(code).unwrap_or_else(|| kind_for_status(http_status));
        ApiError {
            code: Some(code.to_string()),
            http_status: Some(http_status),
            ..ApiError::new(operation, scope, kind, message)
        }
    }

    /// Marks the request as never sent: Cognito cannot have acted on it.
    pub fn not_sent(mut self) -> ApiError {
        self.request_sent = false;
        self
    }

    pub fn is_not_found(&self) -> bool {
        self.kind == ErrorKind::NotFound
    }

    /// Whether repeating the call that failed with this error is both useful and safe.
    pub fn is_retryable(&self) -> bool {
        self.is_retryable_for(self.operation)
    }

    /// The retry policy by error class and by what the operation does ([`Effect`];
    /// docs/dev/cognito-app-clients.md#errors-and-retries):
    /// - throttling: always; Cognito turned the request away before acting on it;
    /// - transient: always for reads and writes; for creates only when the request never left, because a 5xx
    ///   after a create may hide something that was made;
    /// - ambiguous (no answer): reads and writes (a full replace, or a delete where ResourceNotFound counts as
    ///   done) can simply run again; creates never, as that would make a second one;
    /// - concurrent modification: writes, the calls Cognito serialises per resource;
    /// - LimitExceeded is a quota, not a rate, and is never retried (the AWS SDKs get this wrong).
    pub fn is_retryable_for(&self, operation: Operation) -> bool {
        match self.kind {
            ErrorKind::Throttled => true,
            ErrorKind::Transient => operation.effect != Effect::Create || !self.request_sent,
            ErrorKind::Ambiguous => operation.effect != Effect::Create,
            ErrorKind::ConcurrentModification => operation.effect == Effect::Write,
            ErrorKind::NotFound
            | ErrorKind::LimitExceeded
            | ErrorKind::Invalid
            | ErrorKind::Unauthorized
            | ErrorKind::Unavailable
            | ErrorKind::Cancelled
            | ErrorKind::WrongRegion
            | ErrorKind::Other => false,
        }
    }

    /// What the user can do about it, when there is something better to say than the AWS message.
    pub fn hint(&self) -> Option<&'static str> {
        match self.kind {
            ErrorKind::Unauthorized if self.operation.is_client_secret_operation() => Some(
                "Check the AWS credentials the provider uses (profile, environment, assume_role). Client secrets \
                 need the IAM actions cognito-idp:AddUserPoolClientSecret, cognito-idp:ListUserPoolClientSecrets and \
                 cognito-idp:DeleteUserPoolClientSecret on the user pool.",
            ),
            ErrorKind::LimitExceeded if self.operation == Operation::ADD_CLIENT_SECRET => Some(
                "The app client already has the two active secrets Cognito allows. Delete one of them (a secret no \
                 application uses any more) before adding another.",
            ),
            ErrorKind::Unauthorized => Some(
                "Check the AWS credentials the provider uses (profile, environment, assume_role). The identity \
                 needs the IAM actions cognito-idp:CreateUserPoolClient, cognito-idp:DescribeUserPoolClient, \
                 cognito-idp:UpdateUserPoolClient, cognito-idp:DeleteUserPoolClient and \
                 cognito-idp:ListUserPoolClients on the user pool.",
            ),
            ErrorKind::Throttled => Some(
                "Cognito allows about 5 app-client requests per second per operation and user pool (15 per account \
                 and Region). Run again with a lower -parallelism, or raise max_retries in the provider block.",
            ),
            ErrorKind::ConcurrentModification => Some(
                "Another change to this user pool's app clients was in progress. Run again; if it keeps happening, \
                 lower -parallelism or avoid changing the pool from elsewhere at the same time.",
            ),
            ErrorKind::LimitExceeded => Some(
                "The user pool has reached its quota of app clients (1,000 by default). Delete unused clients or \
                 ask AWS for a higher quota.",
            ),
            ErrorKind::Ambiguous if self.operation.effect == Effect::Create => Some(
                "The request may have reached Cognito before the connection failed, so what it creates may exist \
                 without Terraform knowing it. Look for it in the user pool (for an app client, with \
                 `aws cognito-idp list-user-pool-clients`); import it or delete it before running apply again.",
            ),
            ErrorKind::Ambiguous | ErrorKind::Transient => {
                Some("Cognito or the network failed temporarily. Check connectivity and endpoint_url, then run again.")
            }
            ErrorKind::NotFound => Some(
                "The user pool or the app client does not exist (or is in another Region or account). Check \
                 user_pool_id and the provider's region.",
            ),
            ErrorKind::Invalid => match self.code.as_deref() {
                Some("InvalidOAuthFlowException") => Some(
                    "client_credentials must be the only OAuth flow, needs a client secret (generate_secret) and \
                     only custom resource-server scopes; code and implicit need callback_urls.",
                ),
                Some("ScopeDoesNotExistException") => Some(
                    "Custom scopes (<resource-server-identifier>/<scope>) must exist on a resource server of this \
                     user pool. Create the resource server first, or add it to depends_on.",
                ),
                _ => None,
            },
            ErrorKind::Unavailable => match self.code.as_deref() {
                Some("FeatureUnavailableInTierException") => Some(
                    "A setting needs a higher feature plan for the user pool (e.g. ALLOW_USER_AUTH needs Essentials \
                     or Plus). Change the pool's feature plan or remove the setting.",
                ),
                _ => Some("The operation is not enabled for this user pool or Region (e.g. a replica Region)."),
            },
            ErrorKind::WrongRegion => Some(
                "A user pool ID begins with the pool's Region. Set the provider's region to it, or give this \
                 resource an aliased provider (`provider = cognito.<alias>`) configured with that region.",
            ),
            ErrorKind::Cancelled | ErrorKind::Other => None,
        }
    }
}

/// The kind an AWS error code stands for; `None` for codes this provider does not know.
pub fn kind_for_code(code: &str) -> Option<ErrorKind> {
    let kind = match code {
        "ResourceNotFoundException" => ErrorKind::NotFound,
        // Cognito's own code, then the generic throttling codes of AWS front ends.
        "TooManyRequestsException"
        | "ThrottlingException"
        | "Throttling"
        | "ThrottledException"
        | "RequestThrottled"
        | "RequestThrottledException"
        | "RequestLimitExceeded"
        | "SlowDown" => ErrorKind::Throttled,
        "ConcurrentModificationException" => ErrorKind::ConcurrentModification,
        "InternalErrorException"
        | "InternalServerException"
        | "InternalFailure"
        | "InternalError"
        | "ServiceUnavailable"
        | "ServiceUnavailableException"
        | "RequestTimeout"
        | "RequestTimeoutException" => ErrorKind::Transient,
        "LimitExceededException" => ErrorKind::LimitExceeded,
        "InvalidParameterException"
        | "InvalidOAuthFlowException"
        | "ScopeDoesNotExistException"
        | "ValidationException"
        | "SerializationException" => ErrorKind::Invalid,
        "NotAuthorizedException"
        | "AccessDeniedException"
        | "AccessDenied"
        | "UnrecognizedClientException"
        | "InvalidSignatureException"
        | "IncompleteSignature"
        | "MissingAuthenticationToken"
        | "MissingAuthenticationTokenException"
        | "ExpiredTokenException"
        | "ExpiredToken"
        | "InvalidClientTokenId"
        | "SignatureDoesNotMatch"
        | "RequestExpired" => ErrorKind::Unauthorized,
        "FeatureUnavailableInTierException" | "OperationNotEnabledException" => ErrorKind::Unavailable,
        _ => return None,
    };
    Some(kind)
}

/// The kind of an error response without a known code.
pub fn kind_for_status(status: u16) -> ErrorKind {
    match status {
        429 => ErrorKind::Throttled,
        401 | 403 => ErrorKind::Unauthorized,
        500..=599 => ErrorKind::Transient,
        _ => ErrorKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(operation: Operation, code: &str) -> ApiError {
        ApiError::from_service(
            operation,
            Scope::client("us-east-1_pool", "client1"),
            code,
            "message",
            400,
        )
    }

    #[test]
    fn codes_are_classified() {
        let cases = [
            ("ResourceNotFoundException", ErrorKind::NotFound),
            ("TooManyRequestsException", ErrorKind::Throttled),
            ("ConcurrentModificationException", ErrorKind::ConcurrentModification),
            ("InternalErrorException", ErrorKind::Transient),
            ("LimitExceededException", ErrorKind::LimitExceeded),
            ("InvalidParameterException", ErrorKind::Invalid),
            ("InvalidOAuthFlowException", ErrorKind::Invalid),
            ("ScopeDoesNotExistException", ErrorKind::Invalid),
            ("NotAuthorizedException", ErrorKind::Unauthorized),
            ("UnrecognizedClientException", ErrorKind::Unauthorized),
            ("ExpiredTokenException", ErrorKind::Unauthorized),
            ("FeatureUnavailableInTierException", ErrorKind::Unavailable),
            ("OperationNotEnabledException", ErrorKind::Unavailable),
        ];
        for (code, kind) in cases {
            assert_eq!(kind_for_code(code), Some(kind), "{code}");
            assert_eq!(service(Operation::UPDATE_CLIENT, code).kind, kind, "{code}");
        }
        assert_eq!(kind_for_code("SomethingNewException"), None);
    }

    #[test]
    fn unknown_codes_fall_back_to_the_http_status() {
        let at =
            |status| ApiError::from_service(Operation::DESCRIBE_CLIENT, Scope::pool("p"), "Weird", "m", status).kind;
        assert_eq!(at(503), ErrorKind::Transient);
        assert_eq!(at(500), ErrorKind::Transient);
        assert_eq!(at(429), ErrorKind::Throttled);
        assert_eq!(at(403), ErrorKind::Unauthorized);
        assert_eq!(at(400), ErrorKind::Other);
        // A known code wins over the status.
        let limit = ApiError::from_service(
            Operation::CREATE_CLIENT,
            Scope::pool("p"),
            "LimitExceededException",
            "m",
            400,
        );
        assert_eq!(limit.kind, ErrorKind::LimitExceeded);
    }

    #[test]
    fn retry_policy_for_idempotent_calls() {
        for operation in [
            Operation::DESCRIBE_CLIENT,
            Operation::LIST_CLIENTS,
            Operation::UPDATE_CLIENT,
            Operation::DELETE_CLIENT,
        ] {
            let error = |kind| ApiError::new(operation, Scope::client("p", "c"), kind, "m");
            assert!(error(ErrorKind::Throttled).is_retryable(), "{operation}");
            assert!(error(ErrorKind::Transient).is_retryable(), "{operation}");
            assert!(error(ErrorKind::Ambiguous).is_retryable(), "{operation}");
            assert!(!error(ErrorKind::LimitExceeded).is_retryable(), "{operation}");
            assert!(!error(ErrorKind::Invalid).is_retryable(), "{operation}");
            assert!(!error(ErrorKind::Unauthorized).is_retryable(), "{operation}");
            assert!(!error(ErrorKind::NotFound).is_retryable(), "{operation}");
            assert!(!error(ErrorKind::Unavailable).is_retryable(), "{operation}");
            assert!(!error(ErrorKind::Cancelled).is_retryable(), "{operation}");
            assert!(!error(ErrorKind::Other).is_retryable(), "{operation}");
        }
    }

    #[test]
    fn concurrent_modification_is_retried_for_update_and_delete_only() {
        let error = ApiError::new(
            Operation::UPDATE_CLIENT,
            Scope::client("p", "c"),
            ErrorKind::ConcurrentModification,
            "m",
        );
        assert!(error.is_retryable_for(Operation::UPDATE_CLIENT));
        assert!(error.is_retryable_for(Operation::DELETE_CLIENT));
        assert!(!error.is_retryable_for(Operation::DESCRIBE_CLIENT));
        assert!(!error.is_retryable_for(Operation::LIST_CLIENTS));
        assert!(!error.is_retryable_for(Operation::CREATE_CLIENT));
    }

    #[test]
    fn create_is_retried_only_when_no_client_can_have_been_made() {
        let error = |kind| ApiError::new(Operation::CREATE_CLIENT, Scope::pool("p"), kind, "m");
        assert!(error(ErrorKind::Throttled).is_retryable());
        assert!(error(ErrorKind::Transient).not_sent().is_retryable());
        assert!(
            !error(ErrorKind::Transient).is_retryable(),
            "a 5xx after Create may hide a created client"
        );
        assert!(!error(ErrorKind::Ambiguous).is_retryable());
        assert!(
            !error(ErrorKind::Ambiguous)
                .not_sent()
                .is_retryable_for(Operation::CREATE_CLIENT)
        );
        assert!(!service(Operation::CREATE_CLIENT, "LimitExceededException").is_retryable());
        assert!(!service(Operation::CREATE_CLIENT, "InternalErrorException").is_retryable());
        assert!(service(Operation::CREATE_CLIENT, "TooManyRequestsException").is_retryable());
    }

    #[test]
    fn display_names_operation_client_pool_code_and_message() {
        let error = ApiError::from_service(
            Operation::UPDATE_CLIENT,
            Scope::client("us-east-1_abc", "client1"),
            "InvalidParameterException",
            "Invalid range for token validity",
            400,
        );
        assert_eq!(
            error.to_string(),
            "UpdateUserPoolClient failed for client client1 in user pool us-east-1_abc: \
             InvalidParameterException: Invalid range for token validity"
        );
        let mut network = ApiError::new(
            Operation::CREATE_CLIENT,
            Scope::pool("us-east-1_abc"),
            ErrorKind::Ambiguous,
            "io error",
        );
        assert_eq!(
            network.to_string(),
            "CreateUserPoolClient failed in user pool us-east-1_abc: io error"
        );
        network.attempts = 3;
        assert_eq!(
            network.to_string(),
            "CreateUserPoolClient failed in user pool us-east-1_abc: io error (after 3 attempts)"
        );
    }

    #[test]
    fn hints_point_at_the_remedy() {
        let unauthorized = service(Operation::DESCRIBE_CLIENT, "NotAuthorizedException")
            .hint()
            .unwrap();
        for action in IAM_ACTIONS {
            assert!(unauthorized.contains(action), "{action}");
        }
        assert!(
            service(Operation::CREATE_CLIENT, "LimitExceededException")
                .hint()
                .unwrap()
                .contains("1,000")
        );
        assert!(
            service(Operation::UPDATE_CLIENT, "ScopeDoesNotExistException")
                .hint()
                .unwrap()
                .contains("resource server")
        );
        assert!(
            service(Operation::CREATE_CLIENT, "FeatureUnavailableInTierException")
                .hint()
                .unwrap()
                .contains("plan")
        );
        let lost_create = ApiError::new(
            Operation::CREATE_CLIENT,
            Scope::pool("p"),
            ErrorKind::Ambiguous,
            "timeout",
        );
        assert!(lost_create.hint().unwrap().contains("import it or delete it"));
        let lost_update = ApiError::new(
            Operation::UPDATE_CLIENT,
            Scope::client("p", "c"),
            ErrorKind::Ambiguous,
            "timeout",
        );
        assert!(!lost_update.hint().unwrap().contains("import"));
        assert_eq!(
            service(Operation::UPDATE_CLIENT, "InvalidParameterException").hint(),
            None
        );
    }
}

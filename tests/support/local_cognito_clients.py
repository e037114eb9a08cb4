"""How Amazon Cognito treats app-client requests, for the local proxy of ``local_cognito.py``.

moto stores whatever it is given. Cognito does not: it rejects what its API reference forbids, it resets what an
Update leaves out, it rewrites a few values, and its answers report some defaults and leave others out. This module
holds those behaviours as functions that the proxy applies around moto:

- ``check_request``: the rejections, each with Cognito's error code and the name of the rule (``RULES``).
- ``request_for_moto``: the request moto must see so that it stores what Cognito would store.
- ``reported_client``: a stored client as Cognito reports it.

Sources
-------
Written from Amazon Cognito's API reference,
https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/ (pages API_CreateUserPoolClient.html,
API_UpdateUserPoolClient.html, API_TokenValidityUnitsType.html, API_RefreshTokenRotationType.html and
API_AnalyticsConfigurationType.html; their member texts and "Length Constraints / Valid Range / Pattern / Valid
Values / Array Members" lines are the service model that the AWS SDKs ship), from error messages Cognito is publicly
recorded to answer, and from what HashiCorp's acceptance tests for ``aws_cognito_user_pool_client``
(terraform-provider-aws, internal/service/cognitoidp/user_pool_client_test.go), which run against AWS, observe.
Each rule and default below names its source.

This module is written apart from the provider's own validation and defaults (src/cognito/user_pool_client/rules,
model.rs) on purpose: a value that both copied from the same notes could be wrong in both places and no test would
notice. Where the provider and this module disagree, a test fails, and the sources here say who is right.

Only the standard library is used.
"""

import re
import unicodedata
import urllib.parse

API_REFERENCE = "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/"

CREATE = "CreateUserPoolClient"
UPDATE = "UpdateUserPoolClient"
CHECKED_OPERATIONS = (CREATE, UPDATE)

# ---------------------------------------------------------------------------------------------------------------------
# Rejections
# ---------------------------------------------------------------------------------------------------------------------

INVALID_PARAMETER = "InvalidParameterException"
INVALID_OAUTH_FLOW = "InvalidOAuthFlowException"
SCOPE_DOES_NOT_EXIST = "ScopeDoesNotExistException"
SERIALIZATION = "SerializationException"

# Every rule this module enforces, with the error code Cognito answers when a request breaks it. The proxy serves this
# table (GET /_proxy/rules) so that a test can prove it sends a violation of each one.
RULES = {
    # A member of the wrong JSON type: the JSON 1.1 protocol refuses the body before Cognito looks at it.
    "member_types": SERIALIZATION,
    # Required members, lengths, ranges, patterns, enums and list sizes of the API reference's request syntax.
    "constraints": INVALID_PARAMETER,
    # API_TokenValidityUnitsType: "AccessTokenValidity duration can range from five minutes to one day", the same
    # for IdTokenValidity, and "RefreshTokenValidity duration can range from 60 minutes to 10 years": the number
    # times its unit.
    "token_validity_duration": INVALID_PARAMETER,
    # ExplicitAuthFlows: "You can't assign these legacy ExplicitAuthFlows values to user pool clients at the same
    # time as values that begin with ALLOW_".
    "legacy_and_allow_flows": INVALID_PARAMETER,
    # Not in the API reference; Cognito's answer to an ALLOW_ list without ALLOW_REFRESH_TOKEN_AUTH is publicly
    # recorded (aws/aws-cdk#7625 and CDK apps quoting it): "REFRESH_TOKEN_AUTH should always be allowed."
    # API_RefreshTokenRotationType: with rotation ENABLED, refresh goes through GetTokensFromRefreshToken only, so
    # the requirement is not applied then (HashiCorp's TestAccCognitoIDPUserPoolClient_refreshTokenRotation).
    "refresh_token_auth_required": INVALID_PARAMETER,
    # CallbackURLs: "A redirect URI must: Be an absolute URI. [...] Not include a fragment component." and "Amazon
    # Cognito requires HTTPS over HTTP except for callback URLs to http://localhost, http://127.0.0.1 and
    # http://[::1]. [...] You can specify custom TCP ports for your callback URLs. App callback URLs such as
    # myapp://example are also supported." The same rules hold for DefaultRedirectURI, which must be one of them.
    "redirect_url_absolute": INVALID_PARAMETER,
    "redirect_url_fragment": INVALID_PARAMETER,
    "redirect_url_https": INVALID_PARAMETER,
    # DefaultRedirectURI: "Must be in the CallbackURLs list."
    "default_redirect_in_callbacks": INVALID_PARAMETER,
    # AllowedOAuthFlowsUserPoolClient: "This parameter must have a value of true before you can configure the
    # following features [...] AllowedOAuthScopes [...] AllowedOAuthFlows". The same sentence names CallBackURLs and
    # LogoutURLs, but HashiCorp's TestAccCognitoIDPUserPoolClient_urls_utf8 applies callback and logout URLs with the
    # flag unset against AWS, so Cognito does not enforce it for URLs and neither does this module.
    "oauth_needs_user_pool_client_flag": INVALID_OAUTH_FLOW,
    # AllowedOAuthFlows: "To create an app client that generates client credentials grants, you must add
    # client_credentials as the only allowed OAuth flow."
    "client_credentials_alone": INVALID_OAUTH_FLOW,
    # AllowedOAuthFlows, client_credentials: "authorized by a combination of the client ID and client secret";
    # Cognito's recorded answer otherwise: "client_credentials flow can not be selected if client does not have a
    # client secret."
    "client_credentials_needs_secret": INVALID_OAUTH_FLOW,
    # Recorded answer (hashicorp/terraform-provider-aws#4984): "openid is not supported with client_credentials flow".
    "client_credentials_without_openid": INVALID_OAUTH_FLOW,
    # Recorded answer (CloudFormation stacks quoting it): "CallbackUrls can not be empty when code flow or implicit
    # flow is selected".
    "code_or_implicit_needs_callbacks": INVALID_OAUTH_FLOW,
    # AllowedOAuthScopes: "Custom scopes with resource servers"; ScopeDoesNotExistException: "This exception is
    # thrown when the specified scope doesn't exist." A custom scope is <resource server identifier>/<scope name>.
    "custom_scope_exists": SCOPE_DOES_NOT_EXIST,
    # SupportedIdentityProviders: COGNITO, or "the names that you configured for the SAML and OIDC IdPs in your user
    # pool" (Facebook, Google, SignInWithApple and LoginWithAmazon are IdPs configured in the pool too). Recorded
    # answer otherwise: "The provider X does not exist for User Pool Y".
    "identity_provider_exists": INVALID_PARAMETER,
    # EnablePropagateAdditionalUserContextData: "You can only activate EnablePropagateAdditionalUserContextData in an
    # app client that has a client secret."
    "context_data_needs_secret": INVALID_PARAMETER,
    # ClientSecret: "You cannot specify both GenerateSecret as true and provide a ClientSecret value."
    "secret_generated_or_given": INVALID_PARAMETER,
}


class Rejection(Exception):
    """A request Cognito refuses; the proxy answers HTTP 400 with ``code`` (Cognito's JSON 1.1 error shape)."""

    def __init__(self, rule, message):
        super().__init__(message)
        self.rule = rule
        self.code = RULES[rule]
        self.message = message


# ---------------------------------------------------------------------------------------------------------------------
# Member constraints (the request syntax of API_CreateUserPoolClient / API_UpdateUserPoolClient)
# ---------------------------------------------------------------------------------------------------------------------


class WrongType(Exception):
    """A member whose JSON type is not the one the API declares."""


def java_length(text):
    """Cognito measures lengths in UTF-16 code units (a character outside the BMP counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def quoted(value):
    """A value as Cognito quotes it in validation messages: 'text', '[a, b]', '5', 'true'."""
    if isinstance(value, bool):
        return "'%s'" % ("true" if value else "false")
    if isinstance(value, list):
        return "'[%s]'" % ", ".join(str(item) for item in value)
    return "'%s'" % (value,)


class AsciiPattern:
    """A model pattern made of ASCII classes; like Java's ``\\w`` and ``\\s``, they match ASCII only."""

    def __init__(self, pattern):
        self.text = pattern
        self._regex = re.compile(pattern, re.ASCII)

    def matches(self, value):
        return self._regex.fullmatch(value) is not None


class UnicodePattern:
    """A model pattern ``[\\p{..}...]+``: every character in one of the given Unicode general categories."""

    def __init__(self, pattern, categories):
        self.text = pattern
        self._categories = categories

    def matches(self, value):
        return bool(value) and all(unicodedata.category(char)[0] in self._categories for char in value)


class Text:
    def __init__(self, min_length, max_length=None, pattern=None, enum=None, sensitive=False):
        self.min_length = min_length
        self.max_length = max_length
        self.pattern = pattern
        self.enum = enum
        self.sensitive = sensitive

    def problems(self, value):
        if not isinstance(value, str):
            raise WrongType()
        found = []
        if self.enum is not None:
            if value not in self.enum:
                found.append("Member must satisfy enum value set: [%s]" % ", ".join(self.enum))
            return found
        length = java_length(value)
        if self.max_length is not None and length > self.max_length:
            found.append("Member must have length less than or equal to %d" % self.max_length)
        if length < self.min_length:
            found.append("Member must have length greater than or equal to %d" % self.min_length)
        if self.pattern is not None and not self.pattern.matches(value):
            found.append("Member must satisfy regular expression pattern: %s" % self.pattern.text)
        return found


def Enum(*values):
    return Text(1, enum=list(values))


class Integer:
    def __init__(self, minimum, maximum):
        self.minimum = minimum
        self.maximum = maximum
        self.sensitive = False

    def problems(self, value):
        if not isinstance(value, int) or isinstance(value, bool):
            raise WrongType()
        found = []
        if value > self.maximum:
            found.append("Member must have value less than or equal to %d" % self.maximum)
        if value < self.minimum:
            found.append("Member must have value greater than or equal to %d" % self.minimum)
        return found


class Boolean:
    sensitive = False

    def problems(self, value):
        if not isinstance(value, bool):
            raise WrongType()
        return []


class ListOf:
    """A list member: its own size limit, and its items' constraints reported once for the whole list."""

    def __init__(self, item, max_items=None):
        self.item = item
        self.max_items = max_items
        self.sensitive = False

    def problems(self, value):
        if not isinstance(value, list):
            raise WrongType()
        found = []
        if self.max_items is not None and len(value) > self.max_items:
            found.append("Member must have length less than or equal to %d" % self.max_items)
        item_problems = []
        for item in value:
            for problem in self.item.problems(item):
                if problem not in item_problems:
                    item_problems.append(problem)
        if item_problems:
            found.append("Member must satisfy constraint: [%s]" % ", ".join(item_problems))
        return found


class Structure:
    def __init__(self, members, required=()):
        self.members = members
        self.required = required
        self.sensitive = False


def lower_camel(name):
    return name[0].lower() + name[1:]


def collect_problems(structure, value, path, errors):
    """Appends "Value ... at 'path' failed to satisfy constraint: ..." for every violation in `value`."""
    if not isinstance(value, dict):
        raise WrongType()
    for member in structure.required:
        if value.get(member) is None:
            member_path = path + lower_camel(member)
            errors.append("Value null at '%s' failed to satisfy constraint: Member must not be null" % member_path)
    for member, member_value in value.items():
        constraint = structure.members.get(member)
        # Members the API does not declare are ignored, as a JSON 1.1 service does; null means absent.
        if constraint is None or member_value is None:
            continue
        member_path = path + lower_camel(member)
        if isinstance(constraint, Structure):
            collect_problems(constraint, member_value, member_path + ".", errors)
            continue
        for problem in constraint.problems(member_value):
            # Sensitive members are not echoed (the service model marks ClientSecret sensitive).
            shown = "" if constraint.sensitive else " " + quoted(member_value)
            errors.append("Value%s at '%s' failed to satisfy constraint: %s" % (shown, member_path, problem))


ARN = AsciiPattern(
    r"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?"
)
TIME_UNIT = Enum("seconds", "minutes", "hours", "days")
REDIRECT_URL = Text(1, 1024, UnicodePattern(r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", "LMSNP"))
LEGACY_AUTH_FLOWS = ("ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH")
EXPLICIT_AUTH_FLOWS = LEGACY_AUTH_FLOWS + (
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
    "ALLOW_TOKEN_EXCHANGE_DELEGATION",
    "ALLOW_TOKEN_EXCHANGE_IMPERSONATION",
)

# The members both requests share, with the constraints the API reference lists for each.
SHARED_MEMBERS = {
    "UserPoolId": Text(1, 55, AsciiPattern(r"[\w-]+_[0-9a-zA-Z]+")),
    "ClientName": Text(1, 128, AsciiPattern(r"[\w\s+=,.@-]+")),
    "RefreshTokenValidity": Integer(0, 315360000),
    "AccessTokenValidity": Integer(1, 86400),
    "IdTokenValidity": Integer(1, 86400),
    "TokenValidityUnits": Structure({"AccessToken": TIME_UNIT, "IdToken": TIME_UNIT, "RefreshToken": TIME_UNIT}),
    "ReadAttributes": ListOf(Text(1, 2048)),
    "WriteAttributes": ListOf(Text(1, 2048)),
    "ExplicitAuthFlows": ListOf(Enum(*EXPLICIT_AUTH_FLOWS)),
    "SupportedIdentityProviders": ListOf(
        Text(1, 32, UnicodePattern(r"[\p{L}\p{M}\p{S}\p{N}\p{P}\p{Z}]+", "LMSNPZ"))
    ),
    "CallbackURLs": ListOf(REDIRECT_URL, max_items=100),
    "LogoutURLs": ListOf(REDIRECT_URL, max_items=100),
    "DefaultRedirectURI": REDIRECT_URL,
    "AllowedOAuthFlows": ListOf(Enum("code", "implicit", "client_credentials"), max_items=3),
    "AllowedOAuthScopes": ListOf(Text(1, 256, AsciiPattern(r"[\x21\x23-\x5B\x5D-\x7E]+")), max_items=50),
    "AllowedOAuthFlowsUserPoolClient": Boolean(),
    "AnalyticsConfiguration": Structure(
        {
            "ApplicationId": Text(0, pattern=AsciiPattern(r"[0-9a-fA-F]+")),
            "ApplicationArn": Text(20, 2048, ARN),
            "RoleArn": Text(20, 2048, ARN),
            "ExternalId": Text(0, 131072),
            "UserDataShared": Boolean(),
        }
    ),
    "PreventUserExistenceErrors": Enum("LEGACY", "ENABLED"),
    "EnableTokenRevocation": Boolean(),
    "EnablePropagateAdditionalUserContextData": Boolean(),
    "AuthSessionValidity": Integer(3, 15),
    "RefreshTokenRotation": Structure(
        {"Feature": Enum("ENABLED", "DISABLED"), "RetryGracePeriodSeconds": Integer(0, 60)}, required=("Feature",)
    ),
}
REQUESTS = {
    CREATE: Structure(
        dict(
            SHARED_MEMBERS,
            GenerateSecret=Boolean(),
            ClientSecret=Text(24, 64, AsciiPattern(r"[\w+]+"), sensitive=True),
        ),
        required=("UserPoolId", "ClientName"),
    ),
    UPDATE: Structure(
        dict(SHARED_MEMBERS, ClientId=Text(1, 128, AsciiPattern(r"[\w+]+"))),
        required=("UserPoolId", "ClientId"),
    ),
}


def check_constraints(operation, request):
    errors = []
    try:
        collect_problems(REQUESTS[operation], request, "", errors)
    except WrongType:
        raise Rejection("member_types", "A member of the request has the wrong JSON type.")
    if errors:
        count = len(errors)
        raise Rejection(
            "constraints",
            "%d validation error%s detected: %s" % (count, "" if count == 1 else "s", "; ".join(errors)),
        )


# ---------------------------------------------------------------------------------------------------------------------
# Cross-member rules
# ---------------------------------------------------------------------------------------------------------------------

SECONDS_PER_UNIT = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
# API_TokenValidityUnitsType: "The default AccessTokenValidity time unit is hours", the same for IdToken, and "The
# default RefreshTokenValidity time unit is days".
DEFAULT_UNITS = {"AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days"}
# (member, unit member, shortest, longest) in seconds, from API_TokenValidityUnitsType (see RULES).
TOKEN_DURATIONS = (
    ("AccessTokenValidity", "AccessToken", 5 * 60, 86400),
    ("IdTokenValidity", "IdToken", 5 * 60, 86400),
    ("RefreshTokenValidity", "RefreshToken", 60 * 60, 3650 * 86400),
)
# AllowedOAuthScopes: "Scope values include phone, email, openid, and profile. The aws.cognito.signin.user.admin scope
# authorizes user self-service operations. Custom scopes with resource servers authorize access to external APIs."
BUILT_IN_SCOPES = ("phone", "email", "openid", "profile", "aws.cognito.signin.user.admin")
# CallbackURLs: the only hosts that may be reached over plain http.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")


def unit_of(request, token):
    units = request.get("TokenValidityUnits") or {}
    unit = units.get(token) or DEFAULT_UNITS[token]
    return unit


def check_token_durations(request):
    for member, token, shortest, longest in TOKEN_DURATIONS:
        value = request.get(member)
        # RefreshTokenValidity 0 is replaced by the default rather than refused (see request_for_moto).
        if value is None or (member == "RefreshTokenValidity" and value == 0):
            continue
        unit = unit_of(request, token)
        seconds = value * SECONDS_PER_UNIT[unit]
        if not shortest <= seconds <= longest:
            raise Rejection(
                "token_validity_duration",
                "Invalid range for token validity: %s = %d %s is outside %d..%d seconds"
                % (member, value, unit, shortest, longest),
            )


def check_explicit_auth_flows(request):
    flows = request.get("ExplicitAuthFlows") or []
    legacy = [flow for flow in flows if flow in LEGACY_AUTH_FLOWS]
    current = [flow for flow in flows if flow.startswith("ALLOW_")]
    if legacy and current:
        raise Rejection(
            "legacy_and_allow_flows",
            "Legacy ExplicitAuthFlows values (%s) cannot be combined with ALLOW_ values (%s)"
            % (", ".join(legacy), ", ".join(current)),
        )
    rotation = request.get("RefreshTokenRotation") or {}
    if current and "ALLOW_REFRESH_TOKEN_AUTH" not in current and rotation.get("Feature") != "ENABLED":
        raise Rejection("refresh_token_auth_required", "REFRESH_TOKEN_AUTH should always be allowed.")


def redirect_url_problem(url):
    """The rule a callback or default redirect URL breaks, or None."""
    scheme, colon, rest = url.partition(":")
    if not colon or not URI_SCHEME.fullmatch(scheme) or not rest:
        return "redirect_url_absolute"
    if "#" in url:
        return "redirect_url_fragment"
    scheme = scheme.lower()
    if scheme in ("http", "https"):
        try:
            host = urllib.parse.urlsplit(url).hostname
        except ValueError:
            return "redirect_url_absolute"
        if not host:
            return "redirect_url_absolute"
        if scheme == "http" and host.lower() not in LOOPBACK_HOSTS:
            return "redirect_url_https"
    return None


def check_redirect_urls(request):
    callbacks = request.get("CallbackURLs") or []
    default = request.get("DefaultRedirectURI")
    for url in callbacks + ([default] if default is not None else []):
        rule = redirect_url_problem(url)
        if rule is not None:
            raise Rejection(rule, "Invalid redirect URL %s: %s" % (url, rule.replace("_", " ")))
    if default is not None and default not in callbacks:
        raise Rejection("default_redirect_in_callbacks", "DefaultRedirectURI must be one of the CallbackURLs")


def check_oauth(request, has_secret):
    flows = request.get("AllowedOAuthFlows") or []
    scopes = request.get("AllowedOAuthScopes") or []
    if (flows or scopes) and request.get("AllowedOAuthFlowsUserPoolClient") is not True:
        raise Rejection(
            "oauth_needs_user_pool_client_flag",
            "AllowedOAuthFlowsUserPoolClient must be true to configure AllowedOAuthFlows or AllowedOAuthScopes",
        )
    if "client_credentials" in flows:
        if len(set(flows)) > 1:
            raise Rejection("client_credentials_alone", "client_credentials must be the only allowed OAuth flow")
        if not has_secret():
            raise Rejection(
                "client_credentials_needs_secret",
                "client_credentials flow can not be selected if client does not have a client secret.",
            )
        if "openid" in scopes:
            raise Rejection("client_credentials_without_openid", "openid is not supported with client_credentials flow")
    if ("code" in flows or "implicit" in flows) and not request.get("CallbackURLs"):
        raise Rejection(
            "code_or_implicit_needs_callbacks",
            "CallbackUrls can not be empty when code flow or implicit flow is selected",
        )


def check_pool_references(request, pool):
    """Custom scopes and identity providers must exist in the pool. Skipped when the pool cannot be read (moto then
    answers ResourceNotFoundException for the request itself)."""
    pool_id = request.get("UserPoolId")
    custom = [scope for scope in request.get("AllowedOAuthScopes") or [] if scope not in BUILT_IN_SCOPES]
    if custom:
        servers = pool.resource_server_scopes(pool_id)
        if servers is not None:
            for scope in custom:
                identifier, slash, name = scope.rpartition("/")
                if not slash or name not in servers.get(identifier, ()):
                    raise Rejection("custom_scope_exists", "Invalid scope requested: %s" % scope)
    providers = [name for name in request.get("SupportedIdentityProviders") or [] if name != "COGNITO"]
    if providers:
        known = pool.identity_provider_names(pool_id)
        if known is not None:
            for name in providers:
                if name not in known:
                    raise Rejection(
                        "identity_provider_exists", "The provider %s does not exist for User Pool %s" % (name, pool_id)
                    )


def check_request(operation, request, pool):
    """Raises Rejection when Cognito would refuse this Create/Update request.

    `pool` answers questions about what exists (``resource_server_scopes(pool_id)`` → {identifier: {scope names}},
    ``identity_provider_names(pool_id)`` → set, ``client_has_secret(pool_id, client_id)`` → bool; each None when
    it cannot tell). Member constraints are checked first, all at once, as the service does; then the cross-member
    rules, the first broken one answering."""
    if operation not in CHECKED_OPERATIONS:
        return
    if not isinstance(request, dict):
        raise Rejection("member_types", "The request body is not a JSON object.")
    check_constraints(operation, request)

    if operation == CREATE:
        if request.get("GenerateSecret") is True and request.get("ClientSecret") is not None:
            raise Rejection(
                "secret_generated_or_given", "You cannot specify both GenerateSecret as true and provide a ClientSecret"
            )

        def has_secret():
            return request.get("GenerateSecret") is True or request.get("ClientSecret") is not None

    else:

        def has_secret():
            # Update cannot add or remove a secret: the client keeps the one it was created with.
            return pool.client_has_secret(request.get("UserPoolId"), request.get("ClientId")) is not False

    check_token_durations(request)
    check_explicit_auth_flows(request)
    check_redirect_urls(request)
    check_oauth(request, has_secret)
    if request.get("EnablePropagateAdditionalUserContextData") is True and not has_secret():
        raise Rejection(
            "context_data_needs_secret",
            "EnablePropagateAdditionalUserContextData can only be activated in an app client that has a client secret",
        )
    check_pool_references(request, pool)


# ---------------------------------------------------------------------------------------------------------------------
# What Cognito stores: Update replaces, and two documented rewrites
# ---------------------------------------------------------------------------------------------------------------------

# API_UpdateUserPoolClient: "If you don't provide a value for an attribute, Amazon Cognito sets it to its default
# value." moto merges updates instead, so every member an Update leaves out is sent to moto explicitly: list members
# as [] (moto reads ReadAttributes as a list), the others as null, which moto stores as None and leaves out of its
# answers; reported_client then reports the default where Cognito reports one. ClientName is kept when left out: no
# reset is documented for it, and a client cannot be nameless.
RESET_TO_EMPTY_LIST = (
    "ReadAttributes",
    "WriteAttributes",
    "ExplicitAuthFlows",
    "SupportedIdentityProviders",
    "CallbackURLs",
    "LogoutURLs",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
)
RESET_TO_NULL = (
    "DefaultRedirectURI",
    "AnalyticsConfiguration",
    "TokenValidityUnits",
    "RefreshTokenRotation",
    "PreventUserExistenceErrors",
    "RefreshTokenValidity",
    "AccessTokenValidity",
    "IdTokenValidity",
    "AllowedOAuthFlowsUserPoolClient",
    "EnableTokenRevocation",
    "EnablePropagateAdditionalUserContextData",
    "AuthSessionValidity",
)

# RefreshTokenValidity: "If you don't specify otherwise in the configuration of your app client, your refresh tokens
# are valid for 30 days."
DEFAULT_REFRESH_TOKEN_SECONDS = 30 * 86400
# HashiCorp's TestAccCognitoIDPUserPoolClient_analyticsWithARN: a client given only an ApplicationArn comes back with
# this role ("role/aws-service-role/cognito-idp.amazonaws.com/AWSServiceRoleForAmazonCognitoIdp", in the account
# of the Amazon Pinpoint project): with ApplicationArn, Cognito publishes through its service-linked role.
SERVICE_LINKED_ROLE = (
    "arn:%s:iam::%s:role/aws-service-role/cognito-idp.amazonaws.com/AWSServiceRoleForAmazonCognitoIdp"
)


def default_refresh_validity(unit):
    """30 days in `unit` (every unit divides 30 days)."""
    return DEFAULT_REFRESH_TOKEN_SECONDS // SECONDS_PER_UNIT.get(unit, SECONDS_PER_UNIT["days"])


def with_service_linked_role(analytics):
    if not isinstance(analytics, dict) or analytics.get("RoleArn") or not analytics.get("ApplicationArn"):
        return analytics
    parts = analytics["ApplicationArn"].split(":")
    if len(parts) < 5:
        return analytics
    return dict(analytics, RoleArn=SERVICE_LINKED_ROLE % (parts[1], parts[4]))


def request_for_moto(operation, request, now):
    """The Create/Update request moto must see so that it stores what Cognito would store; other operations pass
    unchanged. `now` is the timestamp for CreationDate / LastModifiedDate (moto stores and returns them as given)."""
    if operation not in CHECKED_OPERATIONS or not isinstance(request, dict):
        return request
    rewritten = dict(request)
    if operation == UPDATE:
        for member in RESET_TO_EMPTY_LIST:
            rewritten.setdefault(member, [])
        for member in RESET_TO_NULL:
            rewritten.setdefault(member, None)
    else:
        rewritten["CreationDate"] = now
        # moto stores a fixed 30 when the member is absent, which means 30 days only in days: keep it absent, and let
        # reported_client express the default in the refresh token's unit.
        rewritten.setdefault("RefreshTokenValidity", None)
    rewritten["LastModifiedDate"] = now
    # RefreshTokenValidity: "You can't set RefreshTokenValidity to 0. If you do, Amazon Cognito overrides the value
    # with the default value of 30 days."
    if rewritten.get("RefreshTokenValidity") == 0:
        rewritten["RefreshTokenValidity"] = default_refresh_validity(unit_of(rewritten, "RefreshToken"))
    if rewritten.get("AnalyticsConfiguration") is not None:
        rewritten["AnalyticsConfiguration"] = with_service_linked_role(rewritten["AnalyticsConfiguration"])
    return rewritten


# ---------------------------------------------------------------------------------------------------------------------
# What Cognito reports
# ---------------------------------------------------------------------------------------------------------------------

# Members Cognito reports when they were never set (or were reset by an Update), with the value it reports.
#   AuthSessionValidity 3, EnableTokenRevocation true, AllowedOAuthFlowsUserPoolClient false and
#   EnablePropagateAdditionalUserContextData false: HashiCorp's TestAccCognitoIDPUserPoolClient_basic reads exactly
#   these back from a client created with none of them. EnableTokenRevocation: "If you don't include this parameter,
#   token revocation is automatically activated"; AllowedOAuthFlowsUserPoolClient: "If you don't set a value [...] it
#   defaults to false".
REPORTED_SCALAR_DEFAULTS = {
    "AuthSessionValidity": 3,
    "EnableTokenRevocation": True,
    "AllowedOAuthFlowsUserPoolClient": False,
    "EnablePropagateAdditionalUserContextData": False,
}
# Not reported when never set, though each has a documented default behaviour: AccessTokenValidity and
# IdTokenValidity (TestAccCognitoIDPUserPoolClient_basic reads 0, i.e. nothing, back), PreventUserExistenceErrors
# (read back as ""), ExplicitAuthFlows ("If you don't specify a value for ExplicitAuthFlows, your app client supports
# ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_SRP_AUTH, and ALLOW_CUSTOM_AUTH", yet TestAccCognitoIDPUserPoolClient_nulls
# reads an empty set back), and empty lists in general (ReadAttributes: "ReadAttributes doesn't return any
# information"; TestAccCognitoIDPUserPoolClient_emptySets).


def reported_client(client):
    """A UserPoolClient as Cognito reports it: empty lists left out, and the defaults Cognito reports filled in."""
    reported = {key: value for key, value in client.items() if not (isinstance(value, list) and not value)}
    # API_TokenValidityUnitsType "set[s] and display[s]" the units; Cognito reports them even when they were never
    # sent, which is the "token_validity_units: block count changed from 0 to 1" of
    # hashicorp/terraform-provider-aws#30392 and #30903.
    units = dict(reported.get("TokenValidityUnits") or {})
    for token, unit in DEFAULT_UNITS.items():
        units.setdefault(token, unit)
    reported["TokenValidityUnits"] = units
    # 30 days, in the refresh token's unit (TestAccCognitoIDPUserPoolClient_basic reads refresh_token_validity 30).
    if reported.get("RefreshTokenValidity") is None:
        reported["RefreshTokenValidity"] = default_refresh_validity(units["RefreshToken"])
    # Cognito reports rotation as DISABLED for a client that never set it: the "block count changed from 0 to 1" that
    # hashicorp/terraform-provider-aws PR 47374 fixes ("AWS [...] return[s] the default disabled
    # refresh_token_rotation object during create, read, or update").
    if reported.get("RefreshTokenRotation") is None:
        reported["RefreshTokenRotation"] = {"Feature": "DISABLED"}
    for member, default in REPORTED_SCALAR_DEFAULTS.items():
        if reported.get(member) is None:
            reported[member] = default
    return {key: value for key, value in reported.items() if value is not None}

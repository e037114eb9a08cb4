"""A local stand-in for Amazon Cognito's app-client API: moto behind a recording, Cognito-mode, fault-injecting proxy.

Run it with the project venv's interpreter (scripts/local-cognito-venv creates it):

    .venv/bin/python tests/support/local_cognito.py [--verbose]

It starts ``moto_server`` on 127.0.0.1 (a free port chosen by the kernel), waits until ``GET /moto-api/`` answers
200, makes one ListUserPools call so moto loads its Cognito backend before the first test request, then serves an
HTTP proxy on another free 127.0.0.1 port and prints ONE JSON line on stdout when ready:

    {"proxy_url": "http://127.0.0.1:P", "moto_url": "http://127.0.0.1:M", "pid": <this process>, "moto_pid": <moto>}

Point the provider and the test's own SDK client at ``proxy_url``. The process stops, terminating and reaping moto,
when its stdin reaches end of file (so a test harness that dies, and with it the write end of the pipe, never leaves
processes behind), on SIGTERM or SIGINT, and when moto dies on its own (exit status 1). moto is also started with a
parent-death signal, so it goes away even if this process is killed with SIGKILL.

Why a proxy: moto 5.2.5 round-trips every app-client member, but it merges updates where Cognito replaces, it fills
in almost none of Cognito's server-side defaults, it never throttles and it never loses a response. Tests of the
provider need all of that, and they need to see the exact request bodies the provider sent.

Recording
---------
Every request carrying an ``X-Amz-Target`` header is logged, in arrival order, with:
``operation`` (the part after ``AWSCognitoIdentityProviderService.``, e.g. ``UpdateUserPoolClient``), ``body`` (the
JSON body exactly as the client sent it, before any Cognito-mode rewrite; null if it was not JSON), ``status`` (the
HTTP status this proxy answered, or for a dropped response the status moto gave), ``moto_status`` (the status moto
gave, null when the request never reached moto), ``response`` (the JSON body the client received, null when it
received none or no JSON), ``rejected`` (null, or ``{"rule": ..., "code": ...}`` when Cognito mode refused the
request), ``fault`` (null or the name of the injected fault: ``throttle``, ``error``, ``drop``,
``error_after_effect``, ``rate_limit``, ``latency``) and ``timestamp`` (epoch seconds).

Requests of the query protocol (STS: a form body with ``Action=...``) are relayed to moto untouched and logged too,
with ``operation`` the action (e.g. ``AssumeRole``) and ``body`` the form's fields as a JSON object, so a test can
tell which endpoint an AssumeRole went to and what it carried.

Control endpoints (never forwarded, never recorded):
- ``GET  /_proxy/requests``: the log as a JSON list.
- ``POST /_proxy/reset``: clears the log, resets moto (``POST /moto-api/reset``), clears the faults and turns
  Cognito mode back on.
- ``POST /_proxy/config`` with ``{"cognito_mode": bool, "faults": {...}}``: each key is optional; ``faults``
  replaces the whole fault configuration (unknown keys or wrong types answer 400). Answers the configuration now in
  force, which ``GET /_proxy/config`` also returns.
- ``GET  /_proxy/rules``: the rules Cognito mode enforces, ``{rule name: error code}``.
- ``POST /_proxy/config`` also takes ``{"describe_after_rotation": "newest" | "none"}`` (see Client secrets).
- ``GET  /_proxy/client-secrets``: every app client the secret store knows, with its active secrets' IDs and
  creation dates (never their values).
- ``POST /_proxy/client-secrets/verify`` with ``{"UserPoolId", "ClientId", "ClientSecret"}``: answers
  ``{"active": bool}``, whether Cognito would accept that secret for that client now (what an application holding
  the secret would find out when it signs in).
Everything else (including ``/moto-api/...``) is forwarded to moto.

Cognito mode (on by default)
----------------------------
Makes moto behave like the real service for app clients. The behaviours live in ``local_cognito_clients.py``, each
with its source in Amazon Cognito's API reference or in what Cognito is observed to do (that module explains why it
is written apart from the provider's own rules and defaults):

(a) CreateUserPoolClient and UpdateUserPoolClient are checked as Cognito checks them before anything is forwarded:
    the members' documented lengths, ranges, patterns and enums, token durations in their units, redirect URL rules
    (absolute, no fragment, HTTPS except http://localhost, http://127.0.0.1 and http://[::1]), auth-flow and OAuth
    flow combinations, secrets required by client_credentials and context data, and custom scopes and identity
    providers that must exist in the pool (looked up in moto). A refused request answers HTTP 400 with Cognito's
    error code (``InvalidParameterException``, ``InvalidOAuthFlowException``, ``ScopeDoesNotExistException``) and
    never reaches moto.
(b) What is sent is stored, with Cognito's documented rewrites only: an Update replaces the whole configuration (every
    member it leaves out is reset, which moto, merging, would not do); a RefreshTokenValidity of 0 becomes 30 days;
    an analytics configuration given by ApplicationArn alone gets Cognito's service-linked role as RoleArn.
    ``CreationDate`` and ``LastModifiedDate`` are set to now (epoch seconds, millisecond precision, strictly
    increasing across the proxy's life); clients created while Cognito mode was off have no dates, as in plain moto.
(c) The ``UserPoolClient`` in the answers of Create, Update and Describe is reported as Cognito reports it: empty
    lists left out; TokenValidityUnits, RefreshTokenValidity (30 days in its unit), RefreshTokenRotation (DISABLED),
    AuthSessionValidity, EnableTokenRevocation, AllowedOAuthFlowsUserPoolClient and
    EnablePropagateAdditionalUserContextData filled in when unset; AccessTokenValidity, IdTokenValidity,
    PreventUserExistenceErrors and ExplicitAuthFlows left out when unset.

With Cognito mode off, requests and responses pass through unchanged: plain moto, merging updates. The client
secrets below are emulated in both modes.

Client secrets (see ClientSecretStore)
--------------------------------------
moto 5.2.5 has no AddUserPoolClientSecret, ListUserPoolClientSecrets or DeleteUserPoolClientSecret and ignores a
custom ``ClientSecret`` in CreateUserPoolClient. The proxy answers the three operations itself (recorded and subject
to faults like any other request), follows Cognito's documented rules (at most 2 active secrets, IDs
``<client-id>--<epoch>``, a generated value returned only at its creation, a custom value never returned, the last
secret never deleted), refuses a Create with both ``GenerateSecret`` and ``ClientSecret``, and rewrites the
``ClientSecret`` of Create/Update/Describe answers. Cognito does not document what Describe reports once a secret has
been added, so ``describe_after_rotation`` picks one of the two plausible answers: ``newest`` (the default: the
newest active secret) or ``none`` (no ClientSecret at all).

Managed login branding (emulated, in either mode)
-------------------------------------------------
moto has none of the five branding operations (CreateManagedLoginBranding, DescribeManagedLoginBranding,
DescribeManagedLoginBrandingByClient, UpdateManagedLoginBranding, DeleteManagedLoginBranding); the proxy answers
them itself with Cognito's documented semantics (one style per app client, UUID IDs, Update keeping what it is not
given, ReturnMergedResources, the asset enums and size limits, the 2 MB request limit), as described in
``local_cognito_branding``. It asks moto only whether an app client exists. They are recorded and subject to faults
like the others, and ``/_proxy/reset`` forgets every style.

Faults (all off by default; set with /_proxy/config)
----------------------------------------------------
``{"seed": 0, "throttle_rate": 0.0, "error_rate": 0.0, "drop_rate": 0.0, "error_after_effect_rate": 0.0,
"latency_ms": 0, "operations": null, "rate_limit_per_second": null}``

Only requests with an ``X-Amz-Target`` are subject to faults, and when ``operations`` is a list only those
operations. For each such request, in this order:
1. ``rate_limit_per_second``: a token bucket per (operation, UserPoolId), holding at most that many tokens and
   refilled at that rate, like Cognito's 5 RPS per operation per pool quota. An empty bucket answers HTTP 400
   ``TooManyRequestsException`` without forwarding (fault ``rate_limit``).
2. One number drawn from a ``random.Random(seed)`` (reseeded whenever the faults are set), so a given request
   sequence always meets the same faults. It picks, by consecutive ranges, ``throttle`` (HTTP 400,
   ``X-Amzn-ErrorType: TooManyRequestsException`` and Cognito's JSON error body, not forwarded), ``error`` (HTTP 500
   ``InternalErrorException``, not forwarded), ``drop`` (forwarded to moto, which applies it, then the connection
   is closed without any response: the "lost response" case) or ``error_after_effect`` (forwarded to moto, which
   applies it, then answered HTTP 500 ``InternalErrorException`` whatever moto said: the call took effect and the
   caller is told it failed). A request that Cognito mode refuses meets no drop or error_after_effect: it is
   answered with its rejection.
3. ``latency_ms``: a delay before forwarding (fault ``latency`` when nothing else was injected).

``namesake`` (null, or ``{"body": {...CreateUserPoolClient request...}, "hold_ms": N}``) stages someone else's
create of a same-named client between a caller's listing and its create, once: the next ListUserPoolClients of
``body.UserPoolId`` is answered from moto as it stood, then ``body`` is created in moto (dated then, as Cognito mode
dates creates; not recorded: it is not the caller's), then the answer is held ``hold_ms`` before it goes (fault
``namesake_listing``); the next CreateUserPoolClient of ``body.ClientName`` is answered HTTP 500
``InternalErrorException`` without being forwarded (fault ``namesake_create_error``). Other faults do not apply to
those two requests.

HTTP details: the proxy is threaded (concurrent requests), speaks HTTP/1.1 with keep-alive to its clients and always
answers with an exact Content-Length. moto answers ``Connection: close``; that header is not passed on, so the AWS
SDK's connection pool can keep its connection to the proxy (a fresh one to moto is opened per request).

Only the Python standard library is used here; moto comes from the venv and runs as its own process.
"""

import argparse
import collections
import copy
import ctypes
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import local_cognito_branding
import local_cognito_clients

TARGET_PREFIX = "AWSCognitoIdentityProviderService."

OPERATIONS_WITH_CLIENT_RESPONSE = {"CreateUserPoolClient", "UpdateUserPoolClient", "DescribeUserPoolClient"}


class Clock:
    """Epoch seconds with millisecond precision, strictly increasing, so every update bumps LastModifiedDate."""

    def __init__(self):
        self._lock = threading.Lock()
        self._last = 0.0

    def now(self):
        with self._lock:
            stamp = round(time.time(), 3)
            if stamp <= self._last:
                stamp = round(self._last + 0.001, 3)
            self._last = stamp
            return stamp


# ---------------------------------------------------------------------------------------------------------------------
# Faults
# ---------------------------------------------------------------------------------------------------------------------

DEFAULT_FAULTS = {
    "seed": 0,
    "throttle_rate": 0.0,
    "error_rate": 0.0,
    "drop_rate": 0.0,
    "error_after_effect_rate": 0.0,
    "latency_ms": 0,
    "operations": None,
    "rate_limit_per_second": None,
    "namesake": None,
}


# The faults picked by one random draw, in the order of their ranges.
DRAWN_FAULT_RATES = ("throttle_rate", "error_rate", "drop_rate", "error_after_effect_rate")


class ConfigError(ValueError):
    """A /_proxy/config request this proxy refuses (answered with HTTP 400)."""


def validated_faults(requested):
    """The full fault configuration for a requested (partial) one, or ConfigError."""
    if not isinstance(requested, dict):
        raise ConfigError("faults must be a JSON object")
    unknown = sorted(set(requested) - set(DEFAULT_FAULTS))
    if unknown:
        raise ConfigError("unknown fault settings: %s (known: %s)" % (unknown, sorted(DEFAULT_FAULTS)))
    faults = dict(DEFAULT_FAULTS)
    faults.update(requested)

    def is_number(value):
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    for rate in DRAWN_FAULT_RATES:
        if not is_number(faults[rate]) or not 0.0 <= faults[rate] <= 1.0:
            raise ConfigError("%s must be a number between 0 and 1" % rate)
    if sum(faults[rate] for rate in DRAWN_FAULT_RATES) > 1.0:
        raise ConfigError("%s must not add up to more than 1" % " + ".join(DRAWN_FAULT_RATES))
    if not is_number(faults["latency_ms"]) or faults["latency_ms"] < 0:
        raise ConfigError("latency_ms must be a non-negative number")
    if not isinstance(faults["seed"], int) or isinstance(faults["seed"], bool):
        raise ConfigError("seed must be an integer")
    operations = faults["operations"]
    if operations is not None and (
        not isinstance(operations, list) or not all(isinstance(name, str) for name in operations)
    ):
        raise ConfigError("operations must be null or a list of operation names")
    limit = faults["rate_limit_per_second"]
    if limit is not None and (not is_number(limit) or limit <= 0):
        raise ConfigError("rate_limit_per_second must be null or a positive number")
    namesake = faults["namesake"]
    if namesake is not None:
        body = namesake.get("body") if isinstance(namesake, dict) else None
        valid = (
            isinstance(body, dict)
            and isinstance(body.get("UserPoolId"), str)
            and isinstance(body.get("ClientName"), str)
            and is_number(namesake.get("hold_ms", 0))
            and namesake.get("hold_ms", 0) >= 0
        )
        if not valid:
            raise ConfigError("namesake must be null or {body: {UserPoolId, ClientName, ...}, hold_ms: >= 0}")
    return faults


class TokenBucket:
    """Holds at most `rate` tokens, refilled continuously at `rate` per second."""

    def __init__(self, rate):
        self.rate = float(rate)
        self.tokens = float(rate)
        self.refilled_at = time.monotonic()

    def take(self):
        now = time.monotonic()
        self.tokens = min(self.rate, self.tokens + (now - self.refilled_at) * self.rate)
        self.refilled_at = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class FaultPlan:
    """What to do with one request: an answer instead of forwarding, a drop or an error answer after forwarding, or a
    delay."""

    def __init__(self, fault=None, answer_instead=None, drop_response=False, answer_after=None, delay_seconds=0.0):
        self.fault = fault
        self.answer_instead = answer_instead
        self.drop_response = drop_response
        # Sent once moto has applied the request, whatever moto answered.
        self.answer_after = answer_after
        self.delay_seconds = delay_seconds


def error_answer(status, code, message):
    """Cognito's JSON 1.1 error shape: the code in X-Amzn-ErrorType and in `__type`."""
    body = json.dumps({"__type": code, "message": message}).encode()
    headers = [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("X-Amzn-ErrorType", code),
        ("x-amzn-RequestId", str(uuid.uuid4())),
    ]
    return status, headers, body


# ---------------------------------------------------------------------------------------------------------------------
# Client secrets: AddUserPoolClientSecret, ListUserPoolClientSecrets, DeleteUserPoolClientSecret (moto has none)
# ---------------------------------------------------------------------------------------------------------------------

SECRET_OPERATIONS = {"AddUserPoolClientSecret", "ListUserPoolClientSecrets", "DeleteUserPoolClientSecret"}
# Cognito keeps at most this many active secrets per app client.
MAX_ACTIVE_CLIENT_SECRETS = 2
# A custom secret (AddUserPoolClientSecret, CreateUserPoolClient): 24-64 characters of [\w+].
CUSTOM_SECRET_PATTERN = re.compile(r"[\w+]{24,64}", re.ASCII)
# Generated secrets look like Cognito's: 51 lowercase letters and digits.
GENERATED_SECRET_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
GENERATED_SECRET_LENGTH = 51
# What DescribeUserPoolClient (and the Create/Update answers) report as ClientSecret once a client has had a secret
# added: Cognito does not document it, so tests run against both plausible answers.
DESCRIBE_AFTER_ROTATION = ("newest", "none")


class SecretError(Exception):
    """A client-secret request Cognito refuses: becomes a JSON 1.1 error answer."""

    def __init__(self, code, message):
        super().__init__(message)
        self.answer = error_answer(400, code, message)


def checked_custom_secret(value):
    """`value` if Cognito would accept it as a custom secret, else SecretError(InvalidParameterException)."""
    if not isinstance(value, str) or not CUSTOM_SECRET_PATTERN.fullmatch(value):
        raise SecretError(
            "InvalidParameterException",
            "1 validation error detected: Value at 'clientSecret' failed to satisfy constraint: Member must have "
            "length between 24 and 64 and match pattern [\\w+]+",
        )
    return value


def generated_secret():
    chooser = random.SystemRandom()
    return "".join(chooser.choice(GENERATED_SECRET_ALPHABET) for _ in range(GENERATED_SECRET_LENGTH))


class ClientSecretStore:
    """The secrets of each app client, as Cognito keeps them, under one lock.

    A client enters the store with its initial secret: when CreateUserPoolClient answers (the secret moto generated,
    or the custom ClientSecret of the request), or, for a client created behind the proxy's back, the first time a
    secret operation names it (the secret moto reports). Semantics, from Cognito's API reference:
    - at most 2 active secrets; a third AddUserPoolClientSecret is LimitExceededException;
    - secret IDs are ``<client-id>--<epoch-create-time>`` (milliseconds here, so two secrets made in the same second
      differ);
    - a generated value is returned only by the AddUserPoolClientSecret that made it; a custom value never;
      ListUserPoolClientSecrets returns IDs and creation dates only;
    - the last remaining secret cannot be deleted (InvalidParameterException);
    - secrets can be added only to a confidential client (InvalidParameterException otherwise; a public client
      lists no secrets).
    Until a secret is added, the client's ClientSecret in Describe/Create/Update answers is its one secret; after
    that it is the newest active secret or none, as ``describe_after_rotation`` says.
    """

    def __init__(self, clock):
        self.clock = clock
        self._lock = threading.Lock()
        self._clients = {}
        self._rotated = set()
        self._describe_after_rotation = DESCRIBE_AFTER_ROTATION[0]

    # -- configuration ---------------------------------------------------------------------------------------

    def describe_after_rotation(self):
        with self._lock:
            return self._describe_after_rotation

    def set_describe_after_rotation(self, mode):
        if mode not in DESCRIBE_AFTER_ROTATION:
            raise ConfigError("describe_after_rotation must be one of %s" % list(DESCRIBE_AFTER_ROTATION))
        with self._lock:
            self._describe_after_rotation = mode

    def reset(self):
        with self._lock:
            self._clients = {}
            self._rotated = set()
            self._describe_after_rotation = DESCRIBE_AFTER_ROTATION[0]

    # -- the store -------------------------------------------------------------------------------------------

    def _new_secret_locked(self, client_id, value, generated, created=None):
        created = self.clock.now() if created is None else created
        return {
            "id": "%s--%d" % (client_id, round(created * 1000)),
            "value": value,
            "created": created,
            "generated": generated,
        }

    def register_initial(self, user_pool_id, client_id, value, generated, created=None):
        """Records a client's initial secret (a no-op for a public client or one already known)."""
        if not value:
            return
        with self._lock:
            key = (user_pool_id, client_id)
            if key not in self._clients:
                self._clients[key] = [self._new_secret_locked(client_id, value, generated, created)]

    def forget(self, user_pool_id, client_id):
        with self._lock:
            self._clients.pop((user_pool_id, client_id), None)
            self._rotated.discard((user_pool_id, client_id))

    def is_active(self, user_pool_id, client_id, value):
        with self._lock:
            return any(secret["value"] == value for secret in self._clients.get((user_pool_id, client_id), []))

    def snapshot(self):
        """Every known client and its active secrets, without values."""
        with self._lock:
            return [
                {
                    "UserPoolId": pool,
                    "ClientId": client,
                    "Rotated": (pool, client) in self._rotated,
                    "ClientSecrets": [
                        {"ClientSecretId": s["id"], "ClientSecretCreateDate": s["created"], "Generated": s["generated"]}
                        for s in secrets
                    ],
                }
                for (pool, client), secrets in sorted(self._clients.items())
            ]

    def client_secret_view(self, user_pool_id, client_id):
        """(known, value): the ClientSecret a client answer carries; known is False for clients not in the store."""
        with self._lock:
            key = (user_pool_id, client_id)
            secrets = self._clients.get(key)
            if secrets is None:
                return False, None
            if key not in self._rotated:
                return True, secrets[0]["value"]
            if self._describe_after_rotation == "none" or not secrets:
                return True, None
            return True, max(secrets, key=lambda secret: secret["created"])["value"]

    # -- the three operations --------------------------------------------------------------------------------

    def handle(self, operation, body, describe_in_moto):
        """Answers one secret operation: (status, headers, body). `describe_in_moto(pool, client)` returns moto's
        UserPoolClient or None when moto says ResourceNotFoundException."""
        try:
            if not isinstance(body, dict):
                raise SecretError("SerializationException", "the request body is not a JSON object")
            user_pool_id = body.get("UserPoolId")
            client_id = body.get("ClientId")
            if not isinstance(user_pool_id, str) or not isinstance(client_id, str):
                raise SecretError("InvalidParameterException", "UserPoolId and ClientId are required")
            client = describe_in_moto(user_pool_id, client_id)
            if client is None:
                raise SecretError("ResourceNotFoundException", "User pool client %s does not exist." % client_id)
            self.register_initial(
                user_pool_id, client_id, client.get("ClientSecret"), True, client.get("CreationDate")
            )
            handler = {
                "AddUserPoolClientSecret": self._add,
                "ListUserPoolClientSecrets": self._list,
                "DeleteUserPoolClientSecret": self._delete,
            }[operation]
            answer = handler((user_pool_id, client_id), body)
        except SecretError as error:
            return error.answer
        headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", str(uuid.uuid4()))]
        return 200, headers, json.dumps(answer).encode()

    def _add(self, key, body):
        custom = body.get("ClientSecret")
        value = generated_secret() if custom is None else checked_custom_secret(custom)
        with self._lock:
            secrets = self._clients.get(key)
            if not secrets:
                raise SecretError(
                    "InvalidParameterException", "Client %s is not a confidential client: it has no secret." % key[1]
                )
            if len(secrets) >= MAX_ACTIVE_CLIENT_SECRETS:
                raise SecretError(
                    "LimitExceededException",
                    "Client %s already has %d client secrets, the maximum." % (key[1], MAX_ACTIVE_CLIENT_SECRETS),
                )
            secret = self._new_secret_locked(key[1], value, generated=custom is None)
            secrets.append(secret)
            self._rotated.add(key)
        descriptor = {"ClientSecretId": secret["id"], "ClientSecretCreateDate": secret["created"]}
        if secret["generated"]:
            descriptor["ClientSecretValue"] = secret["value"]
        return {"ClientSecretDescriptor": descriptor}

    def _list(self, key, body):
        with self._lock:
            secrets = sorted(self._clients.get(key, []), key=lambda secret: secret["created"])
            return {
                "ClientSecrets": [
                    {"ClientSecretId": secret["id"], "ClientSecretCreateDate": secret["created"]} for secret in secrets
                ]
            }

    def _delete(self, key, body):
        secret_id = body.get("ClientSecretId")
        with self._lock:
            secrets = self._clients.get(key, [])
            remaining = [secret for secret in secrets if secret["id"] != secret_id]
            if len(remaining) == len(secrets):
                raise SecretError(
                    "ResourceNotFoundException", "Client secret %s does not exist for client %s." % (secret_id, key[1])
                )
            if not remaining:
                raise SecretError(
                    "InvalidParameterException", "The last remaining client secret of a client cannot be deleted."
                )
            self._clients[key] = remaining
        return {}


def custom_secret_of_create(body):
    """For a CreateUserPoolClient request with a custom ClientSecret: (the body moto must see, the secret).
    moto cannot store a custom secret, so it is asked to generate one, which the store's view then hides.
    SecretError when Cognito would refuse the request (both GenerateSecret and ClientSecret, or a bad value)."""
    if not isinstance(body, dict) or body.get("ClientSecret") is None:
        return None, None
    if body.get("GenerateSecret"):
        raise SecretError(
            "InvalidParameterException", "You cannot specify both GenerateSecret as true and a ClientSecret value."
        )
    secret = checked_custom_secret(body["ClientSecret"])
    rewritten = {name: value for name, value in body.items() if name != "ClientSecret"}
    rewritten["GenerateSecret"] = True
    return rewritten, secret


def with_secret_view(answer_body, secrets):
    """A Create/Update/Describe answer with the ClientSecret the store says the client reports."""
    try:
        decoded = json.loads(answer_body)
        client = decoded["UserPoolClient"]
        known, value = secrets.client_secret_view(client["UserPoolId"], client["ClientId"])
    except (ValueError, KeyError, TypeError):
        return answer_body
    if not known:
        return answer_body
    if value is None:
        client.pop("ClientSecret", None)
    else:
        client["ClientSecret"] = value
    return json.dumps(decoded).encode()


# ---------------------------------------------------------------------------------------------------------------------
# Shared proxy state
# ---------------------------------------------------------------------------------------------------------------------


class ProxyState:
    """Request log, Cognito mode and faults, shared by all handler threads under one lock."""

    def __init__(self, moto_url):
        self.moto_url = moto_url
        self.clock = Clock()
        self._lock = threading.Lock()
        self._requests = []
        self._cognito_mode = True
        self._faults = dict(DEFAULT_FAULTS)
        self._random = random.Random(DEFAULT_FAULTS["seed"])
        self._buckets = {}
        self.secrets = ClientSecretStore(self.clock)
        self._namesake_steps = []
        self.branding = local_cognito_branding.BrandingStore(self.clock)

    def cognito_mode(self):
        with self._lock:
            return self._cognito_mode

    def record(self, entry):
        with self._lock:
            self._requests.append(entry)

    def requests(self):
        with self._lock:
            return copy.deepcopy(self._requests)

    def config(self):
        with self._lock:
            return {
                "cognito_mode": self._cognito_mode,
                "faults": dict(self._faults),
                "describe_after_rotation": self.secrets.describe_after_rotation(),
            }

    def configure(self, requested):
        if not isinstance(requested, dict):
            raise ConfigError("the configuration must be a JSON object")
        unknown = sorted(set(requested) - {"cognito_mode", "faults", "describe_after_rotation"})
        if unknown:
            raise ConfigError("unknown configuration keys: %s" % unknown)
        if "cognito_mode" in requested and not isinstance(requested["cognito_mode"], bool):
            raise ConfigError("cognito_mode must be a boolean")
        faults = validated_faults(requested["faults"]) if "faults" in requested else None
        if "describe_after_rotation" in requested:
            self.secrets.set_describe_after_rotation(requested["describe_after_rotation"])
        with self._lock:
            if "cognito_mode" in requested:
                self._cognito_mode = requested["cognito_mode"]
            if faults is not None:
                self._set_faults_locked(faults)

    def _set_faults_locked(self, faults):
        self._faults = faults
        self._random = random.Random(faults["seed"])
        self._buckets = {}
        # The namesake's steps still to come.
        self._namesake_steps = ["list", "create"] if faults["namesake"] is not None else []

    def namesake_step(self, operation, body):
        """The namesake step this request is (``"list"`` or ``"create"``) and the namesake, or (None, None)."""
        with self._lock:
            namesake = self._faults["namesake"]
            if not self._namesake_steps or not isinstance(body, dict):
                return None, None
            step = self._namesake_steps[0]
            wanted = {
                "list": operation == "ListUserPoolClients"
                and body.get("UserPoolId") == namesake["body"]["UserPoolId"],
                "create": operation == "CreateUserPoolClient"
                and body.get("ClientName") == namesake["body"]["ClientName"],
            }[step]
            if not wanted:
                return None, None
            self._namesake_steps.pop(0)
            return step, namesake

    def reset(self):
        """Clears the log, faults and mode, then moto's state; raises OSError when moto does not answer."""
        with self._lock:
            self._requests = []
            self._cognito_mode = True
            self._set_faults_locked(dict(DEFAULT_FAULTS))
        self.branding.reset()
        self.secrets.reset()
        request = urllib.request.Request(self.moto_url + "/moto-api/reset", data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()

    def plan_faults(self, operation, body):
        with self._lock:
            faults = self._faults
            if faults["operations"] is not None and operation not in faults["operations"]:
                return FaultPlan()
            limit = faults["rate_limit_per_second"]
            if limit is not None:
                pool_id = body.get("UserPoolId") if isinstance(body, dict) else None
                bucket = self._buckets.setdefault((operation, pool_id), TokenBucket(limit))
                if not bucket.take():
                    return FaultPlan(
                        fault="rate_limit",
                        answer_instead=error_answer(400, "TooManyRequestsException", "Too many requests"),
                    )
            draw = self._random.random()
        throttle_until = faults["throttle_rate"]
        error_until = throttle_until + faults["error_rate"]
        drop_until = error_until + faults["drop_rate"]
        error_after_effect_until = drop_until + faults["error_after_effect_rate"]
        delay_seconds = faults["latency_ms"] / 1000.0
        if draw < throttle_until:
            return FaultPlan(
                fault="throttle", answer_instead=error_answer(400, "TooManyRequestsException", "Too many requests")
            )
        if draw < error_until:
            return FaultPlan(
                fault="error", answer_instead=error_answer(500, "InternalErrorException", "Internal server error")
            )
        if draw < drop_until:
            return FaultPlan(fault="drop", drop_response=True, delay_seconds=delay_seconds)
        if draw < error_after_effect_until:
            return FaultPlan(
                fault="error_after_effect",
                answer_after=error_answer(500, "InternalErrorException", "Internal server error"),
                delay_seconds=delay_seconds,
            )
        if delay_seconds > 0:
            return FaultPlan(fault="latency", delay_seconds=delay_seconds)
        return FaultPlan()


# ---------------------------------------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------------------------------------

# Headers that describe one connection or one message framing, never copied between the two connections.
HOP_BY_HOP_HEADERS = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "content-length",
    "host",
}
# BaseHTTPRequestHandler.send_response writes its own.
SERVER_SET_HEADERS = {"server", "date"}


def query_protocol_form(content_type, body):
    """The fields of a query-protocol request (STS, ``application/x-www-form-urlencoded``), or None."""
    if not content_type or not content_type.startswith("application/x-www-form-urlencoded"):
        return None
    fields = urllib.parse.parse_qs((body or b"").decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[-1] for name, values in fields.items()}


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "local-cognito-proxy"
    # An idle keep-alive connection is closed after this many seconds, ending its thread.
    timeout = 120

    # -- plumbing ------------------------------------------------------------------------------------------------

    def setup(self):
        super().setup()
        # Headers and body leave in two writes; without TCP_NODELAY, Nagle's algorithm holds the body back until the
        # client's delayed ACK of the headers, adding about 40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):
        if self.server.verbose:
            sys.stderr.write("local-cognito proxy: %s\n" % (format % args))

    def do_GET(self):
        self.handle_request()

    def do_POST(self):
        self.handle_request()

    def do_PUT(self):
        self.handle_request()

    def do_DELETE(self):
        self.handle_request()

    def do_PATCH(self):
        self.handle_request()

    def do_HEAD(self):
        self.handle_request()

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def answer(self, status, headers, body):
        try:
            self.send_response(status)
            for name, value in headers:
                lowered = name.lower()
                if lowered not in HOP_BY_HOP_HEADERS and lowered not in SERVER_SET_HEADERS:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def answer_json(self, status, value):
        self.answer(status, [("Content-Type", "application/json")], json.dumps(value).encode())

    def forward(self, body):
        """Sends the request to moto; returns (status, headers, body)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.server.moto_port, timeout=60)
        try:
            headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP_HEADERS}
            headers["Content-Length"] = str(len(body))
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    # -- dispatch ------------------------------------------------------------------------------------------------

    def handle_request(self):
        body = self.read_body()
        if self.path.startswith("/_proxy/"):
            self.handle_control(body)
            return
        target = self.headers.get("X-Amz-Target")
        if target is None:
            self.relay(body)
            return
        self.handle_cognito(target, body)

    def relay(self, body):
        try:
            status, headers, answer_body = self.forward(body)
        except OSError as error:
            self.answer_json(502, {"message": "moto did not answer: %s" % error})
            return
        form = query_protocol_form(self.headers.get("Content-Type"), body)
        if form is not None and "Action" in form:
            self.server.state.record(
                {
                    "operation": form["Action"],
                    "body": form,
                    "status": status,
                    "moto_status": status,
                    "response": None,
                    "rejected": None,
                    "fault": None,
                    "timestamp": time.time(),
                }
            )
        self.answer(status, headers, answer_body)

    def handle_control(self, body):
        state = self.server.state
        route = (self.command, self.path.split("?")[0])
        if route == ("GET", "/_proxy/requests"):
            self.answer_json(200, state.requests())
        elif route == ("GET", "/_proxy/config"):
            self.answer_json(200, state.config())
        elif route == ("GET", "/_proxy/rules"):
            self.answer_json(200, local_cognito_clients.RULES)
        elif route == ("POST", "/_proxy/config"):
            try:
                state.configure(json.loads(body or b"{}"))
            except (ValueError, ConfigError) as error:
                self.answer_json(400, {"message": str(error)})
                return
            self.answer_json(200, state.config())
        elif route == ("GET", "/_proxy/client-secrets"):
            self.answer_json(200, state.secrets.snapshot())
        elif route == ("POST", "/_proxy/client-secrets/verify"):
            try:
                asked = json.loads(body or b"{}")
                active = state.secrets.is_active(asked["UserPoolId"], asked["ClientId"], asked["ClientSecret"])
            except (ValueError, KeyError, TypeError) as error:
                self.answer_json(400, {"message": "expected UserPoolId, ClientId and ClientSecret: %s" % error})
                return
            self.answer_json(200, {"active": active})
        elif route == ("POST", "/_proxy/reset"):
            try:
                state.reset()
            except (OSError, urllib.error.URLError) as error:
                self.answer_json(502, {"message": "moto reset failed: %s" % error})
                return
            self.answer_json(200, state.config())
        else:
            self.answer_json(404, {"message": "unknown control endpoint %s %s" % route})

    def handle_cognito(self, target, raw_body):
        state = self.server.state
        operation = target[len(TARGET_PREFIX) :] if target.startswith(TARGET_PREFIX) else target
        try:
            body = json.loads(raw_body) if raw_body else {}
        except ValueError:
            body = None
        entry = {
            "operation": operation,
            "body": body,
            "status": None,
            "moto_status": None,
            "response": None,
            "rejected": None,
            "fault": None,
            "timestamp": time.time(),
        }

        step, namesake = state.namesake_step(operation, body)
        if step == "list":
            self.list_then_stage_namesake(entry, raw_body, namesake)
            return
        if step == "create":
            entry["fault"] = "namesake_create_error"
            self.answer_and_record(entry, *error_answer(500, "InternalErrorException", "Internal server error"))
            return

        plan = state.plan_faults(operation, body)
        entry["fault"] = plan.fault
        if plan.answer_instead is not None:
            self.answer_and_record(entry, *plan.answer_instead)
            return
        if plan.delay_seconds > 0:
            time.sleep(plan.delay_seconds)
        if operation in local_cognito_branding.OPERATIONS:
            self.handle_branding(operation, body, raw_body, entry, plan)
            return
        if operation in SECRET_OPERATIONS:
            self.answer_secret_operation(entry, plan, operation, body)
            return

        cognito_mode = state.cognito_mode()
        forwarded_body = raw_body
        if cognito_mode:
            try:
                local_cognito_clients.check_request(operation, body, MotoLookup(self))
            except local_cognito_clients.Rejection as rejection:
                entry["fault"] = None
                entry["rejected"] = {"rule": rejection.rule, "code": rejection.code}
                self.answer_and_record(entry, *error_answer(400, rejection.code, rejection.message))
                return
        custom_create_body, custom_secret = None, None
        try:
            # Client secrets are emulated in both modes: moto has no notion of a custom secret.
            if operation == "CreateUserPoolClient":
                custom_create_body, custom_secret = custom_secret_of_create(body)
        except SecretError as refused:
            self.answer_and_record(entry, *refused.answer)
            return
        if custom_create_body is not None:
            body = custom_create_body
            forwarded_body = json.dumps(body).encode()
        if cognito_mode and isinstance(body, dict):
            now = state.clock.now() if operation in local_cognito_clients.CHECKED_OPERATIONS else None
            rewritten = local_cognito_clients.request_for_moto(operation, body, now)
            if rewritten is not body:
                forwarded_body = json.dumps(rewritten).encode()
        try:
            status, headers, answer_body = self.forward(forwarded_body)
        except OSError as error:
            entry["status"] = 502
            state.record(entry)
            self.answer_json(502, {"message": "moto did not answer: %s" % error})
            return
        entry["moto_status"] = status
        if self.answered_by_fault_after_effect(entry, plan, status):
            return
        if cognito_mode and status == 200 and operation in OPERATIONS_WITH_CLIENT_RESPONSE:
            answer_body = cognito_response(answer_body)
        if status == 200:
            answer_body = self.client_secrets_seen(operation, body, answer_body, custom_secret)
        self.answer_and_record(entry, status, headers, answer_body)

    # -- client secrets (see ClientSecretStore) ------------------------------------------------------------------

    def answer_secret_operation(self, entry, plan, operation, body):
        """AddUserPoolClientSecret, ListUserPoolClientSecrets, DeleteUserPoolClientSecret: answered by the store."""
        try:
            status, headers, answer_body = self.server.state.secrets.handle(operation, body, self.described_in_moto)
        except OSError as error:
            status, headers, answer_body = 502, [], json.dumps({"message": "moto did not answer: %s" % error}).encode()
        if not self.answered_by_fault_after_effect(entry, plan, status):
            self.answer_and_record(entry, status, headers, answer_body)

    def described_in_moto(self, user_pool_id, client_id):
        """moto's UserPoolClient, or None when moto does not know it (or does not answer)."""
        described = self.moto_call("DescribeUserPoolClient", {"UserPoolId": user_pool_id, "ClientId": client_id})
        return None if described is None else described.get("UserPoolClient")

    def client_secrets_seen(self, operation, body, answer_body, custom_secret):
        """Keeps the store in step with client answers and gives them the ClientSecret the store says."""
        secrets = self.server.state.secrets
        if operation == "DeleteUserPoolClient" and isinstance(body, dict):
            secrets.forget(body.get("UserPoolId"), body.get("ClientId"))
            return answer_body
        if operation not in OPERATIONS_WITH_CLIENT_RESPONSE:
            return answer_body
        if operation == "CreateUserPoolClient":
            try:
                client = json.loads(answer_body)["UserPoolClient"]
                initial = custom_secret if custom_secret is not None else client.get("ClientSecret")
                secrets.register_initial(client["UserPoolId"], client["ClientId"], initial, custom_secret is None)
            except (ValueError, KeyError, TypeError):
                return answer_body
        return with_secret_view(answer_body, secrets)

    def list_then_stage_namesake(self, entry, raw_body, namesake):
        """The ``namesake`` fault's listing: answered as moto stood before someone else's create of the namesake."""
        try:
            status, headers, answer_body = self.forward(raw_body)
        except OSError as error:
            self.answer_json(502, {"message": "moto did not answer: %s" % error})
            return
        state = self.server.state
        created = self.moto_call(
            "CreateUserPoolClient",
            local_cognito_clients.request_for_moto("CreateUserPoolClient", namesake["body"], state.clock.now()),
        )
        if created is None:
            self.answer_json(502, {"message": "moto refused the namesake"})
            return
        time.sleep(namesake.get("hold_ms", 0) / 1000.0)
        entry["fault"] = "namesake_listing"
        entry["moto_status"] = status
        self.answer_and_record(entry, status, headers, answer_body)

    def answered_by_fault_after_effect(self, entry, plan, status):
        """Applies a fault drawn for a request that has taken effect: a lost response (the client hears nothing and
        sees the connection close) or a failure told anyway. True when the client got that instead of `status`'s
        answer."""
        if plan.drop_response:
            entry["status"] = status
            self.server.state.record(entry)
            self.close_connection = True
            return True
        if plan.answer_after is not None:
            self.answer_and_record(entry, *plan.answer_after)
            return True
        return False

    def answer_and_record(self, entry, status, headers, body):
        """Records the request with the answer it gets, then sends that answer: a client that has its answer finds
        its request in the log."""
        entry["status"] = status
        try:
            entry["response"] = json.loads(body) if body else None
        except ValueError:
            entry["response"] = None
        self.server.state.record(entry)
        self.answer(status, headers, body)

    def handle_branding(self, operation, body, raw_body, entry, plan):
        """Answers a managed-login-branding request from the emulation (``local_cognito_branding``), in either mode;
        moto is only asked whether the app client exists. A dropped response, or a failure told after the fact, is
        applied first, like a request moto applies."""
        state = self.server.state

        def client_exists(pool_id, client_id):
            return self.described_in_moto(pool_id, client_id) is not None

        try:
            answer = state.branding.handle(operation, body, len(raw_body), client_exists)
            status = 200
            headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", str(uuid.uuid4()))]
            answer_body = json.dumps(answer).encode()
        except local_cognito_branding.BrandingError as error:
            status, headers, answer_body = error_answer(400, error.code, error.message)
        entry["moto_status"] = None
        if not self.answered_by_fault_after_effect(entry, plan, status):
            self.answer_and_record(entry, status, headers, answer_body)

    def moto_call(self, operation, request):
        """One Cognito call straight to moto, unrecorded, with this request's Authorization header (moto takes the
        region from it); the decoded answer, or None when moto refuses or does not answer."""
        headers = {"X-Amz-Target": TARGET_PREFIX + operation, "Content-Type": "application/x-amz-json-1.1"}
        if self.headers.get("Authorization"):
            headers["Authorization"] = self.headers["Authorization"]
        connection = http.client.HTTPConnection("127.0.0.1", self.server.moto_port, timeout=60)
        try:
            connection.request("POST", "/", body=json.dumps(request).encode(), headers=headers)
            response = connection.getresponse()
            answer = response.read()
            return json.loads(answer) if response.status == 200 else None
        except (OSError, ValueError):
            return None
        finally:
            connection.close()


class MotoLookup:
    """What exists in moto, for the rules that depend on it (``local_cognito_clients.check_request``)."""

    def __init__(self, handler):
        self._handler = handler

    def _all_pages(self, operation, request, items_key):
        items = []
        next_token = None
        while True:
            page_request = dict(request, MaxResults=50)
            if next_token:
                page_request["NextToken"] = next_token
            page = self._handler.moto_call(operation, page_request)
            if page is None:
                return None
            items.extend(page.get(items_key) or [])
            next_token = page.get("NextToken")
            if not next_token:
                return items

    def resource_server_scopes(self, pool_id):
        servers = self._all_pages("ListResourceServers", {"UserPoolId": pool_id}, "ResourceServers")
        if servers is None:
            return None
        return {
            server.get("Identifier"): {scope.get("ScopeName") for scope in server.get("Scopes") or []}
            for server in servers
        }

    def identity_provider_names(self, pool_id):
        providers = self._all_pages("ListIdentityProviders", {"UserPoolId": pool_id}, "Providers")
        if providers is None:
            return None
        return {provider.get("ProviderName") for provider in providers}

    def client_has_secret(self, pool_id, client_id):
        described = self._handler.moto_call("DescribeUserPoolClient", {"UserPoolId": pool_id, "ClientId": client_id})
        if described is None:
            return None
        return bool((described.get("UserPoolClient") or {}).get("ClientSecret"))


def cognito_response(answer_body):
    try:
        decoded = json.loads(answer_body)
    except ValueError:
        return answer_body
    if not isinstance(decoded, dict) or not isinstance(decoded.get("UserPoolClient"), dict):
        return answer_body
    decoded["UserPoolClient"] = local_cognito_clients.reported_client(decoded["UserPoolClient"])
    return json.dumps(decoded).encode()


class ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128

    def __init__(self, state, moto_port, verbose):
        self.state = state
        self.moto_port = moto_port
        self.verbose = verbose
        super().__init__(("127.0.0.1", 0), ProxyHandler)


# ---------------------------------------------------------------------------------------------------------------------
# moto process
# ---------------------------------------------------------------------------------------------------------------------

# Generous: on a loaded 2-core machine moto has taken more than 20 s to start. A start that succeeds waits no longer.
MOTO_STARTUP_TIMEOUT_SECONDS = 60
RUNNING_ON = re.compile(r"Running on http://127\.0\.0\.1:(\d+)")


def die_with_parent():
    """Runs in the moto child before exec: SIGTERM it if this process dies, even by SIGKILL (Linux only)."""
    try:
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGTERM))
    except (OSError, AttributeError):
        pass


class MotoProcess:
    """moto_server on 127.0.0.1 with a kernel-chosen port; its stderr is drained into a ring of recent lines."""

    def __init__(self, verbose):
        self.verbose = verbose
        self.recent_output = collections.deque(maxlen=200)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "0"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=die_with_parent,
        )
        self.port = None
        self._port_found = threading.Event()
        threading.Thread(target=self._drain_output, name="moto-output", daemon=True).start()

    def _drain_output(self):
        for line in self.process.stderr:
            self.recent_output.append(line.rstrip("\n"))
            if self.verbose:
                sys.stderr.write("moto: %s" % line)
            if self.port is None:
                match = RUNNING_ON.search(line)
                if match:
                    self.port = int(match.group(1))
                    self._port_found.set()
        self._port_found.set()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def wait_until_ready(self):
        """Waits for the port line, then for GET /moto-api/ == 200; raises RuntimeError with moto's output."""
        deadline = time.monotonic() + MOTO_STARTUP_TIMEOUT_SECONDS
        self._port_found.wait(MOTO_STARTUP_TIMEOUT_SECONDS)
        if self.port is None:
            raise RuntimeError("moto_server did not report its port")
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("moto_server exited with status %s" % self.process.returncode)
            try:
                with urllib.request.urlopen(self.url + "/moto-api/", timeout=2) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.05)
        raise RuntimeError("moto_server did not answer GET /moto-api/ within %ss" % MOTO_STARTUP_TIMEOUT_SECONDS)

    def warm_up_cognito(self):
        """Makes one Cognito call so that moto loads its cognito-idp backend (about 0.4 s) now rather than during the
        first request of a test, whose timing would otherwise be skewed; raises RuntimeError if it fails."""
        request = urllib.request.Request(
            self.url + "/",
            data=json.dumps({"MaxResults": 1}).encode(),
            headers={"X-Amz-Target": TARGET_PREFIX + "ListUserPools", "Content-Type": "application/x-amz-json-1.1"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=MOTO_STARTUP_TIMEOUT_SECONDS) as response:
                response.read()
        except (OSError, urllib.error.URLError) as error:
            raise RuntimeError("moto_server failed its first Cognito call (ListUserPools): %s" % error) from error

    def describe_failure(self):
        return "\n".join(self.recent_output)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# ---------------------------------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description="moto behind a recording, Cognito-mode, fault-injecting proxy")
    parser.add_argument(
        "--verbose",
        action="store_true",
        default=os.environ.get("LOCAL_COGNITO_VERBOSE") == "1",
        help="copy moto's log and the proxy's access log to stderr (also LOCAL_COGNITO_VERBOSE=1)",
    )
    arguments = parser.parse_args()

    stop_requested = threading.Event()
    exit_status = [0]
    stdin_descriptor = sys.stdin.fileno()

    def request_stop(signum, frame):
        stop_requested.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)

    moto = MotoProcess(arguments.verbose)
    try:
        moto.wait_until_ready()
        moto.warm_up_cognito()
    except RuntimeError as error:
        moto.stop()
        sys.stderr.write("local-cognito: %s\n%s\n" % (error, moto.describe_failure()))
        return 1

    server = ProxyServer(ProxyState(moto.url), moto.port, arguments.verbose)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="proxy", daemon=True).start()

    def stop_at_stdin_end():
        # The raw descriptor, not sys.stdin: a daemon thread blocked inside a buffered reader makes the interpreter
        # abort at shutdown.
        while os.read(stdin_descriptor, 4096):
            pass
        stop_requested.set()

    def stop_when_moto_dies():
        moto.process.wait()
        if not stop_requested.is_set():
            sys.stderr.write(
                "local-cognito: moto_server exited unexpectedly (status %s)\n%s\n"
                % (moto.process.returncode, moto.describe_failure())
            )
            exit_status[0] = 1
            stop_requested.set()

    threading.Thread(target=stop_at_stdin_end, name="stdin", daemon=True).start()
    threading.Thread(target=stop_when_moto_dies, name="moto-watch", daemon=True).start()

    ready = {
        "proxy_url": "http://127.0.0.1:%d" % server.server_address[1],
        "moto_url": moto.url,
        "pid": os.getpid(),
        "moto_pid": moto.process.pid,
    }
    sys.stdout.write(json.dumps(ready) + "\n")
    sys.stdout.flush()

    # A timed wait keeps the main thread responsive to signals.
    while not stop_requested.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    moto.stop()
    return exit_status[0]


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skips interpreter finalization, which would wait on (or trip over) the daemon threads still blocked in I/O.
    os._exit(status)

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
HTTP status this proxy answered, or for a dropped response the status moto gave), ``fault`` (null or the name of the
injected fault: ``throttle``, ``error``, ``drop``, ``rate_limit``, ``latency``) and ``timestamp`` (epoch seconds).

Control endpoints (never forwarded, never recorded):
- ``GET  /_proxy/requests``: the log as a JSON list.
- ``POST /_proxy/reset``: clears the log, resets moto (``POST /moto-api/reset``), clears the faults and turns
  Cognito mode back on.
- ``POST /_proxy/config`` with ``{"cognito_mode": bool, "faults": {...}}``: each key is optional; ``faults``
  replaces the whole fault configuration (unknown keys or wrong types answer 400). Answers the configuration now in
  force, which ``GET /_proxy/config`` also returns.
Everything else (including ``/moto-api/...``) is forwarded to moto.

Cognito mode (on by default)
----------------------------
Makes moto behave like the real service for app clients, following shared/docs/cognito-client-facts.md §5-§6:

(a) ``UpdateUserPoolClient`` replaces the whole configuration. Before forwarding, every mutable member the request
    omits is added to it so that moto, which merges, forgets the old value:
    - the list members (ReadAttributes, WriteAttributes, ExplicitAuthFlows, SupportedIdentityProviders,
      CallbackURLs, LogoutURLs, AllowedOAuthFlows, AllowedOAuthScopes) are sent as ``[]`` (moto's own code reads
      ReadAttributes as a list, so an empty list is safer than null);
    - every other member (DefaultRedirectURI, AnalyticsConfiguration, TokenValidityUnits, RefreshTokenRotation,
      PreventUserExistenceErrors, the three token validities, AllowedOAuthFlowsUserPoolClient, EnableTokenRevocation,
      EnablePropagateAdditionalUserContextData, AuthSessionValidity) is sent as JSON null: moto stores None, and its
      response serializer leaves None out, so the member disappears from the stored client; (b) then reports the
      default where Cognito reports one.
    - ClientName is kept when omitted: Cognito does not document a reset for it, and a nameless client cannot exist.
    - ``LastModifiedDate`` is set to now (epoch seconds, millisecond precision, strictly increasing across the
      proxy's life), which moto stores and returns as it is.
    ``CreateUserPoolClient`` gets ``CreationDate`` = ``LastModifiedDate`` = now the same way, and, when the request
    has no RefreshTokenValidity, a null one so that moto's fixed ``30`` does not stand in for "30 days" when the
    refresh unit is not days; (b) fills in the right number.
    Clients created while Cognito mode was off have no dates, as in plain moto.

(b) The ``UserPoolClient`` in the responses of CreateUserPoolClient, UpdateUserPoolClient and DescribeUserPoolClient
    carries the values Cognito fills in on the server, each only when the member is absent:
    - empty lists are left out (Cognito returns nothing for an empty list, e.g. hashicorp/terraform-provider-aws
      #30257), then ExplicitAuthFlows becomes ``[ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_CUSTOM_AUTH]``;
    - TokenValidityUnits ``{AccessToken: hours, IdToken: hours, RefreshToken: days}``, per missing sub-member too;
    - AccessTokenValidity and IdTokenValidity: 1 hour expressed in their unit (1 for hours, 60 for minutes, 3600 for
      seconds; 1 for days, the nearest valid value, as 1 hour is not a whole number of days);
    - RefreshTokenValidity: 30 days in its unit (30, 720, 43200 or 2592000); a stored 0 also becomes that, since
      Cognito silently replaces 0 by the default;
    - RefreshTokenRotation ``{Feature: DISABLED}``, PreventUserExistenceErrors ``LEGACY``,
      AllowedOAuthFlowsUserPoolClient false, EnableTokenRevocation true, EnablePropagateAdditionalUserContextData
      false, AuthSessionValidity 3.
    Unknown unit names (which Cognito would have rejected) count as the default unit for these numbers.

With Cognito mode off, requests and responses pass through unchanged: plain moto, merging updates.

Managed login branding (emulated, in either mode)
-------------------------------------------------
moto has none of the five branding operations (CreateManagedLoginBranding, DescribeManagedLoginBranding,
DescribeManagedLoginBrandingByClient, UpdateManagedLoginBranding, DeleteManagedLoginBranding); the proxy answers them
itself with Cognito's documented semantics (one style per app client, UUID IDs, Update keeping what it is not given,
ReturnMergedResources, the asset enums and size limits, the 2 MB request limit), as described at ``BrandingStore``.
It asks moto only whether an app client exists. They are recorded and subject to faults like the others, and
``/_proxy/reset`` forgets every style.

Faults (all off by default; set with /_proxy/config)
----------------------------------------------------
``{"seed": 0, "throttle_rate": 0.0, "error_rate": 0.0, "drop_rate": 0.0, "latency_ms": 0, "operations": null,
"rate_limit_per_second": null}``

Only requests with an ``X-Amz-Target`` are subject to faults, and when ``operations`` is a list only those
operations. For each such request, in this order:
1. ``rate_limit_per_second``: a token bucket per (operation, UserPoolId), holding at most that many tokens and
   refilled at that rate, like Cognito's 5 RPS per operation per pool quota. An empty bucket answers HTTP 400
   ``TooManyRequestsException`` without forwarding (fault ``rate_limit``).
2. One number drawn from a ``random.Random(seed)`` (reseeded whenever the faults are set), so a given request
   sequence always meets the same faults. It picks, by consecutive ranges, ``throttle`` (HTTP 400,
   ``X-Amzn-ErrorType: TooManyRequestsException`` and Cognito's JSON error body, not forwarded), ``error`` (HTTP 500
   ``InternalErrorException``, not forwarded) or ``drop`` (forwarded to moto, which applies it, then the connection
   is closed without any response: the "lost response" case).
3. ``latency_ms``: a delay before forwarding (fault ``latency`` when nothing else was injected).

HTTP details: the proxy is threaded (concurrent requests), speaks HTTP/1.1 with keep-alive to its clients and always
answers with an exact Content-Length. moto answers ``Connection: close``; that header is not passed on, so the AWS
SDK's connection pool can keep its connection to the proxy (a fresh one to moto is opened per request).

Only the Python standard library is used here; moto comes from the venv and runs as its own process.
"""

import argparse
import base64
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
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TARGET_PREFIX = "AWSCognitoIdentityProviderService."

# ---------------------------------------------------------------------------------------------------------------------
# Cognito's defaults (shared/docs/cognito-client-facts.md §6)
# ---------------------------------------------------------------------------------------------------------------------

DEFAULT_TOKEN_VALIDITY_UNITS = {"AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days"}
SECONDS_PER_UNIT = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
DEFAULT_ACCESS_AND_ID_TOKEN_SECONDS = 3600
DEFAULT_REFRESH_TOKEN_SECONDS = 30 * 86400
DEFAULT_EXPLICIT_AUTH_FLOWS = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"]

# Members that Update resets to "nothing" when omitted, sent to moto as an empty list.
LIST_MEMBERS = [
    "ReadAttributes",
    "WriteAttributes",
    "ExplicitAuthFlows",
    "SupportedIdentityProviders",
    "CallbackURLs",
    "LogoutURLs",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
]
# Members that Update resets when omitted, sent to moto as null so that it stores None and stops returning them;
# the response filling then reports Cognito's default where there is one.
NON_LIST_MEMBERS = [
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
]
# Scalars Cognito reports when they are not set.
SCALAR_DEFAULTS = {
    "PreventUserExistenceErrors": "LEGACY",
    "AllowedOAuthFlowsUserPoolClient": False,
    "EnableTokenRevocation": True,
    "EnablePropagateAdditionalUserContextData": False,
    "AuthSessionValidity": 3,
}
OPERATIONS_WITH_CLIENT_RESPONSE = {"CreateUserPoolClient", "UpdateUserPoolClient", "DescribeUserPoolClient"}


def validity_in_unit(seconds, unit):
    """A default duration expressed in `unit`, never below 1 (Cognito's minimum for the token validities)."""
    unit_seconds = SECONDS_PER_UNIT.get(unit, None)
    if unit_seconds is None:
        return None
    return max(1, seconds // unit_seconds)


def reset_omitted_members(update_request):
    """The Update request moto must see so that it stores what Cognito would: omitted members reset."""
    rewritten = dict(update_request)
    for member in LIST_MEMBERS:
        if member not in rewritten:
            rewritten[member] = []
    for member in NON_LIST_MEMBERS:
        if member not in rewritten:
            rewritten[member] = None
    return rewritten


def with_server_defaults(client):
    """A UserPoolClient as Cognito would return it: empty lists dropped, server-filled defaults added."""
    filled = {key: value for key, value in client.items() if not (isinstance(value, list) and not value)}

    units = dict(filled.get("TokenValidityUnits") or {})
    for token, default_unit in DEFAULT_TOKEN_VALIDITY_UNITS.items():
        units.setdefault(token, default_unit)
    filled["TokenValidityUnits"] = units

    def unit_or_default(token):
        unit = units[token]
        return unit if unit in SECONDS_PER_UNIT else DEFAULT_TOKEN_VALIDITY_UNITS[token]

    for member, token in (("AccessTokenValidity", "AccessToken"), ("IdTokenValidity", "IdToken")):
        if filled.get(member) is None:
            filled[member] = validity_in_unit(DEFAULT_ACCESS_AND_ID_TOKEN_SECONDS, unit_or_default(token))
    if not filled.get("RefreshTokenValidity"):
        filled["RefreshTokenValidity"] = validity_in_unit(
            DEFAULT_REFRESH_TOKEN_SECONDS, unit_or_default("RefreshToken")
        )

    if "ExplicitAuthFlows" not in filled:
        filled["ExplicitAuthFlows"] = list(DEFAULT_EXPLICIT_AUTH_FLOWS)
    if filled.get("RefreshTokenRotation") is None:
        filled["RefreshTokenRotation"] = {"Feature": "DISABLED"}
    for member, default in SCALAR_DEFAULTS.items():
        if filled.get(member) is None:
            filled[member] = default
    return filled


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
    "latency_ms": 0,
    "operations": None,
    "rate_limit_per_second": None,
}


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

    for rate in ("throttle_rate", "error_rate", "drop_rate"):
        if not is_number(faults[rate]) or not 0.0 <= faults[rate] <= 1.0:
            raise ConfigError("%s must be a number between 0 and 1" % rate)
    if faults["throttle_rate"] + faults["error_rate"] + faults["drop_rate"] > 1.0:
        raise ConfigError("throttle_rate + error_rate + drop_rate must not exceed 1")
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
    """What to do with one request: an answer instead of forwarding, a drop after forwarding, or a delay."""

    def __init__(self, fault=None, answer_instead=None, drop_response=False, delay_seconds=0.0):
        self.fault = fault
        self.answer_instead = answer_instead
        self.drop_response = drop_response
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
        self.branding = BrandingStore(self.clock)

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
            return {"cognito_mode": self._cognito_mode, "faults": dict(self._faults)}

    def configure(self, requested):
        if not isinstance(requested, dict):
            raise ConfigError("the configuration must be a JSON object")
        unknown = sorted(set(requested) - {"cognito_mode", "faults"})
        if unknown:
            raise ConfigError("unknown configuration keys: %s" % unknown)
        if "cognito_mode" in requested and not isinstance(requested["cognito_mode"], bool):
            raise ConfigError("cognito_mode must be a boolean")
        faults = validated_faults(requested["faults"]) if "faults" in requested else None
        with self._lock:
            if "cognito_mode" in requested:
                self._cognito_mode = requested["cognito_mode"]
            if faults is not None:
                self._set_faults_locked(faults)

    def _set_faults_locked(self, faults):
        self._faults = faults
        self._random = random.Random(faults["seed"])
        self._buckets = {}

    def reset(self):
        """Clears the log, faults and mode, then moto's state; raises OSError when moto does not answer."""
        with self._lock:
            self._requests = []
            self._cognito_mode = True
            self._set_faults_locked(dict(DEFAULT_FAULTS))
        self.branding.reset()
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
        self.answer(status, headers, answer_body)

    def handle_control(self, body):
        state = self.server.state
        route = (self.command, self.path.split("?")[0])
        if route == ("GET", "/_proxy/requests"):
            self.answer_json(200, state.requests())
        elif route == ("GET", "/_proxy/config"):
            self.answer_json(200, state.config())
        elif route == ("POST", "/_proxy/config"):
            try:
                state.configure(json.loads(body or b"{}"))
            except (ValueError, ConfigError) as error:
                self.answer_json(400, {"message": str(error)})
                return
            self.answer_json(200, state.config())
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
        entry = {"operation": operation, "body": body, "status": None, "fault": None, "timestamp": time.time()}

        plan = state.plan_faults(operation, body)
        entry["fault"] = plan.fault
        if plan.answer_instead is not None:
            entry["status"] = plan.answer_instead[0]
            state.record(entry)
            self.answer(*plan.answer_instead)
            return
        if plan.delay_seconds > 0:
            time.sleep(plan.delay_seconds)
        if operation in BRANDING_OPERATIONS:
            self.handle_branding(operation, body, raw_body, entry, plan)
            return

        cognito_mode = state.cognito_mode()
        forwarded_body = raw_body
        if cognito_mode and isinstance(body, dict):
            forwarded_body = self.cognito_request(operation, body, raw_body)
        try:
            status, headers, answer_body = self.forward(forwarded_body)
        except OSError as error:
            entry["status"] = 502
            state.record(entry)
            self.answer_json(502, {"message": "moto did not answer: %s" % error})
            return
        entry["status"] = status
        state.record(entry)
        if plan.drop_response:
            # Lost response: moto applied the request, the client hears nothing and sees the connection close.
            self.close_connection = True
            return
        if cognito_mode and status == 200 and operation in OPERATIONS_WITH_CLIENT_RESPONSE:
            answer_body = cognito_response(answer_body)
        self.answer(status, headers, answer_body)

    def handle_branding(self, operation, body, raw_body, entry, plan):
        """Answers a managed-login-branding request from the emulation (BrandingStore), in any mode; moto is only
        asked whether the app client exists. A dropped response is applied, then the connection closes."""
        state = self.server.state
        try:
            answer = state.branding.handle(operation, body, len(raw_body), self.moto_client_error)
            status = 200
            headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", str(uuid.uuid4()))]
            answer_body = json.dumps(answer).encode()
        except BrandingError as error:
            status, headers, answer_body = error_answer(error.status, error.code, error.message)
        entry["status"] = status
        state.record(entry)
        if plan.drop_response:
            self.close_connection = True
            return
        self.answer(status, headers, answer_body)

    def moto_client_error(self, pool_id, client_id):
        """None when moto has the app client, else the (code, message) of moto's DescribeUserPoolClient error."""
        connection = http.client.HTTPConnection("127.0.0.1", self.server.moto_port, timeout=60)
        try:
            connection.request(
                "POST",
                "/",
                body=json.dumps({"UserPoolId": pool_id, "ClientId": client_id}).encode(),
                headers={
                    "X-Amz-Target": TARGET_PREFIX + "DescribeUserPoolClient",
                    "Content-Type": "application/x-amz-json-1.1",
                },
            )
            response = connection.getresponse()
            payload = response.read()
        except OSError as error:
            raise BrandingError("InternalErrorException", "moto did not answer: %s" % error, status=500)
        finally:
            connection.close()
        if response.status == 200:
            return None
        try:
            decoded = json.loads(payload)
        except ValueError:
            decoded = {}
        return (
            decoded.get("__type", "ResourceNotFoundException"),
            decoded.get("message", "App client %s does not exist in user pool %s." % (client_id, pool_id)),
        )

    def cognito_request(self, operation, body, raw_body):
        clock = self.server.state.clock
        if operation == "UpdateUserPoolClient":
            rewritten = reset_omitted_members(body)
            rewritten["LastModifiedDate"] = clock.now()
            return json.dumps(rewritten).encode()
        if operation == "CreateUserPoolClient":
            rewritten = dict(body)
            created = clock.now()
            rewritten["CreationDate"] = created
            rewritten["LastModifiedDate"] = created
            rewritten.setdefault("RefreshTokenValidity", None)
            return json.dumps(rewritten).encode()
        return raw_body


def cognito_response(answer_body):
    try:
        decoded = json.loads(answer_body)
    except ValueError:
        return answer_body
    if not isinstance(decoded, dict) or not isinstance(decoded.get("UserPoolClient"), dict):
        return answer_body
    decoded["UserPoolClient"] = with_server_defaults(decoded["UserPoolClient"])
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
# Managed login branding (emulated here: moto 5.2.5 has none of these operations)
# ---------------------------------------------------------------------------------------------------------------------
#
# The five operations follow the Amazon Cognito API Reference (CreateManagedLoginBranding, UpdateManagedLoginBranding,
# DescribeManagedLoginBranding, DescribeManagedLoginBrandingByClient, DeleteManagedLoginBranding, AssetType,
# ManagedLoginBrandingType):
# - one style per app client: a second Create for the same client is ManagedLoginBrandingExistsException, and Create
#   for a client that does not exist (asked of moto) is ResourceNotFoundException;
# - the ID is a version-4 UUID (ManagedLoginBrandingIdType's pattern); CreationDate and LastModifiedDate are epoch
#   seconds;
# - Update "preserves existing style settings that you don't specify": Settings are merged into the stored ones
#   (objects member by member, recursively; any other value replaces), Assets replace the stored asset of the same
#   Category and ColorMode and leave the others, and a member the request leaves out is kept;
# - UseCognitoProvidedValues = true "reverts to default style options": stored settings and assets are dropped. The
#   reference says Settings and Assets must then be omitted; Settings with it is InvalidParameterException, while
#   Assets are accepted and applied after the reset, because HashiCorp's acceptance test of
#   aws_cognito_managed_login_branding creates a style with both and Cognito accepts it;
# - Describe returns only the customized values, or with ReturnMergedResources = true the settings merged over
#   Cognito's defaults (BRANDING_DEFAULT_SETTINGS, a small stand-in: Cognito does not publish its default document).
#   Settings are left out when none were customized; Assets are always returned;
# - Delete removes the style, after which Describe is ResourceNotFoundException;
# - validation per the model: the asset enums, Bytes of at most 1,000,000 bytes, at most 40 assets, ResourceId's
#   pattern, and the 2-megabyte request limit (taken as 2 MiB, the reading the provider checks against too).

BRANDING_OPERATIONS = {
    "CreateManagedLoginBranding",
    "UpdateManagedLoginBranding",
    "DescribeManagedLoginBranding",
    "DescribeManagedLoginBrandingByClient",
    "DeleteManagedLoginBranding",
}
BRANDING_REQUEST_LIMIT_BYTES = 2 * 1024 * 1024
BRANDING_ASSET_BYTES_MAX = 1000000
BRANDING_ASSETS_MAX = 40
BRANDING_ASSET_CATEGORIES = {
    "FAVICON_ICO",
    "FAVICON_SVG",
    "EMAIL_GRAPHIC",
    "SMS_GRAPHIC",
    "AUTH_APP_GRAPHIC",
    "PASSWORD_GRAPHIC",
    "PASSKEY_GRAPHIC",
    "PAGE_HEADER_LOGO",
    "PAGE_HEADER_BACKGROUND",
    "PAGE_FOOTER_LOGO",
    "PAGE_FOOTER_BACKGROUND",
    "PAGE_BACKGROUND",
    "FORM_BACKGROUND",
    "FORM_LOGO",
    "IDP_BUTTON_ICON",
}
BRANDING_COLOR_MODES = {"LIGHT", "DARK", "DYNAMIC"}
BRANDING_ASSET_EXTENSIONS = {"ICO", "JPEG", "PNG", "SVG", "WEBP"}
BRANDING_RESOURCE_ID = re.compile(r"^[\w\- ]{1,40}$")
BRANDING_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")
BRANDING_DEFAULT_SETTINGS = {
    "categories": {
        "form": {"displayGraphics": True, "location": {"horizontal": "CENTER", "vertical": "CENTER"}},
        "global": {"colorSchemeMode": "LIGHT", "pageHeader": {"enabled": False}, "pageFooter": {"enabled": False}},
    },
    "componentClasses": {"buttons": {"borderRadius": 8.0}},
}


class BrandingError(Exception):
    """A Cognito error answer of the branding emulation: `code` with HTTP `status` (400 unless moto failed)."""

    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def merge_settings(stored, given):
    """`given` merged into `stored` as Update does: objects member by member, anything else replaced."""
    if isinstance(stored, dict) and isinstance(given, dict):
        merged = dict(stored)
        for key, value in given.items():
            merged[key] = merge_settings(stored.get(key), value)
        return merged
    return copy.deepcopy(given)


def branding_required(body, *members):
    for member in members:
        value = body.get(member)
        if not isinstance(value, str) or not value:
            raise BrandingError("InvalidParameterException", "%s is required." % member)
    if "ManagedLoginBrandingId" in members and not BRANDING_ID.match(body["ManagedLoginBrandingId"]):
        raise BrandingError(
            "InvalidParameterException",
            "1 validation error detected: Value '%s' at 'managedLoginBrandingId' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern" % body["ManagedLoginBrandingId"],
        )


def validated_assets(assets):
    """The request's assets as stored ones (Bytes re-encoded canonically), or BrandingError."""
    if not isinstance(assets, list):
        raise BrandingError("InvalidParameterException", "Assets must be a list.")
    if len(assets) > BRANDING_ASSETS_MAX:
        raise BrandingError(
            "InvalidParameterException",
            "Assets has %d members; at most %d are allowed." % (len(assets), BRANDING_ASSETS_MAX),
        )
    checked = []
    for index, asset in enumerate(assets):
        where = "Assets[%d]" % index
        if not isinstance(asset, dict):
            raise BrandingError("InvalidParameterException", "%s must be an object." % where)
        for member, allowed in (
            ("Category", BRANDING_ASSET_CATEGORIES),
            ("ColorMode", BRANDING_COLOR_MODES),
            ("Extension", BRANDING_ASSET_EXTENSIONS),
        ):
            if asset.get(member) not in allowed:
                raise BrandingError(
                    "InvalidParameterException",
                    "%s.%s %r is not one of %s." % (where, member, asset.get(member), sorted(allowed)),
                )
        stored = {member: asset[member] for member in ("Category", "ColorMode", "Extension")}
        if asset.get("Bytes") is not None:
            try:
                decoded = base64.b64decode(asset["Bytes"], validate=True)
            except (ValueError, TypeError):
                raise BrandingError("InvalidParameterException", "%s.Bytes is not Base64." % where)
            if len(decoded) > BRANDING_ASSET_BYTES_MAX:
                raise BrandingError(
                    "InvalidParameterException",
                    "%s.Bytes holds %d bytes; at most %d are allowed."
                    % (where, len(decoded), BRANDING_ASSET_BYTES_MAX),
                )
            stored["Bytes"] = base64.b64encode(decoded).decode()
        if asset.get("ResourceId") is not None:
            if not isinstance(asset["ResourceId"], str) or not BRANDING_RESOURCE_ID.match(asset["ResourceId"]):
                raise BrandingError(
                    "InvalidParameterException", "%s.ResourceId does not match [\\w\\- ]{1,40}." % where
                )
            stored["ResourceId"] = asset["ResourceId"]
        checked.append(stored)
    return checked


def replace_assets(stored, given):
    """Stored assets with each given one replacing the stored asset of its Category and ColorMode."""
    by_key = collections.OrderedDict(((asset["Category"], asset["ColorMode"]), asset) for asset in stored)
    for asset in given:
        by_key[(asset["Category"], asset["ColorMode"])] = asset
    return list(by_key.values())


class BrandingStore:
    """The styles of every pool, keyed by (pool, branding ID), with the one-style-per-client index."""

    def __init__(self, clock):
        self.clock = clock
        self._lock = threading.Lock()
        self._styles = {}
        self._by_client = {}

    def reset(self):
        with self._lock:
            self._styles = {}
            self._by_client = {}

    def handle(self, operation, body, request_length, client_exists):
        """The response body (a dict) for one branding request, or BrandingError. `client_exists(pool, client)`
        asks moto and answers None, or the (code, message) of its error."""
        if not isinstance(body, dict):
            raise BrandingError("SerializationException", "The request body is not a JSON object.")
        if request_length > BRANDING_REQUEST_LIMIT_BYTES:
            raise BrandingError(
                "InvalidParameterException",
                "The request is %d bytes; the limit is %d bytes (2 MB)."
                % (request_length, BRANDING_REQUEST_LIMIT_BYTES),
            )
        if operation == "CreateManagedLoginBranding":
            branding_required(body, "UserPoolId", "ClientId")
            failure = client_exists(body["UserPoolId"], body["ClientId"])
            if failure is not None:
                raise BrandingError(*failure)
            return {"ManagedLoginBranding": self._create(body)}
        if operation == "UpdateManagedLoginBranding":
            branding_required(body, "UserPoolId", "ManagedLoginBrandingId")
            return {"ManagedLoginBranding": self._update(body)}
        merged = body.get("ReturnMergedResources") is True
        if operation == "DescribeManagedLoginBranding":
            branding_required(body, "UserPoolId", "ManagedLoginBrandingId")
            with self._lock:
                style = self._style_locked(body["UserPoolId"], body["ManagedLoginBrandingId"])
                return {"ManagedLoginBranding": self._view(style, merged)}
        if operation == "DescribeManagedLoginBrandingByClient":
            branding_required(body, "UserPoolId", "ClientId")
            with self._lock:
                branding_id = self._by_client.get((body["UserPoolId"], body["ClientId"]))
                if branding_id is None:
                    raise BrandingError(
                        "ResourceNotFoundException", "App client %s has no managed login branding." % body["ClientId"]
                    )
                return {"ManagedLoginBranding": self._view(self._styles[(body["UserPoolId"], branding_id)], merged)}
        branding_required(body, "UserPoolId", "ManagedLoginBrandingId")
        with self._lock:
            style = self._style_locked(body["UserPoolId"], body["ManagedLoginBrandingId"])
            del self._styles[(style["UserPoolId"], style["ManagedLoginBrandingId"])]
            del self._by_client[(style["UserPoolId"], style["ClientId"])]
        return {}

    def _style_locked(self, pool_id, branding_id):
        style = self._styles.get((pool_id, branding_id))
        if style is None:
            raise BrandingError("ResourceNotFoundException", "Managed login branding %s does not exist." % branding_id)
        return style

    @staticmethod
    def _settings_and_assets(body):
        """(settings or None, assets or None, use_defaults) of a Create or Update request, validated."""
        use_defaults = body.get("UseCognitoProvidedValues") is True
        settings = body.get("Settings")
        if use_defaults and settings is not None:
            raise BrandingError(
                "InvalidParameterException", "Settings cannot be given when UseCognitoProvidedValues is true."
            )
        if settings is not None and not isinstance(settings, dict):
            raise BrandingError("InvalidParameterException", "Settings must be a JSON object.")
        assets = validated_assets(body["Assets"]) if body.get("Assets") is not None else None
        return settings, assets, use_defaults

    def _create(self, body):
        settings, assets, use_defaults = self._settings_and_assets(body)
        pool_id, client_id = body["UserPoolId"], body["ClientId"]
        with self._lock:
            if (pool_id, client_id) in self._by_client:
                raise BrandingError(
                    "ManagedLoginBrandingExistsException",
                    "App client %s already has a managed login branding style." % client_id,
                )
            now = self.clock.now()
            style = {
                "ManagedLoginBrandingId": str(uuid.uuid4()),
                "UserPoolId": pool_id,
                "ClientId": client_id,
                "UseCognitoProvidedValues": use_defaults,
                "Settings": copy.deepcopy(settings),
                "Assets": replace_assets([], assets or []),
                "CreationDate": now,
                "LastModifiedDate": now,
            }
            self._styles[(pool_id, style["ManagedLoginBrandingId"])] = style
            self._by_client[(pool_id, client_id)] = style["ManagedLoginBrandingId"]
            return self._view(style, False)

    def _update(self, body):
        settings, assets, use_defaults = self._settings_and_assets(body)
        with self._lock:
            style = self._style_locked(body["UserPoolId"], body["ManagedLoginBrandingId"])
            if use_defaults:
                style["UseCognitoProvidedValues"] = True
                style["Settings"] = None
                style["Assets"] = []
            elif body.get("UseCognitoProvidedValues") is False:
                style["UseCognitoProvidedValues"] = False
            if settings is not None:
                style["Settings"] = merge_settings(style["Settings"] or {}, settings)
                style["UseCognitoProvidedValues"] = False
            if assets is not None:
                style["Assets"] = replace_assets(style["Assets"], assets)
            style["LastModifiedDate"] = self.clock.now()
            return self._view(style, False)

    @staticmethod
    def _view(style, merged):
        """A ManagedLoginBrandingType as Describe returns it (ClientId is not part of it)."""
        view = {
            "ManagedLoginBrandingId": style["ManagedLoginBrandingId"],
            "UserPoolId": style["UserPoolId"],
            "UseCognitoProvidedValues": style["UseCognitoProvidedValues"],
            "Assets": copy.deepcopy(style["Assets"]),
            "CreationDate": style["CreationDate"],
            "LastModifiedDate": style["LastModifiedDate"],
        }
        if merged:
            view["Settings"] = merge_settings(BRANDING_DEFAULT_SETTINGS, style["Settings"] or {})
        elif style["Settings"] is not None:
            view["Settings"] = copy.deepcopy(style["Settings"])
        return view


# ---------------------------------------------------------------------------------------------------------------------
# moto process
# ---------------------------------------------------------------------------------------------------------------------

MOTO_STARTUP_TIMEOUT_SECONDS = 20
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

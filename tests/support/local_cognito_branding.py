"""How Amazon Cognito treats managed-login-branding requests, for the local proxy of ``local_cognito.py``.

moto 5.2.5 has none of the five branding operations (CreateManagedLoginBranding, DescribeManagedLoginBranding,
DescribeManagedLoginBrandingByClient, UpdateManagedLoginBranding, DeleteManagedLoginBranding), so the proxy answers
them itself from ``BrandingStore``, which keeps the styles of every pool in memory.

Sources
-------
Written from Amazon Cognito's API reference,
https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/ (pages
API_CreateManagedLoginBranding.html, API_UpdateManagedLoginBranding.html, API_DescribeManagedLoginBranding.html,
API_DescribeManagedLoginBrandingByClient.html, API_DeleteManagedLoginBranding.html, API_AssetType.html and
API_ManagedLoginBrandingType.html, whose constraints are the service model the AWS SDKs ship), and from what
HashiCorp's acceptance tests for ``aws_cognito_managed_login_branding`` (terraform-provider-aws,
internal/service/cognitoidp/managed_login_branding_test.go), which run against AWS, observe:

- one style per app client: a second Create for the same client is ManagedLoginBrandingExistsException ("thrown when
  you attempt to apply a managed login branding style to an app client that already has an assigned style"), and
  Create for an app client that does not exist is ResourceNotFoundException;
- the ID is a version-4 UUID (ManagedLoginBrandingIdType's pattern; a malformed one is InvalidParameterException);
  CreationDate and LastModifiedDate are epoch seconds;
- Update: "Amazon Cognito doesn't require that you pass all parameters in one request and preserves existing style
  settings that you don't specify". Settings are merged into the stored ones (objects member by member,
  recursively; any other value replaces), each asset replaces the stored asset of the same Category and ColorMode
  and leaves the others, and a member the request leaves out is kept;
- UseCognitoProvidedValues = true "applies the default branding style options" and "reverts to default style
  options": stored settings and assets are dropped. The reference adds that Settings and Assets must then be
  omitted; Settings with it is InvalidParameterException, while Assets are accepted and applied after the reset,
  because HashiCorp's acceptance test creates a style with both and Cognito accepts it;
- Describe returns "only values that you customized", or with ReturnMergedResources = true also "values for branding
  options that are unchanged from Amazon Cognito defaults" (``DEFAULT_SETTINGS`` here, a small stand-in: Cognito does
  not publish its default document). Settings are left out when none were customized; Assets are always returned;
- Delete removes the style; Describe, Update and Delete of it are then ResourceNotFoundException;
- the model's limits: the asset enums, Bytes of at most 1,000,000 bytes, at most 40 assets, ResourceId's pattern, and
  the "2-megabyte request-size limit" of Create and Update, taken as 2 MiB (the reading that refuses least; the
  provider checks the same number).

Only the standard library is used.
"""

import base64
import collections
import copy
import re
import threading
import uuid

OPERATIONS = {
    "CreateManagedLoginBranding",
    "UpdateManagedLoginBranding",
    "DescribeManagedLoginBranding",
    "DescribeManagedLoginBrandingByClient",
    "DeleteManagedLoginBranding",
}
REQUEST_LIMIT_BYTES = 2 * 1024 * 1024
ASSET_BYTES_MAX = 1000000
ASSETS_MAX = 40
ASSET_CATEGORIES = {
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
COLOR_MODES = {"LIGHT", "DARK", "DYNAMIC"}
ASSET_EXTENSIONS = {"ICO", "JPEG", "PNG", "SVG", "WEBP"}
RESOURCE_ID = re.compile(r"^[\w\- ]{1,40}$")
BRANDING_ID_PATTERN = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
)
DEFAULT_SETTINGS = {
    "categories": {
        "form": {"displayGraphics": True, "location": {"horizontal": "CENTER", "vertical": "CENTER"}},
        "global": {"colorSchemeMode": "LIGHT", "pageHeader": {"enabled": False}, "pageFooter": {"enabled": False}},
    },
    "componentClasses": {"buttons": {"borderRadius": 8.0}},
}


class BrandingError(Exception):
    """A Cognito error answer (HTTP 400) with its error code."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def merge_settings(stored, given):
    """`given` merged into `stored` as Update does: objects member by member, anything else replaced."""
    if isinstance(stored, dict) and isinstance(given, dict):
        merged = dict(stored)
        for key, value in given.items():
            merged[key] = merge_settings(stored.get(key), value)
        return merged
    return copy.deepcopy(given)


def required(body, *members):
    for member in members:
        value = body.get(member)
        if not isinstance(value, str) or not value:
            raise BrandingError("InvalidParameterException", "%s is required." % member)
    if "ManagedLoginBrandingId" in members and not BRANDING_ID_PATTERN.match(body["ManagedLoginBrandingId"]):
        raise BrandingError(
            "InvalidParameterException",
            "1 validation error detected: Value '%s' at 'managedLoginBrandingId' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern" % body["ManagedLoginBrandingId"],
        )


def validated_assets(assets):
    """The request's assets as stored ones (Bytes re-encoded canonically), or BrandingError."""
    if not isinstance(assets, list):
        raise BrandingError("InvalidParameterException", "Assets must be a list.")
    if len(assets) > ASSETS_MAX:
        raise BrandingError(
            "InvalidParameterException",
            "Assets has %d members; at most %d are allowed." % (len(assets), ASSETS_MAX),
        )
    checked = []
    for index, asset in enumerate(assets):
        where = "Assets[%d]" % index
        if not isinstance(asset, dict):
            raise BrandingError("InvalidParameterException", "%s must be an object." % where)
        for member, allowed in (
            ("Category", ASSET_CATEGORIES),
            ("ColorMode", COLOR_MODES),
            ("Extension", ASSET_EXTENSIONS),
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
            if len(decoded) > ASSET_BYTES_MAX:
                raise BrandingError(
                    "InvalidParameterException",
                    "%s.Bytes holds %d bytes; at most %d are allowed."
                    % (where, len(decoded), ASSET_BYTES_MAX),
                )
            stored["Bytes"] = base64.b64encode(decoded).decode()
        if asset.get("ResourceId") is not None:
            if not isinstance(asset["ResourceId"], str) or not RESOURCE_ID.match(asset["ResourceId"]):
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
        """The response body (a dict) for one branding request, or BrandingError. ``client_exists(pool, client)``
        says whether moto has the app client."""
        if not isinstance(body, dict):
            raise BrandingError("SerializationException", "The request body is not a JSON object.")
        if request_length > REQUEST_LIMIT_BYTES:
            raise BrandingError(
                "InvalidParameterException",
                "The request is %d bytes; the limit is %d bytes (2 MB)."
                % (request_length, REQUEST_LIMIT_BYTES),
            )
        if operation == "CreateManagedLoginBranding":
            required(body, "UserPoolId", "ClientId")
            if not client_exists(body["UserPoolId"], body["ClientId"]):
                raise BrandingError(
                    "ResourceNotFoundException",
                    "User pool client %s does not exist in user pool %s." % (body["ClientId"], body["UserPoolId"]),
                )
            return {"ManagedLoginBranding": self._create(body)}
        if operation == "UpdateManagedLoginBranding":
            required(body, "UserPoolId", "ManagedLoginBrandingId")
            return {"ManagedLoginBranding": self._update(body)}
        merged = body.get("ReturnMergedResources") is True
        if operation == "DescribeManagedLoginBranding":
            required(body, "UserPoolId", "ManagedLoginBrandingId")
            with self._lock:
                style = self._style_locked(body["UserPoolId"], body["ManagedLoginBrandingId"])
                return {"ManagedLoginBranding": self._view(style, merged)}
        if operation == "DescribeManagedLoginBrandingByClient":
            required(body, "UserPoolId", "ClientId")
            with self._lock:
                branding_id = self._by_client.get((body["UserPoolId"], body["ClientId"]))
                if branding_id is None:
                    raise BrandingError(
                        "ResourceNotFoundException", "App client %s has no managed login branding." % body["ClientId"]
                    )
                return {"ManagedLoginBranding": self._view(self._styles[(body["UserPoolId"], branding_id)], merged)}
        required(body, "UserPoolId", "ManagedLoginBrandingId")
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
            view["Settings"] = merge_settings(DEFAULT_SETTINGS, style["Settings"] or {})
        elif style["Settings"] is not None:
            view["Settings"] = copy.deepcopy(style["Settings"])
        return view

"""GET /api/openapi.json: the OpenAPI document of what this server serves.

The document is a committed file, api/openapi.json, written by `manage.py
generate_openapi` from each app's fragment (projects.api.openapi: the two published
contracts with our adjustments; usage.api.openapi; billing.api.openapi);
tests/api/test_openapi.py fails when the file is not what the command would write, and
checks that every documented operation is routed and every routed operation documented.
The view only serves the file (with an absolute token URL). Every route, the token
endpoint's included, is under the one server `/api`, which is what generated clients
use; `answers_everywhere` documents on every operation what every route can answer.
"""

import copy
import functools
import json
from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from billing.api import openapi as billing_openapi
from core.api.errors import method_not_allowed
from core.api.openapi import error, merge
from projects.api import openapi as projects_openapi
from usage.api import openapi as usage_openapi
from webhooks.api import openapi as webhooks_openapi

DOCUMENT = Path(__file__).resolve().parent / "openapi.json"

ERROR_STATUSES = (
    "INVALID_ARGUMENT, FAILED_PRECONDITION, UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND"
)


def fragments():
    """Every app's part, in the order the document lists them."""
    return [
        ("projects", projects_openapi.fragment()),
        ("usage", usage_openapi.FRAGMENT),
        ("billing", billing_openapi.FRAGMENT),
        ("webhooks", webhooks_openapi.FRAGMENT),
    ]


def build_document() -> dict:
    """The document, as `generate_openapi` writes it."""
    doc = {
        "openapi": "3.1.0",
        "info": {
            "title": "Console API: subprojects, access keys, usage and billing",
            "version": "v1",
            "description": "The Subprojects API, the Access Keys API and the Usage API as "
            "this server serves them, under /api, the OAuth2 token endpoint, and the "
            "internal usage ingest for the platform's services. Errors have the shape "
            '{"error": {"code", "message", "status", "details"}} with the status words '
            f"{ERROR_STATUSES} (and ALREADY_EXISTS for access keys).",
        },
        "servers": [{"url": "/api"}],
        "security": [{"OAuth2": []}, {"Basic": []}],
        "tags": [],
        "paths": {},
        "components": {},
    }
    for app, fragment in fragments():
        merge(doc, fragment, where=app)
    _scope_refusals(doc)
    answers_everywhere(doc)
    return doc


SCOPE_REFUSAL = (
    "PERMISSION_DENIED: the access key's scope lacks the permission this operation needs "
    "(`<resource>:read` for a GET, `<resource>:write` otherwise; the message names it)."
)


def _scope_refusals(doc: dict) -> None:
    """Every operation an access key calls may answer 403 when the key's scope lacks
    its permission (projects.scopes): documented where a contract lists no 403."""
    for item in doc["paths"].values():
        for method, operation in item.items():
            if method not in ("get", "put", "post", "patch", "delete"):
                continue
            schemes = {name for s in operation.get("security", doc["security"]) for name in s}
            # Access keys' routes take their bearer tokens (OAuth2); the token endpoint and
            # the platform's own routes do not.
            if "OAuth2" in schemes and "403" not in operation["responses"]:
                operation["responses"]["403"] = error(SCOPE_REFUSAL)


METHODS = ("get", "put", "post", "patch", "delete")
RESPONSES = "#/components/responses/"

# What every route can answer whatever its handler does (core.api.views.api_view and
# core.api.middleware): a request refused at the edge (a bad Host, a NUL character), a
# method the path does not answer, a bug and an outage; with credentials, a refusal of
# them, and for customers' keys a suspended project's key (403).
EVERY_OPERATION = {"400": "400Error", "405": "405Error", "500": "500Error", "503": "503Error"}
AUTHENTICATED = {"401": "401Error"}
CUSTOMER_KEYS = {"403": "403Error"}
JSON_BODY = {"415": "415Error"}  # core.api.bodies.read_json

_HEADER = {"schema": {"type": "string"}}
_RETRY_AFTER = {
    "description": "Seconds to wait before retrying.",
    "schema": {"type": "integer", "minimum": 1},
}
# The headers these answers carry (the contracts' responses say nothing of them).
HEADERS = {
    "401Error": {
        "WWW-Authenticate": {
            **_HEADER,
            "required": True,
            "description": "The schemes taken; for a refused bearer token, Bearer "
            'error="invalid_token" (RFC 6750 section 3.1).',
        },
        "Retry-After": {
            **_RETRY_AFTER,
            "description": "Past the limit of failed attempts from one address: seconds "
            "until it may try again.",
        },
    },
    "405Error": {
        "Allow": {**_HEADER, "required": True, "description": "The methods the path answers."}
    },
    "500Error": {"Retry-After": {**_RETRY_AFTER, "required": True}},
    "503Error": {"Retry-After": {**_RETRY_AFTER, "required": True}},
    "OAuth2Error": {
        "WWW-Authenticate": {**_HEADER, "description": "On 401."},
        "Allow": {**_HEADER, "description": "On 405: the methods the path answers."},
        "Retry-After": {
            **_RETRY_AFTER,
            "description": "On 500 and 503, and on 401 past "
            "the limit of failed attempts from one address.",
        },
    },
}
HEADERS["Unauthenticated"] = HEADERS["401Error"]

UNSUPPORTED_MEDIA_TYPE = {
    "description": "INVALID_ARGUMENT: the body was not sent as Content-Type: application/json.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}

METHOD_NOT_ALLOWED = {
    "description": "METHOD_NOT_ALLOWED: the path does not answer this method; `Allow` "
    "lists those it does.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def answers_everywhere(doc: dict) -> None:
    """Document on every operation the answers every route can give (EVERY_OPERATION…),
    where its fragment does not already, and the headers they carry: a client generated
    from the document then knows every status the server can send. The token endpoint
    answers in OAuth's shape and lists its own."""
    responses = doc["components"]["responses"]
    responses["405Error"] = copy.deepcopy(METHOD_NOT_ALLOWED)
    responses["415Error"] = copy.deepcopy(UNSUPPORTED_MEDIA_TYPE)
    for name, headers in HEADERS.items():
        responses[name]["headers"] = copy.deepcopy(headers)
    for item in doc["paths"].values():
        for method in METHODS:
            operation = item.get(method)
            if operation is None or _answers_oauth(operation):
                continue
            security = operation.get("security", doc["security"])
            wanted = dict(EVERY_OPERATION)
            if any(security):  # [{}] or [] is no authentication
                wanted |= AUTHENTICATED
            if security == doc["security"]:
                wanted |= CUSTOMER_KEYS
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                wanted |= JSON_BODY
            found = operation["responses"]
            for status, name in wanted.items():
                found.setdefault(status, {"$ref": RESPONSES + name})
            operation["responses"] = dict(sorted(found.items()))


def _answers_oauth(operation: dict) -> bool:
    return operation["responses"].get("400") == {"$ref": RESPONSES + "OAuth2Error"}


def render(doc: dict) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


@functools.cache
def document() -> dict:
    """The committed document (api/openapi.json)."""
    with DOCUMENT.open(encoding="utf-8") as f:
        return json.load(f)


@csrf_exempt
@login_not_required
def openapi_json(request):
    if request.method not in ("GET", "HEAD"):
        return method_not_allowed(["GET"]).response()
    doc = document()
    schemes = copy.deepcopy(doc["components"]["securitySchemes"])
    flow = schemes["OAuth2"]["flows"]["clientCredentials"]
    flow["tokenUrl"] = request.build_absolute_uri(flow["tokenUrl"])
    doc = {**doc, "components": {**doc["components"], "securitySchemes": schemes}}
    return JsonResponse(doc, json_dumps_params={"ensure_ascii": False})

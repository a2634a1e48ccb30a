"""GET /api/openapi.json: the OpenAPI document of what this server serves.

The document is a committed file, api/openapi.json, written by `manage.py
generate_openapi` from each app's fragment (projects.api.openapi: the two published
contracts with our adjustments; usage.api.openapi; billing.api.openapi);
tests/api/test_openapi.py fails when the file is not what the command would write, and
checks that every documented operation is routed and every routed operation documented.
The view only serves the file (with an absolute token URL).
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

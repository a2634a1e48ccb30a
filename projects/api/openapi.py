"""This app's part of /api/openapi.json (the `api` package merges every app's part):
the Subprojects and Access Keys APIs from the two published contracts (copied into
./contracts), the Audit Events API and the token endpoint.

Where we serve more or are stricter than the contracts say:

- the token endpoint `/oauth2/token` (with its own server `/`);
- one `Basic` and one `OAuth2` security scheme, whose token URL is ours;
- `Idempotency-Key` on creating a subproject;
- subproject request bodies refuse unknown fields; the read-only fields of a
  Subproject are listed as accepted and ignored, as the contract promises;
- subproject error responses use the `Error` schema instead of `{}`;
- access-key operations document the 400 answers they give, and `allowSelfDelete`;
- the deprecated `/v1alpha1/...` spelling of the subprojects paths, which the contract
  calls functionally identical, is served and documented as deprecated;
- suspension: a Subproject's `state` and `suspendReason`, and the custom methods
  `POST /v1/subprojects/{subprojectId}:suspend` and `:resume` (v1 only);
- `GET /v1/projects/{projectId}/auditEvents`, the audit trail, in the contracts' style.
"""

import copy
from pathlib import Path

import yaml

from core.api.openapi import Fragment
from core.api.pagination import PAGE_PARAMETERS

HERE = Path(__file__).resolve().parent
CONTRACTS = HERE / "contracts"
SUBPROJECTS_CONTRACT = CONTRACTS / "sinch-subprojects-api-openapi.yaml"
ACCESS_KEYS_CONTRACT = CONTRACTS / "sinch-access-keys-api-openapi.yaml"

SECURITY_SCHEMES = {
    "Basic": {
        "type": "http",
        "scheme": "basic",
        "description": "HTTP Basic with the access key's Key ID as user name and its Key "
        "Secret as password.",
    },
    "OAuth2": {
        "type": "oauth2",
        "description": "Exchange a Key ID and Key Secret for a bearer token at "
        "POST /oauth2/token (client credentials grant).",
        # Made absolute for each request: OpenAPI 3.1 wants a full URL here.
        "flows": {"clientCredentials": {"tokenUrl": "/oauth2/token", "scopes": {}}},
    },
}

IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Optional. A unique value per intended creation (e.g. a UUID), kept 24 "
    "hours. A retry with the same key and body returns the subproject the first request "
    "created; the same key with a different body answers 400 INVALID_ARGUMENT; while the "
    "first request is still running, a retry waits for it.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"},
}

ERROR_STATUSES = (
    "INVALID_ARGUMENT, FAILED_PRECONDITION, UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND"
)

TOKEN_PATH = {
    "servers": [{"url": "/"}],
    "post": {
        "summary": "Get a bearer token",
        "description": "OAuth2 client credentials grant: send the Key ID and Key Secret as "
        "HTTP Basic credentials (or as client_id and client_secret form fields). The token "
        "works as `Authorization: Bearer ...` on every API operation until it expires or "
        "its key is revoked.",
        "operationId": "OAuth2_Token",
        "tags": ["Authentication"],
        "security": [{"Basic": []}, {}],
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": ["grant_type"],
                        "properties": {
                            "grant_type": {"type": "string", "enum": ["client_credentials"]},
                            "client_id": {"type": "string"},
                            "client_secret": {"type": "string"},
                        },
                    }
                }
            },
        },
        "responses": {
            "200": {
                "description": "A bearer token.",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["access_token", "token_type", "expires_in"],
                            "properties": {
                                "access_token": {"type": "string"},
                                "token_type": {"type": "string", "enum": ["bearer"]},
                                "expires_in": {"type": "integer"},
                                "scope": {"type": "string"},
                            },
                        }
                    }
                },
            },
            "400": {"$ref": "#/components/responses/OAuth2Error"},
            "401": {"$ref": "#/components/responses/OAuth2Error"},
        },
    },
}

OAUTH2_ERROR = {
    "description": "An OAuth2 error (RFC 6749 section 5.2).",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {"type": "string"},
                    "error_description": {"type": "string"},
                },
            }
        }
    },
}


SUBPROJECT_STATE = {
    "state": {
        "type": "string",
        "enum": ["ACTIVE", "SUSPENDED"],
        "readOnly": True,
        "description": "SUSPENDED while the subproject is suspended (its access keys are "
        "refused with 403 PERMISSION_DENIED); ACTIVE otherwise. Independent of `deleted`.",
    },
    "suspendReason": {
        "type": "string",
        "readOnly": True,
        "description": "Why the subproject is suspended; empty when it is active.",
    },
}


def _subproject_method(verb: str, description: str, body: dict) -> dict:
    """A custom method on a subproject (`{subprojectId}:verb`), answering the Subproject."""
    return {
        "post": {
            "summary": f"{verb.capitalize()} a subproject",
            "description": description,
            "operationId": f"SubprojectService_{verb.capitalize()}Subproject",
            "tags": ["Subprojects Service"],
            "parameters": [{"$ref": "#/components/parameters/subprojectId"}],
            "requestBody": {"required": False, "content": {"application/json": {"schema": body}}},
            "responses": {
                "200": {
                    "description": "The subproject, with its new state.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Subproject"}}
                    },
                },
                "400": {"$ref": "#/components/responses/InvalidArgument"},
                "401": {"$ref": "#/components/responses/Unauthenticated"},
                "403": {"$ref": "#/components/responses/PermissionDenied"},
                "404": {"$ref": "#/components/responses/NotFound"},
            },
        }
    }


SUSPEND_PATH = _subproject_method(
    "suspend",
    "Suspend a subproject (an unpaid bill, abuse): until it is resumed, its access keys and "
    "their bearer tokens are refused with 403 PERMISSION_DENIED, saying so. Its data, keys "
    "and usage stay. Only the parent project's key may (a subproject's own key gets 403). "
    "`reason` is required (1-255 characters). Suspending a suspended subproject changes "
    "its reason; a suspension by the platform cannot be changed (403). A deleted "
    "subproject cannot be suspended (400 FAILED_PRECONDITION).",
    {
        "type": "object",
        "required": ["reason"],
        "additionalProperties": False,
        "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 255}},
    },
)
RESUME_PATH = _subproject_method(
    "resume",
    "Lift a subproject's suspension: its keys work again on the next request. Only the "
    "parent project's key may; a suspension by the platform can only be lifted by the "
    "platform (403). Resuming an active subproject changes nothing. No body, or `{}`.",
    {"type": "object", "additionalProperties": False, "properties": {}},
)

AUDIT_EVENT_SCHEMAS = {
    "AuditEvent": {
        "type": "object",
        "description": "One change: who made it, through which interface, from where, to "
        "what, with the changed fields before and after (never a secret).",
        "required": [
            "time",
            "action",
            "actor",
            "source",
            "clientAddress",
            "projectId",
            "targetId",
            "changes",
        ],
        "properties": {
            "time": {"type": "string", "format": "date-time", "description": "UTC."},
            "action": {
                "type": "string",
                "description": 'What was done, e.g. "subproject.create", "access_key.revoke".',
            },
            "actor": {
                "type": "object",
                "required": ["type", "id"],
                "properties": {
                    "type": {
                        "type": "string",
                        "enum": [
                            "user",
                            "access_key",
                            "platform_token",
                            "command",
                            "operator",
                            "system",
                        ],
                    },
                    "id": {
                        "type": "string",
                        "description": "A user's email at the time, a Key ID, a platform "
                        "token's ID or a command's name; empty for an operator.",
                    },
                },
            },
            "source": {
                "type": "string",
                "enum": ["dashboard", "api", "admin", "command", "internal"],
            },
            "clientAddress": {
                "type": "string",
                "description": "The client's IP address; empty for the platform's own changes.",
            },
            "projectId": {"type": "string", "description": "The project or subproject."},
            "targetId": {"type": "string", "description": "A Project ID or a Key ID."},
            "changes": {
                "type": "object",
                "description": "Each changed field's value before and after.",
                "additionalProperties": {
                    "type": "object",
                    "properties": {"before": {}, "after": {}},
                },
            },
        },
    },
    "ListAuditEventsResponse": {
        "type": "object",
        "required": ["auditEvents", "nextPageToken"],
        "properties": {
            "auditEvents": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/AuditEvent"},
            },
            "nextPageToken": {
                "type": "string",
                "description": "The next page's pageToken; empty on the last page.",
            },
        },
    },
}

AUDIT_EVENTS_PATH = {
    "get": {
        "summary": "List audit events",
        "description": "The project's audit trail, newest first: for a top-level project, "
        "its own entries and its subprojects' (removed and purged ones included); for a "
        "subproject, its own. A subproject's key reads only its subproject's. An ID "
        "outside the key's scope answers 403, as an unknown one does.",
        "operationId": "AuditEventService_ListAuditEvents",
        "tags": ["Audit Events"],
        "parameters": [
            {
                "name": "projectId",
                "in": "path",
                "required": True,
                "description": "A Project ID the key reaches.",
                "schema": {"type": "string"},
            },
            *PAGE_PARAMETERS,
        ],
        "responses": {
            "200": {
                "description": "OK",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/ListAuditEventsResponse"}
                    }
                },
            },
            "400": {"$ref": "#/components/responses/400Error"},
            "401": {"$ref": "#/components/responses/401Error"},
            "403": {"$ref": "#/components/responses/403Error"},
        },
    }
}


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def _merge(target: dict, source: dict, where: str) -> None:
    for name, value in source.items():
        if name in target:
            raise ValueError(f"{where}: {name!r} is defined by both contracts")
        target[name] = value


def _tighten_subprojects(doc: dict) -> None:
    paths = doc["paths"]
    schemas = doc["components"]["schemas"]
    schemas["Subproject"]["properties"].update(copy.deepcopy(SUBPROJECT_STATE))
    schemas["Subproject"]["required"] += list(SUBPROJECT_STATE)
    # Any value is accepted for these and ignored, so no type is given.
    read_only = {
        name: {"readOnly": True, "description": "Read-only: a value sent here is ignored."}
        for name, spec in schemas["Subproject"]["properties"].items()
        if spec.get("readOnly")
    }
    collection = paths["/v1/projects/{parentProjectId}/subprojects"]
    single = paths["/v1/subprojects/{subprojectId}"]
    collection["post"]["parameters"].append(IDEMPOTENCY_KEY)
    for operation in (collection["post"], single["patch"]):
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        schema["properties"].update(copy.deepcopy(read_only))
        schema["additionalProperties"] = False
    for response in doc["components"]["responses"].values():
        for media in response.get("content", {}).values():
            media["schema"] = {"$ref": "#/components/schemas/Error"}
    doc["components"]["responses"]["CreateBadRequest"]["description"] += (
        "\n- `INVALID_ARGUMENT` also when the `Idempotency-Key` was used with a different "
        "request, and `FAILED_PRECONDITION` when the request it was first used with is "
        "still running."
    )


ALLOW_SELF_DELETE = {
    "name": "allowSelfDelete",
    "in": "query",
    "required": False,
    "description": "Confirms deleting the key the request is made with when it is the "
    "project's last active key; without it that answers 400 FAILED_PRECONDITION.",
    "schema": {"type": "boolean"},
}


def _adjust_access_keys(doc: dict) -> None:
    """The access-keys operations answer 400 where the contract lists none: a bad
    pageSize or pageToken, a malformed body, the guard against deleting the last key
    one is calling with."""
    collection = doc["paths"]["/v1/projects/{projectId}/accessKeys"]
    single = doc["paths"]["/v1/projects/{projectId}/accessKeys/{accessKeyId}"]
    for operation in (collection["get"], single["patch"], single["delete"]):
        operation["responses"].setdefault("400", {"$ref": "#/components/responses/400Error"})
    single["delete"]["parameters"].append(ALLOW_SELF_DELETE)


def _add_v1alpha1(doc: dict) -> None:
    """The deprecated /v1alpha1 spelling of each subprojects path, same operations."""
    for template in list(doc["paths"]):
        if template.startswith("/v1/") and "accessKeys" not in template:
            item = copy.deepcopy(doc["paths"][template])
            for method, operation in item.items():
                if method in ("get", "post", "patch", "delete"):
                    operation["deprecated"] = True
                    operation["operationId"] += "_v1alpha1"
                    operation["description"] = (
                        f"Deprecated spelling of `{template}`: identical in every way."
                    )
            doc["paths"]["/v1alpha1/" + template.removeprefix("/v1/")] = item


def fragment() -> Fragment:
    """The Subprojects, Access Keys and Audit Events APIs and the token endpoint: the two
    published contracts, adjusted as the module's note says, and our additions."""
    subprojects = _load(SUBPROJECTS_CONTRACT)
    access_keys = _load(ACCESS_KEYS_CONTRACT)
    _tighten_subprojects(subprojects)
    _adjust_access_keys(access_keys)
    doc = {"paths": {}, "components": {}}
    for contract in (subprojects, access_keys):
        _merge(doc["paths"], contract["paths"], "paths")
        for section, entries in contract.get("components", {}).items():
            if section == "securitySchemes":
                continue
            _merge(doc["components"].setdefault(section, {}), entries, f"components.{section}")
    doc["components"]["securitySchemes"] = copy.deepcopy(SECURITY_SCHEMES)
    doc["components"]["responses"]["OAuth2Error"] = OAUTH2_ERROR
    _add_v1alpha1(doc)
    doc["paths"]["/v1/subprojects/{subprojectId}:suspend"] = SUSPEND_PATH
    doc["paths"]["/v1/subprojects/{subprojectId}:resume"] = RESUME_PATH
    doc["paths"]["/v1/projects/{projectId}/auditEvents"] = AUDIT_EVENTS_PATH
    doc["paths"]["/oauth2/token"] = TOKEN_PATH
    doc["components"]["schemas"].update(copy.deepcopy(AUDIT_EVENT_SCHEMAS))
    tags = [
        *subprojects.get("tags", []),
        *access_keys.get("tags", []),
        {"name": "Audit Events", "description": "Who changed what, when, from where."},
        {"name": "Authentication", "description": "Bearer tokens for access keys."},
    ]
    return Fragment(paths=doc["paths"], tags=tags, components=doc["components"])

"""The two published contracts (copied into projects/api/contracts) as this server serves
them: loaded, and adjusted where we serve more or are stricter (the package's note lists
each difference). Their request bodies are our models' schemas (projects.api.bodies)."""

import copy
from pathlib import Path

import yaml

from core.api.openapi import ERROR, body_schema, ref
from projects import scopes
from projects.api.access_keys import ALLOW_SELF_DELETE
from projects.api.bodies import CreateAccessKey, CreateSubproject, UpdateAccessKey, UpdateSubproject

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
SUBPROJECTS_CONTRACT = CONTRACTS / "sinch-subprojects-api-openapi.yaml"
ACCESS_KEYS_CONTRACT = CONTRACTS / "sinch-access-keys-api-openapi.yaml"

SUBPROJECTS = "/v1/projects/{parentProjectId}/subprojects"
SUBPROJECT = "/v1/subprojects/{subprojectId}"
ACCESS_KEYS = "/v1/projects/{projectId}/accessKeys"
ACCESS_KEY = "/v1/projects/{projectId}/accessKeys/{accessKeyId}"

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

ALLOW_SELF_DELETE_PARAMETER = {
    "name": ALLOW_SELF_DELETE,
    "in": "query",
    "required": False,
    "description": "Confirms deleting the key the request is made with when it is the "
    "project's last active key; without it that answers 400 FAILED_PRECONDITION.",
    "schema": {"type": "boolean"},
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


# Additions to the Access Keys contract: a key's scope (projects.scopes).
PERMISSIONS = {
    "type": "array",
    "items": {"type": "string", "enum": list(scopes.PERMISSIONS)},
    "description": "An addition to the contract, present only on a key whose scope is "
    "not everything: the permissions it has (`<resource>:read` or `<resource>:write`, "
    "write including read). A request outside them answers 403 PERMISSION_DENIED naming "
    "the permission it lacks.",
}


# Additions to the Access Keys contract: a key's activity (projects.activity).
ACTIVITY = {
    "lastUseTime": {
        "type": ["string", "null"],
        "format": "date-time",
        "description": "An addition to the contract: when the key was last used (recorded "
        "at most every 5 minutes per server); null if never.",
    },
    "lastUseAddress": {
        "type": "string",
        "description": "An addition to the contract: the client address of that use; empty "
        "if never.",
    },
    "requestsLast30Days": {
        "type": "integer",
        "minimum": 0,
        "description": "An addition to the contract: the key's requests in the last 30 days "
        "(UTC, today included), counted in batches every few minutes.",
    },
}


def load(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def _json_schema(operation: dict) -> dict:
    return operation["requestBody"]["content"]["application/json"]


def _adjust_subprojects(doc: dict) -> None:
    paths = doc["paths"]
    schemas = doc["components"]["schemas"]
    schemas["Subproject"]["properties"].update(copy.deepcopy(SUBPROJECT_STATE))
    schemas["Subproject"]["required"] += list(SUBPROJECT_STATE)
    paths[SUBPROJECTS]["post"]["parameters"].append(IDEMPOTENCY_KEY)
    # Our models' schemas: stricter (unknown fields refused), the read-only fields
    # accepted and ignored; the contract's examples stay.
    _json_schema(paths[SUBPROJECTS]["post"])["schema"] = body_schema(CreateSubproject, schemas)
    _json_schema(paths[SUBPROJECT]["patch"])["schema"] = body_schema(UpdateSubproject, schemas)
    for response in doc["components"]["responses"].values():
        for media in response.get("content", {}).values():
            media["schema"] = copy.deepcopy(ERROR)
    doc["components"]["responses"]["CreateBadRequest"]["description"] += (
        "\n- `INVALID_ARGUMENT` also when the `Idempotency-Key` was used with a different "
        "request, and `FAILED_PRECONDITION` when the request it was first used with is "
        "still running."
    )


SELF_DELETE_DESCRIPTION = (
    "Deletes (revokes) an Access Key: it is refused from the next request on.\n\n"
    "Deleting the very key the request is made with when it is its project's last active "
    "key answers 400 FAILED_PRECONDITION (it would leave the caller without API access), "
    f"unless `{ALLOW_SELF_DELETE}=true` confirms it; a new key can then be made only in "
    "the dashboard."
)


def _adjust_access_keys(doc: dict) -> None:
    """The access-keys operations answer 400 where the contract lists none: a bad
    pageSize or pageToken, a malformed body, the guard against deleting the last key
    one is calling with (whose description the contract's note contradicted). Their
    bodies are our models' schemas, which say what the contract says in words:
    displayName is required (and nothing else is taken). Every error response has the
    Error body the server sends (the contract's 401 and 403 have none), and the 503's
    example its own code."""
    collection, single = doc["paths"][ACCESS_KEYS], doc["paths"][ACCESS_KEY]
    for operation in (collection["get"], single["patch"], single["delete"]):
        operation["responses"].setdefault("400", {"$ref": "#/components/responses/400Error"})
    single["delete"]["parameters"].append(ALLOW_SELF_DELETE_PARAMETER)
    single["delete"]["description"] = SELF_DELETE_DESCRIPTION
    responses = doc["components"]["responses"]
    for response in responses.values():
        response.setdefault("content", {"application/json": {"schema": copy.deepcopy(ERROR)}})
    responses["503Error"]["content"]["application/json"]["example"]["error"]["code"] = 503
    schemas = doc["components"]["schemas"]
    for model, operation in (
        (CreateAccessKey, collection["post"]),
        (UpdateAccessKey, single["patch"]),
    ):
        if _json_schema(operation)["schema"] != ref(model.__name__):
            raise ValueError(f"the access-keys contract no longer refers to {model.__name__}")
        schemas[model.__name__] = body_schema(model, schemas)
    schemas["AccessKey"]["properties"]["permissions"] = copy.deepcopy(PERMISSIONS)
    schemas["AccessKey"]["properties"].update(copy.deepcopy(ACTIVITY))


DEPRECATION_HEADERS = {
    "Deprecation": {
        "description": "RFC 9745: when this spelling was deprecated, as @<Unix seconds>.",
        "schema": {"type": "string"},
    },
    "Link": {
        "description": 'The same resource under /v1/, rel="successor-version".',
        "schema": {"type": "string"},
    },
}


def _add_v1alpha1(doc: dict) -> None:
    """The deprecated /v1alpha1 spelling of each subprojects path, same operations,
    whose answers say so (projects.api.deprecation)."""
    for template in list(doc["paths"]):
        if template.startswith("/v1/") and "accessKeys" not in template:
            item = copy.deepcopy(doc["paths"][template])
            for method, operation in item.items():
                if method in ("get", "post", "patch", "delete"):
                    operation["deprecated"] = True
                    operation["operationId"] += "_v1alpha1"
                    operation["description"] = (
                        f"Deprecated spelling of `{template}`: identical in every way, but "
                        "its answers carry Deprecation and a Link to the /v1/ path."
                    )
                    operation["responses"]["200"]["headers"] = copy.deepcopy(DEPRECATION_HEADERS)
            doc["paths"]["/v1alpha1/" + template.removeprefix("/v1/")] = item


def _merge(target: dict, source: dict, where: str) -> None:
    for name, value in source.items():
        if name in target:
            raise ValueError(f"{where}: {name!r} is defined by both contracts")
        target[name] = value


def contracts() -> tuple[dict, list]:
    """({"paths", "components"}, tags) of both contracts, adjusted; their security
    schemes left out (the package's own replace them)."""
    subprojects = load(SUBPROJECTS_CONTRACT)
    access_keys = load(ACCESS_KEYS_CONTRACT)
    _adjust_subprojects(subprojects)
    _adjust_access_keys(access_keys)
    doc = {"paths": {}, "components": {}}
    for contract in (subprojects, access_keys):
        _merge(doc["paths"], contract["paths"], "paths")
        for section, entries in contract.get("components", {}).items():
            if section != "securitySchemes":
                _merge(doc["components"].setdefault(section, {}), entries, f"components.{section}")
    _add_v1alpha1(doc)
    return doc, [*subprojects.get("tags", []), *access_keys.get("tags", [])]

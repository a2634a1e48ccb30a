"""The usage endpoints' part of /api/openapi.json (the `api` package merges every app's part).

The ingest's request body is its model's schema (usage.api.bodies); responses refer to
the access-keys contract's shared error responses (400Error …).
"""

from core.api.openapi import Fragment, body_schemas, errors, json_body, list_schema, ok, ref
from core.api.pagination import PAGE_PARAMETERS
from usage.metrics import CATALOGUE, CODES
from usage.periods import MAX_MONTHS

from .bodies import BatchRecordUsageRequest

TAGS = [
    {"name": "Usage", "description": "Usage per project and subproject, for customers' keys."},
    {
        "name": "Internal",
        "description": "For the platform's own services, with platform tokens only; "
        "customers' access keys are refused.",
    },
]

SECURITY_SCHEMES = {
    "PlatformToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "A platform token (`cpt_…`) made by operators with "
        "`manage.py create_platform_token` or in the admin. Only the internal API takes it. "
        "Its scopes say what it may call: `ingest` (usage:batchRecord), `limits` "
        "(projects/{projectId}/limits); a call outside them answers 403 PERMISSION_DENIED "
        "naming the scope.",
    }
}

_METRICS_TEXT = ", ".join(f"`{m.code}` ({m.unit})" for m in CATALOGUE)


def _with_totals(schema: dict) -> dict:
    schema["required"].append("totals")
    schema["properties"]["totals"] = {
        "type": "array",
        "items": ref("Usage"),
        "description": "The total per metric over the period of the whole scope, the same "
        "on every page: for a top-level project, its own usage and all its subprojects' "
        "(the family; projectId is the top-level project's); for a subproject, its own. "
        "Metrics without usage are left out.",
    }
    return schema


SCHEMAS = {
    **body_schemas(BatchRecordUsageRequest),
    "BatchRecordUsageResponse": {
        "type": "object",
        "required": ["accepted", "duplicates"],
        "properties": {
            "accepted": {"type": "integer", "description": "Records counted by this call."},
            "duplicates": {
                "type": "integer",
                "description": "Records already counted (a retry) or repeated in the batch.",
            },
        },
    },
    "RecordFault": {
        "type": "object",
        "required": ["index", "field", "message"],
        "properties": {
            "index": {"type": "integer", "description": "The record's index, from 0."},
            "field": {"type": "string"},
            "message": {"type": "string"},
            "recordId": {"type": "string"},
        },
    },
    # The Error shape, its details typed: a refused batch lists a RecordFault per fault
    # (core.errors.InvalidItems); a body that cannot be read has none.
    "BatchRecordError": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "status", "details"],
                "properties": {
                    "code": {"type": "integer", "format": "int32"},
                    "message": {"type": "string"},
                    "status": {"type": "string"},
                    "details": {"type": "array", "items": ref("RecordFault")},
                },
            }
        },
    },
    "Usage": {
        "type": "object",
        "required": ["projectId", "metric", "unit", "quantity"],
        "properties": {
            "projectId": {"type": "string"},
            "metric": {"type": "string", "enum": list(CODES)},
            "unit": {"type": "string"},
            "quantity": {"type": "integer"},
            "date": {"type": "string", "format": "date", "description": "With groupBy=day."},
        },
    },
    "ListUsageResponse": _with_totals(list_schema("usage", "Usage")),
}


def _date_parameter(name: str, default: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": f"A UTC day, YYYY-MM-DD, included. Default: {default}. The period "
        f"is at most {MAX_MONTHS} months long.",
        "schema": {"type": "string", "format": "date"},
    }


PATHS = {
    "/v1/projects/{projectId}/usage": {
        "get": {
            "tags": ["Usage"],
            "summary": "List usage",
            "operationId": "UsageService_ListUsage",
            "description": "Usage over a period of UTC days: one item per project and metric "
            "(groupBy=subproject), or per project, metric and day (groupBy=day). For a "
            "top-level project: itself and each of its subprojects, removed and purged ones "
            "included; for a subproject: only itself. A parent's key reads the parent and "
            "its subprojects, a subproject's key only itself; a project that does not exist "
            "or is out of the key's scope answers 403, as on the other lists under "
            f"/v1/projects/{{projectId}}/. Metrics: {_METRICS_TEXT}.",
            "parameters": [
                {
                    "name": "projectId",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                },
                _date_parameter("startDate", "the first day of this month"),
                _date_parameter("endDate", "the last day of startDate's month"),
                {
                    "name": "groupBy",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": ["subproject", "day"]},
                    "description": "Default: subproject.",
                },
                *PAGE_PARAMETERS,
            ],
            "responses": {"200": ok("ListUsageResponse"), **errors(400, 401, 403)},
        }
    },
    "/internal/v1/usage:batchRecord": {
        "post": {
            "tags": ["Internal"],
            "summary": "Record a batch of usage",
            "operationId": "InternalUsageService_BatchRecord",
            "description": "For the platform's services: up to 1,000 usage records, all or "
            "nothing. Idempotent per recordId. A refused batch answers 400 INVALID_ARGUMENT "
            "with every fault in `details` (index, field, message) and records nothing. "
            "Needs a token with the `ingest` scope (else 403 PERMISSION_DENIED).",
            "security": [{"PlatformToken": []}],
            "requestBody": json_body(ref("BatchRecordUsageRequest")),
            "responses": {
                "200": ok("BatchRecordUsageResponse", "Recorded."),
                "400": {
                    "description": "The batch is refused; `details` lists each fault as a "
                    "RecordFault (none when the body cannot be read).",
                    "content": {"application/json": {"schema": ref("BatchRecordError")}},
                },
                **errors(401, 403),
            },
        }
    },
}

FRAGMENT = Fragment(
    paths=PATHS, tags=TAGS, components={"schemas": SCHEMAS, "securitySchemes": SECURITY_SCHEMES}
)

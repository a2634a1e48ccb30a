"""The usage endpoints' part of /api/openapi.json (the `api` package merges every app's part).

Responses refer to the access-keys contract's shared error responses (400Error …).
"""

from core.api.openapi import Fragment
from core.api.pagination import PAGE_PARAMETERS
from usage.ingest import MAX_BATCH, MAX_QUANTITY
from usage.metrics import CATALOGUE, CODES
from usage.periods import MAX_MONTHS

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
        "`manage.py create_platform_token` or in the admin. Only the internal API takes it.",
    }
}

_METRICS_TEXT = ", ".join(f"`{m.code}` ({m.unit})" for m in CATALOGUE)
_ERROR = {"$ref": "#/components/schemas/Error"}

SCHEMAS = {
    "UsageRecord": {
        "type": "object",
        "additionalProperties": False,
        "required": ["recordId", "projectId", "metric", "hour", "quantity"],
        "properties": {
            "recordId": {
                "type": "string",
                "minLength": 1,
                "maxLength": 128,
                "pattern": "^[!-~]+$",
                "description": "The sender's ID of this record, unique for good. Sent again "
                "with the same values it is a duplicate (counted once); with other values "
                "the batch is refused.",
            },
            "projectId": {
                "type": "string",
                "description": "A Project ID that exists or existed (removed and purged "
                "subprojects included).",
            },
            "metric": {"type": "string", "enum": list(CODES)},
            "hour": {
                "type": "string",
                "format": "date-time",
                "description": "The start of an hour, with a time zone, e.g. "
                "2026-11-27T10:00:00Z; at most 1 hour ahead of the server's clock and not "
                "older than the records' retention window (35 days by default).",
            },
            "quantity": {"type": "integer", "minimum": 0, "maximum": MAX_QUANTITY},
        },
    },
    "BatchRecordUsageRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["records"],
        "properties": {
            "records": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_BATCH,
                "items": {"$ref": "#/components/schemas/UsageRecord"},
            }
        },
    },
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
    "ListUsageResponse": {
        "type": "object",
        "required": ["usage", "nextPageToken"],
        "properties": {
            "usage": {"type": "array", "items": {"$ref": "#/components/schemas/Usage"}},
            "nextPageToken": {"type": "string"},
        },
    },
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
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/ListUsageResponse"}
                        }
                    },
                },
                "400": {"$ref": "#/components/responses/400Error"},
                "401": {"$ref": "#/components/responses/401Error"},
                "403": {"$ref": "#/components/responses/403Error"},
            },
        }
    },
    "/internal/v1/usage:batchRecord": {
        "post": {
            "tags": ["Internal"],
            "summary": "Record a batch of usage",
            "operationId": "InternalUsageService_BatchRecord",
            "description": "For the platform's services: up to 1,000 usage records, all or "
            "nothing. Idempotent per recordId. A refused batch answers 400 INVALID_ARGUMENT "
            "with every fault in `details` (index, field, message) and records nothing.",
            "security": [{"PlatformToken": []}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/BatchRecordUsageRequest"}
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "Recorded.",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/BatchRecordUsageResponse"}
                        }
                    },
                },
                "400": {
                    "description": "The batch is refused; `details` lists each fault as a "
                    "RecordFault.",
                    "content": {"application/json": {"schema": _ERROR}},
                },
                "401": {"$ref": "#/components/responses/401Error"},
            },
        }
    },
}

FRAGMENT = Fragment(
    paths=PATHS, tags=TAGS, components={"schemas": SCHEMAS, "securitySchemes": SECURITY_SCHEMES}
)

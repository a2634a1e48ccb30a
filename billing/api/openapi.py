"""Billing's part of /api/openapi.json (the `api` package merges every app's part): statements
and spend limits for customers' keys, and the internal sending check. The request body
is its model's schema (billing.api.bodies)."""

from core.api.openapi import Fragment, body_schemas, error, errors, json_body, list_schema, ok, ref
from core.api.pagination import PAGE_PARAMETERS
from usage.metrics import CODES

from .bodies import DECIMAL, PutSpendLimitRequest

TAGS = [
    {
        "name": "Billing",
        "description": "Monthly statements of a top-level project and spend limits of its "
        "subprojects, for the parent project's keys; each subproject's own bill (its lines "
        "of those statements), for the parent's key, or the subproject's own if the ASP shows "
        "its customers their bill (its project's Settings in the dashboard).",
    }
]

_DECIMAL = {"type": "string", **DECIMAL}
_MONTH = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "description": "YYYY-MM (UTC)."}
_STATUS = {
    "type": "string",
    "enum": ["ESTIMATE", "CLOSED"],
    "description": "ESTIMATE: an open month, computed from usage so far at today's prices; "
    "CLOSED: frozen by the monthly close, never changes.",
}

SCHEMAS = {
    "StatementSummary": {
        "type": "object",
        "required": ["month", "status", "currency", "total"],
        "properties": {
            "month": _MONTH,
            "status": _STATUS,
            "currency": {"type": "string", "description": "ISO 4217, e.g. EUR."},
            "total": {**_DECIMAL, "description": "The sum of the statement's line amounts."},
        },
    },
    "StatementLine": {
        "type": "object",
        "required": ["projectId", "metric", "quantity", "unitPrice", "amount", "usageMonth"],
        "properties": {
            "projectId": {
                "type": "string",
                "description": "The parent itself (its own usage) or one of its subprojects "
                "(removed and purged ones included).",
            },
            "metric": {"type": "string", "enum": list(CODES)},
            "quantity": {"type": "integer"},
            "unitPrice": {**_DECIMAL, "description": "Per unit, in the statement's currency."},
            "amount": {
                **_DECIMAL,
                "description": "quantity x unitPrice, rounded half up to the currency's "
                "minor unit (once, per line).",
            },
            "usageMonth": {
                **_MONTH,
                "description": "The month the usage happened in: the statement's own, or an "
                "earlier closed month whose usage arrived late (billed here once).",
            },
        },
    },
    "Statement": {
        "allOf": [
            {"$ref": "#/components/schemas/StatementSummary"},
            {
                "type": "object",
                "required": ["lines"],
                "properties": {
                    "lines": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/StatementLine"},
                    }
                },
            },
        ]
    },
    "ListStatementsResponse": list_schema("statements", "StatementSummary"),
    "SubprojectBill": {
        "type": "object",
        "required": ["subprojectId", "parentProjectId"],
        "properties": {
            "subprojectId": {"type": "string"},
            "parentProjectId": {
                "type": "string",
                "description": "The top-level project whose statements these are part of.",
            },
        },
    },
    "ListSubprojectStatementsResponse": {
        "allOf": [
            ref("SubprojectBill"),
            list_schema("statements", "StatementSummary"),
        ],
        "description": "Each month's total is the sum of the subproject's lines of the "
        "parent's statement of that month (0 where it had none).",
    },
    "SubprojectStatement": {
        "allOf": [ref("SubprojectBill"), ref("Statement")],
        "description": "The subproject's lines of its parent's statement: the same lines, "
        "to the cent; the total is their sum.",
    },
    "SpendLimitState": {
        "type": "object",
        "required": ["mode", "percentUsed", "exceeded"],
        "properties": {
            "mode": {"type": "string", "enum": ["NOTIFY", "BLOCK"]},
            "percentUsed": {
                "type": "string",
                "description": 'Share of the limit used this month, e.g. "54.0".',
            },
            "exceeded": {"type": "boolean", "description": "100 % reached this month."},
        },
    },
    "SpendLimit": {
        "allOf": [
            {"$ref": "#/components/schemas/SpendLimitState"},
            {
                "type": "object",
                "required": [
                    "subprojectId",
                    "amount",
                    "currency",
                    "quantities",
                    "month",
                    "sendingAllowed",
                ],
                "properties": {
                    "subprojectId": {"type": "string"},
                    "amount": {"oneOf": [_DECIMAL, {"type": "null"}]},
                    "currency": {"oneOf": [{"type": "string"}, {"type": "null"}]},
                    "quantities": {
                        "type": "object",
                        "additionalProperties": {"type": "integer"},
                        "description": "{metric: quantity a month}; empty for an amount.",
                    },
                    "month": _MONTH,
                    "sendingAllowed": {"type": "boolean"},
                },
            },
        ]
    },
    **body_schemas(PutSpendLimitRequest),
    "SendingCheck": {
        "type": "object",
        "required": ["projectId", "sendingAllowed", "reason", "message", "spendLimit"],
        "properties": {
            "projectId": {"type": "string"},
            "sendingAllowed": {"type": "boolean"},
            "reason": {
                "type": "string",
                "enum": ["", "SUSPENDED", "PARENT_SUSPENDED", "REMOVED", "SPEND_LIMIT_REACHED"],
            },
            "message": {"type": "string", "description": "Why not, for people; empty if allowed."},
            "spendLimit": {
                "oneOf": [{"$ref": "#/components/schemas/SpendLimitState"}, {"type": "null"}]
            },
        },
    },
}

_PROJECT_ID = {"name": "projectId", "in": "path", "required": True, "schema": {"type": "string"}}
_SUBPROJECT_ID = {
    "name": "subprojectId",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
}


_SPEND_LIMIT_RESPONSES = {
    **errors(401),
    "404": error(
        "No such subproject within the key's reach (a subproject's own key included), or no "
        "limit set (GET)."
    ),
}

PATHS = {
    "/v1/projects/{projectId}/statements": {
        "get": {
            "tags": ["Billing"],
            "summary": "List statements",
            "operationId": "BillingService_ListStatements",
            "description": "The months of a top-level project, newest first. The first page "
            "starts with the open months (ESTIMATE: the current month, and any past month "
            "not closed yet), then the closed statements, pageSize of them a page. Only the "
            "top-level project's own key: a subproject's key, and any ID out of reach, "
            "answer 403 as an unknown ID does.",
            "parameters": [
                _PROJECT_ID,
                *PAGE_PARAMETERS,
            ],
            "responses": {"200": ok("ListStatementsResponse"), **errors(400, 401, 403)},
        }
    },
    "/v1/projects/{projectId}/statements/{month}": {
        "get": {
            "tags": ["Billing"],
            "summary": "Get a statement",
            "operationId": "BillingService_GetStatement",
            "description": "One month's statement with a line per project (the parent's own "
            "usage and each subproject's) and metric; late usage of an earlier closed month "
            "has its own lines (usageMonth). Amounts are decimal strings. Only the top-level "
            "project's own key; a subproject's key answers 404 as an unknown ID does.",
            "parameters": [
                _PROJECT_ID,
                {"name": "month", "in": "path", "required": True, "schema": _MONTH},
            ],
            "responses": {
                "200": ok("Statement"),
                **errors(400, 401),
                "404": error(
                    "No such project within the key's reach, or a month that has not begun."
                ),
            },
        }
    },
    "/v1/subprojects/{subprojectId}/statements": {
        "get": {
            "tags": ["Billing"],
            "summary": "List a subproject's statements",
            "operationId": "BillingService_ListSubprojectStatements",
            "description": "A subproject's bill for every month of its parent's statements, "
            "newest first (the open months, estimates, lead the first page; then the closed "
            "ones, pageSize a page): what an ASP re-bills that customer, equal to the "
            "subproject's lines of the parent's statements to the cent. The parent's key, or "
            "the subproject's own if the ASP shows its customers their bill; removed "
            "subprojects too. Any other ID answers 403 as an unknown ID does.",
            "parameters": [_SUBPROJECT_ID, *PAGE_PARAMETERS],
            "responses": {
                "200": ok("ListSubprojectStatementsResponse"),
                **errors(400, 401, 403),
            },
        }
    },
    "/v1/subprojects/{subprojectId}/statements/{month}": {
        "get": {
            "tags": ["Billing"],
            "summary": "Get a subproject's statement",
            "operationId": "BillingService_GetSubprojectStatement",
            "description": "One month of a subproject's bill: its lines of the parent's "
            "statement (the same lines, amounts and late usage) and their total. The "
            "parent's key, or the subproject's own if the ASP shows its customers their "
            "bill (else 404, as an unknown ID).",
            "parameters": [
                _SUBPROJECT_ID,
                {"name": "month", "in": "path", "required": True, "schema": _MONTH},
            ],
            "responses": {
                "200": ok("SubprojectStatement"),
                **errors(400, 401),
                "404": error(
                    "No such subproject within the key's reach, or a month that has not begun."
                ),
            },
        }
    },
    "/v1/subprojects/{subprojectId}/spendLimit": {
        "get": {
            "tags": ["Billing"],
            "summary": "Get a subproject's spend limit",
            "operationId": "BillingService_GetSpendLimit",
            "description": "The limit and how much of it is used this month. The parent "
            "project's key only.",
            "parameters": [_SUBPROJECT_ID],
            "responses": {"200": ok("SpendLimit"), **_SPEND_LIMIT_RESPONSES},
        },
        "put": {
            "tags": ["Billing"],
            "summary": "Set a subproject's spend limit",
            "operationId": "BillingService_PutSpendLimit",
            "description": "Set or replace the monthly limit: an amount in the account's "
            "currency or quantities per metric. Evaluated at once (a limit below this "
            "month's usage alerts and, in BLOCK mode, blocks). The parent project's key "
            "only; audited.",
            "parameters": [_SUBPROJECT_ID],
            "requestBody": json_body(ref("PutSpendLimitRequest")),
            "responses": {
                "200": ok("SpendLimit"),
                **errors(400),
                **_SPEND_LIMIT_RESPONSES,
            },
        },
        "delete": {
            "tags": ["Billing"],
            "summary": "Remove a subproject's spend limit",
            "operationId": "BillingService_DeleteSpendLimit",
            "description": "Answers {} (also when there was none). The parent's key only.",
            "parameters": [_SUBPROJECT_ID],
            "responses": {
                "200": {"description": "Removed.", "content": {"application/json": {}}},
                **_SPEND_LIMIT_RESPONSES,
            },
        },
    },
    "/internal/v1/projects/{projectId}/limits": {
        "get": {
            "tags": ["Internal"],
            "summary": "May a project send?",
            "operationId": "InternalBillingService_GetLimits",
            "description": "For the messaging services, before sending for a project or "
            "subproject: sendingAllowed is false when it is removed, suspended (or its "
            "parent is), or a subproject over a blocking spend limit this month (its "
            "siblings are not affected); `reason` and `message` say why. Two queries. "
            "Needs a token with the `limits` scope (else 403 PERMISSION_DENIED).",
            "security": [{"PlatformToken": []}],
            "parameters": [_PROJECT_ID],
            "responses": {
                "200": ok("SendingCheck"),
                **errors(401, 403),
                "404": error("No project has this ID."),
            },
        }
    },
}

FRAGMENT = Fragment(paths=PATHS, tags=TAGS, components={"schemas": SCHEMAS})

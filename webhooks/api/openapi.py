"""Events and webhook endpoints: their part of /api/openapi.json (the `api` package
merges every app's part). Request bodies are their models' schemas (webhooks.api.bodies)."""

from core.api.openapi import Fragment, body_schemas, errors, json_body, list_schema, ok, ref
from core.api.pagination import PAGE_PARAMETERS
from events.outbox import TYPES

from .bodies import CreateWebhookEndpoint, Replay, UpdateWebhookEndpoint

TAGS = [
    {
        "name": "Events",
        "description": "What changed in a top-level project's family, numbered per family "
        "(docs/events.md), and the webhook endpoints that receive it, signed by the "
        "Standard Webhooks scheme. A top-level project's own key only.",
    }
]


def _param(name, description):
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


def _query(name, description, schema=None):
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


PROJECT = _param("projectId", "A top-level project's ID (a subproject's for its events).")
ENDPOINT = _param("endpointId", "The webhook endpoint's ID.")
_T = {"type": "string"}

SCHEMAS = {
    "Event": {
        "type": "object",
        "required": ["id", "type", "timestamp", "projectId", "parentProjectId", "sequence", "data"],
        "properties": {
            "id": _T,
            "type": {"type": "string", "enum": [*TYPES, "webhook.test"]},
            "timestamp": {"type": "string", "format": "date-time"},
            "projectId": _T,
            "parentProjectId": _T,
            "sequence": {"type": ["integer", "null"], "description": "1, 2, 3 … per family."},
            "data": {"type": "object", "description": "The resource as the API shows it."},
        },
    },
    "ListEventsResponse": list_schema("events", "Event"),
    "WebhookEndpoint": {
        "type": "object",
        "required": ["id", "projectId", "url", "description", "eventTypes", "enabled"],
        "properties": {
            "id": _T,
            "projectId": _T,
            "url": _T,
            "description": _T,
            "eventTypes": {"type": "array", "items": _T},
            "enabled": {"type": "boolean"},
            "disabledReason": _T,
            "createTime": {"type": "string", "format": "date-time"},
            "updateTime": {"type": "string", "format": "date-time"},
            "secret": {
                "type": "string",
                "description": "whsec_…: in create and rotateSecret only.",
            },
        },
    },
    "ListWebhookEndpointsResponse": {
        "type": "object",
        "properties": {"webhookEndpoints": {"type": "array", "items": ref("WebhookEndpoint")}},
    },
    "DeliveryAttempt": {
        "type": "object",
        "properties": {
            "time": {"type": "string", "format": "date-time"},
            "eventId": _T,
            "eventType": _T,
            "statusCode": {"type": ["integer", "null"]},
            "succeeded": {"type": "boolean"},
            "latencyMs": {"type": "integer"},
            "response": {"type": "string", "description": "The answer's first 1 KB."},
        },
    },
    "ListDeliveriesResponse": list_schema("deliveries", "DeliveryAttempt"),
    "ReplayResponse": {"type": "object", "properties": {"replayed": {"type": "integer"}}},
    "TestEventResponse": {"type": "object", "properties": {"eventId": _T}},
    **body_schemas(CreateWebhookEndpoint, UpdateWebhookEndpoint, Replay),
}


def _op(summary, op_id, params, responses, body=None):
    operation = {
        "summary": summary,
        "operationId": op_id,
        "tags": ["Events"],
        "parameters": params,
        "responses": responses,
    }
    if body:
        operation["requestBody"] = json_body(ref(body))
    return operation


BASE = "/v1/projects/{projectId}/webhookEndpoints"
ONE = BASE + "/{endpointId}"
PATHS = {
    "/v1/projects/{projectId}/events": {
        "get": _op(
            "List events (35 days, oldest first)",
            "EventService_ListEvents",
            [
                PROJECT,
                _query("type", "Event types, repeated or comma separated."),
                _query("since", "RFC 3339, inclusive."),
                _query("until", "RFC 3339, exclusive."),
                *PAGE_PARAMETERS,
            ],
            {"200": ok("ListEventsResponse"), **errors(400, 401, 403)},
        )
    },
    BASE: {
        "get": _op(
            "List webhook endpoints",
            "WebhookService_List",
            [PROJECT],
            {"200": ok("ListWebhookEndpointsResponse"), **errors(401, 403)},
        ),
        "post": _op(
            "Create a webhook endpoint (the secret is shown once)",
            "WebhookService_Create",
            [PROJECT],
            {"201": ok("WebhookEndpoint", "Created"), **errors(400, 401, 403)},
            "CreateWebhookEndpoint",
        ),
    },
    ONE: {
        "get": _op(
            "Get a webhook endpoint",
            "WebhookService_Get",
            [PROJECT, ENDPOINT],
            {"200": ok("WebhookEndpoint"), **errors(401, 404)},
        ),
        "patch": _op(
            "Update a webhook endpoint",
            "WebhookService_Update",
            [PROJECT, ENDPOINT],
            {"200": ok("WebhookEndpoint"), **errors(400, 401, 404)},
            "UpdateWebhookEndpoint",
        ),
        "delete": _op(
            "Delete a webhook endpoint",
            "WebhookService_Delete",
            [PROJECT, ENDPOINT],
            {"204": {"description": "Deleted"}, **errors(401, 404)},
        ),
    },
    ONE + ":rotateSecret": {
        "post": _op(
            "Rotate the signing secret (the old one signs 24 h more)",
            "WebhookService_RotateSecret",
            [PROJECT, ENDPOINT],
            {"200": ok("WebhookEndpoint"), **errors(401, 404)},
        ),
    },
    ONE + ":replay": {
        "post": _op(
            "Deliver again the events after a time, or one event",
            "WebhookService_Replay",
            [PROJECT, ENDPOINT],
            {"202": ok("ReplayResponse", "Accepted"), **errors(400, 401, 404)},
            "Replay",
        ),
    },
    ONE + ":test": {
        "post": _op(
            "Send a test event",
            "WebhookService_Test",
            [PROJECT, ENDPOINT],
            {"202": ok("TestEventResponse", "Accepted"), **errors(401, 404)},
        ),
    },
    ONE + "/deliveries": {
        "get": _op(
            "The delivery log, newest first",
            "WebhookService_ListDeliveries",
            [PROJECT, ENDPOINT, *PAGE_PARAMETERS],
            {"200": ok("ListDeliveriesResponse"), **errors(400, 401, 404)},
        ),
    },
}

FRAGMENT = Fragment(paths=PATHS, tags=TAGS, components={"schemas": SCHEMAS})

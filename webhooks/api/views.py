"""Webhook endpoints API, under a top-level project (a parent's own key only: a
subproject's key, often in its customer's hands, gets the answer an unknown ID gets):

- GET, POST /api/v1/projects/{projectId}/webhookEndpoints
- GET, PATCH, DELETE /api/v1/projects/{projectId}/webhookEndpoints/{endpointId}
- POST …/webhookEndpoints/{endpointId}:rotateSecret, :replay, :test
- GET …/webhookEndpoints/{endpointId}/deliveries (the delivery log, newest first)

The signing secret is in the answers of create and rotateSecret only.
"""

from django.http import HttpResponse
from django.utils.dateparse import parse_datetime

from core.api.bodies import parse_body
from core.api.errors import invalid_argument, not_found, permission_denied
from core.api.pagination import keyset_page
from core.api.views import json_response
from core.ids import looks_like_public_id
from core.times import timestamp
from webhooks import delivery, services
from webhooks.models import Attempt, Endpoint

from .bodies import CreateWebhookEndpoint, Replay, UpdateWebhookEndpoint


def serialize_endpoint(endpoint: Endpoint, *, secret: str | None = None) -> dict:
    body = {
        "id": endpoint.public_id,
        "projectId": endpoint.project.public_id,
        "url": endpoint.url,
        "description": endpoint.description,
        "eventTypes": endpoint.event_types,
        "enabled": endpoint.enabled,
        "disabledReason": endpoint.disabled_reason,
        "createTime": timestamp(endpoint.created_at),
        "updateTime": timestamp(endpoint.updated_at),
    }
    if secret is not None:
        body["secret"] = secret
    return body


def serialize_attempt(attempt: Attempt) -> dict:
    return {
        "time": timestamp(attempt.at),
        "eventId": attempt.delivery.event_id,
        "eventType": attempt.delivery.event.type,
        "statusCode": attempt.status_code,
        "succeeded": attempt.succeeded,
        "latencyMs": attempt.latency_ms,
        "response": attempt.response,
    }


def _parent(request, project_id: str, or_else):
    project = request.principal.get_project(project_id, or_else=or_else)
    request.principal.require_parent_key(or_else)
    if project.is_subproject:
        raise or_else
    return project


LIST_REFUSED = "The project does not exist or your access key cannot manage its webhooks."


def _endpoint(request, project_id: str, endpoint_id: str) -> Endpoint:
    missing = not_found("No webhook endpoint with this ID in this project.")
    project = _parent(request, project_id, missing)
    endpoint = None
    if looks_like_public_id(endpoint_id):
        endpoint = Endpoint.objects.filter(project=project, public_id=endpoint_id).first()
    if endpoint is None:
        raise missing
    endpoint.project = project
    return endpoint


def list_endpoints(request, project_id):
    project = _parent(request, project_id, permission_denied(LIST_REFUSED))
    endpoints = list(project.webhook_endpoints.order_by("created_at", "pk"))
    for endpoint in endpoints:
        endpoint.project = project
    return json_response({"webhookEndpoints": [serialize_endpoint(e) for e in endpoints]})


def create_endpoint(request, project_id):
    project = _parent(request, project_id, permission_denied(LIST_REFUSED))
    body = parse_body(request, CreateWebhookEndpoint)
    endpoint, secret = services.endpoint_create(
        project=project,
        url=body.url,
        description=body.description,
        event_types=body.eventTypes,
        enabled=body.enabled,
        actor=request.actor,
    )
    return json_response(serialize_endpoint(endpoint, secret=secret), status=201)


def get_endpoint(request, project_id, endpoint_id):
    return json_response(serialize_endpoint(_endpoint(request, project_id, endpoint_id)))


def update_endpoint(request, project_id, endpoint_id):
    endpoint = _endpoint(request, project_id, endpoint_id)
    body = parse_body(request, UpdateWebhookEndpoint)
    stored = services.endpoint_update(
        endpoint=endpoint,
        url=body.url,
        description=body.description,
        event_types=body.eventTypes,
        enabled=body.enabled,
        actor=request.actor,
    )
    return json_response(serialize_endpoint(stored))


def delete_endpoint(request, project_id, endpoint_id):
    services.endpoint_delete(
        endpoint=_endpoint(request, project_id, endpoint_id), actor=request.actor
    )
    return HttpResponse(status=204)


def rotate_secret(request, project_id, endpoint_id):
    endpoint = _endpoint(request, project_id, endpoint_id)
    stored, secret = services.endpoint_rotate_secret(endpoint=endpoint, actor=request.actor)
    return json_response(serialize_endpoint(stored, secret=secret))


def replay(request, project_id, endpoint_id):
    endpoint = _endpoint(request, project_id, endpoint_id)
    body = parse_body(request, Replay)
    if (body.since is None) == (body.eventId is None):
        raise invalid_argument("Give either since (an RFC 3339 time) or eventId, not both.")
    since = None
    if body.since is not None:
        try:
            since = parse_datetime(body.since)
        except ValueError:
            since = None
        if since is None or since.tzinfo is None:
            raise invalid_argument(
                "since: an RFC 3339 time with its offset, e.g. 2026-12-01T00:00:00Z."
            )
    count = delivery.replay(endpoint, since=since, event_id=body.eventId)
    if body.eventId is not None and not count:
        raise not_found("No event with this ID that this endpoint receives.")
    return json_response({"replayed": count}, status=202)


def send_test(request, project_id, endpoint_id):
    endpoint = _endpoint(request, project_id, endpoint_id)
    sent = delivery.send_test(endpoint)
    return json_response({"eventId": sent.event_id}, status=202)


def list_deliveries(request, project_id, endpoint_id):
    endpoint = _endpoint(request, project_id, endpoint_id)
    page, next_token = keyset_page(
        request,
        Attempt.objects.filter(endpoint=endpoint).select_related("delivery__event"),
        context=f"deliveries:{endpoint.public_id}",
        order=("-at", "-id"),
    )
    return json_response(
        {"deliveries": [serialize_attempt(a) for a in page], "nextPageToken": next_token}
    )

"""Events API: GET /api/v1/projects/{projectId}/events, oldest first (by sequence).

A top-level project's events are its family's (its own and every subproject's, one
sequence); a subproject's are its own. Kept EVENT_RETENTION_DAYS (35). Filters: `type`
(repeat it, or comma separated), `since` and `until` (RFC 3339; `since` inclusive,
`until` exclusive). Keyset pages (pageSize, pageToken). 403 for an ID outside the key's
scope, as for an unknown one (the list endpoints' rule).
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.api.errors import invalid_argument, permission_denied
from core.api.pagination import keyset_page
from core.api.views import json_response
from events.models import Event
from events.outbox import TYPES, public
from projects.customers import LABELS, may_see


def _time(request, name: str):
    raw = request.GET.get(name)
    if raw in (None, ""):
        return None
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise invalid_argument(
            f"{name} must be an RFC 3339 time with its offset, e.g. 2026-12-01T00:00:00Z."
        )
    return value


def _types(request) -> list[str]:
    types = [t.strip() for raw in request.GET.getlist("type") for t in raw.split(",") if t.strip()]
    unknown = sorted(set(types) - set(TYPES))
    if unknown:
        raise invalid_argument(
            f"type {unknown[0]!r} is not an event type; see the API guide's list."
        )
    return types


def list_events(request, project_id):
    project = request.principal.get_project(
        project_id,
        include_removed=True,
        or_else=permission_denied(
            "The project does not exist or your access key cannot read its events."
        ),
    )
    oldest = timezone.now() - timedelta(days=settings.EVENT_RETENTION_DAYS)
    rows = Event.objects.filter(created_at__gte=oldest)
    if project.parent_id is None:
        rows = rows.filter(family_id=project.public_id)
    else:
        rows = rows.filter(project_id=project.public_id)
    if types := _types(request):
        rows = rows.filter(type__in=types)
    if since := _time(request, "since"):
        rows = rows.filter(created_at__gte=since)
    if until := _time(request, "until"):
        rows = rows.filter(created_at__lt=until)
    page, next_token = keyset_page(
        request, rows, context=f"events:{project.public_id}", order=("family_id", "sequence")
    )
    events = [public(event) for event in page]
    if not may_see(project, LABELS, customer=request.principal.key.is_subproject_key):
        # The subproject's own key, its labels not shown to its customer: as in its
        # Subproject body and its audit events (projects.customers).
        for event in events:
            if isinstance(event["data"], dict) and "labels" in event["data"]:
                event["data"] = {k: v for k, v in event["data"].items() if k != "labels"}
    return json_response({"events": events, "nextPageToken": next_token})

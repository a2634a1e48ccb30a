"""The Activity page of a project (dashboard), and its CSV export.

Newest first, a core.lists list without a total (no OFFSET, no COUNT), so the page
costs the same queries and about the same time with a thousand entries or a million:
the project's entries are one range of an index (audit_family_time /
audit_project_time), read either way (the "Oldest" link reads it backwards). A
top-level project's Activity is its family's, its subprojects' entries included; a
subproject's shows its own, so a user granted one subproject sees only its entries (the
parent answers them 404).
"""

import json

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.filters import ActivityFilterForm
from audit.models import AuditEvent
from core.csv_stream import csv_response
from core.lists import keyset_list
from core.times import timestamp
from projects.access import get_project_for_user
from projects.customers import customer_view, is_customer_login

PER_PAGE = 50
ORDER = ("-time", "-id")
CSV_COLUMNS = [
    "time",
    "action",
    "actor_type",
    "actor",
    "source",
    "client_address",
    "project_id",
    "target_id",
    "target_name",
    "changes",
]


def _filtered(request, public_id):
    """The project (404 unless visible, removed ones included: their history stays),
    the filter form, its events filtered (None when the filters are invalid), and the
    CustomerView to show them with when the user is the subproject's customer."""
    project = get_project_for_user(request.user, public_id, include_removed=True)
    if project.removed_at is None:
        request.current_project = project  # the navigation's project (not remembered)
    viewer = customer_view(project) if is_customer_login(project) else None
    form = ActivityFilterForm(request.GET, viewer=viewer)
    events = None
    if form.is_valid():
        events = form.apply(
            AuditEvent.objects.for_project(project), timezone.get_current_timezone()
        )
        if viewer is not None:
            events = viewer.events(events)
    return project, form, events, viewer


def _seen_by(events, viewer):
    for event in events:
        event.viewer = viewer
        yield event


@require_GET
def project_activity(request, public_id):
    project, form, events, viewer = _filtered(request, public_id)
    query = form.query()
    page = None
    if events is not None:
        page = keyset_list(
            request,
            events,
            order=ORDER,
            context=f"activity:{project.public_id}:{query}",
            noun=("entry", "entries"),
            per_page=PER_PAGE,
        )
        if page.error:  # a page link that does not belong: the newest entries instead
            form.add_error(None, page.error)
    context = {
        "project": project,
        "form": form,
        "page": page,
        "events": list(_seen_by(page.rows, viewer)) if page else [],
        "query": query,
    }
    return render(request, "audit/activity.html", context, status=400 if form.errors else 200)


def _csv_row(event: AuditEvent) -> list[str]:
    actor = event.public_actor
    return [
        timestamp(event.time),
        event.action,
        actor["type"],
        actor["id"],
        event.source,
        event.public_address,
        event.project_id,
        event.target_id,
        event.target_label,
        json.dumps(event.public_changes, ensure_ascii=False, sort_keys=True),
    ]


@require_GET
def project_activity_csv(request, public_id):
    """Every entry the filters select, streamed (bounded memory at any size)."""
    project, form, events, viewer = _filtered(request, public_id)
    if events is None:
        context = {"project": project, "form": form, "events": [], "query": form.query()}
        return render(request, "audit/activity.html", context, status=400)
    ordered = events.order_by(*ORDER).iterator(2000)
    rows = (_csv_row(event) for event in _seen_by(ordered, viewer))
    return csv_response(f"activity-{project.public_id}", CSV_COLUMNS, rows)

"""Audit events API: GET /api/v1/projects/{projectId}/auditEvents, newest first.

In the contracts' style (pageSize, pageToken, nextPageToken; the list's 403 for an ID
outside the key's scope, as for an unknown one). A top-level project's key reads the
project's entries and its subprojects' (removed and purged ones included: their history
stays); a subproject's key reads only its subproject's. Entries made by the platform
(operators, commands) name no staff member and no address (AuditEvent.public_actor).
A subproject's own key is its customer's: it reads them as the customer's login does
(projects.customers: no spend-limit entries, the ASP's staff unnamed, no addresses).
"""

from audit.models import AuditEvent
from core.api.errors import permission_denied
from core.api.pagination import keyset_page
from core.api.views import json_response
from core.times import timestamp
from projects.customers import customer_view


def serialize_event(event: AuditEvent) -> dict:
    return {
        "time": timestamp(event.time),
        "action": event.action,
        "actor": event.public_actor,
        "source": event.source,
        "clientAddress": event.public_address,
        "projectId": event.project_id,
        "targetId": event.target_id,
        "changes": event.public_changes,
    }


def list_audit_events(request, project_id):
    project = request.principal.get_project(
        project_id,
        include_removed=True,
        or_else=permission_denied(
            "The project does not exist or your access key cannot read its audit events."
        ),
    )
    events = AuditEvent.objects.for_project(project)
    viewer = None
    if request.principal.project.is_subproject:  # the subproject's own key
        viewer = customer_view(project)
        events = viewer.events(events)
    page, next_token = keyset_page(
        request,
        events,
        context=f"auditEvents:{project.public_id}",
        order=("-time", "-id"),
    )
    for event in page:
        event.viewer = viewer
    return json_response(
        {"auditEvents": [serialize_event(event) for event in page], "nextPageToken": next_token}
    )

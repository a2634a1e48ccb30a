"""Subprojects API: /api/v1/projects/{parentProjectId}/subprojects, /api/v1/subprojects/{id}.

Scope (projects.api.auth.Principal): a top-level project's key reaches the project and
all of its subprojects; a subproject's key reaches only that subproject. An ID outside
the caller's scope gets exactly the answer an unknown ID gets: 404 on a single
subproject, 403 on the list, 400 FAILED_PRECONDITION when creating under it. Every write
goes through projects.services, like the dashboard's; their refusals are answered by
api_view (errors.from_service_error).

Suspend, resume and restore (`POST /api/v1/subprojects/{id}:suspend`, `:resume` and
`:restore`) are the parent's decision, like delete: a subproject's own key cannot. An
unknown custom method (`{id}:undelete`) is 404 saying which exist, never read as an ID.
"""

from django.contrib.auth.decorators import login_not_required
from django.views.decorators.csrf import csrf_exempt

from core.api.bodies import parse_body
from core.api.errors import failed_precondition, invalid_argument, not_found, permission_denied
from core.api.idempotency import create_once
from core.api.pagination import keyset_page
from core.api.views import json_response
from core.times import timestamp
from projects import services
from projects.customers import LABELS, may_see
from projects.models import Project

from .bodies import (
    CreateSubproject,
    RestoreSubproject,
    ResumeSubproject,
    SuspendSubproject,
    UpdateSubproject,
)

# What serialize_subproject reads of each row (the list loads only these).
SERIALIZED_FIELDS = (
    "public_id",
    "name",
    "labels",
    "created_at",
    "updated_at",
    "removed_at",
    "suspended_at",
    "suspend_reason",
)

NO_PARENT = "The parent project is invalid or does not exist."


def serialize_subproject(subproject: Project, parent_public_id: str, *, labels=True) -> dict:
    """The contract's Subproject; without `labels` (optional there) when its caller is
    the subproject's customer and the ASP does not show them (projects.customers)."""
    body = {
        "subprojectId": subproject.public_id,
        "parentProjectId": parent_public_id,
        "displayName": subproject.name,
        "labels": subproject.labels or {},
        "createTime": timestamp(subproject.created_at),
        "updateTime": timestamp(subproject.updated_at),
        "deleted": subproject.removed_at is not None,
        # Its own state: a suspended parent's keys are refused, so no caller sees a
        # subproject through a suspended parent.
        "state": "SUSPENDED" if subproject.suspended_at is not None else "ACTIVE",
        "suspendReason": subproject.suspend_reason,
    }
    if not labels:
        del body["labels"]
    return body


def _labels_shown(request, subproject: Project) -> bool:
    """Whether this caller sees the subproject's labels: the rule of the dashboard too."""
    return may_see(subproject, LABELS, customer=request.principal.key.is_subproject_key)


def _subproject(request, subproject_id: str) -> Project:
    """The subproject, removed or not, if the caller reaches it; else 404 like an unknown ID."""
    subproject = request.principal.get_project(
        subproject_id,
        include_removed=True,
        or_else=not_found(f"No subproject has the ID {subproject_id!r}."),
    )
    if not subproject.is_subproject:  # the key's own top-level project
        raise not_found(f"No subproject has the ID {subproject_id!r}.")
    return subproject


def create_subproject(request, parent_id):
    body = parse_body(request, CreateSubproject)
    request.principal.require_parent_key(
        failed_precondition(
            "A subproject's key cannot create subprojects: use the parent project's key."
        )
    )
    # Removed parents and subprojects as parents are refused by the service, which says
    # why; only an unknown or out-of-scope ID stops here.
    parent = request.principal.get_project(
        parent_id, include_removed=True, or_else=failed_precondition(NO_PARENT)
    )

    def create():
        return services.subproject_create(
            parent=parent, name=body.displayName, labels=body.labels, actor=request.actor
        ).public_id

    public_id = create_once(
        request,
        resource="subprojects",
        meaning=[parent.public_id, body.model_dump()],
        create=create,
    )
    subproject = Project.objects.filter(public_id=public_id).first()
    if subproject is None:  # an operator deleted it since the first request
        raise not_found("The subproject this Idempotency-Key created no longer exists.")
    return json_response(serialize_subproject(subproject, parent.public_id))


def _show_deleted(request) -> bool:
    raw = request.GET.get("showDeleted", "false").lower()
    if raw not in ("true", "false"):
        raise invalid_argument("showDeleted must be true or false.")
    return raw == "true"


def list_subprojects(request, parent_id):
    show_deleted = _show_deleted(request)
    parent = request.principal.get_project(
        parent_id,
        or_else=permission_denied(
            "The caller cannot list subprojects of this project, or it does not exist."
        ),
    )
    if parent.is_subproject:
        raise permission_denied(
            "The caller cannot list subprojects of this project, or it does not exist."
        )
    rows = Project.objects.filter(parent_id=parent.pk).only(*SERIALIZED_FIELDS)
    if not show_deleted:
        rows = rows.alive()
    # Newest first, on the project_children index; the token is bound to the parent and
    # the filter, so it cannot be replayed on another list.
    page, next_token = keyset_page(
        request,
        rows,
        context=f"subprojects:{parent.public_id}:{int(show_deleted)}",
        order=("-created_at", "-public_id"),
    )
    return json_response(
        {
            "subprojects": [serialize_subproject(row, parent.public_id) for row in page],
            "nextPageToken": next_token,
        }
    )


def get_subproject(request, subproject_id):
    subproject = _subproject(request, subproject_id)
    labels = _labels_shown(request, subproject)
    return json_response(
        serialize_subproject(subproject, subproject.parent.public_id, labels=labels)
    )


def update_subproject(request, subproject_id):
    body = parse_body(request, UpdateSubproject)
    subproject = _subproject(request, subproject_id)
    labels = _labels_shown(request, subproject)
    if body.labels is not None and not labels:
        raise permission_denied(
            "This subproject's labels are its provider's: its own key cannot change them "
            "(use the parent project's key)."
        )
    if body.displayName is not None or body.labels is not None:
        services.project_update(
            project=subproject, name=body.displayName, labels=body.labels, actor=request.actor
        )
    return json_response(
        serialize_subproject(subproject, subproject.parent.public_id, labels=labels)
    )


def _parent_decision(request, subproject_id: str, verb: str) -> Project:
    """The subproject, if the caller reaches it with its parent's key.

    Removing, suspending and resuming are the parent's decisions (the customer left or
    did not pay); a subproject's own key, often in the customer's hands, must not be
    able to make them.
    """
    subproject = _subproject(request, subproject_id)
    request.principal.require_parent_key(
        permission_denied(f"A subproject's own key cannot {verb} it: use the parent project's key.")
    )
    return subproject


def delete_subproject(request, subproject_id):
    subproject = _parent_decision(request, subproject_id, "delete")
    services.subproject_remove(subproject=subproject, actor=request.actor)
    return json_response({})


def suspend_subproject(request, subproject_id):
    body = parse_body(request, SuspendSubproject)
    subproject = _parent_decision(request, subproject_id, "suspend")
    services.project_suspend(project=subproject, reason=body.reason, actor=request.actor)
    return json_response(serialize_subproject(subproject, subproject.parent.public_id))


def restore_subproject(request, subproject_id):
    """Undo a delete within the restore window, through the service the dashboard and
    the admin call: the subproject is listed again and its keys work on the next
    request. Restoring an alive subproject changes nothing (idempotent, no audit entry);
    past the window the service refuses (400 FAILED_PRECONDITION); a purged one is gone
    (404, as an unknown ID)."""
    if request.body:  # nothing to say; an empty object, or no body at all
        parse_body(request, RestoreSubproject)
    subproject = _parent_decision(request, subproject_id, "restore")
    services.subproject_restore(subproject=subproject, actor=request.actor)
    return json_response(serialize_subproject(subproject, subproject.parent.public_id))


CUSTOM_METHODS = ("suspend", "resume", "restore")


@csrf_exempt
@login_not_required
def unknown_custom_method(request, subproject_id, verb, **kwargs):
    """`{id}:verb` for a verb we do not serve: 404, naming the verb, not the ID (any
    method, before authentication: it names no data)."""
    methods = ", ".join(f":{name}" for name in CUSTOM_METHODS)
    return not_found(
        f"Subprojects have no custom method {verb!r} here; theirs are {methods}, as "
        "POST /v1/subprojects/{subprojectId}:<method>."
    ).response()


def resume_subproject(request, subproject_id):
    if request.body:  # nothing to say; an empty object, or no body at all
        parse_body(request, ResumeSubproject)
    subproject = _parent_decision(request, subproject_id, "resume")
    services.project_resume(project=subproject, actor=request.actor)
    return json_response(serialize_subproject(subproject, subproject.parent.public_id))

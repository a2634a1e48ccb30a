"""Subprojects API: /api/v1/projects/{parentProjectId}/subprojects, /api/v1/subprojects/{id}.

Scope (see PRODUCT.md, "The API"): a top-level project's key reaches the project and all
of its subprojects; a subproject's key reaches only that subproject. An ID outside the
caller's scope gets exactly the answer an unknown ID gets: 404 on a single subproject,
403 on the list, 400 FAILED_PRECONDITION when creating under it. Every write goes through
projects.services, like the dashboard's.
"""

from datetime import datetime

import pydantic
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import path

from projects import services
from projects.ids import looks_like_public_id
from projects.models import Project, Subproject

from . import idempotency
from .base import (
    api_view,
    json_response,
    make_page_token,
    page_size,
    parse_body,
    read_page_token,
    timestamp,
)
from .errors import failed_precondition, invalid_argument, not_found, permission_denied
from .openapi import openapi_json

# Read-only fields of the Subproject schema. The contract says a value sent in a request
# body is ignored, so these are dropped before validation instead of being refused.
READ_ONLY_FIELDS = ("subprojectId", "parentProjectId", "createTime", "updateTime", "deleted")

# How the services name fields, and how the contract names them.
CONTRACT_FIELD = {"name": "displayName", "labels": "labels"}

NO_PARENT = "The parent project is invalid or does not exist."


class CreateSubproject(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    displayName: str
    labels: dict[str, str] = pydantic.Field(default_factory=dict)


class UpdateSubproject(pydantic.BaseModel):
    """Both fields optional; an explicit null is refused (defaults are not validated,
    so a missing field stays None while `"displayName": null` fails the str type)."""

    model_config = pydantic.ConfigDict(extra="forbid")

    displayName: str = None  # type: ignore[assignment]
    labels: dict[str, str] = None  # type: ignore[assignment]


def _service_error(error: ValidationError):
    """A services ValidationError as the contract's 400, naming the contract's field."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            if field in CONTRACT_FIELD:
                return invalid_argument(f"{CONTRACT_FIELD[field]}: {' '.join(messages)}")
        # "parent" or "account": the parent changed state under us (e.g. was removed).
        return failed_precondition(" ".join(error.messages))
    return failed_precondition(" ".join(error.messages))


def render(subproject: Project, parent_public_id: str) -> dict:
    return {
        "subprojectId": subproject.public_id,
        "parentProjectId": parent_public_id,
        "displayName": subproject.name,
        "labels": subproject.labels or {},
        "createTime": timestamp(subproject.created_at),
        "updateTime": timestamp(subproject.updated_at),
        "deleted": subproject.removed_at is not None,
    }


def _parent_in_scope(request, parent_id: str) -> Project | None:
    """The top-level project `parent_id`, if the caller's key reaches it; else None."""
    if not looks_like_public_id(parent_id):
        return None
    parent = Project.objects.filter(public_id=parent_id).first()
    if parent is None or not request.principal.can_reach(parent):
        return None
    return parent


def _subproject_in_scope(request, subproject_id: str) -> Project:
    """The subproject, removed or not, if the caller reaches it; else 404 like an unknown ID."""
    if looks_like_public_id(subproject_id):
        subproject = (
            Subproject.objects.select_related("parent").filter(public_id=subproject_id).first()
        )
        if subproject is not None and request.principal.can_reach(subproject):
            return subproject
    raise not_found(f"No subproject has the ID {subproject_id!r}.")


# --- POST /v1/projects/{parentProjectId}/subprojects -----------------------------------


def create(request, parent_id):
    body = parse_body(request, CreateSubproject, ignore=READ_ONLY_FIELDS)
    if request.principal.project.is_subproject:
        raise failed_precondition(
            "A subproject's key cannot create subprojects: use the parent project's key."
        )
    parent = _parent_in_scope(request, parent_id)
    if parent is None:
        raise failed_precondition(NO_PARENT)
    if parent.is_subproject:
        raise failed_precondition(
            "A subproject cannot have subprojects: use a top-level project as the parent."
        )
    if parent.is_removed:
        raise failed_precondition("The parent project has been removed.")

    def make():
        try:
            subproject = services.subproject_create(
                parent=parent, name=body.displayName, labels=body.labels
            )
        except ValidationError as e:
            raise _service_error(e) from None
        return subproject.public_id

    key = request.headers.get("Idempotency-Key")
    if key is None:
        public_id = make()
    else:
        public_id = idempotency.run_once(
            scope=request.principal.key.project_id,
            key=key,
            fingerprint=[parent.public_id, body.model_dump()],
            action=make,
        )
    subproject = Project.objects.filter(public_id=public_id).first()
    if subproject is None:  # an operator deleted it since the first request
        raise not_found("The subproject this Idempotency-Key created no longer exists.")
    return json_response(render(subproject, parent.public_id))


# --- GET /v1/projects/{parentProjectId}/subprojects ------------------------------------


def _show_deleted(request) -> bool:
    raw = request.GET.get("showDeleted", "false").lower()
    if raw not in ("true", "false"):
        raise invalid_argument("showDeleted must be true or false.")
    return raw == "true"


def _position(token_position) -> tuple[datetime, str]:
    """The (created_at, public_id) a signed token carries; the signature vouches for it."""
    try:
        created, public_id = token_position
        return datetime.fromisoformat(created), str(public_id)
    except (TypeError, ValueError):
        raise invalid_argument(
            "pageToken is not valid: use the nextPageToken of a response."
        ) from None


def list_(request, parent_id):
    size = page_size(request)
    show_deleted = _show_deleted(request)
    parent = _parent_in_scope(request, parent_id)
    if parent is None or parent.is_subproject:
        raise permission_denied(
            "The caller cannot list subprojects of this project, or it does not exist."
        )
    # Bound to the parent and the filter, so a token cannot be replayed on another list.
    context = f"subprojects:{parent.public_id}:{int(show_deleted)}"
    rows = Project.objects.filter(parent_id=parent.pk)
    if not show_deleted:
        rows = rows.alive()
    token = read_page_token(request, context)
    if token is not None:
        created, public_id = _position(token)
        # Keyset on the project_children index, newest first. The `created_at <=` bound
        # lets the database seek in the index; the OR breaks ties on equal times.
        rows = rows.filter(created_at__lte=created).filter(
            Q(created_at__lt=created) | Q(public_id__lt=public_id)
        )
    page = list(
        rows.order_by("-created_at", "-public_id").only(
            "public_id", "name", "labels", "created_at", "updated_at", "removed_at"
        )[: size + 1]
    )
    next_token = ""
    if len(page) > size:
        page = page[:size]
        last = page[-1]
        next_token = make_page_token(context, [last.created_at.isoformat(), last.public_id])
    return json_response(
        {
            "subprojects": [render(row, parent.public_id) for row in page],
            "nextPageToken": next_token,
        }
    )


# --- GET, PATCH, DELETE /v1/subprojects/{subprojectId} ---------------------------------


def retrieve(request, subproject_id):
    subproject = _subproject_in_scope(request, subproject_id)
    return json_response(render(subproject, subproject.parent.public_id))


def update(request, subproject_id):
    body = parse_body(request, UpdateSubproject, ignore=READ_ONLY_FIELDS)
    subproject = _subproject_in_scope(request, subproject_id)
    if subproject.is_removed:
        raise failed_precondition(
            "This subproject has been deleted; restore it in the dashboard before changing it."
        )
    if body.displayName is not None or body.labels is not None:
        try:
            services.project_update(project=subproject, name=body.displayName, labels=body.labels)
        except ValidationError as e:
            raise _service_error(e) from None
    return json_response(render(subproject, subproject.parent.public_id))


def delete(request, subproject_id):
    subproject = _subproject_in_scope(request, subproject_id)
    if request.principal.project.pk == subproject.pk:
        # Removing is the parent's decision (the customer left); a subproject's own key,
        # often in the customer's hands, must not be able to end the subproject.
        raise permission_denied(
            "A subproject's own key cannot delete it: use the parent project's key."
        )
    services.subproject_remove(subproject=subproject)
    return json_response({})


urlpatterns = [
    path("openapi.json", openapi_json, name="api_openapi"),
    path(
        "v1/projects/<str:parent_id>/subprojects",
        api_view(get=list_, post=create),
        name="api_subprojects",
    ),
    path(
        "v1/subprojects/<str:subproject_id>",
        api_view(get=retrieve, patch=update, delete=delete),
        name="api_subproject",
    ),
]

"""Access Keys API: /api/v1/projects/{projectId}/accessKeys[/{accessKeyId}].

Shapes and status codes follow contracts/sinch-access-keys-api-openapi.yaml. Writes go
through projects.services like everywhere else.

Scope: a key acts on its own project and, for a top-level project's key, that project's
subprojects. A projectId out of scope (or unknown, or removed) gets the same answer as
a nonexistent one: 403 PERMISSION_DENIED on the list and create endpoints (the contract
documents no 404 there), 404 NOT_FOUND on a single key.

Deleting a key revokes it (the row stays, so that audits can still name it); a revoked
key is gone for the API: it is not listed and its ID answers 404.
"""

from django.core.exceptions import ValidationError
from django.urls import path
from django.views.decorators.debug import sensitive_variables
from pydantic import BaseModel, ConfigDict

from projects import services
from projects.ids import looks_like_public_id
from projects.key_secrets import is_well_formed_key_id
from projects.models import AccessKey, Project

from .base import (
    api_view,
    json_response,
    make_page_token,
    page_size,
    parse_body,
    read_page_token,
    timestamp,
    validation_message,
)
from .errors import (
    already_exists,
    failed_precondition,
    invalid_argument,
    not_found,
    permission_denied,
)

# The query parameter that confirms deleting the very key the request is made with when
# it is its project's last active key (otherwise the caller would lock itself out).
ALLOW_SELF_DELETE = "allowSelfDelete"


class AccessKeyBody(BaseModel):
    """CreateAccessKey and UpdateAccessKey: one required field, nothing else."""

    model_config = ConfigDict(extra="forbid")

    displayName: str  # the contract's camelCase name


def serialize(key: AccessKey, project: Project) -> dict:
    return {
        "accessKeyId": key.key_id,
        "displayName": key.display_name,
        "projectId": project.public_id,
        "createTime": timestamp(key.created_at),
        "updateTime": timestamp(key.updated_at),
    }


def _project_in_scope(request, project_id: str) -> Project | None:
    """The alive project with this ID if the caller's key reaches it, else None."""
    if not looks_like_public_id(project_id):
        return None
    own = request.principal.project
    if own.public_id == project_id:  # the common case costs no query
        return own
    return request.principal.reachable_projects().filter(public_id=project_id).first()


def _out_of_scope():
    return permission_denied("The project does not exist or your access key cannot act on it.")


def _key_in_scope(request, project_id: str, key_id: str) -> tuple[Project, AccessKey]:
    """The project and its (not revoked) key, or 404 NOT_FOUND for anything else."""
    project = _project_in_scope(request, project_id)
    if project is None or not is_well_formed_key_id(key_id):
        raise not_found("No access key with this ID in this project.")
    key = AccessKey.objects.filter(project=project, key_id=key_id, revoked_at__isnull=True).first()
    if key is None:
        raise not_found("No access key with this ID in this project.")
    return project, key


def _service_error(error: ValidationError):
    """The contract's answer to a refusal from projects.services."""
    message = validation_message(error)
    if hasattr(error, "error_dict"):  # a field of the key: the name is the only one here
        return invalid_argument(f"displayName: {message}")
    codes = {e.code for e in error.error_list}
    if services.ALREADY_EXISTS in codes:
        return already_exists(message)
    if services.LIMIT_REACHED in codes:
        return failed_precondition(message)
    return invalid_argument(message)


def list_keys(request, project_id):
    project = _project_in_scope(request, project_id)
    if project is None:
        raise _out_of_scope()
    size = page_size(request)
    context = f"accessKeys:{project.public_id}"
    keys = AccessKey.objects.filter(project=project, revoked_at__isnull=True).order_by(
        "created_at", "key_id"
    )
    after = read_page_token(request, context)
    if after is not None:
        try:
            created, key_id = after
            keys = keys.filter(created_at__gte=created).exclude(
                created_at=created, key_id__lte=key_id
            )
        except (TypeError, ValueError, ValidationError):
            raise invalid_argument(
                "pageToken is not valid: use the nextPageToken of a response."
            ) from None
    page = list(keys[: size + 1])
    next_token = ""
    if len(page) > size:
        page = page[:size]
        last = page[-1]
        next_token = make_page_token(context, [last.created_at.isoformat(), last.key_id])
    return json_response(
        {"accessKeys": [serialize(k, project) for k in page], "nextPageToken": next_token}
    )


@sensitive_variables("secret")
def create_key(request, project_id):
    project = _project_in_scope(request, project_id)
    if project is None:
        raise _out_of_scope()
    body = parse_body(request, AccessKeyBody)
    try:
        key, secret = services.access_key_create(project=project, display_name=body.displayName)
    except ValidationError as e:
        raise _service_error(e) from None
    return json_response({"accessKey": serialize(key, project), "secret": secret})


def get_key(request, project_id, key_id):
    project, key = _key_in_scope(request, project_id, key_id)
    return json_response(serialize(key, project))


def update_key(request, project_id, key_id):
    project, key = _key_in_scope(request, project_id, key_id)
    body = parse_body(request, AccessKeyBody)
    try:
        key = services.access_key_rename(key=key, display_name=body.displayName)
    except ValidationError as e:
        raise _service_error(e) from None
    return json_response(serialize(key, project))


def delete_key(request, project_id, key_id):
    project, key = _key_in_scope(request, project_id, key_id)
    if key.pk == request.principal.key.pk and request.GET.get(ALLOW_SELF_DELETE) != "true":
        others = project.access_keys.active().exclude(pk=key.pk)
        if not others.exists():
            raise failed_precondition(
                "This is the key you are calling with and the last active key of its "
                "project: deleting it would leave you without API access. Create another "
                f"key first, or repeat the request with ?{ALLOW_SELF_DELETE}=true to "
                "delete it anyway."
            )
    services.access_key_revoke(key=key)
    return json_response({})


urlpatterns = [
    path(
        "v1/projects/<str:project_id>/accessKeys",
        api_view(get=list_keys, post=create_key),
        name="api_access_keys",
    ),
    path(
        "v1/projects/<str:project_id>/accessKeys/<str:key_id>",
        api_view(get=get_key, patch=update_key, delete=delete_key),
        name="api_access_key",
    ),
]

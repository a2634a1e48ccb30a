"""Access Keys API: /api/v1/projects/{projectId}/accessKeys[/{accessKeyId}].

Shapes and status codes follow contracts/sinch-access-keys-api-openapi.yaml. Writes go
through projects.services like everywhere else; their refusals are answered by api_view
(errors.from_service_error).

Scope (projects.api.auth.Principal): a key acts on its own project and, for a top-level
project's key, that project's subprojects. A projectId out of scope (or unknown, or
removed) gets the same answer as a nonexistent one: 403 PERMISSION_DENIED on the list and
create endpoints (the contract documents no 404 there), 404 NOT_FOUND on a single key.

Deleting a key revokes it (the row stays, so that audits can still name it); a revoked
key is gone for the API: it is not listed and its ID answers 404.
"""

from django.views.decorators.debug import sensitive_variables

from core.api.bodies import parse_body
from core.api.errors import failed_precondition, not_found, permission_denied
from core.api.pagination import keyset_page
from core.api.views import json_response
from core.credentials import is_well_formed_key_id
from core.times import timestamp
from projects import activity, scopes, services
from projects.models import AccessKey, Project

from .bodies import CreateAccessKey, UpdateAccessKey

# The query parameter that confirms deleting the very key the request is made with when
# it is its project's last active key (otherwise the caller would lock itself out).
ALLOW_SELF_DELETE = "allowSelfDelete"


def serialize_access_key(key: AccessKey, project: Project) -> dict:
    data = {
        "accessKeyId": key.key_id,
        "displayName": key.display_name,
        "projectId": project.public_id,
        "createTime": timestamp(key.created_at),
        "updateTime": timestamp(key.updated_at),
    }
    # An addition to the contract, only for scoped keys: a key that may do everything
    # is answered exactly as the contract says.
    if key.scope != scopes.EVERYTHING:
        data["permissions"] = scopes.as_list(key.scope)
    # Additions: the key's activity (projects.activity), recorded every few minutes.
    data["lastUseTime"] = timestamp(key.last_used_at) if key.last_used_at else None
    data["lastUseAddress"] = key.last_used_from
    data["requestsLast30Days"] = getattr(key, "requests_30d", 0)
    return data


def _listed(project):
    return (
        AccessKey.objects.listed()
        .filter(project=project)
        .annotate(requests_30d=activity.requests_in_window())
    )


def _project(request, project_id: str) -> Project:
    return request.principal.get_project(
        project_id,
        or_else=permission_denied(
            "The project does not exist or your access key cannot act on it."
        ),
    )


def _access_key(request, project_id: str, key_id: str) -> tuple[Project, AccessKey]:
    """The project and its (not revoked) key, or 404 NOT_FOUND for anything else."""
    missing = not_found("No access key with this ID in this project.")
    project = request.principal.get_project(project_id, or_else=missing)
    key = None
    if is_well_formed_key_id(key_id):
        key = _listed(project).filter(key_id=key_id).first()
    if key is None:
        raise missing
    return project, key


def list_access_keys(request, project_id):
    project = _project(request, project_id)
    keys = _listed(project)
    page, next_token = keyset_page(
        request, keys, context=f"accessKeys:{project.public_id}", order=("created_at", "key_id")
    )
    return json_response(
        {
            "accessKeys": [serialize_access_key(key, project) for key in page],
            "nextPageToken": next_token,
        }
    )


@sensitive_variables("secret")
def create_access_key(request, project_id):
    project = _project(request, project_id)
    body = parse_body(request, CreateAccessKey)
    key, secret = services.access_key_create(
        project=project,
        display_name=body.displayName,
        actor=request.actor,
        permissions=body.permissions,
        within=request.principal.key.scope,  # never broader than the calling key
    )
    return json_response({"accessKey": serialize_access_key(key, project), "secret": secret})


def get_access_key(request, project_id, key_id):
    project, key = _access_key(request, project_id, key_id)
    return json_response(serialize_access_key(key, project))


def update_access_key(request, project_id, key_id):
    project, key = _access_key(request, project_id, key_id)
    body = parse_body(request, UpdateAccessKey)
    key = services.access_key_rename(key=key, display_name=body.displayName, actor=request.actor)
    return json_response(serialize_access_key(key, project))


def delete_access_key(request, project_id, key_id):
    project, key = _access_key(request, project_id, key_id)
    if key.pk == request.principal.key.pk and request.GET.get(ALLOW_SELF_DELETE) != "true":
        others = project.access_keys.active().exclude(pk=key.pk)
        if not others.exists():
            raise failed_precondition(
                "This is the key you are calling with and the last active key of its "
                "project: deleting it would leave you without API access. Create another "
                f"key first, or repeat the request with ?{ALLOW_SELF_DELETE}=true to "
                "delete it anyway."
            )
    services.access_key_revoke(key=key, actor=request.actor)
    return json_response({})

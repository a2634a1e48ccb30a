"""Who reaches a project's webhook endpoints in the dashboard: those who may open the
top-level project (account admins, members and viewers granted it) read them; the
account's admins manage them (create, change, enable, rotate, replay, test, delete).
A subproject has none: its URL, like an outsider's or a customer login's, is 404. The
API's twin is the parent key's (webhooks.api.views._parent)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Role
from core.ids import looks_like_public_id
from projects.access import get_project_for_user
from projects.models import Project

from .models import Endpoint


def can_manage(project: Project) -> bool:
    """Whether the user `project` was loaded for manages its endpoints: its admins."""
    return getattr(project, "user_role", None) == Role.ADMIN


def get_parent_for_user(user, public_id: str, *, manage: bool = False) -> Project:
    """The top-level project if `user` may see it (else 404); with `manage`, 403 unless
    they manage its endpoints."""
    project = get_project_for_user(user, public_id)
    if project.is_subproject:
        raise Http404("Webhook endpoints belong to the top-level project.")
    if manage and not can_manage(project):
        raise PermissionDenied("Only the account's admins manage webhook endpoints.")
    return project


def get_endpoint(project: Project, endpoint_id: str) -> Endpoint:
    endpoint = None
    if looks_like_public_id(endpoint_id):
        endpoint = Endpoint.objects.filter(project=project, public_id=endpoint_id).first()
    if endpoint is None:
        raise Http404("No webhook endpoint with this ID in this project.")
    endpoint.project = project
    return endpoint

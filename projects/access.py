"""Who may reach which project, for the dashboard.

One helper per need, as in healthchecks: outsiders get 404 (never a hint that the
project exists), read-only members get 403 when they try to change something. The
API's twin is projects.api.auth.Principal.get_project.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Role
from core.ids import looks_like_public_id

from .models import Project


def get_project_for_user(user, public_id: str, *, include_removed: bool = False) -> Project:
    """The project with this Project ID if `user` may see it, else 404.

    One query. The result carries `user_role` (admin, member or viewer) and
    `parent_visible` (whether the user may open its parent) for templates and checks.
    """
    if not looks_like_public_id(public_id):
        raise Http404("No such project.")
    projects = Project.objects.visible_to(user).with_access_of(user).select_related("parent")
    if not include_removed:
        projects = projects.alive()
    try:
        return projects.get(public_id=public_id)
    except Project.DoesNotExist:
        raise Http404("No such project.") from None


def get_project_for_write(user, public_id: str, **kwargs) -> Project:
    """As get_project_for_user, and 403 for viewers, who never change anything."""
    project = get_project_for_user(user, public_id, **kwargs)
    if not can_write(project):
        raise PermissionDenied("Viewers cannot change projects.")
    return project


def can_write(project: Project) -> bool:
    """Whether the user `project` was fetched for may change it (Role.can_write)."""
    return Role.can_write(getattr(project, "user_role", None))


def can_suspend(project: Project) -> bool:
    """Whether that user may suspend and resume it: account admins any project of their
    account; members a subproject of a project they are granted (an ASP pausing one of
    its customers), not a project of their own. Viewers never. The platform's
    suspensions are the service's rule (projects.services.project_suspend)."""
    role = getattr(project, "user_role", None)
    if role == Role.ADMIN:
        return True
    return (
        role == Role.MEMBER and project.is_subproject and getattr(project, "parent_visible", False)
    )

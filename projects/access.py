"""Who may reach which project, for the dashboard.

One helper per need, as in healthchecks: outsiders get 404 (never a hint that the
project exists), read-only members get 403 when they try to change something. The
API's twin is projects.api.auth.Principal.get_project.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404

from accounts.models import Membership, Role
from core.ids import looks_like_public_id

from .models import Project, ProjectGrant, decides, sees


def get_project_for_user(user, public_id: str, *, include_removed: bool = False) -> Project:
    """The project with this Project ID if `user` may see it, else 404.

    One query, on the unique public_id index: the project, its parent, the user's role
    in its account and whether the user is granted it or its parent; who may see it is
    then decided by the rule itself (projects.models.sees) on those facts, as
    ProjectQuerySet.visible_to decides it in SQL. The result carries `user_role`
    (admin, member or viewer) and `parent_visible` (whether the user may open its
    parent) for templates and checks. Only projects of the user's current account are
    found.
    """
    if not looks_like_public_id(public_id) or not user.is_authenticated:
        raise Http404("No such project.")
    grants = ProjectGrant.objects.filter(membership__user=user)
    role = Membership.objects.filter(account_id=OuterRef("account_id"), user=user)
    projects = Project.objects.select_related("parent").annotate(
        user_role=Subquery(role.values("role")[:1]),
        granted=Exists(grants.filter(project_id=OuterRef("pk"))),
        parent_granted=Exists(grants.filter(project_id=OuterRef("parent_id"))),
    )
    if not include_removed:
        projects = projects.alive()
    try:
        # Only in the user's current account (accounts.current): a project of another
        # account of theirs is not found while they are in this one.
        project = projects.get(public_id=public_id, account_id=user.current_account_id)
    except Project.DoesNotExist:
        raise Http404("No such project.") from None
    admin = project.user_role == Role.ADMIN
    if not sees(admin=admin, granted=project.granted, parent_granted=project.parent_granted):
        raise Http404("No such project.")
    # Whether they see the parent, by the same rule: same account, and it is top-level
    # (no parent of its own). A customer granted only a subproject sees its parent's
    # name, and no link to it.
    project.parent_visible = project.parent_id is not None and sees(
        admin=admin, granted=project.parent_granted, parent_granted=False
    )
    return project


def get_project_for_write(user, public_id: str, **kwargs) -> Project:
    """As get_project_for_user, and 403 for viewers, who never change anything."""
    project = get_project_for_user(user, public_id, **kwargs)
    if not can_write(project):
        raise PermissionDenied("Viewers cannot change projects.")
    return project


def can_write(project: Project) -> bool:
    """Whether the user `project` was fetched for may change it (Role.can_write)."""
    return Role.can_write(getattr(project, "user_role", None))


def can_decide(project: Project) -> bool:
    """Whether the user `project` was fetched for may remove, restore, suspend and
    resume it (projects.models.decides): account admins any project of their account;
    members a subproject of a project they are granted, not a project of their own;
    never viewers, nor a customer granted only the subproject. The platform's
    suspensions are the service's rule (projects.services.project_suspend)."""
    return decides(
        role=getattr(project, "user_role", None),
        is_subproject=project.is_subproject,
        parent_granted=bool(getattr(project, "parent_granted", False)),
    )


def get_project_to_decide(user, public_id: str, **kwargs) -> Project:
    """As get_project_for_write, and 403 for those who do not decide its existence
    and suspension (can_decide)."""
    project = get_project_for_write(user, public_id, **kwargs)
    if not can_decide(project):
        raise PermissionDenied(
            "Only account admins, and members of its parent project, remove, restore, "
            "suspend or resume a subproject."
        )
    return project

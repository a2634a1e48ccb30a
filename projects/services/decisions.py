"""Who decides a project's existence and suspension: the services' own check, so that
every interface (dashboard, API, anything added later) answers the same.

Removing, restoring, suspending and resuming a subproject are its parent's decisions
(the customer left or did not pay): a customer's login granted only the subproject, and
the subproject's own key (often in the customer's hands), may use it but never make
them. The rule for users is projects.models.decides; a key decides for the subprojects
of its own project. The platform (operators, commands, its services) decides for all.
"""

from django.db.models import Exists, OuterRef

from accounts.models import Membership
from core.actors import Actor, Kind, Source
from core.errors import NotAllowed
from projects.models import AccessKey, Project, ProjectGrant, decides


def is_platform(actor: Actor) -> bool:
    """Whether `actor` acts for the platform (operators in the admin, commands,
    maintenance, the platform's services) rather than for a customer."""
    return actor.source in (Source.ADMIN, Source.COMMAND, Source.INTERNAL) or (
        actor.kind == Kind.PLATFORM_TOKEN
    )


def may_decide(actor: Actor, *, account_id: int, parent_id: int | None) -> bool:
    """Whether `actor` decides for a project of this account whose parent is
    `parent_id` (None: a top-level project). One query for a user or a key, none for
    the platform."""
    if is_platform(actor):
        return True
    if actor.kind == Kind.USER:
        granted = ProjectGrant.objects.filter(membership=OuterRef("pk"), project_id=parent_id)
        facts = (
            Membership.objects.filter(account_id=account_id, user_id=actor.id)
            .annotate(parent_granted=Exists(granted))
            .values_list("role", "parent_granted")
            .first()
        )
        return facts is not None and decides(
            role=facts[0], is_subproject=parent_id is not None, parent_granted=facts[1]
        )
    if actor.kind == Kind.ACCESS_KEY:
        return (
            parent_id is not None
            and AccessKey.objects.filter(key_id=actor.id, project_id=parent_id).exists()
        )
    return False


def require_decider(project: Project, actor: Actor) -> None:
    """NotAllowed unless `actor` decides for `project` (may_decide)."""
    if not may_decide(actor, account_id=project.account_id, parent_id=project.parent_id):
        raise NotAllowed(
            "Removing, restoring, suspending and resuming a subproject are decisions of "
            "its parent project's admins and members (or its key)."
        )

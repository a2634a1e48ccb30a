"""Creating and changing a project or subproject's name and labels, and a user's
dismissed reminders."""

from django.db import transaction

from accounts.models import Account
from audit.actions import project_action
from core.actors import SYSTEM, Actor
from core.errors import InvalidParent, WrongState
from projects.models import Project, ReminderDismissal

from .rows import commit, insert, locked_project, validated


@transaction.atomic
def project_create(*, account: Account, name: str, labels=None, actor: Actor = SYSTEM) -> Project:
    project = Project(account=account, name=name, labels=labels or {}, created_by=actor.user)
    return insert(project, actor, "project.create", ("name", "labels"))


@transaction.atomic
def project_update(*, project: Project, name=None, labels=None, actor: Actor = SYSTEM) -> Project:
    """Rename a project and/or replace its labels; None leaves a field as it is.

    `project` is updated in place with what was saved.
    """
    stored = locked_project(project.pk)
    if project.parent_id != stored.parent_id:
        raise InvalidParent("The parent of a project cannot be changed.")
    if stored.removed_at is not None:
        raise WrongState("This subproject has been removed: restore it before changing it.")
    before = {"name": stored.name, "labels": stored.labels}
    if name is not None:
        stored.name = name
    if labels is not None:
        stored.labels = labels
    if name is not None or labels is not None:
        validated(stored)  # cleans the values (trimmed name…) before they are compared
    return commit(
        stored,
        project,
        actor,
        lambda changes: project_action(stored, _update_verb(changes)),
        before,
    )


@transaction.atomic
def project_customers_see(
    *, project: Project, labels: bool | None = None, bills: bool | None = None, actor=SYSTEM
) -> Project:
    """What a top-level project's ASP shows its customers of their subprojects (their
    labels, their bill: projects.customers); None leaves one as it is. Audited."""
    if project.parent_id is not None:
        raise InvalidParent("What customers see is set on the top-level project.")
    stored = locked_project(project.pk)
    before = {
        "customers_see_labels": stored.customers_see_labels,
        "customers_see_bills": stored.customers_see_bills,
    }
    if labels is not None:
        stored.customers_see_labels = bool(labels)
    if bills is not None:
        stored.customers_see_bills = bool(bills)
    return commit(stored, project, actor, "project.customers_see", before)


def _update_verb(changes: dict) -> str:
    if len(changes) > 1:
        return "update"
    return "rename" if "name" in changes else "relabel"


def reminder_dismiss(*, user, project: Project, reminder: str) -> None:
    """Stop showing `reminder` about `project` to `user` (dismissing twice is fine).
    Not an audited change: it alters nothing anyone else sees."""
    ReminderDismissal.objects.get_or_create(user=user, project=project, reminder=reminder)

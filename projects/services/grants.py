"""Grants: which projects a member or viewer of an account may reach."""

from django.db import transaction

from accounts.models import Account, Membership
from accounts.services import locked_membership
from audit import trail
from core.actors import SYSTEM, Actor
from core.errors import InvalidValue, WrongState
from projects.models import Project, ProjectGrant

from .rows import locked_project


@transaction.atomic
def grant_set(*, membership: Membership, project: Project, actor: Actor = SYSTEM) -> ProjectGrant:
    """Give a member or viewer a project (and its subprojects) or one subproject; a
    grant that exists is left as it is."""
    project = locked_project(project.pk)
    if membership.account_id != project.account_id:
        raise InvalidValue(
            "The project belongs to another account than the membership.", field="project"
        )
    grant, made = ProjectGrant.objects.get_or_create(membership=membership, project=project)
    if made:
        trail.record(
            actor, "grant.create", project=project, changes=trail.created(_grant_fields(membership))
        )
    return grant


@transaction.atomic
def grant_remove(*, grant: ProjectGrant, actor: Actor = SYSTEM) -> None:
    """Withdraw a grant: the member no longer reaches that project (removing a grant
    that is already gone changes nothing)."""
    project = locked_project(grant.project_id)
    membership = Membership.objects.select_related("user").get(pk=grant.membership_id)
    deleted, _ = ProjectGrant.objects.filter(pk=grant.pk).delete()
    if deleted:
        changes = trail.deleted(_grant_fields(membership))
        trail.record(actor, "grant.remove", project=project, changes=changes)


def check_grantable(account: Account, projects) -> None:
    """Refuse any project that is not an alive project of `account` (InvalidValue on
    `projects`): what a member may be granted, now or by an invitation."""
    for project in projects:
        if project.account_id != account.pk or project.removed_at is not None:
            raise InvalidValue(
                f"“{project.name}” is not a project of this account.", field="projects"
            )


@transaction.atomic
def membership_grants_set(*, membership: Membership, projects, actor: Actor = SYSTEM) -> Membership:
    """Make `projects` (of the membership's account) the projects a member or viewer
    is granted: grants are added and withdrawn to match, each with its own entry
    (grant_set / grant_remove). Grants on removed subprojects are left alone: they
    apply again if the subproject is restored."""
    stored = locked_membership(pk=membership.pk)
    if stored is None:
        raise WrongState("This person is no longer a member of the account.")
    wanted = {project.pk: project for project in projects}
    check_grantable(stored.account, wanted.values())
    current = {
        grant.project_id: grant
        for grant in stored.grants.filter(project__removed_at__isnull=True).select_related(
            "project"
        )
    }
    for pk in sorted(wanted.keys() - current.keys()):
        grant_set(membership=stored, project=wanted[pk], actor=actor)
    for pk in sorted(current.keys() - wanted.keys()):
        grant_remove(grant=current[pk], actor=actor)
    return stored


def _grant_fields(membership: Membership) -> dict:
    return {"user": membership.user.email, "role": membership.role}

"""Suspending and resuming a project or subproject, by a customer or by the platform."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.actions import project_action
from core.actors import SYSTEM, Actor
from core.errors import InvalidValue, NotAllowed, WrongState
from core.validation import clean_display_name
from projects.models import Project

from .decisions import is_platform, require_decider
from .rows import commit, locked_project


def _clean_reason(reason) -> str:
    try:
        return clean_display_name(reason if reason is not None else "", what="Reason")
    except ValidationError as error:
        raise InvalidValue(error.message, field="reason") from None


@transaction.atomic
def project_suspend(*, project: Project, reason: str, actor: Actor = SYSTEM) -> Project:
    """Suspend a project or subproject: its access keys (and a top-level project's
    subprojects' keys) are refused until it is resumed. Its data and usage stay.

    A reason is required. Suspending by the platform (is_platform) cannot be lifted by a
    customer; a customer suspending a project the platform has suspended is refused, and
    the platform suspending a customer's suspension takes it over. Suspending a
    suspended project again changes only its reason. Who may suspend what in the
    dashboard and the API is the one rule of projects.services.decisions (NotAllowed).
    `project` is updated in place.
    """
    reason = _clean_reason(reason)
    require_decider(project, actor)
    stored = locked_project(project.pk)
    if stored.removed_at is not None:
        raise WrongState("This subproject has been removed: restore it before suspending it.")
    by_platform = is_platform(actor)
    if stored.suspended_by_platform and not by_platform:
        raise NotAllowed(
            "This project was suspended by the platform; only the platform can change "
            "that. Contact support."
        )
    before = _suspension_fields(stored)
    if stored.suspended_at is None:
        stored.suspended_at = timezone.now()
    stored.suspend_reason = reason
    stored.suspended_by_platform = stored.suspended_by_platform or by_platform
    return commit(stored, project, actor, project_action(stored, "suspend"), before)


@transaction.atomic
def project_resume(*, project: Project, actor: Actor = SYSTEM) -> Project:
    """Lift a suspension; customers cannot lift the platform's. Resuming a project that
    is not suspended changes nothing. `project` is updated in place."""
    require_decider(project, actor)
    stored = locked_project(project.pk)
    before = _suspension_fields(stored)
    if stored.suspended_by_platform and not is_platform(actor):
        raise NotAllowed(
            "This project was suspended by the platform and only the platform can "
            "resume it. Contact support."
        )
    stored.suspended_at, stored.suspend_reason, stored.suspended_by_platform = None, "", False
    return commit(stored, project, actor, project_action(stored, "resume"), before)


def _suspension_fields(project: Project) -> dict:
    return {
        "suspended_at": project.suspended_at,
        "suspend_reason": project.suspend_reason,
        "suspended_by_platform": project.suspended_by_platform,
    }

"""Writes to projects and subprojects.

The dashboard views, the API, the admin and the management commands all call these
functions, so each rule (one level only, same account, valid names, removal and
restore) is enforced in one place. Each raises django.core.exceptions.ValidationError
with messages meant for the person who made the request.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from accounts.models import Account

from . import key_secrets
from .models import AccessKey, Project, Subproject

# ValidationError codes that callers map to their own answers (the API: 409 and 400
# FAILED_PRECONDITION; everything else is a plain invalid argument).
ALREADY_EXISTS = "already_exists"
LIMIT_REACHED = "limit_reached"


def _save_new(project: Project) -> Project:
    project.full_clean(exclude=["created_by"])
    project.save()
    return project


@transaction.atomic
def project_create(*, account: Account, name: str, labels=None, actor=None) -> Project:
    return _save_new(Project(account=account, name=name, labels=labels or {}, created_by=actor))


@transaction.atomic
def subproject_create(*, parent: Project, name: str, labels=None, actor=None) -> Subproject:
    """Create a subproject of a top-level project, in the parent's account."""
    # Lock the parent so that a concurrent removal cannot slip in between the check
    # and the insert (SQLite serialises writers anyway).
    parent = (Project.objects.select_for_update(of=("self",)).select_related("parent")).get(
        pk=parent.pk
    )
    project = _save_new(
        Subproject(
            account_id=parent.account_id,
            parent=parent,
            name=name,
            labels=labels or {},
            created_by=actor,
        )
    )
    return project


@transaction.atomic
def project_update(*, project: Project, name=None, labels=None, actor=None) -> Project:
    """Rename a project and/or replace its labels; None leaves a field as it is."""
    if name is not None:
        project.name = name
    if labels is not None:
        project.labels = labels
    project.full_clean(exclude=["created_by"])
    project.save(update_fields=["name", "labels", "updated_at"])
    return project


def _require_subproject(project: Project) -> None:
    if project.parent_id is None:
        raise ValidationError("Only subprojects can be removed or restored.", code="top_level")


@transaction.atomic
def subproject_remove(*, subproject: Project, actor=None) -> Project:
    """Remove a subproject (its customer left).

    It disappears from lists and its access keys stop working on the next request
    (authentication checks the project's state); it can be restored for
    SUBPROJECT_RESTORE_DAYS days, then `purge_removed_subprojects` deletes it.
    """
    _require_subproject(subproject)
    if subproject.removed_at is None:
        subproject.removed_at = timezone.now()
        subproject.save(update_fields=["removed_at", "updated_at"])
    return subproject


def restore_deadline(subproject: Project):
    return subproject.removed_at + timedelta(days=settings.SUBPROJECT_RESTORE_DAYS)


@transaction.atomic
def subproject_restore(*, subproject: Project, actor=None) -> Project:
    _require_subproject(subproject)
    if subproject.removed_at is None:
        return subproject
    if timezone.now() >= restore_deadline(subproject):
        raise ValidationError(
            f"This subproject was removed more than {settings.SUBPROJECT_RESTORE_DAYS} "
            "days ago and can no longer be restored.",
            code="expired",
        )
    subproject.removed_at = None
    subproject.save(update_fields=["removed_at", "updated_at"])
    return subproject


def purge_removed_subprojects(*, now=None) -> int:
    """Delete subprojects removed more than SUBPROJECT_RESTORE_DAYS days ago."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SUBPROJECT_RESTORE_DAYS)
    expired = Subproject.objects.filter(removed_at__lte=cutoff)
    count = expired.count()
    expired.delete()
    return count


@sensitive_variables("secret")
@transaction.atomic
def access_key_create(
    *, project: Project, display_name: str, actor=None, expires_at=None
) -> tuple[AccessKey, str]:
    """Create a key and return it with its secret, which exists nowhere else afterwards.

    At most ACCESS_KEYS_PER_PROJECT active keys per project; names unique among a
    project's keys that are not revoked. `expires_at`, if given, must be in the future:
    a key born expired would count as created yet never work.
    """
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(
            {"expires_at": ValidationError("The expiry must be in the future.", code="past")}
        )
    # The project row lock serialises concurrent creations, so neither the limit nor
    # the unique name can be raced past.
    project = Project.objects.select_for_update(of=("self",)).get(pk=project.pk)
    if project.removed_at is not None:
        raise ValidationError("This project has been removed.", code="removed")
    limit = settings.ACCESS_KEYS_PER_PROJECT
    if project.access_keys.active().count() >= limit:
        raise ValidationError(
            f"This project already has {limit} active access keys, the most it can "
            "have. Revoke one you no longer use, then create the new one.",
            code=LIMIT_REACHED,
        )
    secret = key_secrets.new_secret()
    key = AccessKey(
        project=project,
        key_id=key_secrets.new_key_id(),
        display_name=display_name,
        secret_hash=key_secrets.hash_secret(secret),
        created_by=actor,
        expires_at=expires_at,
    )
    _check_key(key)
    key.save()
    return key, secret


def _check_key(key: AccessKey) -> None:
    """full_clean(), with a taken name raised on its own so callers can answer 409."""
    try:
        key.full_clean(exclude=["created_by"])
    except ValidationError as e:
        for error in e.error_dict.get("__all__", []):
            if error.code == ALREADY_EXISTS:
                raise ValidationError(error.message, code=ALREADY_EXISTS) from None
        raise


@transaction.atomic
def access_key_rename(*, key: AccessKey, display_name: str, actor=None) -> AccessKey:
    Project.objects.select_for_update(of=("self",)).get(pk=key.project_id)
    key.display_name = display_name
    _check_key(key)
    key.save(update_fields=["display_name", "updated_at"])
    return key


@transaction.atomic
def access_key_revoke(*, key: AccessKey, actor=None) -> AccessKey:
    """Revoke a key: the very next request made with it, or a token from it, fails."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at", "updated_at"])
    return key

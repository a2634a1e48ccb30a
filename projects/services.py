"""Writes to projects, subprojects and access keys.

The dashboard views, the API, the admin and the management commands all call these
functions, so each rule (one level only, same account, valid names, removal and restore,
key limits) is enforced in one place. A refusal is one of core.errors' typed errors,
which each interface turns into its own answer.

Concurrency: every write locks the row it reads before deciding (SELECT … FOR UPDATE on
PostgreSQL; SQLite serialises writers) and saves only the fields it changes, so two
simultaneous requests (a rename and a relabel, say) both take effect.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from accounts.models import Account
from core.actors import SYSTEM, Actor
from core.errors import AlreadyExists, InvalidParent, InvalidValue, LimitReached, WrongState, typed
from usage.services import purged_projects_keep

from . import key_secrets
from .models import AccessKey, Project, Subproject

# The codes of the typed errors callers used to compare against; kept for them.
ALREADY_EXISTS = AlreadyExists.code
LIMIT_REACHED = LimitReached.code


def _validated(instance, *, exclude=("created_by",)):
    """Run the model's rules (full_clean), raising them as typed errors."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise typed(error) from None
    return instance


def _locked(model, pk):
    """The row, re-read under a lock held until the transaction ends."""
    return model.objects.select_for_update(of=("self",)).get(pk=pk)


@transaction.atomic
def project_create(*, account: Account, name: str, labels=None, actor: Actor = SYSTEM) -> Project:
    project = Project(account=account, name=name, labels=labels or {}, created_by=actor.user)
    _validated(project).save()
    return project


@transaction.atomic
def subproject_create(
    *, parent: Project, name: str, labels=None, actor: Actor = SYSTEM
) -> Subproject:
    """Create a subproject of a top-level project, in the parent's account."""
    # The lock on the parent keeps a concurrent removal from slipping in between the
    # check (in Project.clean) and the insert.
    parent = (
        Project.objects.select_for_update(of=("self",)).select_related("parent").get(pk=parent.pk)
    )
    subproject = Subproject(
        account_id=parent.account_id,
        parent=parent,
        name=name,
        labels=labels or {},
        created_by=actor.user,
    )
    _validated(subproject).save()
    return subproject


@transaction.atomic
def project_update(*, project: Project, name=None, labels=None, actor: Actor = SYSTEM) -> Project:
    """Rename a project and/or replace its labels; None leaves a field as it is.

    `project` is updated in place with what was saved.
    """
    stored = _locked(Project, project.pk)
    if project.parent_id != stored.parent_id:
        raise InvalidParent("The parent of a project cannot be changed.")
    if stored.removed_at is not None:
        raise WrongState("This subproject has been removed: restore it before changing it.")
    changed = []
    if name is not None:
        stored.name = name
        changed.append("name")
    if labels is not None:
        stored.labels = labels
        changed.append("labels")
    if changed:
        _validated(stored)
        stored.save(update_fields=[*changed, "updated_at"])
    for field in ("name", "labels", "updated_at"):
        setattr(project, field, getattr(stored, field))
    return project


def _require_subproject(project: Project) -> None:
    if project.parent_id is None:
        raise WrongState("Only subprojects can be removed or restored.")


@transaction.atomic
def subproject_remove(*, subproject: Project, actor: Actor = SYSTEM) -> Project:
    """Remove a subproject (its customer left).

    It disappears from lists and its access keys stop working on the next request
    (authentication checks the project's state); it can be restored within
    restore_window(), then `purge_removed_subprojects` deletes it.
    """
    _require_subproject(subproject)
    stored = _locked(Project, subproject.pk)
    if stored.removed_at is None:
        stored.removed_at = timezone.now()
        stored.save(update_fields=["removed_at", "updated_at"])
    subproject.removed_at, subproject.updated_at = stored.removed_at, stored.updated_at
    return subproject


@transaction.atomic
def subproject_restore(*, subproject: Project, actor: Actor = SYSTEM) -> Project:
    _require_subproject(subproject)
    stored = _locked(Project, subproject.pk)
    if stored.removed_at is None:
        return subproject
    if timezone.now() >= stored.restore_deadline:
        raise WrongState(
            f"This subproject was removed more than {settings.SUBPROJECT_RESTORE_DAYS} "
            "days ago and can no longer be restored."
        )
    stored.removed_at = None
    stored.save(update_fields=["removed_at", "updated_at"])
    subproject.removed_at, subproject.updated_at = None, stored.updated_at
    return subproject


@transaction.atomic
def purge_removed_subprojects(*, now=None, actor: Actor = SYSTEM) -> int:
    """Delete subprojects removed longer ago than the restore window, with their keys.

    Their usage stays (keyed by Project ID); a tombstone keeps their names for it.
    """
    expired = Subproject.objects.purgeable(now)
    purged_projects_keep(expired)
    count = expired.count()
    expired.delete()
    return count


@sensitive_variables("secret")
@transaction.atomic
def access_key_create(
    *, project: Project, display_name: str, actor: Actor = SYSTEM, expires_at=None
) -> tuple[AccessKey, str]:
    """Create a key and return it with its secret, which exists nowhere else afterwards.

    At most ACCESS_KEYS_PER_PROJECT active keys per project; names unique among a
    project's keys that are not revoked. `expires_at`, if given, must be in the future:
    a key born expired would count as created yet never work.
    """
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidValue("The expiry must be in the future.", field="expires_at")
    # The project row lock serialises concurrent creations, so neither the limit nor
    # the unique name can be raced past.
    project = _locked(Project, project.pk)
    if project.removed_at is not None:
        raise WrongState("This project has been removed.")
    limit = settings.ACCESS_KEYS_PER_PROJECT
    if project.access_keys.active().count() >= limit:
        raise LimitReached(
            f"This project already has {limit} active access keys, the most it can "
            "have. Revoke one you no longer use, then create the new one."
        )
    secret = key_secrets.new_secret()
    key = AccessKey(
        project=project,
        key_id=key_secrets.new_key_id(),
        display_name=display_name,
        secret_hash=key_secrets.hash_secret(secret),
        created_by=actor.user,
        expires_at=expires_at,
    )
    _validated_key(key).save()
    return key, secret


def _validated_key(key: AccessKey) -> AccessKey:
    try:
        return _validated(key)
    except AlreadyExists as error:  # the unique-name constraint names no field itself
        raise AlreadyExists(error.message, field="display_name") from None


@transaction.atomic
def access_key_rename(*, key: AccessKey, display_name: str, actor: Actor = SYSTEM) -> AccessKey:
    _locked(Project, key.project_id)  # names are unique per project: one writer at a time
    stored = _locked(AccessKey, key.pk)
    if stored.revoked_at is not None:
        raise WrongState("This access key has been revoked.")
    stored.display_name = display_name
    _validated_key(stored).save(update_fields=["display_name", "updated_at"])
    key.display_name, key.updated_at = stored.display_name, stored.updated_at
    return key


@transaction.atomic
def access_key_revoke(*, key: AccessKey, actor: Actor = SYSTEM) -> AccessKey:
    """Revoke a key: the very next request made with it, or a token from it, fails."""
    stored = _locked(AccessKey, key.pk)
    if stored.revoked_at is None:
        stored.revoked_at = timezone.now()
        stored.save(update_fields=["revoked_at", "updated_at"])
    key.revoked_at, key.updated_at = stored.revoked_at, stored.updated_at
    return key

"""Writes to projects, subprojects and access keys.

The dashboard views, the API, the admin and the management commands all call these
functions, so each rule (one level only, same account, valid names, removal and restore,
key limits) is enforced in one place. A refusal is one of core.errors' typed errors,
which each interface turns into its own answer.

Concurrency: every write locks the row it reads before deciding (SELECT … FOR UPDATE on
PostgreSQL; SQLite serialises writers) and saves only the fields it changes, so two
simultaneous requests (a rename and a relabel, say) both take effect.

Audit trail: every change writes one entry (audit.trail.record, one INSERT) in its own
transaction, after the change: both commit or neither does. A call that changes nothing
(a rename to the same name, revoking a revoked key) writes no entry. The locks read the
project's parent and account with it, which the entry names, so recording costs no
other query.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from accounts.models import Account, Membership
from accounts.services import locked_membership
from audit import trail
from audit.actions import project_action
from core import credentials
from core.actors import SYSTEM, Actor, Kind, Source
from core.errors import (
    AlreadyExists,
    InvalidParent,
    InvalidValue,
    LimitReached,
    NotAllowed,
    WrongState,
    typed,
)
from core.validation import NAME_MAX_LENGTH, clean_display_name

from .models import AccessKey, Project, ProjectGrant, ReminderDismissal, Subproject
from .signals import subprojects_purging


def _validated(instance, *, exclude=("created_by",)):
    """Run the model's rules (full_clean), raising them as typed errors."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise typed(error) from None
    return instance


def _locked(model, pk, *related):
    """The row, re-read under a lock held until the transaction ends (only this row is
    locked; `related` rows are read in the same query)."""
    rows = model.objects.select_for_update(of=("self",))
    return (rows.select_related(*related) if related else rows).get(pk=pk)


def _locked_project(pk) -> Project:
    """The project, locked, with its parent and account (which its audit entry names)."""
    return _locked(Project, pk, "parent", "account")


def _commit(stored, instance, actor: Actor, action, before: dict, *, target="project"):
    """Save what changed on the locked row `stored` since `before` (those fields and
    updated_at only) and write its audit entry, in the caller's transaction. Nothing
    changed: nothing is saved and no entry written. The caller's `instance` then shows
    the stored values of every field in `before`. `action` is the entry's action, or a
    function of the changes that names it."""
    changes = trail.diff(before, {field: getattr(stored, field) for field in before})
    if changes:
        stored.save(update_fields=[*changes, "updated_at"])
        name = action(changes) if callable(action) else action
        trail.record(actor, name, changes=changes, **{target: stored})
    for field in [*before, "updated_at"]:
        setattr(instance, field, getattr(stored, field))
    return instance


@transaction.atomic
def project_create(*, account: Account, name: str, labels=None, actor: Actor = SYSTEM) -> Project:
    project = Project(account=account, name=name, labels=labels or {}, created_by=actor.user)
    _validated(project).save()
    trail.record(
        actor,
        "project.create",
        project=project,
        changes=trail.created({"name": project.name, "labels": project.labels}),
    )
    return project


@transaction.atomic
def subproject_create(
    *, parent: Project, name: str, labels=None, actor: Actor = SYSTEM
) -> Subproject:
    """Create a subproject of a top-level project, in the parent's account."""
    # The lock on the parent keeps a concurrent removal from slipping in between the
    # check (in Project.clean) and the insert.
    parent = _locked_project(parent.pk)
    subproject = Subproject(
        account=parent.account,
        parent=parent,
        name=name,
        labels=labels or {},
        created_by=actor.user,
    )
    _validated(subproject).save()
    _count_subprojects(parent, +1)
    trail.record(
        actor,
        "subproject.create",
        project=subproject,
        changes=trail.created({"name": subproject.name, "labels": subproject.labels}),
    )
    return subproject


def _count_subprojects(parent: Project, change: int) -> None:
    """Keep `parent.subproject_count` (its subprojects that are not removed) in step, in
    the caller's transaction, which holds the parent's row lock. One UPDATE, relative,
    so it is right whatever the row said when it was read."""
    if change:
        Project.objects.filter(pk=parent.pk).update(subproject_count=F("subproject_count") + change)
        parent.subproject_count += change


@transaction.atomic
def project_update(*, project: Project, name=None, labels=None, actor: Actor = SYSTEM) -> Project:
    """Rename a project and/or replace its labels; None leaves a field as it is.

    `project` is updated in place with what was saved.
    """
    stored = _locked_project(project.pk)
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
        _validated(stored)  # cleans the values (trimmed name…) before they are compared
    return _commit(
        stored,
        project,
        actor,
        lambda changes: project_action(stored, _update_verb(changes)),
        before,
    )


def _update_verb(changes: dict) -> str:
    if len(changes) > 1:
        return "update"
    return "rename" if "name" in changes else "relabel"


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
    parent, stored = _locked_family(subproject)
    before = {"removed_at": stored.removed_at}
    if stored.removed_at is None:
        stored.removed_at = timezone.now()
        _count_subprojects(parent, -1)
    return _commit(stored, subproject, actor, "subproject.remove", before)


# Most subprojects one request may remove at once (two pages of the list).
REMOVE_MANY_LIMIT = 100


@transaction.atomic
def subprojects_remove(*, parent: Project, public_ids, actor: Actor = SYSTEM) -> list[Project]:
    """Remove several subprojects of `parent` at once (the Subprojects page's selection),
    as subproject_remove removes one: one entry each, the count kept. IDs that are not
    alive subprojects of `parent` (removed meanwhile, another parent's, unknown) are
    skipped. Returns the subprojects removed. A fixed number of queries, whatever the
    number: the lock, one UPDATE, one INSERT of the entries, the count."""
    public_ids = list(dict.fromkeys(public_ids))
    if len(public_ids) > REMOVE_MANY_LIMIT:
        raise InvalidValue(
            f"Select at most {REMOVE_MANY_LIMIT} subprojects at a time.", field="public_ids"
        )
    parent = _locked_project(parent.pk)
    if parent.parent_id is not None:
        raise WrongState("This is a subproject: it has no subprojects to remove.")
    chosen = list(
        parent.subprojects.alive()
        .filter(public_id__in=public_ids)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if not chosen:
        return []
    now = timezone.now()
    Project.objects.filter(pk__in=[sub.pk for sub in chosen]).update(removed_at=now, updated_at=now)
    events = []
    for sub in chosen:
        sub.parent, sub.account = parent, parent.account  # what the entry names
        changes = trail.diff({"removed_at": None}, {"removed_at": now})
        sub.removed_at = sub.updated_at = now
        events.append(trail.entry(actor, "subproject.remove", project=sub, changes=changes))
    trail.record_many(events)
    _count_subprojects(parent, -len(chosen))
    return chosen


@transaction.atomic
def subproject_restore(*, subproject: Project, actor: Actor = SYSTEM) -> Project:
    _require_subproject(subproject)
    parent, stored = _locked_family(subproject)
    before = {"removed_at": stored.removed_at}
    if stored.removed_at is not None and timezone.now() >= stored.restore_deadline:
        raise WrongState(
            f"This subproject was removed more than {settings.SUBPROJECT_RESTORE_DAYS} "
            "days ago and can no longer be restored."
        )
    if stored.removed_at is not None:
        _count_subprojects(parent, +1)
    stored.removed_at = None
    return _commit(stored, subproject, actor, "subproject.restore", before)


def _locked_family(subproject: Project) -> tuple[Project, Project]:
    """The subproject's parent, then the subproject, locked in that order (the order
    every service takes them in, so two never wait for each other); the subproject's
    `parent` is the locked parent."""
    parent = _locked_project(subproject.parent_id)
    stored = _locked(Project, subproject.pk, "account")
    stored.parent = parent
    return parent, stored


def subproject_counts_refresh(parent_ids) -> None:
    """Count the subprojects of these parents again, for a change made around the
    services (an operator deleting a subproject in the admin)."""
    alive = Project.objects.filter(parent_id=OuterRef("pk"), removed_at__isnull=True)
    counted = alive.order_by().values("parent_id").annotate(n=Count("pk")).values("n")
    Project.objects.filter(pk__in=list(parent_ids)).update(
        subproject_count=Coalesce(Subquery(counted), 0)
    )


PURGE_BATCH = 500


def purge_removed_subprojects(*, now=None, actor: Actor = SYSTEM) -> int:
    """Delete subprojects removed longer ago than the restore window, with their keys.

    In batches of PURGE_BATCH, each one transaction that also writes one
    "subproject.purge" entry per subproject (one INSERT for the batch). The entries,
    like every entry about the subproject before them, stay: they name it by its ID.
    Their usage stays too (keyed by Project ID); the apps that keep anything of them
    (usage: their names) do so on projects.signals.subprojects_purging.
    """
    purged = 0
    while True:
        with transaction.atomic():
            batch = list(
                Subproject.objects.purgeable(now)
                .select_for_update(of=("self",))
                .select_related("parent", "account")
                .order_by("pk")[:PURGE_BATCH]
            )
            if not batch:
                return purged
            events = [
                trail.entry(
                    actor,
                    "subproject.purge",
                    project=subproject,
                    changes={"deleted": {"before": False, "after": True}},
                )
                for subproject in batch
            ]
            trail.record_many(events)
            purged_now = Project.objects.filter(pk__in=[subproject.pk for subproject in batch])
            subprojects_purging.send(sender=Project, projects=purged_now)
            purged_now.delete()
        purged += len(batch)


@sensitive_variables("secret")
@transaction.atomic
def access_key_create(
    *, project: Project, display_name: str, actor: Actor = SYSTEM, expires_at=None, replaces=None
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
    project = _locked_project(project.pk)
    if project.removed_at is not None:
        raise WrongState("This project has been removed.")
    limit = settings.ACCESS_KEYS_PER_PROJECT
    if project.access_keys.active().count() >= limit:
        raise LimitReached(
            f"This project already has {limit} active access keys, the most it can "
            "have. Revoke one you no longer use, then create the new one."
        )
    secret = credentials.new_secret()
    key = AccessKey(
        project=project,
        key_id=credentials.new_key_id(),
        display_name=display_name,
        secret_hash=credentials.hash_secret(secret),
        created_by=actor.user,
        expires_at=expires_at,
        replaces=replaces,
    )
    _validated_key(key).save()
    # The expiry is part of the key's creation; its passing is not a change (nothing
    # is written then), so it has no entry of its own.
    trail.record(
        actor,
        "access_key.create",
        key=key,
        changes=trail.created({"display_name": key.display_name, "expires_at": key.expires_at}),
    )
    return key, secret


@sensitive_variables("secret")
@transaction.atomic
def access_key_rotate(
    *, key: AccessKey, display_name: str | None = None, actor: Actor = SYSTEM
) -> tuple[AccessKey, str]:
    """Replace a key without an outage: create its successor (access_key_create: the
    limit, the unique name, the secret shown once) and leave the old key working until
    someone revokes it, once its last use shows that nothing uses it any more.

    The new key is named `display_name`, or after the old one; it lasts as long as the
    old one was made to last (from now), or never expires if the old one did not.
    Writes the successor's "access_key.create" entry and the old key's
    "access_key.rotate" entry, naming the successor.
    """
    project = _locked_project(key.project_id)  # first, as every key service locks them
    old = _locked(AccessKey, key.pk)
    old.project = project
    if old.revoked_at is not None:
        raise WrongState("This access key has been revoked: create a new key instead.")
    expires_at = None
    if old.expires_at is not None:
        expires_at = timezone.now() + (old.expires_at - old.created_at)
    new, secret = access_key_create(
        project=project,
        display_name=rotated_name(old) if display_name is None else display_name,
        actor=actor,
        expires_at=expires_at,
        replaces=old,
    )
    trail.record(
        actor,
        "access_key.rotate",
        key=old,
        changes=trail.diff({"replaced_by": None}, {"replaced_by": new.key_id}),
    )
    return new, secret


def rotated_name(key: AccessKey) -> str:
    """The name a rotated key's successor gets unless another is chosen."""
    suffix = f" (rotated {timezone.localdate():%Y-%m-%d})"
    return key.display_name[: NAME_MAX_LENGTH - len(suffix)] + suffix


def _validated_key(key: AccessKey) -> AccessKey:
    try:
        return _validated(key)
    except AlreadyExists as error:  # the unique-name constraint names no field itself
        raise AlreadyExists(error.message, field="display_name") from None


@transaction.atomic
def access_key_rename(*, key: AccessKey, display_name: str, actor: Actor = SYSTEM) -> AccessKey:
    project = _locked_project(key.project_id)  # names are unique per project: one writer
    stored = _locked(AccessKey, key.pk)
    stored.project = project
    if stored.revoked_at is not None:
        raise WrongState("This access key has been revoked.")
    before = {"display_name": stored.display_name}
    stored.display_name = display_name
    _validated_key(stored)
    return _commit(stored, key, actor, "access_key.rename", before, target="key")


@transaction.atomic
def access_key_revoke(*, key: AccessKey, actor: Actor = SYSTEM) -> AccessKey:
    """Revoke a key: the very next request made with it, or a token from it, fails."""
    stored = _locked(AccessKey, key.pk, "project__parent", "project__account")
    before = {"revoked_at": stored.revoked_at}
    if stored.revoked_at is None:
        stored.revoked_at = timezone.now()
    return _commit(stored, key, actor, "access_key.revoke", before, target="key")


# --- Suspension ------------------------------------------------------------------------


def is_platform(actor: Actor) -> bool:
    """Whether `actor` acts for the platform (operators in the admin, commands,
    maintenance, the platform's services) rather than for a customer."""
    return actor.source in (Source.ADMIN, Source.COMMAND, Source.INTERNAL) or (
        actor.kind == Kind.PLATFORM_TOKEN
    )


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
    dashboard and the API is decided there (projects.access.can_suspend, parent keys).
    `project` is updated in place.
    """
    reason = _clean_reason(reason)
    stored = _locked_project(project.pk)
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
    return _commit(stored, project, actor, project_action(stored, "suspend"), before)


@transaction.atomic
def project_resume(*, project: Project, actor: Actor = SYSTEM) -> Project:
    """Lift a suspension; customers cannot lift the platform's. Resuming a project that
    is not suspended changes nothing. `project` is updated in place."""
    stored = _locked_project(project.pk)
    before = _suspension_fields(stored)
    if stored.suspended_by_platform and not is_platform(actor):
        raise NotAllowed(
            "This project was suspended by the platform and only the platform can "
            "resume it. Contact support."
        )
    stored.suspended_at, stored.suspend_reason, stored.suspended_by_platform = None, "", False
    return _commit(stored, project, actor, project_action(stored, "resume"), before)


def _suspension_fields(project: Project) -> dict:
    return {
        "suspended_at": project.suspended_at,
        "suspend_reason": project.suspend_reason,
        "suspended_by_platform": project.suspended_by_platform,
    }


# --- Grants ------------------------------------------------------------------------------


@transaction.atomic
def grant_set(*, membership: Membership, project: Project, actor: Actor = SYSTEM) -> ProjectGrant:
    """Give a member or viewer a project (and its subprojects) or one subproject; a
    grant that exists is left as it is."""
    project = _locked_project(project.pk)
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
    project = _locked_project(grant.project_id)
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


# --- The dashboard's reminders --------------------------------------------------------


def reminder_dismiss(*, user, project: Project, reminder: str) -> None:
    """Stop showing `reminder` about `project` to `user` (dismissing twice is fine).
    Not an audited change: it alters nothing anyone else sees."""
    ReminderDismissal.objects.get_or_create(user=user, project=project, reminder=reminder)

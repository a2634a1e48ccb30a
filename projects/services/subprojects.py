"""A subproject's life: creation under a top-level project, removal (one or many),
restore within the window, purge after it; each parent's count of subprojects kept in
the same transactions."""

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from audit import trail
from core.actors import SYSTEM, Actor
from core.errors import InvalidValue, NotAllowed, WrongState
from projects.models import Project, Subproject
from projects.signals import subprojects_purging

from .decisions import may_decide, require_decider
from .rows import commit, insert, locked, locked_project


@transaction.atomic
def subproject_create(
    *, parent: Project, name: str, labels=None, actor: Actor = SYSTEM
) -> Subproject:
    """Create a subproject of a top-level project, in the parent's account."""
    # The lock on the parent keeps a concurrent removal from slipping in between the
    # check (in Project.clean) and the insert.
    parent = locked_project(parent.pk)
    subproject = Subproject(
        account=parent.account,
        parent=parent,
        name=name,
        labels=labels or {},
        created_by=actor.user,
    )
    insert(subproject, actor, "subproject.create", ("name", "labels"))
    _count_subprojects(parent, +1)
    return subproject


def _count_subprojects(parent: Project, change: int) -> None:
    """Keep `parent.subproject_count` (its subprojects that are not removed) in step, in
    the caller's transaction, which holds the parent's row lock. One UPDATE, relative,
    so it is right whatever the row said when it was read."""
    if change:
        Project.objects.filter(pk=parent.pk).update(subproject_count=F("subproject_count") + change)
        parent.subproject_count += change


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
    require_decider(subproject, actor)
    parent, stored = _locked_family(subproject)
    before = {"removed_at": stored.removed_at}
    if stored.removed_at is None:
        stored.removed_at = timezone.now()
        _count_subprojects(parent, -1)
    return commit(stored, subproject, actor, "subproject.remove", before)


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
    parent = locked_project(parent.pk)
    if parent.parent_id is not None:
        raise WrongState("This is a subproject: it has no subprojects to remove.")
    if not may_decide(actor, account_id=parent.account_id, parent_id=parent.pk):
        raise NotAllowed("Only the project's admins and members remove its subprojects.")
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
    require_decider(subproject, actor)
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
    return commit(stored, subproject, actor, "subproject.restore", before)


def _locked_family(subproject: Project) -> tuple[Project, Project]:
    """The subproject's parent, then the subproject, locked in that order (the order
    every service takes them in, so two never wait for each other); the subproject's
    `parent` is the locked parent."""
    parent = locked_project(subproject.parent_id)
    stored = locked(Project, subproject.pk, "account")
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

    In batches of PURGE_BATCH, each one transaction that purges them as `_purge` does.
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
            _purge(batch, actor)
        purged += len(batch)


@transaction.atomic
def subprojects_purge(*, subprojects, actor: Actor = SYSTEM) -> int:
    """Delete these subprojects now, removed or not, with their keys: an operator's
    deletion in the admin (ADR 0113). The same purge as the restore window's end: one
    "subproject.purge" entry each, their tombstones (projects.signals), and each
    parent's count of subprojects kept. A top-level project is never deleted this way
    (WrongState, nothing deleted): its subprojects, usage and statements hang on it."""
    chosen = list(subprojects)
    if not chosen:
        return 0
    if top := next((p for p in chosen if p.parent_id is None), None):
        raise WrongState(
            f"{top.name} is a top-level project: only subprojects can be deleted "
            "(suspend a top-level project instead)."
        )
    # Parents first, then the subprojects (the order every service locks them in).
    parents = {
        p.pk: p
        for p in Project.objects.select_for_update(of=("self",))
        .select_related("account")
        .filter(pk__in={p.parent_id for p in chosen})
        .order_by("pk")
    }
    batch = list(
        Subproject.objects.filter(pk__in=[p.pk for p in chosen])
        .select_for_update(of=("self",))
        .select_related("account")
        .order_by("pk")
    )
    for subproject in batch:
        subproject.parent = parents[subproject.parent_id]
    _purge(batch, actor)
    subproject_counts_refresh(parents)
    return len(batch)


def _purge(batch: list[Project], actor: Actor) -> None:
    """Delete the locked subprojects of `batch` (their parent and account read with
    them) in the caller's transaction, writing one "subproject.purge" entry per
    subproject (one INSERT for the batch). The entries, like every entry about the
    subproject before them, stay: they name it by its ID. Their usage stays too (keyed
    by Project ID); the apps that keep anything of them (usage: their names, so that
    late usage is still accepted) do so on projects.signals.subprojects_purging."""
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

"""Writes of usage and platform tokens: the internal API, the admin and the commands
all call these, so each rule lives once. Refusals are core.errors' typed errors.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from audit import trail
from core import credentials
from core.actors import SYSTEM, Actor
from core.errors import InvalidItems, InvalidValue, WrongState
from core.metrics import usage_newest_hour, usage_records
from core.validation import clean_display_name

from . import ingest, partitions, signals, storage
from .metrics import METRICS
from .models import PLATFORM_SCOPES, PlatformToken, PurgedProject, UsageRecord, UsageRecordKey
from .periods import month_of

PLATFORM_TOKEN_PREFIX = "cpt_"  # noqa: S105 - the prefix of platform tokens, not one


@dataclass(frozen=True)
class Recorded:
    accepted: int  # records counted by this call
    duplicates: int  # records already counted (a retry), or repeated within the batch


def usage_record(*, records: list, actor: Actor = SYSTEM, now: datetime | None = None):
    """Record a batch of usage records (dicts, see usage.ingest) all or nothing.

    Idempotent per recordId: a record stored before (by a retry, or by a simultaneous
    identical batch) is a duplicate and counts nowhere; the same recordId with other
    values refuses the batch. Raises InvalidItems listing every fault. Batches of any
    size are taken; the API and the import command limit them.
    """
    now = now or timezone.now()
    checked = ingest.check(records, now=now)
    if checked.faults:
        _count_rejected(checked.faults, len(records))
        raise InvalidItems(ingest.summary(checked.faults, len(records)), details=checked.faults)
    try:
        return _store(checked, total=len(records))
    except partitions.INSERT_ERRORS as error:
        # An hour whose month has no partition yet (PostgreSQL, the job did not run):
        # create it and store the batch again (usage/partitions.py).
        if not partitions.is_missing_partition(error):
            raise
        partitions.create_for(record.hour for _, record in checked.records)
        return _store(checked, total=len(records))


def _store(checked: ingest.Checked, *, total: int) -> Recorded:
    with transaction.atomic():
        inserted = storage.store((record for _, record in checked.records), checked.family_of)
        if len(inserted) < len(checked.records):
            # (this refusal rolls back what store() added to the totals)
            _refuse_changed_records(checked, inserted, total=total)
        added = [record for _, record in checked.records if record.record_id in inserted]
        if added:
            # After commit only: receivers (billing's spend limits) read committed totals.
            family_of = checked.family_of
            touched = {r.project_public_id: family_of[r.project_public_id] for r in added}
            months = frozenset(month_of(hour) for hour in {r.hour for r in added})
            transaction.on_commit(lambda: signals.send_usage_recorded(touched, months))
        transaction.on_commit(lambda: _count_recorded(added, total - len(inserted)))
    return Recorded(accepted=len(inserted), duplicates=total - len(inserted))


def _count_recorded(added, duplicates: int) -> None:
    """/metrics: records accepted and duplicated, and the newest hour per metric."""
    usage_records.labels("accepted", "").inc(len(added))
    usage_records.labels("duplicate", "").inc(duplicates)
    newest = {}
    for record in added:
        newest[record.metric] = max(newest.get(record.metric, record.hour), record.hour)
    for metric, hour in newest.items():
        usage_newest_hour.labels(metric).set(hour.timestamp())


def _count_rejected(faults: list[dict], total: int) -> None:
    """/metrics: a refused batch's records, by the field at fault (each record once)."""
    reasons = {}
    for item in faults:
        reasons.setdefault(item.get("index"), item.get("field") or "batch")
    for reason in reasons.values():
        usage_records.labels("rejected", reason).inc()
    # The batch is all or nothing: its other records are refused with it.
    others = total - len(reasons)
    if others > 0:
        usage_records.labels("rejected", "batch").inc(others)


def _refuse_changed_records(checked: ingest.Checked, inserted: set[str], *, total: int):
    """Records not inserted were stored before (perhaps a moment ago, by a concurrent
    batch that has now committed): a duplicate if identical, else refuse the batch,
    which rolls back this transaction."""
    skipped = [(i, r) for i, r in checked.records if r.record_id not in inserted]
    stored = storage.stored_records(r.record_id for _, r in skipped)
    faults = [
        found
        for index, record in skipped
        if (found := ingest.conflict(index, record, stored[record.record_id]))
    ]
    if faults:
        _count_rejected(faults, total)
        raise InvalidItems(ingest.summary(faults, total), details=faults)


def usage_history_add(
    *, days: dict[tuple[str, str, date], int], actor: Actor = SYSTEM, now: datetime | None = None
) -> int:
    """Daily totals {(Project ID, metric, day): quantity} for days before the records'
    retention window (history from before metering, demo data), stored only where that
    project, metric and day has no total yet: it never changes a total, so running it
    again changes nothing. Returns how many days were stored."""
    now = now or timezone.now()
    oldest = ingest.window_start(now).date()
    for _project, metric, day in days:
        if metric not in METRICS:
            raise InvalidValue(f"{metric!r} is not a known metric.", field="metric")
        if day >= oldest:
            raise InvalidValue(
                f"{day} is within the records' window: send usage records for it instead.",
                field="day",
            )
    family_of = ingest.families({project for project, _, _ in days})
    if unknown := {project for project, _, _ in days} - family_of.keys():
        raise InvalidValue(f"No project has the ID {sorted(unknown)[0]!r}.", field="projectId")
    with transaction.atomic():
        return len(storage.insert_days_once(days, family_of))


def usage_records_purge(*, now: datetime | None = None, batch: int = 10_000) -> "Purged":
    """Records for hours before the retention window go; the daily and monthly totals stay.

    On PostgreSQL (partitioned records, ADR 0118): the partitions of the months ahead
    are created, and a month's partition is dropped once all its hours are past the
    window (no row is deleted). On SQLite the rows are deleted `batch` at a time. Either
    way the record IDs past the window are deleted in batches (short transactions that
    never hold the table). Returns what was done."""
    now = now or timezone.now()
    cutoff = ingest.window_start(now)
    purged = Purged()
    if partitions.in_use():
        purged.partitioned = True
        purged.created = partitions.create_ahead(now, cutoff)
        purged.dropped = partitions.drop_expired(cutoff)
    else:
        purged.deleted = _delete_before(UsageRecord, cutoff, batch)
    purged.keys = _delete_before(UsageRecordKey, cutoff, batch)
    return purged


@dataclass
class Purged:
    partitioned: bool = False  # PostgreSQL's monthly partitions (else one table)
    deleted: int = 0  # records deleted (SQLite)
    keys: int = 0  # record IDs past the window
    created: list = field(default_factory=list)  # partitions created (PostgreSQL)
    dropped: list = field(default_factory=list)  # partitions dropped (PostgreSQL)


def _delete_before(model, cutoff: datetime, batch: int) -> int:
    deleted = 0
    while True:
        ids = model.objects.filter(hour__lt=cutoff).values_list("record_id", flat=True)[:batch]
        count, _ = model.objects.filter(record_id__in=list(ids)).delete()
        deleted += count
        if count < batch:
            return deleted


def purged_projects_keep(projects) -> int:
    """Tombstones for subprojects about to be purged (a queryset of them), so that usage
    history still names them. Call it in the purge's transaction, before the delete."""
    rows = projects.values_list(
        "public_id", "name", "parent__public_id", "account_id", "created_at", "removed_at"
    )
    tombstones = [
        PurgedProject(
            public_id=public_id,
            name=name,
            parent_public_id=parent_id,
            account_id=account_id,
            created_at=created_at,
            removed_at=removed_at,
        )
        for public_id, name, parent_id, account_id, created_at, removed_at in rows.iterator()
    ]
    PurgedProject.objects.bulk_create(tombstones, batch_size=1000, ignore_conflicts=True)
    return len(tombstones)


def clean_platform_scopes(scopes) -> str:
    """The stored form of a token's scopes (names of PLATFORM_SCOPES, in their order),
    or InvalidValue on `scopes`: an unknown name, or none at all."""
    scopes = [str(scope).strip() for scope in scopes]
    if unknown := [scope for scope in scopes if scope not in PLATFORM_SCOPES]:
        raise InvalidValue(
            f"Unknown scope “{unknown[0]}”: choose from {', '.join(PLATFORM_SCOPES)}.",
            field="scopes",
        )
    if not scopes:
        raise InvalidValue(
            f"Choose at least one scope: {', '.join(PLATFORM_SCOPES)}.", field="scopes"
        )
    return " ".join(name for name in PLATFORM_SCOPES if name in scopes)


@sensitive_variables("secret")
@transaction.atomic
def platform_token_create(
    *, name: str, scopes=tuple(PLATFORM_SCOPES), actor: Actor = SYSTEM
) -> tuple[PlatformToken, str]:
    """A new platform token and its secret, which exists nowhere else afterwards.
    `scopes`: what it may call (usage.models.PLATFORM_SCOPES; all of them unless said)."""
    try:
        name = clean_display_name(name, what="Token name")
    except ValidationError as error:
        raise InvalidValue(" ".join(error.messages), field="name") from None
    scopes = clean_platform_scopes(scopes)
    secret = credentials.new_secret(PLATFORM_TOKEN_PREFIX)
    token = PlatformToken.objects.create(
        token_id=credentials.new_key_id(),
        name=name,
        scopes=scopes,
        secret_hash=credentials.hash_secret(secret),
        created_by=actor.user,
    )
    trail.record_platform_token_change(
        actor,
        "create",
        token_id=token.token_id,
        token_name=token.name,
        changes=trail.created({"name": token.name, "scopes": token.scopes}),
    )
    return token, secret


@transaction.atomic
def platform_token_set_scopes(
    *, token: PlatformToken, scopes, actor: Actor = SYSTEM
) -> PlatformToken:
    """Change what a token may call; its very next request is judged by the new scopes."""
    scopes = clean_platform_scopes(scopes)
    stored = PlatformToken.objects.select_for_update().get(pk=token.pk)
    if stored.scopes != scopes:
        changes = trail.diff({"scopes": stored.scopes}, {"scopes": scopes})
        stored.scopes = scopes
        stored.save(update_fields=["scopes"])
        trail.record_platform_token_change(
            actor, "update", token_id=stored.token_id, token_name=stored.name, changes=changes
        )
    token.scopes = scopes
    return token


@transaction.atomic
def platform_token_revoke(*, token: PlatformToken, actor: Actor = SYSTEM) -> PlatformToken:
    """Revoke a token: the very next request made with it is refused."""
    stored = PlatformToken.objects.select_for_update().get(pk=token.pk)
    if stored.revoked_at is not None:
        raise WrongState(f"The platform token {stored.token_id} was already revoked.")
    stored.revoked_at = timezone.now()
    stored.save(update_fields=["revoked_at"])
    trail.record_platform_token_change(
        actor,
        "revoke",
        token_id=stored.token_id,
        token_name=stored.name,
        changes=trail.diff({"revoked_at": None}, {"revoked_at": stored.revoked_at}),
    )
    token.revoked_at = stored.revoked_at
    return token

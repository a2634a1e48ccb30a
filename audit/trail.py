"""Writing the audit trail: `record()`, and retention's `purge_before()`.

Call `record()` inside the transaction of the change it describes, after the change is
saved, so that both commit together or neither does (the services are
`@transaction.atomic`; call it there, not in a view). It costs one INSERT, and no other
query when the objects passed in already hold what it reads (a project's parent and
account, a key's project: the services lock them with select_related).

    from audit import trail

    trail.record(actor, "subproject.rename", project=subproject,
                 changes=trail.diff({"name": old_name}, {"name": subproject.name}))

`actor` is the core.actors.Actor the service was given; `project`, `key` and `account`
fill the entry's target and scope (a key's project is its scope); `target_id` /
`target_label` name any other target (a user's email for a membership change).
"""

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from core.actors import SYSTEM, Actor

from .models import AuditEvent

# Field names that must never reach an entry, whatever a caller passes.
# Entries younger than this are never deleted: on PostgreSQL the trigger refuses it
# (migration 0004, which writes the same number out), whatever a session sets.
RETENTION_FLOOR_DAYS = 365
SECRET_FIELDS = frozenset({"secret", "secret_hash", "password", "token", "key_secret"})


def diff(before: dict, after: dict, *, keep: dict | None = None) -> dict:
    """{field: {"before", "after"}} for the fields whose value differs. `keep` is
    {field: (fields,)}: that field also when it is the same, if one of those differs
    (what they are read in: {"currency": ("amount",)} keeps an amount's currency)."""
    changes = {
        name: {"before": before.get(name), "after": value}
        for name, value in after.items()
        if before.get(name) != value
    }
    for name, read_with in (keep or {}).items():
        if name in after and name not in changes and any(f in changes for f in read_with):
            changes[name] = {"before": before.get(name), "after": after[name]}
    return changes


def created(fields: dict) -> dict:
    """The changes of a creation: every field (that has a value) from nothing."""
    return diff({}, {name: value for name, value in fields.items() if value not in (None, "", {})})


def deleted(fields: dict) -> dict:
    """The changes of a deletion: every field to nothing."""
    return {name: {"before": value, "after": None} for name, value in fields.items()}


def _check_no_secret(changes: dict) -> None:
    for name in changes:
        if name.lower() in SECRET_FIELDS or "secret" in name.lower() or "hash" in name.lower():
            raise ValueError(f"{name!r} looks like a secret: the audit trail never holds one.")


_listeners = []


def listen(function) -> None:
    """Call `function(entries)` with every entry (a list) written by record() or
    record_many(), in the same transaction: the events app writes its outbox there. An
    entry still holds the objects it was made from (`about_project`, `about_key`)."""
    _listeners.append(function)


def record(actor: Actor, action: str, **about) -> AuditEvent:
    """Write one entry (one INSERT) and return it: what `entry(actor, action, **about)`
    makes. See the module's note."""
    event = entry(actor, action, **about)
    event.save(force_insert=True)
    for listener in _listeners:
        listener([event])
    return event


def record_many(events: list[AuditEvent]) -> None:
    """Write entries made by `entry()` in one INSERT (a batch of changes, e.g. a purge)."""
    AuditEvent.objects.bulk_create(events)
    for listener in _listeners:
        listener(events)


def entry(
    actor: Actor,
    action: str,
    *,
    project=None,
    key=None,
    account=None,
    target_id: str = "",
    target_label: str = "",
    changes: dict | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """The entry that record() writes, unsaved (record_many writes several at once).

    `project`, `key` and `account` fill the target and the scope (a key's project is
    its scope; a project's account is read from it); `target_id` and `target_label`
    name any other target. `changes` is {field: {"before", "after"}} (see diff(),
    created(), deleted()). `actor_label` replaces the signed-in user's email, for an
    actor that is not a signed-in user (a failed sign-in names the email it tried).
    """
    changes = changes or {}
    _check_no_secret(changes)
    if key is not None:
        project = project or key.project
        target_id = target_id or key.key_id
        target_label = target_label or key.display_name
    if project is not None:
        account = account or project.account
        target_id = target_id or project.public_id
        target_label = target_label or project.name
    if actor_label is None:
        actor_label = getattr(actor.user, "email", "") or ""
    event = AuditEvent(
        time=timezone.now(),
        action=action,
        actor_type=actor.kind,
        actor_id=str(actor.id)[:64],
        actor_label=actor_label[:255],
        source=actor.source,
        address=(actor.address or "")[:64],
        account_id=account.public_id if account is not None else "",
        project_id=project.public_id if project is not None else "",
        family_project_id=_family_id(project),
        key_id=key.key_id if key is not None else "",
        target_id=str(target_id)[:255],
        target_label=str(target_label)[:255],
        changes=changes,
    )
    event.about_project, event.about_key = project, key
    return event


def _family_id(project) -> str:
    if project is None:
        return ""
    return project.public_id if project.parent_id is None else project.parent.public_id


def record_platform_token_change(
    actor: Actor, verb: str, *, token_id: str, token_name: str = "", changes=None
) -> AuditEvent:
    """HOOK for platform tokens (the usage app's): call it in the transaction that
    creates ("create"), changes ("update") or revokes ("revoke") a platform token, with
    the token's public ID and name and the changed fields (never the token itself)."""
    return record(
        actor,
        f"platform_token.{verb}",
        target_id=token_id,
        target_label=token_name,
        changes=changes,
    )


def purge_before(cutoff, *, actor: Actor = SYSTEM) -> int:
    """Delete the entries older than `cutoff`; return how many. Retention only.

    One transaction, which also records that it happened ("audit.purge", when anything
    was deleted). `cutoff` must be at least RETENTION_FLOOR_DAYS ago (ValueError): on
    PostgreSQL the append-only trigger lets a row be deleted only past that age, so
    nothing younger can be deleted by anyone, this function included.
    """
    if cutoff > timezone.now() - timedelta(days=RETENTION_FLOOR_DAYS):
        raise ValueError(f"audit entries are kept at least {RETENTION_FLOOR_DAYS} days")
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    time_column = connection.ops.quote_name(AuditEvent._meta.get_field("time").column)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE {time_column} < %s",  # noqa: S608 - quoted names
                [connection.ops.adapt_datetimefield_value(cutoff)],
            )
            deleted = cursor.rowcount
        if deleted:
            record(
                actor,
                "audit.purge",
                changes={"deleted": {"before": deleted, "after": 0}},
                target_label=f"before {cutoff.isoformat()}",
            )
    return deleted

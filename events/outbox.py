"""Writing events (see events.models), in the caller's transaction.

    from events import outbox
    outbox.emit("subproject.created", project_id=..., family_id=..., data={...})

Higher apps hear each batch of new events in the same transaction through `listen`
(webhooks enqueues their deliveries there), so what hears an event commits with it.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from core.times import timestamp
from core.upsert import upsert

from .models import Event, Once, Sequence

# The event types, as the docs list them (docs/events.md).
TYPES = (
    "subproject.created",
    "subproject.renamed",
    "subproject.labels_changed",
    "subproject.removed",
    "subproject.restored",
    "subproject.purged",
    "project.suspended",
    "project.resumed",
    "access_key.created",
    "access_key.rotated",
    "access_key.revoked",
    "access_key.expiring",
    "spend_limit.threshold_reached",
    "statement.closed",
    "member.invited",
    "member.joined",
    "member.removed",
)

_listeners = []


def public(event: Event) -> dict:
    """An event as the API lists it and a webhook delivers it."""
    return {
        "id": event.id,
        "type": event.type,
        "timestamp": timestamp(event.created_at),
        "projectId": event.project_id,
        "parentProjectId": event.family_id,
        "sequence": event.sequence,
        "data": event.data,
    }


def listen(function) -> None:
    """Call `function(events)` with every batch of events written, in its transaction."""
    _listeners.append(function)


@dataclass
class New:
    """An event to write: emit_many takes these."""

    type: str
    project_id: str
    family_id: str
    data: dict = field(default_factory=dict)


def emit(type: str, *, project_id: str, family_id: str, data: dict) -> Event:
    return emit_many([New(type, project_id, family_id, data)])[0]


# No savepoint of its own (two round trips a change fewer): a failure here fails the
# caller's change, which rolls back with it (a change never commits without its events).
@transaction.atomic(savepoint=False)
def emit_many(new: list[New]) -> list[Event]:
    """Write the events, numbered in order within each family (one upsert per family,
    taken in family order so that two transactions never wait for each other)."""
    if not new:
        return []
    for event in new:
        if event.type not in TYPES:
            raise ValueError(f"Unknown event type {event.type!r}")
    by_family = defaultdict(list)
    for event in new:
        by_family[event.family_id].append(event)
    now = timezone.now()
    rows = []
    for family_id in sorted(by_family):
        batch = by_family[family_id]
        ((last,),) = upsert(
            Sequence,
            ("family_id", "last"),
            [(family_id, len(batch))],
            conflict=("family_id",),
            update={"last": "{old.last} + {new.last}"},
            returning=("last",),
        )
        first = last - len(batch) + 1
        rows += [
            Event(
                type=event.type,
                family_id=family_id,
                project_id=event.project_id,
                sequence=first + n,
                created_at=now,
                data=event.data,
            )
            for n, event in enumerate(batch)
        ]
    Event.objects.bulk_create(rows)
    for listener in _listeners:
        listener(rows)
    return rows


def first_time(names: list[str]) -> set[str]:
    """The names never given before (INSERT … ON CONFLICT DO NOTHING RETURNING), in the
    caller's transaction: emit the events of those only."""
    now = timezone.now()
    rows = upsert(
        Once,
        ("name", "created_at"),
        [(n, now) for n in sorted(set(names))],
        conflict=("name",),
        returning=("name",),
    )
    return {name for (name,) in rows}


def purge_before(cutoff) -> int:
    """Delete the events older than `cutoff` (retention: EVENT_RETENTION_DAYS)."""
    deleted, _ = Event.objects.filter(created_at__lt=cutoff).delete()
    return deleted

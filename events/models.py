"""The events outbox: what changed, for ASP automation (webhooks, the events list).

An Event is written in the transaction of the change it describes (events.outbox), so a
change that rolls back never emits and a committed one always has its event. Events are
numbered per family (a top-level project and its subprojects, ADR 0103): `sequence` is
1, 2, 3 … without gaps, in commit order, since the family's Sequence row stays locked
by the transaction that took the next number until it ends.

Projects are named by their public IDs, not keys: an event outlives a purged subproject.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from core.ids import new_public_id


class Event(models.Model):
    id = models.CharField(primary_key=True, max_length=30, default=new_public_id, editable=False)
    type = models.CharField(max_length=64)
    # The top-level project whose family the event belongs to, and the project it is
    # about (the same for a top-level project's own events).
    family_id = models.CharField(max_length=26)
    project_id = models.CharField(max_length=26)
    sequence = models.BigIntegerField()
    created_at = models.DateTimeField()
    # The resource as the API shows it (never a secret).
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["family_id", "sequence"], name="event_family_sequence"),
        ]
        indexes = [
            models.Index(fields=["project_id", "sequence"], name="event_project_sequence"),
            models.Index(fields=["created_at"], name="event_created_at"),
        ]

    def __str__(self):
        return f"{self.type} #{self.sequence} of {self.family_id}"


class Sequence(models.Model):
    """The last event number of a family."""

    family_id = models.CharField(primary_key=True, max_length=26)
    last = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.family_id}: {self.last}"


class Once(models.Model):
    """An event that must be emitted once only, by its name (a key's "expiring in 7
    days"): the INSERT that adds the row is the one that emits."""

    name = models.CharField(primary_key=True, max_length=120)
    created_at = models.DateTimeField()

    def __str__(self):
        return self.name

"""Counting failed attempts: one counter for dashboard sign-in and API authentication.

A `FailureLimit` names what is counted (e.g. sign-in failures per email), how many are
allowed, and the window: a count lasts until `window` seconds pass without another
failure. `hit()` counts one attempt and returns the new count in a single atomic
statement (an upsert with RETURNING, on PostgreSQL and SQLite alike), so simultaneous
attempts cannot overshoot the limit and counting costs one write.

Counts live in the database (core.models.FailureCount), shared by every app server and
independent of the cache: a cache outage neither opens nor closes the door. Subjects are
stored as digests, never as the email or address itself.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.db.models import F
from django.utils import timezone

from .models import FailureCount
from .upsert import upsert


@dataclass(frozen=True)
class FailureLimit:
    name: str
    limit: int
    window: int  # seconds

    def key(self, subject: str) -> str:
        digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:40]
        return f"{self.name}:{digest}"

    def hit(self, subject: str) -> int:
        """Count one attempt; the count within the window, this one included."""
        now = timezone.now()
        ((count,),) = upsert(
            FailureCount,
            ("key", "count", "expires_at"),
            [(self.key(subject), 1, now + timedelta(seconds=self.window))],
            conflict=["key"],
            # A count whose window has passed starts again.
            update={
                "count": "CASE WHEN {old.expires_at} <= %s THEN 1 ELSE {old.count} + 1 END",
                "expires_at": "{new.expires_at}",
            },
            params=[connection.ops.adapt_datetimefield_value(now)],
            returning=["count"],
        )
        return count

    def count(self, subject: str) -> int:
        row = (
            FailureCount.objects.filter(key=self.key(subject), expires_at__gt=timezone.now())
            .values_list("count", flat=True)
            .first()
        )
        return row or 0

    def exceeded(self, subject: str) -> bool:
        return self.count(subject) >= self.limit

    def clear(self, subject: str) -> None:
        FailureCount.objects.filter(key=self.key(subject)).delete()

    def forgive(self, subject: str) -> None:
        """Take one counted attempt back (it turned out not to be a failure)."""
        FailureCount.objects.filter(key=self.key(subject), count__gt=0).update(count=F("count") - 1)


def purge_expired(now=None) -> int:
    return FailureCount.objects.filter(expires_at__lte=now or timezone.now()).delete()[0]

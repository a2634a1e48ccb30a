"""One runner at a time across every app server: PostgreSQL advisory locks.

Scheduled commands (purges) run from cron on each app server, so two may start at the
same moment. `exclusively(name)` takes a session-level advisory lock named by a hash of
`name` with pg_try_advisory_lock: the first runner gets it, a second one at the same
moment is told at once (NotAcquired) instead of doing the same work alongside it. The
lock belongs to the database session, so a runner that dies loses it with its
connection; a live one releases it when its block ends (with the connection pool the
session outlives the block, so the unlock in `finally` is what frees it). On SQLite
(one machine, writers serialised by the database) it is a no-op.
"""

import contextlib
import hashlib

from django.db import connection


class NotAcquired(Exception):
    """Another process holds the lock."""


def lock_id(name: str) -> int:
    """A stable signed 64-bit number for `name` (advisory locks are keyed by bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def exclusively(name: str):
    if connection.vendor != "postgresql":
        yield
        return
    key = lock_id(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        if not cursor.fetchone()[0]:
            raise NotAcquired(name)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])

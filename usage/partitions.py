"""The raw usage records' monthly partitions on PostgreSQL (ADR 0118, docs/operations.md
"Usage partitions"). SQLite keeps one table: every function here is PostgreSQL's only;
`in_use()` says whether the records table is partitioned.

- One partition per calendar month (UTC) of `hour`, named usage_usagerecord_pYYYY_MM.
- The daily purge_usage_records job creates the partitions of every month from the
  start of the records' window to MONTHS_AHEAD months after the current one
  (`create_ahead`), and drops a partition once every hour in it is older than the window
  (`drop_expired`): DETACH … CONCURRENTLY (no lock that stops reads or writes of the
  other months), then DROP TABLE of a table nobody reads any more.
- There is no DEFAULT partition: an hour with no partition (the job did not run for
  months) makes the insert fail, and ingest then creates that month's partition and
  runs the batch again (`create_for`), so nothing fails silently and nothing is lost.
  A DEFAULT partition would forbid DETACH CONCURRENTLY and make every new partition
  scan it.
"""

import time
from contextlib import contextmanager
from datetime import UTC, date, datetime

from django.db import DatabaseError, IntegrityError, connection, transaction

try:
    from psycopg.errors import CheckViolation
except ImportError:  # SQLite-only installs
    CheckViolation = IntegrityError

from .periods import add_months, month_of

TABLE = "usage_usagerecord"
MONTHS_AHEAD = 3
# The job waits this long for a lock before it gives up (and runs again tomorrow)
# instead of queueing every reader of the table behind it.
LOCK_TIMEOUT = "5s"


def name(month: date) -> str:
    return f"{TABLE}_p{month:%Y_%m}"


def _bound(month: date) -> str:
    """A month's first instant as a SQL literal (made here from a date, never input)."""
    return f"'{month:%Y-%m-%d} 00:00:00+00'"


def in_use() -> bool:
    """Whether the records table is partitioned (PostgreSQL after migration 0006)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [TABLE]
        )
        return cursor.fetchone() is not None


def existing() -> dict[str, bool]:
    """The records table's partitions: {name: detach pending}."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, i.inhdetachpending FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(%s)",
            [TABLE],
        )
        return dict(cursor.fetchall())


def months_of(first: date, last: date) -> list[date]:
    months, month = [], month_of(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def create(months, *, cursor=None) -> list[str]:
    """Create the partitions of these months that do not exist; their names."""
    have = existing()
    made = []
    for month in sorted(set(months)):
        if name(month) in have:
            continue
        # A table of the parent's shape, then ATTACH: it takes SHARE UPDATE EXCLUSIVE on
        # the records table (reads and writes go on), where CREATE TABLE … PARTITION OF
        # takes ACCESS EXCLUSIVE (measured in pg_locks). Attaching an empty table with no
        # DEFAULT partition scans nothing; its primary key index is made by the ATTACH.
        # A table made by a run that stopped before its ATTACH is attached now.
        statements = (
            f'CREATE TABLE IF NOT EXISTS "{name(month)}" '
            f'(LIKE "{TABLE}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
            f'ALTER TABLE "{TABLE}" ATTACH PARTITION "{name(month)}" '
            f"FOR VALUES FROM ({_bound(month)}) TO ({_bound(add_months(month, 1))})",
        )
        if cursor is not None:
            for sql in statements:
                cursor.execute(sql)
        else:
            with connection.cursor() as own:
                for sql in statements:
                    own.execute(sql)
        made.append(name(month))
    return made


@contextmanager
def _lock_timeout(cursor):
    """LOCK_TIMEOUT for this session while the block runs, then the setting it had (the
    connection goes back to a pool and serves other work)."""
    cursor.execute("SELECT current_setting('lock_timeout')")
    (before,) = cursor.fetchone()
    cursor.execute("SELECT set_config('lock_timeout', %s, false)", [LOCK_TIMEOUT])
    try:
        yield
    finally:
        cursor.execute("SELECT set_config('lock_timeout', %s, false)", [before])


def create_ahead(now: datetime, window_start: datetime) -> list[str]:
    """The job: partitions from the window's first month to MONTHS_AHEAD months ahead."""
    months = months_of(window_start.date(), add_months(month_of(now), MONTHS_AHEAD))
    with connection.cursor() as cursor, _lock_timeout(cursor):
        return create(months, cursor=cursor)


def create_for(hours) -> list[str]:
    """Ingest's fallback: the partitions of these hours' months (see the module's note).
    Two batches may find the same month missing at once: the one whose CREATE loses the
    race finds the partition there, made by the other."""
    months = {month_of(hour.astimezone(UTC)) for hour in hours}
    try:
        with transaction.atomic():
            return create(months)
    except DatabaseError:
        if {name(month) for month in months} <= existing().keys():
            return []
        raise


# What an insert into a month without partition raises: Django's IntegrityError, or
# psycopg's own error from a COPY (Django's cursor does not translate those).
INSERT_ERRORS = (IntegrityError, CheckViolation)


def is_missing_partition(error: Exception) -> bool:
    """Whether a database error is PostgreSQL's "no partition of relation … found"."""
    cause = error if isinstance(error, CheckViolation) else error.__cause__
    return getattr(cause, "sqlstate", None) == "23514" and "no partition" in str(cause)


def drop_expired(window_start: datetime, *, timings: dict | None = None) -> list[str]:
    """Drop every partition whose last hour is before the window; their names.

    Outside a transaction: DETACH PARTITION CONCURRENTLY, which never blocks reads or
    writes of the other partitions, then DROP TABLE. Inside one (tests, a caller's
    atomic block), where CONCURRENTLY is not allowed: DROP TABLE, which holds the
    parent's lock only for the moment of the drop. `timings`, if given, gets the
    seconds of each step ({"detach": …, "drop": …}, summed over the partitions).
    """
    timings = {} if timings is None else timings
    dropped = []
    expired = [
        (table, pending)
        for table, pending in sorted(existing().items())
        if _month(table) and add_months(_month(table), 1) <= window_start.date()
    ]
    with connection.cursor() as cursor, _lock_timeout(cursor):
        for table, pending in expired:
            started = time.perf_counter()
            if not connection.in_atomic_block:
                how = "FINALIZE" if pending else "CONCURRENTLY"  # an interrupted detach
                cursor.execute(f'ALTER TABLE "{TABLE}" DETACH PARTITION "{table}" {how}')
            detached = time.perf_counter()
            cursor.execute(f'DROP TABLE "{table}"')
            timings["detach"] = timings.get("detach", 0) + detached - started
            timings["drop"] = timings.get("drop", 0) + time.perf_counter() - detached
            dropped.append(table)
    return dropped


def _month(table: str) -> date | None:
    """The month a partition's name says, or None for a table not named by name()."""
    suffix = table.removeprefix(f"{TABLE}_p")
    try:
        return datetime.strptime(suffix, "%Y_%m").date() if suffix != table else None
    except ValueError:
        return None

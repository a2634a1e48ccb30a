"""Set-based writes of usage: one statement per table per batch, never one per record.

`store()` takes a checked batch:

- Records: their IDs first, INSERT INTO the keys table … ON CONFLICT (record_id) DO
  NOTHING RETURNING record_id (ADR 0119). What comes back is exactly what this
  transaction added; a record already stored (a retry, in any month, or a simultaneous
  identical batch, which waits on the unique index until the first commits) comes back
  absent and is counted nowhere. Then only those records go into the records table
  (partitioned by month on PostgreSQL, ADR 0118), which needs no unique check.
- Totals: INSERT … ON CONFLICT (key) DO UPDATE SET quantity = quantity + excluded's, an
  upsert that adds, for the project's day and month and its family's day.

On PostgreSQL all of it is one statement (_STORE, ADR 0135); elsewhere, and for a few
records, core.upsert's statements one table at a time (add_to_totals also serves
history imports). Rows go in sorted by their key, so two transactions touching the
same rows lock them in the same order and cannot deadlock.
"""

from collections import defaultdict
from datetime import date

from django.db import connection

from core.upsert import PG_ARRAYS_FROM, bulk_insert, pg_arrays, server_bound_cursor, upsert

from .models import DailyUsage, FamilyDailyUsage, MonthlyUsage, UsageRecord, UsageRecordKey
from .periods import month_of

# Record IDs per query when reading stored records back (SQLite's parameter limit).
IDS_PER_QUERY = 1000
# An upsert that adds to the stored total.
ADD = {"quantity": "{old.quantity} + {new.quantity}"}


RECORD_FIELDS = ("record_id", "project_public_id", "metric", "hour", "quantity")


def store(records, family_of: dict[str, str]) -> set[str]:
    """Store the records (usage.ingest.Record) not stored yet and add those to their
    totals; the IDs of the records this call stored. `family_of` maps each Project ID
    to its family's (its top-level project's ID)."""
    records = list(records)
    if connection.vendor == "postgresql" and len(records) >= PG_ARRAYS_FROM:
        return _store_in_one_statement(records, family_of)
    new = insert_records(records)
    add_to_totals([r for r in records if r.record_id in new], family_of)
    return new


def insert_records(records) -> set[str]:
    """Store the records not stored yet; the IDs of those this call stored."""
    rows = sorted((r.record_id, r.project_public_id, r.metric, r.hour, r.quantity) for r in records)
    keys = [(record_id, hour) for record_id, _, _, hour, _ in rows]
    inserted = upsert(
        UsageRecordKey, ("record_id", "hour"), keys, conflict=["record_id"], returning=["record_id"]
    )
    new = {row[0] for row in inserted}
    bulk_insert(UsageRecord, RECORD_FIELDS, [row for row in rows if row[0] in new])
    return new


def _store_in_one_statement(records, family_of: dict[str, str]) -> set[str]:
    """PostgreSQL: store() as one statement and one round trip (_STORE)."""
    families = sorted(family_of.items())
    with server_bound_cursor() as cursor:
        cursor.execute(_STORE, [*pg_arrays(records, len(RECORD_FIELDS)), *pg_arrays(families, 2)])
        return {row[0] for row in cursor.fetchall()}


# PostgreSQL: the whole of store() in one statement, the rows sent once as arrays:
# the IDs into the keys table; the rows whose ID went in (the new ones) into the
# records table; their sums per project, metric and day added to the daily totals, and
# those per month and per family to theirs (each as add_to_totals adds them).
# Locks are taken in the order of the table-by-table way, so that a batch of each way
# never deadlock: IDs, records, then daily, monthly and family totals (PostgreSQL runs
# unreferenced data-modifying CTEs in no set order, so each totals insert reads the
# count of the one before it), and within a table rows sorted by key in code-point
# order (COLLATE "C"), as Python sorts them.
_STORE = """
WITH batch AS (
  SELECT * FROM unnest(%s::varchar[], %s::varchar[], %s::varchar[], %s::timestamptz[],
    %s::bigint[]) AS b(record_id, project_public_id, metric, hour, quantity)
), family AS (
  SELECT * FROM unnest(%s::varchar[], %s::varchar[]) AS f(project_public_id, family_public_id)
), new_id AS (
  INSERT INTO usage_usagerecordkey (record_id, hour)
  SELECT record_id, hour FROM batch ORDER BY record_id COLLATE "C"
  ON CONFLICT (record_id) DO NOTHING RETURNING record_id
), new AS (
  INSERT INTO usage_usagerecord (record_id, project_public_id, metric, hour, quantity)
  SELECT batch.* FROM batch JOIN new_id USING (record_id)
  RETURNING record_id, project_public_id, metric, hour, quantity
), daily AS (
  -- (LEFT JOIN: a project missing from the family map fails on NOT NULL, not silently)
  SELECT project_public_id, metric, (hour AT TIME ZONE 'UTC')::date AS day,
    family_public_id, sum(quantity)::bigint AS quantity
  FROM new LEFT JOIN family USING (project_public_id) GROUP BY 1, 2, 3, 4
), add_daily AS (
  INSERT INTO usage_dailyusage (project_public_id, metric, day, family_public_id, quantity)
  SELECT * FROM daily ORDER BY project_public_id COLLATE "C", metric COLLATE "C", day
  ON CONFLICT (project_public_id, metric, day)
  DO UPDATE SET quantity = usage_dailyusage.quantity + excluded.quantity
  RETURNING 1
), add_monthly AS (
  INSERT INTO usage_monthlyusage (project_public_id, metric, month, family_public_id, quantity)
  SELECT project_public_id, metric, date_trunc('month', day::timestamp)::date AS month,
    family_public_id, sum(quantity)::bigint
  FROM daily, (SELECT count(*) FROM add_daily) AS after_daily
  GROUP BY 1, 2, 3, 4 ORDER BY project_public_id COLLATE "C", metric COLLATE "C", month
  ON CONFLICT (project_public_id, metric, month)
  DO UPDATE SET quantity = usage_monthlyusage.quantity + excluded.quantity
  RETURNING 1
), add_family AS (
  INSERT INTO usage_familydailyusage (family_public_id, metric, day, quantity)
  SELECT family_public_id, metric, day, sum(quantity)::bigint
  FROM daily, (SELECT count(*) FROM add_monthly) AS after_monthly
  GROUP BY 1, 2, 3 ORDER BY family_public_id COLLATE "C", metric COLLATE "C", day
  ON CONFLICT (family_public_id, metric, day)
  DO UPDATE SET quantity = usage_familydailyusage.quantity + excluded.quantity
)
SELECT record_id FROM new
"""


def stored_records(record_ids) -> dict[str, tuple]:
    """Stored records by ID: (project_public_id, metric, hour, quantity)."""
    found = {}
    ids = list(record_ids)
    for start in range(0, len(ids), IDS_PER_QUERY):
        rows = UsageRecord.objects.filter(record_id__in=ids[start : start + IDS_PER_QUERY])
        for record_id, *rest in rows.values_list(*RECORD_FIELDS):
            found[record_id] = tuple(rest)
    return found


_DAY_FIELDS = ("project_public_id", "metric", "day", "family_public_id", "quantity")
_MONTH_FIELDS = ("project_public_id", "metric", "month", "family_public_id", "quantity")
_FAMILY_FIELDS = ("family_public_id", "metric", "day", "quantity")


def add_to_totals(records, family_of: dict[str, str]) -> None:
    """Add records (each with .project_public_id, .metric, .hour, .quantity) to their
    project's day and month and to their family's day. `family_of` maps each Project ID
    to its family's (its top-level project's ID)."""
    daily = defaultdict(int)
    for r in records:
        daily[(r.project_public_id, r.metric, r.hour.date())] += r.quantity
    rows = sorted((p, m, d, family_of[p], q) for (p, m, d), q in daily.items())
    upsert(DailyUsage, _DAY_FIELDS, rows, conflict=_DAY_FIELDS[:3], update=ADD)
    _add_to_months_and_families(daily, family_of)


def insert_days_once(daily: dict, family_of: dict[str, str]) -> dict:
    """Store {(project, metric, day): quantity} as daily totals where the day has no
    total yet (never adding to one), and add what was stored to the month and family
    totals; returns what was stored. For history older than the records' window."""
    rows = sorted((p, m, d, family_of[p], q) for (p, m, d), q in daily.items())
    inserted = upsert(
        DailyUsage, _DAY_FIELDS, rows, conflict=_DAY_FIELDS[:3], returning=_DAY_FIELDS
    )
    stored = {}
    for project, metric, day, _top, quantity in inserted:
        if isinstance(day, str):  # SQLite answers RETURNING with the stored text
            day = date.fromisoformat(day)
        stored[(project, metric, day)] = quantity
    _add_to_months_and_families(stored, family_of)
    return stored


def _add_to_months_and_families(daily: dict, family_of: dict[str, str]) -> None:
    monthly, family = defaultdict(int), defaultdict(int)
    for (project, metric, day), quantity in daily.items():
        monthly[(project, metric, month_of(day))] += quantity
        family[(family_of[project], metric, day)] += quantity
    rows = sorted((p, m, d, family_of[p], q) for (p, m, d), q in monthly.items())
    upsert(MonthlyUsage, _MONTH_FIELDS, rows, conflict=_MONTH_FIELDS[:3], update=ADD)
    rows = sorted((t, m, d, q) for (t, m, d), q in family.items())
    upsert(FamilyDailyUsage, _FAMILY_FIELDS, rows, conflict=_FAMILY_FIELDS[:3], update=ADD)

"""Set-based writes of usage: one statement per table per batch, never one per record.

- Records: INSERT … ON CONFLICT (record_id) DO NOTHING RETURNING record_id. What comes
  back is exactly what this transaction added; a record already stored (a retry, or a
  simultaneous identical batch, which waits on the unique index until the first
  commits) comes back absent and is counted nowhere.
- Totals: INSERT … ON CONFLICT (key) DO UPDATE SET quantity = quantity + excluded's, an
  upsert that adds, for the project's day and month and the top-level project's day.

On PostgreSQL the rows travel as one array per column (`unnest`), so a batch of 1,000
is five parameters and the statement text never changes; on SQLite, a VALUES list.
Rows are sent sorted by their key, so two transactions touching the same rows lock
them in the same order and cannot deadlock.

Only names from the models are put into SQL text (quoted); values are parameters.
"""

from collections import defaultdict
from datetime import date

from django.db import connection

try:
    import psycopg
except ImportError:  # SQLite-only installs
    psycopg = None

from .models import DailyUsage, FamilyDailyUsage, MonthlyUsage, UsageRecord
from .periods import month_of

# Rows per statement on SQLite (5 columns: 5,000 parameters, well under its limit).
SQLITE_CHUNK = 1000

# PostgreSQL array type of each column kind, for unnest().
_PG_TYPES = {
    "CharField": "varchar",
    "DateTimeField": "timestamptz",
    "DateField": "date",
    "BigIntegerField": "bigint",
}


def _names(model, fields):
    q = connection.ops.quote_name
    meta = model._meta
    return q(meta.db_table), [meta.get_field(name) for name in fields], q


def _adapt(field, value):
    ops = connection.ops
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value(value)
    if kind == "DateField":
        return ops.adapt_datefield_value(value)
    return value


def _pg_array(values) -> str:
    """A PostgreSQL array literal of `values` (all text, all numbers, or all dates or
    aware datetimes), each element quoted: one text parameter instead of a list that
    the driver would convert element by element."""
    values = list(values)
    if values and isinstance(values[0], str):
        texts = values
    elif values and isinstance(values[0], int):
        texts = [str(value) for value in values]
    else:
        texts = [value.isoformat() for value in values]
    joined = "".join(texts)
    if '"' in joined or "\\" in joined:  # rare: only record IDs may hold these
        texts = [text.replace("\\", "\\\\").replace('"', '\\"') for text in texts]
    return '{"' + '","'.join(texts) + '"}'


def _execute(model, fields, rows, *, suffix: str) -> list[tuple]:
    """INSERT `rows` (tuples in `fields` order) into `model`'s table, followed by
    `suffix` (ON CONFLICT … [RETURNING …]); the rows RETURNING gave, if any."""
    if not rows:
        return []
    table, model_fields, q = _names(model, fields)
    columns = ", ".join(q(f.column) for f in model_fields)
    returned = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{_PG_TYPES[f.get_internal_type()]}[]" for f in model_fields)
            sql = f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) {suffix}"  # noqa: S608
            params = [_pg_array(row[i] for row in rows) for i in range(len(fields))]
            # Server-side binding: the five parameters travel apart from the statement,
            # not quoted into it by the driver (Django's default cursor does that, and
            # for 1,000 records it costs more than running the statement).
            with psycopg.Cursor(connection.connection) as raw:
                raw.execute(sql, params)
                return raw.fetchall() if "RETURNING" in suffix else []
        placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
        for start in range(0, len(rows), SQLITE_CHUNK):
            chunk = rows[start : start + SQLITE_CHUNK]
            values = ", ".join([placeholders] * len(chunk))
            sql = f"INSERT INTO {table} ({columns}) VALUES {values} {suffix}"  # noqa: S608
            params = [_adapt(f, row[i]) for row in chunk for i, f in enumerate(model_fields)]
            cursor.execute(sql, params)
            if "RETURNING" in suffix:
                returned += cursor.fetchall()
    return returned


def _conflict_suffix(model, key, *, add: str | None = None, returning=None) -> str:
    table, _, q = _names(model, ())
    target = ", ".join(q(model._meta.get_field(name).column) for name in key)
    if add is None:
        action = "DO NOTHING"
    else:
        column = q(model._meta.get_field(add).column)
        action = f"DO UPDATE SET {column} = {table}.{column} + excluded.{column}"
    suffix = f"ON CONFLICT ({target}) {action}"
    if returning:
        suffix += " RETURNING " + ", ".join(q(model._meta.get_field(n).column) for n in returning)
    return suffix


RECORD_FIELDS = ("record_id", "project_public_id", "metric", "hour", "quantity")


def insert_records(records) -> set[str]:
    """Store the records not stored yet; the IDs of those this call stored."""
    rows = sorted((r.record_id, r.project_public_id, r.metric, r.hour, r.quantity) for r in records)
    suffix = _conflict_suffix(UsageRecord, ["record_id"], returning=["record_id"])
    return {row[0] for row in _execute(UsageRecord, RECORD_FIELDS, rows, suffix=suffix)}


def stored_records(record_ids) -> dict[str, tuple]:
    """Stored records by ID: (project_public_id, metric, hour, quantity)."""
    found = {}
    ids = list(record_ids)
    for start in range(0, len(ids), SQLITE_CHUNK):
        rows = UsageRecord.objects.filter(record_id__in=ids[start : start + SQLITE_CHUNK])
        for record_id, *rest in rows.values_list(*RECORD_FIELDS):
            found[record_id] = tuple(rest)
    return found


_DAY_FIELDS = ("project_public_id", "metric", "day", "top_level_public_id", "quantity")
_MONTH_FIELDS = ("project_public_id", "metric", "month", "top_level_public_id", "quantity")
_FAMILY_FIELDS = ("top_level_public_id", "metric", "day", "quantity")


def add_to_totals(records, top_level: dict[str, str]) -> None:
    """Add records (each with .project_public_id, .metric, .hour, .quantity) to their
    project's day and month and to their top-level project's day. `top_level` maps each
    Project ID to its top-level project's ID."""
    daily = defaultdict(int)
    for r in records:
        daily[(r.project_public_id, r.metric, r.hour.date())] += r.quantity
    rows = sorted((p, m, d, top_level[p], q) for (p, m, d), q in daily.items())
    suffix = _conflict_suffix(DailyUsage, _DAY_FIELDS[:3], add="quantity")
    _execute(DailyUsage, _DAY_FIELDS, rows, suffix=suffix)
    _add_to_months_and_families(daily, top_level)


def insert_days_once(daily: dict, top_level: dict[str, str]) -> dict:
    """Store {(project, metric, day): quantity} as daily totals where the day has no
    total yet (never adding to one), and add what was stored to the month and family
    totals; returns what was stored. For history older than the records' window."""
    rows = sorted((p, m, d, top_level[p], q) for (p, m, d), q in daily.items())
    suffix = _conflict_suffix(DailyUsage, _DAY_FIELDS[:3], returning=_DAY_FIELDS)
    stored = {}
    for project, metric, day, _top, quantity in _execute(
        DailyUsage, _DAY_FIELDS, rows, suffix=suffix
    ):
        if isinstance(day, str):  # SQLite answers RETURNING with the stored text
            day = date.fromisoformat(day)
        stored[(project, metric, day)] = quantity
    _add_to_months_and_families(stored, top_level)
    return stored


def _add_to_months_and_families(daily: dict, top_level: dict[str, str]) -> None:
    monthly, family = defaultdict(int), defaultdict(int)
    for (project, metric, day), quantity in daily.items():
        monthly[(project, metric, month_of(day))] += quantity
        family[(top_level[project], metric, day)] += quantity
    rows = sorted((p, m, d, top_level[p], q) for (p, m, d), q in monthly.items())
    suffix = _conflict_suffix(MonthlyUsage, _MONTH_FIELDS[:3], add="quantity")
    _execute(MonthlyUsage, _MONTH_FIELDS, rows, suffix=suffix)
    rows = sorted((t, m, d, q) for (t, m, d), q in family.items())
    suffix = _conflict_suffix(FamilyDailyUsage, _FAMILY_FIELDS[:3], add="quantity")
    _execute(FamilyDailyUsage, _FAMILY_FIELDS, rows, suffix=suffix)

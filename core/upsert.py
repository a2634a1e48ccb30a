"""Set-based writes by hand, in one place: `upsert()` (INSERT … ON CONFLICT) and
`bulk_insert()` (COPY), for the writes the ORM cannot make in one statement.

    upsert(DailyUsage, ("project_public_id", "metric", "day", "quantity"), rows,
           conflict=("project_public_id", "metric", "day"),
           update={"quantity": "{old.quantity} + {new.quantity}"})

- `upsert(model, fields, rows, conflict=…)`: INSERT the rows (tuples in `fields`
  order) into the model's table, ON CONFLICT (`conflict`) DO NOTHING, or with `update`
  DO UPDATE SET each field to its SQL template, in which `{old.f}` is the stored row's
  column f and `{new.f}` the one the row tried to insert (`excluded`); `params` are the
  values of the templates' %s. `returning` names the fields RETURNING gives back: with
  DO NOTHING, exactly the rows this statement added (a row already there, or one a
  concurrent transaction added first, comes back absent). One statement for any
  number of rows on PostgreSQL; a statement per SQLITE_ROWS rows on SQLite.
- `bulk_insert(model, fields, rows)`: plain rows, fast: COPY FROM STDIN on
  PostgreSQL, one executemany on SQLite.

Only the model's table and column names are put into SQL text (quoted), besides the
caller's own templates; every value is a parameter. Both run in the caller's
transaction, through Django's cursor (errors are Django's, and the test suite's query
counts see them). Callers send rows sorted by the conflict target, so that two
transactions touching the same rows lock them in the same order and cannot deadlock.

On PostgreSQL an upsert's rows travel as one array per column (`unnest`), each array
one text parameter (a batch of 1,000 rows of 5 columns is five parameters, and the
statement text never changes), a few rows as a VALUES list; the parameters are bound
by the server: Django's default cursor would quote them into the statement in the
driver, which for 1,000 rows costs more than running it. On SQLite, a VALUES list.
"""

import functools
import re
from dataclasses import dataclass
from datetime import date

from django.db import connection

try:
    import psycopg
except ImportError:  # SQLite-only installs
    psycopg = None

# Rows per statement on SQLite (5 columns: 5,000 parameters, well under its limit).
SQLITE_ROWS = 1000
# From this many rows, PostgreSQL gets arrays; fewer go as a VALUES list (a failure
# count's one row: 0.24 ms as a VALUES list, 0.27 ms as arrays).
PG_ARRAYS_FROM = 16


class _Columns:
    """`{old.quantity}` / `{new.quantity}` in an update's template: a quoted column."""

    def __init__(self, model, prefix: str):
        self._meta, self._prefix = model._meta, prefix

    def __getattr__(self, name: str) -> str:
        column = self._meta.get_field(name).column
        return self._prefix + connection.ops.quote_name(column)


@dataclass(frozen=True)
class _Statement:
    head: str  # INSERT INTO table (columns)
    unnest: str  # PostgreSQL's SELECT * FROM unnest(one array per column)
    suffix: str  # ON CONFLICT … (and RETURNING …): "" for a plain insert
    placeholders: str  # one row's "(%s, %s, …)"
    datetimes: tuple[int, ...]  # the columns that hold datetimes, by position


@functools.cache
def _statement(model, fields, conflict, update, returning, vendor) -> _Statement:
    """The SQL of an insert, made once per kind of statement (a failure count is one
    statement of a few microseconds: making its text again each time cost as much)."""
    meta, q = model._meta, connection.ops.quote_name
    model_fields = [meta.get_field(name) for name in fields]
    table = q(meta.db_table)
    columns = ", ".join(q(field.column) for field in model_fields)
    head = f"INSERT INTO {table} ({columns})"
    unnest = ""
    if vendor == "postgresql":
        arrays = ", ".join(f"%s::{_pg_type(field)}[]" for field in model_fields)
        unnest = f"SELECT * FROM unnest({arrays})"  # noqa: S608 - quoted names, types
    suffix = ""
    if conflict:
        target = ", ".join(q(meta.get_field(name).column) for name in conflict)
        if update:
            old, new = _Columns(model, f"{table}."), _Columns(model, "excluded.")
            sets = ", ".join(
                f"{q(meta.get_field(name).column)} = {template.format(old=old, new=new)}"
                for name, template in update
            )
            suffix = f"ON CONFLICT ({target}) DO UPDATE SET {sets}"
        else:
            suffix = f"ON CONFLICT ({target}) DO NOTHING"
        if returning:
            suffix += " RETURNING " + ", ".join(q(meta.get_field(n).column) for n in returning)
    datetimes = tuple(
        i for i, field in enumerate(model_fields) if field.get_internal_type() == "DateTimeField"
    )
    placeholders = "(" + ", ".join(["%s"] * len(model_fields)) + ")"
    return _Statement(head, unnest, suffix, placeholders, datetimes)


def upsert(
    model,
    fields,
    rows,
    *,
    conflict,
    update: dict[str, str] | None = None,
    params=(),
    returning=(),
) -> list[tuple]:
    """INSERT … ON CONFLICT (see the module's note); the rows RETURNING gave, if any."""
    if not rows:
        return []
    vendor = connection.vendor
    update = tuple(update.items()) if update else ()
    statement = _statement(model, tuple(fields), tuple(conflict), update, tuple(returning), vendor)
    if vendor == "postgresql" and len(rows) >= PG_ARRAYS_FROM:
        values = [_pg_array([row[i] for row in rows]) for i in range(len(fields))]
        with _server_bound_cursor() as cursor:
            sql = f"{statement.head} {statement.unnest} {statement.suffix}"
            cursor.execute(sql, [*values, *params])
            return cursor.fetchall() if returning else []
    if vendor == "postgresql":  # a few rows: a VALUES list parses faster than arrays
        cursor = _server_bound_cursor()
    else:
        cursor, rows = connection.cursor(), _adapted(rows, statement.datetimes)
    found = []
    with cursor:
        for start in range(0, len(rows), SQLITE_ROWS):
            chunk = rows[start : start + SQLITE_ROWS]
            values = ", ".join([statement.placeholders] * len(chunk))
            sql = f"{statement.head} VALUES {values} {statement.suffix}"
            cursor.execute(sql, [value for row in chunk for value in row] + list(params))
            if returning:
                found += cursor.fetchall()
    return found


def bulk_insert(model, fields, rows) -> None:
    """Insert rows (tuples in `fields` order) in bulk, in the caller's transaction: COPY
    on PostgreSQL, one executemany on SQLite. Measured (bench/billing.py, 5,005
    statement lines): bulk_create built a model instance per row and was 90 % of a
    month's close; on PostgreSQL executemany costs a round trip per row, and one
    multi-row INSERT spends its time in the driver parsing 40,000 placeholders."""
    rows = list(rows)
    if not rows:
        return
    statement = _statement(model, tuple(fields), (), (), (), connection.vendor)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            table_and_columns = statement.head.removeprefix("INSERT INTO ")
            with cursor.copy(f"COPY {table_and_columns} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        cursor.executemany(
            f"{statement.head} VALUES {statement.placeholders}",
            _adapted(rows, statement.datetimes),
        )


def _adapted(rows, datetimes: tuple[int, ...]):
    """Rows with each value as the ORM would store it on SQLite. Dates and decimals
    need nothing (the sqlite3 adapters Django registers write them as the ORM does);
    datetimes are stored in UTC without their offset, as the ORM stores them."""
    if not datetimes:
        return rows
    adapt = connection.ops.adapt_datetimefield_value
    adapted = []
    for row in rows:
        row = list(row)
        for i in datetimes:
            row[i] = adapt(row[i])
        adapted.append(row)
    return adapted


def pg_arrays(rows, width: int) -> list[str]:
    """PostgreSQL: the rows (tuples of `width` values) as one array literal per column,
    for a caller's own `unnest(%s::type[], …)` statement (run it through
    server_bound_cursor(), like upsert's)."""
    return [_pg_array([row[i] for row in rows]) for i in range(width)]


def server_bound_cursor():
    """A cursor whose parameters the server binds (see _server_bound_cursor)."""
    return _server_bound_cursor()


def _pg_type(field) -> str:
    """The column's type without its size ("varchar", "numeric"): an array of it is cast
    without cutting a value short; the column still checks the size."""
    return re.sub(r"\(.*\)$", "", field.db_type(connection))


def _pg_array(values: list) -> str:
    """A PostgreSQL array literal of `values` (of one kind: text, numbers, dates or aware
    datetimes; None is NULL), each element quoted: one text parameter instead of a list
    that the driver would convert element by element."""
    if None in values:
        return "{" + ",".join("NULL" if v is None else _pg_array([v])[1:-1] for v in values) + "}"
    first = values[0] if values else ""
    if isinstance(first, str):
        texts = values
    elif isinstance(first, date):  # datetimes too
        # A batch repeats a few hours or days: each is written out once.
        texts = {value: value.isoformat() for value in set(values)}
        texts = [texts[value] for value in values]
    else:  # integers, decimals
        texts = [str(value) for value in values]
    joined = "".join(texts)
    if '"' in joined or "\\" in joined:  # rare: only free text (IDs, names) holds these
        texts = [text.replace("\\", "\\\\").replace('"', '\\"') for text in texts]
    return '{"' + '","'.join(texts) + '"}'


def _server_bound_cursor():
    """Django's cursor wrapper (its errors, and its query log when one is kept) around a
    psycopg cursor that binds the parameters on the server."""
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    return wrap(raw)

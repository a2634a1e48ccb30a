"""Usage records partitioned by month on PostgreSQL, with ingest running (ADR 0118).

SQLite keeps one records table: the IDs of its records go into the keys table (0005)
in one statement, and the keys' `hour` gets its index.

PostgreSQL, each step short and safe to run again after an interruption (the
migration is not atomic):

1. The new partitioned table beside the old one (usage_usagerecord_partitioned, the
   partitions of the window's months and MONTHS_AHEAD more), and a trigger on the old
   table that copies each row inserted from now on (by servers still running the
   previous release) into the new table and its ID into the keys table. CREATE
   TRIGGER waits for the inserts in progress, so every row is either committed before
   the copy below starts or copied by the trigger.
2. The old rows of the window's months, and their IDs, copied BATCH at a time in
   record ID order, each batch its own transaction (ON CONFLICT DO NOTHING: a row the
   trigger copied is skipped).
3. The swap, one transaction of a few milliseconds (lock_timeout applies): the old
   table is renamed away and the new one takes its name; then the old table is
   dropped. From the swap on, a server still running the previous release fails to
   ingest (its INSERT … ON CONFLICT (record_id) needs a unique index on record_id
   alone) until it restarts with this release; senders retry, and a retried record
   counts once.
"""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, transaction
from django.db.migrations.exceptions import IrreversibleError
from django.utils import timezone

from usage.partitions import MONTHS_AHEAD, months_of, name
from usage.periods import add_months, month_of

OLD = "usage_usagerecord"
NEW = "usage_usagerecord_partitioned"
AWAY = "usage_usagerecord_unpartitioned"
KEYS = "usage_usagerecordkey"
KEY_HOUR_INDEX = "usage_record_key_hour"
BATCH = 10_000
COLUMNS = "record_id, project_public_id, metric, hour, quantity, received_at"

COPY_FUNCTION = f"""
CREATE OR REPLACE FUNCTION usage_record_copy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {KEYS} (record_id, hour) VALUES (NEW.record_id, NEW.hour)
        ON CONFLICT DO NOTHING;
    INSERT INTO {NEW} ({COLUMNS}) VALUES (NEW.record_id, NEW.project_public_id,
        NEW.metric, NEW.hour, NEW.quantity, NEW.received_at) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$
"""


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        schema_editor.execute(
            f"INSERT OR IGNORE INTO {KEYS} (record_id, hour) SELECT record_id, hour FROM {OLD}"
        )
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {KEY_HOUR_INDEX} ON {KEYS} (hour)")
        return
    with connection.cursor() as cursor:
        # Django's varchar_pattern_ops copy of the keys' primary key serves LIKE, which
        # nothing asks: a second index written by every record (as 0002 did for records).
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s",
            [KEYS, "%_like"],
        )
        for (index,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX IF EXISTS "{index}"')
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {KEY_HOUR_INDEX} ON {KEYS} USING brin (hour)")
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [OLD])
        if cursor.fetchone() is None:
            start = _prepare(cursor)
            _copy(connection, start)
            with transaction.atomic(using=connection.alias), connection.cursor() as swap:
                swap.execute(f"LOCK TABLE {OLD} IN ACCESS EXCLUSIVE MODE")
                swap.execute(f"DROP TRIGGER IF EXISTS usage_record_copy ON {OLD}")
                swap.execute(f"ALTER TABLE {OLD} RENAME TO {AWAY}")
                swap.execute(f"ALTER TABLE {NEW} RENAME TO {OLD}")
        cursor.execute(f"DROP TABLE IF EXISTS {AWAY}")
        cursor.execute("DROP FUNCTION IF EXISTS usage_record_copy()")
        cursor.execute(f"ALTER INDEX IF EXISTS {NEW}_pkey RENAME TO {OLD}_pkey")


def _prepare(cursor):
    """Step 1: the partitioned table, its partitions and the copying trigger; returns
    the first month kept (older rows are past the window: they are not copied)."""
    now = timezone.now()
    start = month_of(now - timedelta(days=settings.USAGE_RECORD_RETENTION_DAYS))
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {NEW} ("
        " record_id varchar(128) NOT NULL,"
        " project_public_id varchar(26) NOT NULL,"
        " metric varchar(32) NOT NULL,"
        " hour timestamptz NOT NULL,"
        " quantity bigint NOT NULL CONSTRAINT usage_record_quantity CHECK (quantity >= 0),"
        " received_at timestamptz NOT NULL DEFAULT now(),"
        " PRIMARY KEY (record_id, hour)"
        ") PARTITION BY RANGE (hour)"
    )
    for month in months_of(start, add_months(month_of(now), MONTHS_AHEAD)):
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {name(month)} PARTITION OF {NEW} FOR VALUES "
            f"FROM ('{month:%Y-%m-%d} 00:00:00+00') "
            f"TO ('{add_months(month, 1):%Y-%m-%d} 00:00:00+00')"
        )
    cursor.execute(COPY_FUNCTION)
    cursor.execute(f"DROP TRIGGER IF EXISTS usage_record_copy ON {OLD}")
    cursor.execute(
        f"CREATE TRIGGER usage_record_copy AFTER INSERT ON {OLD} "
        "FOR EACH ROW EXECUTE FUNCTION usage_record_copy()"
    )
    return start


def _copy(connection, start) -> None:
    """Step 2: the old rows from `start` on, BATCH at a time (each in autocommit)."""
    after = ""
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH batch AS (SELECT {COLUMNS} FROM {OLD} WHERE record_id > %s "
                "ORDER BY record_id LIMIT %s), "
                f"keys AS (INSERT INTO {KEYS} (record_id, hour) SELECT record_id, hour "
                "FROM batch WHERE hour >= %s ON CONFLICT DO NOTHING), "
                f"copied AS (INSERT INTO {NEW} ({COLUMNS}) SELECT {COLUMNS} FROM batch "
                "WHERE hour >= %s ON CONFLICT DO NOTHING) "
                "SELECT max(record_id), count(*) FROM batch",
                [after, BATCH, start, start],
            )
            last, count = cursor.fetchone()
        if count < BATCH:
            return
        after = last


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        raise IrreversibleError(
            "usage.0006 partitioned the usage records; going back needs a copy into one "
            "table, which this migration does not do (restore a backup instead)."
        )
    schema_editor.execute(f"DROP INDEX IF EXISTS {KEY_HOUR_INDEX}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("usage", "0005_usage_record_keys")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

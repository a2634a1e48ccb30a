"""Storage settings per database, for ingest speed (bench/usage_ingest.py measures it).

- The totals tables leave room in their pages for HOT updates (PostgreSQL). Every
  ingest batch adds to the current day's and month's totals, an UPDATE of `quantity`,
  which no index covers. In full pages (fillfactor 100) each update moves the row to
  another page with new entries in every index, and the indexes fill with entries of
  dead row versions that later upserts must step over: the day and month upserts cost
  about 5 times more. With room in the page the new version stays there and no index
  is touched.
- No `varchar_pattern_ops` copy of the records' primary key (PostgreSQL): Django adds
  one to every text primary key for LIKE queries, which nothing here makes, and it
  would be a third index to write for every record.
- The records' `hour` index, for the retention purge: BRIN on PostgreSQL (records
  arrive roughly in hour order, and a BRIN index costs next to nothing per insert,
  where a B-tree costs as much as the primary key), a B-tree on SQLite.
"""

from django.db import migrations

TOTALS = ("usage_dailyusage", "usage_monthlyusage", "usage_familydailyusage")
FILLFACTOR = 70
HOUR_INDEX = "usage_record_hour"


def forwards(apps, schema_editor):
    q = schema_editor.quote_name
    if schema_editor.connection.vendor == "postgresql":
        for table in TOTALS:
            schema_editor.execute(f"ALTER TABLE {q(table)} SET (fillfactor = {FILLFACTOR})")
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'usage_usagerecord' "
                "AND indexname LIKE '%%_like'"
            )
            for (name,) in cursor.fetchall():
                schema_editor.execute(f"DROP INDEX {q(name)}")
        using = "USING brin "
    else:
        using = ""
    schema_editor.execute(
        f"CREATE INDEX {q(HOUR_INDEX)} ON {q('usage_usagerecord')} {using}({q('hour')})"
    )


def backwards(apps, schema_editor):
    q = schema_editor.quote_name
    schema_editor.execute(f"DROP INDEX {q(HOUR_INDEX)}")
    if schema_editor.connection.vendor == "postgresql":
        for table in TOTALS:
            schema_editor.execute(f"ALTER TABLE {q(table)} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("usage", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]

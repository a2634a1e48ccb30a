"""Benchmark: usage records partitioned by month (ADR 0118) against one table, PostgreSQL.

`DATABASE_URL=postgres://… .venv/bin/python bench/usage_partitions.py [--profile]`
(without a PostgreSQL DATABASE_URL it says so and stops: partitions are PostgreSQL's).
It migrates the database, then:

1. Retention of one month of BENCH_ROWS (10,000,000) records, loaded with INSERT …
   SELECT generate_series:
   - partitioned: usage.partitions.drop_expired, the job's own code (DETACH PARTITION
     … CONCURRENTLY, then DROP TABLE);
   - one table (the layout before usage.0006: primary key record_id, BRIN on hour): the
     batched DELETE the job ran before, 10,000 rows a statement.
   While each runs, another connection inserts a record of the current month and reads
   it back in a loop: its slowest round trip shows whether the other months were
   blocked.
2. Ingest through usage.services.usage_record (checks, record IDs, records, totals; in
   this process, batches of 1,000 records over 100 projects and 24 hours), interleaved
   per round: into the partitioned table, into one table with the previous storage code
   (INSERT … ON CONFLICT (record_id) into the records table), and a raw COPY of as many
   rows into the partitioned table. Prints records/s and the ratios (targets:
   partitioned >= one table, and >= 0.25 of COPY). `--profile` profiles one partitioned
   round with pyinstrument.

Everything it makes is removed afterwards. BENCH_ROWS, BENCH_ROUNDS (3) and
BENCH_BATCHES (20 per round) change the sizes.
"""

import os
import secrets
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = int(os.environ.get("BENCH_ROWS", "10000000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
BATCHES = int(os.environ.get("BENCH_BATCHES", "20"))
BATCH = 1000
DELETE_BATCH = 10_000
OLD_TABLE = "bench_usagerecord_one_table"
MONTH = date(2020, 1, 1)  # the month retention removes: long past any real window
METRICS = ("sms.outbound", "sms.inbound", "voice.minutes", "verification.requests", "api.requests")
# BENCH_ONE_TABLE=0: retention of the partitioned table only (the DELETE takes minutes).
ONE_TABLE = os.environ.get("BENCH_ONE_TABLE", "1") != "0"
COLUMNS = "record_id, project_public_id, metric, hour, quantity"


def configure(tmp: str) -> None:
    sys.path.insert(0, str(ROOT))
    from bench.support.environment import server_environment

    os.environ.update(server_environment(tmp))
    import django

    django.setup()
    from bench.support.environment import create_tables

    create_tables()


def raw_connection():
    """A connection of its own (autocommit), outside Django's."""
    import psycopg
    from django.db import connection

    return psycopg.connect(**connection.get_connection_params(), autocommit=True)


def create_one_table(cursor) -> None:
    """The records table as it was before usage.0006."""
    cursor.execute(f"DROP TABLE IF EXISTS {OLD_TABLE}")
    cursor.execute(
        f"CREATE TABLE {OLD_TABLE} (record_id varchar(128) PRIMARY KEY,"
        " project_public_id varchar(26) NOT NULL, metric varchar(32) NOT NULL,"
        " hour timestamptz NOT NULL, quantity bigint NOT NULL CHECK (quantity >= 0),"
        " received_at timestamptz NOT NULL DEFAULT now())"
    )
    cursor.execute(f"CREATE INDEX {OLD_TABLE}_hour ON {OLD_TABLE} USING brin (hour)")


def load(cursor, table: str, rows: int) -> float:
    """Seconds to load `rows` records of MONTH into `table`, a million a statement."""
    started = time.perf_counter()
    for first in range(0, rows, 1_000_000):
        last = min(rows, first + 1_000_000)
        cursor.execute(
            f"INSERT INTO {table} ({COLUMNS}) SELECT 'old-' || g, "
            "'01ABCDEFGHJKMNPQRSTVWXYZ00', 'sms.outbound', "
            "%s::timestamptz + (g %% 744) * interval '1 hour', 1 "
            "FROM generate_series(%s, %s) g",
            [datetime(MONTH.year, MONTH.month, 1, tzinfo=UTC), first + 1, last],
        )
    cursor.execute(f"VACUUM ANALYZE {table}")
    return time.perf_counter() - started


class Probe:
    """Another connection's insert and read of the current month, in a loop: the
    slowest round trip while something else runs."""

    def __init__(self, table: str):
        self.table, self.stop, self.slowest, self.count = table, threading.Event(), 0.0, 0
        self.thread = threading.Thread(target=self.run)

    def run(self):
        hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        with raw_connection() as conn, conn.cursor() as cursor:
            while not self.stop.is_set():
                record_id = f"probe-{secrets.token_hex(8)}"
                started = time.perf_counter()
                cursor.execute(
                    f"INSERT INTO {self.table} ({COLUMNS}) VALUES (%s, %s, %s, %s, 1)",
                    [record_id, "01ABCDEFGHJKMNPQRSTVWXYZ00", "sms.outbound", hour],
                )
                cursor.execute(
                    f"SELECT quantity FROM {self.table} WHERE record_id = %s AND hour = %s",
                    [record_id, hour],
                )
                assert cursor.fetchone() == (1,)
                self.slowest = max(self.slowest, time.perf_counter() - started)
                self.count += 1
                time.sleep(0.005)

    def __enter__(self):
        self.thread.start()
        time.sleep(0.2)
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def batched_delete(cursor, cutoff: datetime) -> int:
    """The job before partitions: ids of DELETE_BATCH rows past the window, then those."""
    deleted = 0
    while True:
        cursor.execute(
            f"SELECT record_id FROM {OLD_TABLE} WHERE hour < %s LIMIT %s",
            [cutoff, DELETE_BATCH],
        )
        ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return deleted
        cursor.execute(f"DELETE FROM {OLD_TABLE} WHERE record_id = ANY(%s)", [ids])
        deleted += cursor.rowcount


def retention() -> None:
    from django.db import connection

    from usage import partitions

    cutoff = datetime(2020, 2, 1, tzinfo=UTC)
    with raw_connection() as conn, conn.cursor() as cursor:
        create_one_table(cursor)
        partitions.create([MONTH])
        table = partitions.name(MONTH)
        print(f"Retention of one month of {ROWS:,} records")
        print(f"  loaded the partition {table} in {load(cursor, table, ROWS):.1f} s")
        if ONE_TABLE:
            print(f"  loaded one table {OLD_TABLE} in {load(cursor, OLD_TABLE, ROWS):.1f} s")
        connection.close()  # drop_expired runs in autocommit, outside any transaction
        with Probe(partitions.TABLE) as probe:
            started = time.perf_counter()
            steps = {}
            dropped = partitions.drop_expired(cutoff, timings=steps)
            drop = time.perf_counter() - started
        assert dropped == [table], dropped
        print(
            f"  partitioned: DETACH CONCURRENTLY {steps['detach']:.3f} s + DROP "
            f"{steps['drop']:.3f} s = {drop:.3f} s; meanwhile another "
            f"connection inserted and read {probe.count} records of the current month, "
            f"slowest {probe.slowest * 1000:.1f} ms"
        )
        if ONE_TABLE:
            with Probe(OLD_TABLE) as probe:
                started = time.perf_counter()
                deleted = batched_delete(cursor, cutoff)
                delete = time.perf_counter() - started
            print(
                f"  one table:   batched DELETE of {deleted:,} rows {delete:.1f} s; meanwhile "
                f"{probe.count} inserts and reads, slowest {probe.slowest * 1000:.1f} ms"
            )
            print(f"  ratio DELETE / drop: {delete / drop:,.0f}x")
        cursor.execute(f"DROP TABLE {OLD_TABLE}")


def ingest(profile: bool) -> None:
    from django.db import connection, models, transaction

    from accounts.models import Account
    from core.upsert import upsert
    from projects.models import Project
    from usage import services, storage
    from usage.models import UsageRecord

    class OneTableRecord(models.Model):
        """The records table before usage.0006, for the previous storage code."""

        record_id = models.CharField(max_length=128, primary_key=True)
        project_public_id = models.CharField(max_length=26)
        metric = models.CharField(max_length=32)
        hour = models.DateTimeField()
        quantity = models.BigIntegerField()

        class Meta:
            app_label = "usage"
            db_table = OLD_TABLE
            managed = False

        def __str__(self):
            return self.record_id

    def one_table_insert(records):  # storage.insert_records before ADR 0119
        rows = sorted(
            (r.record_id, r.project_public_id, r.metric, r.hour, r.quantity) for r in records
        )
        found = upsert(
            OneTableRecord,
            storage.RECORD_FIELDS,
            rows,
            conflict=["record_id"],
            returning=["record_id"],
        )
        return {row[0] for row in found}

    with connection.cursor() as cursor:
        create_one_table(cursor)
    account = Account.objects.create(name="Partitions bench")
    parent = Project.objects.create(account=account, name="Parent")
    subs = [Project.objects.create(account=account, parent=parent, name=f"C{i}") for i in range(99)]
    ids = [p.public_id for p in (parent, *subs)]
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    hours = [now - timedelta(hours=h) for h in range(1, 25)]
    run = secrets.token_hex(4)

    def batches(prefix):
        return [
            [
                {
                    "recordId": f"{prefix}-{b}-{i}",
                    "projectId": ids[i % 100],
                    "metric": METRICS[i // 100 % 5],
                    "hour": hours[(b + i) % 24].strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "quantity": 1 + i % 17,
                }
                for i in range(BATCH)
            ]
            for b in range(BATCHES)
        ]

    def through_service(prefix) -> float:
        prepared = batches(prefix)
        started = time.perf_counter()
        for records in prepared:
            assert services.usage_record(records=records).accepted == BATCH
        return BATCHES * BATCH / (time.perf_counter() - started)

    def copy(prefix) -> float:
        fields = ("recordId", "projectId", "metric", "hour", "quantity")
        rows = [tuple(r[f] for f in fields) for records in batches(prefix) for r in records]
        rows = [(*row[:3], datetime.fromisoformat(row[3]), row[4]) for row in rows]
        started = time.perf_counter()
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {UsageRecord._meta.db_table} ({COLUMNS}) FROM STDIN") as c,
        ):
            for row in rows:
                c.write_row(row)
        return len(rows) / (time.perf_counter() - started)

    print(
        f"Ingest through usage.services.usage_record: {ROUNDS} rounds of {BATCHES} batches "
        f"of {BATCH:,}, interleaved"
    )
    new, old, raw = [], [], []
    real_insert = storage.insert_records
    try:
        for n in range(ROUNDS):
            new.append(through_service(f"{run}-p{n}"))
            storage.insert_records = one_table_insert
            try:
                old.append(through_service(f"{run}-o{n}"))
            finally:
                storage.insert_records = real_insert
            raw.append(copy(f"{run}-c{n}"))
            print(
                f"  round {n + 1}: partitioned {new[-1]:>7,.0f} records/s   one table "
                f"{old[-1]:>7,.0f} records/s   COPY {raw[-1]:>8,.0f} rows/s"
            )
        if profile:
            from pyinstrument import Profiler

            with Profiler() as profiler:
                through_service(f"{run}-profile")
            print(profiler.output_text(color=False, show_all=False))
    finally:
        storage.insert_records = real_insert
        cleanup(run, parent, account)
    p, o, c = (sum(x) / len(x) for x in (new, old, raw))
    print(
        f"  mean: partitioned {p:,.0f}, one table {o:,.0f} records/s (ratio {p / o:.2f}, "
        f"target >= 1), COPY {c:,.0f} rows/s (partitioned / COPY {p / c:.2f}, target >= 0.25)"
    )


def cleanup(run, parent, account) -> None:
    from django.db import connection

    from bench.support.cleanup import delete_family
    from usage.models import UsageRecord, UsageRecordKey

    UsageRecord.objects.filter(record_id__startswith=run).delete()
    UsageRecordKey.objects.filter(record_id__startswith=run).delete()
    UsageRecord.objects.filter(record_id__startswith="probe-").delete()
    delete_family(parent)
    account.delete()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {OLD_TABLE}")


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("usage_partitions: needs DATABASE_URL=postgres://… (partitions); skipped.")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        configure(tmp)
        print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.1f}")
        if "--ingest-only" not in sys.argv:
            retention()
        ingest("--profile" in sys.argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())

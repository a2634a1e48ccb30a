"""One side of bench/usage_partitions.py's ingest comparison: a process that ingests
usage through the code of one checkout, into its own database.

    DATABASE_URL=… python bench/support/ingest_worker.py CODE_DIR

(with the bench's server environment) migrates the database, makes an account with a
parent and 99 subprojects, says "ready" and the path of the usage services it
imported, then takes commands on standard input, one a
line, and answers each with one line:

- `ingest PREFIX`: BATCHES batches of 1,000 records (100 projects, 5 metrics, 24 hours)
  through usage.services.usage_record; answers records/s.
- `one-table PREFIX`: the same with the previous storage (one records table, no record
  IDs table, four statements; this checkout's code otherwise); answers records/s.
- `copy PREFIX`: as many rows, made the same way, by COPY FROM STDIN into the records
  table in one transaction; answers rows/s.
- `copy-batches PREFIX`: the same, a COPY and a commit per batch of 1,000 rows (as
  ingest acknowledges a batch only once it is committed).
- `profile PREFIX`: `ingest` under pyinstrument, its report on standard error.
- `quit`: ends.

It imports nothing from the benchmark, but for `one-table`, which only this checkout
offers: CODE_DIR may be an older commit's files, whose `bench` may differ.
"""

import os
import sys
import time
from datetime import UTC, datetime, timedelta

BATCH = 1000
METRICS = ("sms.outbound", "sms.inbound", "voice.minutes", "verification.requests", "api.requests")
COLUMNS = "record_id, project_public_id, metric, hour, quantity"


def hour_of(text: str) -> datetime:
    return datetime.fromisoformat(text)


def main() -> None:
    sys.path.insert(0, os.path.abspath(sys.argv[1]))
    batches_per_run = int(os.environ.get("BENCH_BATCHES", "20"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from accounts.models import Account
    from projects.models import Project
    from usage import services, storage

    account = Account.objects.create(name="Partitions bench")
    parent = Project.objects.create(account=account, name="Parent")
    subs = [Project.objects.create(account=account, parent=parent, name=f"C{i}") for i in range(99)]
    ids = [p.public_id for p in (parent, *subs)]
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    hours = [(now - timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M:%SZ") for h in range(1, 25)]

    def batches(prefix):
        return [
            [
                {
                    "recordId": f"{prefix}-{b}-{i}",
                    "projectId": ids[i % 100],
                    "metric": METRICS[i // 100 % 5],
                    "hour": hours[(b + i) % 24],
                    "quantity": 1 + i % 17,
                }
                for i in range(BATCH)
            ]
            for b in range(batches_per_run)
        ]

    def ingest(prefix) -> float:
        prepared = batches(prefix)
        started = time.perf_counter()
        for records in prepared:
            assert services.usage_record(records=records).accepted == BATCH
        return batches_per_run * BATCH / (time.perf_counter() - started)

    def copy(prefix, *, per_batch=False) -> float:
        prepared = [
            [
                (r["recordId"], r["projectId"], r["metric"], hour_of(r["hour"]), r["quantity"])
                for r in records
            ]
            for records in batches(prefix)
        ]
        if not per_batch:
            prepared = [[row for rows in prepared for row in rows]]
        started = time.perf_counter()
        for rows in prepared:
            with (
                transaction.atomic(),
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY usage_usagerecord ({COLUMNS}) FROM STDIN") as c,
            ):
                for row in rows:
                    c.write_row(row)
        return sum(map(len, prepared)) / (time.perf_counter() - started)

    def profile(prefix) -> float:
        from pyinstrument import Profiler

        with Profiler() as profiler:
            rate = ingest(prefix)
        print(profiler.output_text(color=False, show_all=False), file=sys.stderr, flush=True)
        return rate

    commands = {
        "ingest": ingest,
        "copy": copy,
        "copy-batches": lambda prefix: copy(prefix, per_batch=True),
        "profile": profile,
    }
    if hasattr(storage, "store"):  # this checkout: its pipeline with the previous storage
        commands["one-table"] = one_table(storage, ingest)
    print(f"ready {services.__file__}", flush=True)  # whose code this process runs
    for line in sys.stdin:
        command, _, prefix = line.strip().partition(" ")
        if command == "quit":
            break
        print(f"{commands[command](prefix):.1f}", flush=True)


def one_table(storage, ingest):
    """`one-table`: ingest with storage.store as it was before usage records were
    partitioned (ADR 0118, 0119): one table, its primary key the record ID, BRIN on the
    hour; the IDs inserted by INSERT … ON CONFLICT DO NOTHING RETURNING, then the
    totals by add_to_totals' three upserts."""
    from django.db import connection, models

    from bench.usage_partitions import OLD_TABLE, create_one_table  # (this checkout's)
    from core.upsert import upsert

    with connection.cursor() as cursor:
        create_one_table(cursor)

    class OneTableRecord(models.Model):
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

    def store(records, family_of):
        records = list(records)
        rows = sorted(tuple(r) for r in records)
        found = upsert(
            OneTableRecord,
            storage.RECORD_FIELDS,
            rows,
            conflict=["record_id"],
            returning=["record_id"],
        )
        new = {row[0] for row in found}
        storage.add_to_totals([r for r in records if r.record_id in new], family_of)
        return new

    def measure(prefix) -> float:
        real = storage.store
        storage.store = store
        try:
            return ingest(prefix)
        finally:
            storage.store = real

    return measure


if __name__ == "__main__":
    main()

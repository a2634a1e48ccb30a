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
2. Ingest through usage.services.usage_record (checks, record IDs, records, totals, spend
   limits; batches of 1,000 records over 100 projects, 5 metrics and 24 hours), each
   side in its own process and fresh database (bench/support/ingest_worker.py),
   interleaved per round after a warm-up round, in turn forwards and backwards:
   - this code, into the partitioned table;
   - today's code: the last commit before partitions (TODAY, 1fe016a, taken with `git
     archive`), into its one table;
   - the storage alone: this code with the previous storage (one table, four
     statements) in place of usage.storage.store;
   - a raw COPY of as many rows into the partitioned table, in one transaction;
   - the same COPY with a commit per batch of 1,000 rows, as ingest commits each batch.
   Prints records/s and the ratios (targets: this code >= today's code, and >= 0.25
   of COPY). `--profile` profiles one round of this code with pyinstrument.

Everything it makes is removed afterwards. BENCH_ROWS, BENCH_ROUNDS (3) and
BENCH_BATCHES (20 per round) change the sizes; BENCH_TODAY another commit to compare
with.
"""

import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = int(os.environ.get("BENCH_ROWS", "10000000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
BATCHES = int(os.environ.get("BENCH_BATCHES", "20"))
BATCH = 1000
DELETE_BATCH = 10_000
OLD_TABLE = "bench_usagerecord_one_table"
MONTH = date(2020, 1, 1)  # the month retention removes: long past any real window
# BENCH_ONE_TABLE=0: retention of the partitioned table only (the DELETE takes minutes).
ONE_TABLE = os.environ.get("BENCH_ONE_TABLE", "1") != "0"
COLUMNS = "record_id, project_public_id, metric, hour, quantity"
# Today's code: the last commit before 4d176d9 partitioned the usage records.
TODAY = os.environ.get("BENCH_TODAY", "1fe016a")


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


class Worker:
    """A bench/support/ingest_worker.py process: one checkout's code, its own database."""

    def __init__(self, code: Path, database_url: str, tmp: str):
        env = {**os.environ, "DATABASE_URL": database_url, "BENCH_BATCHES": str(BATCHES)}
        env.update(server_environment_for(tmp))
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench/support/ingest_worker.py"), str(code)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=code,
        )
        ready = self.answer()
        if ready != f"ready {code.resolve() / 'usage/services.py'}":  # its own code, no other
            raise RuntimeError(f"ingest worker of {code}: {ready}")

    def answer(self) -> str:
        line = self.process.stdout.readline().strip()
        if not line:
            raise RuntimeError("ingest worker: ended")
        return line

    def rate(self, command: str, prefix: str) -> float:
        self.process.stdin.write(f"{command} {prefix}\n")
        self.process.stdin.flush()
        return float(self.answer())

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
            self.process.wait(timeout=60)


def server_environment_for(tmp: str) -> dict[str, str]:
    from bench.support.environment import server_environment

    return server_environment(tmp)


def ingest(profile: bool, tmp: str) -> None:
    """Ingest through this code into the partitioned table, through today's code (the
    commit before partitions, TODAY) into its one table, through this code with the
    previous storage (the storage alone), and a raw COPY; each in its own process and
    database, interleaved."""
    from django.db import connection

    base = connection.settings_dict["NAME"]
    databases = {side: f"{base}_bench_{side}" for side in ("now", "today")}
    today = Path(tmp) / "today"
    today.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", TODAY], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(today)], input=archive, check=True)
    with raw_connection() as conn:
        for name in databases.values():
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    workers = {}
    try:
        workers["now"] = Worker(ROOT, f"{url}/{databases['now']}", tmp)
        workers["today"] = Worker(today, f"{url}/{databases['today']}", tmp)
        sides = {
            "this code": ("now", "ingest"),
            f"today's code ({TODAY})": ("today", "ingest"),
            "storage alone: one table": ("now", "one-table"),
            "COPY": ("now", "copy"),
            "COPY per batch": ("now", "copy-batches"),
        }
        names = list(sides)
        print(
            f"Ingest through usage.services.usage_record: {ROUNDS} rounds of {BATCHES} "
            f"batches of {BATCH:,}, interleaved (records/s; COPY rows/s)"
        )
        rates = {name: [] for name in names}
        for name, (worker, command) in sides.items():  # a warm-up round, not counted
            workers[worker].rate(command, f"w{names.index(name)}")
        for n in range(ROUNDS):
            # Forwards and backwards in turn: no side always goes first.
            order = names if n % 2 == 0 else names[::-1]
            for name in order:
                worker, command = sides[name]
                rates[name].append(workers[worker].rate(command, f"r{n}-{names.index(name)}"))
            print(f"  round {n + 1}: " + "   ".join(f"{rates[x][-1]:>7,.0f}" for x in names))
        if profile:
            workers["now"].rate("profile", "profile")
    finally:
        for worker in workers.values():
            worker.close()
        with raw_connection() as conn:
            for name in databases.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    mean = {name: sum(values) / len(values) for name, values in rates.items()}
    now, before, alone, raw, raw_batches = (mean[name] for name in names)
    print("  mean: " + ", ".join(f"{name} {mean[name]:,.0f}" for name in names))
    print(
        f"  this code / today's code {now / before:.2f} (target >= 1); this code / "
        f"storage alone {now / alone:.2f}; this code / COPY {now / raw:.2f} (target >= 0.25);"
        f" this code / COPY per batch {now / raw_batches:.2f}"
    )


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("usage_partitions: needs DATABASE_URL=postgres://… (partitions); skipped.")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        configure(tmp)
        print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.1f}")
        if "--ingest-only" not in sys.argv:
            retention()
        ingest("--profile" in sys.argv, tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())

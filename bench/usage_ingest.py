"""Benchmark: usage ingest through the HTTP API against a raw COPY, on PostgreSQL.

`DATABASE_URL=postgres://… .venv/bin/python bench/usage_ingest.py` (without a
PostgreSQL DATABASE_URL it says so and stops: COPY is PostgreSQL's). It migrates,
makes a parent with 99 subprojects and a platform token (removing them and their usage
afterwards), starts gunicorn (2 workers, DEBUG off) and then, interleaved in each round:

- HTTP: POST /api/internal/v1/usage:batchRecord, batches of 1,000 new records (spread
  over the 100 projects, 5 metrics and the last 24 hours, as a service would send
  them), from several client threads: records/s, everything included (JSON, checks,
  the record insert and the day, month and family upserts, in one transaction each);
- COPY: the same number of rows, with the same columns, into the same records table
  with psycopg's COPY FROM STDIN: rows/s of the database's fastest way in.

Prints both and their ratio (target: HTTP >= 0.25 of COPY).
Options (environment): BENCH_BATCHES (per round, default 40), BENCH_ROUNDS (3),
BENCH_CLIENTS (4).
"""

import json
import os
import secrets
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCHES = int(os.environ.get("BENCH_BATCHES", "40"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
BATCH = 1000
METRICS = ("sms.outbound", "sms.inbound", "voice.minutes", "verification.requests", "api.requests")


def configure(tmp: str) -> None:
    sys.path.insert(0, str(ROOT))
    from bench.support.environment import server_environment

    os.environ.update(server_environment(tmp))


def records(prefix: str, count: int, project_ids, hours):
    for i in range(count):
        yield (
            f"{prefix}-{i}",
            project_ids[i % len(project_ids)],
            METRICS[i // len(project_ids) % len(METRICS)],
            hours[i % len(hours)],
            1 + i % 17,
        )


def bodies(prefix, project_ids, hours) -> list[bytes]:
    rows = list(records(prefix, BATCHES * BATCH, project_ids, hours))
    return [
        json.dumps(
            {
                "records": [
                    {
                        "recordId": r[0],
                        "projectId": r[1],
                        "metric": r[2],
                        "hour": r[3].strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "quantity": r[4],
                    }
                    for r in rows[start : start + BATCH]
                ]
            }
        ).encode()
        for start in range(0, len(rows), BATCH)
    ]


def send_all(url: str, token: str, batches: list[bytes]) -> float:
    """Records/s of sending every batch from CLIENTS threads."""
    queue = list(batches)
    lock = threading.Lock()
    errors = []

    def client():
        while True:
            with lock:
                if not queue:
                    return
                body = queue.pop()
            request = urllib.request.Request(
                url, data=body, method="POST",
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )  # fmt: skip
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    answer = json.loads(response.read())
                    if answer["accepted"] != BATCH:
                        errors.append(answer)
            except Exception as error:  # reported below: the figure would mean nothing
                errors.append(error)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if errors:
        raise SystemExit(f"ingest failed: {errors[0]}")
    return len(batches) * BATCH / seconds


def copy_all(rows) -> float:
    """Rows/s of COPY FROM STDIN of `rows` into the records table, one transaction."""
    from django.db import connection, transaction

    from usage.models import UsageRecord

    table = UsageRecord._meta.db_table
    columns = "record_id, project_public_id, metric, hour, quantity"
    started = time.perf_counter()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
    return len(rows) / (time.perf_counter() - started)


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print(
            "usage_ingest: needs DATABASE_URL=postgres://… (it compares with "
            "PostgreSQL's COPY); skipped."
        )
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        configure(tmp)
        import django

        django.setup()
        from django.db import connection

        from bench.support.environment import create_tables

        create_tables()
        from accounts.models import Account
        from projects.models import Project
        from usage import services

        account = Account.objects.create(name="Ingest bench")
        parent = Project.objects.create(account=account, name="Parent")
        subs = [
            Project.objects.create(account=account, parent=parent, name=f"C{i}") for i in range(99)
        ]
        project_ids = [p.public_id for p in (parent, *subs)]
        token, secret = services.platform_token_create(name="bench")
        now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        hours = [now - timedelta(hours=h) for h in range(1, 25)]
        run = secrets.token_hex(4)
        connection.close()
        from bench.support.server import free_port, start_gunicorn

        port = free_port()
        server = start_gunicorn(port)
        url = f"http://127.0.0.1:{port}/api/internal/v1/usage:batchRecord"
        print(
            f"Usage ingest on PostgreSQL: {ROUNDS} rounds of {BATCHES} batches of {BATCH:,} "
            f"records over HTTP (gunicorn 2 workers, {CLIENTS} clients) and a COPY of as many rows"
        )
        http, raw = [], []
        try:
            for n in range(ROUNDS):
                prepared = bodies(f"{run}-http-{n}", project_ids, hours)
                http.append(send_all(url, secret, prepared))
                rows = list(records(f"{run}-copy-{n}", BATCHES * BATCH, project_ids, hours))
                raw.append(copy_all(rows))
                print(
                    f"  round {n + 1}: HTTP {http[-1]:>9,.0f} records/s   "
                    f"COPY {raw[-1]:>9,.0f} rows/s"
                )
        finally:
            server.terminate()
            server.wait()
            cleanup(account, parent, token, run)
    h, c = sum(http) / len(http), sum(raw) / len(raw)
    print(
        f"  mean: HTTP {h:,.0f} records/s, COPY {c:,.0f} rows/s, ratio {h / c:.2f} (target >= 0.25)"
    )
    return 0


def cleanup(account, parent, token, run):
    from bench.support.cleanup import delete_family
    from usage.models import UsageRecord

    UsageRecord.objects.filter(record_id__startswith=run).delete()
    delete_family(parent)
    token.delete()
    account.delete()


if __name__ == "__main__":
    sys.exit(main())

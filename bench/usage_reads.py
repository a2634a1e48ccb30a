"""Benchmark: the Usage page with 1,000 vs 10 subprojects, and a streamed CSV export
of 1,000,000 rows.

Standalone: `.venv/bin/python bench/usage_reads.py` makes a throwaway SQLite database
(or uses DATABASE_URL when set, removing its bench rows afterwards), then:

1. Two parents, A with 1,000 subprojects and B with 10, each with a year of daily usage
   for the 5 metrics (A: 1,825,000 daily rows), written through usage.storage (the
   same upserts as ingest, which also fill the month and family totals).
2. The Usage page of each, through django.test.Client in this process, interleaved,
   for this month (the default) and for the last 12 months: median server time, the
   ratio A/B (target: within 2x) and the number of queries.
3. The daily CSV of A over 200 days (1,000,000 rows), in a fresh child process so
   that its peak RSS is its own: rows/s streamed (target >= 100,000/s) and peak RSS,
   beside the same rows written by a raw cursor into csv.writer (COPY … TO STDOUT on
   PostgreSQL) and beside building the same CSV in memory first.

Options (environment): BENCH_N (page requests per case, default 15).
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N = int(os.environ.get("BENCH_N", "15"))
SIZES = {"A": 1000, "B": 10}
HISTORY_DAYS = 365
CSV_DAYS = 200  # 1,000 subprojects x 5 metrics x 200 days = 1,000,000 rows


def configure(tmp: str) -> bool:
    """Environment for this process and its CSV children; True when the database is ours."""
    sys.path.insert(0, str(ROOT))
    from bench.support import environment

    return environment.configure(tmp, allowed_hosts="testserver,127.0.0.1")


def populate():

    from bench.support.environment import create_tables

    create_tables()
    from django.db import transaction

    from accounts.models import Account, Membership, Role, User
    from core.ids import new_public_id
    from projects.models import Project
    from usage import storage
    from usage.metrics import CODES

    account = Account.objects.create(name="Usage bench")
    user = User.objects.create_user(f"bench-{new_public_id()}@example.com", "x")
    Membership.objects.create(account=account, user=user, role=Role.ADMIN)
    today = datetime.now(UTC).date()
    first = today - timedelta(days=HISTORY_DAYS - 1)
    parents = {}
    for label, count in SIZES.items():
        started = time.perf_counter()
        parent = Project.objects.create(account=account, name=f"Parent {label}")
        subs = Project.objects.bulk_create(
            [
                Project(
                    account=account, parent=parent, name=f"Customer {i}", public_id=new_public_id()
                )
                for i in range(count)
            ],
            batch_size=1000,
        )
        members = [parent, *subs]
        family_of = {p.public_id: parent.public_id for p in members}
        for start in range(0, len(members), 20):
            days = {
                (p.public_id, metric, first + timedelta(days=d)): 1 + (i * 7 + d * 3 + m) % 500
                for i, p in enumerate(members[start : start + 20], start=start)
                for m, metric in enumerate(CODES)
                for d in range(HISTORY_DAYS)
            }
            with transaction.atomic():
                storage.insert_days_once(days, family_of)
        parents[label] = parent
        rows = len(members) * len(CODES) * HISTORY_DAYS
        print(f"  parent {label}: {count:,} subprojects, {rows:,} daily rows in "
              f"{time.perf_counter() - started:.0f}s")  # fmt: skip
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
    return account, user, parents, today


def page_times(user, parents, today):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    year = f"?period=custom&start={today - timedelta(days=364)}&end={today}"
    cases = {"this month": "", "12 months": year}
    times = {(label, case): [] for label in parents for case in cases}
    queries = {}
    for case, query in cases.items():
        for label, parent in parents.items():
            url = f"/projects/{parent.public_id}/usage/{query}"
            client.get(url)  # warm up
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            queries[(label, case)] = len(captured)
    for _ in range(N):  # interleaved: A, B, A, B …
        for case, query in cases.items():
            for label, parent in parents.items():
                url = f"/projects/{parent.public_id}/usage/{query}"
                started = time.perf_counter()
                response = client.get(url)
                times[(label, case)].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
    print(f"\nUsage page, median of {N} (server time in this process)")
    print(
        f"  {'period':<11} {'1,000 subprojects':>18} {'10 subprojects':>15} "
        f"{'ratio':>6} {'queries':>8}"
    )
    for case in cases:
        a = statistics.median(times[("A", case)])
        b = statistics.median(times[("B", case)])
        q = f"{queries[('A', case)]}/{queries[('B', case)]}"
        print(f"  {case:<11} {a:>15.1f} ms {b:>12.1f} ms {a / b:>6.2f} {q:>8}")
    return client


def csv_child(args):
    """In a fresh process: fetch the daily CSV (streamed), or write the same rows another
    way; print figures as JSON."""
    mode, parent_id, user_email, start, end = args
    from bench.support.environment import setup_django

    setup_django(test_environment=False)
    from django.db import connection

    from accounts.models import User

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    rows = size = 0
    if mode in ("streamed", "in memory"):
        from django.test import Client

        client = Client()
        client.force_login(User.objects.get(email=user_email))
        url = f"/projects/{parent_id}/usage/daily.csv?period=custom&start={start}&end={end}"
        started = time.perf_counter()
        response = client.get(url)
        if mode == "streamed":
            for chunk in response.streaming_content:
                size += len(chunk)
                rows += chunk.count(b"\n")
        else:  # what a view that builds the whole file first would hold
            body = b"".join(response.streaming_content)
            size, rows = len(body), body.count(b"\n")
    else:  # raw: the same columns straight from the database into csv
        import csv

        from usage.models import DailyUsage

        table = DailyUsage._meta.db_table
        sql = (
            f"SELECT day, project_public_id, metric, quantity FROM {table} "
            "WHERE family_public_id = %s AND day >= %s AND day <= %s "
            "ORDER BY project_public_id, metric, day"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                raw = cursor.cursor
                copy_sql = f"COPY ({sql}) TO STDOUT WITH CSV HEADER"
                with raw.copy(copy_sql, [parent_id, start, end]) as copy:
                    for data in copy:
                        size += len(data)
                        rows += bytes(data).count(b"\n")
        else:

            class Count:
                def write(self, text):
                    nonlocal size, rows
                    size += len(text)
                    rows += 1

            writer = csv.writer(Count())
            with connection.cursor() as cursor:
                cursor.execute(sql, [parent_id, start, end])
                while batch := cursor.fetchmany(5000):
                    writer.writerows(batch)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {"rows": rows, "bytes": size, "seconds": seconds, "before": before, "peak": peak}
        )
    )


def csv_figures(parents, user, today):
    start = today - timedelta(days=CSV_DAYS - 1)
    print(f"\nDaily CSV of parent A, {start} to {today} (a fresh process each)")
    results = {}
    for mode in ("streamed", "raw", "streamed", "in memory"):
        out = subprocess.run(
            [sys.executable, __file__, "--csv-child", mode, parents["A"].public_id,
             user.email, str(start), str(today)],
            check=True, capture_output=True, text=True, env=os.environ,
        )  # fmt: skip
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        results.setdefault(mode, []).append(figures)
    print(
        f"  {'export':<10} {'rows':>10} {'MB':>6} {'seconds':>8} {'rows/s':>10} "
        f"{'peak RSS':>9} {'start RSS':>10}"
    )
    for mode, runs in results.items():
        best = min(runs, key=lambda r: r["seconds"])
        print(
            f"  {mode:<10} {best['rows']:>10,} {best['bytes'] / 1e6:>6.1f} {best['seconds']:>8.2f} "
            f"{best['rows'] / best['seconds']:>10,.0f} {best['peak'] / 1024:>6.0f} MB "
            f"{best['before'] / 1024:>7.0f} MB"
        )
    streamed = min(results["streamed"], key=lambda r: r["seconds"])
    raw = results["raw"][0]
    print(f"  streamed/raw speed: {raw['seconds'] / streamed['seconds']:.2f}")


def main():
    if sys.argv[1:2] == ["--csv-child"]:
        sys.path.insert(0, str(ROOT))
        return csv_child(sys.argv[2:])
    with tempfile.TemporaryDirectory() as tmp:
        own_database = configure(tmp)
        from bench.support.environment import setup_django

        setup_django()
        from django.db import connection

        print(f"Usage reads ({connection.vendor}); building the data")
        account, user, parents, today = populate()
        try:
            page_times(user, parents, today)
            connection.close()
            csv_figures(parents, user, today)
        finally:
            if not own_database:
                cleanup(account, user, parents)


def cleanup(account, user, parents):
    from bench.support.cleanup import delete_family

    for parent in parents.values():
        delete_family(parent)
    user.delete()
    account.delete()


if __name__ == "__main__":
    main()

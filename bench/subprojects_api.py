"""Benchmark: GET /api/v1/projects/{id}/subprojects throughput with 10,000 and 100,000
subprojects under one parent.

Standalone: `.venv/bin/python bench/subprojects_api.py` makes a throwaway SQLite database
(or uses DATABASE_URL when set, removing its bench rows afterwards), bulk-inserts the
subprojects, starts gunicorn (2 workers, DEBUG off) on a free local port and measures
requests per second with pageSize=100, on the first page and on a deep page (a page
token from the middle of the list), from a few client threads. The target: the 100,000
parent within 1.5x of the 10,000 one, which keyset pagination on the project_children
index gives.

Options (environment): BENCH_SECONDS (per measurement, default 6), BENCH_CLIENTS
(default 4).
"""

import base64
import os
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))
ROUNDS = 2  # measurements alternate between the parents; each figure is the mean
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
SIZES = {"A": 10_000, "B": 100_000}
TARGET_RATIO = 1.5


def configure(tmp: str) -> bool:
    """Environment for this process and the server; True when the database is ours."""
    sys.path.insert(0, str(ROOT))
    from bench.support import environment

    return environment.configure(tmp)


def populate():
    """Two parents with SIZES subprojects each, a key for each; returns the cases."""

    from bench.support.environment import create_tables

    create_tables()

    from accounts.models import Account
    from core.api.pagination import make_page_token
    from projects import services
    from projects.models import Project

    account = Account.objects.create(name="Bench")
    cases = {}
    for label, count in SIZES.items():
        started = time.perf_counter()
        parent = services.project_create(account=account, name=f"Parent {label}")
        for start in range(0, count, 5000):
            Project.objects.bulk_create(
                [
                    Project(account=account, parent=parent, name=f"Customer {i}")
                    for i in range(start, min(start + 5000, count))
                ]
            )
        key, secret = services.access_key_create(project=parent, display_name="bench")
        middle = (
            Project.objects.filter(parent=parent)
            .order_by("-created_at", "-public_id")
            .values("created_at", "public_id")[count // 2]
        )
        token = make_page_token(
            f"subprojects:{parent.public_id}:0",
            [middle["created_at"].isoformat(), middle["public_id"]],
        )
        auth = "Basic " + base64.b64encode(f"{key.key_id}:{secret}".encode()).decode()
        url = f"/api/v1/projects/{parent.public_id}/subprojects?pageSize=100"
        cases[label] = {
            "auth": auth,
            "first": url,
            "deep": f"{url}&pageToken={token}",
        }
        print(f"  parent {label}: {count:,} subprojects in {time.perf_counter() - started:.1f}s")
    from django.db import connection

    if connection.vendor == "sqlite":
        # Fold the bulk inserts' write-ahead log into the database file now, or the first
        # measurements would pay for reading it and the comparison would be unfair.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE projects_project")
    return account, cases


def fetch(base: str, path: str, auth: str) -> None:
    request = urllib.request.Request(base + path, headers={"Authorization": auth})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
        if response.status != 200 or b'"subprojects"' not in body:
            raise RuntimeError(f"unexpected answer {response.status}")


def throughput(base: str, path: str, auth: str) -> float:
    """Requests per second over SECONDS from CLIENTS threads, after a short warm-up."""
    for _ in range(5):
        fetch(base, path, auth)
    done = [0] * CLIENTS
    errors = []
    stop = time.perf_counter() + SECONDS

    def client(index):
        try:
            while time.perf_counter() < stop:
                fetch(base, path, auth)
                done[index] += 1
        except Exception as e:  # reported below, the figure would be meaningless
            errors.append(e)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"requests failed: {errors[0]}")
    return sum(done) / (time.perf_counter() - started)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        own_database = configure(tmp)
        import django

        django.setup()
        from django.db import connection

        print(
            f"Subprojects list throughput ({connection.vendor}, gunicorn 2 workers, "
            f"{CLIENTS} clients, {ROUNDS} x {SECONDS:g}s each, pageSize=100)"
        )
        account, cases = populate()
        connection.close()
        from bench.support.server import free_port, start_gunicorn

        port = free_port()
        server = start_gunicorn(port)
        base = f"http://127.0.0.1:{port}"
        try:
            figures = {}
            for _ in range(ROUNDS):
                for page in ("first", "deep"):
                    for label in SIZES:
                        rate = throughput(base, cases[label][page], cases[label]["auth"])
                        figures[(label, page)] = figures.get((label, page), 0) + rate / ROUNDS
        finally:
            server.terminate()
            server.wait()
        if not own_database:
            from projects.models import Project

            Project.objects.filter(account=account, parent__isnull=False).delete()
            Project.objects.filter(account=account).delete()
            account.delete()

    worst = 0.0
    print(f"  {'page':<6} {'10,000 (req/s)':>15} {'100,000 (req/s)':>16} {'ratio':>6}")
    for page in ("first", "deep"):
        small, large = figures[("A", page)], figures[("B", page)]
        ratio = small / large
        worst = max(worst, ratio)
        print(f"  {page:<6} {small:>15.1f} {large:>16.1f} {ratio:>6.2f}")
    verdict = "OK" if worst <= TARGET_RATIO else "TOO SLOW"
    print(f"  worst ratio {worst:.2f} (target <= {TARGET_RATIO}): {verdict}")
    return 0 if worst <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())

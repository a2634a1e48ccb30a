"""Benchmark: the Activity page of a parent with 10,000 subprojects and 1,000,000 audit
entries, against the same page of a parent with 1,000 entries (goal: within 1.5x).

Standalone: `.venv/bin/python bench/audit_activity.py` runs once on SQLite (a throwaway
file) and once on PostgreSQL (a throwaway database, BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/console_audit_bench; skipped if PostgreSQL does not
answer), each in its own process. Each run loads the entries in bulk (COPY on
PostgreSQL, executemany on SQLite, the indexes built afterwards), then requests the pages
through Django's test client in this process, the two parents interleaved, and prints
median server times, query counts, ratios, and the time of the page's entries query
alone (the rest is rendering 50 rows and the page shell: a profile shows template
rendering dominates). Beside them: the deepest kind of page (a page link from the middle of the
million), a filtered page, and what an operator would use instead, the admin's
changelist searched by the parent's Project ID.

Options (environment): BENCH_ENTRIES (default 1,000,000), BENCH_N (requests per page,
default 30), BENCH_BACKENDS (default "sqlite,postgresql").
"""

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from itertools import batched
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = int(os.environ.get("BENCH_ENTRIES", "1000000"))
SMALL_ENTRIES = 1_000
SUBPROJECTS = 10_000
N = int(os.environ.get("BENCH_N", "30"))
ADMIN_N = 5
TARGET_RATIO = 1.5
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/console_audit_bench"
)
ACTIONS = ["subproject.rename", "subproject.relabel", "access_key.create", "access_key.revoke"]


def setup_django(database_url: str, tmp: str):
    os.environ.update(
        {
            "DEBUG": "1",
            "VAR_DIR": tmp,
            "DATABASE_URL": database_url,
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "dashboard.settings",
        }
    )
    sys.path.insert(0, str(ROOT))
    from bench.support.environment import setup_django

    setup_django()


def entry_rows(parent, subprojects, account, count, user):
    """`count` entries about the parent's subprojects, oldest first over the last year:
    a value for each column of AuditEvent but its ID, in the model's order."""
    rng = random.Random(count)
    start = datetime.now(UTC) - timedelta(days=365)
    step = timedelta(days=365) / count
    for i in range(count):
        sub = subprojects[rng.randrange(len(subprojects))]
        yield (
            start + step * i,
            ACTIONS[i % len(ACTIONS)],
            "user",
            str(user.pk),
            user.email,
            "dashboard",
            "198.51.100.7",
            account.public_id,
            sub,
            parent.public_id,
            "",
            sub,
            f"Customer {i % 1000}",
            json.dumps({"name": {"before": f"Customer {i}", "after": f"Customer {i + 1}"}}),
        )


def load(rows) -> None:
    """Bulk insert (core.upsert.bulk_insert: COPY on PostgreSQL, executemany on SQLite),
    50,000 rows at a time in one transaction."""
    from django.db import transaction

    from audit.models import AuditEvent
    from core.upsert import bulk_insert

    columns = [f.name for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    with transaction.atomic():
        for batch in batched(rows, 50_000):
            bulk_insert(AuditEvent, columns, batch)


def populate():
    from django.db import connection

    from accounts.models import Account, Membership, Role, User
    from audit.models import AuditEvent
    from bench.support.environment import create_tables
    from core.ids import new_public_id
    from projects.models import Project

    create_tables()
    account = Account.objects.create(name="Bench")
    user = User.objects.create_user("bench@example.com", "x")
    Membership.objects.create(account=account, user=user, role=Role.ADMIN)
    parents = {}
    for label, subs, entries in (("big", SUBPROJECTS, ENTRIES), ("small", 10, SMALL_ENTRIES)):
        parent = Project.objects.create(account=account, name=f"Parent {label}")
        ids = [new_public_id() for _ in range(subs)]
        Project.objects.bulk_create(
            [
                Project(account=account, parent=parent, name=f"Customer {i}", public_id=pid)
                for i, pid in enumerate(ids)
            ],
            batch_size=2000,
        )
        parents[label] = (parent, entries, ids)

    indexes = AuditEvent._meta.indexes
    started = time.perf_counter()
    with connection.schema_editor() as editor:  # build the indexes once, after the load
        for index in indexes:
            editor.remove_index(AuditEvent, index)
    for parent, entries, ids in parents.values():
        load(entry_rows(parent, ids, account, entries, user))
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    with connection.schema_editor() as editor:
        for index in indexes:
            editor.add_index(AuditEvent, index)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    indexed = time.perf_counter() - started
    total = ENTRIES + SMALL_ENTRIES
    how = "COPY" if connection.vendor == "postgresql" else "executemany"
    print(f"  loaded {total:,} entries in {loaded:.1f}s ({how}); indexes in {indexed:.1f}s")
    return user, {label: parent for label, (parent, _, _) in parents.items()}


def timed(client, url):
    """(server ms, number of queries) of one GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(queries.captured_queries)


def entries_query_ms(parent) -> float:
    """The page's entries query alone (SQL, fetch, model instances), median of N."""
    from audit.models import AuditEvent

    rows = AuditEvent.objects.for_project(parent).order_by("-time", "-id")
    durations = []
    for _ in range(N):
        start = time.perf_counter()
        assert len(list(rows[:51])) == 51
        durations.append((time.perf_counter() - start) * 1000)
    return statistics.median(durations)


def deep_cursor(parent) -> str:
    """The page link's cursor after the entry halfway down the parent's Activity."""
    from audit.models import AuditEvent
    from core.lists import next_cursor

    ids = AuditEvent.objects.filter(family_project_id=parent.public_id)
    low, high = ids.order_by("id").values_list("id", flat=True)[:1][0], ids.latest("id").id
    middle = ids.filter(id__gte=(low + high) // 2).order_by("id").values("id", "time")[0]
    return next_cursor(f"activity:{parent.public_id}:", [middle["time"].isoformat(), middle["id"]])


def measure(backend: str) -> int:
    from django.db import connection
    from django.test import Client

    print(f"== {backend}: Activity page, {SUBPROJECTS:,} subprojects, {ENTRIES:,} entries")
    user, parents = populate()
    big, small = parents["big"], parents["small"]
    client = Client()
    client.force_login(user)
    pages = {
        f"{SMALL_ENTRIES:,} entries": f"/projects/{small.public_id}/activity/",
        f"{ENTRIES:,} entries": f"/projects/{big.public_id}/activity/",
        f"{ENTRIES:,}, middle page": (
            f"/projects/{big.public_id}/activity/?cursor={quote(deep_cursor(big))}"
        ),
        f"{ENTRIES:,}, one action": (
            f"/projects/{big.public_id}/activity/?action=access_key.revoke"
        ),
    }
    times = {name: [] for name in pages}
    counts = {}
    for url in pages.values():
        timed(client, url)  # warm up
    for _ in range(N):  # interleaved, so that drift hits every page alike
        for name, url in pages.items():
            elapsed, counts[name] = timed(client, url)
            times[name].append(elapsed)

    operator = type(user).objects.create_superuser("op@example.com", "x")
    admin = Client()
    admin.force_login(operator)
    admin_times = {}
    for label, parent in (("small", small), ("big", big)):
        url = f"/admin/audit/auditevent/?q={parent.public_id}"
        timed(admin, url)
        admin_times[label] = statistics.median(timed(admin, url)[0] for _ in range(ADMIN_N))
    healthz = statistics.median(timed(client, "/healthz")[0] for _ in range(N))

    base = statistics.median(times[f"{SMALL_ENTRIES:,} entries"])
    print(f"  {'page':<28} {'median ms':>10} {'queries':>8} {'ratio':>6}")
    for name in pages:
        median = statistics.median(times[name])
        print(f"  {name:<28} {median:>10.2f} {counts[name]:>8} {median / base:>6.2f}")
    print(
        f"  its entries query alone: {entries_query_ms(small):.2f} ms with "
        f"{SMALL_ENTRIES:,} entries, {entries_query_ms(big):.2f} ms with {ENTRIES:,}"
    )
    ratio = statistics.median(times[f"{ENTRIES:,} entries"]) / base
    print(
        f"  admin changelist searched by Project ID (what an operator would use): "
        f"{admin_times['small']:.1f} ms with {SMALL_ENTRIES:,} entries, "
        f"{admin_times['big']:.1f} ms with {ENTRIES:,}"
    )
    print(f"  /healthz (a trivial view), for scale: {healthz:.2f} ms")
    verdict = "OK" if ratio <= TARGET_RATIO else "TOO SLOW"
    print(
        f"  first page ratio {ratio:.2f} (goal <= {TARGET_RATIO}): {verdict} [{connection.vendor}]"
    )
    return 0 if ratio <= TARGET_RATIO else 1


def child(backend: str) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        if backend == "sqlite":
            setup_django(f"sqlite:///{tmp}/bench.sqlite3", tmp)
            return measure(backend)
        import psycopg

        admin_url, name = POSTGRES_URL.rsplit("/", 1)
        try:
            server = psycopg.connect(f"{admin_url}/postgres", autocommit=True, connect_timeout=3)
        except psycopg.OperationalError as error:
            print(f"== postgresql: skipped, it does not answer ({error}).")
            return 0
        with server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}"')
            server.execute(f'CREATE DATABASE "{name}"')
        try:
            setup_django(POSTGRES_URL, tmp)
            return measure(backend)
        finally:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as server:
                server.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--backend":
        return child(sys.argv[2])
    failed = 0
    for backend in os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(","):
        result = subprocess.run(
            [sys.executable, __file__, "--backend", backend.strip()], check=False
        )
        failed |= result.returncode
    return failed


if __name__ == "__main__":
    sys.exit(main())

"""Server time of the dashboard's list pages, beside the Django admin, at three sizes.

(a) The Subprojects page of a parent with 100, 10,000 and 100,000 subprojects, beside
    the Django admin's changelist of the same 50 rows (the parent's alive subprojects,
    newest first, `list_per_page = 50`), both requested by the same signed-in operator.
    Goals: page / admin <= 0.5 at 10,000; page at 100,000 / page at 100 <= 1.2.
(b) The Projects page and the Projects menu's search for a user whose account has 50
    top-level projects ("Project 0" to "Project 49"), and for one whose account has
    5,000. Goal: 5,000 / 50 <= 1.2. Two searches: 'project 12' (1 match of 50, 111 of
    5,000: the menu shows 1 row, then 20) and 'project' (everything: 20 rows in both).
(c) The Subprojects page sorted by name (?sort=name) at each size. Goal: the largest /
    the smallest <= 1.2 (the sort has an index: its time must not grow either).

Every URL is requested in turn, one request each per pass (so a busy machine slows all
of them alike), REQUESTS passes per round, ROUNDS rounds; a figure is the median of the
rounds' medians. In process, through django.test.Client, with DEBUG off and the cached
template loader, as in production. All sizes share one database of 115,100+ projects,
so a query that scans the projects table shows up at every size.

Runs on SQLite (a temporary file) and, when DATABASE_URL names a PostgreSQL database,
also on PostgreSQL, in a throwaway database named after it with a `_bench_page` suffix
(created and dropped here). Each database in its own process, since Django's settings
are read once.

Usage: .venv/bin/python bench/subprojects_page.py [--rounds 3] [--requests 15]
       [--sizes 100,10000,100000] [--profile]   (--profile: pyinstrument, largest size)
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL_ACCOUNT, LARGE_ACCOUNT = 50, 5_000
GOAL_ADMIN_RATIO, GOAL_SCALE_RATIO = 0.5, 1.2
BATCH = 5_000
# The page sorted by name (core.lists, issue 13): measured when the code has it.
HAS_SORTS = (ROOT / "core" / "lists.py").exists()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=15, help="per URL and round")
    parser.add_argument("--sizes", default="100,10000,100000", help="subprojects per parent")
    parser.add_argument("--profile", action="store_true", help="pyinstrument, largest size")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    return parser.parse_args()


# --- the parent process: one child per database ------------------------------------------


def main() -> int:
    options = parse_args()
    if options.backend:
        return measure(options)
    backends = ["sqlite"]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        backends.append("postgresql")
    else:
        print("DATABASE_URL names no PostgreSQL database: SQLite only.\n")
    failed = 0
    for backend in backends:
        command = [sys.executable, __file__, "--backend", backend, *sys.argv[1:]]
        failed |= subprocess.call(command, cwd=ROOT)
    return failed


# --- a child process: one database ---------------------------------------------------------


def configure(backend: str, tmp: str) -> str | None:
    """Settings from the environment, as in production; the PostgreSQL database to drop."""
    sys.path.insert(0, str(ROOT))
    from bench.support.environment import server_environment

    os.environ.update(server_environment(tmp, log_level="WARNING", allowed_hosts="testserver"))
    if backend == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        return None
    import environ

    url = os.environ["DATABASE_URL"]
    name = environ.Env.db_url_config(url)["NAME"] + "_bench_page"
    base, _, _ = url.rpartition("/")
    recreate_database(base, name)
    os.environ["DATABASE_URL"] = f"{base}/{name}"
    return name


def recreate_database(base_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def populate(sizes: list[int]):
    """One account with a parent per size (all of them in one table), the operator
    (staff, and admin of that account), and two users whose accounts have 50 and 5,000
    top-level projects."""
    from django.db import connection

    from accounts.models import Account, Membership, Role, User
    from bench.support.environment import create_tables
    from projects.models import Project

    create_tables()

    def bulk(projects):
        for start in range(0, len(projects), BATCH):
            Project.objects.bulk_create(projects[start : start + BATCH])

    started = time.perf_counter()
    account = Account.objects.create(name="Reseller")
    operator = User.objects.create_user("operator@example.com", "x", is_staff=True)
    operator.is_superuser = True
    operator.save(update_fields=["is_superuser"])
    Membership.objects.create(account=account, user=operator, role=Role.ADMIN)
    parents = {}
    for size in sizes:
        parent = Project.objects.create(account=account, name=f"Parent of {size:,}")
        bulk([Project(account=account, parent=parent, name=f"Customer {i}") for i in range(size)])
        # What projects.services keeps for a parent: the count its page shows.
        Project.objects.filter(pk=parent.pk).update(subproject_count=size)
        parents[size] = parent
    users = {}
    for size in (SMALL_ACCOUNT, LARGE_ACCOUNT):
        other = Account.objects.create(name=f"Account of {size:,}")
        users[size] = User.objects.create_user(f"admin-{size}@example.com", "x")
        Membership.objects.create(account=other, user=users[size], role=Role.ADMIN)
        bulk([Project(account=other, name=f"Project {i}") for i in range(size)])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load
        else:
            # Fold the write-ahead log into the file, or the first pass pays for it.
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    total = Project.objects.count()
    print(f"  {total:,} projects made in {time.perf_counter() - started:.0f} s")
    return operator, parents, users


def check_same_rows(client, page_url, admin_url, parent):
    """Both sides list the same 50 subprojects (and not the 51st)."""
    from projects.models import Project

    ids = list(
        Project.objects.filter(parent=parent, removed_at=None)
        .order_by("-created_at", "-public_id")
        .values_list("public_id", flat=True)[:51]
    )
    for url in (page_url, admin_url):
        html = client.get(url).content.decode()
        shown = [public_id for public_id in ids if public_id in html]
        assert shown == ids[:50], (url, len(shown))


def timed(client, url) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def run_rounds(cases: dict, rounds: int, requests: int) -> dict:
    """{name: (client, url)} -> {name: [round medians]}; URLs interleaved request by request."""
    for client, url in cases.values():
        client.get(url)  # warm up: imports, templates, connections
    medians = {name: [] for name in cases}
    for _ in range(rounds):
        samples = {name: [] for name in cases}
        for _ in range(requests):
            for name, (client, url) in cases.items():
                samples[name].append(timed(client, url))
        for name in cases:
            medians[name].append(statistics.median(samples[name]))
    return medians


def profile(client, url):
    from pyinstrument import Profiler
    from pyinstrument.renderers import ConsoleRenderer

    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(30):
            client.get(url)
    # Our code, and Django's templates and SQL compiler, shown; other libraries folded.
    shown = rf"({ROOT}/(projects|core|accounts|dashboard)/|django/(template|db/(models|backends)))"
    options = {"show_regex": shown, "filter_threshold": 0.02}
    print(profiler.output(ConsoleRenderer(unicode=True, processor_options=options)))


def measure(options) -> int:
    sizes = sorted(int(size) for size in options.sizes.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        dropped = configure(options.backend, tmp)
        try:
            return _measure(options, sizes)
        finally:
            if dropped:
                from django.db import connections

                connections.close_all()
                base, _, _ = os.environ["DATABASE_URL"].rpartition("/")
                recreate_database(base, dropped, drop_only=True)


def _measure(options, sizes) -> int:
    import warnings

    warnings.filterwarnings("ignore", "No directory at")  # no collectstatic here
    from bench.support.environment import setup_django

    setup_django(test_environment=False)
    from django.contrib import admin
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from projects.models import Project

    admin.site.get_model_admin(Project).list_per_page = 50

    print(f"== {connection.vendor}: dashboard pages, DEBUG off, cached templates")
    operator, parents, users = populate(sizes)
    clients = {}
    for who, user in [("operator", operator), *users.items()]:
        clients[who] = Client()
        clients[who].force_login(user)
    op = clients["operator"]
    changelist = reverse("admin:projects_project_changelist")
    cases = {}
    for size, parent in parents.items():
        page = f"/projects/{parent.public_id}/subprojects/"
        admin_url = f"{changelist}?parent__id__exact={parent.pk}&removed=no"
        check_same_rows(op, page, admin_url, parent)
        cases[f"page {size}"] = (op, page)
        cases[f"admin {size}"] = (op, admin_url)
        if HAS_SORTS:
            cases[f"by name {size}"] = (op, page + "?sort=name")
    for size in (SMALL_ACCOUNT, LARGE_ACCOUNT):
        cases[f"projects {size}"] = (clients[size], "/projects/")
        cases[f"search {size}"] = (clients[size], "/projects/menu/?q=project+12&partial=1")
        cases[f"broad search {size}"] = (clients[size], "/projects/menu/?q=project&partial=1")

    if options.profile:
        largest = sizes[-1]
        print(f"-- profile: Subprojects page, {largest:,} subprojects")
        profile(op, cases[f"page {largest}"][1])
        print(f"-- profile: admin changelist, {largest:,} subprojects")
        profile(op, cases[f"admin {largest}"][1])

    medians = run_rounds(cases, options.rounds, options.requests)
    figure = {name: statistics.median(values) for name, values in medians.items()}
    rounds = f"{options.rounds} rounds x {options.requests} requests, median of round medians"
    print(f"  (a) Subprojects page vs admin changelist, same 50 rows ({rounds})")
    print(f"      {'subprojects':>11} {'page ms':>8} {'admin ms':>9} {'page/admin':>11}")
    ok = True
    for size in sizes:
        page, admin_ms = figure[f"page {size}"], figure[f"admin {size}"]
        print(f"      {size:>11,} {page:>8.1f} {admin_ms:>9.1f} {page / admin_ms:>10.2f}x")
        if size == 10_000:
            ok &= verdict("page/admin at 10,000", page / admin_ms, GOAL_ADMIN_RATIO)
    if len(sizes) > 1:
        scale = figure[f"page {sizes[-1]}"] / figure[f"page {sizes[0]}"]
        ok &= verdict(f"page at {sizes[-1]:,} / at {sizes[0]:,}", scale, GOAL_SCALE_RATIO)
    if HAS_SORTS:
        by_name = " / ".join(f"{figure[f'by name {size}']:.1f}" for size in sizes)
        print(f"      sorted by name (?sort=name): {by_name} ms")
        if len(sizes) > 1:
            scale = figure[f"by name {sizes[-1]}"] / figure[f"by name {sizes[0]}"]
            ok &= verdict(f"by name at {sizes[-1]:,} / at {sizes[0]:,}", scale, GOAL_SCALE_RATIO)
    print(f"  (b) {SMALL_ACCOUNT:,} vs {LARGE_ACCOUNT:,} top-level projects in the account")
    for what, label in [
        ("projects", "Projects page"),
        ("search", "menu search 'project 12'"),
        ("broad search", "menu search 'project'"),
    ]:
        small, large = figure[f"{what} {SMALL_ACCOUNT}"], figure[f"{what} {LARGE_ACCOUNT}"]
        print(f"      {label:<26} {small:6.1f} ms vs {large:6.1f} ms")
        ok &= verdict(f"{label} ratio", large / small, GOAL_SCALE_RATIO)
    print(
        "  rounds: " + "; ".join(f"{n} {' '.join(f'{v:.1f}' for v in medians[n])}" for n in cases)
    )
    return 0 if ok else 1


def verdict(what: str, ratio: float, goal: float) -> bool:
    met = ratio <= goal
    print(f"      {what}: {ratio:.2f}x (goal <= {goal}x) {'met' if met else 'NOT MET'}")
    return met


if __name__ == "__main__":
    sys.exit(main())

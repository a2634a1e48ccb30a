"""Benchmark: closing a month for a parent with 1,000 subprojects, and its Billing pages.

Standalone: `.venv/bin/python bench/billing.py` makes a throwaway SQLite database; with
DATABASE_URL=postgres://…/NAME it makes (and drops afterwards) a database NAME_billing_bench
on that server. Then:

1. A parent with 1,000 subprojects; usage for the 5 metrics on every day of the last
   31-day month before this one (5,005 month totals, 155,155 daily totals), and this
   month's days so far, written through usage.storage (the upserts of ingest).
2. Closing that month (billing.services.billing_period_close, what close_billing_period
   runs), rolled back and repeated, interleaved with what one would write by hand: one
   INSERT … SELECT of the same lines from the month totals and the price list, with
   ROUND() in SQL. Median time and the number of queries.
3. The Billing page (months) and the month's breakdown (50 rows a page of 1,001), with
   the month open (an estimate) and then closed, interleaved with the Subprojects page
   of the same parent: median server time in this process and queries.

Options (environment): BENCH_N (page requests per case, default 15), BENCH_CLOSES (3).
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N = int(os.environ.get("BENCH_N", "15"))
CLOSES = int(os.environ.get("BENCH_CLOSES", "3"))
SUBPROJECTS = 1000


def configure(tmp: str) -> str | None:
    """Settings for a throwaway database; the PostgreSQL database to drop, if any."""
    sys.path.insert(0, str(ROOT))
    from bench.support.environment import server_environment

    os.environ.update(server_environment(tmp, allowed_hosts="testserver,127.0.0.1"))
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        return None
    import psycopg

    base, _, name = url.rpartition("/")
    bench = f"{name}_billing_bench"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench}"')
        conn.execute(f'CREATE DATABASE "{bench}"')
    os.environ["DATABASE_URL"] = f"{base}/{bench}"
    return url


def drop(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}_billing_bench"')


def month_with_31_days(today: date) -> date:
    from usage.periods import add_months, month_end, month_of

    month = add_months(month_of(today), -1)
    while month_end(month).day != 31:
        month = add_months(month, -1)
    return month


def populate():
    from django.db import connection, transaction

    from bench.support.environment import create_tables

    create_tables()
    from accounts.models import Account, Membership, Role, User
    from core.ids import new_public_id
    from projects.models import Project
    from usage import storage
    from usage.metrics import CODES
    from usage.periods import month_of

    started = time.perf_counter()
    account = Account.objects.create(name="Billing bench")
    user = User.objects.create_user("bench@example.com", "x")
    Membership.objects.create(account=account, user=user, role=Role.ADMIN)
    parent = Project.objects.create(account=account, name="Parent")
    subs = Project.objects.bulk_create(
        [
            Project(account=account, parent=parent, name=f"Customer {i}", public_id=new_public_id())
            for i in range(SUBPROJECTS)
        ],
        batch_size=1000,
    )
    members = [parent, *subs]
    family_of = {p.public_id: parent.public_id for p in members}
    today = datetime.now(UTC).date()
    month = month_with_31_days(today)
    days = [month + timedelta(days=d) for d in range(31)]
    days += [month_of(today) + timedelta(days=d) for d in range(today.day)]
    for start in range(0, len(members), 50):
        rows = {
            (p.public_id, metric, day): 1 + (i * 7 + day.day * 3 + m) % 500
            for i, p in enumerate(members[start : start + 50], start=start)
            for m, metric in enumerate(CODES)
            for day in days
        }
        with transaction.atomic():
            storage.insert_days_once(rows, family_of)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"  {SUBPROJECTS:,} subprojects, {len(members) * len(CODES) * len(days):,} daily totals "
        f"({month:%Y-%m} whole, and this month so far) in {time.perf_counter() - started:.0f}s"
    )
    return user, parent, month


class Rollback(Exception):
    pass


def close_once(month):
    from billing import services

    try:
        from django.db import transaction

        with transaction.atomic():
            closed = services.billing_period_close(month=month)
            assert len(closed.statements) == 1 and len(closed.statements[0].lines) == 5005
            raise Rollback
    except Rollback:
        pass


def raw_once(parent, month):
    """The same lines by hand: one INSERT … SELECT from the month totals and prices."""
    from django.db import connection, transaction
    from django.utils import timezone

    from billing import prices
    from billing.models import PriceList, Statement

    prices.sheet_for(parent.account_id)
    price_list = PriceList.objects.get(is_default=True)
    try:
        with transaction.atomic():
            statement = Statement.objects.create(
                project=parent, project_public_id=parent.public_id, project_name=parent.name,
                month=month, currency="EUR", total=0, closed_at=timezone.now(),
            )  # fmt: skip
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO billing_statementline (statement_id, project_public_id, "
                    "project_name, metric, usage_month, quantity, unit_price, amount) "
                    "SELECT %s, m.project_public_id, COALESCE(p.name, m.project_public_id), "
                    "m.metric, m.month, m.quantity, pr.unit_price, "
                    "ROUND(m.quantity * pr.unit_price, 2) FROM usage_monthlyusage m "
                    "JOIN billing_price pr ON pr.metric = m.metric AND pr.price_list_id = %s "
                    "LEFT JOIN projects_project p ON p.public_id = m.project_public_id "
                    "WHERE m.family_public_id = %s AND m.month = %s",
                    [statement.pk, price_list.pk, parent.public_id, month],
                )
                assert cursor.rowcount == 5005
            raise Rollback
    except Rollback:
        pass


def close_figures(parent, month):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        close_once(month)
    close_queries = len(captured)
    times = {"close_billing_period": [], "INSERT … SELECT by hand": []}
    for _ in range(CLOSES):  # interleaved
        started = time.perf_counter()
        close_once(month)
        times["close_billing_period"].append(time.perf_counter() - started)
        started = time.perf_counter()
        raw_once(parent, month)
        times["INSERT … SELECT by hand"].append(time.perf_counter() - started)
    print(f"\nClosing {month:%Y-%m} (5,005 lines), median of {CLOSES}, rolled back each time")
    for label, values in times.items():
        print(f"  {label:<26} {statistics.median(values) * 1000:>8.0f} ms")
    ratio = statistics.median(times["close_billing_period"]) / statistics.median(
        times["INSERT … SELECT by hand"]
    )
    print(f"  ratio {ratio:.1f}x; close_billing_period ran {close_queries} queries")


def page_figures(user, parent, month, label):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    pages = {
        "Billing page": f"/projects/{parent.public_id}/billing/",
        f"{month:%Y-%m} breakdown": f"/projects/{parent.public_id}/billing/{month:%Y-%m}/",
        "Subprojects page": f"/projects/{parent.public_id}/subprojects/",
    }
    queries, times = {}, {name: [] for name in pages}
    for name, url in pages.items():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        queries[name] = len(captured)
    for _ in range(N):
        for name, url in pages.items():
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            times[name].append((time.perf_counter() - started) * 1000)
    print(f"\nPages, {label}: median of {N} (server time in this process)")
    subprojects = statistics.median(times["Subprojects page"])
    for name in pages:
        median = statistics.median(times[name])
        print(
            f"  {name:<20} {median:>7.1f} ms  {queries[name]:>2} queries  "
            f"{median / subprojects:>5.2f}x the Subprojects page"
        )


def main():
    with tempfile.TemporaryDirectory() as tmp:
        postgres = configure(tmp)
        from bench.support.environment import setup_django

        setup_django()
        from django.db import connection

        print(f"Billing ({connection.vendor}); building the data")
        try:
            user, parent, month = populate()
            close_figures(parent, month)
            page_figures(user, parent, month, f"{month:%Y-%m} open (an estimate)")
            from billing import services

            started = time.perf_counter()
            services.billing_period_close(month=month)
            print(f"\n(closed {month:%Y-%m} for good in {time.perf_counter() - started:.2f}s)")
            page_figures(user, parent, month, f"{month:%Y-%m} closed")
        finally:
            if postgres:
                drop(postgres)


if __name__ == "__main__":
    main()

"""Simultaneous batches on PostgreSQL: identical retries count once, overlapping
batches add up exactly, and none deadlocks."""

import functools
import json
import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from tests.factories import AccountFactory, ProjectFactory
from tests.support.concurrency import at_once
from tests.usage.conftest import record
from usage import services, storage
from usage.models import DailyUsage, FamilyDailyUsage, MonthlyUsage, UsageRecord

URL = "/api/internal/v1/usage:batchRecord"

POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent writers: run with DATABASE_URL=postgres://... (CI does)",
)


def _concurrently(bodies, auth):
    def send(body):
        response = Client().post(
            URL, json.dumps(body), content_type="application/json", headers={"Authorization": auth}
        )
        return response.status_code, response.json()

    return at_once([functools.partial(send, body) for body in bodies])


@pytest.mark.django_db(transaction=True)
@POSTGRESQL_ONLY
def test_ten_identical_batches_at_once_count_once():
    parent = ProjectFactory(account=AccountFactory())
    subs = [ProjectFactory(parent=parent) for _ in range(3)]
    _, secret = services.platform_token_create(name="sms")
    body = {
        "records": [
            record(p, quantity=q, record_id=f"r-{i}-{q}", metric=m)
            for i, p in enumerate([parent, *subs])
            for q, m in ((1, "sms.outbound"), (10, "voice.minutes"))
        ]
    }
    results = _concurrently([body] * 10, f"Bearer {secret}")
    assert [status for status, _ in results] == [200] * 10
    assert sum(answer["accepted"] for _, answer in results) == 8
    assert sum(answer["duplicates"] for _, answer in results) == 8 * 9
    assert UsageRecord.objects.count() == 8
    assert sum(DailyUsage.objects.values_list("quantity", flat=True)) == 4 * 11
    assert sum(MonthlyUsage.objects.values_list("quantity", flat=True)) == 4 * 11
    assert sum(FamilyDailyUsage.objects.values_list("quantity", flat=True)) == 4 * 11


@pytest.mark.django_db(transaction=True)
@POSTGRESQL_ONLY
def test_overlapping_batches_in_different_orders_add_up_exactly():
    parent = ProjectFactory(account=AccountFactory())
    _, secret = services.platform_token_create(name="sms")
    records = [record(parent, quantity=1, record_id=f"r{i:03}") for i in range(200)]
    # Each batch holds an overlapping window of the same records, in its own order.
    bodies = [
        {
            "records": list(reversed(records[i * 20 : i * 20 + 60]))
            if i % 2
            else records[i * 20 : i * 20 + 60]
        }
        for i in range(8)
    ]
    results = _concurrently(bodies, f"Bearer {secret}")
    assert [status for status, _ in results] == [200] * 8
    stored = UsageRecord.objects.count()
    assert sum(answer["accepted"] for _, answer in results) == stored
    assert FamilyDailyUsage.objects.get().quantity == stored == 200


@pytest.mark.django_db(transaction=True)
@POSTGRESQL_ONLY
def test_a_small_and_a_large_batch_at_once_do_not_deadlock(monkeypatch):
    """Batches of fewer and of more than PG_ARRAYS_FROM records store their records in
    different ways, and both take the totals' locks in the same order (daily, monthly,
    family). The small batch holds its daily total while the large one, adding to the
    same totals, starts and waits. (A version that wrote a large batch's totals in one
    statement, family first, deadlocked here: ADR 0135.)"""
    parent = ProjectFactory(account=AccountFactory())
    small = [record(parent, 1, record_id=f"small-{i}") for i in range(3)]
    large = [record(parent, 1, record_id=f"large-{i}") for i in range(40)]
    holding, release = threading.Event(), threading.Event()
    real = storage._add_to_months_and_families

    def after_the_daily_total(daily, family_of):  # the small batch only
        holding.set()
        release.wait(10)
        return real(daily, family_of)

    monkeypatch.setattr(storage, "_add_to_months_and_families", after_the_daily_total)
    results, errors = [], []

    def ingest(records, wait_for=None):
        try:
            if wait_for:
                wait_for.wait(10)
            results.append(services.usage_record(records=records).accepted)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=ingest, args=(small,)),
        threading.Thread(target=ingest, args=(large, holding)),
    ]
    for thread in threads:
        thread.start()
    holding.wait(10)
    _wait_until_a_query_waits_for_a_lock()
    release.set()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [3, 40]
    assert sum(DailyUsage.objects.values_list("quantity", flat=True)) == 43
    assert sum(MonthlyUsage.objects.values_list("quantity", flat=True)) == 43
    assert sum(FamilyDailyUsage.objects.values_list("quantity", flat=True)) == 43


def _wait_until_a_query_waits_for_a_lock(seconds=10):
    """Until another connection's query waits for a row lock (the large batch's, on the
    daily total the small batch holds)."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the large batch never waited for the small batch's locks")

"""Simultaneous batches on PostgreSQL: identical retries count once, overlapping
batches add up exactly, and none deadlocks."""

import functools
import json

import pytest
from django.db import connection
from django.test import Client

from tests.factories import AccountFactory, ProjectFactory
from tests.support.concurrency import at_once
from tests.usage.conftest import record
from usage import services
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

"""usage.storage.store: what a batch adds to the totals, the same whichever way its
records are written (on PostgreSQL a batch of PG_ARRAYS_FROM records or more sends them
in one statement, fewer go as a VALUES list and a COPY; SQLite has its own), and how
many queries it takes."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from core.errors import InvalidItems
from core.upsert import PG_ARRAYS_FROM
from tests.factories import ProjectFactory
from usage import services
from usage.models import DailyUsage, FamilyDailyUsage, MonthlyUsage, UsageRecord, UsageRecordKey

from .conftest import record

pytestmark = pytest.mark.django_db

# Five hours on both sides of a month's end (and of a day's), all inside the window.
NOW = datetime(2026, 3, 1, 5, tzinfo=UTC)
HOURS = [datetime(2026, 2, 28, 22, tzinfo=UTC) + timedelta(hours=h) for h in range(5)]


def batch(families, size: int, prefix: str) -> list[dict]:
    """`size` records spread over the projects of `families`, three metrics and HOURS."""
    projects = [p for family in families for p in family]
    metrics = ("sms.outbound", "sms.inbound", "voice.minutes")
    return [
        record(
            projects[i % len(projects)],
            1 + i % 7,
            record_id=f"{prefix}-{i}",
            metric=metrics[i % 3],
            hour=HOURS[i % len(HOURS)],
        )
        for i in range(size)
    ]


def expected_totals(records, family_of):
    """The totals the records make, worked out here in the plainest way."""
    daily, monthly, family = Counter(), Counter(), Counter()
    for r in records:
        hour = datetime.fromisoformat(r["hour"])
        day, month = hour.date(), hour.date().replace(day=1)
        daily[(r["projectId"], r["metric"], day)] += r["quantity"]
        monthly[(r["projectId"], r["metric"], month)] += r["quantity"]
        family[(family_of[r["projectId"]], r["metric"], day)] += r["quantity"]
    return daily, monthly, family


def stored_totals():
    daily = {
        (p, m, d): q
        for p, m, d, q in DailyUsage.objects.values_list(
            "project_public_id", "metric", "day", "quantity"
        )
    }
    monthly = {
        (p, m, d): q
        for p, m, d, q in MonthlyUsage.objects.values_list(
            "project_public_id", "metric", "month", "quantity"
        )
    }
    family = {
        (f, m, d): q
        for f, m, d, q in FamilyDailyUsage.objects.values_list(
            "family_public_id", "metric", "day", "quantity"
        )
    }
    return daily, monthly, family


@pytest.fixture
def families():
    """Two families: a parent with two subprojects, and a parent alone."""
    first = ProjectFactory()
    second = ProjectFactory()
    subs = [ProjectFactory(parent=first) for _ in range(2)]
    return [[first, *subs], [second]]


@pytest.mark.parametrize("size", [PG_ARRAYS_FROM - 1, PG_ARRAYS_FROM, 60])
def test_totals_across_days_months_and_families(families, size):
    family_of = {p.public_id: f[0].public_id for f in families for p in f}
    first = batch(families, size, "a")
    second = batch(families, size, "b")
    assert services.usage_record(records=first, now=NOW).accepted == size
    # A retry of the first batch with the second's new records: only those count.
    result = services.usage_record(records=first + second, now=NOW)
    assert (result.accepted, result.duplicates) == (size, size)

    assert stored_totals() == tuple(map(dict, expected_totals(first + second, family_of)))
    assert UsageRecord.objects.count() == UsageRecordKey.objects.count() == 2 * size


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL session setting")
def test_days_and_months_are_utc_whatever_the_session_time_zone(families):
    family_of = {p.public_id: f[0].public_id for f in families for p in f}
    records = batch(families, 40, "tz")
    with connection.cursor() as cursor:  # 14 hours ahead of UTC: other days, other months
        cursor.execute("SET TIME ZONE 'Pacific/Kiritimati'")
    try:
        services.usage_record(records=records, now=NOW)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
    assert stored_totals() == tuple(map(dict, expected_totals(records, family_of)))


def test_a_changed_record_rolls_back_what_its_batch_added(families):
    records = batch(families, 40, "c")
    services.usage_record(records=records, now=NOW)
    before = stored_totals()
    changed = [*batch(families, 40, "d"), {**records[0], "quantity": records[0]["quantity"] + 1}]
    with pytest.raises(InvalidItems):
        services.usage_record(records=changed, now=NOW)
    assert stored_totals() == before
    assert not UsageRecordKey.objects.filter(record_id__startswith="d-").exists()


def test_queries_per_batch(families, django_assert_num_queries, django_capture_on_commit_callbacks):
    """A batch of 1,000 new records of this month takes a fixed number of queries: the
    projects; the record IDs and the records (one statement on PostgreSQL, two on
    SQLite); the three totals; the spend limits' check after commit. The savepoint of
    the service's transaction (inside the test's) and its release count too."""
    projects = [p for family in families for p in family]
    records = [record(projects[i % 4], 1, record_id=f"q-{i}") for i in range(1000)]
    services.usage_record(records=[record(projects[0], record_id="warm")])  # its partition
    expected = 8 if connection.vendor == "postgresql" else 9
    with (
        django_assert_num_queries(expected),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.usage_record(records=records).accepted == 1000

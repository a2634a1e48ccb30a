"""The usage records' monthly partitions on PostgreSQL (usage/partitions.py, ADR 0118):
the table is partitioned, the job creates the months ahead and is idempotent, retention
drops whole months only, and a record ID is unique across months, also when two
connections send it at once. SQLite keeps one table."""

import importlib
from datetime import UTC, datetime, timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from core.errors import InvalidItems
from tests.support.concurrency import at_once
from tests.usage.conftest import ingest, last_full_hour, record
from usage import ingest as usage_ingest
from usage import partitions, services
from usage.models import DailyUsage, UsageRecord, UsageRecordKey
from usage.periods import add_months, month_of

POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="partitions are PostgreSQL's: run with DATABASE_URL=postgres://... (CI does)",
)


def _partitions() -> set[str]:
    return set(partitions.existing())


@POSTGRESQL_ONLY
def test_the_records_table_is_partitioned_by_month_of_hour(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT partstrat, a.attname FROM pg_partitioned_table p "
            "JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] "
            "WHERE p.partrelid = 'usage_usagerecord'::regclass"
        )
        assert cursor.fetchall() == [("r", "hour")]
    assert partitions.in_use()
    assert partitions.name(month_of(timezone.now())) in _partitions()


def test_sqlite_keeps_one_table(db):
    if connection.vendor == "postgresql":
        assert partitions.in_use()
    else:
        assert not partitions.in_use()
        assert connection.introspection.table_names().count("usage_usagerecord") == 1


@POSTGRESQL_ONLY
def test_the_job_creates_the_months_ahead_and_is_idempotent(db):
    now = timezone.now()
    ahead = [add_months(month_of(now), n) for n in range(1, partitions.MONTHS_AHEAD + 1)]
    # As if the job had not run: the last month ahead is missing.
    last = partitions.name(ahead[-1])
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE "{last}"')
        # ... and one before it made its table but stopped before attaching it.
        cursor.execute(f'DROP TABLE "{partitions.name(ahead[-2])}"')
        cursor.execute(
            f'CREATE TABLE "{partitions.name(ahead[-2])}" '
            '(LIKE "usage_usagerecord" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)'
        )
    out = StringIO()
    call_command("purge_usage_records", stdout=out)
    assert f"Created the partition {partitions.name(ahead[-1])}." in out.getvalue()
    assert {partitions.name(month) for month in ahead} <= _partitions()
    with connection.cursor() as cursor:  # each with the records' primary key
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = ANY(%s) AND indexname LIKE %s",
            [[partitions.name(month) for month in ahead[-2:]], "%_pkey"],
        )
        assert cursor.fetchone() == (2,)
    again = StringIO()
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '3min'")
        call_command("purge_usage_records", stdout=again)
        # The job's own lock_timeout ends with it (the connection serves other work).
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone() == ("3min",)
    assert "Created the partition" not in again.getvalue()
    assert "Dropped the partition" not in again.getvalue()


@POSTGRESQL_ONLY
def test_retention_drops_a_month_only_when_all_its_hours_are_past_the_window(project):
    hour = last_full_hour() - timedelta(days=1)
    ingest(record(project, 3, hour=hour, record_id="a"))
    month = month_of(hour)
    end = add_months(month, 1)
    # The window starts one hour before the month ends: the month stays.
    almost = datetime(end.year, end.month, end.day, tzinfo=UTC)
    window = timedelta(days=35)
    purged = services.usage_records_purge(now=almost - timedelta(hours=1) + window)
    assert partitions.name(month) not in purged.dropped
    assert partitions.name(month) in _partitions()
    # Once the window starts at the month's end, it goes, and only it.
    later = add_months(month, 1)
    purged = services.usage_records_purge(now=almost + window)
    assert purged.dropped == [partitions.name(month)]
    assert partitions.name(later) in _partitions()
    assert not UsageRecord.objects.exists()
    assert DailyUsage.objects.get().quantity == 3  # totals stay


@POSTGRESQL_ONLY
def test_ingest_into_a_month_without_partition_creates_it(project):
    hour = last_full_hour()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE "{partitions.name(month_of(hour))}"')
    result = ingest(record(project, 2, hour=hour, record_id="x"))
    assert result.accepted == 1
    assert partitions.name(month_of(hour)) in _partitions()
    assert UsageRecord.objects.get().quantity == 2


def test_a_record_id_from_another_month_is_a_duplicate(project, settings):
    now = timezone.now()
    # Two hours in two months, both within the window.
    this_month = month_of(now)
    first = datetime(this_month.year, this_month.month, 1, tzinfo=UTC) - timedelta(hours=1)
    second = first + timedelta(hours=2)
    at = max(now, second + timedelta(hours=1))
    assert usage_ingest.window_start(at) < first
    sent = record(project, 5, hour=first, record_id="same")
    assert services.usage_record(records=[sent], now=at).accepted == 1
    assert services.usage_record(records=[sent], now=at).duplicates == 1
    moved = record(project, 5, hour=second, record_id="same")
    with pytest.raises(InvalidItems, match="already recorded with another hour"):
        services.usage_record(records=[moved], now=at)
    assert UsageRecord.objects.count() == UsageRecordKey.objects.count() == 1
    assert DailyUsage.objects.get().quantity == 5


@pytest.mark.django_db(transaction=True)
@POSTGRESQL_ONLY
def test_two_connections_sending_one_record_id_count_it_once():
    from tests.factories import AccountFactory, ProjectFactory

    project = ProjectFactory(account=AccountFactory())
    sent = record(project, 7, record_id="both")

    def send():
        return services.usage_record(records=[sent])

    results = at_once([send, send])
    assert sorted((r.accepted, r.duplicates) for r in results) == [(0, 1), (1, 0)]
    assert UsageRecord.objects.count() == UsageRecordKey.objects.count() == 1
    assert DailyUsage.objects.get().quantity == 7


@POSTGRESQL_ONLY
def test_the_migration_converts_a_table_that_holds_records(project):
    """usage.0006 on a database with records in the previous layout (one table keyed by
    record_id): the window's rows move into the monthly partitions, their IDs into the
    keys table, older rows are left behind, and a retry of a moved record is a
    duplicate. (All in the test's transaction: PostgreSQL's DDL rolls back with it.)"""
    migration = importlib.import_module("usage.migrations.0006_partitioned_records")
    hour = last_full_hour()
    rows = [
        ("in-1", hour),
        ("in-2", hour - timedelta(days=20)),
        ("in-3", hour - timedelta(days=34)),
        ("past", hour - timedelta(days=80)),
    ]
    with connection.cursor() as cursor:
        cursor.execute('DROP TABLE "usage_usagerecord"')
        cursor.execute("DELETE FROM usage_usagerecordkey")
        cursor.execute(
            "CREATE TABLE usage_usagerecord (record_id varchar(128) PRIMARY KEY,"
            " project_public_id varchar(26) NOT NULL, metric varchar(32) NOT NULL,"
            " hour timestamptz NOT NULL, quantity bigint NOT NULL,"
            " received_at timestamptz NOT NULL DEFAULT now())"
        )
        for record_id, at in rows:
            cursor.execute(
                "INSERT INTO usage_usagerecord (record_id, project_public_id, metric, hour, "
                "quantity) VALUES (%s, %s, 'sms.outbound', %s, 4)",
                [record_id, project.public_id, at],
            )
    migration.forwards(None, SimpleNamespace(connection=connection))
    assert partitions.in_use()
    assert sorted(UsageRecord.objects.values_list("record_id", flat=True)) == [
        "in-1",
        "in-2",
        "in-3",
    ]
    assert UsageRecordKey.objects.count() == 3
    assert "usage_usagerecord_unpartitioned" not in connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('usage_usagerecord_pkey') IS NOT NULL")
        assert cursor.fetchone() == (True,)
    retry = record(project, 4, hour=hour, record_id="in-1")
    assert services.usage_record(records=[retry]).duplicates == 1
    # Running it again (an interrupted migrate run a second time) changes nothing.
    migration.forwards(None, SimpleNamespace(connection=connection))
    assert UsageRecord.objects.count() == 3

"""purge_usage_records: raw records past the window go, totals stay. On SQLite the rows
are deleted; on PostgreSQL a month's partition goes once all its hours are past the
window (tests/usage/test_partitions.py), and the record IDs past the window on both."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from tests.usage.conftest import ingest, last_full_hour, record
from usage import partitions
from usage.models import DailyUsage, UsageRecord, UsageRecordKey
from usage.periods import month_of


def test_deletes_records_past_the_window_and_keeps_totals(project, settings):
    settings.USAGE_RECORD_RETENTION_DAYS = 35
    old_hour = last_full_hour() - timedelta(days=30)
    ingest(record(project, 4, hour=old_hour, record_id="old"), record(project, 6, record_id="new"))
    totals = sorted(DailyUsage.objects.values_list("day", "quantity"))
    # 6 days later the old record is past the window (its month may be one that has
    # no partition any more, on PostgreSQL).
    if partitions.in_use():
        partitions.create_for([old_hour - timedelta(days=6)])
    UsageRecord.objects.filter(record_id="old").update(hour=old_hour - timedelta(days=6))
    UsageRecordKey.objects.filter(record_id="old").update(hour=old_hour - timedelta(days=6))
    out = StringIO()
    call_command("purge_usage_records", stdout=out)
    assert "Deleted 1 record ID(s) past the window." in out.getvalue()
    assert list(UsageRecordKey.objects.values_list("record_id", flat=True)) == ["new"]
    if not partitions.in_use():
        assert "Deleted 1 usage record(s)." in out.getvalue()
        assert list(UsageRecord.objects.values_list("record_id", flat=True)) == ["new"]
    assert sorted(DailyUsage.objects.values_list("day", "quantity")) == totals
    # Idempotent.
    call_command("purge_usage_records", stdout=out)
    assert "Deleted 0 record ID(s) past the window." in out.getvalue()


def test_purges_in_batches(project):
    from usage import services

    hour = last_full_hour() - timedelta(days=1)
    ingest(*(record(project, 1, hour=hour, record_id=f"r{i}") for i in range(25)))
    # Late enough that the whole month of `hour` is past the window.
    later = timezone.now() + timedelta(days=35 + 32)
    purged = services.usage_records_purge(now=later, batch=10)
    assert purged.keys == 25
    if partitions.in_use():
        assert partitions.name(month_of(hour)) in purged.dropped
    else:
        assert purged.deleted == 25
    assert not UsageRecord.objects.exists()
    assert not UsageRecordKey.objects.exists()

"""purge_usage_records: raw records past the window go, totals stay."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from tests.usage.conftest import ingest, last_full_hour, record
from usage.models import DailyUsage, UsageRecord


def test_deletes_records_past_the_window_and_keeps_totals(project, settings):
    settings.USAGE_RECORD_RETENTION_DAYS = 35
    old_hour = last_full_hour() - timedelta(days=30)
    ingest(record(project, 4, hour=old_hour, record_id="old"), record(project, 6, record_id="new"))
    totals = sorted(DailyUsage.objects.values_list("day", "quantity"))
    # 6 days later the old record is past the window.
    UsageRecord.objects.filter(record_id="old").update(hour=old_hour - timedelta(days=6))
    out = StringIO()
    call_command("purge_usage_records", stdout=out)
    assert "Deleted 1 usage record(s)." in out.getvalue()
    assert list(UsageRecord.objects.values_list("record_id", flat=True)) == ["new"]
    assert sorted(DailyUsage.objects.values_list("day", "quantity")) == totals
    # Idempotent.
    call_command("purge_usage_records", stdout=out)
    assert "Deleted 0 usage record(s)." in out.getvalue()


def test_purges_in_batches(project):
    from usage import services

    hour = last_full_hour() - timedelta(days=1)
    ingest(*(record(project, 1, hour=hour, record_id=f"r{i}") for i in range(25)))
    later = timezone.now() + timedelta(days=40)
    assert services.usage_records_purge(now=later, batch=10) == 25
    assert not UsageRecord.objects.exists()

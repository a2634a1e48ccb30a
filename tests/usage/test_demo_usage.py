"""The demo command fills 90 days of usage for the demo projects, idempotently."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from usage.metrics import CODES
from usage.models import DailyUsage, FamilyDailyUsage, MonthlyUsage, UsageRecord


def totals():
    return (
        sorted(DailyUsage.objects.values_list("project_public_id", "metric", "day", "quantity")),
        sum(MonthlyUsage.objects.values_list("quantity", flat=True)),
        sum(FamilyDailyUsage.objects.values_list("quantity", flat=True)),
    )


def test_demo_fills_90_days_of_every_metric_once(db):
    call_command("demo", stdout=StringIO())
    days = DailyUsage.objects.values_list("day", flat=True)
    assert min(days) <= timezone.now().date() - timedelta(days=89)
    assert set(DailyUsage.objects.values_list("metric", flat=True)) == set(CODES)
    assert DailyUsage.objects.values("project_public_id").distinct().count() == 6
    assert UsageRecord.objects.exists()  # recent days arrive as hourly records
    first = totals()
    # The month totals and the family totals agree with the days.
    assert first[1] == first[2] == sum(q for *_, q in first[0])
    call_command("demo", stdout=StringIO())
    assert totals() == first

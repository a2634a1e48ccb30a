"""Usage in any month (written to the totals as ingest would) and the months around now,
for the billing tests."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from django.core.cache import cache
from django.db import transaction

from accounts.models import Account
from billing.statements import current_month
from usage import storage
from usage.periods import add_months

THIS = current_month()
LAST = add_months(THIS, -1)
BEFORE = add_months(THIS, -2)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    cache.clear()


@dataclass(frozen=True)
class _Record:
    project_public_id: str
    metric: str
    hour: datetime
    quantity: int


def add_usage(project, quantity, *, month: date, metric="sms.outbound", day=1):
    """`quantity` of `metric` for `project` on a day of `month`, added to its day, month
    and family totals by the same upserts as ingest (any month: no retention window)."""
    top = project.parent.public_id if project.parent_id else project.public_id
    hour = datetime(month.year, month.month, day, 10, tzinfo=UTC)
    # An account with usage in a month existed then (statements begin with its month).
    Account.objects.filter(pk=project.account_id, created_at__gt=hour).update(created_at=hour)
    project.account.refresh_from_db(fields=["created_at"])
    with transaction.atomic():
        storage.add_to_totals(
            [_Record(project.public_id, metric, hour, quantity)], {project.public_id: top}
        )

"""Usage in any month (written to the totals as ingest would) and the months around now,
for the billing tests."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from django.core.cache import cache
from django.db import transaction

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
    with transaction.atomic():
        storage.add_to_totals(
            [_Record(project.public_id, metric, hour, quantity)], {project.public_id: top}
        )

"""Platform tokens and usage records for the usage tests."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from usage import services


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    cache.clear()


@pytest.fixture
def platform_token(db):
    """(token, Authorization header) of an active platform token."""
    token, secret = services.platform_token_create(name="sms service")
    return token, f"Bearer {secret}"


def last_full_hour(now=None) -> datetime:
    now = now or timezone.now()
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)


# The hour the usage tests record in unless they say otherwise: one for the whole run,
# so that a record made with the default and a module's HOUR never fall on either side
# of an hour that strikes while the tests run.
TEST_HOUR = last_full_hour()


def record(project, quantity=1, *, record_id=None, metric="sms.outbound", hour=None) -> dict:
    """One usage record for `project` (a Project or a Project ID), as the API takes it."""
    public_id = getattr(project, "public_id", project)
    hour = hour or TEST_HOUR
    return {
        "recordId": record_id or f"{public_id}-{metric}-{hour:%Y%m%d%H}-{quantity}",
        "projectId": public_id,
        "metric": metric,
        "hour": hour.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "quantity": quantity,
    }


def ingest(*records):
    return services.usage_record(records=list(records))

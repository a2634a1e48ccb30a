"""Key activity without a write per request: each key's last use (time and client
address) and its requests per day, for the keys table and the Access Keys API.

Each app server process counts its requests per key in memory and writes them in one
batch per key at most every RESOLUTION: the key's `last_used_at` and `last_used_from`
(one UPDATE) and the day's count (one upsert, AccessKeyDailyUse). A process writes a key
when the key's stored last use is older than RESOLUTION (as the last use was written
before counts existed, so that a quiet key's first request shows at once) or when its
own oldest uncounted request is. A process that ends loses at most RESOLUTION of its
counts: these are statistics, not a bill (usage is billed from the platform's records).
"""

import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.upsert import upsert

from .models import AccessKey, AccessKeyDailyUse

RESOLUTION = timedelta(minutes=5)
WINDOW_DAYS = 30


@dataclass
class _Pending:
    requests: int = 0
    since: datetime = field(default_factory=timezone.now)


# By Key ID (not the primary key, which a test database reuses): this process's
# requests not yet written.
_pending: dict[str, _Pending] = {}
_lock = threading.Lock()


def key_used(key, address: str, now: datetime | None = None) -> None:
    """Count one request of `key` (a KeyRecord or an AccessKey) from `address`; write
    this process's count for the key when it is due (see the module's note)."""
    now = now or timezone.now()
    with _lock:
        pending = _pending.setdefault(key.key_id, _Pending(since=now))
        pending.requests += 1
        stale = key.last_used_at is None or now - key.last_used_at > RESOLUTION
        if not (stale or now - pending.since > RESOLUTION):
            return
        requests = pending.requests
        del _pending[key.key_id]
    _write(key.pk, address, now, requests)


def _write(key_pk: int, address: str, now: datetime, requests: int) -> None:
    AccessKey.objects.filter(pk=key_pk).update(last_used_at=now, last_used_from=address[:64])
    upsert(
        AccessKeyDailyUse,
        ("key", "day", "requests"),
        [(key_pk, now.date(), requests)],
        conflict=("key", "day"),
        update={"requests": "{old.requests} + {new.requests}"},
    )


def _window_start(today: date) -> date:
    """The first day counted in the window that ends `today` (today included)."""
    return today - timedelta(days=WINDOW_DAYS - 1)


def purge_old(today: date | None = None) -> int:
    """Delete the daily counts that no window counts any more (days before the last
    WINDOW_DAYS): the table keeps one row per key and day it was used, so without this
    it would grow for good. Scheduled daily (purge_key_activity). The number deleted."""
    today = today or timezone.now().date()
    deleted, _ = AccessKeyDailyUse.objects.filter(day__lt=_window_start(today)).delete()
    return deleted


def requests_in_window(outer_key: str = "pk"):
    """The requests of the row's key (OuterRef `outer_key`) in the last WINDOW_DAYS days
    (today included), as a subquery to annotate a list of keys with: no query of its own."""
    since = _window_start(timezone.now().date())
    total = (
        AccessKeyDailyUse.objects.filter(key=OuterRef(outer_key), day__gte=since)
        .order_by()
        .values("key")
        .annotate(n=Sum("requests"))
        .values("n")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))

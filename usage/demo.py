"""Believable usage for the demo projects: 90 days, every metric, through the services.

Hours inside the records' retention window arrive as hourly usage records (as the
platform's services would send them, idempotent by record ID); days before it as daily
history (usage_history_add; the day the window starts in has only its later hours).
Every figure is a pure function of (project, metric, hour or day), so running the demo
again finds the same records (duplicates) and the same days (kept) and changes nothing.
"""

import zlib
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from . import ingest, services

DAYS = 90
# Share of a day's traffic in each UTC hour: quiet nights, busy office hours.
_HOURLY = [1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 7, 7, 7, 7, 6, 6, 5, 4, 3, 2, 2, 1]
_PROFILE = [share / sum(_HOURLY) for share in _HOURLY]
# Per metric: daily volume of a typical customer, relative to its SMS sent.
_METRIC_SHARE = {
    "sms.outbound": 1.0,
    "sms.inbound": 0.14,
    "voice.minutes": 0.08,
    "verification.requests": 0.22,
    "api.requests": 1.35,
}


_REFERENCE_DAY = date(2026, 1, 1)


def _noise(*parts) -> float:
    """A repeatable number in [0, 1) for these parts."""
    return zlib.crc32(":".join(map(str, parts)).encode()) / 2**32


def _daily(project, metric: str, day) -> float:
    size = 300 + 2700 * _noise(project.public_id, "size")  # SMS a day in early 2026
    weekend = 0.55 if day.weekday() >= 5 else 1.0
    yearly_growth = 0.6 * _noise(project.public_id, "growth")
    trend = max(0.5, 1 + yearly_growth * (day - _REFERENCE_DAY).days / 365)
    jitter = 0.85 + 0.3 * _noise(project.public_id, metric, day)
    return size * _METRIC_SHARE[metric] * weekend * trend * jitter


def fill(projects, *, now=None) -> int:
    """Usage for the last DAYS days of each project; returns the records sent."""
    now = now or timezone.now()
    last_hour = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    first_day = last_hour.date() - timedelta(days=DAYS - 1)
    oldest = ingest.window_start(now)  # records from this hour on, daily history before
    history, records = {}, []
    for project in projects:
        for offset in range(DAYS):
            day = first_day + timedelta(days=offset)
            for metric in _METRIC_SHARE:
                daily = _daily(project, metric, day)
                if day < oldest.date():
                    history[(project.public_id, metric, day)] = round(daily)
                    continue
                for hour, share in enumerate(_PROFILE):
                    start = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
                    quantity = round(daily * share)
                    if not oldest <= start <= last_hour or not quantity:
                        continue
                    records.append(
                        {
                            "recordId": f"demo:{project.public_id}:{metric}:{start:%Y%m%d%H}",
                            "projectId": project.public_id,
                            "metric": metric,
                            "hour": start.isoformat(),
                            "quantity": quantity,
                        }
                    )
    if history:
        services.usage_history_add(days=history, now=now)
    for start in range(0, len(records), ingest.MAX_BATCH):
        services.usage_record(records=records[start : start + ingest.MAX_BATCH], now=now)
    return len(records)

"""Scheduled jobs' last runs, for /metrics and the admin: one helper, `recorded(name)`,
called by the scheduled commands (core.commands.ServiceCommand, `exclusive = True`,
whether cron or the task queue starts them) and by the task queue for any other
command it runs (core.tasks.run_command: clearsessions).

A run is recorded as a success (time, duration, the counts the job put in the dict it
was given), a failure (time, the error's first line: our commands' messages, never a
secret) or a skip (another run held the job's lock; core.locks.NotAcquired). Recording
never hides the job's own outcome: if the database cannot take the record, that is
logged and the job's result or error goes on.
"""

import contextlib
import contextvars
import logging
import time

from django.db import DatabaseError
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from .locks import NotAcquired

logger = logging.getLogger(__name__)
_current: contextvars.ContextVar[dict | None] = contextvars.ContextVar("job_counts", default=None)


def _save(name: str, **fields) -> None:
    from .models import JobRun

    try:
        JobRun.objects.update_or_create(name=name, defaults=fields)
    except DatabaseError:
        logger.exception("Could not record the run of job %s", name)


@contextlib.contextmanager
def recorded(name: str):
    """Record a run of job `name`; yields a dict for the job's counts. Nested (a task
    running a command that records itself), the outer run records and the inner one
    shares its counts."""
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    counts: dict = {}
    token = _current.set(counts)
    started, clock = timezone.now(), time.monotonic()
    _save(name, last_started_at=started)
    try:
        yield counts
    except NotAcquired:
        _save(name, last_skipped_at=timezone.now())
        raise
    except BaseException as error:
        message = (str(error).strip().splitlines() or [""])[0]
        _save(
            name,
            last_failure_at=timezone.now(),
            last_error=f"{type(error).__name__}: {message}"[:300],
        )
        raise
    else:
        _save(
            name,
            last_success_at=timezone.now(),
            last_duration_ms=round((time.monotonic() - clock) * 1000),
            last_counts={k: v for k, v in counts.items() if isinstance(v, int | float)},
        )
    finally:
        _current.reset(token)


class JobCollector:
    """Prometheus gauges read from the JobRun rows at each scrape (a handful of rows)."""

    def collect(self):
        from .models import JobRun

        success = GaugeMetricFamily(
            "console_job_last_success_timestamp_seconds",
            "When each scheduled job last succeeded (Unix time).",
            labels=["job"],
        )
        failure = GaugeMetricFamily(
            "console_job_last_failure_timestamp_seconds",
            "When each scheduled job last failed (Unix time).",
            labels=["job"],
        )
        skipped = GaugeMetricFamily(
            "console_job_last_skipped_timestamp_seconds",
            "When each scheduled job last found another run at work (Unix time).",
            labels=["job"],
        )
        duration = GaugeMetricFamily(
            "console_job_last_success_duration_seconds",
            "How long each scheduled job's last success took.",
            labels=["job"],
        )
        counts = GaugeMetricFamily(
            "console_job_last_success_count",
            "The counts each scheduled job reported at its last success (rows deleted …).",
            labels=["job", "count"],
        )
        for run in JobRun.objects.all():
            for family, moment in (
                (success, run.last_success_at),
                (failure, run.last_failure_at),
                (skipped, run.last_skipped_at),
            ):
                if moment is not None:
                    family.add_metric([run.name], moment.timestamp())
            if run.last_duration_ms is not None:
                duration.add_metric([run.name], run.last_duration_ms / 1000)
            for count, value in sorted(run.last_counts.items()):
                counts.add_metric([run.name, count], value)
        yield from (success, failure, skipped, duration, counts)

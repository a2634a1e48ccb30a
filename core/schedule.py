"""Scheduled work on the task queue: each job of settings.TASK_SCHEDULE (a management
command, every so many seconds or daily at a UTC time) is enqueued when due by
whichever worker ticks first (`manage.py worker` ticks every SCHEDULE_TICK seconds).

Due times live in the database (core.models.ScheduledJob), so several workers on
several servers enqueue each run once, and a run missed while no worker was up is
enqueued once when one starts (not once per missed time). The scheduled commands are
`exclusive` (core.commands): two runs that overlap do the work once.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ScheduledJob
from .tasks import run_command

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    command: list[str]
    every: int | None = None  # seconds
    at: time | None = None  # daily, UTC

    def next_after(self, moment: datetime) -> datetime:
        if self.every:
            return moment + timedelta(seconds=self.every)
        today = moment.astimezone(UTC).replace(
            hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0
        )
        return today if today > moment else today + timedelta(days=1)

    def first_due(self, now: datetime) -> datetime:
        return now if self.every else self.next_after(now)


def jobs() -> list[Job]:
    return [
        Job(
            name=name,
            command=list(entry["command"]),
            every=entry.get("every"),
            at=time.fromisoformat(entry["at"]) if entry.get("at") else None,
        )
        for name, entry in settings.TASK_SCHEDULE.items()
    ]


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every job due at `now`; the names enqueued."""
    now = now or timezone.now()
    schedule = {job.name: job for job in jobs()}
    ScheduledJob.objects.bulk_create(
        [ScheduledJob(name=job.name, next_run_at=job.first_due(now)) for job in schedule.values()],
        ignore_conflicts=True,
    )
    enqueued = []
    with transaction.atomic():
        due = ScheduledJob.objects.select_for_update(skip_locked=True).filter(
            name__in=schedule, next_run_at__lte=now
        )
        for row in due:
            job = schedule[row.name]
            run_command.enqueue(*job.command)
            row.next_run_at = job.next_after(now)
            row.last_enqueued_at = now
            row.save(update_fields=["next_run_at", "last_enqueued_at"])
            enqueued.append(job.name)
    if enqueued:
        logger.info("Scheduled jobs enqueued: %s", ", ".join(enqueued))
    return enqueued

from datetime import timedelta

from django.core.management.base import CommandError
from django.utils import timezone

from audit import trail
from audit.models import AuditEvent
from core.commands import ServiceCommand

DEFAULT_DAYS = 400


class Command(ServiceCommand):
    help = (
        "Delete audit events older than N days (--older-than-days, default "
        f"{DEFAULT_DAYS}: a year and a bit, so a yearly review still sees the whole year). "
        "The only way entries are ever deleted, and never those younger than "
        f"{trail.RETENTION_FLOOR_DAYS} days (on PostgreSQL the database refuses it, and "
        "refuses TRUNCATE); the deletion is itself recorded "
        "(audit.purge). Idempotent: run it daily; a second run deletes nothing. Prints "
        "how many were deleted and how many remain. Two servers starting it at once: one "
        "runs, the other says so (a PostgreSQL advisory lock)."
    )
    exclusive = True

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=DEFAULT_DAYS,
            metavar="N",
            help=(
                f"keep the last N days (a whole number, at least {trail.RETENTION_FLOOR_DAYS}; "
                f"default {DEFAULT_DAYS})"
            ),
        )

    def handle(self, *args, older_than_days, **options):
        if older_than_days < trail.RETENTION_FLOOR_DAYS:
            raise CommandError(
                f"--older-than-days must be at least {trail.RETENTION_FLOOR_DAYS}: audit "
                "entries are kept at least that long (the database refuses to delete "
                "younger ones)."
            )
        try:
            cutoff = timezone.now() - timedelta(days=older_than_days)
        except OverflowError:
            raise CommandError(f"--older-than-days {older_than_days} is too large.") from None
        deleted = trail.purge_before(cutoff, actor=self.actor)
        remaining = AuditEvent.objects.count()
        self.counts.update(deleted=deleted, remaining=remaining)
        self.stdout.write(
            f"Deleted {deleted} audit event(s) older than {older_than_days} days "
            f"(before {cutoff.isoformat(timespec='seconds')}); {remaining} remain."
        )

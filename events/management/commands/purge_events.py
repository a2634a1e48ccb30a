from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from core.commands import ServiceCommand
from events import outbox


class Command(ServiceCommand):
    help = (
        "Delete events older than EVENT_RETENTION_DAYS (default 35): the events list "
        "and replays reach that far back. Scheduled daily (TASK_SCHEDULE); one run at a "
        "time across servers."
    )
    exclusive = True

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(days=settings.EVENT_RETENTION_DAYS)
        self.stdout.write(f"Purged {outbox.purge_before(cutoff)} event(s).")

from django.conf import settings

from core.commands import ServiceCommand
from usage import services


class Command(ServiceCommand):
    help = (
        "Delete usage records for hours older than USAGE_RECORD_RETENTION_DAYS "
        f"({settings.USAGE_RECORD_RETENTION_DAYS}) days, in short batches. Daily and "
        "monthly totals are kept for good; records that old are refused at ingest anyway, "
        "so a late retry can never count twice. Idempotent; run it daily. Two servers "
        "starting it at once: one runs, the other says so (a PostgreSQL advisory lock)."
    )
    exclusive = True

    def handle(self, *args, **options):
        count = services.usage_records_purge()
        self.counts["deleted"] = count
        self.stdout.write(f"Deleted {count:,} usage record(s).")

from django.conf import settings

from core.commands import ServiceCommand
from usage import services


class Command(ServiceCommand):
    help = (
        "Remove usage records for hours older than USAGE_RECORD_RETENTION_DAYS "
        f"({settings.USAGE_RECORD_RETENTION_DAYS}) days. On PostgreSQL: create the "
        "records' monthly partitions ahead and drop each month whose hours are all past "
        "the window; on SQLite: delete the rows in short batches. Daily and monthly totals "
        "are kept for good; records that old are refused at ingest anyway, so a late "
        "retry can never count twice. Idempotent; run it daily. Two servers starting it "
        "at once: one runs, the other says so (a PostgreSQL advisory lock)."
    )
    exclusive = True

    def handle(self, *args, **options):
        purged = services.usage_records_purge()
        self.counts["record_ids"] = purged.keys
        if purged.partitioned:
            self.counts["partitions_created"] = len(purged.created)
            self.counts["partitions_dropped"] = len(purged.dropped)
        for table in purged.created:
            self.stdout.write(f"Created the partition {table}.")
        for table in purged.dropped:
            self.stdout.write(f"Dropped the partition {table}.")
        if not purged.partitioned:
            self.counts["deleted"] = purged.deleted
            self.stdout.write(f"Deleted {purged.deleted:,} usage record(s).")
        self.stdout.write(f"Deleted {purged.keys:,} record ID(s) past the window.")

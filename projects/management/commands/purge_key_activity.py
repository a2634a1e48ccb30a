from core.commands import ServiceCommand
from projects import activity


class Command(ServiceCommand):
    help = (
        "Delete access keys' daily request counts older than the 30 days the keys table "
        "and the API show (projects.activity.purge_old). Scheduled daily (TASK_SCHEDULE); "
        "runs started at once on several servers do the work once."
    )
    exclusive = True

    def handle(self, *args, **options):
        deleted = activity.purge_old()
        self.counts.update(daily_counts=deleted)
        self.stdout.write(f"Purged {deleted} daily request count(s) of access keys.")

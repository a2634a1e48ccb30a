from django.conf import settings

from core.commands import ServiceCommand
from projects import services


class Command(ServiceCommand):
    help = (
        "Delete for good the subprojects removed more than SUBPROJECT_RESTORE_DAYS "
        f"({settings.SUBPROJECT_RESTORE_DAYS}) days ago, with their access keys. Until "
        "then a removed subproject can be restored. Run it daily (cron or a scheduler); "
        "runs started at once on several servers do the work once."
    )
    exclusive = True

    def handle(self, *args, **options):
        count = services.purge_removed_subprojects(actor=self.actor)
        self.counts["purged"] = count
        self.stdout.write(f"Purged {count} subproject(s).")

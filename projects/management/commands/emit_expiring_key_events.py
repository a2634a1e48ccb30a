from core.commands import ServiceCommand
from projects.services.expiring import emit_expiring_key_events


class Command(ServiceCommand):
    help = (
        "Emit access_key.expiring for each active key that expires within 7 days, and "
        "again within 1 day: once per key and threshold, however often it runs. "
        "Scheduled hourly (TASK_SCHEDULE)."
    )
    exclusive = True

    def handle(self, *args, **options):
        self.stdout.write(f"Emitted {emit_expiring_key_events()} access_key.expiring event(s).")

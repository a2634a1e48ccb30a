from core import failures, idempotency
from core.commands import ServiceCommand


class Command(ServiceCommand):
    help = (
        "Delete expired idempotency records (Idempotency-Key and one-time form tokens, "
        "kept 24 hours) and expired failure counters (sign-in and API throttling). "
        "Run it daily or hourly (cron or a scheduler); runs started at once on several "
        "servers do the work once. Expired rows are already ignored: this only keeps "
        "the tables small."
    )
    exclusive = True

    def handle(self, *args, **options):
        records = idempotency.purge_expired()
        counters = failures.purge_expired()
        self.counts.update(idempotency_records=records, failure_counters=counters)
        self.stdout.write(
            f"Purged {records} idempotency record(s) and {counters} failure counter(s)."
        )

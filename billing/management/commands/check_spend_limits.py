from billing import limits
from core.commands import ServiceCommand


class Command(ServiceCommand):
    help = (
        "Evaluate every subproject's spend limit for the current month (UTC): flags, "
        "blocking and alerts (50/80/100 %, each sent once a month to the account's "
        "admins). Usage already triggers this as it arrives; this is the safety net for "
        "cron (e.g. every 15 minutes), and catches price changes of the default list. "
        "One run at a time across servers."
    )
    exclusive = True

    def handle(self, *args, **options):
        count, fired = limits.evaluate_all()
        self.counts.update(checked=count, alerts=fired)
        self.stdout.write(f"Checked {count:,} spend limit(s); {fired} alert(s) sent.")

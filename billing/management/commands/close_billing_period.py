from datetime import date

from django.core.management.base import CommandError

from billing import money, services
from core.commands import ServiceCommand


def parse_month(text: str) -> date:
    try:
        year, month = text.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return date(int(year), int(month), 1)
    except ValueError:
        raise CommandError(f"“{text}” is not a month: write YYYY-MM, e.g. 2026-10.") from None


class Command(ServiceCommand):
    help = (
        "Close a past calendar month (UTC): store every top-level project's statement "
        "of YYYY-MM (a line per subproject and metric, at today's prices), which never "
        "changes afterwards. Late usage of a closed month is billed in the next open "
        "month. Idempotent and safe from cron on every server (one run at a time; a "
        "closed month is left as it is; a stopped run goes on where it stopped). Refuses "
        "the current month and future ones. --dry-run prints what it would store."
    )
    exclusive = True

    def add_arguments(self, parser):
        parser.add_argument("month", help="YYYY-MM, a month before the current one")
        parser.add_argument(
            "--dry-run", action="store_true", help="compute and print; store nothing"
        )

    def handle(self, *args, month, dry_run=False, **options):
        closed = services.billing_period_close(
            month=parse_month(month), dry_run=dry_run, actor=self.actor
        )
        label = f"{closed.month:%Y-%m}"
        if closed.already_closed_at is not None:
            self.stdout.write(
                f"{label} was already closed on {closed.already_closed_at:%Y-%m-%d %H:%M} UTC; "
                "nothing changed."
            )
            return
        verb = "Would store" if dry_run else "Stored"
        for statement in closed.statements:
            self.stdout.write(
                f"  {statement.parent_public_id}  {len(statement.lines):>6} lines  "
                f"{statement.total_text:>14} {statement.currency}"
            )
        totals = ", ".join(
            f"{money.text(total, currency)} {currency}"
            for currency, total in sorted(closed.totals.items())
        )
        self.stdout.write(
            f"{verb} {len(closed.statements)} statement(s) for {label}"
            + (f" ({totals})" if totals else "")
            + f"; {closed.existing} already stored, {closed.empty} with nothing to bill."
            + ("" if dry_run else f" {label} is closed.")
        )

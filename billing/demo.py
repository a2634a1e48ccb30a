"""Billing for the demo: the account pays the default price list (it has none of its
own); every past month with usage is closed, so the Billing page shows closed
statements beside this month's estimate; one subproject has a blocking spend limit it
has already reached, so lists flag it. Idempotent: closed months stay as they are and
the limit is set to the same values."""

from decimal import Decimal

from usage import queries

from . import services
from .models import SpendLimit
from .statements import current_month, estimates


def fill(*, limited) -> None:
    current = current_month()
    months = queries.usage_months(queries.Scope.of(limited.parent))
    for month in sorted(m for m in months if m < current):  # oldest first, as cron would
        services.billing_period_close(month=month)
    if not SpendLimit.objects.filter(project=limited).exists():
        # A little under what it has used this month: reached, so lists flag it.
        spent = estimates(limited.parent, [current])[current].lines
        amount = sum(line.amount for line in spent if line.project_public_id == limited.public_id)
        amount = max(Decimal("1.00"), (amount * Decimal("0.9")).quantize(Decimal("1")))
        services.spend_limit_set(project=limited, amount=f"{amount}", mode="block")

"""Billing hears about new usage from the usage app (which knows nothing of billing)."""

from django.dispatch import receiver

from usage.signals import usage_recorded

from . import limits
from .statements import current_month


@receiver(usage_recorded, dispatch_uid="billing.spend_limits")
def evaluate_spend_limits(sender, projects: dict[str, str], months, **kwargs):
    """Usage of this month for subprojects: evaluate their limits (one query when none
    of them has a limit). Usage of past months never changes this month's limits."""
    if current_month() not in months:
        return
    subprojects = [pid for pid, family in projects.items() if pid != family]
    limits.evaluate_projects(subprojects)

"""What the usage app tells others, without depending on them.

`usage_recorded` is sent after a transaction that stored usage records commits (never
for a batch that rolled back), with:

- `projects`: {Project ID: its family's Project ID (its top-level project's)} of every
  project that got usage;
- `months`: the calendar months (their first days, UTC) that the usage fell in.

It is sent with send_robust: a receiver's failure is logged and never fails the
ingest that already committed. Billing evaluates spend limits here.
"""

import logging

from django.dispatch import Signal

usage_recorded = Signal()

log = logging.getLogger(__name__)


def send_usage_recorded(projects: dict[str, str], months: frozenset) -> None:
    for receiver, result in usage_recorded.send_robust(
        sender="usage", projects=projects, months=months
    ):
        if isinstance(result, Exception):
            log.error(
                "usage_recorded receiver %s failed", receiver, exc_info=(type(result), result, None)
            )

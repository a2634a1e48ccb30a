"""access_key.expiring events: 7 days and 1 day before a key expires, once each."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from events import outbox
from projects.events import represent_key
from projects.models import AccessKey

# Days before expiry at which a key's owner hears of it, largest first.
EXPIRING_DAYS = (7, 1)


def emit_expiring_key_events(*, now=None) -> int:
    """Emit the events due now; how many."""
    now = now or timezone.now()
    emitted = 0
    with transaction.atomic():
        keys = list(
            AccessKey.objects.active(now)
            .filter(expires_at__lte=now + timedelta(days=max(EXPIRING_DAYS)))
            .filter(project__removed_at__isnull=True)
            .select_related("project__parent")
            .order_by("pk")
        )
        due = {}
        for key in keys:
            # The smallest threshold the key has come within: one event per crossing.
            days = min(d for d in EXPIRING_DAYS if key.expires_at <= now + timedelta(days=d))
            due[f"access_key.expiring:{key.key_id}:{days}"] = (key, days)
        new = []
        for name in sorted(outbox.first_time(list(due))):
            key, days = due[name]
            project = key.project
            family = project.parent.public_id if project.parent_id else project.public_id
            data = {**represent_key(key), "daysLeft": days}
            new.append(outbox.New("access_key.expiring", project.public_id, family, data))
        emitted = len(outbox.emit_many(new))
    return emitted

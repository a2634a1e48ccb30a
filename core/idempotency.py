"""Doing a creation once per client-chosen key: the API's Idempotency-Key and the
dashboard's one-time form tokens.

A record (core.models.IdempotencyRecord) is unique per (scope, key). `run_once`:

1. makes sure the record exists (its own short transaction: two simultaneous first
   requests meet on the unique constraint, and both go on with the one row);
2. in a new transaction, locks the record with SELECT … FOR UPDATE NOWAIT: a request
   that finds it locked answers "in progress" at once, rather than waiting;
3. if the record holds a result, answers it (a replay); otherwise runs the action and
   writes its result into the record *in the action's own transaction*: the created
   thing and its record commit together, or neither does.

If the action fails (bad input, a bug, the process dies), its transaction rolls back,
the record stays empty and unlocked, and a retry may run again: a failed first request
never uses up its key. On SQLite, which has no row locks, writers are serialised by the
database (BEGIN IMMEDIATE), so a duplicate waits for the first and then replays.

Records are kept KEEP_FOR seconds; `purge_expired` (run daily by the
purge_expired_records command) deletes older ones.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from django.db import OperationalError, transaction
from django.utils import timezone

from .models import IdempotencyRecord

KEEP_FOR = 24 * 60 * 60


class InProgress(Exception):
    """Another request with this key is creating right now."""


class KeyReused(Exception):
    """The key already created something for a different request."""


@dataclass(frozen=True)
class Outcome:
    result: str
    replayed: bool  # True: created by an earlier request with the same key


def fingerprint_of(value) -> str:
    """A digest of a request's meaning (its parsed body), independent of key order."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def run_once(*, scope: str, key: str, action, fingerprint: str = "") -> Outcome:
    """Run `action()` at most once per (scope, key); it returns a short ID (str).

    With a `fingerprint`, a key that created something for another fingerprint raises
    KeyReused; without one (forms), any replay gets the first result.
    """
    now = timezone.now()
    # An empty record expires as late as a full one: purge_expired (run on a schedule,
    # maybe at this very moment) must not delete it between here and the lock below.
    record, _ = IdempotencyRecord.objects.get_or_create(
        scope=scope,
        key=key,
        defaults={"fingerprint": fingerprint, "expires_at": now + timedelta(seconds=KEEP_FOR)},
    )
    with transaction.atomic():
        try:
            record = IdempotencyRecord.objects.select_for_update(nowait=True).get(pk=record.pk)
        except OperationalError:  # locked: the first request is still at work
            raise InProgress from None
        if record.result and record.expires_at > now:
            if fingerprint and record.fingerprint != fingerprint:
                raise KeyReused
            return Outcome(record.result, replayed=True)
        result = action()
        record.fingerprint = fingerprint
        record.result = result
        record.expires_at = timezone.now() + timedelta(seconds=KEEP_FOR)
        record.save(update_fields=["fingerprint", "result", "expires_at"])
    return Outcome(result, replayed=False)


def purge_expired(now=None) -> int:
    return IdempotencyRecord.objects.filter(expires_at__lte=now or timezone.now()).delete()[0]

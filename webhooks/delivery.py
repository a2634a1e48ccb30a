"""Delivering events to endpoints: at least once, in order, with retries for days.

- fan_out (events.outbox's listener, in the event's transaction): a Delivery for each
  enabled endpoint of the family that wants the event, and a `deliver` task for each
  such endpoint that has none queued yet (`wake`: one pending task per endpoint, not one
  per change; ADR 0122). A rolled-back change leaves neither.
- deliver (a task): takes the endpoint's lease (one worker at a time per endpoint),
  sends its due deliveries oldest first, in batches (read together, sent one by one
  over one kept-alive connection, their attempts logged together); the first failure stops
  the round and schedules the next try (WEBHOOK_RETRY_SCHEDULE, its last delay
  repeating), so later events wait behind it and arrive in order. An endpoint failing
  for WEBHOOK_DISABLE_AFTER is disabled and the account's admins emailed.
- Crash safety: the lease expires (WEBHOOK_LEASE seconds) and the scheduled
  `deliver_webhooks` enqueues `deliver` for every endpoint with a due delivery and no
  live lease: a worker killed mid-delivery loses nothing (it is sent again: at least
  once; the receiver deduplicates on webhook-id).
"""

import json
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.tasks import task
from django.utils import timezone

from accounts.models import Membership, Role
from core.emails import queue_mail
from events.models import Event
from events.outbox import public

from . import safety, sender, signing
from .models import Attempt, Delivery, Endpoint

logger = logging.getLogger(__name__)


def now():
    """The clock (a benchmark or a test moves it)."""
    return timezone.now()


# --- fan out, in the event's transaction --------------------------------------------


def fan_out(events: list[Event]) -> None:
    families = {event.family_id for event in events}
    # Locked until the change commits (see `wake`): the family's changes are serialised
    # by its sequence row already, so this makes no change wait for another.
    endpoints = list(
        Endpoint.objects.filter(project__public_id__in=families, enabled=True)
        .select_related("project")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if not endpoints:
        return
    deliveries = [
        Delivery(endpoint=endpoint, event=event, next_attempt_at=event.created_at)
        for event in events
        for endpoint in endpoints
        if endpoint.project.public_id == event.family_id and endpoint.wants(event.type)
    ]
    Delivery.objects.bulk_create(deliveries)
    wanted = {d.endpoint_id for d in deliveries}
    wake([e.pk for e in endpoints if e.pk in wanted and not e.delivery_pending])


def wake(endpoint_pks, *, run_after=None) -> None:
    """Queue a `deliver` task for each endpoint (in the caller's transaction, with its
    row locked by the caller or by the UPDATE here) and mark it `delivery_pending`.

    Coalescing (ADR 0122): a change whose endpoint is already marked enqueues nothing,
    since the queued task has not yet looked. The task clears the mark *before* it
    reads the deliveries, with an UPDATE that waits for the row lock of any change in
    flight: a change that saw the mark set has committed its delivery by then (so the
    task's read sees it), and a change after the clear sees it unset and queues a task.
    No delivery is left without a task to send it."""
    endpoint_pks = sorted(endpoint_pks)
    if not endpoint_pks:
        return
    Endpoint.objects.filter(pk__in=endpoint_pks).update(delivery_pending=True)
    for endpoint_pk in endpoint_pks:
        if run_after is None:
            deliver.enqueue(endpoint_pk)
        else:
            deliver.using(run_after=run_after).enqueue(endpoint_pk)


# --- delivering ------------------------------------------------------------------------


@task
def deliver(endpoint_pk: int) -> int:
    """Send the endpoint's due deliveries (see the module's note); how many succeeded."""
    endpoint = Endpoint.objects.filter(pk=endpoint_pk)
    # Before the first look (see `wake`): a delivery committed after it queues a task.
    Endpoint.objects.filter(pk=endpoint_pk, delivery_pending=True).update(delivery_pending=False)
    if not _due(endpoint).exists():
        return 0
    sent = 0
    while _take_lease(endpoint_pk):
        try:
            sent += _round(endpoint_pk)
        finally:
            Endpoint.objects.filter(pk=endpoint_pk).update(leased_until=None)
        # A delivery added while the lease was held had its task turned away: look again.
        if not _due(endpoint).exists():
            break
    return sent


def _take_lease(endpoint_pk: int) -> bool:
    moment = now()
    return bool(
        Endpoint.objects.filter(pk=endpoint_pk, enabled=True)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=moment))
        .update(leased_until=moment + timedelta(seconds=settings.WEBHOOK_LEASE))
    )


def _due(endpoints):
    """The endpoints (of a queryset) whose first pending delivery is due now (the ones
    behind it wait for it: order is kept)."""
    first = (
        Delivery.objects.filter(endpoint=OuterRef("pk"), status=Delivery.Status.PENDING)
        .order_by("pk")
        .values("next_attempt_at")[:1]
    )
    return endpoints.annotate(first_due=Subquery(first)).filter(first_due__lte=now(), enabled=True)


def _round(endpoint_pk: int) -> int:
    """Send the endpoint's due deliveries, oldest first, a batch at a time (BATCH read
    in one query, sent one after the other over one connection, their attempts recorded
    together in one transaction); stop at the first failure, recorded with its retry."""
    sent = 0
    while True:
        endpoint = Endpoint.objects.select_related("project__account").get(pk=endpoint_pk)
        if not endpoint.enabled:
            return sent
        batch = list(
            Delivery.objects.filter(endpoint=endpoint, status=Delivery.Status.PENDING)
            .select_related("event")
            .order_by("pk")[:BATCH]
        )
        if not batch:
            return sent
        if batch[0].next_attempt_at > now():  # its retry's time has not come
            _wake_at(endpoint_pk, batch[0].next_attempt_at)
            return sent
        done, failed = _send(endpoint, batch)
        _record(endpoint, done, failed)
        sent += len(done)
        if failed is not None:
            return sent


# Deliveries sent between two writes of the log. A worker that dies in a batch's middle
# sends that batch's delivered events again (at least once; receivers deduplicate).
BATCH = 50


def body_of(delivery: Delivery) -> tuple[str, bytes]:
    """The message ID and JSON body of a delivery (a test event has no Event row)."""
    if delivery.event.type == TEST_TYPE:  # outside the family's sequence
        message = {**public(delivery.event), "parentProjectId": delivery.event.project_id}
        message["sequence"] = None
    else:
        message = public(delivery.event)
    return delivery.event.id, json.dumps(message, separators=(",", ":")).encode()


def _send(endpoint: Endpoint, batch: list[Delivery]):
    """Send the batch's deliveries in order until one fails: the [(delivery, moment,
    answer)] delivered, and the failure's (or None). The URL is checked (resolved) once
    per batch, and the request goes to that checked address; the lease is renewed so
    that it outlasts the attempt in hand (WEBHOOK_LEASE is over 4 times WEBHOOK_TIMEOUT)."""
    done, target, renewed = [], None, None
    lease = timedelta(seconds=settings.WEBHOOK_LEASE)
    for delivery in batch:
        moment = now()
        if delivery.next_attempt_at > moment:  # replayed behind a retry: not yet
            break
        if renewed is None or moment - renewed > lease / 4:
            Endpoint.objects.filter(pk=endpoint.pk).update(leased_until=moment + lease)
            renewed = moment
        if target is None:
            try:
                target = safety.resolve(endpoint.url)
            except safety.UnsafeURL as refusal:
                return done, (delivery, moment, sender.Answer(None, f"Not sent: {refusal}", 0))
        message_id, body = body_of(delivery)
        stamp = int(moment.timestamp())
        headers = signing.headers(endpoint.signing_secrets(moment), message_id, stamp, body)
        answer = sender.post(target, body, headers)
        if not answer.succeeded:
            return done, (delivery, moment, answer)
        done.append((delivery, moment, answer))
    return done, None


def _record(endpoint: Endpoint, done: list, failed) -> None:
    """The attempts of a batch in the log, in one transaction: the delivered ones
    succeeded; the failure (if any) rescheduled by WEBHOOK_RETRY_SCHEDULE, and the
    endpoint disabled once it has failed for WEBHOOK_DISABLE_AFTER."""
    tries = [*done, failed] if failed is not None else done
    failing_since = None if done else endpoint.failing_since
    with transaction.atomic():
        Attempt.objects.bulk_create(
            Attempt(
                delivery=delivery,
                endpoint=endpoint,
                at=moment,
                status_code=answer.status_code,
                succeeded=answer.succeeded,
                latency_ms=answer.latency_ms,
                response=answer.body,
            )
            for delivery, moment, answer in tries
        )
        if done:
            Delivery.objects.filter(pk__in=[delivery.pk for delivery, _, _ in done]).update(
                status=Delivery.Status.SUCCEEDED, attempts=F("attempts") + 1
            )
        if failed is not None:
            delivery, moment, _ = failed
            delivery.attempts += 1
            schedule = settings.WEBHOOK_RETRY_SCHEDULE
            delay = schedule[min(delivery.attempts, len(schedule)) - 1]
            delivery.next_attempt_at = moment + timedelta(seconds=delay)
            delivery.save(update_fields=["attempts", "next_attempt_at"])
            failing_since = failing_since or moment
        if failing_since != endpoint.failing_since:
            Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=failing_since)
            endpoint.failing_since = failing_since
        if failed is None:
            return
        if moment - failing_since >= timedelta(seconds=settings.WEBHOOK_DISABLE_AFTER):
            _disable(endpoint, moment - failing_since)
            return
    _wake_at(endpoint.pk, delivery.next_attempt_at)


def _wake_at(endpoint_pk: int, moment) -> None:
    """Run `deliver` for the endpoint at `moment` (the sweeper catches it otherwise);
    the changes before then enqueue nothing (their deliveries wait behind the retry)."""
    if deliver.get_backend().supports_defer:
        with transaction.atomic():
            wake([endpoint_pk], run_after=moment)


def _disable(endpoint: Endpoint, failing_for: timedelta) -> None:
    days = failing_for.days
    reason = f"Disabled after failing for {days} days."
    Endpoint.objects.filter(pk=endpoint.pk).update(enabled=False, disabled_reason=reason)
    endpoint.enabled, endpoint.disabled_reason = False, reason
    project = endpoint.project
    url = settings.SITE_URL.rstrip("/") + f"/projects/{project.public_id}/"
    subject = f"Webhook endpoint of {project.name} disabled"
    body = (
        f"Every delivery to the webhook endpoint {endpoint.url} of {project.name} "
        f"({project.public_id}) has failed for {days} days, so it was disabled.\n\n"
        "Its events are kept and not lost: fix the receiver, enable the endpoint again "
        "and the waiting events are delivered, in order (or replay them).\n\n"
        f"Project: {url}\n"
        "You receive this because you are an admin of the account.\n"
    )
    for email in Membership.objects.filter(
        account_id=project.account_id, role=Role.ADMIN
    ).values_list("user__email", flat=True):
        queue_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    logger.warning("Webhook endpoint %s disabled: %s", endpoint.public_id, reason)


def sweep() -> int:
    """Enqueue `deliver` for every endpoint with a due delivery and no live lease (after
    a worker died, or a retry's task was lost): how many."""
    moment = now()
    endpoints = _due(Endpoint.objects.all()).filter(
        Q(leased_until__isnull=True) | Q(leased_until__lt=moment)
    )
    found = list(endpoints.values_list("pk", flat=True))
    for endpoint_pk in found:
        deliver.enqueue(endpoint_pk)
    return len(found)


# --- replay and test events ---------------------------------------------------------

TEST_TYPE = "webhook.test"


@transaction.atomic
def replay(endpoint: Endpoint, *, since=None, event_id: str | None = None) -> int:
    """Deliver again the family's events after `since` (or one event) that the endpoint
    wants, in sequence order, behind what is already pending; how many."""
    events = Event.objects.filter(family_id=endpoint.project.public_id)
    if event_id is not None:
        events = events.filter(id=event_id)
    else:
        events = events.filter(created_at__gt=since)
    chosen = [e for e in events.order_by("sequence") if endpoint.wants(e.type)]
    moment = now()
    Delivery.objects.bulk_create(
        [Delivery(endpoint=endpoint, event=e, replay=True, next_attempt_at=moment) for e in chosen]
    )
    if chosen and endpoint.enabled:
        # A task now, whatever the mark says (it may stand for a retry's later task).
        deliver.enqueue(endpoint.pk)
    return len(chosen)


@transaction.atomic
def send_test(endpoint: Endpoint) -> Delivery:
    """A `webhook.test` event to this endpoint alone (outside the family's sequence:
    its Event row is filed under the endpoint's ID), delivered like any other."""
    endpoint = Endpoint.objects.select_for_update().select_related("project").get(pk=endpoint.pk)
    count = Event.objects.filter(family_id=endpoint.public_id).count()
    event = Event.objects.create(
        type=TEST_TYPE,
        family_id=endpoint.public_id,
        project_id=endpoint.project.public_id,
        sequence=count + 1,
        created_at=now(),
        data={"message": "A test event from the console: your endpoint receives events."},
    )
    delivery = Delivery.objects.create(endpoint=endpoint, event=event, next_attempt_at=now())
    if endpoint.enabled:
        deliver.enqueue(endpoint.pk)
    return delivery

"""Delivering events (webhooks.delivery): Standard Webhooks signatures verified by the
`standardwebhooks` library, in order with consecutive sequence numbers, retries with
every attempt logged, replay, disabling after days of failure."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from events.models import Event
from projects import services as project_services
from tests.support.tasks import run_worker
from webhooks import delivery, services
from webhooks.models import Attempt, Delivery, Endpoint


def bodies(receiver):
    return [json.loads(body) for _, body in receiver.requests]


def test_a_receiver_using_standardwebhooks_verifies_every_delivery(receiver, endpoint, project):
    sub = project_services.subproject_create(parent=project, name="Taco Time")
    project_services.subproject_remove(subproject=sub)
    run_worker()

    assert len(receiver.requests) == 2
    verifier = Webhook(endpoint.plain_secret)
    for headers, body in receiver.requests:
        message = verifier.verify(body, headers)
        assert message["projectId"] == sub.public_id
        assert headers["webhook-id"] == message["id"]

    headers, body = receiver.requests[0]
    with pytest.raises(WebhookVerificationError):
        verifier.verify(body.replace(b"Taco", b"Fake"), headers)  # tampered body
    old = {**headers, "webhook-timestamp": str(int(headers["webhook-timestamp"]) - 3600)}
    with pytest.raises(WebhookVerificationError):
        verifier.verify(body, old)  # an old timestamp (a replayed capture)
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 43 + "=").verify(body, headers)  # another secret


def test_created_suspended_removed_arrive_in_order_with_consecutive_numbers(
    receiver, endpoint, project
):
    sub = project_services.subproject_create(parent=project, name="Taco Time")
    project_services.project_suspend(project=sub, reason="Unpaid")
    project_services.subproject_remove(subproject=sub)
    run_worker()

    got = bodies(receiver)
    assert [(m["type"], m["sequence"]) for m in got] == [
        ("subproject.created", 1),
        ("project.suspended", 2),
        ("subproject.removed", 3),
    ]
    assert {m["parentProjectId"] for m in got} == {project.public_id}
    assert got[1]["data"]["state"] == "SUSPENDED"


def test_500_three_times_then_200_is_delivered_on_the_fourth_attempt(
    receiver, endpoint, project, settings
):
    settings.WEBHOOK_RETRY_SCHEDULE = [0, 0, 0]
    receiver.statuses = [500, 500, 500]
    project_services.subproject_create(parent=project, name="Retried")
    run_worker()

    assert len(receiver.requests) == 4
    log = list(Attempt.objects.order_by("at", "pk"))
    assert [a.status_code for a in log] == [500, 500, 500, 200]
    assert [a.succeeded for a in log] == [False, False, False, True]
    assert len(log[0].response) == settings.WEBHOOK_RESPONSE_BYTES  # capped (5000 sent)
    assert Delivery.objects.get().status == "succeeded"
    assert Endpoint.objects.get().failing_since is None


def test_a_failed_delivery_holds_the_later_ones_back_until_its_retry(
    receiver, endpoint, project, settings
):
    settings.WEBHOOK_RETRY_SCHEDULE = [3600]
    receiver.statuses = [503]
    project_services.subproject_create(parent=project, name="A")
    project_services.subproject_create(parent=project, name="B")
    run_worker()
    assert len(receiver.requests) == 1  # B waits behind A: order is kept
    retry = Delivery.objects.order_by("pk").first()
    assert retry.attempts == 1
    assert retry.next_attempt_at > timezone.now() + timedelta(minutes=59)

    Delivery.objects.update(next_attempt_at=timezone.now())  # its time has come
    delivery.sweep()
    run_worker()
    assert [m["data"]["displayName"] for m in bodies(receiver)] == ["A", "A", "B"]


def test_replay_since_a_time_delivers_exactly_the_events_after_it(receiver, endpoint, project):
    subs = [project_services.subproject_create(parent=project, name=f"S{n}") for n in range(4)]
    run_worker()
    base = timezone.now() - timedelta(hours=4)
    for n, event in enumerate(Event.objects.order_by("sequence")):
        Event.objects.filter(pk=event.pk).update(created_at=base + timedelta(hours=n))
    receiver.requests.clear()

    count = delivery.replay(Endpoint.objects.get(), since=base + timedelta(hours=1))
    run_worker()

    assert count == 2
    assert [m["sequence"] for m in bodies(receiver)] == [3, 4]
    assert [m["projectId"] for m in bodies(receiver)] == [s.public_id for s in subs[2:]]


def test_an_endpoint_receives_only_the_types_it_wants(receiver, project, database_queue):
    services.endpoint_create(project=project, url=receiver.url, event_types=["project.suspended"])
    sub = project_services.subproject_create(parent=project, name="A")
    project_services.project_suspend(project=sub, reason="Unpaid")
    run_worker()
    assert [m["type"] for m in bodies(receiver)] == ["project.suspended"]


def test_other_families_events_are_not_delivered(receiver, endpoint, account):
    from tests.factories import ProjectFactory

    other = ProjectFactory(account=account)
    project_services.subproject_create(parent=other, name="Elsewhere")
    run_worker()
    assert receiver.requests == []


def test_after_rotation_both_secrets_verify_for_a_day(receiver, endpoint, project):
    old_secret = endpoint.plain_secret
    _, new_secret = services.endpoint_rotate_secret(endpoint=endpoint)
    project_services.subproject_create(parent=project, name="A")
    run_worker()
    headers, body = receiver.requests[0]
    assert len(headers["webhook-signature"].split()) == 2
    Webhook(old_secret).verify(body, headers)
    Webhook(new_secret).verify(body, headers)

    stored = Endpoint.objects.get()
    stored.previous_secret_until = timezone.now() - timedelta(seconds=1)
    stored.save()
    project_services.subproject_create(parent=project, name="B")
    run_worker()
    headers, body = receiver.requests[1]
    Webhook(new_secret).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old_secret).verify(body, headers)


def test_a_test_event_reaches_the_endpoint_outside_the_sequence(receiver, endpoint, project):
    delivery.send_test(endpoint)
    run_worker()
    (message,) = bodies(receiver)
    assert message["type"] == "webhook.test"
    assert message["sequence"] is None
    assert message["parentProjectId"] == project.public_id
    assert not Event.objects.filter(family_id=project.public_id).exists()


def test_failing_for_five_days_disables_the_endpoint_and_emails_the_admins(
    receiver, endpoint, project, admin_user, settings, monkeypatch
):
    settings.WEBHOOK_RETRY_SCHEDULE = [60]
    receiver.statuses = [500] * 10
    project_services.subproject_create(parent=project, name="A")
    start = timezone.now()
    clock = [start]
    monkeypatch.setattr(delivery, "now", lambda: clock[0])
    mail.outbox.clear()
    delivery.deliver.call(endpoint.pk)  # one failure: failing since `start`
    clock[0] = start + timedelta(days=5, seconds=1)
    delivery.deliver.call(endpoint.pk)

    stored = Endpoint.objects.get()
    assert not stored.enabled
    assert "failing for 5 days" in stored.disabled_reason
    assert Delivery.objects.get().status == "pending"  # kept, not lost
    run_worker()  # the emails, from the queue
    assert [m.to for m in mail.outbox if "disabled" in m.subject] == [[admin_user.email]]

    receiver.statuses = []
    clock[0] += timedelta(minutes=1)
    services.endpoint_update(endpoint=stored, enabled=True)
    run_worker()
    assert Delivery.objects.get().status == "succeeded"


def test_a_rolled_back_change_delivers_nothing(receiver, endpoint, project):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        project_services.subproject_create(parent=project, name="Never")
        raise RuntimeError
    run_worker()
    assert receiver.requests == []
    assert not Delivery.objects.exists()


def test_deliveries_go_in_batches_in_order_with_a_few_queries_per_batch(
    receiver, endpoint, project, django_assert_max_num_queries
):
    """120 deliveries: three batches (50, 50, 20), each read in one query and logged
    in one transaction, not a round of queries per delivery."""
    sub = project_services.subproject_create(parent=project, name="Batched")
    for i in range(119):
        project_services.project_update(project=sub, name=f"Batched {i}")
    assert Delivery.objects.count() == 120 and delivery.BATCH == 50

    with django_assert_max_num_queries(30):
        assert delivery.deliver.call(endpoint.pk) == 120

    assert [m["sequence"] for m in bodies(receiver)] == list(range(1, 121))
    assert set(Delivery.objects.values_list("status", "attempts")) == {("succeeded", 1)}
    assert Attempt.objects.filter(succeeded=True).count() == 120


def test_a_failure_in_a_batch_logs_those_before_it_and_holds_those_after(
    receiver, endpoint, project, settings
):
    settings.WEBHOOK_RETRY_SCHEDULE = [300]
    receiver.statuses = [200, 200, 503]
    sub = project_services.subproject_create(parent=project, name="Half")
    for i in range(4):
        project_services.project_update(project=sub, name=f"Half {i}")

    assert delivery.deliver.call(endpoint.pk) == 2
    assert len(receiver.requests) == 3  # the third failed; the two behind it wait
    states = list(Delivery.objects.order_by("pk").values_list("status", "attempts"))
    assert states == [
        ("succeeded", 1),
        ("succeeded", 1),
        ("pending", 1),
        ("pending", 0),
        ("pending", 0),
    ]
    log = list(Attempt.objects.order_by("at", "pk").values_list("status_code", "succeeded"))
    assert log == [(200, True), (200, True), (503, False)]
    stored = Endpoint.objects.get()
    assert stored.failing_since is not None and stored.leased_until is None

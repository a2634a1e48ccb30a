"""The task queue (core.tasks, core.emails, `manage.py worker`): emails are enqueued in
the caller's transaction, sent by the worker, and retried when the mail server fails."""

import smtplib

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from core.emails import queue_mail
from tests.support.tasks import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def statuses():
    return list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))


def test_without_a_worker_nothing_is_sent_and_the_worker_sends_it(database_queue):
    queue_mail("Hello", "A body with a https://link", None, ["a@example.com"])
    assert mail.outbox == []
    assert statuses() == ["READY"]

    run_worker()

    assert [m.subject for m in mail.outbox] == ["Hello"]
    assert mail.outbox[0].to == ["a@example.com"]
    assert statuses() == ["SUCCESSFUL"]


def test_an_email_asked_for_in_a_rolled_back_transaction_is_never_sent(database_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_mail("Rolled back", "body", None, ["a@example.com"])
        raise RuntimeError("the change failed")
    with transaction.atomic():
        queue_mail("Committed", "body", None, ["a@example.com"])

    run_worker()

    assert [m.subject for m in mail.outbox] == ["Committed"]


def failing(times: int):
    """send_mail that fails `times` times like a mail server that is down, then sends."""
    from core import emails

    real, calls = emails.send_mail, []

    def send_mail(*args):
        calls.append(args)
        if len(calls) <= times:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real(*args)

    return send_mail


def test_a_mail_server_failure_is_retried_until_the_email_is_sent(
    database_queue, settings, monkeypatch
):
    settings.EMAIL_RETRY_SCHEDULE = [0, 0, 0]
    monkeypatch.setattr("core.emails.send_mail", failing(2))

    queue_mail("Retried", "body", None, ["a@example.com"])
    run_worker()

    assert [m.subject for m in mail.outbox] == ["Retried"]
    assert statuses() == ["FAILED", "FAILED", "SUCCESSFUL"]
    failed = DBTaskResult.objects.order_by("enqueued_at").first()
    # The failure's reason is kept, never the body or the server's words.
    assert "SMTPServerDisconnected (attempt 1)" in failed.traceback
    assert "Connection unexpectedly closed" not in failed.traceback


def test_a_retry_waits_for_its_time(database_queue, settings, monkeypatch):
    settings.EMAIL_RETRY_SCHEDULE = [600]
    monkeypatch.setattr("core.emails.send_mail", failing(1))

    queue_mail("Later", "body", None, ["a@example.com"])
    run_worker()

    assert mail.outbox == []
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert 590 < (retry.run_after - retry.enqueued_at).total_seconds() <= 600


def test_the_email_is_given_up_when_the_schedule_is_used(
    database_queue, settings, monkeypatch, caplog
):
    settings.EMAIL_RETRY_SCHEDULE = [0]
    monkeypatch.setattr("core.emails.send_mail", failing(5))

    queue_mail("Given up", "secret body", None, ["a@example.com"])
    run_worker()

    assert mail.outbox == []
    assert statuses() == ["FAILED", "FAILED"]
    assert "Email 'Given up' not sent after 2 attempt(s): SMTPServerDisconnected" in caplog.text
    assert "secret body" not in caplog.text


def test_the_immediate_backend_of_the_tests_sends_at_once():
    queue_mail("Now", "body", None, ["a@example.com"])
    assert [m.subject for m in mail.outbox] == ["Now"]
    assert not DBTaskResult.objects.exists()

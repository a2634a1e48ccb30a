"""The worker outlasts a locked SQLite database: django-tasks-db takes its claiming
transaction outside the try that forgives one (core/management/commands/worker.py)."""

from contextlib import contextmanager

import pytest
from django.db import OperationalError
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from core.emails import queue_mail
from tests.support.tasks import run_worker

# The worker closes its connection after a locked database: not the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_locked_database_at_claiming_time_does_not_end_the_worker(
    database_queue, mailoutbox, monkeypatch
):
    queue_mail("Still sent", "body", None, ["a@example.com"])
    real = db_worker.exclusive_transaction
    attempts = []

    @contextmanager
    def locked_once(using=None):
        attempts.append(using)
        if len(attempts) == 1:
            raise OperationalError("database is locked")
        with real(using):
            yield

    monkeypatch.setattr(db_worker, "exclusive_transaction", locked_once)
    run_worker()

    assert len(attempts) >= 2
    assert [message.subject for message in mailoutbox] == ["Still sent"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_other_database_errors_still_end_the_worker(database_queue, monkeypatch):
    @contextmanager
    def broken(using=None):
        raise OperationalError("no such table: django_tasks_database_dbtaskresult")
        yield

    queue_mail("Never sent", "body", None, ["a@example.com"])
    monkeypatch.setattr(db_worker, "exclusive_transaction", broken)
    with pytest.raises(OperationalError, match="no such table"):
        run_worker()

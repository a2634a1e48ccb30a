"""Scheduled commands: purge_expired_records, and one run at a time across servers
(core.locks: a PostgreSQL advisory lock; ServiceCommand.exclusive)."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from core import locks
from core.failures import FailureLimit
from core.models import FailureCount, IdempotencyRecord
from projects.models import Project
from tests.factories import ProjectFactory
from tests.support.concurrency import run_together

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent sessions: run with DATABASE_URL=postgres://... (CI does)",
)


def run(name) -> str:
    out = StringIO()
    call_command(name, stdout=out)
    return out.getvalue()


def test_purge_expired_records_deletes_only_what_expired(db):
    now = timezone.now()
    IdempotencyRecord.objects.create(scope="s", key="old", result="x", expires_at=now)
    IdempotencyRecord.objects.create(
        scope="s", key="new", result="y", expires_at=now + timedelta(hours=1)
    )
    FailureLimit("test", 10, 60).hit("someone")
    FailureCount.objects.create(key="test:gone", count=3, expires_at=now - timedelta(seconds=1))
    assert run("purge_expired_records") == (
        "Purged 1 idempotency record(s) and 1 failure counter(s).\n"
    )
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    assert FailureCount.objects.count() == 1


def test_a_fresh_idempotency_record_is_never_purged_mid_request(db):
    """run_once's empty record (before its creation commits) outlives a purge."""
    from core import idempotency

    def create_while_purging():
        assert idempotency.purge_expired() == 0
        return "created"

    outcome = idempotency.run_once(scope="s", key="k", action=create_while_purging)
    assert outcome.result == "created"


def test_lock_ids_are_stable_and_distinct():
    assert locks.lock_id("command:a") == locks.lock_id("command:a")
    assert locks.lock_id("command:a") != locks.lock_id("command:b")
    assert -(2**63) <= locks.lock_id("command:a") < 2**63


def test_without_postgresql_the_lock_is_a_no_op(db):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    with locks.exclusively("x"), locks.exclusively("x"):
        pass


def _hold(name, acquired, release):
    """In another database session: hold the lock until `release` is set."""
    try:
        with locks.exclusively(name):
            acquired.set()
            release.wait(10)
    finally:
        connections.close_all()


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("command", ["purge_expired_records", "purge_removed_subprojects"])
def test_a_second_run_at_the_same_moment_does_nothing(command):
    acquired, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold, args=(f"command:{command}", acquired, release))
    holder.start()
    try:
        assert acquired.wait(10)
        assert run(command) == f"Another {command} is running right now; this run did nothing.\n"
    finally:
        release.set()
        holder.join()
    assert "Purged" in run(command)  # the lock went with the first run


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_purges_started_together_delete_each_subproject_once(monkeypatch):
    from projects import services

    long_ago = timezone.now() - timedelta(days=400)
    parent = ProjectFactory()
    for i in range(5):
        ProjectFactory(parent=parent, name=f"Gone {i}", removed_at=long_ago)
    real = services.purge_removed_subprojects
    outputs = []

    def slow_purge(**kwargs):
        count = real(**kwargs)
        threading.Event().wait(0.5)  # the other run starts while this one works
        return count

    monkeypatch.setattr(services, "purge_removed_subprojects", slow_purge)

    run_together(2, lambda i: outputs.append(run("purge_removed_subprojects")))
    assert sorted(outputs) == [
        "Another purge_removed_subprojects is running right now; this run did nothing.\n",
        "Purged 5 subproject(s).\n",
    ]
    assert Project.objects.filter(parent=parent).count() == 0

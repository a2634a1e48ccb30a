"""Simultaneous writes on PostgreSQL: each real change has exactly one entry, and the
entries agree with the final state (the locks serialise the read-compare-write)."""

import threading

import pytest
from django.db import connection, connections

from accounts import services as account_services
from accounts.models import Membership
from audit.models import AuditEvent
from core.actors import Actor
from projects import services
from projects.models import Project
from tests.factories import AccountFactory, ProjectFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers: run with DATABASE_URL=postgres://... (CI does)",
    ),
]


def simultaneously(*calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_the_same_suspension_twice_is_one_change():
    sub = ProjectFactory(parent=ProjectFactory())
    actor = Actor.for_command("t")
    errors = simultaneously(
        *[lambda: services.project_suspend(project=sub, reason="Unpaid", actor=actor)] * 6
    )
    assert errors == []
    assert AuditEvent.objects.filter(action="subproject.suspend").count() == 1


def test_suspend_and_resume_racing_leave_entries_that_match_the_state():
    sub = ProjectFactory(parent=ProjectFactory())
    actor = Actor.for_command("t")
    calls = []
    for i in range(4):
        calls.append(lambda i=i: services.project_suspend(project=sub, reason=f"R{i}", actor=actor))
        calls.append(lambda: services.project_resume(project=sub, actor=actor))
    assert simultaneously(*calls) == []
    events = list(AuditEvent.objects.order_by("id"))
    # Replaying the entries' "after" values gives the stored state.
    state = {"suspend_reason": "", "suspended_by_platform": False}
    for event in events:
        for field in state:
            if field in event.changes:
                assert event.changes[field]["before"] == state[field], event.changes
                state[field] = event.changes[field]["after"]
    stored = Project.objects.get(pk=sub.pk)
    assert state == {
        "suspend_reason": stored.suspend_reason,
        "suspended_by_platform": stored.suspended_by_platform,
    }


def test_a_rename_and_a_relabel_racing_each_have_their_entry():
    sub = ProjectFactory(parent=ProjectFactory(), name="Before")
    errors = simultaneously(
        lambda: services.project_update(project=Project.objects.get(pk=sub.pk), name="After"),
        lambda: services.project_update(project=Project.objects.get(pk=sub.pk), labels={"a": "b"}),
    )
    assert errors == []
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == [
        "subproject.relabel",
        "subproject.rename",
    ]
    stored = Project.objects.get(pk=sub.pk)
    assert (stored.name, stored.labels) == ("After", {"a": "b"})


def test_the_same_membership_twice_is_one_creation():
    account, user = AccountFactory(), UserFactory()
    errors = simultaneously(
        *[lambda: account_services.membership_set(account=account, user=user, role="viewer")] * 5
    )
    assert errors == []
    assert Membership.objects.filter(account=account, user=user).count() == 1
    assert AuditEvent.objects.filter(action="membership.create").count() == 1

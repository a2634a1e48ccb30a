"""Entries cannot be changed or deleted: not by the ORM, not by raw SQL on PostgreSQL
(a trigger), and only purge_before() (retention) deletes."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit import trail
from audit.models import AppendOnly, AuditEvent
from core.actors import SYSTEM
from projects import services

from .helpers import move_in_time


@pytest.fixture
def event(project):
    services.project_update(project=project, name="Renamed")
    return AuditEvent.objects.get()


def test_save_of_an_existing_entry_is_refused(event):
    event.action = "project.create"
    with pytest.raises(AppendOnly):
        event.save()
    assert AuditEvent.objects.get().action == "project.rename"


def test_delete_is_refused(event):
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnly), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["action"])
    assert AuditEvent.objects.count() == 1


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@postgresql_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'forged'",
        "DELETE FROM audit_auditevent",
        # Setting the purge flag for the session does not permit an UPDATE either.
        "SELECT set_config('audit.purging', 'on', true); UPDATE audit_auditevent SET action = 'x'",
    ],
)
def test_the_database_refuses_raw_updates_and_deletes(event, sql):
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        for statement in sql.split("; "):
            cursor.execute(statement)
    assert AuditEvent.objects.get().action == "project.rename"


@postgresql_only
def test_the_purge_flag_does_not_outlive_its_transaction(event):
    trail.purge_before(timezone.now() - timedelta(days=1))  # sets it, deletes nothing
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 1


def test_purge_before_deletes_only_older_entries_and_says_so(project):
    services.project_update(project=project, name="Old name")
    services.project_update(project=project, name="Newer name")
    old, new = AuditEvent.objects.order_by("id")
    move_in_time(old, timezone.now() - timedelta(days=500))
    cutoff = timezone.now() - timedelta(days=400)
    assert trail.purge_before(cutoff, actor=SYSTEM) == 1
    assert trail.purge_before(cutoff, actor=SYSTEM) == 0  # idempotent
    remaining = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert remaining == ["project.rename", "audit.purge"]
    assert AuditEvent.objects.get(action="audit.purge").changes == {
        "deleted": {"before": 1, "after": 0}
    }
    assert new.pk in AuditEvent.objects.values_list("pk", flat=True)

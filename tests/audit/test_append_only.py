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
        # The old purge flag, set by any session, opens nothing any more.
        "SELECT set_config('audit.purging', 'on', true); DELETE FROM audit_auditevent",
        "SELECT set_config('audit.purging', 'on', false); DELETE FROM audit_auditevent",
        "SELECT set_config('audit.purging', 'on', true); UPDATE audit_auditevent SET action = 'x'",
    ],
)
def test_the_database_refuses_raw_updates_and_deletes(event, sql):
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        for statement in sql.split("; "):
            cursor.execute(statement)
    assert AuditEvent.objects.get().action == "project.rename"


@pytest.fixture
def application_role(db):
    """The rest of the block runs as a role like the application's: not a superuser,
    with every privilege on the audit table (so the trigger, not a missing GRANT, is
    what refuses)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'console_app_test') "
            "THEN CREATE ROLE console_app_test NOLOGIN NOSUPERUSER; END IF; END $$"
        )
        cursor.execute("GRANT ALL ON audit_auditevent TO console_app_test")
    return "console_app_test"


@postgresql_only
def test_truncate_is_refused(event, application_role):
    refused = pytest.raises(DatabaseError, match="append-only: TRUNCATE refused")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {application_role}")
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 1


@postgresql_only
def test_only_entries_past_the_floor_can_be_deleted_by_anyone(project):
    services.project_update(project=project, name="Old name")
    services.project_update(project=project, name="Newer name")
    old, young = AuditEvent.objects.order_by("id")
    floor = timedelta(days=trail.RETENTION_FLOOR_DAYS)
    move_in_time(old, timezone.now() - floor - timedelta(hours=1))
    move_in_time(young, timezone.now() - floor + timedelta(hours=1))
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [young.pk])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [old.pk])
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [young.pk]


def test_purge_before_refuses_a_cutoff_inside_the_floor(event):
    with pytest.raises(ValueError, match="at least 365 days"):
        trail.purge_before(timezone.now() - timedelta(days=trail.RETENTION_FLOOR_DAYS - 1))
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

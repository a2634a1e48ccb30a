"""Project.subproject_count: a parent's subprojects that are not removed, kept by the
services in the transaction of each create, removal and restore (the Subprojects page's
total, read for free with the parent)."""

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent
from projects import services
from projects.models import Project
from tests.factories import ProjectFactory
from tests.support.concurrency import run_together


def count_of(project) -> int:
    return Project.objects.get(pk=project.pk).subproject_count


def real_count(project) -> int:
    return project.subprojects.alive().count()


def test_create_remove_restore_keep_the_count(project):
    subs = [services.subproject_create(parent=project, name=f"c{i}") for i in range(3)]
    assert count_of(project) == 3
    services.subproject_remove(subproject=subs[0])
    services.subproject_remove(subproject=subs[0])  # twice: changes nothing more
    assert count_of(project) == 2 == real_count(project)
    services.subproject_restore(subproject=subs[0])
    services.subproject_restore(subproject=subs[0])
    assert count_of(project) == 3 == real_count(project)


def test_removing_several_at_once_counts_them(project):
    subs = [services.subproject_create(parent=project, name=f"c{i}") for i in range(5)]
    removed = services.subprojects_remove(
        parent=project, public_ids=[s.public_id for s in subs[:3]] + [subs[0].public_id]
    )
    assert sorted(s.public_id for s in removed) == sorted(s.public_id for s in subs[:3])
    assert count_of(project) == 2 == real_count(project)
    # Already removed, another parent's, unknown: skipped.
    other = services.subproject_create(parent=ProjectFactory(), name="elsewhere")
    again = services.subprojects_remove(
        parent=project,
        public_ids=[subs[0].public_id, other.public_id, "01ARZ3NDEKTSV4RRFFQ69G5FAV"],
    )
    assert again == [] and count_of(project) == 2
    assert not Project.objects.get(pk=other.pk).is_removed


def test_purging_does_not_change_the_count(project):
    sub = services.subproject_create(parent=project, name="gone")
    services.subproject_create(parent=project, name="stays")
    services.subproject_remove(subproject=sub)
    Project.objects.filter(pk=sub.pk).update(removed_at=timezone.now() - timedelta(days=31))
    assert services.purge_removed_subprojects() == 1
    assert count_of(project) == 1 == real_count(project)


def test_an_operator_deleting_subprojects_in_the_admin_recounts(client_for, operator, project):
    keep = services.subproject_create(parent=project, name="keep")
    doomed = [services.subproject_create(parent=project, name=f"d{i}") for i in range(2)]
    client = client_for(operator)
    response = client.post(
        "/admin/projects/project/",
        {
            "action": "delete_selected",
            "_selected_action": [d.pk for d in doomed],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert count_of(project) == 1 == real_count(project)
    client.post(f"/admin/projects/project/{keep.pk}/delete/", {"post": "yes"})
    assert count_of(project) == 0 == real_count(project)


def test_the_migration_counts_what_exists(project):
    ProjectFactory(parent=project)
    ProjectFactory(parent=project)
    ProjectFactory(parent=project, removed=True)
    Project.objects.update(subproject_count=0)
    fill = importlib.import_module("projects.migrations.0005_subproject_count").FILL
    with connection.cursor() as cursor:
        cursor.execute(fill)
    assert count_of(project) == 2


def test_removing_several_costs_a_fixed_number_of_queries(project, django_assert_num_queries):
    subs = [services.subproject_create(parent=project, name=f"c{i}") for i in range(50)]
    # lock the parent; lock the chosen; one UPDATE; one INSERT of 50 entries; the count
    # (plus the savepoint pair of the atomic block inside the test's transaction); the
    # 50 events: the family's number, one INSERT of them, the endpoints (no savepoint of
    # their own: events.outbox.emit_many)
    with django_assert_num_queries(10):
        services.subprojects_remove(parent=project, public_ids=[s.public_id for s in subs])
    assert AuditEvent.objects.filter(action="subproject.remove").count() == 50
    assert count_of(project) == 0


def test_at_most_100_at_a_time(project):
    from core.errors import InvalidValue

    with pytest.raises(InvalidValue, match="at most 100"):
        services.subprojects_remove(parent=project, public_ids=[f"ID{i}" for i in range(101)])


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent writers: run with DATABASE_URL=postgres://... (CI does)",
)
def test_simultaneous_creates_and_removals_keep_the_count_exact():
    parent = ProjectFactory()
    subs = [services.subproject_create(parent=parent, name=f"old {i}") for i in range(8)]

    def work(i):
        if i % 3 == 0:
            services.subproject_create(parent=parent, name=f"new {i}")
        elif i % 3 == 1:
            services.subproject_remove(subproject=subs[i % 8])
        else:
            services.subprojects_remove(
                parent=parent, public_ids=[subs[(i + 1) % 8].public_id, subs[(i + 2) % 8].public_id]
            )

    run_together(12, work)
    assert count_of(parent) == real_count(parent)
    assert count_of(parent) > 0

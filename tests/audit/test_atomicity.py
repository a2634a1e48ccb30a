"""A change and its entry commit together or not at all."""

import pytest
from django.db import transaction

from audit import trail
from audit.models import AuditEvent
from core.actors import Actor
from core.errors import AlreadyExists
from projects import services
from projects.models import AccessKey, Project


class Boom(Exception):
    pass


def fail(*args, **kwargs):
    raise Boom


@pytest.mark.django_db(transaction=True)
def test_no_change_without_its_entry(project, subproject, monkeypatch):
    """The entry cannot be written: the change is rolled back with it."""
    monkeypatch.setattr(trail.AuditEvent, "save", fail)
    for change in (
        lambda: services.project_update(project=subproject, name="Renamed"),
        lambda: services.subproject_remove(subproject=subproject),
        lambda: services.project_suspend(project=subproject, reason="x"),
        lambda: services.access_key_create(project=project, display_name="k"),
        lambda: services.subproject_create(parent=project, name="New"),
    ):
        with pytest.raises(Boom):
            change()
    stored = Project.objects.get(pk=subproject.pk)
    assert (stored.name, stored.removed_at, stored.suspended_at) == ("Taco Time", None, None)
    assert not AccessKey.objects.exists()
    assert Project.objects.count() == 2
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_no_entry_without_its_change(project, subproject):
    """A failure after the change and its entry, before commit, leaves neither."""
    with pytest.raises(Boom), transaction.atomic():
        services.project_update(project=subproject, name="Renamed")
        services.project_suspend(project=subproject, reason="x", actor=Actor.for_command("t"))
        assert AuditEvent.objects.count() == 2
        raise Boom
    assert Project.objects.get(pk=subproject.pk).name == "Taco Time"
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_refused_change_writes_no_entry(project):
    services.access_key_create(project=project, display_name="dup")
    with pytest.raises(AlreadyExists):
        services.access_key_create(project=project, display_name="dup")
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["access_key.create"]

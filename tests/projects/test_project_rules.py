from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects import services
from projects.models import Project, Subproject
from tests.factories import AccountFactory, ProjectFactory


def test_subproject_joins_its_parents_account(project):
    sub = services.subproject_create(parent=project, name="  Taco Time ")
    assert sub.account_id == project.account_id
    assert sub.name == "Taco Time"
    assert sub.title == "Acme Production > Taco Time"
    assert Subproject.objects.get() == sub


def test_a_subproject_cannot_have_subprojects(subproject):
    with pytest.raises(ValidationError, match="cannot have subprojects"):
        services.subproject_create(parent=subproject, name="Grandchild")
    assert Project.objects.filter(parent=subproject).count() == 0


def test_no_subproject_under_a_removed_parent(db):
    parent = ProjectFactory(removed=True)
    with pytest.raises(ValidationError, match="has been removed"):
        services.subproject_create(parent=parent, name="Late")


def test_same_account_rule_is_checked_by_the_model(project):
    stranger = AccountFactory()
    sub = Project(account=stranger, parent=project, name="Cross-account")
    with pytest.raises(ValidationError, match="same account"):
        sub.full_clean()


def test_parent_never_changes(subproject, account):
    other_parent = ProjectFactory(account=account)
    sub = Project.objects.get(pk=subproject.pk)
    sub.parent = other_parent
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.project_update(project=sub, name="Moved")
    top = Project.objects.get(pk=other_parent.pk)
    top.parent = subproject.parent
    with pytest.raises(ValidationError, match="cannot be changed"):
        top.full_clean()


def test_database_refuses_a_project_as_its_own_parent(project):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(parent_id=project.pk)


def test_invalid_name_saves_nothing(project):
    with pytest.raises(ValidationError) as excinfo:
        services.subproject_create(parent=project, name="bad\u202ename")
    assert "name" in excinfo.value.message_dict
    assert not project.subprojects.exists()


def test_update_renames_and_replaces_labels(subproject):
    services.project_update(project=subproject, name="Renamed", labels={"tier": "gold"})
    subproject.refresh_from_db()
    assert (subproject.name, subproject.labels) == ("Renamed", {"tier": "gold"})


def test_update_with_bad_labels_keeps_the_old_ones(subproject):
    services.project_update(project=subproject, labels={"tier": "gold"})
    with pytest.raises(ValidationError):
        services.project_update(project=subproject, labels={"tier": ""})
    subproject.refresh_from_db()
    assert subproject.labels == {"tier": "gold"}


def test_remove_restore_and_purge(subproject):
    services.subproject_remove(subproject=subproject)
    assert not Project.objects.alive().filter(pk=subproject.pk).exists()
    services.subproject_restore(subproject=subproject)
    assert Project.objects.alive().filter(pk=subproject.pk).exists()

    services.subproject_remove(subproject=subproject)
    assert services.purge_removed_subprojects() == 0
    later = timezone.now() + timedelta(days=30, seconds=1)
    assert services.purge_removed_subprojects(now=later) == 1
    assert not Project.objects.filter(pk=subproject.pk).exists()


def test_restore_is_refused_after_30_days(subproject):
    subproject.removed_at = timezone.now() - timedelta(days=31)
    subproject.save()
    with pytest.raises(ValidationError, match="can no longer be restored"):
        services.subproject_restore(subproject=subproject)


def test_top_level_projects_are_not_removed_this_way(project):
    with pytest.raises(ValidationError, match="Only subprojects"):
        services.subproject_remove(subproject=project)


def test_project_ids_are_opaque_ulids(project, subproject):
    assert len(project.public_id) == 26
    assert project.public_id != str(project.pk)
    assert project.public_id != subproject.public_id

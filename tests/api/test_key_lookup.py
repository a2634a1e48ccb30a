"""The key lookup of authentication (hand-written SQL, projects.api.auth.key_by_sql)
agrees with the ORM's rules: AccessKeyQuerySet.active() for which keys work, and
ProjectQuerySet.reachable_by_key for the project a route names, read with the key."""

from dataclasses import FrozenInstanceError
from datetime import timedelta

import pytest
from django.utils import timezone

from projects import services
from projects.api.auth import _active_key, key_by_sql
from projects.models import AccessKey, Project
from tests.factories import AccountFactory, ProjectFactory


def test_agrees_with_the_queryset_in_every_state(project, subproject):
    soon = timezone.now() + timedelta(days=1)
    keys = {
        "active": services.access_key_create(project=project, display_name="a")[0],
        "expiring": services.access_key_create(project=project, display_name="e", expires_at=soon)[
            0
        ],
        "expired": services.access_key_create(project=project, display_name="x")[0],
        "revoked": services.access_key_create(project=project, display_name="r")[0],
        "removed project": services.access_key_create(project=subproject, display_name="s")[0],
    }
    AccessKey.objects.filter(pk=keys["expired"].pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    services.access_key_revoke(key=keys["revoked"])
    services.subproject_remove(subproject=subproject)
    for state, key in keys.items():
        expected = AccessKey.objects.active().filter(pk=key.pk).exists()
        assert (_active_key(key.key_id) is not None) == expected, state
        assert AccessKey.objects.with_active().get(pk=key.pk).is_active == expected, state
    assert [s for s, k in keys.items() if _active_key(k.key_id)] == ["active", "expiring"]
    assert _active_key("00000000-0000-4000-8000-000000000000") is None


def test_loads_the_key_and_its_project(db):
    # Distinct ids for accounts and projects, so that no column can pass for another
    # (the sequences' positions depend on the tests run before: PostgreSQL's are not
    # rolled back).
    project = ProjectFactory()
    subproject = ProjectFactory(parent=project, name="Taco Time")
    account = AccountFactory()
    while account.pk in (project.pk, subproject.pk):
        account = AccountFactory()
    Project.objects.filter(pk__in=[project.pk, subproject.pk]).update(account=account)
    project.refresh_from_db()
    subproject.refresh_from_db()
    assert len({project.pk, subproject.pk, project.account_id}) == 3
    services.project_update(project=subproject, labels={"tier": "gold"})
    created, _ = services.access_key_create(project=subproject, display_name="k")
    key = _active_key(created.key_id)
    assert key == created and key.pk == created.pk and key.key_id == created.key_id
    assert key.secret_hash == created.secret_hash and key.project_id == subproject.pk
    assert (key.expires_at, key.revoked_at) == (None, None)
    # Every field of the project, each in its place (none passes for another).
    stored = Project.objects.get(pk=subproject.pk)
    for field in Project._meta.concrete_fields:
        assert getattr(key.project, field.attname) == getattr(stored, field.attname), field.name
    assert key.project.labels == {"tier": "gold"}
    assert key.is_subproject_key


def test_the_record_is_frozen(project):
    created, _ = services.access_key_create(project=project, display_name="k")
    key = _active_key(created.key_id)
    with pytest.raises(FrozenInstanceError):
        key.revoked_at = timezone.now()


def test_reads_with_the_key_only_a_project_the_key_reaches(project, subproject):
    sibling = ProjectFactory(parent=project, name="Sibling")
    removed = ProjectFactory(parent=project, name="Gone", removed=True)
    elsewhere = ProjectFactory(account=project.account, name="Elsewhere")
    nephew = ProjectFactory(parent=elsewhere, name="Nephew")
    stranger = ProjectFactory(name="Stranger")
    targets = [project, subproject, sibling, removed, elsewhere, nephew, stranger]
    expected = {  # what each one's key reaches (removed ones too: routes decide)
        project: {project, subproject, sibling, removed},
        subproject: {subproject},
        elsewhere: {elsewhere, nephew},
    }
    now = timezone.now()
    for owner, reaches in expected.items():
        key, _ = services.access_key_create(project=owner, display_name="k")
        assert set(Project.objects.reachable_by_key(owner.pk)) == reaches
        for target in targets:
            found = key_by_sql(key.key_id, now, target.public_id).target
            assert (found is not None) == (target in reaches), (owner.name, target.name)
            assert found is None or found.pk == target.pk


@pytest.mark.parametrize("suspended", ["nothing", "the subproject", "the parent", "both"])
def test_reads_the_parent_for_the_suspension_in_effect(
    project, subproject, suspended, django_assert_num_queries
):
    """Project.suspension, on the project read with the key, says what the ORM's says:
    its own suspension, else its parent's; no query for the parent."""
    if suspended in ("the parent", "both"):
        services.project_suspend(project=project, reason="Parent unpaid")
    if suspended in ("the subproject", "both"):
        services.project_suspend(project=subproject, reason="Own unpaid")
    for owner in (project, subproject):
        created, _ = services.access_key_create(project=owner, display_name="k")
        key = key_by_sql(created.key_id, timezone.now())
        stored = Project.objects.select_related("parent").get(pk=owner.pk)
        expected = stored.suspension
        with django_assert_num_queries(0):
            found = key.project.suspension
            refused = key.suspension
        assert (found and found.pk) == (expected and expected.pk), (suspended, owner.name)
        if expected is None:
            assert refused is None
        else:
            assert (refused.public_id, refused.reason, refused.of_parent) == (
                expected.public_id,
                expected.suspend_reason,
                expected.pk != owner.pk,
            )

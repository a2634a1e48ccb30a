"""Writing the entry adds exactly one INSERT to each write path, and no other statement
(the locks read what the entry names in the query they already ran)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Role
from core.actors import Actor
from projects import services
from projects.models import AccessKey, Project
from tests.factories import AccountFactory, MembershipFactory, ProjectFactory, UserFactory

from .helpers import recording_cost

ONE_INSERT = [("INSERT", "audit_auditevent")]


def fresh_subproject():
    """A subproject loaded from nothing, as a view or the admin would hand it over."""
    return Project.objects.get(pk=ProjectFactory(parent=ProjectFactory()).pk)


def fresh_key():
    key, _ = services.access_key_create(project=ProjectFactory(), display_name="k")
    return AccessKey.objects.get(pk=key.pk)


def removed_subproject():
    sub = fresh_subproject()
    services.subproject_remove(subproject=sub)
    return Project.objects.get(pk=sub.pk)


SCENARIOS = {
    "project_create": lambda: lambda: services.project_create(account=AccountFactory(), name="P"),
    "subproject_create": lambda: (
        lambda parent: lambda: services.subproject_create(parent=parent, name="S")
    )(Project.objects.get(pk=ProjectFactory().pk)),
    "project_update": lambda: (
        lambda sub: lambda: services.project_update(project=sub, name="New", labels={"a": "b"})
    )(fresh_subproject()),
    "subproject_remove": lambda: (lambda sub: lambda: services.subproject_remove(subproject=sub))(
        fresh_subproject()
    ),
    "subproject_restore": lambda: (lambda sub: lambda: services.subproject_restore(subproject=sub))(
        removed_subproject()
    ),
    "project_suspend": lambda: (
        lambda sub: lambda: services.project_suspend(project=sub, reason="Unpaid")
    )(fresh_subproject()),
    "project_resume": lambda: (lambda sub: lambda: services.project_resume(project=sub))(
        services.project_suspend(project=fresh_subproject(), reason="Unpaid")
    ),
    "access_key_create": lambda: (
        lambda project: (
            lambda: services.access_key_create(
                project=project, display_name="k", expires_at=timezone.now() + timedelta(days=1)
            )
        )
    )(Project.objects.get(pk=ProjectFactory().pk)),
    "access_key_rename": lambda: (
        lambda key: lambda: services.access_key_rename(key=key, display_name="renamed")
    )(fresh_key()),
    "access_key_revoke": lambda: (lambda key: lambda: services.access_key_revoke(key=key))(
        fresh_key()
    ),
    "account_create": lambda: lambda: account_services.account_create(name="A"),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_one_insert_and_nothing_else(db, monkeypatch, name):
    assert recording_cost(monkeypatch, SCENARIOS[name]) == ONE_INSERT


def test_membership_set(db, monkeypatch):
    def scenario():
        account, user = AccountFactory(), UserFactory()
        return lambda: account_services.membership_set(account=account, user=user, role="viewer")

    assert recording_cost(monkeypatch, scenario) == ONE_INSERT


def test_purge_writes_one_insert_for_the_whole_batch(db, monkeypatch):
    later = timezone.now() + timedelta(days=31)

    def scenario():
        for _ in range(5):
            removed_subproject()
        return lambda: services.purge_removed_subprojects(now=later)

    assert recording_cost(monkeypatch, scenario) == ONE_INSERT


def test_grant_set(db, monkeypatch):
    def scenario():
        project = ProjectFactory()
        membership = MembershipFactory(account=project.account, role=Role.VIEWER)
        return lambda: services.grant_set(
            membership=membership, project=project, actor=Actor.for_command("t")
        )

    assert recording_cost(monkeypatch, scenario) == ONE_INSERT

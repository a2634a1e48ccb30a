"""Every write of projects.services and accounts.services writes exactly one entry, with
the actor, source, target and changes (test_recording_cost: and costs one INSERT)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Membership, Role
from audit.models import AuditEvent
from core.actors import Actor, Kind, Source
from projects import services
from projects.models import AccessKey, Project, ProjectGrant
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

from .helpers import Statements, actions, only_event


@pytest.fixture
def actor(member):
    return Actor(Kind.USER, str(member.pk), Source.DASHBOARD, "203.0.113.9", member)


def assert_actor(event, actor):
    assert (event.actor_type, event.actor_id, event.source, event.address) == (
        actor.kind,
        actor.id,
        actor.source,
        actor.address,
    )
    assert event.actor_label == actor.user.email


def test_project_create(account, actor):
    project = services.project_create(
        account=account, name="Acme", labels={"env": "prod"}, actor=actor
    )
    event = only_event("project.create")
    assert_actor(event, actor)
    assert (event.project_id, event.family_project_id, event.target_id) == (
        project.public_id,
        project.public_id,
        project.public_id,
    )
    assert event.account_id == account.public_id and event.target_label == "Acme"
    assert event.changes == {
        "name": {"before": None, "after": "Acme"},
        "labels": {"before": None, "after": {"env": "prod"}},
    }


def test_subproject_create(project, actor):
    parent = Project.objects.get(pk=project.pk)  # nothing preloaded
    sub = services.subproject_create(parent=parent, name="Taco", actor=actor)
    event = only_event("subproject.create")
    assert_actor(event, actor)
    assert (event.project_id, event.family_project_id) == (sub.public_id, project.public_id)
    assert event.changes == {"name": {"before": None, "after": "Taco"}}


@pytest.mark.parametrize(
    ("change", "action", "fields"),
    [
        ({"name": "Renamed"}, "rename", {"name"}),
        ({"labels": {"tier": "gold"}}, "relabel", {"labels"}),
        ({"name": "Both", "labels": {"a": "b"}}, "update", {"name", "labels"}),
    ],
)
def test_project_update(subproject, project, actor, change, action, fields):
    target = Project.objects.get(pk=subproject.pk)
    services.project_update(project=target, actor=actor, **change)
    event = only_event(f"subproject.{action}")
    assert set(event.changes) == fields
    assert event.changes.get("name", {}).get("before") in (None, "Taco Time")
    assert (event.project_id, event.family_project_id) == (subproject.public_id, project.public_id)
    services.project_update(project=project, name="Top renamed", actor=actor)
    assert only_event("project.rename").family_project_id == project.public_id


def test_an_update_that_changes_nothing_writes_nothing(subproject, actor):
    with Statements() as statements:
        services.project_update(project=subproject, name="  Taco Time ", labels={}, actor=actor)
    assert not any(verb in ("UPDATE", "INSERT") for verb, _ in statements.kinds)
    assert AuditEvent.objects.count() == 0


def test_remove_and_restore(subproject, actor):
    services.subproject_remove(subproject=subproject, actor=actor)
    services.subproject_remove(subproject=subproject, actor=actor)  # again: no change
    services.subproject_restore(subproject=subproject, actor=actor)
    assert actions() == ["subproject.remove", "subproject.restore"]
    removed = only_event("subproject.remove")
    assert removed.changes["removed_at"]["before"] is None
    assert removed.changes["removed_at"]["after"]
    assert only_event("subproject.restore").changes["removed_at"]["after"] is None


def test_purge_writes_one_entry_per_subproject_in_one_insert(project, actor):
    gone = [ProjectFactory(parent=project, name=f"Gone {i}") for i in range(3)]
    for sub in gone:
        services.subproject_remove(subproject=sub)
    later = timezone.now() + timedelta(days=31)
    assert services.purge_removed_subprojects(now=later, actor=actor) == 3
    purged = AuditEvent.objects.filter(action="subproject.purge")
    assert sorted(e.project_id for e in purged) == sorted(s.public_id for s in gone)
    assert {e.family_project_id for e in purged} == {project.public_id}
    assert not Project.objects.filter(pk__in=[s.pk for s in gone]).exists()
    # The history of a purged subproject stays, in its parent's Activity.
    assert AuditEvent.objects.for_project(project).count() == 6


def test_access_key_create_records_the_expiry_never_the_secret(project, actor):
    expires = timezone.now() + timedelta(days=7)
    key, secret = services.access_key_create(
        project=project, display_name="CI", expires_at=expires, actor=actor
    )
    event = only_event("access_key.create")
    assert (event.key_id, event.target_id, event.project_id) == (
        key.key_id,
        key.key_id,
        project.public_id,
    )
    assert event.changes["display_name"]["after"] == "CI"
    assert event.changes["expires_at"]["after"].startswith(expires.isoformat()[:19])
    text = repr(event.__dict__)
    assert secret not in text and key.secret_hash not in text


def test_access_key_rename_and_revoke(project, actor):
    key, _ = services.access_key_create(project=project, display_name="Old")
    key = AccessKey.objects.get(pk=key.pk)
    services.access_key_rename(key=key, display_name="New", actor=actor)
    services.access_key_revoke(key=AccessKey.objects.get(pk=key.pk), actor=actor)
    services.access_key_revoke(key=key, actor=actor)  # already revoked: no entry
    assert actions() == ["access_key.create", "access_key.rename", "access_key.revoke"]
    assert only_event("access_key.rename").changes == {
        "display_name": {"before": "Old", "after": "New"}
    }
    assert only_event("access_key.revoke").key_id == key.key_id


def test_suspend_and_resume(subproject, project, actor, admin_user):
    services.project_suspend(project=subproject, reason="Unpaid invoice", actor=actor)
    event = only_event("subproject.suspend")
    assert event.changes["suspend_reason"] == {"before": "", "after": "Unpaid invoice"}
    assert event.family_project_id == project.public_id
    services.project_resume(project=subproject, actor=actor)
    assert only_event("subproject.resume").changes["suspend_reason"]["after"] == ""
    # A top-level project is suspended by an account admin (projects.models.decides).
    admin = Actor(Kind.USER, str(admin_user.pk), Source.DASHBOARD, user=admin_user)
    services.project_suspend(project=project, reason="Abuse", actor=admin)
    assert only_event("project.suspend").project_id == project.public_id


def test_grants(project, subproject, actor):
    membership = MembershipFactory(account=project.account, role=Role.VIEWER)
    grant = services.grant_set(membership=membership, project=subproject, actor=actor)
    services.grant_set(membership=membership, project=subproject, actor=actor)  # exists
    event = only_event("grant.create")
    assert event.project_id == subproject.public_id
    assert event.changes == {
        "user": {"before": None, "after": membership.user.email},
        "role": {"before": None, "after": "viewer"},
    }
    services.grant_remove(grant=grant, actor=actor)
    services.grant_remove(grant=grant, actor=actor)  # gone already: no entry
    assert not ProjectGrant.objects.filter(pk=grant.pk).exists()
    assert only_event("grant.remove").changes["user"]["before"] == membership.user.email


def test_grant_in_another_account_is_refused(project, actor):
    from core.errors import InvalidValue

    stranger = MembershipFactory()
    with pytest.raises(InvalidValue, match="another account"):
        services.grant_set(membership=stranger, project=project, actor=actor)
    assert AuditEvent.objects.count() == 0


def test_memberships(account, actor):
    user = UserFactory(email="new@example.com")
    membership = account_services.membership_set(
        account=account, user=user, role=Role.VIEWER, actor=actor
    )
    account_services.membership_set(account=account, user=user, role=Role.VIEWER, actor=actor)
    account_services.membership_set(account=account, user=user, role=Role.MEMBER, actor=actor)
    account_services.membership_remove(membership=membership, actor=actor)
    account_services.membership_remove(membership=membership, actor=actor)
    assert actions() == ["membership.create", "membership.update", "membership.remove"]
    update = only_event("membership.update")
    assert update.changes == {"role": {"before": "viewer", "after": "member"}}
    assert (update.target_id, update.account_id, update.project_id) == (
        "new@example.com",
        account.public_id,
        "",
    )
    assert not Membership.objects.filter(user=user).exists()


def test_account_create(actor):
    account = account_services.account_create(name="Globex", actor=actor)
    event = only_event("account.create")
    assert (event.account_id, event.target_label) == (account.public_id, "Globex")


def test_record_refuses_anything_that_looks_like_a_secret(project, actor):
    from audit import trail

    for field in ("secret", "secret_hash", "password", "clientSecret"):
        with pytest.raises(ValueError, match="secret"):
            trail.record(actor, "project.update", project=project, changes={field: {}})
    assert AuditEvent.objects.count() == 0


def test_the_platform_token_hook(db):
    from audit import trail

    operator = Actor(Kind.COMMAND, "create_platform_token", Source.COMMAND)
    trail.record_platform_token_change(
        operator,
        "create",
        token_id="pt_01ARZ3NDEK",
        token_name="usage ingest",
        changes=trail.created({"name": "usage ingest"}),
    )
    event = only_event("platform_token.create")
    assert (event.target_id, event.target_label, event.project_id) == (
        "pt_01ARZ3NDEK",
        "usage ingest",
        "",
    )
    with pytest.raises(ValueError, match="secret"):
        trail.record_platform_token_change(
            operator, "update", token_id="pt_x", changes={"token_hash": {}}
        )

"""The events outbox (events.outbox, events.from_audit): written in the change's own
transaction, numbered per family without gaps, carrying the resource as the API shows
it."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from events.models import Event
from projects import services
from projects.models import Project
from team import services as team_services
from tests.factories import ProjectFactory
from tests.support.concurrency import run_together


def stream(family):
    return list(
        Event.objects.filter(family_id=family.public_id)
        .order_by("sequence")
        .values_list("type", "sequence", "project_id")
    )


def test_create_suspend_remove_are_three_consecutive_events_of_the_family(project):
    sub = services.subproject_create(parent=project, name="Taco Time", labels={"tier": "gold"})
    services.project_suspend(project=sub, reason="Unpaid")
    services.subproject_remove(subproject=sub)

    assert stream(project) == [
        ("subproject.created", 1, sub.public_id),
        ("project.suspended", 2, sub.public_id),
        ("subproject.removed", 3, sub.public_id),
    ]
    created = Event.objects.get(type="subproject.created")
    assert created.data == {
        "subprojectId": sub.public_id,
        "parentProjectId": project.public_id,
        "displayName": "Taco Time",
        "labels": {"tier": "gold"},
        "createTime": created.data["createTime"],
        "updateTime": created.data["updateTime"],
        "deleted": False,
        "state": "ACTIVE",
        "suspendReason": "",
    }
    assert Event.objects.get(type="project.suspended").data["state"] == "SUSPENDED"
    assert Event.objects.get(type="subproject.removed").data["deleted"] is True


def test_each_family_counts_on_its_own(project):
    other = ProjectFactory(account=project.account)
    services.subproject_create(parent=project, name="A")
    services.subproject_create(parent=other, name="B")
    services.subproject_create(parent=project, name="C")
    assert [s for _, s, _ in stream(project)] == [1, 2]
    assert [s for _, s, _ in stream(other)] == [1]


def test_a_rolled_back_change_emits_nothing_and_leaves_no_gap(project):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.subproject_create(parent=project, name="Rolled back")
        raise RuntimeError("the request failed after the change")
    services.subproject_create(parent=project, name="Kept")
    assert stream(project) == [("subproject.created", 1, stream(project)[0][2])]
    assert Event.objects.get().data["displayName"] == "Kept"


def test_rename_and_relabel(subproject):
    services.project_update(project=subproject, name="New name")
    services.project_update(project=subproject, labels={"a": "b"})
    services.project_update(project=subproject, name="Both", labels={"c": "d"})
    assert [t for t, _, _ in stream(subproject.parent)] == [
        "subproject.renamed",
        "subproject.labels_changed",
        "subproject.renamed",
        "subproject.labels_changed",
    ]


def test_restore_and_purge(subproject):
    services.subproject_remove(subproject=subproject)
    services.subproject_restore(subproject=subproject)
    services.subproject_remove(subproject=subproject)
    Project.objects.filter(pk=subproject.pk).update(removed_at=timezone.now() - timedelta(days=31))
    services.purge_removed_subprojects()
    assert [t for t, _, _ in stream(subproject.parent)] == [
        "subproject.removed",
        "subproject.restored",
        "subproject.removed",
        "subproject.purged",
    ]
    purged = Event.objects.get(type="subproject.purged")
    assert purged.data["subprojectId"] == subproject.public_id  # outlives the row


def test_resume_of_a_top_level_project(project):
    services.project_suspend(project=project, reason="Abuse")
    services.project_resume(project=project)
    resumed = Event.objects.get(type="project.resumed")
    assert resumed.project_id == resumed.family_id == project.public_id
    assert resumed.data["state"] == "ACTIVE"


def test_access_key_events_carry_the_key_never_its_secret(subproject):
    key, secret = services.access_key_create(project=subproject, display_name="Prod")
    new_key, new_secret = services.access_key_rotate(key=key)
    services.access_key_revoke(key=new_key)
    assert [t for t, _, _ in stream(subproject.parent)] == [
        "access_key.created",
        "access_key.created",
        "access_key.rotated",
        "access_key.revoked",
    ]
    for event in Event.objects.all():
        assert event.project_id == subproject.public_id
        assert secret not in str(event.data) and new_secret not in str(event.data)
    created = Event.objects.filter(type="access_key.created").order_by("sequence").first()
    assert created.data["accessKeyId"] == key.key_id
    assert created.data["projectId"] == subproject.public_id


def test_member_events_reach_every_family_of_the_account(account, project, admin_user):
    other = ProjectFactory(account=account)
    team_services.invitation_create(account=account, email="new@example.com", role="admin")
    invited = Event.objects.filter(type="member.invited")
    assert sorted(e.family_id for e in invited) == sorted([project.public_id, other.public_id])
    assert invited.first().data["email"] == "new@example.com"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent sessions")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_changes_get_consecutive_numbers_in_commit_order():
    parent = ProjectFactory()

    def create(i):
        services.subproject_create(parent=Project.objects.get(pk=parent.pk), name=f"S{i}")

    run_together(8, create)
    events = list(Event.objects.filter(family_id=parent.public_id).order_by("sequence"))
    assert [e.sequence for e in events] == list(range(1, 9))
    assert len({e.project_id for e in events}) == 8


def test_an_event_costs_three_statements(project, django_assert_num_queries):
    from tests.audit.helpers import Statements

    with Statements() as statements:
        services.subproject_create(parent=Project.objects.get(pk=project.pk), name="A")
    events_part = [k for k in statements.kinds if k[1].startswith(("events_", "webhooks_"))]
    # the family's number (one upsert), the event, and the endpoints that want it
    assert events_part == [
        ("INSERT", "events_sequence"),
        ("INSERT", "events_event"),
        ("SELECT", "webhooks_endpoint"),
    ]


def test_spend_limit_thresholds_and_expiring_keys(account, subproject):
    from billing import services as billing_services
    from projects.services.expiring import emit_expiring_key_events
    from tests.billing.conftest import THIS, add_usage

    billing_services.spend_limit_set(project=subproject, amount="1.00", mode="notify")
    add_usage(subproject, 100, month=THIS)
    from billing.limits import evaluate_all

    evaluate_all()
    reached = Event.objects.filter(type="spend_limit.threshold_reached").order_by("sequence")
    assert [e.data["threshold"] for e in reached] == [50, 80, 100]
    assert {e.project_id for e in reached} == {subproject.public_id}

    now = timezone.now()
    services.access_key_create(
        project=subproject, display_name="soon", expires_at=now + timedelta(days=6)
    )
    assert emit_expiring_key_events(now=now) == 1
    assert emit_expiring_key_events(now=now) == 0  # once per threshold
    assert emit_expiring_key_events(now=now + timedelta(days=5, hours=12)) == 1  # 1 day left
    expiring = Event.objects.filter(type="access_key.expiring").order_by("sequence")
    assert [e.data["daysLeft"] for e in expiring] == [7, 1]

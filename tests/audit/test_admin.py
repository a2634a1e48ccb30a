"""The operators' admin: audit events read-only and searchable; suspend and resume
actions; grants and memberships changed through the services (each one entry)."""

import pytest

from accounts.models import Membership, Role
from audit.models import AuditEvent
from projects import services
from projects.models import ProjectGrant
from tests.factories import MembershipFactory, UserFactory

from .helpers import actions, only_event


@pytest.fixture
def admin_client(client, operator):
    client.force_login(operator)  # recorded too: "user.sign_in"
    return client


@pytest.fixture
def events(project, subproject):
    key, _ = services.access_key_create(project=subproject, display_name="k")
    services.project_update(project=project, name="Renamed")
    return key


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [e.action for e in response.context["cl"].result_list]


def test_lists_and_searches_by_project_id_key_id_and_actor(
    admin_client, events, project, subproject, operator
):
    base = "/admin/audit/auditevent/"
    assert "project.rename" in listed(admin_client.get(base))
    # A top-level Project ID finds its subprojects' entries too.
    assert set(listed(admin_client.get(f"{base}?q={project.public_id}"))) == {
        "project.rename",
        "access_key.create",
    }
    assert listed(admin_client.get(f"{base}?q={subproject.public_id.lower()}")) == [
        "access_key.create"
    ]
    assert listed(admin_client.get(f"{base}?q={events.key_id}")) == ["access_key.create"]
    assert listed(admin_client.get(f"{base}?q={operator.email.upper()}")) == ["user.sign_in"]
    assert listed(admin_client.get(f"{base}?q=system")) == ["project.rename", "access_key.create"]
    assert listed(admin_client.get(f"{base}?action=project.rename")) == ["project.rename"]
    assert listed(admin_client.get(f"{base}?q={project.account.public_id}")) == [
        "project.rename",
        "access_key.create",
    ]


def test_entries_cannot_be_added_changed_or_deleted(admin_client, events):
    event = AuditEvent.objects.get(action="project.rename")
    base = "/admin/audit/auditevent/"
    assert admin_client.get(f"{base}add/").status_code == 403
    change = admin_client.get(f"{base}{event.pk}/change/")
    assert change.status_code == 200 and "project.rename" in change.content.decode()
    assert 'name="_save"' not in change.content.decode()
    assert not change.context["has_delete_permission"]
    posted = admin_client.post(f"{base}{event.pk}/change/", {"action": "forged"})
    assert posted.status_code == 403
    assert admin_client.get(f"{base}{event.pk}/delete/").status_code == 403
    assert admin_client.post(f"{base}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = admin_client.post(
        base, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )
    assert bulk.status_code == 200  # no such action: the changelist again
    assert AuditEvent.objects.get(pk=event.pk).action == "project.rename"
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_changelist_queries_are_fixed(admin_client, project, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import bulk_subprojects

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get("/admin/audit/auditevent/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for sub in bulk_subprojects(project, 150):
        services.project_update(project=sub, labels={"a": "b"})
    assert count() == few


def test_suspend_action_asks_for_a_reason_then_suspends_by_the_platform(
    admin_client, project, subproject, operator
):
    url = "/admin/projects/project/"
    chosen = {"action": "suspend_projects", "_selected_action": [subproject.pk]}
    asked = admin_client.post(url, chosen)
    assert asked.status_code == 200 and "suspended by the platform" in asked.content.decode()
    refused = admin_client.post(url, {**chosen, "apply": "1", "reason": ""})
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    done = admin_client.post(url, {**chosen, "apply": "1", "reason": "Chargebacks"})
    assert done.status_code == 302
    subproject.refresh_from_db()
    assert subproject.suspended_by_platform and subproject.suspend_reason == "Chargebacks"
    event = only_event("subproject.suspend")
    assert (event.source, event.actor_label) == ("admin", operator.email)
    admin_client.post(url, {"action": "resume_projects", "_selected_action": [subproject.pk]})
    subproject.refresh_from_db()
    assert not subproject.is_suspended
    assert only_event("subproject.resume").source == "admin"


def test_suspended_filter(admin_client, project, subproject):
    services.project_suspend(project=subproject, reason="Unpaid")
    response = admin_client.get("/admin/projects/project/?suspended=platform")
    assert list(response.context["cl"].result_list) == [subproject]


def test_grants_through_the_grant_admin(admin_client, project, subproject, account):
    membership = MembershipFactory(account=account, role=Role.VIEWER)
    response = admin_client.post(
        "/admin/projects/projectgrant/add/",
        {"membership": membership.pk, "project": subproject.pk},
    )
    assert response.status_code == 302
    grant = ProjectGrant.objects.get(membership=membership)
    assert only_event("grant.create").source == "admin"
    admin_client.post(f"/admin/projects/projectgrant/{grant.pk}/delete/", {"post": "yes"})
    assert not ProjectGrant.objects.filter(pk=grant.pk).exists()
    assert only_event("grant.remove").project_id == subproject.public_id


def test_grants_through_the_project_page(admin_client, project, account):
    membership = MembershipFactory(account=account, role=Role.MEMBER)
    response = admin_client.post(
        f"/admin/projects/project/{project.pk}/change/",
        {
            "name": project.name,
            "labels": "{}",
            "grants-TOTAL_FORMS": "1",
            "grants-INITIAL_FORMS": "0",
            "grants-0-membership": membership.pk,
            "access_keys-TOTAL_FORMS": "0",
            "access_keys-INITIAL_FORMS": "0",
            "subprojects-TOTAL_FORMS": "0",
            "subprojects-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    assert ProjectGrant.objects.filter(membership=membership, project=project).exists()
    event = only_event("grant.create")
    assert event.changes["user"]["after"] == membership.user.email


def test_memberships_through_the_membership_admin(admin_client, account, admin_user):
    user = UserFactory(email="new@example.com")  # the account keeps admin_user as admin
    response = admin_client.post(
        "/admin/accounts/membership/add/",
        {"account": account.pk, "user": user.pk, "role": Role.VIEWER},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    admin_client.post(
        f"/admin/accounts/membership/{membership.pk}/change/",
        {"account": account.pk, "user": user.pk, "role": Role.ADMIN},
    )
    admin_client.post(f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"})
    assert not Membership.objects.filter(user=user).exists()
    assert actions()[-3:] == ["membership.create", "membership.update", "membership.remove"]
    assert {e.source for e in AuditEvent.objects.filter(action__startswith="membership.")} == {
        "admin"
    }


def test_memberships_through_the_account_page(admin_client, account):
    user = UserFactory(email="inline@example.com")
    response = admin_client.post(
        f"/admin/accounts/account/{account.pk}/change/",
        {
            "name": account.name,
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-user": user.pk,
            "memberships-0-role": Role.MEMBER,
        },
    )
    assert response.status_code == 302, response.context["errors"]
    assert only_event("membership.create").target_id == "inline@example.com"


def test_account_created_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/accounts/account/add/",
        {"name": "Globex", "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 302
    assert only_event("account.create").target_label == "Globex"

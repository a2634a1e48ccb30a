"""One member's page and its actions: /accounts/{Account ID}/members/{Member ID}/ with
role/, grants/ and remove/ (each a small form posting to its own view)."""

import pytest
from django.test import Client

from accounts.models import Membership, Role
from audit.models import AuditEvent
from tests.factories import MembershipFactory, ProjectFactory

from .conftest import members_url


@pytest.fixture
def target(member, account):
    return Membership.objects.get(user=member, account=account)


def changes():
    return AuditEvent.objects.exclude(action="user.sign_in")


def member_url(account, membership, action=""):
    return f"{members_url(account)}{membership.public_id}/{action}"


def test_the_page_shows_role_grants_and_removal(client_for, admin_user, account, project, target):
    response = client_for(admin_user).get(member_url(account, target))
    assert response.status_code == 200
    body = response.content.decode()
    assert target.user.email in body
    assert f'action="{member_url(account, target, "role/")}"' in body
    assert f'action="{member_url(account, target, "grants/")}"' in body
    assert f'href="{member_url(account, target, "remove/")}"' in body
    assert f'value="{project.public_id}" id="id_projects_0" checked>' in body  # granted


@pytest.mark.parametrize("persona", ["member", "viewer", "customer", "outsider"])
@pytest.mark.parametrize("action", ["", "role/", "grants/", "remove/"])
def test_everyone_but_admins_gets_404(request, client_for, account, target, persona, action):
    client = client_for(request.getfixturevalue(persona))
    url = member_url(account, target, action)
    if action in ("", "remove/"):
        assert client.get(url).status_code == 404
    if action != "":
        assert client.post(url, {"role": "admin", "projects": []}).status_code == 404
    assert Membership.objects.get(pk=target.pk).role == Role.MEMBER


def test_a_member_of_another_account_is_404(client_for, admin_user, account):
    elsewhere = MembershipFactory()
    assert client_for(admin_user).get(member_url(account, elsewhere)).status_code == 404


def test_change_role(client_for, admin_user, account, target):
    response = client_for(admin_user).post(member_url(account, target, "role/"), {"role": "viewer"})
    assert response.status_code == 302
    assert Membership.objects.get(pk=target.pk).role == Role.VIEWER
    assert AuditEvent.objects.get(action="membership.update").source == "dashboard"


def test_a_bad_role_is_refused_with_a_message(client_for, admin_user, account, target):
    response = client_for(admin_user).post(member_url(account, target, "role/"), {"role": "boss"})
    assert response.status_code == 400
    assert "Select a valid choice. boss is not one of the available choices." in (
        response.content.decode()
    )


def test_the_last_admin_is_not_demoted_with_a_clear_message(client_for, admin_user, account):
    mine = Membership.objects.get(user=admin_user)
    response = client_for(admin_user).post(member_url(account, mine, "role/"), {"role": "member"})
    assert response.status_code == 400
    assert (
        f"{admin_user.email} is the account&#x27;s last admin and cannot be made a member: "
        "make another member an admin first." in response.content.decode()
    )
    assert Membership.objects.get(pk=mine.pk).role == Role.ADMIN


def test_an_admin_who_demotes_themself_leaves_the_page(client_for, admin_user, account):
    MembershipFactory(account=account, role=Role.ADMIN)
    mine = Membership.objects.get(user=admin_user)
    client = client_for(admin_user)
    response = client.post(member_url(account, mine, "role/"), {"role": "member"})
    assert response["Location"] == "/"
    assert client.get(members_url(account)).status_code == 404


def test_change_grants(client_for, admin_user, account, project, subproject, target):
    staging = ProjectFactory(account=account, name="Staging")
    response = client_for(admin_user).post(
        member_url(account, target, "grants/"),
        {"projects": [staging.public_id], "subproject_ids": subproject.public_id.lower()},
    )
    assert response.status_code == 302
    granted = set(target.grants.values_list("project__name", flat=True))
    assert granted == {"Staging", "Taco Time"}
    assert sorted(changes().values_list("action", flat=True)) == [
        "grant.create",
        "grant.create",
        "grant.remove",
    ]


def test_grants_of_another_accounts_project_are_refused(
    client_for, admin_user, account, target, other_project
):
    response = client_for(admin_user).post(
        member_url(account, target, "grants/"), {"projects": [other_project.public_id]}
    )
    assert response.status_code == 400
    assert f"No project of this account has the Project ID {other_project.public_id}." in (
        response.content.decode()
    )
    assert not changes().exists()


def test_remove_asks_first_then_removes(client_for, admin_user, account, target):
    client = client_for(admin_user)
    page = client.get(member_url(account, target, "remove/"))
    assert page.status_code == 200
    assert "signed out everywhere at once" in page.content.decode()
    response = client.post(member_url(account, target, "remove/"))
    assert response.status_code == 302 and response["Location"] == members_url(account)
    assert not Membership.objects.filter(pk=target.pk).exists()
    assert AuditEvent.objects.get(action="membership.remove").target_id == target.user.email


def test_removal_signs_the_member_out_at_once(client_for, admin_user, account, project, target):
    members_browser = Client()
    members_browser.force_login(target.user)
    assert members_browser.get(f"/projects/{project.public_id}/").status_code == 200
    client_for(admin_user).post(member_url(account, target, "remove/"))
    response = members_browser.get(f"/projects/{project.public_id}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_last_admin_is_not_removed(client_for, admin_user, account):
    mine = Membership.objects.get(user=admin_user)
    client = client_for(admin_user)
    response = client.post(member_url(account, mine, "remove/"), follow=True)
    assert "last admin and cannot be removed" in response.content.decode()
    assert Membership.objects.filter(pk=mine.pk).exists()


def test_actions_need_csrf(admin_user, account, target):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    for action in ("role/", "grants/", "remove/"):
        assert (
            client.post(member_url(account, target, action), {"role": "viewer"}).status_code == 403
        )
    assert Membership.objects.get(pk=target.pk).role == Role.MEMBER


def test_an_admin_who_removes_themself_is_signed_out(client_for, admin_user, account):
    MembershipFactory(account=account, role=Role.ADMIN)  # the account keeps an admin
    mine = Membership.objects.get(user=admin_user)
    client = client_for(admin_user)
    page = client.get(member_url(account, mine, "remove/")).content.decode()
    assert "you included: this is your own membership" in page
    response = client.post(member_url(account, mine, "remove/"))
    assert response["Location"] == "/accounts/login/"
    assert client.get("/projects/").status_code == 302  # signed out


def test_the_members_page_of_a_removed_member_is_404(client_for, admin_user, account, target):
    client = client_for(admin_user)
    client.post(member_url(account, target, "remove/"))
    assert client.get(member_url(account, target)).status_code == 404
    assert client.post(member_url(account, target, "role/"), {"role": "viewer"}).status_code == 404


def test_a_members_page_costs_the_same_with_many_projects_and_grants(
    client_for, admin_user, account, project, target, django_assert_num_queries
):
    from projects.models import ProjectGrant
    from tests.factories import bulk_projects, bulk_subprojects

    bulk_projects(account, 300)
    subprojects = bulk_subprojects(project, 100)
    ProjectGrant.objects.bulk_create(
        ProjectGrant(membership=target, project=sub) for sub in subprojects
    )
    client = client_for(admin_user)
    # session, user, the membership, its grants with their projects, the account's
    # top-level projects, the Projects menu
    with django_assert_num_queries(6):
        response = client.get(member_url(account, target))
    assert response.status_code == 200
    assert response.content.decode().count('type="checkbox"') == 1 + 300 + 100

"""The Members page: /accounts/{Account ID}/members/."""

import html
import re

import pytest
from django.utils import timezone

from accounts.models import Membership, Role, User
from team import services as team_services
from tests.factories import GrantFactory, MembershipFactory, UserFactory

from .conftest import members_url


def test_admins_see_each_member_with_role_grants_and_last_sign_in(
    client_for, admin_user, member, customer, account, project, subproject
):
    User.objects.filter(pk=member.pk).update(last_login=timezone.now())
    response = client_for(admin_user).get(members_url(account))
    assert response.status_code == 200
    body = response.content.decode()
    for user in (admin_user, member, customer):
        assert user.email in body
    for role in ("Admin", "Member", "Viewer"):
        assert f'<td class="role" data-label="Role">{role}</td>' in body
    assert "Every project" in body  # the admin
    assert '<span class="grant"><bdi>Acme Production</bdi></span>' in body  # the member
    customers = '<span class="grant"><bdi>Acme Production</bdi> &gt; <bdi>Taco Time</bdi></span>'
    assert customers in body
    assert "Never" in body  # the customer has not signed in yet
    membership = Membership.objects.get(user=member)
    assert f'href="{members_url(account)}{membership.public_id}/"' in body


@pytest.mark.parametrize("persona", ["member", "viewer", "customer", "outsider"])
def test_everyone_but_its_admins_gets_404(request, client_for, account, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(members_url(account)).status_code == 404
    assert client.get(f"{members_url(account)}invite/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, account):
    response = client.get(members_url(account))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_admin_of_two_accounts_sees_the_current_ones_page_only(
    client_for, admin_user, account, other_account
):
    MembershipFactory(account=other_account, user=admin_user, role=Role.ADMIN)
    client = client_for(admin_user)
    assert client.get(members_url(other_account)).status_code == 404  # in `account` now
    client.post("/accounts/switch/", {"account": other_account.public_id})
    assert client.get(members_url(other_account)).status_code == 200
    assert client.get(members_url(account)).status_code == 404


def test_a_malformed_account_id_is_404(client_for, admin_user):
    assert client_for(admin_user).get("/accounts/not-an-id/members/").status_code == 404


def test_search_by_email(client_for, admin_user, account):
    MembershipFactory(account=account, user=UserFactory(email="zed@example.com"))
    body = client_for(admin_user).get(members_url(account) + "?q=ZED").content.decode()
    assert "zed@example.com" in body and admin_user.email not in body.split("<table")[1]


def test_pending_invitations_are_listed_with_resend_and_cancel(
    client_for, admin_user, account, subproject
):
    invitation, _ = team_services.invitation_create(
        account=account, email="new@example.com", role=Role.VIEWER, projects=[subproject]
    )
    body = client_for(admin_user).get(members_url(account)).content.decode()
    assert "Pending invitations" in body and "new@example.com" in body
    base = f"/accounts/{account.public_id}/invitations/{invitation.public_id}"
    assert f'action="{base}/resend/"' in body and f'action="{base}/cancel/"' in body
    assert "csrfmiddlewaretoken" in body


def test_fixed_queries_with_500_members(
    client_for, admin_user, account, project, subproject, django_assert_num_queries
):
    users = User.objects.bulk_create(
        User(email=f"person{i}@example.com", password="!") for i in range(500)
    )
    memberships = Membership.objects.bulk_create(
        Membership(account=account, user=user, role=Role.VIEWER, public_id=f"01M{i:023d}")
        for i, user in enumerate(users)
    )
    for membership in memberships[:200]:
        GrantFactory(membership=membership, project=subproject)
    for i in range(20):
        team_services.invitation_create(
            account=account, email=f"invited{i}@example.com", role=Role.VIEWER, projects=[project]
        )
    client = client_for(admin_user)
    # session, user (with current account and role), the Projects menu, members counted,
    # a page of members with their users, their grants with projects, invitations with
    # inviters, their projects
    with django_assert_num_queries(8):
        response = client.get(members_url(account))
    assert response.status_code == 200
    assert response.content.decode().count('aria-label="Manage ') == 100  # a page
    # A middle page, by the "Next" links (positions, not numbers): the same queries.
    next_url = re.search(r'href="([^"]+)" rel="next"', response.content.decode())[1]
    response = client.get(html.unescape(next_url))
    next_url = re.search(r'href="([^"]+)" rel="next"', response.content.decode())[1]
    with django_assert_num_queries(8):
        response = client.get(html.unescape(next_url))
    assert response.status_code == 200 and "201\u2013300 of" in response.content.decode()

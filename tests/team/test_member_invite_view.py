"""Inviting: /accounts/{Account ID}/members/invite/, and "Invite a customer user" on a
subproject's details panel, which posts there."""

import smtplib

import pytest
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult

from accounts.models import Role
from audit.models import AuditEvent
from core.credentials import hash_secret
from team import services as team_services
from team.models import Invitation
from tests.support.tasks import run_worker

from .conftest import link_in, members_url


def invite_url(account):
    return f"{members_url(account)}invite/"


def test_the_form_lists_the_accounts_top_level_projects(client_for, admin_user, account, project):
    response = client_for(admin_user).get(invite_url(account))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="email"' in body and 'name="role"' in body
    assert f'value="{project.public_id}"' in body and "Acme Production" in body
    assert "csrfmiddlewaretoken" in body


def test_inviting_sends_the_link_by_email(client_for, admin_user, account, project):
    client = client_for(admin_user)
    response = client.post(
        invite_url(account),
        {"email": "new@example.com", "role": Role.MEMBER, "projects": [project.public_id]},
    )
    assert response.status_code == 302 and response["Location"] == members_url(account)
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("new@example.com", Role.MEMBER)
    assert list(invitation.projects.all()) == [project]
    [message] = mail.outbox
    assert message.to == ["new@example.com"]
    assert message.subject == "You are invited to Acme Messaging on Console"
    assert f"{admin_user.email} invites you to join Acme Messaging on Console as a member" in (
        message.body
    )
    assert "  - Acme Production" in message.body
    link = link_in(message)
    assert link.startswith("http://testserver/accounts/invitation/?token=")
    token = link.split("token=")[1]
    assert invitation.token_hash == hash_secret(token)
    assert AuditEvent.objects.filter(action="invitation.create").count() == 1
    assert "Invitation sent to new@example.com" in client.get(members_url(account)).content.decode()


def test_subprojects_by_project_id(client_for, admin_user, account, subproject):
    client_for(admin_user).post(
        invite_url(account),
        {"email": "c@example.com", "role": Role.VIEWER, "subproject_ids": subproject.public_id},
    )
    assert list(Invitation.objects.get().projects.all()) == [subproject]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "nope", "role": "viewer"}, "Enter a valid email address."),
        (
            {"email": "a" * 300 + "@example.com", "role": "viewer", "subproject_ids": ""},
            "An email address has at most 254 characters.",
        ),
        ({"email": "a@example.com", "role": "owner"}, "Select a valid choice."),
        ({"email": "a@example.com", "role": "viewer"}, "Choose at least one project"),
        (
            {"email": "a@example.com", "role": "viewer", "subproject_ids": "ZZZ"},
            "“ZZZ” is not a Project ID",
        ),
        (
            {"email": "a@example.com", "role": "viewer", "subproject_ids": "0" * 26},
            "No project of this account has the Project ID " + "0" * 26,
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_kept(
    client_for, admin_user, account, data, message
):
    response = client_for(admin_user).post(invite_url(account), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'value="{data["email"]}"' in body  # nothing lost
    assert not Invitation.objects.exists() and not mail.outbox


def test_a_project_of_another_account_is_not_found(client_for, admin_user, account, other_project):
    response = client_for(admin_user).post(
        invite_url(account),
        {"email": "a@example.com", "role": "viewer", "subproject_ids": other_project.public_id},
    )
    assert response.status_code == 400
    assert "No project of this account has the Project ID" in response.content.decode()


def test_inviting_a_member_says_so(client_for, admin_user, account, member, project):
    response = client_for(admin_user).post(
        invite_url(account),
        {"email": member.email, "role": "viewer", "projects": [project.public_id]},
    )
    assert response.status_code == 400
    assert f"{member.email} is already a member of this account." in response.content.decode()


@pytest.mark.parametrize("persona", ["member", "viewer", "customer", "outsider"])
def test_only_admins_invite(request, client_for, account, project, persona):
    client = client_for(request.getfixturevalue(persona))
    response = client.post(
        invite_url(account), {"email": "x@example.com", "role": "admin", "projects": []}
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_the_form_needs_its_csrf_token(admin_user, account):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post(invite_url(account), {"email": "x@example.com", "role": "admin"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_a_mail_server_failure_keeps_the_invitation_and_retries_the_email(
    client_for, admin_user, account, project, database_queue, settings, monkeypatch
):
    def fail(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("core.emails.send_mail", fail)
    settings.EMAIL_RETRY_SCHEDULE = [600]
    client = client_for(admin_user)
    response = client.post(
        invite_url(account),
        {"email": "new@example.com", "role": "viewer", "projects": [project.public_id]},
        follow=True,
    )
    # The request only queued the email: the mail server's state is not its business.
    assert "Invitation sent to new@example.com." in response.content.decode()
    assert Invitation.objects.filter(email="new@example.com").exists()

    run_worker()

    assert mail.outbox == []
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["args"][3] == ["new@example.com"]
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}


def test_the_invitation_email_is_sent_by_the_worker(
    client_for, admin_user, account, project, database_queue
):
    client_for(admin_user).post(
        invite_url(account),
        {"email": "new@example.com", "role": "viewer", "projects": [project.public_id]},
    )
    assert mail.outbox == []

    run_worker()

    assert [m.to for m in mail.outbox] == [["new@example.com"]]
    assert "?token=" in mail.outbox[0].body


# --- From a subproject's details panel ---------------------------------------------------


def details(subproject):
    return f"/projects/{subproject.public_id}/"


def test_the_details_panel_offers_admins_to_invite_a_customer_user(
    client_for, admin_user, account, subproject
):
    body = client_for(admin_user).get(details(subproject)).content.decode()
    assert "Invite a customer user" in body
    assert f'action="{invite_url(account)}"' in body
    assert f'name="subproject_ids" value="{subproject.public_id}"' in body


@pytest.mark.parametrize("persona", ["member", "viewer", "customer"])
def test_others_are_not_offered_it(request, client_for, subproject, persona):
    body = client_for(request.getfixturevalue(persona)).get(details(subproject)).content.decode()
    assert "Invite a customer user" not in body


def test_no_offer_on_a_top_level_project(client_for, admin_user, project):
    assert (
        "Invite a customer user"
        not in client_for(admin_user).get(details(project)).content.decode()
    )


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MEMBER])
def test_a_customer_user_is_granted_that_subproject_alone(
    client_for, admin_user, account, subproject, role
):
    response = client_for(admin_user).post(
        invite_url(account),
        {
            "email": "customer@tacotime.example",
            "role": role,
            "subproject_ids": subproject.public_id,
            "back": subproject.public_id,
        },
    )
    assert response.status_code == 302 and response["Location"] == details(subproject)
    invitation = Invitation.objects.get()
    assert (invitation.role, list(invitation.projects.all())) == (role, [subproject])
    assert "Acme Production > Taco Time" in mail.outbox[0].body


def test_a_refused_customer_invite_shows_the_whole_form(
    client_for, admin_user, account, subproject
):
    team_services.invitation_create(
        account=account, email="c@example.com", role=Role.VIEWER, projects=[subproject]
    )
    response = client_for(admin_user).post(
        invite_url(account),
        {
            "email": "c@example.com",
            "role": "viewer",
            "subproject_ids": subproject.public_id,
            "back": subproject.public_id,
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "c@example.com is already invited: resend or cancel that invitation below." in body
    assert f'value="{subproject.public_id}"' in body  # nothing lost


def test_the_link_is_whole_in_the_message_as_sent(client_for, admin_user, account, project):
    """Not quoted-printable (`=3D`, soft line breaks): `make run` prints a link that can
    be copied, and mail clients get it on one line."""
    client_for(admin_user).post(
        invite_url(account),
        {"email": "new@example.com", "role": "viewer", "projects": [project.public_id]},
    )
    raw = mail.outbox[0].message().as_string()
    assert "Content-Transfer-Encoding: 7bit" in raw
    assert link_in(mail.outbox[0]) in raw.splitlines()


def test_the_form_costs_the_same_with_many_projects(
    client_for, admin_user, account, django_assert_num_queries
):
    from tests.factories import bulk_projects

    bulk_projects(account, 300)
    client = client_for(admin_user)
    with django_assert_num_queries(4):  # session, user, the top-level projects, the menu
        response = client.get(invite_url(account))
    assert response.content.decode().count('type="checkbox"') == 300

"""Pending invitations' Resend and Cancel on the Members page, and the page the email's
link opens: /accounts/invitation/?token=…"""

import logging

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from accounts.models import Membership, Role, User
from audit.models import AuditEvent
from team import services as team_services
from team.models import Invitation

from .conftest import link_in, members_url, path_of

NEW_PASSWORD = "a long new passphrase"
ACCEPT = "/accounts/invitation/"


@pytest.fixture
def invitation(account, subproject, admin_user):
    """An invitation for new@example.com as a viewer of the subproject, and its token."""
    return team_services.invitation_create(
        account=account, email="new@example.com", role=Role.VIEWER, projects=[subproject]
    )


def action_url(account, invitation, action):
    return f"/accounts/{account.public_id}/invitations/{invitation.public_id}/{action}/"


# --- Resend and Cancel -------------------------------------------------------------------


def test_resend_mails_a_new_link_and_the_old_one_stops(client_for, admin_user, account, invitation):
    pending, old_token = invitation
    response = client_for(admin_user).post(action_url(account, pending, "resend"))
    assert response.status_code == 302 and response["Location"] == members_url(account)
    [message] = mail.outbox
    new_link = link_in(message)
    assert old_token not in new_link
    assert "Acme Production > Taco Time" in message.body
    assert AuditEvent.objects.filter(action="invitation.resend").count() == 1
    visitor = Client()
    visitor.get(f"{ACCEPT}?token={old_token}")
    assert visitor.get(ACCEPT).status_code == 404
    visitor.get(path_of(new_link))
    assert visitor.get(ACCEPT).status_code == 200


def test_cancel(client_for, admin_user, account, invitation):
    pending, _ = invitation
    client = client_for(admin_user)
    response = client.post(action_url(account, pending, "cancel"), follow=True)
    assert "The invitation to new@example.com is cancelled." in response.content.decode()
    assert Invitation.objects.get().cancelled_at is not None
    assert "Pending invitations" in response.content.decode()
    assert "new@example.com" not in response.content.decode().split("Pending invitations")[1]
    # A cancelled invitation is no longer there to resend.
    assert client.post(action_url(account, pending, "resend")).status_code == 404


@pytest.mark.parametrize("persona", ["member", "viewer", "customer", "outsider"])
@pytest.mark.parametrize("action", ["resend", "cancel"])
def test_only_admins_resend_or_cancel(request, client_for, account, invitation, persona, action):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(action_url(account, invitation[0], action)).status_code == 404
    assert client.get(action_url(account, invitation[0], action)).status_code == 405
    stored = Invitation.objects.get()
    assert stored.cancelled_at is None and stored.token_hash == invitation[0].token_hash
    assert not mail.outbox


def test_resend_and_cancel_need_csrf(admin_user, account, invitation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    for action in ("resend", "cancel"):
        assert client.post(action_url(account, invitation[0], action)).status_code == 403


# --- Accepting ---------------------------------------------------------------------------


def open_link(client, token):
    """Open the email's link: the token moves into the session, the page drops it."""
    response = client.get(f"{ACCEPT}?token={token}")
    assert response.status_code == 302 and response["Location"] == ACCEPT
    return client.get(ACCEPT)


def test_a_new_user_sets_a_password_and_lands_on_their_subproject(
    client, invitation, account, subproject
):
    page = open_link(client, invitation[1])
    assert page.status_code == 200
    body = page.content.decode()
    assert "Join <bdi>Acme Messaging</bdi>" in body and "a viewer" in body
    assert 'value="new@example.com" readonly autocomplete="username"' in body
    response = client.post(ACCEPT, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(email="new@example.com")
    assert int(client.session[SESSION_KEY]) == user.pk  # signed in
    assert client.get("/")["Location"] == f"/projects/{subproject.public_id}/"
    assert Membership.objects.get(user=user).role == Role.VIEWER


def test_djangos_password_validators_apply(client, invitation):
    open_link(client, invitation[1])
    response = client.post(ACCEPT, {"password1": "new@example.com", "password2": "new@example.com"})
    assert response.status_code == 400
    assert "The password is too similar to the email address." in response.content.decode()
    assert not User.objects.filter(email="new@example.com").exists()


def test_two_different_passwords_are_refused(client, invitation):
    open_link(client, invitation[1])
    response = client.post(ACCEPT, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert response.status_code == 400
    assert "The two passwords differ" in response.content.decode()


def test_the_link_works_once(client, invitation):
    open_link(client, invitation[1])
    client.post(ACCEPT, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    again = Client()
    page = open_link(again, invitation[1])
    assert page.status_code == 410
    assert "This invitation has already been used." in page.content.decode()


def test_an_expired_link_says_what_to_do(client, invitation):
    from datetime import timedelta

    from django.utils import timezone

    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    page = open_link(client, invitation[1])
    assert page.status_code == 410
    assert "This invitation has expired. Ask the person who invited you to resend it" in (
        page.content.decode()
    )


def test_a_wrong_token_is_404(client, invitation):
    page = open_link(client, "x" * 43)
    assert page.status_code == 404
    assert "This invitation link is not valid" in page.content.decode()
    assert client.get(ACCEPT).status_code == 404  # no token at all


def test_an_existing_user_signs_in_then_accepts(client, account, subproject, outsider):
    from tests.factories import PASSWORD

    _, token = team_services.invitation_create(
        account=account, email=outsider.email, role=Role.MEMBER, projects=[subproject]
    )
    page = open_link(client, token)
    assert "Sign in to accept" in page.content.decode()
    login = client.post(
        "/accounts/login/?next=/accounts/invitation/",
        {"username": outsider.email, "password": PASSWORD, "next": ACCEPT},
    )
    assert login["Location"] == ACCEPT
    page = client.get(ACCEPT)
    assert "Accept and join" in page.content.decode()
    response = client.post(ACCEPT)
    assert response["Location"] == "/"
    assert Membership.objects.get(user=outsider, account=account).role == Role.MEMBER
    # They are now in the account they joined, on the subproject they were given.
    assert client.get("/")["Location"] == f"/projects/{subproject.public_id}/"


def test_someone_signed_in_with_another_email_is_refused(client_for, member, invitation):
    client = client_for(member)
    page = open_link(client, invitation[1])
    assert page.status_code == 403
    body = page.content.decode()
    assert (
        f"This invitation is for new@example.com, and you are signed in as {member.email}. "
        "Sign out, then open the link in the email again." in body
    )
    assert client.post(ACCEPT).status_code == 403
    assert Invitation.objects.get().accepted_at is None


def test_the_token_never_reaches_the_request_log(client, invitation, caplog):
    with caplog.at_level(logging.INFO, logger="console.request"):
        open_link(client, invitation[1])
        client.post(ACCEPT, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert ACCEPT in logged and invitation[1] not in logged


def test_the_accept_page_needs_csrf(invitation):
    client = Client(enforce_csrf_checks=True)
    open_link(client, invitation[1])
    response = client.post(ACCEPT, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 403
    assert not User.objects.filter(email="new@example.com").exists()


def test_sign_up_stays_closed(client, db):
    """Nothing makes a user without an invitation's token."""
    response = client.post(ACCEPT, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 404
    for path in ("/accounts/signup/", "/accounts/register/", "/signup/"):
        assert client.get(path).status_code in (302, 404)
    assert not User.objects.exists()

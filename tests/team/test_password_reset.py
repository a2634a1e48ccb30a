"""Password reset by email (Django's views): the same answer whether the email belongs
to a user or not, throttled per email and per address, the token never in a path."""

import logging

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from accounts import forms
from accounts.models import User
from audit.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

from .conftest import link_in, path_of

RESET = "/accounts/password/reset/"
NEW_PASSWORD = "a long new passphrase"


def ask(client, email, address="10.0.0.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address, follow=True)


def answer(response) -> tuple:
    """What the asker sees: the status, the final address and the page's text."""
    return response.status_code, response.redirect_chain, response.content.decode()


def test_the_page_is_linked_from_sign_in(client, db):
    assert f'href="{RESET}"' in client.get("/accounts/login/").content.decode()
    page = client.get(RESET)
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()


def test_known_and_unknown_emails_get_the_same_answer(client, db):
    UserFactory(email="ann@example.com")
    known = ask(client, "ann@example.com")
    unknown = ask(Client(), "nobody@example.com")
    assert answer(known) == answer(unknown)
    assert known.redirect_chain == [("/accounts/password/reset/sent/", 302)]
    assert "If the email you entered belongs to a user" in known.content.decode()
    assert [message.to for message in mail.outbox] == [["ann@example.com"]]


def test_the_email_link_sets_a_new_password(client, db):
    user = UserFactory(email="ann@example.com")
    ask(client, "ann@example.com")
    [message] = mail.outbox
    assert message.subject == "Reset your Console password"
    link = link_in(message)
    assert "/accounts/password/new/" in link and "?token=" in link
    first = client.get(path_of(link))
    assert first.status_code == 302  # the token moves into the session
    assert "token" not in first["Location"]
    form = client.get(first["Location"])
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        first["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="user.password_reset")
    assert (event.target_id, event.actor_id, event.source) == (
        user.email,
        str(user.pk),
        "dashboard",
    )
    # Once only.
    again = Client()
    assert "This link does not work" in again.get(path_of(link), follow=True).content.decode()


def test_djangos_validators_apply(client, db):
    UserFactory(email="ann@example.com")
    ask(client, "ann@example.com")
    first = client.get(path_of(link_in(mail.outbox[0])))
    response = client.post(first["Location"], {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert "This password is too short." in response.content.decode()


def test_a_reset_ends_the_users_other_sessions(client, db):
    user = UserFactory(email="ann@example.com")
    elsewhere = Client()
    elsewhere.force_login(user)
    ask(client, "ann@example.com")
    first = client.get(path_of(link_in(mail.outbox[0])))
    client.post(first["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert elsewhere.get("/projects/").status_code == 302
    assert SESSION_KEY not in elsewhere.session


def test_a_reset_lifts_a_sign_in_lockout(client, db):
    UserFactory(email="ann@example.com")
    for _ in range(forms.EMAIL_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "ann@example.com", "password": "wrong"})
    ask(client, "ann@example.com")
    first = client.get(path_of(link_in(mail.outbox[0])))
    client.post(first["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    signed_in = client.post(
        "/accounts/login/", {"username": "ann@example.com", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302


def test_a_user_made_without_a_password_can_choose_one(client, db):
    """create_account makes admins with an unusable password, to be reset."""
    User.objects.create_user(email="boss@example.com", password=None)
    ask(client, "boss@example.com")
    assert mail.outbox[0].to == ["boss@example.com"]


def test_inactive_users_get_nothing(client, db):
    UserFactory(email="gone@example.com", is_active=False)
    ask(client, "gone@example.com")
    assert not mail.outbox


@pytest.mark.parametrize("exists", [True, False], ids=["known email", "unknown email"])
def test_requests_for_one_email_are_throttled_alike(db, exists):
    if exists:
        UserFactory(email="ann@example.com")
    for i in range(forms.RESET_EMAIL_LIMIT):
        ask(Client(), "ann@example.com", address=f"10.0.1.{i}")
    refused = ask(Client(), "ANN@example.com", address="10.0.2.1")
    assert refused.status_code == 200 and refused.redirect_chain == []
    assert "Too many password reset requests for this email. Try again in 60 minutes" in (
        refused.content.decode()
    )
    assert len(mail.outbox) == (forms.RESET_EMAIL_LIMIT if exists else 0)
    # Another email is not affected.
    assert ask(Client(), "bob@example.com", address="10.0.2.1").redirect_chain


@pytest.mark.parametrize("exists", [True, False], ids=["known email", "unknown email"])
def test_requests_from_one_address_are_throttled_alike(db, exists):
    if exists:
        UserFactory(email="ann@example.com")
    for i in range(forms.RESET_ADDRESS_LIMIT):
        ask(Client(), f"guess{i}@example.com", address="10.6.6.6")
    refused = ask(Client(), "ann@example.com", address="10.6.6.6")
    assert "Too many password reset requests from your network" in refused.content.decode()
    assert not mail.outbox
    assert ask(Client(), "ann@example.com", address="10.7.7.7").redirect_chain


def test_the_token_never_reaches_the_request_log(client, db, caplog):
    UserFactory(email="ann@example.com")
    ask(client, "ann@example.com")
    link = link_in(mail.outbox[0])
    token = link.split("token=")[1]
    with caplog.at_level(logging.INFO, logger="console.request"):
        first = client.get(path_of(link))
        client.post(
            first["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/accounts/password/new/" in logged and token not in logged


@pytest.mark.parametrize("whose", ["a user's", "nobody's", "not an ID"])
def test_a_made_up_link_does_not_work(client, db, whose):
    from django.utils.http import urlsafe_base64_encode

    user = UserFactory()
    uid = {
        "a user's": urlsafe_base64_encode(str(user.pk).encode()),
        "nobody's": urlsafe_base64_encode(str(user.pk + 1000).encode()),
        "not an ID": "x",
    }[whose]
    page = client.get(f"/accounts/password/new/{uid}/?token=nope-123", follow=True)
    assert page.status_code == 200
    assert "This link does not work" in page.content.decode()
    assert client.get(f"/accounts/password/new/{uid}/").status_code == 200  # no token at all
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_form_needs_csrf(db):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(RESET, {"email": "a@example.com"}).status_code == 403


def test_the_link_is_whole_in_the_message_as_sent(client, db):
    UserFactory(email="ann@example.com")
    ask(client, "ann@example.com")
    raw = mail.outbox[0].message().as_string()
    assert "Content-Transfer-Encoding: 7bit" in raw
    assert link_in(mail.outbox[0]) in raw.splitlines()

"""Sign out everywhere: /accounts/sign-out-everywhere/ (a button on the password page)."""

from django.contrib.auth import SESSION_KEY
from django.test import Client

from audit.models import AuditEvent


def test_it_ends_every_session_this_one_included(client_for, member):
    client = client_for(member)
    phone = Client()
    phone.force_login(member)
    page = client.get("/accounts/password/").content.decode()
    assert 'action="/accounts/sign-out-everywhere/"' in page
    response = client.post("/accounts/sign-out-everywhere/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "You are signed out on every device." in response.content.decode()
    for browser in (client, phone):
        assert browser.get("/projects/").status_code == 302
        assert SESSION_KEY not in browser.session
    event = AuditEvent.objects.get(action="user.sign_out_everywhere")
    assert (event.actor_label, event.source) == (member.email, "dashboard")


def test_it_is_a_post_with_csrf(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.get("/accounts/sign-out-everywhere/").status_code == 405
    assert client.post("/accounts/sign-out-everywhere/").status_code == 403
    assert client.get("/projects/").status_code == 200  # still signed in


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.post("/accounts/sign-out-everywhere/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not AuditEvent.objects.filter(action="user.sign_out_everywhere").exists()

"""The profile lists the user's signed-in sessions (browser, address, last activity)
and signs one of them out; the activity is written every few minutes, not per request."""

import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts import sessions
from accounts.models import UserSession
from audit.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture
def ann(db):
    return UserFactory(email="ann@example.com")


def signed_in(user, agent, address) -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_the_profile_lists_each_session(ann):
    laptop = signed_in(ann, FIREFOX, "10.0.0.1")
    signed_in(ann, CHROME, "10.0.0.2")
    page = laptop.get("/accounts/profile/")
    listed = page.context["sessions"]
    assert {(s.browser, s.address) for s in listed} == {
        ("Firefox 133 on Linux", "10.0.0.1"),
        ("Chrome 131 on Mac OS X", "10.0.0.2"),
    }
    assert [s.browser for s in listed if s.current] == ["Firefox 133 on Linux"]
    html = page.content.decode()
    assert html.count("data-session") == 2 and "This session" in html
    # The session key (a secret) is never shown.
    for row in UserSession.objects.all():
        assert row.session_key not in html


def test_sign_out_one_session(ann):
    laptop = signed_in(ann, FIREFOX, "10.0.0.1")
    phone = signed_in(ann, CHROME, "10.0.0.2")
    other = next(s for s in laptop.get("/accounts/profile/").context["sessions"] if not s.current)
    response = laptop.post(f"/accounts/sessions/{other.public_id}/sign-out/")
    assert response.status_code == 302
    assert phone.get("/accounts/profile/").status_code == 302  # back to sign-in
    assert laptop.get("/accounts/profile/").status_code == 200
    assert len(laptop.get("/accounts/profile/").context["sessions"]) == 1
    entry = AuditEvent.objects.get(action="user.session_end")
    assert entry.changes["address"]["before"] == "10.0.0.2"


def test_the_current_session_is_not_signed_out_this_way(ann):
    laptop = signed_in(ann, FIREFOX, "10.0.0.1")
    (current,) = laptop.get("/accounts/profile/").context["sessions"]
    laptop.post(f"/accounts/sessions/{current.public_id}/sign-out/")
    assert laptop.get("/accounts/profile/").status_code == 200


def test_someone_elses_session_is_404(ann):
    bob = UserFactory(email="bob@example.com")
    signed_in(ann, FIREFOX, "10.0.0.1")
    anns = UserSession.objects.get(user=ann)
    bobs_client = signed_in(bob, CHROME, "10.0.0.3")
    assert bobs_client.post(f"/accounts/sessions/{anns.public_id}/sign-out/").status_code == 404
    assert UserSession.objects.filter(pk=anns.pk).exists()


def test_ended_sessions_are_not_listed(ann):
    laptop = signed_in(ann, FIREFOX, "10.0.0.1")
    phone = signed_in(ann, CHROME, "10.0.0.2")
    phone.post("/accounts/logout/")
    assert len(laptop.get("/accounts/profile/").context["sessions"]) == 1
    laptop.post("/accounts/sign-out-everywhere/")
    assert sessions.sessions_of(ann, None) == []
    assert not UserSession.objects.exists()  # rows of ended sessions are cleaned up


def test_activity_is_written_every_few_minutes_not_per_request(ann, monkeypatch):
    laptop = signed_in(ann, FIREFOX, "10.0.0.1")
    with CaptureQueriesContext(connection) as queries:
        laptop.get("/accounts/password/")
    assert not [q for q in queries if "usersession" in q["sql"].lower()]
    before = UserSession.objects.get().last_activity
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + sessions.ACTIVITY_RESOLUTION + 1)
    laptop.get("/accounts/password/", REMOTE_ADDR="10.0.0.9")
    row = UserSession.objects.get()
    assert row.address == "10.0.0.9" and row.last_activity >= before

"""Sign-ins write one entry each, success or failure, never the password."""

import pytest
from django.core.cache import cache

from accounts import forms
from audit.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

from .helpers import only_event


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()
    yield
    cache.clear()


def sign_in(client, email, password, url="/accounts/login/", address="203.0.113.5"):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=address)


def test_a_dashboard_sign_in(client):
    user = UserFactory(email="ann@example.com")
    assert sign_in(client, "ann@example.com", PASSWORD).status_code == 302
    event = only_event("user.sign_in")
    assert (event.actor_type, event.actor_id, event.actor_label) == (
        "user",
        str(user.pk),
        "ann@example.com",
    )
    assert (event.source, event.address, event.target_id) == (
        "dashboard",
        "203.0.113.5",
        "ann@example.com",
    )
    assert event.project_id == "" and event.changes == {}


def test_a_failed_sign_in_names_the_email_tried_never_the_password(client):
    UserFactory(email="ann@example.com")
    sign_in(client, "ANN@example.com ", "hunter2-wrong")
    sign_in(client, "nobody@example.com", "guess-123")
    failed = list(AuditEvent.objects.filter(action="user.sign_in_failed").order_by("id"))
    assert [e.actor_label for e in failed] == ["ann@example.com", "nobody@example.com"]
    assert all(e.actor_id == "" and e.address == "203.0.113.5" for e in failed)
    text = repr([e.__dict__ for e in AuditEvent.objects.all()])
    assert "hunter2" not in text and "guess-123" not in text and "*****" not in text


def test_an_admin_sign_in_says_admin(client):
    UserFactory(email="op@example.com", is_staff=True)
    sign_in(client, "op@example.com", "wrong", url="/admin/login/")
    assert sign_in(client, "op@example.com", PASSWORD, url="/admin/login/").status_code == 302
    assert {e.source for e in AuditEvent.objects.all()} == {"admin"}
    assert only_event("user.sign_in").actor_label == "op@example.com"


def test_throttled_attempts_write_nothing(client):
    UserFactory(email="ann@example.com")
    for _ in range(forms.EMAIL_FAILURE_LIMIT):
        sign_in(client, "ann@example.com", "wrong")
    assert AuditEvent.objects.count() == forms.EMAIL_FAILURE_LIMIT
    for _ in range(5):
        sign_in(client, "ann@example.com", "wrong")
    assert AuditEvent.objects.count() == forms.EMAIL_FAILURE_LIMIT

"""Failed sign-ins are limited per email and per client address, in the shared cache."""

import pytest
from django.conf import settings
from django.core.cache import cache

from accounts import forms
from tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()
    yield
    cache.clear()


def sign_in(client, email, password, address="10.0.0.1", url=LOGIN):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=address)


def test_ten_failures_for_an_email_block_it_even_with_the_right_password(client, db):
    UserFactory(email="ann@example.com")
    for i in range(forms.EMAIL_FAILURE_LIMIT):
        response = sign_in(client, "ann@example.com", "wrong", address=f"10.0.0.{i}")
        assert "Please enter a correct email address" in response.content.decode()
    response = sign_in(client, "ANN@example.com", PASSWORD, address="10.9.9.9")
    assert response.status_code == 200
    assert (
        "Too many failed sign-ins for this email. Try again in 15 minutes."
        in response.content.decode()
    )
    assert "_auth_user_id" not in client.session
    # Another email is not affected.
    UserFactory(email="bob@example.com")
    assert sign_in(client, "bob@example.com", PASSWORD).status_code == 302


def test_failures_from_one_address_block_it(client, db):
    UserFactory(email="ann@example.com")
    for i in range(forms.ADDRESS_FAILURE_LIMIT):
        sign_in(client, f"guess{i}@example.com", "wrong", address="10.6.6.6")
    response = sign_in(client, "ann@example.com", PASSWORD, address="10.6.6.6")
    assert "Too many failed sign-ins from your network" in response.content.decode()
    assert sign_in(client, "ann@example.com", PASSWORD, address="10.7.7.7").status_code == 302


def test_a_success_below_the_limit_works(client, db):
    UserFactory(email="ann@example.com")
    for _ in range(forms.EMAIL_FAILURE_LIMIT - 1):
        sign_in(client, "ann@example.com", "wrong")
    assert sign_in(client, "ann@example.com", PASSWORD).status_code == 302


def test_the_count_lasts_15_minutes_after_the_last_failure(client, db, monkeypatch):
    from datetime import timedelta

    from django.core.cache.backends import db as db_cache
    from django.utils import timezone

    if not settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        pytest.skip("moves the database cache's clock")
    UserFactory(email="ann@example.com")
    for _ in range(forms.EMAIL_FAILURE_LIMIT):
        sign_in(client, "ann@example.com", "wrong", address="10.1.1.1")
    start = timezone.now()
    # incr() alone would keep the count only 5 minutes (the cache's default timeout).
    monkeypatch.setattr(db_cache, "tz_now", lambda: start + timedelta(minutes=14))
    response = sign_in(client, "ann@example.com", PASSWORD, address="10.2.2.2")
    assert "Too many failed sign-ins" in response.content.decode()
    monkeypatch.setattr(db_cache, "tz_now", lambda: start + timedelta(minutes=16))
    assert sign_in(client, "ann@example.com", PASSWORD, address="10.2.2.2").status_code == 302


def test_admin_sign_in_is_throttled_too(client, db):
    UserFactory(email="op@example.com", is_staff=True)
    admin_login = f"/{settings.ADMIN_URL}login/"
    for _ in range(forms.EMAIL_FAILURE_LIMIT):
        sign_in(client, "op@example.com", "wrong", url=admin_login)
    response = sign_in(client, "op@example.com", PASSWORD, url=admin_login)
    assert "Too many failed sign-ins for this email" in response.content.decode()
    assert "_auth_user_id" not in client.session

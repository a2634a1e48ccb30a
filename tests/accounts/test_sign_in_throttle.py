"""Failed sign-ins are limited per email and per client address, in the database."""

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

    from django.utils import timezone

    from core import failures

    UserFactory(email="ann@example.com")
    for _ in range(forms.EMAIL_FAILURE_LIMIT):
        sign_in(client, "ann@example.com", "wrong", address="10.1.1.1")
    start = timezone.now()
    monkeypatch.setattr(failures.timezone, "now", lambda: start + timedelta(minutes=14))
    response = sign_in(client, "ann@example.com", PASSWORD, address="10.2.2.2")
    assert "Too many failed sign-ins" in response.content.decode()
    # That refused attempt counted too: the 15 minutes run from it.
    monkeypatch.setattr(failures.timezone, "now", lambda: start + timedelta(minutes=30))
    assert sign_in(client, "ann@example.com", PASSWORD, address="10.2.2.2").status_code == 302


def test_admin_sign_in_is_throttled_too(client, db):
    UserFactory(email="op@example.com", is_staff=True)
    admin_login = f"/{settings.ADMIN_URL}login/"
    for _ in range(forms.EMAIL_FAILURE_LIMIT):
        sign_in(client, "op@example.com", "wrong", url=admin_login)
    response = sign_in(client, "op@example.com", PASSWORD, url=admin_login)
    assert "Too many failed sign-ins for this email" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_noisy_address_is_slowed_down_not_locked_out(client, db, monkeypatch):
    """Past the per-address limit one attempt per ADDRESS_SLOWDOWN seconds is checked,
    so a neighbour behind the same NAT still signs in with the right password."""
    from datetime import timedelta

    from django.utils import timezone

    from core import failures

    UserFactory(email="ann@example.com")
    for i in range(forms.ADDRESS_FAILURE_LIMIT):
        sign_in(client, f"guess{i}@example.com", "wrong", address="10.6.6.6")
    refused = sign_in(client, "ann@example.com", PASSWORD, address="10.6.6.6")
    assert f"Wait {forms.ADDRESS_SLOWDOWN} seconds" in refused.content.decode()
    later = timezone.now() + timedelta(seconds=forms.ADDRESS_SLOWDOWN + 1)
    monkeypatch.setattr(failures.timezone, "now", lambda: later)
    assert sign_in(client, "ann@example.com", PASSWORD, address="10.6.6.6").status_code == 302


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    __import__("django.db").db.connection.vendor != "postgresql",
    reason="needs concurrent writers: run with DATABASE_URL=postgres://... (CI does)",
)
def test_simultaneous_wrong_passwords_check_at_most_the_limit(monkeypatch):
    """40 parallel wrong passwords for one email: at most 10 are checked."""
    import threading

    from django.contrib.auth import backends
    from django.db import connections
    from django.test import Client

    UserFactory(email="ann@example.com")
    checked = []
    real = backends.ModelBackend.authenticate

    def counting(self, *args, **kwargs):
        checked.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(backends.ModelBackend, "authenticate", counting)
    barrier = threading.Barrier(40)

    def attempt(i):
        try:
            barrier.wait()
            sign_in(Client(), "ann@example.com", "wrong", address=f"10.8.{i}.1")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) <= forms.EMAIL_FAILURE_LIMIT

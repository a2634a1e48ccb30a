"""Changing the password asks for the current one, with a guess limit: each check is
counted before it is made (one atomic statement), 10 per user per 15 minutes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import forms
from tests.factories import PASSWORD, UserFactory

URL = "/accounts/password/"
NEW = "a much newer passphrase"


def change(client, old, new=NEW):
    return client.post(URL, {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.fixture
def ann(db):
    return UserFactory(email="ann@example.com")


def test_a_correct_change_works(client, ann):
    client.force_login(ann)
    assert change(client, PASSWORD).status_code == 302
    ann.refresh_from_db()
    assert ann.check_password(NEW)


def test_ten_wrong_passwords_stop_the_checks_even_the_right_one(client, ann):
    client.force_login(ann)
    for _ in range(forms.EMAIL_FAILURE_LIMIT):
        response = change(client, "wrong")
        assert "Your old password was entered incorrectly" in response.content.decode()
    response = change(client, PASSWORD)
    assert response.status_code == 200
    assert "Too many wrong current passwords. Try again in 15 minutes." in (
        response.content.decode()
    )
    ann.refresh_from_db()
    assert ann.check_password(PASSWORD)


def test_the_limit_lifts_after_15_quiet_minutes(client, ann, monkeypatch):
    from core import failures

    client.force_login(ann)
    for _ in range(forms.EMAIL_FAILURE_LIMIT + 1):
        change(client, "wrong")
    later = timezone.now() + timedelta(minutes=16)
    monkeypatch.setattr(failures.timezone, "now", lambda: later)
    assert change(client, PASSWORD).status_code == 302


def test_a_success_clears_the_count(client, ann):
    client.force_login(ann)
    for _ in range(forms.EMAIL_FAILURE_LIMIT - 1):
        change(client, "wrong")
    assert change(client, PASSWORD).status_code == 302
    assert forms.PASSWORD_CHANGE_FAILURES.count(str(ann.pk)) == 0


def test_the_limit_is_per_user(client, ann):
    client.force_login(ann)
    for _ in range(forms.EMAIL_FAILURE_LIMIT + 1):
        change(client, "wrong")
    bob = UserFactory(email="bob@example.com")
    client.force_login(bob)
    assert change(client, PASSWORD).status_code == 302


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    __import__("django.db").db.connection.vendor != "postgresql",
    reason="needs concurrent writers: run with DATABASE_URL=postgres://... (CI does)",
)
def test_simultaneous_wrong_passwords_check_at_most_the_limit(monkeypatch):
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.test import Client

    from tests.support.concurrency import run_together

    user = UserFactory(email="ann@example.com")
    checked = []
    real = AbstractBaseUser.check_password

    def counting(self, raw):
        checked.append(1)
        return real(self, raw)

    monkeypatch.setattr(AbstractBaseUser, "check_password", counting)

    def attempt(i):
        client = Client()
        client.force_login(user)
        change(client, "wrong")

    run_together(30, attempt)
    assert 1 <= len(checked) <= forms.EMAIL_FAILURE_LIMIT

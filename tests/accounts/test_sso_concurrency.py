"""Single sign-on under simultaneous requests on PostgreSQL: its set-up and removal are
serialised on the account's row and its own, and two first sign-ins of one new address
make one user, neither failing (accounts.sso._user_for)."""

import threading

import pytest
from django.db import connection
from django.test import RequestFactory

from accounts import sso
from accounts.models import Membership, Role, SingleSignOn, User
from audit.models import AuditEvent
from tests.factories import AccountFactory
from tests.support.concurrency import at_once, simultaneously

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers: run with DATABASE_URL=postgres://... (CI does)",
    ),
]


@pytest.fixture
def config(settings):
    settings.SSO_ALLOW_HTTP_ISSUERS = True  # 127.0.0.1: no name lookup
    account = AccountFactory()
    return sso.sso_configure(
        account=account,
        issuer="http://127.0.0.1:9/o",
        client_id="c",
        client_secret="s",
        domains="example.com",
        default_role=Role.MEMBER,
    )


def test_two_first_sign_ins_of_one_new_address_make_one_user(config, monkeypatch):
    # Both look the address up before either makes it: the race, every time.
    looked_up = threading.Barrier(2)
    original = sso._existing_user

    def existing_user(email):
        user = original(email)
        looked_up.wait(timeout=10)
        return user

    monkeypatch.setattr(sso, "_existing_user", existing_user)
    claims = {"email": "new@example.com", "email_verified": True}

    def sign_in():
        request = RequestFactory().get("/accounts/login/sso/callback/")
        return sso._join(request, config, claims, "")

    signed = at_once([sign_in, sign_in])
    assert len(signed) == 2  # neither raised
    user = User.objects.get(email="new@example.com")
    assert {result.user.pk for result in signed} == {user.pk}
    assert sorted(result.joined for result in signed) == [False, True]
    assert Membership.objects.get(account=config.account, user=user).role == Role.MEMBER
    assert AuditEvent.objects.filter(action="user.sso_sign_in").count() == 2
    assert AuditEvent.objects.filter(action="membership.create").count() == 1


def test_two_removals_at_once_are_one_removal(config):
    errors = simultaneously(*[lambda: sso.sso_remove(account=config.account)] * 4)
    assert errors == []
    assert not SingleSignOn.objects.filter(account=config.account).exists()
    assert AuditEvent.objects.filter(action="account.sso_remove").count() == 1


def test_changes_at_once_leave_entries_that_match_the_state(config):
    def change(role):
        return lambda: sso.sso_configure(
            account=config.account,
            issuer=config.issuer,
            client_id="c",
            domains=["example.com"],
            default_role=role,
        )

    errors = simultaneously(*[change(role) for role in (Role.VIEWER, Role.ADMIN) * 3])
    assert errors == []
    final = SingleSignOn.objects.get(account=config.account)
    entries = AuditEvent.objects.filter(action="account.sso_configure").order_by("pk")
    # The first entry is the set-up; each change after it starts where the last ended.
    roles = [entry.changes["default_role"] for entry in entries[1:]]
    previous = Role.MEMBER
    for role in roles:
        assert role["before"] == previous
        previous = role["after"]
    assert previous == final.default_role
    assert final.client_secret == "s"

"""Passkeys (accounts.passkeys) outside the browser: a passkey is a second factor for
the sign-in's second step, the require-two-factor policy and the Members page; removing
one takes the password and is 404 for another's; the RP ID setting is checked at start.
The WebAuthn ceremonies themselves: tests/browser/test_passkeys.py."""

import os
import subprocess
import sys

import pytest

from accounts import passkeys, two_factor
from accounts.passkeys import Passkey
from audit.models import AuditEvent
from tests.factories import PASSWORD, UserFactory
from tests.servers.support import ROOT


def give_passkey(user, name="Laptop"):
    return Passkey.objects.create(
        user=user, name=name, credential_id=os.urandom(16), public_key=b"k", confirmed=True
    )


def verified_with(client, user, passkey):
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = passkey.persistent_id  # as a passkey sign-in leaves it
    session.save()
    return client


def test_a_passkey_is_a_second_factor(db):
    user = UserFactory()
    assert not two_factor.has_two_factor(user)
    passkey = give_passkey(user)
    assert two_factor.has_two_factor(user) and not two_factor.has_app(user)
    passkey.confirmed = False
    passkey.save()
    assert not two_factor.has_two_factor(user)


def test_the_password_step_then_asks_for_the_second_factor_with_a_passkey_button(client, db):
    user = UserFactory()
    give_passkey(user)
    page = client.post(
        "/accounts/login/", {"username": user.email, "password": PASSWORD}, follow=True
    )
    assert page.redirect_chain[-1][0] == "/accounts/login/code/"
    assert client.session.get("_auth_user_id") is None
    html = page.content.decode()
    assert 'id="passkey-verification-placeholder"' in html
    assert '"completeAuthenticationUrl": "/accounts/login/passkey/complete/"' in html


def test_no_passkey_ceremony_without_a_first_step(client, db):
    response = client.post("/accounts/login/passkey/begin/", content_type="application/json")
    assert response.status_code in (401, 403)
    assert "challenge" not in response.content.decode()


def test_the_policy_counts_a_passkey(client, member, project, account):
    account.require_two_factor = True
    account.save()
    passkey = give_passkey(member)
    verified_with(client, member, passkey)
    assert client.get(f"/projects/{project.public_id}/").status_code == 200


def test_the_members_page_shows_a_passkey_as_two_factor(client, admin_user, member, account):
    give_passkey(member)
    client.force_login(admin_user)
    page = client.get(f"/accounts/{account.public_id}/members/").content.decode()
    assert page.count('data-two-factor="on"') == 1
    assert page.count('data-two-factor="off"') == 1


def test_removing_a_passkey_takes_the_password_and_is_audited(client, db):
    user = UserFactory()
    passkey = give_passkey(user)
    client.force_login(user)
    url = f"/accounts/passkeys/{passkey.pk}/remove/"
    page = client.post(url, {"password": "wrong"}, follow=True)
    assert "That is not your current password" in page.content.decode()
    assert Passkey.objects.filter(pk=passkey.pk).exists()
    page = client.post(url, {"password": PASSWORD}, follow=True)
    assert "Passkey “Laptop” removed." in page.content.decode()
    assert not Passkey.objects.filter(pk=passkey.pk).exists()
    entry = AuditEvent.objects.get(action="user.passkey_remove")
    assert entry.changes == {"passkey": {"before": "Laptop", "after": None}}


def test_anothers_passkey_is_404(client, db):
    theirs = give_passkey(UserFactory())
    client.force_login(UserFactory())
    response = client.post(f"/accounts/passkeys/{theirs.pk}/remove/", {"password": PASSWORD})
    assert response.status_code == 404
    assert Passkey.objects.filter(pk=theirs.pk).exists()


def test_a_name_is_asked_first_and_kept_for_the_registration(client, db):
    client.force_login(UserFactory())
    client.post("/accounts/passkeys/name/", {"name": "  Work   laptop "})
    page = client.get("/accounts/two-factor/?add=passkey")
    assert "Adding the passkey “Work laptop”" in page.content.decode()
    assert 'id="passkey-registration-placeholder"' in page.content.decode()
    assert passkeys.clean_name("") == "Passkey"


@pytest.mark.parametrize(
    ("site", "rp_id", "refused"),
    [
        ("https://console.example.com", "example.com", False),
        ("https://console.example.com", "console.example.com", False),
        ("https://console.example.com", "other.com", True),
        ("https://console.example.com", "le.com", True),  # a suffix, not a parent
        ("http://127.0.0.1:8000", "localhost", False),  # development: at localhost
    ],
)
def test_the_rp_id_must_be_the_sites_host_or_its_parent(site, rp_id, refused):
    env = {**os.environ, "DEBUG": "1", "SITE_URL": site, "WEBAUTHN_RP_ID": rp_id}
    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "dashboard.settings"},
        capture_output=True,
        text=True,
    )
    assert (run.returncode != 0) == refused, run.stderr[-500:]
    if refused:
        assert "must be the host passkeys are made on" in run.stderr

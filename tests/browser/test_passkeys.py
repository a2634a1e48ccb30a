"""Passkeys (accounts.passkeys) in a real browser, with Chromium's virtual authenticator
(WebAuthn over the DevTools protocol): add a passkey from the two-factor page, sign out,
sign in with the password and the passkey; a passkey removed meanwhile is refused at
the second step (the code still works); removing one asks for the password."""

import pyotp
import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts import passkeys
from audit.models import AuditEvent
from tests.browser.checks import check_screen
from tests.browser.test_two_factor import code_step, password_step, sign_out
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def passkey_site(settings, live_server):
    # The live server's own origin (the RP ID is "localhost", SITE_URL's default).
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert settings.OTP_WEBAUTHN_RP_ID == "localhost"
    assert live_server.url.startswith("http://localhost:")


def virtual_authenticator(context, page):
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
    }
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})
    return cdp, authenticator["authenticatorId"]


def add_passkey(page, url, name):
    page.goto(url + "/accounts/two-factor/")
    page.get_by_label("Name of the new passkey").fill(name)
    page.get_by_role("button", name="Add a passkey").click()
    page.get_by_role("button", name="Add the passkey").click()
    expect(page.get_by_text("Registration successful!")).to_be_visible()
    page.get_by_role("link", name="Done").click()
    expect(page.locator(f"[data-passkey='{name}']")).to_be_visible()


def test_add_a_passkey_and_sign_in_with_it(passkey_site, context, sign_in, live_server):
    user = UserFactory(email="pia@example.com")
    page = sign_in(user)
    cdp, authenticator = virtual_authenticator(context, page)
    add_passkey(page, live_server.url, "Work laptop")
    check_screen(page, "two-factor page with a passkey")
    [passkey] = passkeys.passkeys_of(user)
    assert passkey.name == "Work laptop"
    assert AuditEvent.objects.filter(action="user.passkey_add", target_id=user.email).exists()
    # An authenticator app too, so a second factor stays when the passkey goes.
    totp = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    codes = pyotp.TOTP(totp.config_url.split("secret=")[1].split("&")[0])
    sign_out(page)

    # Password, then the passkey: signed in.
    password_step(page, live_server.url, user.email)
    check_screen(page, "two-factor code page with a passkey")
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.locator(".user-menu-button")).to_be_visible()
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None
    sign_out(page)

    # Removed (from another session) between the password and the passkey: refused,
    # though the authenticator still holds it; the app's code still signs in.
    password_step(page, live_server.url, user.email)
    passkeys.passkey_remove(user=user, passkey_id=passkey.pk)
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("status")).to_contain_text("was not found. Perhaps it was removed?")
    expect(page.get_by_role("heading", name="Two-factor code")).to_be_visible()
    assert not page.locator(".user-menu-button").count()
    code_step(page, codes.now())
    expect(page.locator(".user-menu-button")).to_be_visible()

    # Removing one asks for the password.
    cdp.send("WebAuthn.clearCredentials", {"authenticatorId": authenticator})
    add_passkey(page, live_server.url, "Old key")
    row = page.locator("[data-passkey='Old key']")
    row.get_by_label("Current password").fill("not-the-password")
    row.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("That is not your current password")).to_be_visible()
    assert [p.name for p in passkeys.passkeys_of(user)] == ["Old key"]
    row = page.locator("[data-passkey='Old key']")
    row.get_by_label("Current password").fill(PASSWORD)
    row.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("Passkey “Old key” removed.")).to_be_visible()
    assert passkeys.passkeys_of(user) == []
    assert AuditEvent.objects.filter(action="user.passkey_remove").count() == 2

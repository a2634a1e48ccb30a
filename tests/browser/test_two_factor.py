"""Two-factor sign-in in a real browser: enrol an authenticator app with a code pyotp
computes from the secret the page shows, sign out, sign in with the password and a fresh
code; a recovery code signs in once and is refused the second time; a wrong code is
refused."""

import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.checks import check_screen
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def sign_out(page):
    page.locator(".user-menu-button").click()
    page.get_by_role("menuitem", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def password_step(page, url, email):
    page.goto(url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Two-factor code")).to_be_visible()


def code_step(page, code):
    page.get_by_role("textbox", name="Code").fill(code)
    page.get_by_role("button", name="Sign in").click()


def test_enrol_sign_out_sign_in_with_a_code_and_a_recovery_code(sign_in, live_server, screenshot):
    user = UserFactory(email="ann@example.com")
    page = sign_in(user)
    page.goto(live_server.url + "/accounts/profile/")
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_role("img", name="QR code of the two-factor secret")).to_be_visible()
    check_screen(page, "two-factor set-up")
    screenshot(page, "two-factor-setup")
    secret = page.locator("[data-totp-secret]").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.get_by_role("textbox", name="Code").fill(totp.now())
    page.get_by_role("button", name="Turn on two-factor").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in is on")).to_be_visible()
    codes = page.locator("[data-recovery-codes] code").all_inner_texts()
    assert len(codes) == 10
    check_screen(page, "recovery codes")
    page.get_by_role("link", name="I have saved them").click()
    expect(page.locator("[data-two-factor=on]")).to_be_visible()
    sign_out(page)

    # Password, then a wrong code, then a fresh one (the next 30-second step's: the
    # code used to enrol cannot be used again).
    password_step(page, live_server.url, user.email)
    check_screen(page, "two-factor code page")
    fresh = totp.at(time.time() + 30)
    code_step(page, "000000" if fresh != "000000" else "111111")
    expect(page.get_by_text("That code is not valid")).to_be_visible()
    code_step(page, fresh)
    expect(page.locator(".user-menu-button")).to_be_visible()
    sign_out(page)

    # A recovery code works once.
    password_step(page, live_server.url, user.email)
    code_step(page, codes[0])
    expect(page.locator(".user-menu-button")).to_be_visible()
    sign_out(page)
    password_step(page, live_server.url, user.email)
    code_step(page, codes[0])
    expect(page.get_by_text("That code is not valid")).to_be_visible()
    code_step(page, codes[1])
    expect(page.locator(".user-menu-button")).to_be_visible()

"""The first sign-in on a fresh demo database: a current project, ticked in the menu and
named in the top bar, and the browser's time zone taken; at both widths."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.checks import check_screen
from tests.browser.conftest import BOTH_WIDTHS, PHONE

pytestmark = pytest.mark.browser
PASSWORD = "demo-console-2026"


def sign_in_with_the_form(page, url, email):
    page.goto(url + "/accounts/login/")
    check_screen(page, "sign-in page")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@BOTH_WIDTHS
def test_the_admins_first_sign_in(browser, live_server, viewport, screenshot):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed at exit
    context = browser.new_context(viewport=viewport, locale="en-GB", timezone_id="Asia/Tokyo")
    try:
        page = context.new_page()
        sign_in_with_the_form(page, live_server.url, "admin@example.com")
        # The account's oldest top-level project is current: its Subprojects page.
        expect(page.get_by_role("heading", name="Subprojects", level=1)).to_be_visible()
        button = page.locator(".projects-menu-button")
        expect(button.locator(".projects-menu-current")).to_have_text("Acme Messaging Production")
        check_screen(page, "Subprojects page after the first sign-in")
        # The browser's zone became the user's, and times say it.
        assert User.objects.get(email="admin@example.com").time_zone == "Asia/Tokyo"
        expect(page.locator("table.subprojects time").first).to_contain_text("JST")

        button.click()
        current = page.locator(".projects-menu-panel li.menu-row.is-current")
        expect(current).to_have_count(1)
        expect(current).to_contain_text("Acme Messaging Production")
        expect(current.locator(".tick")).to_have_text("✓")
        expect(current.get_by_role("link")).to_have_attribute("aria-current", "true")
        check_screen(page, "Projects menu open")
        if viewport == PHONE:
            screenshot(page, "1-projects-menu-phone")
    finally:
        context.close()


@BOTH_WIDTHS
def test_a_customers_first_sign_in_lands_on_their_subproject(browser, live_server, viewport):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed at exit
    context = browser.new_context(viewport=viewport, locale="en-GB")
    try:
        page = context.new_page()
        sign_in_with_the_form(page, live_server.url, "customer@example.com")
        expect(page.locator("h1")).to_have_text(
            re.compile(r"Acme Messaging Production > Taco Time")
        )
        expect(page.locator(".projects-menu-current")).to_have_text("Taco Time")
        check_screen(page, "the customer's subproject")
        # The browser said UTC (the context's default zone here), so UTC it is.
        assert User.objects.get(email="customer@example.com").time_zone == "UTC"
    finally:
        context.close()

"""The states of screens that no address reaches, each at both widths and through the
same check as every screen (test_every_screen_matrix opens every address, for each
role): the Create subproject dialog open, the navigation opened on a phone, and a
refused sign-in."""

import pytest
from playwright.sync_api import expect

from tests.browser.checks import check_screen
from tests.browser.conftest import BOTH_WIDTHS

pytestmark = pytest.mark.browser


@BOTH_WIDTHS
def test_the_dialog_and_the_navigation_open(sign_in, live_server, admin_user, project, viewport):
    page = sign_in(admin_user)
    page.goto(live_server.url + f"/projects/{project.public_id}/subprojects/")
    page.get_by_role("link", name="CREATE SUBPROJECT").click()
    expect(page.get_by_role("dialog", name="Create subproject")).to_be_visible()
    check_screen(page, "Create subproject dialog")
    if viewport["width"] < 500:
        page.goto(live_server.url + f"/projects/{project.public_id}/subprojects/")
        page.get_by_role("button", name="Menu").click()
        check_screen(page, "the navigation, open on a phone")


@BOTH_WIDTHS
def test_a_refused_sign_in(browser, live_server, viewport, db):
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Email").fill("nobody@example.com")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_be_visible()
        check_screen(page, "sign-in refused")
    finally:
        context.close()

"""The error pages in the dashboard's shell, saying what to do next, at both widths."""

import pytest
from playwright.sync_api import expect

from tests.browser.checks import check_screen
from tests.browser.conftest import BOTH_WIDTHS, PHONE

pytestmark = pytest.mark.browser


@BOTH_WIDTHS
def test_not_found_not_allowed_and_an_expired_form(
    sign_in, live_server, context, viewer, project, viewport, screenshot
):
    page = sign_in(viewer)
    response = page.goto(f"{live_server.url}/projects/01ARZ3NDEKTSV4RRFFQ69G5FAV/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_text("Request ID:")).to_be_visible()
    check_screen(page, "404")
    if viewport == PHONE:
        screenshot(page, "12-not-found-phone")
    page.get_by_label("Find a project by name or Project ID").fill("acme")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("main table")).to_contain_text("Acme Production")

    response = page.goto(f"{live_server.url}/projects/{project.public_id}/subprojects/new/")
    assert response.status == 403
    expect(page.get_by_text("Viewers cannot change projects.")).to_be_visible()
    check_screen(page, "403")

    # A form whose CSRF cookie is gone (cleared, expired): the page says what to do.
    page.goto(f"{live_server.url}/accounts/profile/")
    session = [c for c in context.cookies() if c["name"] == "sessionid"]
    context.clear_cookies()
    context.add_cookies(session)
    page.get_by_role("button", name="Save time zone").click()
    expect(page.get_by_role("heading", name="This form has expired")).to_be_visible()
    check_screen(page, "CSRF failure")


@BOTH_WIDTHS
@pytest.mark.urls("tests.support.urls_boom")
def test_a_server_error(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        response = page.goto(f"{live_server.url}/boom/")
        assert response.status == 500
        expect(page.get_by_role("heading", name="Something went wrong")).to_be_visible()
        expect(page.get_by_text("contact support and quote the request ID")).to_be_visible()
        check_screen(page, "500")
    finally:
        context.close()

"""The Projects menu, the ⋮ options and the user menu with the keyboard alone: the
WAI-ARIA menu button's keys (arrows, Home, End, Escape), at both widths."""

import pytest
from playwright.sync_api import expect

from tests.browser.checks import check_screen
from tests.browser.conftest import BOTH_WIDTHS
from tests.factories import ProjectFactory

pytestmark = pytest.mark.browser


def row(page, name):
    return page.locator(".projects-menu-panel .menu-row-link", has_text=name)


@BOTH_WIDTHS
def test_the_projects_menu(sign_in, live_server, admin_user, account, viewport):
    page = sign_in(admin_user)  # signed in before the projects exist: none is current
    for name in ("Alpha", "Bravo", "Charlie"):
        ProjectFactory(account=account, name=name)
    page.goto(live_server.url + "/projects/")
    button = page.locator(".projects-menu-button")
    button.focus()
    page.keyboard.press("ArrowDown")  # opens, on the first project
    expect(page.locator(".projects-menu-panel")).to_be_visible()
    expect(row(page, "Alpha")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(row(page, "Bravo")).to_be_focused()
    page.keyboard.press("End")
    expect(row(page, "Charlie")).to_be_focused()
    page.keyboard.press("ArrowDown")  # wraps
    expect(row(page, "Alpha")).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.press("Home")
    expect(row(page, "Alpha")).to_be_focused()
    page.keyboard.press("ArrowUp")  # above the first: the search field
    expect(page.locator("#projects-menu-q")).to_be_focused()
    page.keyboard.type("brav")
    expect(page.locator(".projects-menu-panel li.menu-row")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    expect(row(page, "Bravo")).to_be_focused()
    check_screen(page, "Projects menu, searched")
    page.keyboard.press("Escape")
    expect(page.locator(".projects-menu-panel")).to_be_hidden()
    expect(button).to_be_focused()
    page.keyboard.press("ArrowUp")  # opens on the last project (the search still applies)
    expect(row(page, "Bravo")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Subprojects", level=1)).to_be_visible()
    expect(page.locator(".projects-menu-current")).to_have_text("Bravo")


@BOTH_WIDTHS
def test_a_rows_options(sign_in, live_server, admin_user, project, viewport):
    page = sign_in(admin_user)
    page.goto(live_server.url + f"/projects/{project.public_id}/")
    page.locator(".projects-menu-button").click()
    expect(page.locator("#projects-menu-q")).to_be_focused()  # the menu has opened
    options = page.get_by_label("Options for Acme Production")
    options.focus()
    page.keyboard.press("Enter")  # opens, on its first item
    menu = page.get_by_role("menu", name="Options")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("menuitem", name="Details")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("menuitem", name="Subprojects")).to_be_focused()
    page.keyboard.press("End")  # the last item: Activity, as in the navigation
    expect(menu.get_by_role("menuitem", name="Activity")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("menuitem", name="Details")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(menu.get_by_role("menuitem", name="Activity")).to_be_focused()
    page.keyboard.press("Home")
    expect(menu.get_by_role("menuitem", name="Details")).to_be_focused()
    check_screen(page, "a row's options open")
    page.keyboard.press("Escape")  # closes the options, back on their button
    expect(menu).to_be_hidden()
    expect(options).to_be_focused()
    page.keyboard.press("Escape")  # then the Projects menu
    expect(page.locator(".projects-menu-panel")).to_be_hidden()
    expect(page.locator(".projects-menu-button")).to_be_focused()


@BOTH_WIDTHS
def test_the_user_menu(sign_in, live_server, member, project, viewport):
    page = sign_in(member)
    page.goto(live_server.url + "/projects/")
    button = page.locator(".user-menu-button")
    button.focus()
    page.keyboard.press("ArrowDown")
    menu = page.get_by_role("menu", name="Account")
    expect(menu.get_by_role("menuitem", name="Profile and time zone")).to_be_focused()
    page.keyboard.press("End")
    expect(menu.get_by_role("menuitem", name="Sign out")).to_be_focused()
    check_screen(page, "user menu open")
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu.get_by_role("menuitem", name="Profile and time zone")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Profile", level=1)).to_be_visible()

"""The lasting navigation, in headless Chromium at a laptop's and a phone's width: from
the landing page each of Subprojects, Access keys, Usage, Billing, Activity and Members
is one visible click away (on a phone, inside the one Menu button), and the top bar
keeps the current project's name readable beside the account switcher."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.browser.checks import check_screen
from tests.browser.conftest import BOTH_WIDTHS, PHONE
from tests.factories import AccountFactory, MembershipFactory

pytestmark = pytest.mark.browser

# (link, the heading of what it opens)
DESTINATIONS = {
    "Subprojects": re.compile(r"^Subprojects"),
    "Access keys": re.compile(r"^Access keys"),
    "Usage": re.compile(r"^Usage"),
    "Billing": re.compile(r"^Billing"),
    "Activity": re.compile(r"^Activity"),
    "Members": re.compile(r"^Members"),
}


def open_navigation(page, viewport):
    """The navigation's links: on a phone, behind the Menu button."""
    nav = page.get_by_role("navigation", name="Main")
    if viewport == PHONE:
        toggle = nav.get_by_role("button", name="Menu")
        expect(toggle).to_be_visible()
        # Folded: its links are not shown until the button opens them.
        expect(nav.get_by_role("link", name="Usage")).to_be_hidden()
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
    return nav


@BOTH_WIDTHS
def test_every_section_is_one_click_from_the_landing_page(
    sign_in, live_server, admin_user, project, subproject, viewport, screenshot
):
    page = sign_in(admin_user)
    for label, heading in DESTINATIONS.items():
        page.goto(live_server.url + "/")
        expect(page).to_have_url(f"{live_server.url}/projects/{project.public_id}/subprojects/")
        nav = open_navigation(page, viewport)
        if label == "Subprojects":
            expect(nav.get_by_role("link", name="Subprojects")).to_have_attribute(
                "aria-current", "page"
            )
            phone = "-phone" if viewport == PHONE else ""
            screenshot(page, f"0-navigation{phone}")
            if viewport == PHONE:
                assert_name_readable(page)
            check_screen(page, f"navigation open at {viewport['width']}px")
        link = nav.get_by_role("link", name=label, exact=True)
        expect(link).to_be_visible()
        link.click()
        expect(page.get_by_role("heading", name=heading).first).to_be_visible()
        if label != "Access keys":  # (a part of the Details page)
            nav = open_navigation(page, viewport)
            expect(nav.get_by_role("link", name=label, exact=True)).to_have_attribute(
                "aria-current", "page"
            )


# The width, in the page, of a text's first 12 characters in the element's own font,
# and the width the element gives its text.
_READABLE = """(element) => {
  const probe = document.createElement("span");
  probe.style.font = getComputedStyle(element).font;
  probe.style.whiteSpace = "pre";
  probe.textContent = element.textContent.trim().slice(0, 12);
  document.body.appendChild(probe);
  const needed = probe.getBoundingClientRect().width;
  probe.remove();
  // What is shown of it: its own box, within the button's (which may clip it).
  const box = element.getBoundingClientRect();
  const button = element.closest("summary").getBoundingClientRect();
  const shown = Math.min(box.right, button.right) - Math.max(box.left, button.left);
  return {needed: needed, shown: shown};
}"""


def assert_name_readable(page):
    """The top bar shows at least the first 12 characters of the current project's name."""
    sizes = page.locator(".projects-menu-current").evaluate(_READABLE)
    assert sizes["shown"] >= sizes["needed"], sizes


def test_on_a_phone_the_project_name_stays_readable_beside_the_account_switcher(
    browser, live_server, admin_user, account, project, transactional_db, sign_in
):
    project.name = "Acme Messaging Production"
    project.save(update_fields=["name"])
    account.name = "Acme Messaging International Holdings"
    account.save(update_fields=["name"])
    MembershipFactory(user=admin_user, account=AccountFactory(name="Burrito"), role=Role.ADMIN)
    context = browser.new_context(viewport=PHONE)
    try:
        page = sign_in(admin_user, ctx=context)
        page.goto(live_server.url + "/")
        expect(page.locator(".account-switcher-button")).to_be_visible()
        assert_name_readable(page)
        check_screen(page, "top bar with the account switcher, on a phone")
    finally:
        context.close()

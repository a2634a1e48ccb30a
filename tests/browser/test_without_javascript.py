"""Without JavaScript nothing dead is shown (the copy icons, select-all), and everything
still works: menus, sorting, the labels text box, removing several, the Service API
step. At both widths."""

import pytest
from playwright.sync_api import expect

from projects.models import Project
from tests.browser.conftest import BOTH_WIDTHS
from tests.factories import ProjectFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def no_script_page(browser, live_server, sign_in, viewport):
    context = browser.new_context(java_script_enabled=False, viewport=viewport)
    pages = []

    def open_as(user):
        page = sign_in(user, ctx=context)
        pages.append(page)
        return page

    yield open_as
    context.close()


@BOTH_WIDTHS
def test_nothing_dead_and_everything_works(no_script_page, live_server, member, project, viewport):
    for name in ("Bravo", "Alpha", "Charlie"):
        ProjectFactory(parent=project, name=name)
    page = no_script_page(member)
    page.goto(f"{live_server.url}/projects/{project.public_id}/subprojects/")
    # The copy icons need JavaScript: hidden, even though .icon-button says inline-flex.
    copy = page.locator("button[data-copy]").first
    expect(copy).to_be_attached()
    expect(copy).to_be_hidden()
    assert copy.evaluate("b => getComputedStyle(b).display") == "none"
    expect(page.get_by_label("Select every subproject on this page")).to_be_hidden()

    # Sorting through the form.
    page.get_by_label("Sort by").select_option("name")
    page.get_by_role("button", name="Apply").click()
    rows = page.locator("table.subprojects tbody tr")
    expect(rows.first).to_contain_text("Alpha")

    # Removing several: the boxes belong to the form, the confirmation is a page.
    rows.nth(0).get_by_role("checkbox").check()
    rows.nth(1).get_by_role("checkbox").check()
    page.get_by_role("button", name="Remove selected…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove 2 subprojects?")
    page.get_by_role("button", name="Remove 2 subprojects").click()
    expect(page.locator(".messages")).to_contain_text("2 subprojects removed.")
    assert set(Project.objects.removed().values_list("name", flat=True)) == {"Alpha", "Bravo"}

    # The details page: labels in the text box; the Service API step dismissed by a form.
    page.goto(f"{live_server.url}/projects/{Project.objects.get(name='Charlie').public_id}/")
    expect(page.get_by_role("group", name="Labels")).to_be_hidden()  # the rows editor
    page.get_by_label("Labels", exact=True).fill("region=EU\ntier=gold")
    page.get_by_role("button", name="Save labels").click()
    expect(page.locator(".messages")).to_contain_text("Labels saved.")
    assert Project.objects.get(name="Charlie").labels == {"region": "EU", "tier": "gold"}
    page.get_by_role("button", name="Done, hide this").click()
    expect(page.get_by_text("Next step: create a Service API")).to_have_count(0)

    # Menus are <details>: they open without script.
    page.locator(".user-menu-button").click()
    expect(page.get_by_role("menuitem", name="Profile and time zone")).to_be_visible()

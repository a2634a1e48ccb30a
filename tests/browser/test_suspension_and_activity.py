"""Suspend a subproject, see it suspended everywhere, read the Activity, resume it."""

import re

import pytest

from audit.models import AuditEvent
from projects.models import Project
from tests.browser.checks import check_screen
from tests.factories import ProjectFactory

pytestmark = pytest.mark.browser


def test_suspend_read_the_activity_and_resume(sign_in, live_server, member, project, screenshot):
    from playwright.sync_api import expect

    customer = ProjectFactory(parent=project, name="Taco Time")
    page = sign_in(member)
    page.goto(f"{live_server.url}/projects/{customer.public_id}/")

    # Suspend, with a reason: an empty one is refused first, and nothing changes.
    section = page.locator("#suspension")
    section.get_by_role("button", name="Suspend").click()
    expect(page.locator("#suspension")).to_contain_text("Reason cannot be empty.")
    page.get_by_label("Reason").fill("Invoice 2026-11 unpaid")
    page.locator("#suspension").get_by_role("button", name="Suspend").click()
    expect(page.locator(".messages")).to_contain_text("is suspended")
    expect(page.locator("h1 .badge-suspended")).to_have_text("Suspended")
    expect(page.locator("#suspension")).to_contain_text("Reason: Invoice 2026-11 unpaid")
    page.locator("#suspension").scroll_into_view_if_needed()
    screenshot(page, "6-suspended-subproject")
    check_screen(page, "6-suspended-subproject")

    # The badge and the reason in the parent's Subprojects list and in the Projects menu.
    page.goto(f"{live_server.url}/projects/{project.public_id}/subprojects/")
    row = page.locator("tr", has_text="Taco Time")
    expect(row.locator(".badge-suspended")).to_have_text("Suspended")
    expect(row).to_contain_text("Invoice 2026-11 unpaid")
    page.get_by_text("Projects", exact=True).first.click()
    search = page.get_by_role("searchbox", name="Search projects by name or Project ID")
    search.fill("Taco")
    menu_row = page.locator(".projects-menu-panel li.menu-row", has_text="Taco Time")
    expect(menu_row.locator(".badge-suspended")).to_be_visible()

    # The Activity page, from the row's options menu: the suspension, by whom, newest first.
    menu_row.get_by_label("Options for Taco Time").click()
    menu_row.get_by_role("menuitem", name="Activity").click()
    expect(page.get_by_role("heading", name=re.compile("Activity"), level=1)).to_be_visible()
    first = page.locator("table.activity tbody tr").first
    expect(first).to_contain_text("Subproject suspended")
    expect(first).to_contain_text(member.email)
    expect(first).to_contain_text("Invoice 2026-11 unpaid")
    page.get_by_label("Action").select_option("subproject.create")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table.activity")).to_have_count(0)  # created by a factory: no entry
    expect(page.get_by_text("No activity matches these filters.")).to_be_visible()
    page.get_by_role("link", name="Clear").click()
    expect(page.locator("table.activity tbody tr")).to_have_count(1)
    screenshot(page, "7-activity-page")
    check_screen(page, "7-activity-page")

    # Resume from the details panel: the keys work again.
    page.get_by_role("link", name=re.compile("Taco Time")).first.click()
    page.locator("#suspension").get_by_role("button", name="Resume").click()
    expect(page.locator(".messages")).to_contain_text("is resumed")
    expect(page.locator("h1 .badge-suspended")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    assert not Project.objects.get(pk=customer.pk).is_suspended
    assert list(
        AuditEvent.objects.filter(project_id=customer.public_id)
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["subproject.suspend", "subproject.resume"]

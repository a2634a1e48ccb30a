"""A reseller with 10,000 customers: the Subprojects page's total, sorts, pages, filter,
CSV and the removal of several at once, at both widths."""

import re

import pytest
from playwright.sync_api import expect

from projects.models import Project
from tests.browser.checks import check_screen
from tests.browser.conftest import BOTH_WIDTHS, PHONE
from tests.factories import bulk_subprojects

pytestmark = pytest.mark.browser


@BOTH_WIDTHS
def test_ten_thousand_subprojects(sign_in, live_server, member, project, viewport, screenshot):
    bulk_subprojects(project, 10_000)
    page = sign_in(member)
    list_url = f"{live_server.url}/projects/{project.public_id}/subprojects/"
    page.goto(list_url)
    count = page.locator(".list-count")
    expect(count).to_have_text("1\u201350 of 10,000 subprojects")
    rows = page.locator("table.subprojects tbody tr")
    expect(rows).to_have_count(50)
    check_screen(page, "Subprojects page, 10,000")
    if viewport == PHONE:
        # Each row is a card whose cells say what they hold.
        label = rows.first.locator("td[data-label='Project ID']").evaluate(
            "cell => getComputedStyle(cell, '::before').content"
        )
        assert label == '"Project ID"'
        screenshot(page, "2-subprojects-page-phone")
        # On a phone the headers are hidden: the sort is chosen in the form.
        page.get_by_label("Sort by").select_option("name")
    else:
        screenshot(page, "8-subprojects-10000")
        page.get_by_role("link", name=re.compile(r"^Name")).click()
    expect(page).to_have_url(re.compile(r"[?&]sort=name$"))
    expect(rows.first).to_contain_text("Customer 0")
    expect(rows.nth(1)).to_contain_text("Customer 1")  # then "Customer 10", by name
    expect(rows.nth(2)).to_contain_text("Customer 10")
    if viewport != PHONE:
        expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Name")

    page.get_by_role("link", name="Next").click()
    expect(count).to_have_text("51\u2013100 of 10,000 subprojects")
    expect(page).to_have_url(re.compile(r"sort=name&cursor="))
    page.get_by_role("link", name="Last").click()
    expect(count).to_have_text("9,951\u201310,000 of 10,000 subprojects")
    expect(page.get_by_role("link", name="Next")).to_have_count(0)
    check_screen(page, "last page")

    # The filter keeps the sort, and counts its matches.
    page.get_by_label("Filter by name or Project ID").fill("Customer 999")
    page.get_by_role("button", name="Apply").click()
    expect(count).to_have_text("11 subprojects match “Customer 999”")
    expect(page).to_have_url(re.compile(r"sort=name"))
    expect(rows).to_have_count(11)

    # Download CSV: the filtered list, in its sort.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    lines = open(download.value.path(), encoding="utf-8").read().splitlines()  # noqa: SIM115
    assert lines[0] == "name,project_id,created,state,suspend_reason,labels"
    assert [line.split(",")[0] for line in lines[1:3]] == ["Customer 999", "Customer 9990"]
    assert len(lines) == 12

    # Remove two, behind one confirmation naming how many.
    rows.nth(0).get_by_role("checkbox").check()
    rows.nth(1).get_by_role("checkbox").check()
    expect(page.locator("[data-bulk-count]")).to_have_text("2 selected")
    page.get_by_role("button", name="Remove selected…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove 2 subprojects?")
    check_screen(page, "bulk removal confirmation")
    if viewport != PHONE:
        screenshot(page, "9-remove-several")
    page.get_by_role("button", name="Remove 2 subprojects").click()
    expect(page.locator(".messages")).to_contain_text("2 subprojects removed.")
    expect(count).to_have_text("1\u201350 of 9,998 subprojects")
    assert set(Project.objects.removed().values_list("name", flat=True)) == {
        "Customer 999",
        "Customer 9990",
    }


def test_select_all_on_the_page(sign_in, live_server, member, project):
    bulk_subprojects(project, 3)
    page = sign_in(member)
    page.goto(f"{live_server.url}/projects/{project.public_id}/subprojects/")
    submit = page.get_by_role("button", name="Remove selected…")
    expect(submit).to_be_disabled()  # nothing ticked yet
    page.get_by_label("Select every subproject on this page").check()
    expect(page.locator("[data-bulk-count]")).to_have_text("3 selected")
    expect(submit).to_be_enabled()
    submit.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove 3 subprojects?")
    page.get_by_role("link", name="Cancel").click()
    assert not Project.objects.removed().exists()

"""The Usage page in a real browser: open it from the options menu, see the chart and
the per-subproject table, download the CSV."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_usage_page_chart_table_and_csv(sign_in, live_server, screenshot, acme_with_usage):
    admin, parent, _customers, _gone = acme_with_usage

    page = sign_in(admin)
    page.goto(f"{live_server.url}/projects/{parent.public_id}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Usage").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Usage")

    chart = page.locator("svg[data-usage-chart]:visible")  # (one drawing a width)
    expect(chart).to_be_visible()
    assert chart.locator("rect.chart-bar").count() > 0
    # Each day's figure is readable without a mouse: Tab to a bar shows it.
    day = chart.locator("g.chart-day").last
    day.focus()
    expect(day.locator("text.chart-value")).to_be_visible()
    expect(chart.locator("g.chart-day").first.locator("text.chart-value")).to_be_hidden()
    table = page.locator("table[data-usage-table]")
    expect(table.locator("tbody tr")).to_have_count(5)  # the parent and four subprojects
    expect(table.locator("tbody tr").first).to_contain_text("this project")
    expect(table).to_contain_text("Burrito Barn")
    expect(table.locator("tr", has_text="Burrito Barn")).to_contain_text("removed")

    # Sort by SMS sent, largest first, by its column heading.
    table.get_by_role("link", name="SMS sent (messages)").click()
    expect(page.locator('th[aria-sort="descending"]')).to_contain_text("SMS sent")
    page.set_viewport_size({"width": 1200, "height": 1400})  # chart and table in one view
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "6-usage-page")

    shown = page.locator("table[data-usage-table] tbody tr").all_inner_texts()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"usage-{parent.public_id}-")
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["Project", "Project ID", "State"]
    order = page.locator("table[data-usage-table] tbody tr").evaluate_all(
        "rows => rows.map(row => row.dataset.projectId)"
    )
    assert [row[1] for row in rows[1:-1]] == order  # the same rows, in the order shown
    assert rows[1][1] == parent.public_id and rows[-1][0] == "Total"
    for row, line in zip(rows[1:-1], shown, strict=True):
        assert row[0] in line and row[1] in line
        assert f"{int(row[3]):,}" in line


def test_on_a_phone_the_chart_is_drawn_for_its_width(
    browser, live_server, acme_with_usage, sign_in
):
    """At 375 px the phone's drawing shows, its labels at least 10 px high, and each
    day's figure is shown on focus."""
    from tests.browser.checks import check_screen
    from tests.browser.conftest import PHONE

    admin, parent, _customers, _gone = acme_with_usage
    context = browser.new_context(viewport=PHONE)
    try:
        page = sign_in(admin, ctx=context)
        page.goto(f"{live_server.url}/projects/{parent.public_id}/usage/")
        chart = page.locator("svg[data-usage-chart]:visible")
        expect(chart).to_have_count(1)
        expect(chart).to_have_class("chart chart-phone-chart")
        size = chart.locator("text.chart-tick").first.evaluate(
            "t => t.getBoundingClientRect().height"
        )
        assert size >= 10, size
        day = chart.locator("g.chart-day").last
        day.focus()
        expect(day.locator("text.chart-value")).to_be_visible()
        check_screen(page, "usage on a phone")
    finally:
        context.close()

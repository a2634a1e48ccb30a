"""Billing in a real browser: an admin goes from the details panel to the Billing page,
opens a month's breakdown per subproject and downloads its CSV."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from billing import services
from billing.statements import current_month
from tests.browser.checks import check_screen
from usage.periods import add_months

pytestmark = pytest.mark.browser


def test_billing_page_month_breakdown_and_csv(sign_in, live_server, screenshot, acme_with_usage):
    admin, parent, customers, _gone = acme_with_usage
    last = add_months(current_month(), -1)
    for back in (3, 2, 1):  # every past month with usage, oldest first, as cron would
        services.billing_period_close(month=add_months(last, 1 - back))
    services.billing_period_close(month=last)
    services.spend_limit_set(project=customers[0], amount="10.00", mode="block")

    page = sign_in(admin)
    page.goto(f"{live_server.url}/projects/{parent.public_id}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Billing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Billing")
    months = page.locator("table[data-billing-months] tbody tr")
    expect(months.first).to_contain_text("Estimate")
    expect(page.locator(f'tr[data-month="{last:%Y-%m}"]')).to_contain_text("Closed")
    screenshot(page, "8-billing-page")

    page.get_by_role("link", name=f"{last:%B %Y}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{last:%B %Y}")
    table = page.locator("table[data-billing-table]")
    expect(table.locator("tbody tr")).to_have_count(5)  # the parent and four subprojects
    expect(table.locator("tbody tr").first).to_contain_text("this project")
    total = page.locator("[data-statement-total]").inner_text()
    page.set_viewport_size({"width": 1400, "height": 1000})
    screenshot(page, "9-billing-month")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == f"statement-{parent.public_id}-{last:%Y-%m}-closed.csv"
    lines = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    shown = table.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.projectId)")
    assert [line["Project ID"] for line in lines[::5]] == shown  # 5 metrics each, in order
    assert {line["Status"] for line in lines} == {"CLOSED"}
    shown_total = Decimal(total.removesuffix("\xa0EUR").replace(",", ""))
    assert sum(Decimal(line["Amount"]) for line in lines) == shown_total

    # The subproject's details lead back to its parent's billing and its limit.
    page.goto(f"{live_server.url}/projects/{customers[0].public_id}/")
    page.locator("[data-billed-through]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Billing")


def test_the_spend_limit_form_shows_the_chosen_kind_s_fields(
    sign_in, live_server, member, subproject
):
    page = sign_in(member)
    page.goto(f"{live_server.url}/projects/{subproject.public_id}/spend-limit/")
    amount = page.get_by_label(re.compile(r"^Amount"))
    sms = page.get_by_label(re.compile(r"^SMS sent"))
    expect(amount).to_be_visible()
    expect(sms).to_be_hidden()
    page.get_by_label("Quantities a month, per metric").check()
    expect(sms).to_be_visible()
    expect(amount).to_be_hidden()
    check_screen(page, "spend limit, quantities chosen")
